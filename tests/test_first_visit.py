"""A first visit stays small whatever the size of the catalogue: the search
index (which grows with every procedure), the search worker and the
analyser wait until the officer starts to search, and a page loads only
the scripts of its kind.

Pages are served as a compressing web server sends them and every response
of a page load is counted (benchmarks/first_visit.py, which also times the
first search: times belong to the benchmark, not here)."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import first_visit as fv  # noqa: E402
import synthetic  # noqa: E402

from generator.site.build import build_site  # noqa: E402

BUDGET = 100 * 1024  # gzip bytes of every request of a first visit
KHAI_SINH = "thu-tuc/ho-tich/dang-ky-khai-sinh/"
# What only searching needs: the index, Material's search worker, the analyser it loads.
SEARCH_FILES = ("/search/search_index.json", "/assets/javascripts/workers/search.", "/assets/javascripts/lunr/")
PAGES = ["", KHAI_SINH, "thu-tuc/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh/", "thu-tuc/ho-tich/",
         "van-ban/60-2014-qh13/", "dao-tao/ho-tich-co-ban/hoc-vien/", "huong-dan-su-dung/"]


def search_files(files: list[tuple[str, int]]) -> list[str]:
    return [path for path, _ in files if path.startswith(SEARCH_FILES)]


@pytest.fixture(scope="module")
def served(shipped_site):
    with fv.serve(shipped_site) as (url, log):
        yield url, log


@pytest.fixture
def context(chromium):
    context = chromium.new_context()
    yield context
    context.close()


def opened(context, url: str, log: fv.Log, path: str):
    """``path`` loaded and settled; the page, and the log's mark before it
    (``log.since(mark)``: what it downloaded since)."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = log.mark()
    page.goto(url + path)
    fv.settle(page)
    assert errors == []
    return page, start


def results_for(page, query: str) -> list[str]:
    page.fill(fv.SEARCH_INPUT, query)
    page.press(fv.SEARCH_INPUT, "End")  # the theme searches on keyup
    page.wait_for_selector(fv.RESULT, timeout=20000)
    return page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.pathname)")


@pytest.mark.parametrize("path", PAGES)
def test_first_visit_is_small_and_leaves_search_for_later(context, served, path):
    url, log = served
    _, start = opened(context, url, log, path)
    files = log.since(start)
    # The page itself was counted (not always first: the log is written as each
    # response ends, and a small stylesheet may end before the page does).
    assert "/" + path in [f for f, _ in files]
    assert search_files(files) == []
    total = sum(size for _, size in files)
    assert total <= BUDGET, f"/{path}: {total / 1024:.1f} KB gzip > {BUDGET / 1024:.0f} KB: {files}"


@pytest.mark.parametrize("start", ["click", "slash key", "s key", "phone search button"])
def test_search_loads_when_the_officer_starts_to_search(chromium, served, start):
    url, log = served
    phone = start == "phone search button"
    context = chromium.new_context(**({"viewport": {"width": 360, "height": 740}, "has_touch": True} if phone else {}))
    try:
        page, start = opened(context, url, log, KHAI_SINH)
        page.wait_for_timeout(300)
        assert search_files(log.since(start)) == []
        before = log.mark()
        if start == "click":
            page.click(fv.SEARCH_INPUT)
        elif start == "phone search button":
            page.locator("label.md-header__button[for='__search']").click()
        else:
            page.keyboard.press("/" if start == "slash key" else "s")
        page.wait_for_function("document.activeElement.matches('input.md-search__input')")
        found = results_for(page, "khai sinh")
        assert found[0] == "/" + KHAI_SINH
        loaded = search_files(log.since(before))
        assert loaded.count("/search/search_index.json") == 1
        assert any(p.endswith("/lunr.vi.min.js") for p in loaded)
        # A result opens its page as it is: the theme's highlighting of the
        # words found (search.highlight) painted dozens of marks over a procedure.
        page.locator(".md-search-result__link").first.click()
        page.wait_for_url("**/dang-ky-khai-sinh/")
        page.wait_for_selector(".sotay-guide")
        assert page.locator("mark[data-md-highlight]").count() == 0
    finally:
        context.close()


def test_a_page_loads_the_scripts_of_its_kind_only(shipped_site):
    def scripts(rel: str) -> list[str]:
        html = (shipped_site / rel / "index.html").read_text(encoding="utf-8")
        return [s.rsplit("/", 1)[-1] for s in re.findall(r'<script src="([^"]+)"', html) if "/sotay/" in s]

    # feedback.js ("Góp ý về trang này") and edition.js (an out-of-date copy's
    # warning) are loaded by site.js only when needed: tests/test_small_faults.py
    # and tests/test_versions.py use them.
    every = ["site.js"]
    guide = every + ["conditions.js", "duedate.js", "guide.js"]
    assert scripts(KHAI_SINH) == guide
    assert scripts("thu-tuc/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh/") == guide
    assert scripts("dao-tao/ho-tich-co-ban/hoc-vien/") == every + ["quiz.js"]
    assert scripts("cong-dan-can-gi/") == every + ["triage.js"]
    for rel in ["", "thu-tuc/", "thu-tuc/ho-tich/", "dao-tao/ho-tich-co-ban/", "van-ban/", "huong-dan-su-dung/"]:
        assert scripts(rel) == every, rel


# --- a large catalogue --------------------------------------------------------------


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    """1,000 procedures (the real ones among them), built once."""
    root = tmp_path_factory.mktemp("large") / "kho"
    synthetic.make_project(root, 1000, seed=5, with_real=True)
    return build_site(root, root / "site")


def test_first_visit_does_not_grow_with_the_catalogue(chromium, large_site, served):
    index = (large_site / "search/search_index.json").stat().st_size
    assert index > 1_000_000  # what a first visit used to download, before gzip
    small_url, small_log = served
    with fv.serve(large_site) as (url, log):
        for path in ["", KHAI_SINH, "thu-tuc/ho-tich/"]:
            context = chromium.new_context()
            try:
                _, start = opened(context, url, log, path)
                files = log.since(start)
                _, start = opened(context, small_url, small_log, path)
                small = small_log.since(start)
            finally:
                context.close()
            total = sum(size for _, size in files)
            assert search_files(files) == []
            assert total <= BUDGET, f"/{path}: {total / 1024:.1f} KB gzip at 1,000 procedures"
            # The same files as with 47 procedures; only the page itself may differ a little.
            assert sorted(p for p, _ in files) == sorted(p for p, _ in small)
