"""Load the whole handbook: registries and procedures, validated and cross-checked.

This is the one entry point the CLI, the MkDocs plugin, search and guides use
to get the model.  It never raises on bad content: errors go into the sink.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import multiprocessing
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .. import urls
from . import model
from .errors import ContentError, ErrorSink, shown
from .conditions import parse_answer
from .legal import close_documents, status_warnings
from .markdown import check_pages, is_page
from ..textutil import fold, vi_sort_key
from .sessions import check_training, load_sessions, session_files
from .files import content_files, display_path, located
from .ids import check_registry_keys
from .located import Context, Reference, location
from .validate import convert
from .wording import date_vi
from .yamlsource import compose, decode_text, read_text

PROCEDURES_DIR = "procedures"
DOCS_DIR = "handbook"  # MkDocs' docs_dir: every file in it is published
FORMS_DIR = "mau/"  # downloadable forms, inside DOCS_DIR
DATA_DIR = "handbook/data"
REGISTRY_FILES = {
    "fields": ("linh-vuc.yml", model.FieldInfo),
    "legal": ("van-ban.yml", model.LegalDocument),
    "glossary": ("thuat-ngu.yml", model.GlossaryEntry),
}
LOCAL_FILE = "dia-phuong.yml"
SYNONYMS_FILE = "tu-dong-nghia.yml"
TRIAGE_FILE = "cong-dan-can-gi.yml"
HOLIDAYS_FILE = "ngay-nghi.yml"
# What the scaffold (`sotay new`) leaves for editors to fill; --strict refuses it.
PLACEHOLDER = "CẦN ĐIỀN"
_YEAR = re.compile(r"^(19|20|21)\d\d$")
SLUG = re.compile(model.SLUG)


class ProjectNotFound(Exception):
    pass


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder at or above ``start`` with mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / PROCEDURES_DIR).is_dir():
            return folder
    raise ProjectNotFound(
        "không tìm thấy thư mục sổ tay (nơi có mkdocs.yml và thư mục procedures/); "
        "hãy chạy lệnh trong thư mục kho nội dung hoặc một thư mục con của nó."
    )


@dataclass
class Handbook:
    root: Path
    procedures: dict[str, model.Procedure] = field(default_factory=dict)
    fields: dict[str, model.FieldInfo] = field(default_factory=dict)
    legal: dict[str, model.LegalDocument] = field(default_factory=dict)
    glossary: dict[str, model.GlossaryEntry] = field(default_factory=dict)
    local: model.LocalSettings | None = None
    synonyms: list[model.Synonym] = field(default_factory=list)
    triage: dict[str, model.TriageTree] = field(default_factory=dict)
    holidays: dict[int, model.HolidayYear] = field(default_factory=dict)
    sessions: dict[str, model.Session] = field(default_factory=dict)  # training sessions, handbook/dao-tao/
    markdown: list[str] = field(default_factory=list)  # hand-written pages, relative to handbook/
    # Content digest of every registry read (path → sha256): what, beside a
    # procedure's own version, its page is made from (sotay serve's page cache).
    registry_digests: dict[str, str] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict, repr=False)  # procedures_matching's folded titles

    def procedures_matching(self, phrase: str) -> list[model.Procedure]:
        """Procedures whose title or keywords contain ``phrase`` as whole words,
        ignoring case and diacritics: where an everyday phrase leads."""
        if self._names.keys() != self.procedures.keys():  # computed once per catalogue
            self._names = {pid: _folded_words(" · ".join([p.title, *p.keywords])) for pid, p in self.procedures.items()}
        needle = _folded_words(phrase)
        return [p for pid, p in self.procedures.items() if needle in self._names[pid]]

    def by_field(self) -> dict[str, list[model.Procedure]]:
        """Procedures grouped by field, fields and procedures in display order."""
        groups: dict[str, list[model.Procedure]] = {
            fid: [] for fid, _ in sorted(self.fields.items(), key=lambda kv: (kv[1].order, vi_sort_key(kv[1].name)))
        }
        for p in self.procedures.values():
            groups.setdefault(p.field_id, []).append(p)
        for items in groups.values():
            items.sort(key=lambda p: vi_sort_key(p.title))
        return {k: v for k, v in groups.items() if v}


def _folded_words(text: str) -> str:
    return " " + " ".join(w for w in re.split(r"\W+", fold(text)) if w) + " "


def _display(path: Path, root: Path) -> str:
    return display_path(path, root)


def _load_file(path: Path, root: Path, sink: ErrorSink):
    """(display path, YAML node or None, content digest or None)."""
    display = _display(path, root)
    text = read_text(path, display, sink)
    if text is None:
        return display, None, None
    return display, compose(text, display, sink), digest(text)


def digest(text: str) -> str:
    """A short content version: changes whenever the text does."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _data_file(root: Path, name: str, sink: ErrorSink, digests: dict[str, str]):
    """(display path, YAML node) of handbook/data/<name>, or None when the file
    is absent (optional) or could not be read (the error is in ``sink``)."""
    path = located(root / DATA_DIR / name)
    if not path.is_relative_to(root.resolve()):  # handbook/ or handbook/data/ links out of the project: reported by the walk
        return None
    if not os.path.lexists(path):  # a symlink, even a broken one, is there: read_text refuses it
        return None
    display, node, version = _load_file(path, root, sink)
    if version is not None:
        digests[display] = version
    return None if node is None else (display, node)


def _load_registry(root: Path, name: str, cls: type, sink: ErrorSink, refs: list[Reference],
                   digests: dict[str, str], registry: str) -> dict:
    """``registry``: the Handbook attribute it fills, which says what its keys
    become (see ids.py)."""
    loaded = _data_file(root, name, sink, digests)
    if loaded is None:
        return {}
    display, node = loaded
    check_registry_keys(registry, node, display, sink)
    ctx = Context(display, sink, refs)
    entries = convert(node, dict[str, cls], ctx) or {}
    result = {}
    for key, entry in entries.items():
        if entry is not None:
            entry.id = key
            result[key] = entry
    return result


def load_holidays(root: Path, sink: ErrorSink, digests: dict[str, str] | None = None) -> dict[int, model.HolidayYear]:
    """handbook/data/ngay-nghi.yml: one block per year, the key written as the
    year itself (2025:); every day must fall in its block's year.  No file, no
    years: the due-date calculator then says which year is missing."""
    loaded = _data_file(root, HOLIDAYS_FILE, sink, {} if digests is None else digests)
    if loaded is None:
        return {}
    display, node = loaded
    ctx = Context(display, sink)
    if not isinstance(node, MappingNode):
        ctx.error(node, "tệp ngày nghỉ cần các khối theo năm (2025: …, 2026: …)",
                  "xem cấu trúc ở đầu tệp handbook/data/ngay-nghi.yml.")
        return {}
    years: dict[int, model.HolidayYear] = {}
    for key_node, value_node in node.value:
        text = key_node.value.strip() if isinstance(key_node, ScalarNode) else ""
        if not _YEAR.match(text):
            ctx.error(key_node, f"'{text or '…'}' không phải một năm", "khóa của mỗi khối là năm, bốn chữ số, ví dụ 2026:")
            continue
        block = convert(value_node, model.HolidayYear, ctx)
        if block is None:
            continue
        block.year = int(text)
        for d in block.days_off + block.make_up:
            if d.day.year != block.year:
                line, col = location(d, "day")
                sink.add(display, line, col, f"ngày {d.day.isoformat()} không thuộc năm {block.year}",
                         f"chuyển dòng này sang khối {d.day.year}: hoặc sửa lại năm của ngày.")
        years[block.year] = block
    return dict(sorted(years.items()))


def procedure_files(root: Path, sink: ErrorSink | None = None) -> list[Path]:
    """Every procedure file; with ``sink``, what is not a regular file or
    folder under procedures/ is reported there (see ``content_files``)."""
    return content_files(root, PROCEDURES_DIR, (".yml",), sink)


def _load_procedure(path: Path, root: Path, cache: dict | None):
    """(display path, procedure or None, its problems, its references) of one
    file; with ``cache`` (sotay serve), an unchanged file is not read again."""
    try:
        stat = os.lstat(path)
        key = (stat.st_mtime_ns, stat.st_size, stat.st_mode)
    except OSError:  # gone since the folder was listed: read_text reports it
        key = None
    if cache is not None and key is not None and cache.get(path, (None,))[0] == key:
        return cache[path][1]
    file_sink, file_refs = ErrorSink(), []
    display, node, version = _load_file(path, root, file_sink)
    proc = None
    if not SLUG.match(path.stem):
        file_sink.add(display, 1, 1, f"tên tệp '{path.name}' không hợp lệ",
                      "tên tệp là mã định danh của thủ tục: chữ thường không dấu, số và dấu gạch ngang, ví dụ dang-ky-khai-sinh.yml.")
    elif node is not None:
        proc = convert(node, model.Procedure, Context(display, file_sink, file_refs))
        if proc is not None:
            proc.id, proc.path, proc.version = path.stem, display, version
    loaded = (display, proc, file_sink.items, file_refs)
    if cache is not None:
        cache[path] = (key, loaded)
    return loaded


PARALLEL_FROM = 200  # files; below that, starting workers costs more than it saves


def _load_procedures(paths: list[Path], root: Path, cache: dict | None) -> list:
    """_load_procedure for each path; a large catalogue is read by forked
    workers, one per core (not with a cache: sotay serve has threads)."""
    workers = min(os.cpu_count() or 1, 4)
    if cache is not None or workers < 2 or len(paths) < PARALLEL_FROM:
        return [_load_procedure(path, root, cache) for path in paths]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.starmap(_load_procedure, [(path, root, None) for path in paths], chunksize=32)


def load_handbook(root: Path, only: list[Path] | None = None, sink: ErrorSink | None = None,
                  cache: dict | None = None, today: dt.date | None = None) -> tuple[Handbook, ErrorSink]:
    """Load and validate everything; ``only`` limits which procedure files are reported on.
    ``cache`` (a dict kept between calls by ``sotay serve``) skips procedure
    files that have not changed since the last call.  ``today`` (default:
    ``today_in_vietnam()``) is what a review or issue date may not be after.

    Cross-references are always resolved against the whole catalogue, so a
    single file can be checked without false "missing procedure" errors.
    """
    sink = sink or ErrorSink()
    refs: list[Reference] = []
    hb = Handbook(root=root)
    registries = {}
    digests = hb.registry_digests
    for attr, (name, cls) in REGISTRY_FILES.items():
        registries[attr] = _load_registry(root, name, cls, sink, refs, digests, attr)
    hb.fields, hb.legal, hb.glossary = registries["fields"], registries["legal"], registries["glossary"]
    if loaded := _data_file(root, LOCAL_FILE, sink, digests):
        hb.local = convert(loaded[1], model.LocalSettings, Context(loaded[0], sink, refs))
    if loaded := _data_file(root, SYNONYMS_FILE, sink, digests):
        hb.synonyms = [s for s in convert(loaded[1], list[model.Synonym], Context(loaded[0], sink, refs)) or [] if s]

    hb.holidays = load_holidays(root, sink, digests)
    hb.triage = _load_registry(root, TRIAGE_FILE, model.TriageTree, sink, refs, digests, "triage")

    # MkDocs publishes all of handbook/: only regular files there (the walk reports the rest).
    published = [p.relative_to(root / DOCS_DIR).as_posix() for p in content_files(root, DOCS_DIR, None, sink)]
    hb.markdown = [rel for rel in published if is_page(rel)]
    all_files = procedure_files(root, sink)
    wanted = [located(p) for p in (only or all_files)]  # a symlink is reported where it is
    for path, (display, proc, items, file_refs) in zip(wanted, _load_procedures(wanted, root, cache)):
        sink.items.extend(items)
        refs.extend(file_refs)
        if proc is None:
            continue
        folder = path.parent.name
        if folder != proc.field_id and proc.field_id in hb.fields:
            line, col = location(proc, "field_id")
            sink.add(display, line, col, f"thủ tục thuộc lĩnh vực '{proc.field_id}' nhưng nằm trong thư mục '{folder}'",
                     f"chuyển tệp vào procedures/{proc.field_id}/ hoặc sửa 'linh_vuc'.")
        hb.procedures[proc.id] = proc

    if only is None:
        hb.sessions = load_sessions(root, sink, refs)
    _check_dates(hb, sink, today or today_in_vietnam())
    _check_unique(hb, sink)
    _check_references(refs, hb, all_files, published, sink)
    _check_legal_status(hb, sink)
    if only is None:
        _check_synonyms(hb, sink)
        _check_triage_answers(hb, sink)
        check_training(hb.procedures, hb.sessions, sink)
        check_pages(root, hb.markdown, sink)
    hb.procedures = dict(sorted(hb.procedures.items()))
    return hb, sink


def load_procedure_text(data: bytes | str, display: str, sink: ErrorSink) -> model.Procedure | None:
    """One procedure from the content of its file (an old version from git,
    say), checked like a file on disk: encoding, YAML, schema and the rules
    inside one procedure.  References to the registries (lĩnh vực, văn bản,
    other procedures) are not resolved.  ``display`` names the file in
    errors; its stem is the procedure's id.  Returns None when it cannot be
    built; problems go into ``sink`` (a procedure can come back with errors
    recorded, e.g. a duplicate step name, so check ``sink.errors``)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    text = decode_text(raw, display, sink)
    if text is None:
        return None
    node = compose(text, display, sink)
    if node is None:
        return None
    proc = convert(node, model.Procedure, Context(display, sink))
    if proc is not None:
        proc.id, proc.path = Path(display).stem, display
    return proc


def _check_legal_status(hb: Handbook, sink: ErrorSink) -> None:
    """A warning at each citation of a document that is repealed, replaced or
    not yet in force, and of a document amended *after the procedure was
    last reviewed* (the amending document's date is later than ngay_ra_soat):
    those pages need another look.  Amendments older than the last review
    are quiet: most laws in force have had an article amended, citing them
    is normal, and ``sotay legal impact`` lists them all."""
    for path, line, col, issue in status_warnings(hb.legal, hb.procedures.values()):
        if issue.severe:
            sink.warn(path, line, col, issue.message, issue.hint)
    for p in hb.procedures.values():
        for ref in p.legal_basis:
            doc = hb.legal.get(ref.document)
            for amending in (doc.amended_by if doc else []):
                newer = hb.legal.get(amending)
                when = newer and (newer.effective or newer.issued)
                if when and when > p.reviewed:
                    line, col = location(ref, "document")
                    sink.warn(p.path, line, col,
                              f"văn bản '{ref.document}' được sửa đổi, bổ sung bởi '{amending}' ({date_vi(when)}), "
                              f"sau lần rà soát cuối của thủ tục ({date_vi(p.reviewed)})",
                              f"đối chiếu nội dung với '{amending}', sửa nếu cần, rồi cập nhật ngay_ra_soat "
                              f"(các thủ tục cùng dẫn: sotay legal impact {ref.document}).")


def _partly_repealed_citations(hb: Handbook) -> list[ContentError]:
    return [
        ContentError(path, line, col, issue.message, issue.hint)
        for path, line, col, issue in status_warnings(hb.legal, hb.procedures.values())
        if not issue.severe
    ]


def placeholder_errors(hb: Handbook) -> list[ContentError]:
    """Values still holding the scaffold's "CẦN ĐIỀN" in the loaded procedure
    files (comments do not count), located at the value."""
    found: list[ContentError] = []
    for p in hb.procedures.values():
        scratch = ErrorSink()
        text = read_text(hb.root / p.path, p.path, scratch)
        if text is None or PLACEHOLDER not in text:
            continue
        node = compose(text, p.path, scratch) if text is not None else None
        stack = [node] if node is not None else []
        while stack:
            n = stack.pop()
            if isinstance(n, MappingNode):
                stack.extend(v for _, v in reversed(n.value))
            elif isinstance(n, SequenceNode):
                stack.extend(reversed(n.value))
            elif isinstance(n, ScalarNode) and PLACEHOLDER in n.value:
                m = n.start_mark
                shown = " ".join(n.value.split())
                shown = shown if len(shown) <= 70 else shown[:69] + "…"
                found.append(ContentError(
                    p.path, m.line + 1, m.column + 1, f"còn chỗ chưa điền: \"{shown}\"",
                    f"thay cả cụm \"{PLACEHOLDER}: …\" bằng nội dung thật (chế độ --strict không chấp nhận chỗ trống của mẫu).",
                ))
    return sorted(found)


def strict_errors(hb: Handbook, sink: ErrorSink, *, partly_repealed: bool = False) -> list[ContentError]:
    """What ``sotay validate --strict`` treats as errors on top of ``sink.errors``:
    every warning in ``sink`` (repealed, replaced or not-yet-in-force citations,
    synonyms leading nowhere…), every leftover "CẦN ĐIỀN", and with
    ``partly_repealed`` also citations of partly repealed documents."""
    promoted = [ContentError(w.path, w.line, w.column, w.message, w.hint) for w in sink.warnings]
    return promoted + placeholder_errors(hb) + (_partly_repealed_citations(hb) if partly_repealed else [])


def apply_strict(hb: Handbook, sink: ErrorSink, *, partly_repealed: bool = False) -> ErrorSink:
    """Make ``sink`` strict in place (see ``strict_errors``); returns ``sink``."""
    extra = strict_errors(hb, sink, partly_repealed=partly_repealed)
    sink.items = [e for e in sink.items if not e.warning] + extra
    return sink


VIETNAM = dt.timezone(dt.timedelta(hours=7))


def today_in_vietnam() -> dt.date:
    """The date an editor in Vietnam sees, or the machine's own if later:
    a check run on a machine in UTC between midnight and 7:00 in Vietnam
    must not call today's review date a day in the future."""
    return max(dt.datetime.now(VIETNAM).date(), dt.date.today())


def _check_dates(hb: Handbook, sink: ErrorSink, today: dt.date) -> None:
    """Dates of what has already happened are not in the future: a
    procedure's last review (ngay_ra_soat) and a document's issue date
    (ngay_ban_hanh; its entry into force may well be ahead)."""
    for p in hb.procedures.values():
        if p.reviewed > today:
            line, col = location(p, "reviewed")
            sink.add(p.path, line, col, f"ngày rà soát {p.reviewed:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y})",
                     f"ghi ngày đã rà soát xong, không ghi trước; rà soát xong hôm nay thì ghi {today.isoformat()}.")
    display = _display(hb.root / DATA_DIR / REGISTRY_FILES["legal"][0], hb.root)
    for doc_id, doc in hb.legal.items():
        if doc.issued > today:
            line, col = location(doc, "issued")
            sink.add(display, line, col, f"văn bản '{doc_id}' có ngày ban hành {doc.issued:%d/%m/%Y} ở tương lai "
                     f"(hôm nay là {today:%d/%m/%Y})",
                     "ghi đúng ngày ký ban hành trên văn bản; ngày văn bản bắt đầu có hiệu lực ghi ở 'ngay_hieu_luc'.")


def _check_unique(hb: Handbook, sink: ErrorSink) -> None:
    """A national code or a title written in two procedures is reported in
    each of them, naming the others (path:line): whichever file the editor
    opens, the new one or the old one, shows it."""
    rules = (
        ("code", lambda p: p.code, lambda p, others: f"mã thủ tục '{p.code}' trùng với {others}",
         "mỗi mã quốc gia chỉ gắn với một thủ tục; kiểm tra lại mã ở các tệp được nêu."),
        ("title", lambda p: unicodedata.normalize("NFC", p.title).casefold(),
         lambda p, others: f"tên thủ tục trùng với {others}", "đặt tên phân biệt rõ các thủ tục."),
    )
    for attr, key, message, hint in rules:
        groups: dict[str, list[model.Procedure]] = {}
        for p in hb.procedures.values():
            if key(p):
                groups.setdefault(key(p), []).append(p)
        for group in groups.values():
            if len(group) < 2:
                continue
            for p in group:
                others = ", ".join(f"{o.path}:{location(o, attr)[0]}" for o in group if o is not p)
                line, col = location(p, attr)
                sink.add(p.path, line, col, message(p, others), hint)


def _triage_options(q: model.TriageQuestion):
    for o in q.options:
        yield o
        if o.next is not None:
            yield from _triage_options(o.next)


def triage_answers(path: list[model.TriageOption], target: model.Procedure) -> dict[str, str]:
    """The answers a triage path gives the procedure it leads to: every
    option's 'tra_loi' on the way, for the questions that procedure has."""
    keys = {q.key for q in target.questions}
    return {k: str(v) for o in path for k, v in o.answers.items() if k in keys}


def _triage_paths(q: model.TriageQuestion, path: list[model.TriageOption]):
    """(path from the tree's first question, the option ending it) for every
    option; a path ends with the option itself."""
    for o in q.options:
        yield path + [o]
        if o.next is not None:
            yield from _triage_paths(o.next, path + [o])


def _check_triage_answers(hb: Handbook, sink: ErrorSink) -> None:
    """Answers given in a triage tree ('tra_loi' on any option) are questions
    of the procedures the option leads to, with values those questions accept;
    an option below may not answer the same question differently."""
    display = _display(hb.root / DATA_DIR / TRIAGE_FILE, hb.root)
    for tree in hb.triage.values():
        for path in _triage_paths(tree.start, []):
            o = path[-1]
            if not o.answers:
                continue
            below = [hb.procedures[x.procedure] for x in _triage_options_from(o) if x.procedure in hb.procedures]
            line, col = location(o, "answers")
            for key, raw in o.answers.items():
                earlier = next((p for p in path[:-1] if key in p.answers), None)
                if earlier is not None and str(earlier.answers[key]) != str(raw):
                    sink.add(display, line, col, f"câu '{key}' đã được trả lời '{earlier.answers[key]}' ở lựa chọn "
                             f"'{earlier.label}' phía trên", "mỗi câu chỉ trả lời một lần trên một nhánh; bỏ một trong hai.")
                    continue
                having = [t for t in below if any(q.key == key for q in t.questions)]
                if not having:
                    names = ", ".join(dict.fromkeys(t.id for t in below)) or "(không có)"
                    known = sorted({q.key for t in below for q in t.questions})
                    message = (f"thủ tục '{names}' không có câu hỏi '{key}'" if o.next is None
                               else f"không thủ tục nào lựa chọn này dẫn tới ({names}) có câu hỏi '{key}'")
                    sink.add(display, line, col, message, "các câu hỏi: " + (", ".join(known) or "(không có)") + ".")
                    continue
                for target in having:
                    question = next(q for q in target.questions if q.key == key)
                    try:
                        parse_answer(question, str(raw))
                    except ValueError as err:
                        sink.add(display, line, col, f"câu '{key}' của '{target.id}': {err}")


def _triage_options_from(o: model.TriageOption):
    """The options that lead to a procedure at or below ``o``."""
    if o.next is None:
        yield o
    else:
        for x in _triage_options(o.next):
            if x.next is None:
                yield x


def _check_synonyms(hb: Handbook, sink: ErrorSink) -> None:
    """Each everyday phrase is listed once, and each entry leads somewhere."""
    seen: dict[str, model.Synonym] = {}
    for entry in hb.synonyms:
        for phrase in entry.everyday:
            key = fold(phrase)
            other = seen.setdefault(key, entry)
            if other is not entry:
                line, col = location(entry, "everyday")
                sink.add(_display(hb.root / DATA_DIR / SYNONYMS_FILE, hb.root), line, col,
                         f"cách nói '{phrase}' đã có ở mục '{other.means}'",
                         "mỗi cách nói chỉ ghi một lần; gộp hai mục hoặc bỏ một dòng.")
        if not hb.procedures_matching(entry.means):
            line, col = location(entry, "means")
            sink.warn(_display(hb.root / DATA_DIR / SYNONYMS_FILE, hb.root), line, col,
                      f"'{entry.means}' không có trong tên hay từ khóa của thủ tục nào",
                      "viết đúng cụm từ như trong tên thủ tục, hoặc thêm từ khóa vào thủ tục.")


_REF_MESSAGES = {
    "field": ("lĩnh vực '{}' không có trong handbook/data/linh-vuc.yml", "thêm lĩnh vực vào sổ đăng ký hoặc dùng một khóa có sẵn"),
    "legal": ("văn bản '{}' không có trong handbook/data/van-ban.yml",
              "xem các văn bản đã có trong handbook/data/van-ban.yml; văn bản chưa có thì thêm vào đó "
              "(số, ký hiệu đúng như bản gốc)"),
    "procedure": ("không có thủ tục '{}'", "dùng tên tệp (không có .yml) của một thủ tục trong procedures/"),
    "local_fee": ("mức thu '{}' không có trong handbook/data/dia-phuong.yml", "thêm mức thu vào mục muc_thu của tệp địa phương"),
    "form_file": ("không có tệp mẫu 'handbook/{}'", "đặt tệp vào thư mục handbook/mau/ hoặc sửa đường dẫn"),
    "page": ("liên kết tới trang '{}' không có trong sổ tay",
             f"kiểm tra đường dẫn: thủ tục là {urls.link(urls.procedure('<lĩnh vực>', '<mã>'))}, "
             f"trang viết tay là {urls.link(urls.markdown_page('<tên tệp>.md'))}"),
}


def _link_targets(hb: Handbook, files: list[Path]) -> set[str]:
    """Site paths ("/thu-tuc/ho-tich/") an inline link may point to: the
    pages a build of the whole handbook generates, and the hand-written ones.
    Procedures and sessions come from the files (the folder is the field), so
    checking one file still accepts links to every other."""
    procedures = [(f.parent.name, f.stem) for f in files]
    pages = urls.generated_pages(
        procedures=procedures, legal_ids=hb.legal, session_ids=[f.stem for f in session_files(hb.root)],
        field_ids={fid for fid, _ in procedures if fid in hb.fields}, triage=bool(hb.triage))
    return urls.link_targets(pages, hb.markdown)


def _check_references(refs: list[Reference], hb: Handbook, files: list[Path], published: list[str], sink: ErrorSink) -> None:
    """``published``: the files under handbook/, relative to it."""
    ids = {p.stem for p in files}
    known = {
        "field": set(hb.fields),
        "legal": set(hb.legal),
        "procedure": ids,
        "local_fee": set(hb.local.fees) if hb.local else set(),
        "page": _link_targets(hb, files),
        "form_file": {rel for rel in published if rel.startswith(FORMS_DIR)},
    }
    ordered: dict[str, list[str]] = {}
    for ref in refs:
        pool = known[ref.kind]
        if ref.value in pool:
            continue
        message, hint = _REF_MESSAGES[ref.kind]
        if ref.kind not in ordered:
            ordered[ref.kind] = sorted(pool)
        if sink.full(ref.path):
            close = []
        elif ref.kind == "legal":  # numbers that look alike are different documents: see close_documents
            close = close_documents(hb.legal, ref.value)
        else:
            close = difflib.get_close_matches(ref.value[:100], ordered[ref.kind], n=1, cutoff=0.8)
        if close:
            hint = "có phải ý bạn là " + " hoặc ".join(f"'{c}'" for c in close) + f"? ({hint})"
        sink.add(ref.path, ref.line, ref.column, message.format(shown(ref.value)), hint + ".")
