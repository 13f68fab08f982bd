"""No dead end in search: the commune-level catalogue's entries that have no
full page are found (CLI and site, same analyser and synonyms), marked, and
ranked below full procedures of equal match; a query that finds nothing
says so and points to the national portal's search."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from generator.content.catalogue import PORTAL_SEARCH
from generator.search.index import REGISTRY_BOOST, SearchDoc, SearchIndex
from generator.search.whooshindex import computed
from test_search_quality import site_search  # noqa: F401 (a helper, no test)

# Đăng ký đất đai, cấp Giấy chứng nhận lần đầu cho hộ gia đình, cá nhân (1.013978): its full page.
LAND = "dang-ky-dat-dai-cap-giay-chung-nhan-lan-dau"
EVERYDAY = ["sổ đỏ", "so do", "sổ hồng"]
# A registry entry without a full page: Thông báo tổ chức lễ hội cấp xã (1.003622).
# "lễ hội" alone also matches "điều lệ hội" (folded, "lệ hội" is "le hoi") and "tổ chức tang lễ": the query names the procedure.
FESTIVAL_QUERY, FESTIVAL = "thông báo tổ chức lễ hội", "thong-bao-to-chuc-le-hoi-cap-xa"
NONSENSE = "xqzv blorptk"


@pytest.mark.parametrize("query", EVERYDAY)
def test_cli_everyday_land_words_find_the_land_certificate_page(run, monkeypatch, query):
    monkeypatch.chdir(REPO)
    result = run("search", query, "--json")
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)[0]
    assert first["id"] == LAND and first["full"] is True


def test_cli_registry_entry_is_found_and_marked_with_its_portal_link(run, monkeypatch):
    monkeypatch.chdir(REPO)
    rows = json.loads(run("search", FESTIVAL_QUERY, "--json").output)[:3]
    entry = next(r for r in rows if r["id"] == f"danh-muc/{FESTIVAL}")
    assert entry["full"] is False and entry["portal"].startswith("https://dichvucong.gov.vn/")
    text = run("search", FESTIVAL_QUERY, "-n", "3").output
    assert "Chưa có hướng dẫn chi tiết" in text and entry["portal"] in text


def test_cli_nonsense_query_says_nothing_matched_and_points_to_the_portal(run, monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("search", NONSENSE)
    assert result.exit_code == 0
    assert "Không tìm thấy" in result.output and PORTAL_SEARCH in result.output


def doc(id_, portal="", boost=1.0):
    return SearchDoc(id=id_, title="Cấp phép tổ chức lễ hội", field="van-hoa", field_name="Văn hóa", code="",
                     url=f"x/{id_}/", keywords="", summary="", body="", boost=boost, portal=portal)


def test_full_procedures_rank_above_registry_entries_of_equal_match():
    # The registry entry comes first in the documents: only its boost can put it second.
    docs = [doc("chi-danh-muc", PORTAL_SEARCH, REGISTRY_BOOST), doc("day-du")]
    hits = SearchIndex(*computed(docs)).search("lễ hội")
    assert [h.doc.id for h in hits] == ["day-du", "chi-danh-muc"]
    assert hits[0].doc.full and not hits[1].doc.full


@pytest.fixture(scope="module")
def search_page(chromium, shipped_url):
    page = chromium.new_page()
    page.goto(shipped_url)
    page.focus("input.md-search__input")
    yield page
    page.close()


def result_links(page) -> list[dict]:
    """The results in order; the theme lists registry entries as sections of
    the coverage page, under a link to the page itself, which is left out."""
    links = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item a.md-search-result__link",
        "links => links.map(a => ({hash: a.hash, path: a.pathname, text: a.textContent}))")
    return [x for x in links if not (x["path"].endswith("/do-phu/") and not x["hash"])]


@pytest.mark.parametrize("query", EVERYDAY)
def test_site_everyday_land_words_find_the_land_certificate_page(search_page, query):
    site_search(search_page, query)
    search_page.wait_for_selector(".md-search-result__item")
    assert result_links(search_page)[0]["path"].endswith(f"/{LAND}/")
    assert search_page.is_hidden(".sotay-search-portal")


def test_site_registry_entry_is_found_and_marked(search_page):
    site_search(search_page, FESTIVAL_QUERY)
    search_page.wait_for_selector(".md-search-result__item .sotay-not-written")
    top = result_links(search_page)[:3]
    entry = next(r for r in top if r["hash"] == f"#dm-{FESTIVAL}")
    assert entry["path"].endswith("/do-phu/") and "Chưa có hướng dẫn chi tiết" in entry["text"]


def test_site_nonsense_query_says_nothing_matched_and_points_to_the_portal(search_page):
    site_search(search_page, NONSENSE)
    search_page.wait_for_selector(".sotay-search-portal", state="visible")
    scores = search_page.eval_on_selector_all(".md-search-result__list [data-md-score]",
                                              "xs => xs.map(x => parseFloat(x.dataset.mdScore))")
    assert not [s for s in scores if s > 0]  # the theme lists pages at score 0: nothing matched
    assert search_page.get_attribute(".sotay-search-portal a", "href") == PORTAL_SEARCH
    assert "Không có thủ tục nào" in search_page.inner_text(".sotay-search-portal")
