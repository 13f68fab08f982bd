"""sotay stale (review dates), sotay legal impact, and the loader's warnings
about cited documents no longer in force, made errors by --strict."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import generator.cli.legal  # noqa: F401  (register the commands)
import generator.cli.stale  # noqa: F401
from generator.content.checks import apply_strict, strict_errors
from generator.content.edition import today_in_vietnam
from generator.content.handbook import load_handbook
from generator.editing.review import add_months, is_overdue, months_since, overdue_by_owner, review_due
from generator.editing.scaffold import scaffold_procedure

from test_loader import line_of, replace_in

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"
KET_HON = "procedures/ho-tich/dang-ky-ket-hon.yml"
REGISTRY = "handbook/data/van-ban.yml"


# --- review dates ---------------------------------------------------------------


class Reviewed:
    def __init__(self, day, owner="A", title="T", pid="t"):
        self.reviewed, self.owner, self.title, self.id = day, owner, title, pid


def test_month_arithmetic_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2025, 3, 31), 1) == dt.date(2025, 4, 30)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 1, 15), -13) == dt.date(2024, 12, 15)
    assert months_since(dt.date(2025, 3, 31), dt.date(2026, 4, 29)) == 12
    assert months_since(dt.date(2025, 3, 31), dt.date(2026, 4, 30)) == 13
    assert months_since(dt.date(2026, 1, 1), dt.date(2025, 1, 1)) == 0


def test_overdue_the_day_after_the_period_ends():
    p = Reviewed(dt.date(2025, 11, 20))
    assert review_due(p) == dt.date(2026, 11, 20)
    assert not is_overdue(p, dt.date(2026, 11, 20))
    assert is_overdue(p, dt.date(2026, 11, 21))
    assert is_overdue(p, dt.date(2026, 5, 21), months=6) and not is_overdue(p, dt.date(2026, 5, 20), months=6)
    assert not is_overdue(Reviewed(today_in_vietnam()))  # today is the default


def test_groups_by_owner_oldest_first():
    ps = [Reviewed(dt.date(2024, 5, 1), "B", "b1"), Reviewed(dt.date(2023, 1, 1), "A", "a1"),
          Reviewed(dt.date(2022, 6, 1), "B", "b2"), Reviewed(dt.date(2026, 1, 1), "A", "fresh")]
    groups = overdue_by_owner(ps, dt.date(2026, 6, 1))
    assert [(owner, [p.title for p in items]) for owner, items in groups] == [("B", ["b2", "b1"]), ("A", ["a1"])]


def test_stale_command_text_and_json(mini, run):
    replace_in(mini, KET_HON, "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2024-01-10")
    replace_in(mini, KET_HON, "phu_trach: Công chức Tư pháp - Hộ tịch", "phu_trach: Công chức Văn hóa - Xã hội")
    result = run("stale", "--today", "2026-01-15")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Thủ tục quá 12 tháng chưa rà soát (rà soát lần cuối trước 15/01/2025; tính đến 15/01/2026):",
        "",
        "Công chức Văn hóa - Xã hội (1 thủ tục)",
        f"  10/01/2024   24 tháng  Đăng ký kết hôn  ({KET_HON})",
        "",
        "Tổng cộng 1 thủ tục, 1 người phụ trách.",
    ]
    data = json.loads(run("stale", "--today", "2026-01-15", "--months", "1", "--json").output)
    assert data["months"] == 1 and data["today"] == "2026-01-15" and data["reviewed_before"] == "2025-12-15"
    assert data["count"] == 2
    assert [(g["owner"], [p["id"] for p in g["procedures"]]) for g in data["owners"]] == [
        ("Công chức Văn hóa - Xã hội", ["dang-ky-ket-hon"]), ("Công chức Tư pháp - Hộ tịch", ["dang-ky-khai-sinh"])]
    assert data["owners"][0]["procedures"][0] == {
        "id": "dang-ky-ket-hon", "title": "Đăng ký kết hôn", "path": KET_HON, "reviewed": "2024-01-10",
        "due": "2024-02-10", "months_since_review": 24}


def test_stale_when_nothing_is_overdue_and_bad_dates(mini, run):
    result = run("stale", "--today", "2025-12-01")
    assert result.exit_code == 0
    assert result.output == "Không có thủ tục nào quá 12 tháng chưa rà soát (tính đến 01/12/2025).\n"
    assert json.loads(run("stale", "--today", "2025-12-01", "--json").output)["owners"] == []
    result = run("stale", "--today", "01/12/2025")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    assert run("stale", "--months", "0").exit_code == 2


# --- legal documents: warnings at the citation -------------------------------------

MORE_DOCUMENTS = """
123/2015/NĐ-CP:
  loai: nghi-dinh
  trich_yeu: Quy định chi tiết một số điều của Luật Hộ tịch
  co_quan_ban_hanh: Chính phủ
  ngay_ban_hanh: 2015-11-15
  tinh_trang: het-hieu-luc
  thay_the_boi: 1/2026/NĐ-CP
1/2026/NĐ-CP:
  loai: nghi-dinh
  trich_yeu: Nghị định thay thế
  co_quan_ban_hanh: Chính phủ
  ngay_ban_hanh: 2026-01-01
  ngay_hieu_luc: 2026-07-01
  tinh_trang: chua-co-hieu-luc
2/2026/QH15:
  loai: luat
  trich_yeu: Luật sửa đổi Luật Hộ tịch
  co_quan_ban_hanh: Quốc hội
  ngay_ban_hanh: 2026-01-02
"""


def set_status(root, status: str, extra: str = "") -> None:
    replace_in(root, REGISTRY, "  ngay_hieu_luc: 2016-01-01\n", f"  ngay_hieu_luc: 2016-01-01\n  tinh_trang: {status}\n{extra}")


def add_documents(root) -> None:
    with (root / REGISTRY).open("a", encoding="utf-8") as f:
        f.write(MORE_DOCUMENTS)


def test_documents_in_force_give_no_warning(mini):
    add_documents(mini)  # repealed documents in the registry are fine while nobody cites them
    _, sink = load_handbook(mini)
    assert [e for e in sink.items if not e.note] == []


def test_replaced_document_warns_at_each_citation(mini):
    add_documents(mini)
    replace_in(mini, KHAI_SINH, "    dieu: Điều 16\n", "    dieu: Điều 16\n  - van_ban: 123/2015/NĐ-CP\n")
    _, sink = load_handbook(mini)
    assert sink.errors == []
    [w] = sink.warnings
    assert (w.path, w.line, w.column) == (KHAI_SINH, line_of(mini, KHAI_SINH, "123/2015/NĐ-CP"), 14)
    assert w.message == "văn bản '123/2015/NĐ-CP' đã hết hiệu lực, đã được thay thế bởi '1/2026/NĐ-CP'"
    assert "sotay legal impact 123/2015/NĐ-CP" in w.hint and "'1/2026/NĐ-CP'" in w.hint


@pytest.mark.parametrize("status, extra, message", [
    ("het-hieu-luc", "", "văn bản '60/2014/QH13' đã hết hiệu lực"),
    ("chua-co-hieu-luc", "", "văn bản '60/2014/QH13' chưa có hiệu lực (có hiệu lực từ 01/01/2016)"),
    ("con-hieu-luc", "  thay_the_boi: 1/2026/NĐ-CP\n", "văn bản '60/2014/QH13' đã được thay thế bởi '1/2026/NĐ-CP'"),
])
def test_each_status_warns_in_both_procedures(mini, status, extra, message):
    add_documents(mini)
    set_status(mini, status, extra)
    _, sink = load_handbook(mini)
    assert sink.errors == []
    assert [(w.path, w.line, w.column, w.message) for w in sorted(sink.warnings)] == [
        (KET_HON, line_of(mini, KET_HON, "van_ban: 60/2014/QH13"), 14, message),
        (KHAI_SINH, line_of(mini, KHAI_SINH, "van_ban: 60/2014/QH13"), 14, message),
    ]
    # checking one file reports only that file's citations
    _, sink = load_handbook(mini, only=[mini / KET_HON])
    assert [w.path for w in sink.warnings] == [KET_HON]


def test_strict_makes_repealed_citations_and_placeholders_errors(mini):
    add_documents(mini)
    set_status(mini, "het-hieu-luc")
    hb, sink = load_handbook(mini)
    strict = strict_errors(hb, sink)
    assert [(e.path, e.warning) for e in strict] == [(KET_HON, False), (KHAI_SINH, False)]
    assert strict[0].message == "văn bản '60/2014/QH13' đã hết hiệu lực"
    apply_strict(hb, sink)
    assert len(sink.errors) == 2 and sink.warnings == []


def test_partly_repealed_documents_are_quiet_unless_strict_asks(mini):
    # Most laws in force have had an article amended: citing them is normal,
    # so no warning on every build; strict mode can still ask for them.
    add_documents(mini)
    set_status(mini, "het-hieu-luc-mot-phan", "  sua_doi_boi: [2/2026/QH15]\n")
    for rel in (KHAI_SINH, KET_HON):  # both reviewed after the amendment
        replace_in(mini, rel, "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2026-03-01")
    hb, sink = load_handbook(mini)
    assert sink.warnings == [] and sink.errors == []
    assert strict_errors(hb, sink) == []
    found = strict_errors(hb, sink, partly_repealed=True)
    assert [(e.path, e.message) for e in sorted(found)] == [
        (KET_HON, "văn bản '60/2014/QH13' đã hết hiệu lực một phần (sửa đổi, bổ sung bởi 2/2026/QH15)"),
        (KHAI_SINH, "văn bản '60/2014/QH13' đã hết hiệu lực một phần (sửa đổi, bổ sung bởi 2/2026/QH15)"),
    ]
    apply_strict(hb, sink, partly_repealed=True)
    assert len(sink.errors) == 2 and sink.warnings == []


def test_strict_finds_leftover_placeholders_but_not_in_comments(mini):
    rel = "procedures/ho-tich/dang-ky-lai-khai-sinh.yml"
    (mini / rel).write_text(scaffold_procedure(title="Đăng ký lại khai sinh", field_id="ho-tich", code=None, level="xa",
                                               today=dt.date(2026, 1, 1)), encoding="utf-8")
    hb, sink = load_handbook(mini)
    assert sink.errors == []  # a scaffold is valid…
    errors = strict_errors(hb, sink)  # …but not finished
    assert {e.path for e in errors} == {rel}
    lines = [e.line for e in errors]
    assert line_of(mini, rel, "co_quan_thuc_hien:") in lines and line_of(mini, rel, "phu_trach:") in lines
    assert line_of(mini, rel, "van_ban: 60/2014/QH13") not in lines  # the placeholder there is a comment
    first = next(e for e in errors if e.line == line_of(mini, rel, "co_quan_thuc_hien:"))
    assert (first.column, first.message) == (20, 'còn chỗ chưa điền: "CẦN ĐIỀN: cơ quan thực hiện"')


# --- sotay legal impact --------------------------------------------------------------


def test_legal_impact_lists_citations_with_positions(mini, run):
    add_documents(mini)
    set_status(mini, "het-hieu-luc-mot-phan", "  sua_doi_boi: [2/2026/QH15]\n")
    result = run("legal", "impact", "60/2014/QH13")
    assert result.exit_code == 0
    ket_hon = line_of(mini, KET_HON, "van_ban: 60/2014/QH13")
    khai_sinh = line_of(mini, KHAI_SINH, "van_ban: 60/2014/QH13")
    assert result.output.splitlines() == [
        "60/2014/QH13: Luật Hộ tịch, Quốc hội ban hành ngày 20/11/2014",
        "Tình trạng: Hết hiệu lực một phần (hiệu lực từ 01/01/2016)",
        "Sửa đổi, bổ sung bởi: 2/2026/QH15 (Luật sửa đổi Luật Hộ tịch)",
        "",
        "2 trích dẫn trong 2 thủ tục:",
        f"  Đăng ký kết hôn  ({KET_HON}:{ket_hon}:14)",
        f"  Đăng ký khai sinh — Điều 16  ({KHAI_SINH}:{khai_sinh}:14)",
    ]


def test_legal_impact_of_the_amending_document_and_json(mini, run):
    add_documents(mini)
    set_status(mini, "het-hieu-luc-mot-phan", "  sua_doi_boi: [2/2026/QH15]\n")
    out = run("legal", "impact", "2/2026/QH15").output
    assert "Không thủ tục nào dẫn văn bản này." in out
    assert "60/2014/QH13 (Luật Hộ tịch) bị văn bản này sửa đổi, bổ sung; 2 trích dẫn cần xem lại:" in out
    data = json.loads(run("legal", "impact", "2/2026/QH15", "--json").output)
    assert data["procedures"] == [] and data["status"] == "con-hieu-luc"
    assert [(r["document"], r["relation"], [p["id"] for p in r["procedures"]]) for r in data["related"]] == [
        ("60/2014/QH13", "sua-doi", ["dang-ky-ket-hon", "dang-ky-khai-sinh"])]

    replace_in(mini, KHAI_SINH, "    dieu: Điều 16\n", "    dieu: Điều 16\n  - van_ban: 123/2015/NĐ-CP\n")
    data = json.loads(run("legal", "impact", "123/2015/nd-cp", "--json").output)  # case and đ need not match
    assert set(data) == {"document", "title", "kind", "issuer", "issued", "effective", "status", "status_label",
                         "amended_by", "replaced_by", "replacement_chain", "procedures", "related", "ends", "versions"}
    assert data["document"] == "123/2015/NĐ-CP" and data["status_label"] == "Hết hiệu lực"
    assert data["replaced_by"] == "1/2026/NĐ-CP" and data["replacement_chain"] == ["1/2026/NĐ-CP"]
    assert data["procedures"] == [{"id": "dang-ky-khai-sinh", "title": "Đăng ký khai sinh", "path": KHAI_SINH,
                                   "line": line_of(mini, KHAI_SINH, "123/2015"), "column": 14, "article": None,
                                   "dropped_from": None}]
    assert data["ends"] == "2026-07-01" and data["versions"] == []  # ended when its replacement came into force
    text = run("legal", "impact", "123/2015/NĐ-CP").output
    assert "Thay thế bởi: 1/2026/NĐ-CP (Nghị định thay thế)" in text


def test_legal_impact_unknown_document_suggests(mini, run):
    result = run("legal", "impact", "60/2014/QH1")
    assert result.exit_code == 1
    assert result.output.strip() == ("Lỗi: không có văn bản '60/2014/QH1' trong handbook/data/van-ban.yml. "
                                     "Có phải ý bạn là: 60/2014/QH13?")


def test_legal_help_has_examples(run):
    for args in (("legal",), ("legal", "impact"), ("stale",)):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Ví dụ:" in result.output and "Tùy chọn:" in result.output


# --- pages: legal documents, "Có gì mới" ------------------------------------------------


def test_legal_document_pages_list_the_procedures_citing_them(shipped_site):
    from generator.content.handbook import load_handbook
    from generator.urls import legal as legal_url

    from conftest import REPO

    hb, _ = load_handbook(REPO)
    html = (shipped_site / legal_url("60/2014/QH13") / "index.html").read_text(encoding="utf-8")
    assert "Luật Hộ tịch" in html and 'href="../../thu-tuc/ho-tich/dang-ky-khai-sinh/"' in html
    index = (shipped_site / "van-ban/index.html").read_text(encoding="utf-8")
    assert all(f'{legal_url(d)[len("van-ban/"):]}' in index for d in hb.legal)
    khai_sinh = (shipped_site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert 'href="../../../van-ban/60-2014-qh13/"' in khai_sinh


def test_whats_new_lists_changed_procedures_or_says_why_not(mini, shipped_site):
    import re

    from generator.site.build import build_site

    html = (shipped_site / "co-gi-moi/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="ngay-\d{4}-\d{2}-\d{2}">', html) and "thu-tuc/ho-tich/" in html
    site = build_site(mini)  # a copy without git history
    assert "không có lịch sử git" in (site / "co-gi-moi/index.html").read_text(encoding="utf-8")


def test_amendment_after_the_last_review_warns_at_each_citation(mini):
    # 2/2026/QH15 (issued 02/01/2026) amends the Luật Hộ tịch both fixture procedures cite;
    # khai sinh was last reviewed before that, kết hôn after.
    add_documents(mini)
    set_status(mini, "het-hieu-luc-mot-phan", "  sua_doi_boi: [2/2026/QH15]\n")
    replace_in(mini, KET_HON, "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2026-03-01")
    _, sink = load_handbook(mini)
    assert sink.errors == []
    [w] = sink.warnings
    assert (w.path, w.line, w.column) == (KHAI_SINH, line_of(mini, KHAI_SINH, "van_ban: 60/2014/QH13"), 14)
    assert w.message == ("văn bản '60/2014/QH13' được sửa đổi, bổ sung bởi '2/2026/QH15' (02/01/2026), "
                         "sau lần rà soát cuối của thủ tục (20/11/2025)")
    assert "cập nhật ngay_ra_soat" in w.hint


# --- "có phải ý bạn là": the same suggestions in validate and legal impact ---------------

LOOKALIKES = """9/2025/NĐ-CP:
  loai: nghi-dinh
  trich_yeu: Nghị định số 9
  co_quan_ban_hanh: Chính phủ
  ngay_ban_hanh: 2025-01-09
123/2015/NĐ-CP:
  loai: nghi-dinh
  trich_yeu: Nghị định hướng dẫn Luật Hộ tịch
  co_quan_ban_hanh: Chính phủ
  ngay_ban_hanh: 2015-11-15
01/2020/TT-BTP:
  loai: thong-tu
  trich_yeu: Thông tư số 01
  co_quan_ban_hanh: Bộ Tư pháp
  ngay_ban_hanh: 2020-03-03
"""

# What was written → what is suggested (nothing: no "có phải ý bạn là").
SUGGESTIONS = [
    ("999/2025/NĐ-CP", []),  # two digits more than 9/2025/NĐ-CP: another document, not a typo
    ("99/2025/NĐ-CP", ["9/2025/NĐ-CP"]),  # one digit more
    ("132/2015/NĐ-CP", ["123/2015/NĐ-CP"]),  # two digits swapped
    ("124/2015/NĐ-CP", ["123/2015/NĐ-CP"]),  # one digit wrong
    ("123/2015/ND-CP", ["123/2015/NĐ-CP"]),  # no diacritic
    ("123/2015/nđ-cp", ["123/2015/NĐ-CP"]),  # case
    ("1/2020/TT-BTP", ["01/2020/TT-BTP"]),  # leading zero
    ("60/2014/QH1", ["60/2014/QH13"]),  # one letter of the kind dropped
    ("123/2015/TT-BTP", []),  # another kind of document
    ("123/2016/QĐ-TTg", []),
    ("9/2024/NĐ-CP", ["9/2025/NĐ-CP"]),  # one digit of the year
    ("321/2015/NĐ-CP", []),  # two digits moved
    ("Luật Hộ tịch", []),
]


@pytest.mark.parametrize("written,suggested", SUGGESTIONS)
def test_unknown_document_suggestions_are_one_typo_away_in_validate_and_impact(mini, run, written, suggested):
    with (mini / REGISTRY).open("a", encoding="utf-8") as f:
        f.write(LOOKALIKES)
    replace_in(mini, KHAI_SINH, "  - van_ban: 60/2014/QH13", f"  - van_ban: {written}")
    _, sink = load_handbook(mini)
    [error] = [e for e in sink.errors if e.path == KHAI_SINH]
    assert error.message == f"văn bản '{written}' không có trong handbook/data/van-ban.yml"
    if suggested:
        assert error.hint.startswith(f"có phải ý bạn là '{suggested[0]}'?")
    else:
        assert "có phải ý bạn là" not in error.hint and "xem các văn bản đã có trong handbook/data/van-ban.yml" in error.hint
    replace_in(mini, KHAI_SINH, f"  - van_ban: {written}", "  - van_ban: 60/2014/QH13")
    result = run("legal", "impact", written)
    if suggested and suggested[0].casefold().replace("đ", "d") == written.casefold().replace("đ", "d"):
        assert result.exit_code == 0 and result.output.startswith(suggested[0])  # found as written, loosely
        return
    assert result.exit_code == 1
    if suggested:
        assert result.output.strip().endswith(f"Có phải ý bạn là: {', '.join(suggested)}?")
    else:
        assert "Có phải ý bạn là" not in result.output and "Các văn bản đã có được liệt kê" in result.output
