"""Search quality on the query set (tests/search/queries.yml): the CLI search
and the site's search box in Chromium must each reach hit@1 ≥ 0.85 and
hit@3 ≥ 0.95, in the national edition and a provincial one (each edition
fills the placeholders with its own words, so the indexed text differs).
The figures are printed (pytest -s, or in the failure)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.cli.edition import edition_for
from generator.content.edition import Edition
from generator.content.handbook import load_handbook
from generator.content.provinces import NATIONAL, province_id
from generator.search.index import SearchIndex, search_documents

from conftest import built_editions, serve_directory

sys.path.insert(0, str(Path(__file__).parent / "search"))
from quality import evaluate, load_queries  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HIT1, HIT3 = 0.85, 0.95
# The browser runs take seconds each: the default edition (a province's) and the national one.
SITE_EDITIONS = [edition_for(REPO).province or NATIONAL, NATIONAL]


def check(report, name):
    summary = report.summary(name)
    print("\n" + summary)
    assert report.hit1 >= HIT1 and report.hit3 >= HIT3, summary + "\n" + "\n".join(report.misses())
    # A citizen's own words for a procedure must reach it, each one, not only on average.
    assert report.everyday_misses() == [], "Ngoài 3 kết quả đầu:\n" + "\n".join(report.everyday_misses())


def test_query_set_is_big_and_points_at_real_procedures():
    hb, _ = load_handbook(REPO)
    queries = load_queries()
    assert len(queries) >= 60
    assert {q["id"] for q in queries} <= set(hb.procedures)
    assert {q["loai"] for q in queries} == {"co-dau", "khong-dau", "doi-thuong", "go-sai", "mot-phan"}


def test_every_procedure_has_an_everyday_words_query():
    # One query at least in the words citizens use at the desk ("sổ đỏ", "lên thổ cư"…), per procedure.
    hb, _ = load_handbook(REPO)
    everyday = {q["id"] for q in load_queries() if q["loai"] == "doi-thuong"}
    assert sorted(set(hb.procedures) - everyday) == []


def test_search_editions_are_the_national_one_and_a_provincial_one():
    assert SITE_EDITIONS[1] == NATIONAL and province_id(SITE_EDITIONS[0]) is not None
    assert set(SITE_EDITIONS) <= set(built_editions())


@pytest.mark.parametrize("name", built_editions())
def test_cli_search_quality(name):
    hb, sink = load_handbook(REPO, edition=Edition(province=province_id(name)))
    assert not sink.errors
    index = SearchIndex.open(REPO, search_documents(hb))
    try:
        check(evaluate(lambda q: [h.doc.id for h in index.search(q, limit=10)]), f"Tìm kiếm CLI (whoosh), ấn bản {name}")
    finally:
        index.close()


def site_search(page, query: str) -> list[str]:
    """Type ``query`` into the site's search box; the procedure ids listed, in order."""
    # Material reads the box on keyup: fill, then release a key as a typist would.
    page.fill("input.md-search__input", "")
    page.press("input.md-search__input", "End")
    page.wait_for_function("!document.querySelector('.md-search-result__item')")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    # Results arrive from a web worker: wait until the list says how many it found.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && /\\d|Không/.test(m.textContent) }",
        timeout=15000,
    )
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > a", "links => links.map(a => a.pathname)"
    )
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs if "/thu-tuc/" in h]


@pytest.fixture(scope="module", params=SITE_EDITIONS)
def search_edition(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def search_page(search_edition, chromium, edition_site):
    with serve_directory(edition_site(search_edition)) as url:
        page = chromium.new_page()
        page.goto(url)
        page.focus("input.md-search__input")
        yield page
        page.close()


def test_site_search_finds_dang_ky_ket_hon_without_diacritics(search_page):
    assert site_search(search_page, "dang ky ket hon")[0] == "dang-ky-ket-hon"


def test_site_search_quality(search_page, search_edition):
    check(evaluate(lambda q: site_search(search_page, q)), f"Tìm kiếm trên trang (lunr, Chromium), ấn bản {search_edition}")
