"""Page kinds: every generated page is an object of one registered kind, and
rendering reads no file and depends on nothing but the page itself."""

import builtins
import pathlib
import subprocess

import pytest

from conftest import REPO
from generator import urls
from generator.content.handbook import load_handbook
from generator.editing.changes import history
from generator.search.index import SimilarProcedures, search_documents
from generator.site import pages
from generator.site.render import Renderer


@pytest.fixture(scope="module")
def site():
    hb, sink = load_handbook(REPO)
    assert not sink.errors
    docs = search_documents(hb)
    return pages.Site(hb, Renderer(hb), SimilarProcedures(docs, 3, {}), docs, history(REPO), "https://github.com/x/y")


def url_for_page(page):
    return lambda target: f"[{page.url}→{target}]"  # depends on the page, so mixing pages up shows


def render_all(items):
    return {p.url: p.render(url_for_page(p)) for p in items}


def test_every_page_has_a_registered_kind_and_one_path(site):
    items = pages.site_pages(site, with_shell=True)
    # A version's own page exists only for a procedure with dated versions (tests/test_versions.py).
    dated = set() if site.handbook.timelines else {pages.ProcedureVersionPage}
    assert {type(p) for p in items} == (set(pages.KINDS.values()) - dated) | {pages.ShellPage}
    assert len({p.url for p in items}) == len(items) == len({p.src_uri for p in items})
    assert sum(isinstance(p, pages.ProcedurePage) for p in items) == len(site.handbook.procedures)


def test_rendering_reads_no_file_and_ignores_order(site, monkeypatch):
    items = [p for p in pages.site_pages(site, with_shell=False)]
    first = render_all(items)  # also loads and compiles the templates

    def refuse(*args, **kwargs):
        raise AssertionError(f"rendering touched the file system or ran a program: {args[:1]}")

    for target, name in ((builtins, "open"), (pathlib.Path, "read_text"), (pathlib.Path, "read_bytes"),
                         (pathlib.Path, "stat"), (subprocess, "run"), (subprocess, "Popen")):
        monkeypatch.setattr(target, name, refuse)
    again = render_all(reversed(items))
    assert again == first
    # Links in content are made relative to the page being rendered, not to the one before.
    khai_sinh = next(p for p in items if p.key == "dang-ky-khai-sinh")
    assert f"[{khai_sinh.url}→" in first[khai_sinh.url]


def test_navigation_places_each_kind(site):
    items = pages.site_pages(site, with_shell=False)
    nav = pages.navigation([{"Trang chủ": "index.md"}, {"Thủ tục hành chính": ["cũ.md"]}], items, "Thủ tục hành chính")
    assert nav[0] == {"Trang chủ": "index.md"}
    assert nav[1] == {"Công dân cần gì?": urls.src_uri(urls.TRIAGE)}
    procedures = next(item["Thủ tục hành chính"] for item in nav if "Thủ tục hành chính" in item)
    assert procedures[0] == {"Danh mục thủ tục": urls.src_uri(urls.CATALOGUE)}
    assert all(urls.CATALOGUE in next(iter(entry.values())) for entry in procedures)
    assert "cũ.md" not in str(nav)
    training = next(item["Đào tạo"] for item in nav if "Đào tạo" in item)
    assert training[0] == urls.src_uri(urls.TRAINING) and len(training) == 1 + len(site.handbook.sessions)
    assert not any(urls.procedure_url(p) in str(nav) for p in site.handbook.procedures.values())


def test_each_build_renders_its_own_handbook(mini, tmp_path):
    """MkDocs keeps one plugin instance per process across builds: a handbook
    handed over for one build must never be shown by the next."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.site.build import build_site

    other = tmp_path / "khac"
    shutil.copytree(mini, other)
    path = other / "procedures/ho-tich/dang-ky-ket-hon.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ten: Đăng ký kết hôn", "ten: Đăng ký kết hôn (bản khác)"),
                    encoding="utf-8")
    build_site(mini, tmp_path / "a")
    config = load_config(str(other / "mkdocs.yml"), site_dir=str(tmp_path / "b"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert "(bản khác)" in (tmp_path / "b/thu-tuc/ho-tich/dang-ky-ket-hon/index.html").read_text(encoding="utf-8")
    assert "(bản khác)" not in (tmp_path / "a/thu-tuc/ho-tich/dang-ky-ket-hon/index.html").read_text(encoding="utf-8")


class ReadLog(dict):
    """A registry that notes which entries are read, and whether it is walked whole."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read, self.walked = set(), False

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def _walk(self, result):
        self.walked = True
        return result

    def __iter__(self):
        return self._walk(super().__iter__())

    def keys(self):
        return self._walk(super().keys())

    def values(self):
        return self._walk(super().values())

    def items(self):
        return self._walk(super().items())


def test_what_a_page_shows_of_the_legal_registry_is_what_its_reuse_key_names(site, monkeypatch):
    """sotay serve renders a procedure page and its memos again after a legal document's
    edit only when the document is one the procedure's file (or a province file) names,
    or one they lead to (inputs.seen_registries); open-data records and lists of
    procedures read nothing of the registry; a legal page reads its document and those it amends
    or replaces.  Reading any other entry would leave a stale page after an edit."""
    from generator.content import legal
    from generator.site.calendar import _version_entries
    from generator.site.opendata import OpenData
    from generator.training.updates import procedure_updates

    hb = site.handbook
    plain = dict(hb.legal)
    log = ReadLog(plain)
    monkeypatch.setattr(hb, "legal", log)
    items = [p for p in pages.site_pages(site, with_shell=False)]
    checked = {}
    for page in items:
        log.read, log.walked = set(), False
        if isinstance(page, (pages.ProcedurePage, pages.ProcedureVersionPage)):
            pid = page.procedure.id
            OpenData(hb, "/").procedure(hb.procedures[pid])
            assert not log.walked and not log.read, page.url  # its record: nothing (opendata.write_open_data)
            if pid in hb.timelines:
                _version_entries(hb, pid)
                assert not log.walked and not log.read, page.url  # the calendar's entries: nothing
                procedure_updates(hb, pid)
            page.render(url_for_page(page))
            allowed = legal.reach(plain, hb.legal_refs[page.procedure.path] | hb.shared_legal_refs)
            assert not log.walked, page.url
            assert log.read <= allowed, (page.url, log.read - allowed)
        elif isinstance(page, pages.Upcoming):
            from generator.site import calendar
            hb.legal = plain
            changing = list(calendar._changing_documents(hb))
            hb.legal = log
            # Which documents change is found by a walk of the registry, the same for its key and its body.
            monkeypatch.setattr(calendar, "_changing_documents", lambda hb: iter(changing))
            page.render(url_for_page(page))
            allowed = legal.reach(plain, [d for d, _, _ in changing])
            assert log.read <= allowed, (page.url, log.read - allowed)
        elif isinstance(page, pages.TrainerPage):
            session = hb.sessions[page.key]
            files = [session.path] + [hb.procedures[pid].path for pid in session.procedures]
            page.render(url_for_page(page))  # (the updates of every procedure: read above, each its own)
            allowed = legal.reach(plain, set().union(*(hb.legal_refs.get(f, ()) for f in files))) if page.trainer else set()
            assert not log.walked, page.url
            assert log.read <= allowed, (page.url, log.read - allowed)
        elif isinstance(page, (pages.Catalogue, pages.FieldPage, pages.TrainingIndex)):
            page.render(url_for_page(page))
            assert not log.walked and not log.read, page.url
        elif isinstance(page, pages.LegalDocument):
            related = [d for d, doc in plain.items() if doc.replaced_by == page.key or page.key in doc.amended_by]
            page.render(url_for_page(page))
            allowed = legal.reach(plain, [page.key, *related])
            assert log.read <= allowed, (page.url, log.read - allowed)
        else:
            continue
        checked[type(page)] = checked.get(type(page), 0) + 1
    assert checked[pages.ProcedurePage] == len(hb.procedures)
    assert checked[pages.ProcedureVersionPage] and checked[pages.LegalDocument] and checked[pages.FieldPage]
    assert checked[pages.TrainerPage] and checked[pages.TraineePage] and checked[pages.TrainingIndex]
    assert checked[pages.Upcoming] == 1
