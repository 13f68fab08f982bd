"""A full build of the shipped handbook, checked page by page, in each edition the suite builds."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from generator.content.handbook import load_handbook
from generator.urls import procedure_url

from conftest import built_editions

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=built_editions())
def site(request, edition_site):
    return edition_site(request.param)


@pytest.fixture(scope="module")
def handbook():
    hb, _ = load_handbook(REPO)
    return hb


def test_every_procedure_page_has_its_sections(site, handbook):
    for p in handbook.procedures.values():
        html = (site / procedure_url(p) / "index.html").read_text(encoding="utf-8")
        for needle in ("Thời hạn giải quyết", "Phí, lệ phí", 'aria-label="Thành phần hồ sơ"', "Bước 1. ",
                       "Lỗi thường gặp", 'id="can-cu-phap-ly"', "Rà soát lần cuối"):
            assert needle in html, (p.id, needle)
        article = html[html.index("<article"):html.index("</article>")]
        assert not re.search(r"<(ul|ol)[^>]*>\s*</\1>", article), p.id  # no empty sections
        assert html.count('type="checkbox"') >= len(p.dossier) + 5 * len(p.steps)
        if p.unverified:
            assert "Có số liệu cần xác minh" in html


def test_khai_sinh_page(site, handbook):
    html = (site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert re.search(r'Luật Hộ tịch</a> số <a href="../../../van-ban/60-2014-qh13/"[^>]*>60/2014/QH13</a>', html)
    # No repository is configured in the shipped mkdocs.yml: no edit link to a
    # placeholder (with one configured, tests/test_repo_guardrails.py checks them).
    assert "edit/main/" not in html


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def test_no_broken_internal_links_or_anchors(site):
    pages: dict[Path, _Links] = {}
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    broken = []
    for path, parser in pages.items():
        if path.name == "404.html":  # served from any depth, so MkDocs gives it absolute links
            continue
        for href in parser.hrefs:
            if urlsplit(href).scheme or href.startswith(("//", "mailto:", "tel:")):
                continue
            target, fragment = urldefrag(href)
            target = urlsplit(target).path  # a query (?tra-loi=…) does not change the file served
            dest = (path.parent / unquote(target)).resolve() if target else path
            if dest.is_dir():
                dest = dest / "index.html"
            if not dest.exists():
                broken.append(f"{path.relative_to(site)} → {href}")
            elif fragment and dest.suffix == ".html" and fragment not in pages[dest].ids:
                broken.append(f"{path.relative_to(site)} → {href} (không có neo)")
    assert broken == []
