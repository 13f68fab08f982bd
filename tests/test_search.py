"""CLI search, its cache, the synonyms registry, build-time suggestions and
the lean site search index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.content.handbook import load_handbook
from generator.search.index import CACHE_FILE

from conftest import REPO, write


def search_json(run, *args) -> list[dict]:
    result = run("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("query,expected", [
    ("dang ky ket hon", "dang-ky-ket-hon"),
    ("giay doc than", "xac-nhan-tinh-trang-hon-nhan"),
    ("lam giay khai sinh cho con", "dang-ky-khai-sinh"),
    ("đăng ký kết hôn", "dang-ky-ket-hon"),
    ("ket hno", "dang-ky-ket-hon"),
    ("mua ban dat", "chung-thuc-hop-dong-giao-dich"),
    ("so do", "dang-ky-dat-dai-cap-giay-chung-nhan-lan-dau"),
])
def test_shipped_search_puts_the_right_procedure_first(run, monkeypatch, query, expected):
    monkeypatch.chdir(REPO)
    rows = search_json(run, query)
    assert rows[0]["id"] == expected
    assert {"id", "title", "field", "url", "score"} <= set(rows[0])
    assert rows[0]["url"].startswith("/thu-tuc/") and rows[0]["score"] > 0


def test_text_output_limit_and_field(run, monkeypatch):
    monkeypatch.chdir(REPO)
    out = run("search", "khai sinh", "--limit", "2").output
    assert out.startswith("1. ") and "\n2. " in out and "\n3. " not in out
    assert "/thu-tuc/ho-tich/" in out and "[Hộ tịch · " in out
    rows = search_json(run, "chứng thực", "--field", "chung-thuc", "--limit", "20")
    assert rows and {r["field"] for r in rows} == {"chung-thuc"}
    bad = run("search", "x", "--field", "khong-co")
    assert bad.exit_code == 2 and "không có lĩnh vực 'khong-co'" in bad.output


def test_no_result_says_what_to_do(mini, run):
    out = run("search", "qqqq").output
    assert "Không tìm thấy thủ tục nào" in out and "sotay list" in out


def test_index_follows_content_changes(mini, run):
    assert search_json(run, "khai sinh")[0]["id"] == "dang-ky-khai-sinh"
    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("tu_khoa: [làm giấy khai sinh]", "tu_khoa: [giấy chào đời]"),
                    encoding="utf-8")
    assert search_json(run, "giay chao doi")[0]["id"] == "dang-ky-khai-sinh"


def test_cache_survives_deletion_and_corruption(mini, run):
    search_json(run, "ket hon")
    cache = mini / CACHE_FILE
    assert cache.is_file()
    cache.unlink()
    assert search_json(run, "ket hon")[0]["id"] == "dang-ky-ket-hon"
    good = cache.read_bytes()
    for broken in (b"", b"\0garbage" * 10, good[:len(good) // 2], good[:-1] + bytes([good[-1] ^ 1])):
        cache.write_bytes(broken)
        assert search_json(run, "ket hon")[0]["id"] == "dang-ky-ket-hon"
        assert cache.read_bytes() not in (broken, b"")  # rebuilt
    cache.unlink()
    cache.mkdir()  # not even a file
    assert search_json(run, "ket hon")[0]["id"] == "dang-ky-ket-hon"


def test_synonyms_lead_everyday_words_to_the_procedure(mini, run):
    write(mini / "handbook/data/tu-dong-nghia.yml", """
        - cach_noi: [giấy hôn thú, hôn thú]
          nghia_la: đăng ký kết hôn
        """)
    assert search_json(run, "giay hon thu")[0]["id"] == "dang-ky-ket-hon"


def test_synonyms_registry_is_checked(mini):
    write(mini / "handbook/data/tu-dong-nghia.yml", """
        - cach_noi: [hôn thú]
          nghia_la: kết hôn
        - cach_noi: [Hôn thú]
          nghia_la: đăng ký kết hôn
        - cach_noi: [sổ đỏ]
          nghia_la: giấy chứng nhận quyền sử dụng đất
        - cach_noi: []
          nghia_la: khai sinh
        """)
    _, sink = load_handbook(mini)
    where = [(e.path, e.line, e.column, e.warning) for e in sink.items]
    assert ("handbook/data/tu-dong-nghia.yml", 3, 13, False) in where  # same phrase twice
    assert ("handbook/data/tu-dong-nghia.yml", 6, 13, True) in where  # leads to no procedure
    assert any(e.line == 7 and not e.warning for e in sink.items)  # empty list


def test_an_everyday_phrase_leads_to_every_procedure_whose_name_holds_its_words():
    """Whole words, any case and diacritics, in the catalogue's order; never
    words across two procedures' names (the names are searched as one text)."""
    from generator.content.handbook import _folded_name, _folded_words

    hb, _ = load_handbook(REPO)
    names = [_folded_name(p).split() for p in hb.procedures.values()]
    phrases = {" ".join(words[i:i + k]) for words in names for k in (1, 2) for i in range(len(words) - k + 1)}
    straddling = {f"{a[-1]} {b[0]}" for a, b in zip(names, names[1:])}
    for phrase in sorted(phrases | straddling | {"KHAI SINH", "Đăng ký kết hôn", "xyz"}):
        expected = [p.id for p in hb.procedures.values() if _folded_words(phrase) in _folded_name(p)]
        assert [p.id for p in hb.procedures_matching(phrase)] == expected, phrase
    assert len(hb.procedures_matching("khai sinh")) > 5


def test_pages_suggest_similar_procedures(shipped_site):
    hb, _ = load_handbook(REPO)
    html = (shipped_site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert 'id="goi-y"' in html
    section = html.split('id="goi-y"', 1)[1].split("</ul>", 1)[0]
    linked = {href.rstrip("/").rsplit("/", 1)[-1] for href in section.split('href="')[1:] for href in [href.split('"')[0]]}
    assert 1 <= len(linked) <= 3
    assert linked <= set(hb.procedures) - {"dang-ky-khai-sinh", *hb.procedures["dang-ky-khai-sinh"].related}


def test_site_search_index_is_lean(shipped_site):
    hb, _ = load_handbook(REPO)
    data = json.loads((shipped_site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in data["docs"]]
    procedure_entries = [loc for loc in locations if loc.count("/") == 3 and loc.startswith("thu-tuc/")]
    assert len(procedure_entries) == len(hb.procedures) == len(set(procedure_entries))
    assert not [loc for loc in locations if loc.startswith("thu-tuc/") and "#" in loc]
    assert set(data["config"]["fields"]) >= {"title", "text", "keywords", "body"}


def _procedures(*titles):
    from types import SimpleNamespace

    procs = {f"p{i}": SimpleNamespace(id=f"p{i}", title=t) for i, t in enumerate(titles)}
    return SimpleNamespace(procedures=procs)


def test_a_title_inside_a_longer_one_is_its_general_case_unless_the_longer_one_negates_it():
    from generator.search.index import general_procedures

    hb = _procedures("Đăng ký khai sinh", "Đăng ký lại khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài",
                     "Đăng ký lại khai sinh có yếu tố nước ngoài")
    assert general_procedures(hb) == {"p0"}  # p2 is general of p3, but itself a case of p0
    # The collaborator translator and the one who is not: two cases, neither general.
    hb = _procedures("Chứng thực chữ ký người dịch là cộng tác viên dịch thuật",
                     "Chứng thực chữ ký người dịch không phải là cộng tác viên dịch thuật",
                     "Xác nhận người chưa đăng ký kết hôn", "Xác nhận người đăng ký kết hôn")
    assert general_procedures(hb) == set()


def test_shipped_search_puts_the_plain_signature_certification_above_the_translators_ones(run, monkeypatch):
    monkeypatch.chdir(REPO)
    for query in ("chứng thực chữ ký", "chung thuc chu ky"):
        assert search_json(run, query)[0]["id"] == "chung-thuc-chu-ky"
