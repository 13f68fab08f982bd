"""Every site path, in one place: the pages a build writes and the internal
link targets content may name (as datasette's ``url_builder`` owns its URLs).

A path here is relative to the site root and ends with "/" ("thu-tuc/ho-tich/"),
as MkDocs spells directory URLs; content writes the same path from the root
("/thu-tuc/ho-tich/").  ``generated_pages`` is the one list of the pages the
build generates: the plugin registers exactly these, and the link checker
accepts exactly these plus the hand-written pages, so the two never disagree.
No other module spells a site path (tests/test_urls.py checks that).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .textutil import slugify

CATALOGUE = "thu-tuc/"
COVERAGE = "do-phu/"  # per field: full procedures and registry-only entries (content/catalogue.py)
TRIAGE = "cong-dan-can-gi/"
LEGAL_INDEX = "van-ban/"
CHANGES = "co-gi-moi/"
UPCOMING = "sap-co-hieu-luc/"  # the change calendar
TRAINING = "dao-tao/"
GLOSSARY = "thuat-ngu/"
SCHEMA = "bien-tap/luoc-do/"
# MkDocs renders one placeholder page at a procedure's depth; every procedure
# page is that shell filled in (site/shell.py).  Never published, never a link target.
SHELL_DIR = f"{CATALOGUE}_khung/"
SHELL = f"{SHELL_DIR}trang/"
# The same for a procedure's other versions, one folder deeper (procedure_version).
SHELL_VERSION = f"{SHELL}phien-ban/"
SHELLS = (SHELL, SHELL_VERSION)


def shell_for(url: str) -> str:
    """The shell at the depth of ``url`` (a procedure's page or a version's)."""
    return next(s for s in SHELLS if s.count("/") == url.count("/"))
# Open data (site/opendata.py): files, not pages; written with each build, never link targets.
OPEN_DATA = "du-lieu/"
CATALOGUE_JSON = f"{OPEN_DATA}danh-muc.json"
CATALOGUE_CSV = f"{OPEN_DATA}danh-muc.csv"
OPEN_DATA_SCHEMA = f"{OPEN_DATA}du-lieu-mo.schema.json"
PROCEDURE_SCHEMA = f"{OPEN_DATA}thu-tuc.schema.json"
QUIZ_KEY_FILE = "dap-an.js"  # beside the trainee page, loaded by quiz.js only after submitting


def procedure(field_id: str, procedure_id: str) -> str:
    return f"{CATALOGUE}{field_id}/{procedure_id}/"


def procedure_url(p) -> str:
    """The page of a loaded procedure (anything with ``field_id`` and ``id``)."""
    return procedure(p.field_id, p.id)


def procedure_version(field_id: str, procedure_id: str, start: str | None, end: str | None = None) -> str:
    """The page of a procedure's version other than the one in force on the
    site's day: "…/ap-dung-tu-2027-03-01/" from its start (ISO date); an
    undated first version, "…/ap-dung-truoc-2027-03-01/" (before the next)."""
    tail = f"ap-dung-tu-{start}" if start else f"ap-dung-truoc-{end}"
    return f"{procedure(field_id, procedure_id)}{tail}/"


def procedure_data(procedure_id: str) -> str:
    """A procedure's open-data record: "du-lieu/thu-tuc/<id>.json"."""
    return f"{OPEN_DATA}thu-tuc/{procedure_id}.json"


def registry_entry(entry_id: str) -> str:
    """Where a registry-only entry (no full page) is listed: its line on the coverage page."""
    return f"{COVERAGE}#{registry_anchor(entry_id)}"


def registry_anchor(entry_id: str) -> str:
    return f"dm-{entry_id}"


def field(field_id: str) -> str:
    return f"{CATALOGUE}{field_id}/"


def legal(doc_id: str) -> str:
    """van-ban/123-2015-nd-cp/ for "123/2015/NĐ-CP"."""
    return f"{LEGAL_INDEX}{slugify(doc_id)}/"


def training(session_id: str) -> str:
    """The trainer's page of a session."""
    return f"{TRAINING}{session_id}/"


def trainee(session_id: str) -> str:
    return f"{TRAINING}{session_id}/hoc-vien/"


def quiz_key(session_id: str) -> str:
    """The trainee page's answer key (a script beside it)."""
    return trainee(session_id) + QUIZ_KEY_FILE


def markdown_page(rel: str) -> str:
    """The page MkDocs makes of a hand-written file, "huong-dan/index.md" →
    "huong-dan/", "quy-trinh.md" → "quy-trinh/", "index.md" → ""."""
    stem = rel.rsplit(".", 1)[0]
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


# Generated pages that mkdocs.yml's navigation names by a file of their own.
NAMED_SOURCES = {GLOSSARY: "thuat-ngu.md", SCHEMA: "bien-tap/luoc-do.md"}


def src_uri(url: str) -> str:
    """The (generated, empty) Markdown source MkDocs is given for a page."""
    return NAMED_SOURCES.get(url, url + "index.md")


def file_url(url: str, directory_urls: bool) -> str:
    """"thu-tuc/x/" as MkDocs writes that page: the same with directory URLs,
    "thu-tuc/x/index.html" without them (offline builds, opened from disk);
    a fragment ("do-phu/#dm-x") stays after the file."""
    if "#" in url:
        page, fragment = url.split("#", 1)
        return file_url(page, directory_urls) + "#" + fragment
    if directory_urls or not (url == "" or url.endswith("/")):
        return url
    return url + "index.html"


def output_file(url: str, directory_urls: bool) -> str:
    """The file under site_dir that holds a page."""
    target = file_url(url, directory_urls)
    return target + "index.html" if target == "" or target.endswith("/") else target


@dataclass(frozen=True)
class PageRef:
    """One generated page: its path, its kind (a key of site/pages.py's
    registry) and what it shows (a field id, a document number…)."""

    url: str
    kind: str
    key: str = ""


def generated_pages(*, procedures: Iterable[tuple[str, str]], legal_ids: Iterable[str],
                    session_ids: Iterable[str], field_ids: Iterable[str], triage: bool,
                    versions: Iterable[tuple[str, str, int, str | None, str | None]] = ()) -> list[PageRef]:
    """Every page the build generates, in navigation order.  ``procedures``
    are (field id, procedure id) pairs; ``field_ids`` the fields that have
    procedures, in display order; ``versions`` the other versions of
    procedures (field id, procedure id, index of the version, its start and
    end as ISO dates), whose pages are keyed "<procedure id>@<index>"."""
    pages = [PageRef(CATALOGUE, "catalogue"), PageRef(COVERAGE, "coverage"), PageRef(GLOSSARY, "glossary"),
             PageRef(SCHEMA, "schema")]
    if triage:
        pages.append(PageRef(TRIAGE, "triage"))
    pages.append(PageRef(LEGAL_INDEX, "legal-index"))
    pages += [PageRef(legal(doc_id), "legal", doc_id) for doc_id in legal_ids]
    pages.append(PageRef(CHANGES, "changes"))
    pages.append(PageRef(UPCOMING, "upcoming"))
    pages.append(PageRef(TRAINING, "training-index"))
    for session_id in session_ids:
        pages += [PageRef(training(session_id), "training", session_id), PageRef(trainee(session_id), "training-trainee", session_id)]
    pages += [PageRef(field(field_id), "field", field_id) for field_id in field_ids]
    pages += [PageRef(procedure(field_id, pid), "procedure", pid) for field_id, pid in procedures]
    pages += [PageRef(procedure_version(field_id, pid, start, end), "procedure-version", f"{pid}@{index}")
              for field_id, pid, index, start, end in versions]
    return pages


def handbook_pages(hb) -> list[PageRef]:
    """The generated pages of a loaded handbook."""
    groups = hb.by_field()
    return generated_pages(
        procedures=[(p.field_id, p.id) for items in groups.values() for p in items],
        legal_ids=list(hb.legal), session_ids=list(hb.sessions), field_ids=list(groups), triage=bool(hb.triage),
        versions=[(hb.procedures[pid].field_id, pid, i, _iso(period.start), _iso(period.end))
                  for pid, periods in sorted(hb.timelines.items()) for i, period in enumerate(periods)
                  if i != _current(periods, hb.day)],
    )


def _current(periods, day) -> int:
    """The index of the version in force on ``day`` (as content/versions.py's period_on)."""
    return max((i for i, x in enumerate(periods) if x.start is None or x.start <= day), default=0)


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def link(url: str) -> str:
    """A page's path as content writes it, from the site root: "/thu-tuc/"."""
    return "/" + url


def link_targets(pages: Iterable[PageRef], markdown: Iterable[str]) -> set[str]:
    """The paths ("/thu-tuc/ho-tich/") an inline link in content may point to:
    every generated page and every hand-written page (``markdown``: paths of
    the .md files relative to the pages folder)."""
    return {link(p.url) for p in pages} | {link(markdown_page(rel)) for rel in markdown}
