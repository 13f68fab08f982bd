"""Every kind of page the handbook generates, as a class (the way Material's
blog plugin models ``Post``, ``View`` and ``Archive``).

A kind knows its title, where it sits in the navigation, how the site's
search sees it, whether it has a table of contents, and how it renders.
``KINDS`` is the one registry: ``urls.generated_pages`` lists which pages
exist (path, kind, key) and ``site_pages`` makes one object per page, so the
plugin's events only look pages up and ask them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import ClassVar
from urllib.parse import urlencode

from .. import urls
from ..content import model
from ..content.handbook import Handbook
from ..content.inputs import digest, legal_entries, other_registries
from ..editing.changes import History
from ..search.index import SearchDoc, SimilarProcedures
from . import shell
from .calendar import calendar_inputs
from .dated import dated, version_procedure
from .render import Renderer, toc_tokens

# How the site's search sees a page.
SEARCH_FULL = "full"  # Material indexes the page's text
SEARCH_TITLE = "title"  # one entry, by title (lists; training pages, whose text holds the answer key)
SEARCH_OWN = "own"  # left out: procedures are indexed from their SearchDocs (search/index.py)

# Where a page sits in the navigation.
NAV_PROCEDURES = "procedures"  # the procedures section (its title: the plugin's nav_title)
NAV_TRAINING = "training"  # the "Đào tạo" section
NAV_TOP = "top"  # a top-level entry after the configured ones
NAV_FIRST = "first"  # right after the home page: where a desk officer starts
TRAINING_SECTION = "Đào tạo"

# Scripts a kind of page loads after the theme's (theme/main.html); other
# pages load none of ours but theme/assets/javascripts/sotay/site.js.
GUIDE_SCRIPTS = ("assets/javascripts/sotay/conditions.js", "assets/javascripts/sotay/duedate.js",
                 "assets/javascripts/sotay/guide.js")
QUIZ_SCRIPTS = ("assets/javascripts/sotay/quiz.js",)
TRIAGE_SCRIPTS = ("assets/javascripts/sotay/triage.js",)


@dataclass
class Site:
    """What pages are rendered from, gathered once per build by the plugin:
    the loaded model and everything derived from it or from the repository."""

    handbook: Handbook
    renderer: Renderer
    suggestions: SimilarProcedures  # procedure id → similar procedures found by search
    search_docs: list[SearchDoc]
    history: History  # "Có gì mới", from git
    repo_url: str | None = None
    source_edit_uri: str = "edit/main/"
    groups: dict[str, list] = field(default_factory=dict)  # procedures by field, in display order
    _citers: tuple | None = None  # (legal document id → its citers, as Site.citers shows them; Site.citing)

    def __post_init__(self) -> None:
        self.groups = self.handbook.by_field()

    def edit_url(self, proc) -> str | None:
        """"Sửa trang này": the procedure's YAML file in the repository."""
        if not self.repo_url:
            return None
        return self.repo_url.rstrip("/") + "/" + self.source_edit_uri.strip("/") + "/" + proc.path

    def citers(self, doc_id: str) -> str:
        """What a legal page shows of the procedures citing ``doc_id`` (title,
        address, article cited), as a digest (a document's page keys on its
        own and on those amending or replacing it).  Worked out for every
        document at once, and under sotay serve kept while no procedure's
        title, address or citations change (a step edit changes none)."""
        return self._cited()[0].get(doc_id) or digest([])

    def citing(self) -> list[tuple[str, int]]:
        """How many procedures cite each document (the legal index shows it), by id."""
        return self._cited()[1]

    def _cited(self) -> tuple[dict[str, str], list[tuple[str, int]]]:
        if self._citers is None:
            shown = tuple(model.derived(p, "citations shown", lambda p=p: (
                p.id, p.title, p.field_id, tuple((r.document, r.article) for r in p.legal_basis)))
                for p in self.handbook.procedures.values())
            memo = self.renderer.memo
            if memo is not None and memo.get("citers", (None,))[0] == shown:
                self._citers = memo["citers"][1]
            else:
                index = self.renderer.citations
                self._citers = ({d: digest([(c.procedure.id, c.procedure.title, c.procedure.field_id, c.ref.article)
                                             for c in cs]) for d, cs in index.items()},
                                sorted((d, len({c.procedure.id for c in cs})) for d, cs in index.items()))
                if memo is not None:
                    memo["citers"] = (shown, self._citers)
        return self._citers

    def report_url(self, proc) -> str | None:
        """A new issue in the repository, from the "báo lỗi nội dung" form,
        naming the procedure (GitHub issue forms take field values from the URL)."""
        if not self.repo_url or "github.com" not in self.repo_url:
            return None
        query = urlencode({"template": "bao-loi-noi-dung.yml", "title": f"[Lỗi nội dung] {proc.title}",
                           "thu_tuc": f"{proc.title} ({proc.path})"})
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"


UrlFor = Callable[[str], str]  # a site path → a link relative to the page being rendered


class Page:
    """One generated page.  Titles are HTML-escaped: MkDocs treats page and
    navigation titles as HTML (and Material prints page.meta.title unescaped)."""

    kind: ClassVar[str]
    search: ClassVar[str] = SEARCH_FULL
    toc: ClassVar[bool] = True
    nav: ClassVar[str | None] = None
    label: ClassVar[str] = ""  # the title of pages that show no single entity
    scripts: ClassVar[tuple[str, ...]] = ()  # theme assets the page needs, in load order
    # Written from the shell at its depth (shell.py) rather than rendered by MkDocs:
    # the many pages with the same surroundings (out of the navigation, own scripts).
    from_shell: ClassVar[bool] = False

    def __init__(self, site: Site, ref: urls.PageRef):
        self.site, self.url, self.key = site, ref.url, ref.key

    @property
    def src_uri(self) -> str:
        return urls.src_uri(self.url)

    @property
    def title(self) -> str:
        return self.label

    def nav_entry(self):
        return {self.title: self.src_uri}

    def edit_url(self) -> str | None:
        return None

    def search_text(self) -> str:
        """The text of a title-only search entry (HTML-escaped)."""
        return ""

    def toc_tokens(self, html: str) -> list[dict]:
        """The table of contents (MkDocs' tokens) of the rendered page."""
        return toc_tokens(html) if self.toc else []

    def render(self, url_for: UrlFor) -> str:
        raise NotImplementedError

    def inputs(self) -> object | None:
        """For sotay serve (reuse.py): a cheap value that changes whenever the
        body would, so an unchanged page is not even rendered; None: render it
        to find out."""
        return None


class Catalogue(Page):
    kind, label, search, nav = "catalogue", "Danh mục thủ tục", SEARCH_TITLE, NAV_PROCEDURES

    def render(self, url_for):
        return self.site.renderer.render_catalogue(url_for)

    def inputs(self):
        return [_shared(self.site.handbook, legal=False), _rows(self.site.handbook.procedures.values())]


class Coverage(Page):
    """Per field, how many procedures have a full page, and the registry-only
    entries with their national portal link: each entry's line is where search
    leads for it (urls.registry_entry), so its text stays out of the index.
    Not in the navigation, which every page carries: the first visit is kept small."""

    kind, label, search = "coverage", "Độ phủ của sổ tay", SEARCH_TITLE  # reached from the catalogue page

    def render(self, url_for):
        return self.site.renderer.render_coverage(url_for)


class FieldPage(Page):
    kind, search, nav = "field", SEARCH_TITLE, NAV_PROCEDURES

    @property
    def title(self):
        return escape(self.site.handbook.fields[self.key].name)

    def render(self, url_for):
        return self.site.renderer.render_field(self.key, self.site.groups[self.key], url_for)

    def inputs(self):
        return [_shared(self.site.handbook, legal=False), _rows(self.site.groups[self.key])]


class ProcedurePage(Page):
    """Written from the shell (shell.py) on a normal build; through MkDocs
    like any page when the plugin's SHELL_PAGES is off."""

    kind, search, scripts, from_shell = "procedure", SEARCH_OWN, GUIDE_SCRIPTS, True

    @property
    def procedure(self):
        return self.site.handbook.procedures[self.key]

    @property
    def title(self):
        return escape(self.procedure.title)

    def edit_url(self):
        return self.site.edit_url(self.procedure)

    def render(self, url_for):
        proc = self.procedure
        return self.site.renderer.render_procedure(proc, url_for, self.site.suggestions.get(proc.id, []),
                                                   edit_url=self.edit_url(), report_url=self.site.report_url(proc),
                                                   dated=dated(self.site.handbook, proc.id))


class ProcedureVersionPage(Page):
    """Another version of a procedure than the one in force on the site's
    day (an upcoming one, to read ahead; an earlier one, for dossiers received
    under it).  Out of search and the navigation: the procedure's own page
    is what an officer finds; this one is reached from its notice."""

    kind, search = "procedure-version", SEARCH_OWN
    scripts, from_shell = ProcedurePage.scripts, True

    @property
    def pid(self) -> str:
        return self.key.rsplit("@", 1)[0]

    @property
    def index(self) -> int:
        return int(self.key.rsplit("@", 1)[1])

    @property
    def procedure(self):
        return version_procedure(self.site.handbook, self.pid, self.index)

    @property
    def title(self):
        return escape(f"{self.procedure.title} — {dated(self.site.handbook, self.pid, self.index).shown.label}")

    def edit_url(self):
        return self.site.edit_url(self.procedure)

    def render(self, url_for):
        proc = self.procedure
        return self.site.renderer.render_procedure(proc, url_for, [], edit_url=self.edit_url(),
                                                   report_url=self.site.report_url(proc),
                                                   dated=dated(self.site.handbook, self.pid, self.index))


class Glossary(Page):
    kind, label = "glossary", "Thuật ngữ viết tắt"

    def render(self, url_for):
        return self.site.renderer.render_glossary()


class Schema(Page):
    kind, label = "schema", "Lược đồ tệp thủ tục"

    def render(self, url_for):
        return self.site.renderer.render_schema()


class Triage(Page):
    kind, label, nav, scripts = "triage", "Công dân cần gì?", NAV_FIRST, TRIAGE_SCRIPTS

    def render(self, url_for):
        return self.site.renderer.render_triage(url_for)


class LegalIndex(Page):
    kind, label, search, nav = "legal-index", "Văn bản pháp luật", SEARCH_TITLE, NAV_TOP

    def render(self, url_for):
        return self.site.renderer.render_legal_index(url_for)

    def inputs(self):
        # The registry, and how many procedures cite each document.
        return [_shared(self.site.handbook), self.site.citing()]


class LegalDocument(Page):
    """Not in the navigation: reached from the index and the procedures.
    Many and short: no table of contents."""

    kind, search, toc = "legal", SEARCH_TITLE, False

    @property
    def title(self):
        return escape(self.key)

    def search_text(self):
        # Found by its number and name, e.g. "60/2014/QH13" or "Luật Hộ tịch".
        return escape(self.site.handbook.legal[self.key].title)

    def render(self, url_for):
        return self.site.renderer.render_legal(self.key, url_for)

    def inputs(self):
        # The other registries, the day; of the legal registry, the documents' ids (which are linked)
        # and the entries of this document, of those it amends or replaces and of those they lead to;
        # of the procedures citing these, what the page shows (title, address, article cited). So
        # neither an edit of one procedure's steps nor of one document renders every legal page again.
        hb = self.site.handbook
        docs = [self.key] + [d for d, doc in hb.legal.items() if doc.replaced_by == self.key or self.key in doc.amended_by]
        return [_shared(hb, legal=False), sorted(hb.legal), legal_entries(hb, docs), [[d, self.site.citers(d)] for d in docs]]


def _shared(hb: Handbook, legal: bool = True) -> list:
    """What every page's ``inputs`` holds: the registries and province files
    (their digests), the day and the edition; ``legal`` False: but the legal
    registry's (a page showing nothing of it, or saying what it shows)."""
    files = sorted(hb.registry_digests.items()) if legal else list(other_registries(hb))
    return [files, str(hb.day), str(hb.edition)]


def _shown(hb: Handbook, ids) -> list:
    """Procedures a page shows: each file's content (its version), title and
    field (its address)."""
    return [(pid, p.version, p.title, p.field_id) for pid in ids if (p := hb.procedures.get(pid)) is not None]


def _rows(procedures) -> list:
    """What a list of procedures shows of each (catalogue.html, field_index.html):
    code, title, address, deadline and fees, in the list's order; each row as
    a digest worked out once per loaded file (the catalogue's rows, in full,
    were megabytes to serialise on every rebuild at 5,000 procedures)."""
    return [model.derived(p, "list row", lambda p=p: digest((p.id, p.title, p.field_id, p.code, repr(p.deadline), repr(p.fees))))
            for p in procedures]


class Changes(Page):
    kind, label, search, nav = "changes", "Có gì mới", SEARCH_TITLE, NAV_TOP

    def render(self, url_for):
        return self.site.renderer.render_changes(self.site.history, url_for)


class Upcoming(Page):
    """The change calendar (site/calendar.py), beside "Có gì mới"."""

    kind, label, search, nav = "upcoming", "Sắp có hiệu lực", SEARCH_TITLE, NAV_TOP

    def render(self, url_for):
        return self.site.renderer.render_upcoming(url_for)

    def inputs(self):
        return [_shared(self.site.handbook, legal=False), calendar_inputs(self.site.handbook, self.site.citers, self.site.renderer.calendar_memo())]


class TrainingIndex(Page):
    """The training section's own link in the navigation, where Material has
    no table-of-contents toggle: no table of contents."""

    kind, label, search, nav, toc = "training-index", TRAINING_SECTION, SEARCH_TITLE, NAV_TRAINING, False

    def nav_entry(self):
        return self.src_uri

    def render(self, url_for):
        return self.site.renderer.render_training_index(url_for)

    def inputs(self):
        # Every session, every procedure with a training block and every session's procedures.
        hb = self.site.handbook
        named = {pid for s in hb.sessions.values() for pid in s.procedures}
        return [_shared(hb, legal=False), [repr(s) for s in hb.sessions.values()],
                _shown(hb, [pid for pid, p in hb.procedures.items() if p.training or pid in named])]


class TrainerPage(Page):
    kind, search, nav = "training", SEARCH_TITLE, NAV_TRAINING
    trainer: ClassVar[bool] = True

    @property
    def title(self):
        return escape(self.site.handbook.sessions[self.key].title)

    def render(self, url_for):
        return self.site.renderer.render_training(self.key, self.trainer, url_for)

    def inputs(self):
        # The session's file and its procedures' (their training blocks, versions and titles); of the
        # legal registry, the documents these files name (the trainee's page: none).
        hb = self.site.handbook
        session = hb.sessions[self.key]
        files = [session.path] + [p.path for pid in session.procedures if (p := hb.procedures.get(pid)) is not None]
        cited = legal_entries(hb, set().union(*(hb.legal_refs.get(f, ()) for f in files))) if self.trainer else ()
        return [_shared(hb, legal=False), cited, repr(session), _shown(hb, session.procedures)]


class TraineePage(TrainerPage):
    """No answers, handling or defects: its quiz loads the key (urls.quiz_key) after submitting."""

    kind, nav, scripts = "training-trainee", None, QUIZ_SCRIPTS
    trainer = False

    @property
    def title(self):
        return f"{super().title} — bản học viên"


class ShellPage(Page):
    """The placeholder MkDocs renders at a procedure's depth (or a version's,
    urls.SHELLS); never published (shell.py fills it in for every page
    written from it, then removes it)."""

    kind, label, search, scripts = "shell", shell.TITLE, SEARCH_OWN, ProcedurePage.scripts

    def edit_url(self):
        return shell.EDIT if self.site.repo_url else None

    def render(self, url_for):
        return shell.CONTENT

    def toc_tokens(self, html):
        return [{"level": 2, "id": shell.TOC_ID, "name": shell.TOC_NAME, "children": []}]


KINDS: dict[str, type[Page]] = {cls.kind: cls for cls in (
    Catalogue, Coverage, FieldPage, ProcedurePage, ProcedureVersionPage, Glossary, Schema, Triage, LegalIndex, LegalDocument, Changes, Upcoming,
    TrainingIndex, TrainerPage, TraineePage)}


def site_pages(site: Site, with_shell: bool) -> list[Page]:
    """One object per generated page, in navigation order, and the shells
    the pages written from one need (one per depth)."""
    pages = [KINDS[ref.kind](site, ref) for ref in urls.handbook_pages(site.handbook)]
    if not with_shell:
        return pages
    needed = {urls.shell_for(p.url) for p in pages if p.from_shell}
    return pages + [ShellPage(site, urls.PageRef(url, ShellPage.kind)) for url in urls.SHELLS if url in needed]


def navigation(nav: list, pages: list[Page], nav_title: str) -> list:
    """The configured navigation with the generated sections added (an
    earlier section named ``nav_title`` is replaced).  Procedures are not in
    it: every page carries the navigation, so listing thousands of
    procedures there would make the site quadratic.

    Order, which is also the order of the tabs at the top of a wide screen:
    the first configured entry (the home page), "Công dân cần gì?", the
    procedures, training, the reference lists (NAV_TOP), then the rest of the
    configured navigation (the editors' section last)."""
    placed: dict[str | None, list] = {}
    for page in pages:
        placed.setdefault(page.nav, []).append(page.nav_entry())
    first = placed.get(NAV_FIRST, [])
    nav = [item for item in nav if not (isinstance(item, dict) and nav_title in item) and item not in first]
    return nav[:1] + first + [{nav_title: placed.get(NAV_PROCEDURES, [])},
                              {TRAINING_SECTION: placed.get(NAV_TRAINING, [])}] + placed.get(NAV_TOP, []) + nav[1:]
