"""What comes after the day the handbook describes: a replacement recorded
ahead of time ("in force until D"), the change calendar page, sotay legal
impact and sotay stale over dated versions, the warning of a build for a
past day, and training items flagged before a change.  The documents here
(02/2026/QH99) and the dates in 2099 are test fixtures, not law."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.content.edition import Edition
from generator.content.handbook import load_handbook
from generator.site.build import build_site

from conftest import REPO
from generator.content.checks import apply_strict
from test_loader import errors_for, line_of, replace_in
from test_versions import append, page

KET_HON = "procedures/ho-tich/dang-ky-ket-hon.yml"
KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"
REGISTRY = "handbook/data/van-ban.yml"
NEW_LAW = """\
02/2026/QH99:
  loai: luat
  trich_yeu: Luật Hộ tịch (dữ liệu kiểm thử)
  co_quan_ban_hanh: Quốc hội
  ngay_ban_hanh: 2026-01-01
  ngay_hieu_luc: 2099-03-01
  tinh_trang: chua-co-hieu-luc
"""
# Marriage registration from 01/03/2099: a shorter time limit, under the new law.
KET_HON_2099 = """\
phien_ban:
  - hieu_luc_tu: 2099-03-01
    ghi_chu: Luật mới thay Luật Hộ tịch.
    can_cu:
      - van_ban: 02/2026/QH99
    thoi_han:
      loai: ngay-lam-viec
      so: 3
    can_cu_phap_ly:
      - van_ban: 02/2026/QH99
        dieu: Điều 8
"""


@pytest.fixture
def replaced(mini):
    """The mini handbook where Luật Hộ tịch is replaced from 01/03/2099."""
    append(mini, REGISTRY, NEW_LAW)
    replace_in(mini, REGISTRY, "  ngay_hieu_luc: 2016-01-01\n", "  ngay_hieu_luc: 2016-01-01\n  thay_the_boi: 02/2026/QH99\n")
    return mini


@pytest.fixture
def ready(replaced):
    """… and marriage registration has its version from that day; birth registration has none."""
    append(replaced, KET_HON, KET_HON_2099)
    return replaced


# --- a replacement recorded ahead of time -------------------------------------------------


def test_a_document_replaced_from_a_later_day_is_cited_without_warning_until_then(replaced):
    _, sink = load_handbook(replaced)
    assert [e for e in sink.items if not e.note] == []  # before: "đã được thay thế bởi" at every citation, an error with --strict


def test_a_version_after_the_replacement_may_not_keep_the_old_document(replaced):
    append(replaced, KET_HON, KET_HON_2099.replace("    can_cu_phap_ly:\n      - van_ban: 02/2026/QH99\n        dieu: Điều 8\n", ""))
    errors = errors_for(replaced, KET_HON)
    cited = line_of(replaced, KET_HON, "van_ban: 60/2014/QH13")  # inherited from the base, located there
    assert [e for e in errors if e[1] == cited and
            "văn bản '60/2014/QH13' hết hiệu lực từ 01/03/2099, thay thế bởi '02/2026/QH99', "
            "không còn áp dụng cho bản áp dụng từ 01/03/2099" in e[3] and "sotay legal impact" in e[4]], errors


def test_on_the_day_of_the_replacement_only_unprepared_procedures_warn(ready):
    hb, sink = load_handbook(ready, edition=Edition(on=dt.date(2099, 3, 1)))
    assert sink.errors == []
    assert hb.legal["60/2014/QH13"].status == "het-hieu-luc" and hb.legal["02/2026/QH99"].status == "con-hieu-luc"
    assert [(w.path, w.line, w.message) for w in sink.warnings] == [
        (KHAI_SINH, line_of(ready, KHAI_SINH, "van_ban: 60/2014/QH13"),
         "văn bản '60/2014/QH13' đã hết hiệu lực, đã được thay thế bởi '02/2026/QH99'")]


def test_legal_impact_lists_versions_and_which_procedures_are_ready(ready, run):
    old = json.loads(run("legal", "impact", "60/2014/QH13", "--json").output)
    assert old["ends"] == "2099-03-01"
    assert {p["id"]: p["dropped_from"] for p in old["procedures"]} == {"dang-ky-ket-hon": "2099-03-01",
                                                                        "dang-ky-khai-sinh": None}
    new = json.loads(run("legal", "impact", "02/2026/QH99", "--json").output)
    assert new["procedures"] == []  # nothing cites it today …
    assert new["versions"] == [{"id": "dang-ky-ket-hon", "title": "Đăng ký kết hôn", "path": KET_HON,
                                "line": line_of(ready, KET_HON, "        dieu: Điều 8") - 1,
                                "column": 18, "article": "Điều 8", "from": "2099-03-01"}]  # … the version does
    text = run("legal", "impact", "02/2026/QH99").output
    assert "1 trích dẫn trong phiên bản theo ngày của thủ tục:" in text
    assert "Đăng ký kết hôn, phiên bản từ 01/03/2099 — Điều 8" in text
    assert "[từ 01/03/2099 có phiên bản không còn dẫn]" in run("legal", "impact", "60/2014/QH13").output


# --- the change calendar ---------------------------------------------------------------------


def test_change_calendar_before_and_after_the_day(ready, run, tmp_path):
    # A local fee changing: the test province's (its edition is built).
    replace_in(ready, "handbook/tinh/thu-nghiem/tinh.yml", "    so_tien: 0\n",
               "    so_tien: 0\n    phien_ban:\n      - hieu_luc_tu: 2099-03-01\n        so_tien: 10000\n")
    for day in ("2099-02-28", "2099-03-01"):
        built = run("build", "--ngay", day, "--tinh", "thu-nghiem", "--site-dir", str(tmp_path / day))
        assert built.exit_code == 0, built.output
    before = page(tmp_path / "2099-02-28", "sap-co-hieu-luc/")
    assert "<h2 id=\"ngay-2099-03-01\">Từ 01/03/2099</h2>" in before
    assert "Thời hạn: 5 ngày làm việc → 3 ngày làm việc" in before  # the field-level difference
    assert '<a href="../thu-tuc/ho-tich/dang-ky-ket-hon/ap-dung-tu-2099-03-01/">xem bản áp dụng từ 01/03/2099</a>' in before
    assert "Luật 60/2014/QH13</a> (Luật Hộ tịch) hết hiệu lực, thay thế bởi" in before
    assert "2 thủ tục đang dẫn văn bản này, 1 đã có phiên bản mới" in before
    assert "Đăng ký khai sinh</a> — <strong>chưa có phiên bản mới</strong>" in before
    assert "Lệ phí đăng ký kết hôn: 0 đồng → 10.000 đồng" in before
    after = page(tmp_path / "2099-03-01", "sap-co-hieu-luc/")
    assert "Các thay đổi đã biết sau ngày 01/03/2099" in after and "Chưa có thay đổi nào sắp có hiệu lực." in after
    assert 'id="ngay-' not in after and "10.000 đồng" not in after


# --- a build for a past day ---------------------------------------------------------------------


def test_a_build_for_a_past_day_warns_when_a_version_started_since(mini, run, tmp_path):
    append(mini, KET_HON, "phien_ban:\n  - hieu_luc_tu: 2025-03-01\n    ghi_chu: Rút thời hạn.\n"
                          "    thoi_han: {loai: ngay-lam-viec, so: 3}\n")
    old = run("build", "--ngay", "2025-02-01", "--site-dir", str(tmp_path / "old"))
    assert old.exit_code == 0
    assert "Cảnh báo: sổ tay dựng theo quy định áp dụng ngày 01/02/2025, nhưng từ 01/03/2025 đã có 1 thủ tục " \
           "áp dụng phiên bản mới" in old.output
    for args in (("--ngay", "2025-03-01"), ()):  # built for the change's day, or for today: right for today
        result = run("build", *args, "--site-dir", str(tmp_path / "now"))
        assert result.exit_code == 0 and "Cảnh báo" not in result.output


# --- sotay stale ---------------------------------------------------------------------------------


def test_stale_lists_versions_started_since_review_and_coming_soon(ready, run):
    append(ready, KHAI_SINH, "phien_ban:\n  - hieu_luc_tu: 2025-12-01\n    ghi_chu: Sau lần rà soát 20/11/2025.\n"
                             "    ket_qua: [Giấy khai sinh bản điện tử]\n"
                             "  - hieu_luc_tu: 2099-03-01\n    ghi_chu: Luật mới.\n"
                             "    can_cu_phap_ly: [{van_ban: 02/2026/QH99}]\n")
    data = json.loads(run("stale", "--today", "2099-01-01", "--json").output)
    assert [(v["id"], v["from"], v["state"]) for v in data["versions"]] == [
        ("dang-ky-khai-sinh", "2025-12-01", "da-ap-dung"),
        ("dang-ky-ket-hon", "2099-03-01", "sap-ap-dung"), ("dang-ky-khai-sinh", "2099-03-01", "sap-ap-dung")]
    text = run("stale", "--today", "2026-01-01").output
    assert "từ 01/12/2025  Đăng ký khai sinh  (Công chức Tư pháp - Hộ tịch; đã áp dụng, chưa rà soát lại)" in text
    assert "2099" not in text  # beyond the 12 months ahead


# --- training ------------------------------------------------------------------------------------


def test_training_items_are_flagged_before_their_procedure_changes(trained, run, tmp_path):
    append(trained, REGISTRY, NEW_LAW)
    replace_in(trained, REGISTRY, "  ngay_hieu_luc: 2016-01-01\n", "  ngay_hieu_luc: 2016-01-01\n  thay_the_boi: 02/2026/QH99\n")
    replace_in(trained, KHAI_SINH, '  loai: trong-ngay\n  gio_cat: "15:00"\n', "  loai: ngay-lam-viec\n  so: 5\n")
    replace_in(trained, KHAI_SINH, "cần giấy tờ gì.", "cần giấy tờ gì; hẹn trả sau 5 ngày làm việc.")
    append(trained, KHAI_SINH, KET_HON_2099)
    [session] = json.loads(run("training", "list", "--json").output)
    updates = {u["id"]: u for u in session["updates"]}
    assert set(updates) == {"khai-sinh-qua-han", "khai-sinh-uy-quyen", "khai-sinh-ho-so-loi", "khai-sinh-thoi-han",
                            "khai-sinh-giay-to"}  # every item of the session on khai sinh
    cites = updates["khai-sinh-thoi-han"]
    assert cites["text"] == "cần cập nhật trước 01/03/2099" and cites["before"] == "2099-03-01" and cites["specific"]
    assert cites["reasons"] == ["dẫn 60/2014/QH13, hết hiệu lực từ 01/03/2099, thay thế bởi 02/2026/QH99"]
    figure = updates["khai-sinh-uy-quyen"]
    assert figure["specific"] and 'nêu "5 ngày làm việc"' in figure["reasons"][0]
    assert updates["khai-sinh-ho-so-loi"]["reasons"] == ["thủ tục có phiên bản áp dụng từ 01/03/2099"]
    assert not updates["khai-sinh-ho-so-loi"]["specific"]

    site = build_site(trained, tmp_path / "site")
    trainer = page(site, "dao-tao/ho-tich-co-ban/")
    assert "Cần cập nhật trước 01/03/2099" in trainer
    assert '<a href="#cau-khai-sinh-thoi-han">Câu hỏi “khai-sinh-thoi-han”</a> (Đăng ký khai sinh): cần cập nhật ' \
           "trước 01/03/2099 — dẫn 60/2014/QH13" in trainer
    assert "cập nhật trước" not in page(site, "dao-tao/ho-tich-co-ban/hoc-vien/")  # not on the trainee's page
    # On the day itself the items describe the version in force: nothing to flag.
    assert json.loads(run("training", "list", "--json").output)[0]["updates"]
    hb, _ = load_handbook(trained, edition=Edition(on=dt.date(2099, 3, 1)))
    from generator.training.updates import item_updates
    assert item_updates(hb) == {}


# --- the shipped handbook and 01/03/2027 ------------------------------------------------------


def test_shipped_civil_status_procedures_are_ready_for_the_new_law():
    """Every procedure citing Luật Hộ tịch 2014 has a version from 01/03/2027
    citing the new law instead, flagged for what awaits its implementing texts;
    the handbook is valid (strictly) today and valid on that day."""
    today, sink = load_handbook(REPO)
    assert apply_strict(today, sink).errors == []
    hb, sink = load_handbook(REPO, edition=Edition(on=dt.date(2027, 3, 1)))
    assert sink.errors == []
    prepared = [pid for pid, periods in today.timelines.items()
                if any(x.start == dt.date(2027, 3, 1) for x in periods)]
    assert {p.id for p in today.procedures.values() if p.field_id == "ho-tich"} <= set(prepared)
    for pid in prepared:
        cited = {r.document for r in hb.procedures[pid].legal_basis}
        assert "03/2026/QH16" in cited and not cited & {"60/2014/QH13", "120/2025/NĐ-CP"}, pid
        assert {"ho_so", "thoi_han", "phi"} <= {f.field_key for f in hb.procedures[pid].unverified}, pid
    assert not [w for w in sink.warnings if "60/2014/QH13" in w.message]
