"""Render the model to HTML page bodies with Jinja templates.

Autoescaping is on for every template and content is only ever passed in as
data, never as template source, so ``{{ 7*7 }}`` in a YAML file is shown as
written.  Text fields typed ``Inline`` go through ``inline.render_inline``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from urllib.parse import quote
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup

from ..content import model
from ..content.catalogue import PORTAL_SEARCH, coverage, portal_link, registry_only
from ..content.conditions import parse_answer
from ..guided.guide import build_guide, condition_words, due_data, item_ids
from ..content.legal import citation_index, end_of, impact
from ..editing.review import is_overdue, review_due
from ..content.handbook import Handbook, triage_answers
from ..content.inline import Abbreviations, plain_text, render_inline
from ..content.wording import date_vi, deadline_text, vnd
from .calendar import calendar
from ..training.updates import item_updates, session_updates
from ..textutil import vi_sort_key
from .. import urls
from .dated import case_data
from ..urls import procedure_url, field, legal, training, trainee
from ..content.sessions import training_items
from ..training.pack import LETTERS, build_pack
from .opendata import json_ld


def open_data_links(url_for: Callable[[str], str]) -> dict[str, str]:
    """The open-data files a page may point to (site/opendata.py writes them)."""
    return {"json": url_for(urls.CATALOGUE_JSON), "csv": url_for(urls.CATALOGUE_CSV),
            "schema": url_for(urls.OPEN_DATA_SCHEMA)}


@dataclass
class FeeLine:
    name: str
    amount: str  # display text
    province: str | None  # set when the figure is the province's
    fee: model.Fee
    unverified: str | None = None  # why the local figure still needs checking
    resolution: str | None = None  # the HĐND resolution that sets the province's figure


@dataclass
class TriageStep:
    """One question of a "Công dân cần gì?" tree, as the page shows it."""

    id: str
    question: model.TriageQuestion
    answered: list[str]  # the options chosen to get here
    parent: str | None  # the step before
    options: list[tuple]  # (option, next step id or None, procedure link or None)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, keyed by name and source checksum:
    `sotay serve` creates new Jinja environments (ours and the theme's) at
    every rebuild, and compiling Material's templates again took ~0.8 s."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()



class Renderer:
    def __init__(self, handbook: Handbook, template_cache: BytecodeCache | None = None, memo: dict | None = None):
        self.hb = handbook
        # sotay serve: what a rebuild may reuse of the last one's work, each with the inputs it depends on.
        self.memo = memo
        self.abbreviations = Abbreviations({k: v.meaning for k, v in handbook.glossary.items()})
        self.env = Environment(
            loader=PackageLoader("generator.site", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=template_cache,
        )
        self.env.filters.update(
            inline=self._inline,
            vnd=vnd,
            deadline=deadline_text,
            date_vi=date_vi,
        )
        self.env.globals.update(
            CHANNELS=model.CHANNELS,
            LEVELS=model.LEVELS,
            DOC_FORMS=model.DOC_FORMS,
            FEE_KINDS=model.FEE_KINDS,
            LEGAL_STATUS=model.LEGAL_STATUS,
            LEGAL_KINDS=model.LEGAL_KINDS,
            legal_url=legal,
            flag_label=model.flag_label,
            BLOCK_KINDS=model.BLOCK_KINDS,
            DEFECT_KINDS=model.DEFECT_KINDS,
            QUIZ_KINDS=model.QUIZ_KINDS,
            LETTERS=LETTERS,
            procedure_url=procedure_url,
            training_url=training,
            trainee_url=trainee,
            describe=condition_words,
        )

    @pass_context
    def _inline(self, context, text) -> Markup:
        """The ``inline`` filter: content's markup, with "/…" links made
        relative to the page being rendered (its ``url_for``, when it has one)."""
        return render_inline(text, self.abbreviations, context.get("url_for")) if text else Markup("")

    @functools.cached_property
    def citations(self) -> dict:
        return citation_index(self.hb.procedures.values())

    # --- helpers used by templates ---------------------------------------

    def fee_lines(self, fees: list[model.Fee]) -> list[FeeLine]:
        lines = []
        edition = self.hb.province  # None: the national edition, which names no local figure
        for fee in fees:
            province = unverified = resolution = None
            figure = edition.fees.get(fee.local_key) if edition and fee.local_key else None
            if fee.local_key and edition is None:
                amount, unit = "Mức do HĐND tỉnh quy định", None
            elif fee.local_key and figure is None:
                province = edition.name
                amount, unit = "Mức do HĐND tỉnh quy định", None
                unverified = f"Tệp tỉnh của {edition.name} chưa ghi mức thu này."
            elif figure is not None:
                province, resolution = edition.name, figure.resolution
                unverified = figure.unverified
                if figure.amount is None:
                    amount = "Theo mức HĐND tỉnh quy định (chưa xác minh)"
                else:
                    amount = "Miễn phí" if figure.amount == 0 else vnd(figure.amount)
                unit = figure.unit or fee.unit
            elif fee.amount is not None:
                amount = "Miễn phí" if fee.amount == 0 else vnd(fee.amount)
                unit = fee.unit
            else:
                amount = "Chưa xác minh"
                unit = None
            if unit and amount[0].isdigit():
                amount += f"/{unit}"
            lines.append(FeeLine(fee.name, amount, province, fee, unverified, resolution))
        return lines

    def fee_summary(self, fees: list[model.Fee]) -> str:
        if not fees:
            return "Không thu phí, lệ phí"
        return "; ".join(f"{line.name}: {line.amount}" for line in self.fee_lines(fees))

    def render_procedure(self, p: model.Procedure, url_for: Callable[[str], str], suggestions: list[str] = (),
                         edit_url: str | None = None, report_url: str | None = None, dated=None) -> str:
        """``suggestions``: ids of similar procedures found by search, shown
        apart from the editor's own related list; ``edit_url`` and
        ``report_url`` open the YAML in the repository and a prefilled
        content-error report; ``dated`` (site/dated.py) what the page says
        about the procedure's other versions."""
        related = [self.hb.procedures[r] for r in p.related if r in self.hb.procedures]
        guide = build_guide(p)
        guide.due = due_data(p, self.hb.holidays, self.hb.province)
        if dated:
            guide.versions = case_data(self.hb, p.id, dated, url_for)
        ids = item_ids(p)
        return self.env.get_template("procedure.html").render(
            p=p,
            field=self.hb.fields.get(p.field_id),
            fee_lines=self.fee_lines(p.fees),
            channel_fee_lines=self.fee_lines,
            legal=self.hb.legal,
            related=related,
            edit_url=edit_url,
            report_url=report_url,
            overdue=is_overdue(p, None),
            review_due=review_due(p),
            guide=guide,
            item_id=lambda obj: ids[id(obj)],
            is_check_item=lambda obj: isinstance(obj, model.CheckItem),
            suggestions=[self.hb.procedures[r] for r in suggestions if r in self.hb.procedures],
            province=self.hb.province,
            local_procedure=self.hb.province.procedures.get(p.id) if self.hb.province else None,
            not_published=next((n for n in self.hb.province.not_published if n.procedure == p.id), None)
            if self.hb.province else None,
            url_for=url_for,
            procedure_url=procedure_url,
            field_url=field,
            dated=dated,
            json_ld=json_ld(self.hb, p),
        )

    def render_triage(self, url_for: Callable[[str], str]) -> str:
        def answers_query(path: list[model.TriageOption]) -> str:
            """?tra-loi=… : every answer given on the way, for the guide of the procedure reached."""
            target = self.hb.procedures[path[-1].procedure]
            questions = {q.key: q for q in target.questions}
            answers = {k: parse_answer(questions[k], v) for k, v in triage_answers(path, target).items()}
            return "?tra-loi=" + quote(json.dumps(answers, ensure_ascii=False, separators=(",", ":"))) if answers else ""

        def steps(tree: model.TriageTree) -> list[TriageStep]:
            """The tree's questions one after another (a flat list, not nested):
            each names the answers that led to it and where each option goes."""
            out: list[TriageStep] = []

            def visit(q: model.TriageQuestion, step_id: str, path: list[model.TriageOption], parent: str | None):
                step = TriageStep(step_id, q, [o.label for o in path], parent, [])
                out.append(step)
                for n, o in enumerate(q.options, 1):
                    if o.next is not None:
                        step.options.append((o, f"{step_id}-{n}", None))
                    else:
                        target = self.hb.procedures[o.procedure]
                        step.options.append((o, None, url_for(procedure_url(target)) + answers_query(path + [o])))
                for n, o in enumerate(q.options, 1):
                    if o.next is not None:
                        visit(o.next, f"{step_id}-{n}", path + [o], step_id)

            visit(tree.start, f"{tree.id}-cau-1", [], None)
            return out

        return self.env.get_template("triage.html").render(
            trees=[(tree, steps(tree)) for tree in self.hb.triage.values()],
            fields=self.hb.fields,
            procedures=self.hb.procedures,
        )

    def render_changes(self, history, url_for: Callable[[str], str]) -> str:
        by_path = {p.path: p for p in self.hb.procedures.values()}
        by_day: dict[str, list] = {}
        for change in history.changes:
            by_day.setdefault(change.date, []).append(change)
        return self.env.get_template("changes.html").render(
            history=history, by_day=list(by_day.items()), procedure_for=by_path.get,
            paths_of=lambda changes: sorted({path for c in changes for path in c.paths},
                                            key=lambda path: vi_sort_key(by_path[path].title) if path in by_path else ((), ())),
            day_label=lambda iso: date_vi(dt.date.fromisoformat(iso)), url_for=url_for, procedure_url=procedure_url,
        )

    def calendar_memo(self) -> dict | None:
        return None if self.memo is None else self.memo.setdefault("calendar", {})

    def render_upcoming(self, url_for: Callable[[str], str]) -> str:
        return self.env.get_template("upcoming.html").render(
            days=calendar(self.hb, self.calendar_memo(), self.citations),
            day=self.hb.day, url_for=url_for)

    def render_legal(self, doc_id: str, url_for: Callable[[str], str]) -> str:
        found = impact(self.hb.legal, list(self.hb.procedures.values()), doc_id, self.citations)
        return self.env.get_template("legal.html").render(
            doc=self.hb.legal[doc_id], end=end_of(self.hb.legal, doc_id), citations=found.citations, related=found.related,
            chain=found.replaced_chain, known=set(self.hb.legal), url_for=url_for, procedure_url=procedure_url,
        )

    def render_legal_index(self, url_for: Callable[[str], str]) -> str:
        counts = {doc_id: len({c.procedure.id for c in self.citations.get(doc_id, [])}) for doc_id in self.hb.legal}
        groups: dict[str, list] = {kind: [] for kind in model.LEGAL_KINDS}
        for doc in sorted(self.hb.legal.values(), key=lambda d: (d.issued, d.id), reverse=True):
            groups[doc.kind].append(doc)
        return self.env.get_template("legal_index.html").render(
            groups=[(k, v) for k, v in groups.items() if v], counts=counts, url_for=url_for,
        )

    def registry_rows(self, field_id: str | None = None) -> list[dict]:
        """Registry-only entries (no full page) as the pages list them, in
        Vietnamese alphabetical order: where each is listed on the coverage
        page, and its national portal link."""
        entries = [e for e in registry_only(self.hb.catalogue) if field_id is None or e.field_id == field_id]
        return [{"entry": e, "anchor": urls.registry_anchor(e.id), "listed": urls.registry_entry(e.id),
                 "portal": portal_link(e), "field": self.hb.fields[e.field_id].name}
                for e in sorted(entries, key=lambda e: vi_sort_key(e.title))]

    def render_coverage(self, url_for: Callable[[str], str]) -> str:
        fields = {fid: f.name for fid, f in sorted(self.hb.fields.items(), key=lambda kv: (kv[1].order, vi_sort_key(kv[1].name)))}
        rows = registry_only(self.hb.catalogue)
        counts = coverage(fields, [p.field_id for p in self.hb.procedures.values()], [e.field_id for e in rows])
        registry = self.registry_rows()
        return self.env.get_template("coverage.html").render(
            counts=counts, full=sum(c.full for c in counts), total=sum(c.total for c in counts),
            by_field={c.field: [r for r in registry if r["entry"].field_id == c.field] for c in counts},
            groups=self.hb.by_field(), url_for=url_for, field_url=field, portal_search=PORTAL_SEARCH,
            data_links=open_data_links(url_for),
        )

    def render_field(self, field_id: str, procedures: list[model.Procedure], url_for: Callable[[str], str]) -> str:
        return self.env.get_template("field_index.html").render(
            field=self.hb.fields[field_id],
            procedures=procedures,
            registry=self.registry_rows(field_id),
            fee_summary=self.fee_summary,
            url_for=url_for,
            procedure_url=procedure_url,
        )

    def render_catalogue(self, url_for: Callable[[str], str]) -> str:
        procedures = sorted(self.hb.procedures.values(), key=lambda p: vi_sort_key(p.title))
        groups = self.hb.by_field()
        return self.env.get_template("catalogue.html").render(
            procedures=procedures,
            registry=self.registry_rows(),
            coverage_url=urls.COVERAGE,
            fields=self.hb.fields,
            groups=groups,
            fee_summary=self.fee_summary,
            url_for=url_for,
            procedure_url=procedure_url,
            field_url=field,
        )

    # --- training ---------------------------------------------------------

    def packs(self) -> list:
        return [self.pack(sid) for sid in self.hb.sessions]

    @functools.cached_property
    def _training_items(self) -> dict:
        return training_items(self.hb.procedures.values())

    def pack(self, session_id: str):
        """A session laid out (training/pack.py); the procedures' items are walked once per build."""
        return build_pack(self.hb.sessions[session_id], self.hb.procedures, self._training_items)

    def render_training_index(self, url_for: Callable[[str], str]) -> str:
        procedures = sorted((p for p in self.hb.procedures.values() if p.training), key=lambda p: vi_sort_key(p.title))
        return self.env.get_template("training_index.html").render(
            sessions=self.packs(), procedures=procedures, url_for=url_for, legal=self.hb.legal,
        )

    def render_training(self, session_id: str, trainer: bool, url_for: Callable[[str], str]) -> str:
        """The trainer's page (answers, handling, defects) or the trainee's
        page (none of them: its quiz loads the key from urls.QUIZ_KEY_FILE)."""
        return self.env.get_template("training.html").render(
            pack=self.pack(session_id), trainer=trainer,
            key_src=urls.QUIZ_KEY_FILE, url_for=url_for, legal=self.hb.legal,
            updates=self.training_updates(self.hb.sessions[session_id]) if trainer else [],
        )

    def training_updates(self, session: model.Session) -> list:
        """The session's items an upcoming version makes out of date (training/updates.py): those
        of its procedures only (a session names no other's items, sessions.check_training)."""
        memo = None if self.memo is None else self.memo.setdefault("training-updates", {})
        return session_updates(session, item_updates(self.hb, memo, session.procedures))

    def quiz_key(self, session_id: str) -> str:
        """The trainee page's answer key as a script (a script, not JSON, so it
        loads from file:// too): answers, explanation and legal basis per question."""
        pack = self.pack(session_id)
        key = {}
        for item in pack.quiz:
            q = item.value
            doc = self.hb.legal[q.legal_basis.document]
            basis = f"{q.legal_basis.article} {doc.title} số {doc.id}" if q.legal_basis.article else f"{doc.title} số {doc.id}"
            key[q.key] = {"answers": q.answers, "explanation": plain_text(q.explanation), "basis": basis}
        data = json.dumps(key, ensure_ascii=False, separators=(",", ":"))
        return ("// Đáp án bài tự kiểm tra; chỉ tải sau khi học viên nộp bài.\n"
                f"window.sotayQuizKeys=window.sotayQuizKeys||{{}};window.sotayQuizKeys[{json.dumps(session_id)}]={data};\n")

    def render_training_pack(self, session_id: str, trainer: bool, today: dt.date, css: str) -> str:
        """One self-contained HTML document (styles inline, no script, no
        external file) to print or carry on a USB stick; ``css`` from ``pack_styles()``."""
        return self.env.get_template("training_pack.html").render(
            pack=self.pack(session_id), trainer=trainer,
            css=Markup(css), today=today, legal=self.hb.legal,
        )

    def render_schema(self) -> str:
        from ..editing.schemadoc import limits, sections

        return self.env.get_template("schema.html").render(sections=sections(), limits=limits())

    def render_glossary(self) -> str:
        entries = sorted(self.hb.glossary.values(), key=lambda e: vi_sort_key(e.id))
        return self.env.get_template("glossary.html").render(entries=entries)


PACK_STYLES = ("templates/training_pack.css", "theme/assets/stylesheets/sotay-training.css")



def pack_styles() -> str:
    """The styles a printable training pack carries inline."""
    return "\n".join((Path(__file__).parent / rel).read_text(encoding="utf-8") for rel in PACK_STYLES)


_FLAG = re.compile(r'<span class="sotay-flag".*?</span>', re.S)
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def toc_tokens(html: str) -> list[dict]:
    """Table-of-contents tokens (MkDocs' format) from our own rendered headings."""
    tokens: list[dict] = []
    for level, anchor, inner in _HEADING.findall(_FLAG.sub("", html)):
        token = {"level": int(level), "id": anchor, "name": _TAGS.sub("", inner).strip(), "children": []}
        if token["level"] == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
