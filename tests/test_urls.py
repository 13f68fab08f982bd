"""One owner for site paths: every page a build writes is a valid link
target, every link target is a page the build writes, and no module but
generator/urls.py spells a site path."""

import ast
import re
from pathlib import Path

import pytest

from conftest import REPO
from generator import urls
from generator.content.handbook import load_handbook
from generator.site.build import build_site

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"


@pytest.fixture
def full(trained) -> Path:
    """The mini handbook with a training session and a hand-written page in a sub-folder."""
    mini = trained
    (mini / "handbook/huong-dan").mkdir()
    (mini / "handbook/huong-dan/index.md").write_text("# Hướng dẫn\n", encoding="utf-8")
    (mini / "handbook/huong-dan/in-an.md").write_text("# In ấn\n", encoding="utf-8")
    return mini


def link_errors(root: Path, target: str) -> list[str]:
    """Errors of the handbook after linking to ``target`` from a procedure's summary."""
    path = root / KHAI_SINH
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tom_tat: Đăng ký khai sinh cho trẻ em,", f"tom_tat: Xem [trang]({target}); khai sinh cho trẻ em,"),
                    encoding="utf-8")
    try:
        _, sink = load_handbook(root)
        return [e.format() for e in sink.errors]
    finally:
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("target", [
    "/dao-tao/", "/dao-tao/ho-tich-co-ban/", "/dao-tao/ho-tich-co-ban/hoc-vien/", "/van-ban/60-2014-qh13/",
    "/van-ban/", "/co-gi-moi/", "/sap-co-hieu-luc/", "/thuat-ngu/", "/bien-tap/luoc-do/", "/thu-tuc/", "/thu-tuc/ho-tich/",
    "/thu-tuc/ho-tich/dang-ky-ket-hon/", "/huong-dan/", "/huong-dan/in-an/", "/",
])
def test_links_to_generated_and_written_pages_validate(full, target):
    assert link_errors(full, target) == []


@pytest.mark.parametrize("target", [
    "/dao-tao/khong-co/", "/van-ban/99-2099-qh99/", "/thu-tuc/dat-dai/", "/thu-tuc/ho-tich/khong-co/",
    "/thu-tuc/_khung/trang/", "/dao-tao/ho-tich-co-ban/hoc-vien/dap-an.js", "/huong-dan/khong-co/",
])
def test_links_to_pages_the_build_does_not_write_are_refused(full, target):
    errors = link_errors(full, target)
    assert len(errors) == 1 and f"'{target}'" in errors[0]
    assert errors[0].startswith(KHAI_SINH + ":")


def built_pages(site: Path) -> set[str]:
    """Every page of a built site, as content links to it ("/thu-tuc/")."""
    pages = set()
    for html in site.rglob("index.html"):
        rel = html.parent.relative_to(site).as_posix()
        pages.add("/" if rel == "." else f"/{rel}/")
    return pages


def test_link_targets_are_exactly_the_built_pages(full, tmp_path):
    site = build_site(full, tmp_path / "site")
    hb, _ = load_handbook(full)
    pages = built_pages(site) - {"/search/"}  # Material's own search page holds no content
    targets = urls.link_targets(urls.handbook_pages(hb), hb.markdown)
    assert pages == targets
    assert {"/dao-tao/", "/dao-tao/ho-tich-co-ban/hoc-vien/", "/van-ban/60-2014-qh13/", "/huong-dan/in-an/"} <= targets


# Site paths as code would spell them: "thu-tuc/…", "/van-ban/…", "dap-an.js"…
SITE_PATH = re.compile(r"(?<![\w/.-])/?(thu-tuc|van-ban|dao-tao|co-gi-moi|cong-dan-can-gi|thuat-ngu|bien-tap/luoc-do|hoc-vien)/"
                       r"|_khung|dap-an\.js")


def spelled_paths(path: Path) -> list[str]:
    """String constants in a module that spell a site path (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if SITE_PATH.search(node.value):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    return found


def test_no_module_but_urls_spells_a_site_path():
    modules = [p for p in (REPO / "generator").rglob("*.py") if p != REPO / "generator/urls.py"]
    assert len(modules) > 30
    assert [hit for p in modules for hit in spelled_paths(p)] == []
    assert spelled_paths(REPO / "generator/urls.py")  # the check does see paths where they are


def test_templates_link_through_the_url_owner():
    """Templates get paths from urls.py (procedure_url, legal_url…), never a literal href."""
    literal = re.compile(r'href="/?(?:thu-tuc|van-ban|dao-tao|co-gi-moi|cong-dan-can-gi|thuat-ngu|bien-tap)/')
    hits = [f"{t.name}: {m.group()}" for t in (REPO / "generator/site/templates").glob("*.html")
            for m in literal.finditer(t.read_text(encoding="utf-8"))]
    assert hits == []
