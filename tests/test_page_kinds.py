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
from generator.search.index import search_documents, similar_procedures
from generator.site import pages
from generator.site.render import Renderer


@pytest.fixture(scope="module")
def site():
    hb, sink = load_handbook(REPO)
    assert not sink.errors
    docs = search_documents(hb)
    return pages.Site(hb, Renderer(hb), similar_procedures(docs, 3, {}), docs, history(REPO), "https://github.com/x/y")


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
