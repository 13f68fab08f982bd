"""The handbook without a network: `sotay build --offline` opened from disk
(file://), `sotay export --zip`, and no request outside the site, ever.

Browser tests use Debian's Chromium through Playwright; every request is
watched at the browser context and anything that leaves the site (another
host, a CDN, GitHub's API) is aborted and listed in the failure."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.cli.edition import edition_for
from generator.content.edition import today_in_vietnam
from generator.site.export import default_zip_name

from generator.site import export
from generator.site.build import build_site

from conftest import REPO
from test_loader import KHAI_SINH, replace_in

PROCEDURE = "thu-tuc/ho-tich/dang-ky-khai-sinh/"
LINK = re.compile(r'\b(?:href|src)="([^"]*)"')
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # http:, mailto:, data:, //host …


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    """The shipped handbook built for opening from disk; tests only read it."""
    return build_site(REPO, tmp_path_factory.mktemp("offline") / "site", offline=True)


def file_url(site: Path, rel: str) -> str:
    return (site / rel).as_uri()


def broken_local_links(site: Path) -> list[str]:
    """Links and scripts in the site's pages that do not name a file of the
    site: a folder (works over http, a directory listing under file://), a
    missing file, or a link from the server root ("/…")."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html" and page.parent == site:
            continue  # for web servers only: its links start at the server root
        for target in set(LINK.findall(page.read_text(encoding="utf-8"))):
            target = target.replace("&amp;", "&")
            if not target or target.startswith("#") or EXTERNAL.match(target):
                continue
            path = unquote(urlsplit(target).path)
            resolved = (page.parent / path).resolve()
            if path.startswith("/") or not resolved.is_file() or site.resolve() not in resolved.parents:
                broken.append(f"{page.relative_to(site)}: {target}")
    return broken


# --- the offline build ------------------------------------------------------


def test_offline_links_name_files_not_folders(offline_site):
    assert (offline_site / "index.html").is_file()
    assert (offline_site / PROCEDURE / "index.html").is_file()
    assert broken_local_links(offline_site) == []
    html = (offline_site / PROCEDURE / "index.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in html  # the field's page, from the page body (our templates)
    assert 'href="../../../van-ban/60-2014-qh13/index.html"' in html  # a legal document


def test_offline_search_index_is_our_lean_index_inlined(offline_site, shipped_site):
    """Our index rewrite runs before Material's offline plugin copies the
    index into search_index.js (both at priority -100, ours listed first)."""
    lean = (offline_site / "search/search_index.json").read_text(encoding="utf-8")
    assert (offline_site / "search/search_index.js").read_text(encoding="utf-8") == "var __index = " + lean
    offline_docs = json.loads(lean)["docs"]
    normal_docs = json.loads((shipped_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert sorted(d["title"] for d in offline_docs) == sorted(d["title"] for d in normal_docs)
    entry = next(d for d in offline_docs if d["location"] == PROCEDURE + "index.html")
    assert entry["keywords"] and entry["title"] == "Đăng ký khai sinh"
    assert not any(d["location"].endswith("/") for d in offline_docs)
    # Our Vietnamese analyser replaces the theme's, as in the normal site.
    ours = REPO / "generator/site/theme/assets/javascripts/lunr/min/lunr.vi.min.js"
    assert (offline_site / "assets/javascripts/lunr/min/lunr.vi.min.js").read_bytes() == ours.read_bytes()


@pytest.mark.parametrize("which", ["normal", "offline"])
def test_no_page_names_a_resource_outside_the_site(which, offline_site, shipped_site):
    site = offline_site if which == "offline" else shipped_site
    found = {}
    for page in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        text = page.read_text(encoding="utf-8")
        # What the page loads by itself, not links the reader may follow.
        urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", text)
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>", text):
            if tag.startswith("<link") and not re.search(r'rel="(?:stylesheet|preconnect|preload|modulepreload|icon|manifest)', tag):
                continue
            urls += re.findall(r'\b(?:src|href|srcset|data)="([^"]*)"', tag)
        for url in urls:
            if re.match(r"\s*(?:https?:)?//", url):
                found.setdefault(url, str(page.relative_to(site)))
    assert found == {}


def test_build_offline_command(mini, run):
    replace_in(mini, KHAI_SINH, "- ten: Tờ khai đăng ký khai sinh",
               "- ten: Tờ khai đăng ký khai sinh\n    tep_mau: mau/to-khai-khai-sinh.pdf")
    result = run("build", "--offline")
    assert result.exit_code == 0, result.output
    assert "không cần mạng" in result.output and "index.html" in result.output
    site = mini / "site"
    assert (site / PROCEDURE / "index.html").is_file() and (site / "search/search_index.js").is_file()
    assert broken_local_links(site) == []
    # The template file a procedure offers for download is linked by its file name.
    assert "../../../mau/to-khai-khai-sinh.pdf" in (site / PROCEDURE / "index.html").read_text(encoding="utf-8")


# --- in the browser ---------------------------------------------------------


class Watched:
    """A browser context whose requests outside ``local`` are aborted and kept."""

    def __init__(self, browser, local):
        self.context = browser.new_context()
        self.local = local
        self.outside: set[str] = set()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.context.on("request", self._seen)

    def _is_local(self, url: str) -> bool:
        return url.startswith(("data:", "blob:", "about:")) or self.local(url)

    def _seen(self, request):
        self.requests.append(request.url)
        if not self._is_local(request.url):
            self.outside.add(request.url)

    def _route(self, route):
        if self._is_local(route.request.url):
            route.continue_()
        else:
            self.outside.add(route.request.url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page

    def close(self):
        self.context.close()


def search(page, query: str) -> list[str]:
    """The result links for ``query`` typed into the theme's search box."""
    page.wait_for_load_state("load")
    page.focus("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return [a.get_attribute("href") for a in page.query_selector_all(".md-search-result__link")]


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


@pytest.mark.parametrize("which", ["normal over http", "offline over file://"])
def test_pages_and_search_make_no_request_outside_the_site(chromium, which, shipped_url, offline_site):
    if which == "normal over http":
        base, pages = shipped_url, ["", PROCEDURE, "thu-tuc/", "thuat-ngu/"]
    else:
        base = offline_site.as_uri() + "/"
        pages = ["index.html", PROCEDURE + "index.html", "thu-tuc/index.html", "thuat-ngu.html"]
    browser = Watched(chromium, lambda url: url.startswith(base))
    try:
        page = browser.page()
        for rel in pages:
            page.goto(base + rel)
            page.wait_for_load_state("load")
        assert search(page, "khai sinh")
        page.wait_for_timeout(300)  # anything the theme fetches late
        assert sorted(browser.outside) == [], f"yêu cầu ra ngoài trang ({which})"
        assert browser.errors == []
        assert any(path_of(u).endswith("/lunr/min/lunr.vi.min.js") for u in browser.requests)
    finally:
        browser.close()


@pytest.fixture
def offline_browser(chromium, offline_site):
    browser = Watched(chromium, lambda url: url.startswith("file://"))
    yield browser
    assert sorted(browser.outside) == []
    assert browser.errors == []
    browser.close()


@pytest.mark.parametrize("query, expected", [
    ("dang ky khai sinh", "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html"),
    ("đăng ký kết hôn", "thu-tuc/ho-tich/dang-ky-ket-hon/index.html"),
])
def test_search_from_disk_finds_the_procedure(offline_browser, offline_site, query, expected):
    page = offline_browser.page()
    page.goto(file_url(offline_site, "index.html"))
    results = search(page, query)
    assert path_of(results[0]) == (offline_site / expected).as_posix(), results[:3]
    # Our analyser ran in the search worker (under file:// an iframe, by our
    # copy of the iframe-worker shim): the unaccented query could only match
    # through its folding.
    assert any(u.startswith("file://") and u.endswith("/lunr/min/lunr.vi.min.js") for u in offline_browser.requests)
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == (offline_site / expected).as_posix()
    assert page.locator("article h1").first.is_visible()


@pytest.mark.parametrize("rel", ["index.html", PROCEDURE + "index.html"])
def test_from_disk_the_index_waits_for_the_first_search(offline_browser, offline_site, rel):
    """Opened from disk too, a page reads the search index (search_index.js,
    the whole catalogue) and starts the search worker only once the officer
    starts to search."""
    page = offline_browser.page()
    page.goto(file_url(offline_site, rel))
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)

    def searching() -> list[str]:
        return [u for u in offline_browser.requests
                if path_of(u).endswith(("/search/search_index.js", "/lunr/min/lunr.vi.min.js")) or "/workers/search." in u]

    assert searching() == []
    assert path_of(search(page, "khai sinh")[0]) == (offline_site / PROCEDURE / "index.html").as_posix()
    assert len(searching()) >= 3  # the index, the worker, our analyser


def test_navigation_from_disk(offline_browser, offline_site):
    page = offline_browser.page()
    page.goto(file_url(offline_site, "index.html"))
    home_title = page.title()
    page.locator("article a", has_text="Danh mục thủ tục").first.click()
    page.wait_for_load_state("load")
    assert path_of(page.url).endswith("/thu-tuc/index.html")
    assert "Danh mục thủ tục" in page.title()
    page.locator("article a", has_text="Đăng ký khai sinh").first.click()
    page.wait_for_load_state("load")
    assert path_of(page.url).endswith("/" + PROCEDURE + "index.html")
    assert page.locator("article h1").first.inner_text() == "Đăng ký khai sinh"
    # Back home by the logo, then by the navigation.
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_load_state("load")
    assert path_of(page.url) == (offline_site / "index.html").as_posix() and page.title() == home_title
    page.go_back()
    assert path_of(page.url).endswith("/" + PROCEDURE + "index.html")
    page.locator("nav.md-tabs a.md-tabs__link[href$='index.html']").first.click()  # the "Trang chủ" tab
    page.wait_for_load_state("load")
    assert page.title() == home_title


def test_guided_checklist_from_disk(offline_browser, offline_site):
    page = offline_browser.page()
    page.goto(file_url(offline_site, PROCEDURE + "index.html"))
    data = json.loads(page.locator("#sotay-data").text_content())
    first = data["questions"][0]
    key = first["key"]

    def shown_by(condition):
        """The answer to the first question that alone shows an item, or None."""
        if condition == ["q", key]:
            return True
        if condition[:3] == ["cmp", "=", ["q", key]] and condition[3][0] == "v":
            return condition[3][1]
        return None

    item, value = next((i, v) for i, c in data["conditions"].items() if (v := shown_by(c)) is not None)
    label = {True: "Có", False: "Không"}[value] if isinstance(value, bool) else dict(first["choices"])[value]
    assert page.locator(".sotay-guide-nojs").is_hidden()
    assert page.locator(f"#{item}").is_hidden()
    page.locator(f"[data-question={key}]").get_by_label(label, exact=True).check()
    assert page.locator(f"#{item}").is_visible()
    if len(data["questions"]) > 1:
        assert page.locator("[data-question]").count() == 2  # the next question appears


def test_desk_forms_from_disk(offline_browser, offline_site):
    """The forms' script loads from the copy on disk (site.js finds it beside
    itself) and fills Mẫu 01 from the case."""
    page = offline_browser.page()
    page.goto(file_url(offline_site, PROCEDURE + "index.html"))
    page.locator(".sotay-dossier > li:not([hidden]) label").first.click()
    page.locator("#bieu-mau > summary").click()
    sheet = page.locator(".sotay-form-preview .sotay-form-sheet")
    sheet.wait_for()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in sheet.inner_text()
    assert "1. " in page.locator(".sotay-form-items").inner_text()
    assert any(u.startswith("file://") and u.endswith("/sotay/forms.js") for u in offline_browser.requests)


# --- sotay export --zip ------------------------------------------------------


def test_export_zip_opens_with_index_html(mini, run, tmp_path, chromium):
    dest = tmp_path / "usb" / "so-tay-xa.zip"
    result = run("export", "--zip", str(dest))
    assert result.exit_code == 0, result.output
    assert str(dest) in result.output and "giải nén rồi mở index.html" in result.output
    with zipfile.ZipFile(dest) as archive:
        names = archive.namelist()
        assert {n.split("/", 1)[0] for n in names} == {"so-tay-xa"}  # one top folder
        for name in ["index.html", "search/search_index.js", "MO-TRANG-NAY.txt", PROCEDURE + "index.html",
                     "assets/javascripts/iframe-worker/shim.js", "assets/javascripts/lunr/min/lunr.vi.min.js"]:
            assert f"so-tay-xa/{name}" in names, name
        assert not [n for n in names if n.endswith(".map") or "lunr.de." in n or n.endswith("/404.html")]
        readme = archive.read("so-tay-xa/MO-TRANG-NAY.txt").decode("utf-8-sig")
        assert "Giải nén" in readme and "index.html" in readme and "so-tay-xa" in readme
        for name in names:
            if name.endswith((".html", ".js", ".json", ".css", ".txt")):
                text = archive.read(name).decode("utf-8")
                # Nothing from the machine that built it; pages name no CDN
                # (the theme's bundle mentions some for features we do not use).
                hosts = ["127.0.0.1", "localhost"] + (["unpkg.com", "api.github.com", "fonts.g"] if name.endswith(".html") else [])
                assert not [h for h in hosts if h in text], name
        archive.extractall(tmp_path / "unzipped")
    site = tmp_path / "unzipped/so-tay-xa"
    assert broken_local_links(site) == []
    # Unzipped, it works from disk: search with our analyser finds the page.
    browser = Watched(chromium, lambda url: url.startswith("file://"))
    try:
        page = browser.page()
        page.goto(file_url(site, "index.html"))
        results = search(page, "ket hon")
        assert path_of(results[0]) == (site / "thu-tuc/ho-tich/dang-ky-ket-hon/index.html").as_posix()
        assert sorted(browser.outside) == [] and browser.errors == []
    finally:
        browser.close()
    assert [p.name for p in dest.parent.iterdir()] == ["so-tay-xa.zip"]  # no temporary file left


def test_export_zip_default_name_in_the_current_folder(mini, run):
    result = run("export", "--zip")
    assert result.exit_code == 0, result.output
    expected = mini / default_zip_name(edition=edition_for(mini))  # so-tay-<edition>-<today>.zip
    assert expected.name == f"so-tay-toan-quoc-{today_in_vietnam().isoformat()}.zip"
    assert expected.is_file() and str(expected) in result.output
    with zipfile.ZipFile(expected) as archive:
        assert f"{expected.stem}/index.html" in archive.namelist()


def test_failed_build_leaves_no_zip(mini, run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    replace_in(mini, KHAI_SINH, "tom_tat:", "tomtat:")
    result = run("export", "--zip", str(out / "so-tay.zip"))
    assert result.exit_code == 1 and "tomtat" in result.output
    assert list(out.iterdir()) == []


def test_interrupted_zip_leaves_no_partial_file(mini, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_zip = export._write_zip

    def interrupted(site, folder, path):
        write_zip(site, folder, path)
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "_write_zip", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.export_zip(mini, out / "so-tay.zip")
    assert list(out.iterdir()) == []
