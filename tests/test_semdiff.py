"""sotay diff: procedure changes in words, between two versions in git."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

import generator.cli.diff  # noqa: F401  (registers the command)
from generator.content.errors import ErrorSink
from generator.content.handbook import load_procedure_text
from generator.editing.diffreport import md_escape, to_json, to_markdown
from generator.editing.versiondiff import compare, compare_file

from conftest import FIXTURES

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"
KET_HON = "procedures/ho-tich/dang-ky-ket-hon.yml"
ORIGINAL = (FIXTURES / "mini" / KHAI_SINH).read_text(encoding="utf-8")
KET_HON_TEXT = (FIXTURES / "mini" / KET_HON).read_text(encoding="utf-8")


def edited(*pairs: str, text: str = ORIGINAL) -> str:
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def changes(new: str, old: str = ORIGINAL, path: str = KHAI_SINH) -> list[str]:
    d = compare_file(path, old.encode(), new.encode())
    assert d is not None and d.status == "changed", d
    return [c.text for c in d.changes]


def change_objects(new: str, old: str = ORIGINAL, path: str = KHAI_SINH):
    return compare_file(path, old.encode(), new.encode()).changes


def test_the_fixture_loads_from_text():
    sink = ErrorSink()
    p = load_procedure_text(ORIGINAL, KHAI_SINH, sink)
    assert [e for e in sink.items if not e.note] == [] and p.id == "dang-ky-khai-sinh" and p.path == KHAI_SINH
    # registries are not consulted: an unknown document or field is no error here
    p = load_procedure_text(edited("van_ban: 60/2014/QH13", "van_ban: 1/2099/QH99"), KHAI_SINH, sink)
    assert [e for e in sink.items if not e.note] == [] and p.legal_basis[0].document == "1/2099/QH99"


# --- silence -------------------------------------------------------------------


def test_unchanged_file_is_silent():
    assert compare_file(KHAI_SINH, ORIGINAL.encode(), ORIGINAL.encode()) is None


def test_layout_only_changes_are_silent():
    relaid = edited(
        "cap_thuc_hien: [xa]", "cap_thuc_hien:\n  - xa   # chỉ cấp xã",
        "ten: Đăng ký khai sinh\n", '# Thủ tục khai sinh\nten: "Đăng ký khai sinh"\n',
        "kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]",
        "kiem_tra:\n      - 'Ghi Sổ đăng ký khai sinh'\n      - Trình Chủ tịch UBND ký",
    )
    assert relaid != ORIGINAL
    assert compare_file(KHAI_SINH, ORIGINAL.encode(), relaid.encode()) is None
    # re-dumped by another tool: keys sorted, different indentation and quoting, no comments
    dumped = yaml.safe_dump(yaml.safe_load(ORIGINAL), allow_unicode=True, sort_keys=True, indent=4)
    assert compare_file(KHAI_SINH, ORIGINAL.encode(), dumped.encode()) is None
    assert compare({KHAI_SINH: ORIGINAL.encode()}, {KHAI_SINH: dumped.encode()}) == []


# --- each kind of change named -------------------------------------------------


def test_title_and_code():
    assert changes(edited("ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh cho trẻ em")) == [
        "Tên thủ tục: Đăng ký khai sinh → Đăng ký khai sinh cho trẻ em"]
    assert changes(edited('ma_thu_tuc: "1.000001"\n', "")) == ["Mã thủ tục: 1.000001 → (trống)"]
    c = change_objects(edited('ma_thu_tuc: "1.000001"', 'ma_thu_tuc: "1.000002"'))[0]
    assert (c.field, c.kind, c.before, c.after) == ("ma_thu_tuc", "changed", "1.000001", "1.000002")


def test_deadline_uses_the_sites_wording():
    new = edited("  loai: trong-ngay\n  gio_cat: \"15:00\"", "  loai: ngay-lam-viec\n  so: 3")
    assert changes(new) == ["Thời hạn: Trong ngày (nhận trước 15:00) → 3 ngày làm việc"]
    assert changes(edited("so: 5", "so: 3", text=KET_HON_TEXT), KET_HON_TEXT, KET_HON) == [
        "Thời hạn: 5 ngày làm việc → 3 ngày làm việc"]
    noted = edited("  so: 5\n", "  so: 5\n  ghi_chu: Cần xác minh thì thêm 5 ngày.\n", text=KET_HON_TEXT)
    c = change_objects(noted, KET_HON_TEXT, KET_HON)
    assert [(x.field, x.text) for x in c] == [("thoi_han.ghi_chu", "Thời hạn: ghi chú: (trống) → Cần xác minh thì thêm 5 ngày.")]


def test_fees_by_name():
    new = edited("    so_tien: 0", "    so_tien: 8000")
    c = change_objects(new)
    assert [x.text for x in c] == ["Lệ phí 'Lệ phí đăng ký khai sinh': miễn phí → 8.000 đồng"]
    assert (c[0].field, c[0].kind, c[0].item, c[0].before, c[0].after) == (
        "phi.so_tien", "changed", "Lệ phí đăng ký khai sinh", "miễn phí", "8.000 đồng")
    added = edited("ho_so:\n", "  - ten: Phí cấp bản sao\n    loai: phi\n    so_tien: 10000\n    don_vi: bản\nho_so:\n")
    assert changes(added) == ["Thêm phí: Phí cấp bản sao (10.000 đồng/bản)"]
    assert changes(ORIGINAL, added) == ["Bỏ phí: Phí cấp bản sao"]
    exempt = edited("mien_giam: [Miễn khi đăng ký đúng hạn.]", "mien_giam: [Miễn khi đăng ký đúng hạn., Miễn cho hộ nghèo.]")
    assert changes(exempt) == ["Lệ phí 'Lệ phí đăng ký khai sinh': thêm trường hợp miễn, giảm: Miễn cho hộ nghèo."]


def test_dossier_items_added_removed_changed_renamed():
    added = edited("ket_qua:", "  - ten: Văn bản ủy quyền\n    loai: ban-sao-chung-thuc\nket_qua:")
    assert changes(added) == ["Thêm giấy tờ: Văn bản ủy quyền"]
    removed = edited("  - ten: Giấy chứng sinh\n    loai: ban-chinh\n", "")
    assert changes(removed) == ["Bỏ giấy tờ: Giấy chứng sinh"]
    form = edited("    loai: ban-chinh\n", "    loai: ban-sao\n    so_luong: 2\n")
    c = change_objects(form)
    assert [x.text for x in c] == [
        "Giấy tờ 'Giấy chứng sinh': loại: Bản chính → Bản sao",
        "Giấy tờ 'Giấy chứng sinh': số lượng: 1 → 2",
    ]
    assert [x.field for x in c] == ["ho_so.loai", "ho_so.so_luong"]
    renamed = edited("  - ten: Giấy chứng sinh\n", "  - ten: Giấy chứng sinh (bản chính)\n")
    c = change_objects(renamed)
    assert [(x.kind, x.text) for x in c] == [
        ("renamed", "Đổi tên giấy tờ 'Giấy chứng sinh' thành 'Giấy chứng sinh (bản chính)'")]


STEPS_SWAPPED = edited(
    """  - ten: Tiếp nhận hồ sơ
    vai_tro: Công chức Bộ phận Một cửa
    kiem_tra:
      - Kiểm tra giấy tờ tùy thân của người đi đăng ký
      - Kiểm tra Giấy chứng sinh
    loi_thuong_gap: [Quên kiểm tra thời hạn 60 ngày]
  - ten: Ghi sổ và trình ký
    vai_tro: Công chức Tư pháp - Hộ tịch
    kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]
""",
    """  - ten: Ghi sổ và trình ký
    vai_tro: Công chức Tư pháp - Hộ tịch
    kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]
  - ten: Tiếp nhận hồ sơ
    vai_tro: Công chức Bộ phận Một cửa
    kiem_tra:
      - Kiểm tra giấy tờ tùy thân của người đi đăng ký
      - Kiểm tra Giấy chứng sinh
    loi_thuong_gap: [Quên kiểm tra thời hạn 60 ngày]
""",
)


def test_steps_reordered_renamed_added_removed():
    c = change_objects(STEPS_SWAPPED)
    assert [(x.kind, x.text, x.before, x.after) for x in c] == [
        ("moved", "Bước 'Ghi sổ và trình ký' chuyển từ vị trí 2 lên 1", "2", "1")]
    renamed = edited("  - ten: Tiếp nhận hồ sơ", "  - ten: Tiếp nhận, kiểm tra hồ sơ")
    assert changes(renamed) == ["Đổi tên bước 'Tiếp nhận hồ sơ' thành 'Tiếp nhận, kiểm tra hồ sơ'"]
    added = edited("can_cu_phap_ly:", "  - ten: Trả kết quả\n    vai_tro: Công chức Bộ phận Một cửa\n"
                   "    kiem_tra: [Trao Giấy khai sinh]\ncan_cu_phap_ly:")
    assert changes(added) == ["Thêm bước: Trả kết quả"]
    assert changes(ORIGINAL, added) == ["Bỏ bước: Trả kết quả"]


def test_checklist_items_and_step_fields():
    new = edited(
        "      - Kiểm tra Giấy chứng sinh\n",
        "      - Kiểm tra Giấy chứng sinh\n      - Hỏi tên trẻ và tên cha mẹ\n",
        "    kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]",
        "    kiem_tra: [Ghi Sổ đăng ký khai sinh]\n    thoi_gian: Trong ngày",
        "loi_thuong_gap: [Quên kiểm tra thời hạn 60 ngày]",
        "loi_thuong_gap: [Quên kiểm tra thời hạn 60 ngày, Ghi sai ngày sinh]",
    )
    c = change_objects(new)
    assert [(x.field, x.kind, x.text) for x in c] == [
        ("quy_trinh.kiem_tra", "added", "Bước 'Tiếp nhận hồ sơ': thêm việc kiểm tra: Hỏi tên trẻ và tên cha mẹ"),
        ("quy_trinh.loi_thuong_gap", "added", "Bước 'Tiếp nhận hồ sơ': thêm lỗi thường gặp: Ghi sai ngày sinh"),
        ("quy_trinh.kiem_tra", "removed", "Bước 'Ghi sổ và trình ký': bỏ việc kiểm tra: Trình Chủ tịch UBND ký"),
        ("quy_trinh.thoi_gian", "changed", "Bước 'Ghi sổ và trình ký': thời gian: (trống) → Trong ngày"),
    ]
    assert all(x.item in ("Tiếp nhận hồ sơ", "Ghi sổ và trình ký") for x in c)


def test_legal_basis_questions_requirements_results():
    legal = edited("  - van_ban: 60/2014/QH13\n    dieu: Điều 16\n", "  - van_ban: 123/2015/NĐ-CP\n")
    assert changes(legal) == ["Căn cứ pháp lý: thêm 123/2015/NĐ-CP", "Căn cứ pháp lý: bỏ 60/2014/QH13 (Điều 16)"]
    article = edited("dieu: Điều 16", "dieu: Điều 16, Điều 17")
    assert changes(article) == ["Căn cứ pháp lý '60/2014/QH13': điều, khoản: Điều 16 → Điều 16, Điều 17"]

    question = edited(
        "  - ten: Giấy chứng sinh\n",
        "  - ten: Giấy chứng sinh\n    chi_khi: sinh_tai_co_so_y_te\n",
        "ngay_ra_soat:",
        "cau_hoi:\n  - ma: sinh_tai_co_so_y_te\n    hoi: Trẻ có sinh tại cơ sở y tế không?\n"
        "    nhan: Sinh tại cơ sở y tế\nngay_ra_soat:",
    )
    assert changes(question) == [
        "Giấy tờ 'Giấy chứng sinh': điều kiện áp dụng: (trống) → sinh_tai_co_so_y_te",
        "Thêm câu hỏi: Trẻ có sinh tại cơ sở y tế không?",
    ]
    reworded = edited("Trẻ có sinh tại cơ sở y tế không?", "Trẻ sinh ở bệnh viện, trạm y tế?", text=question)
    assert changes(reworded, question) == [
        "Câu hỏi 'Trẻ sinh ở bệnh viện, trạm y tế?': câu hỏi: Trẻ có sinh tại cơ sở y tế không? → Trẻ sinh ở bệnh viện, trạm y tế?"]

    requirement = edited("ket_qua:", "dieu_kien: [Trẻ chưa được đăng ký khai sinh]\nket_qua:")
    assert changes(requirement) == ["Thêm điều kiện: Trẻ chưa được đăng ký khai sinh"]
    results = edited("ket_qua: [Giấy khai sinh bản chính]", "ket_qua: [Giấy khai sinh bản chính, Trích lục khai sinh]")
    assert changes(results) == ["Thêm kết quả: Trích lục khai sinh"]
    edited_result = edited("ket_qua: [Giấy khai sinh bản chính]", "ket_qua: [Giấy khai sinh (bản chính)]")
    c = change_objects(edited_result)[0]
    assert (c.field, c.kind, c.text) == ("ket_qua", "changed",
                                         "Sửa kết quả: 'Giấy khai sinh bản chính' → 'Giấy khai sinh (bản chính)'")


def test_other_fields_generically():
    summary = edited("tom_tat: Đăng ký khai sinh cho trẻ em, **đúng hạn** miễn lệ phí.",
                     "tom_tat: " + "Đăng ký khai sinh cho trẻ em sinh ra trong nước. " * 3)
    c = change_objects(summary)[0]
    assert (c.field, c.kind, c.text) == ("tom_tat", "changed", "Tóm tắt: đã sửa")
    assert c.after.startswith("Đăng ký khai sinh cho trẻ em sinh ra")
    assert changes(edited("ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2026-01-05")) == [
        "Ngày rà soát: 20/11/2025 → 05/01/2026"]
    assert changes(edited("tu_khoa: [làm giấy khai sinh]", "tu_khoa: [làm giấy khai sinh, khai sinh cho con]")) == [
        "Thêm từ khóa: khai sinh cho con"]
    assert changes(edited("cap_thuc_hien: [xa]", "cap_thuc_hien: [xa, tinh]")) == ["Thêm cấp thực hiện: Cấp tỉnh"]
    assert changes(edited("ngay_ra_soat:", "nguon:\n  - ten: Cổng dịch vụ công\nngay_ra_soat:")) == [
        "Thêm nguồn: Cổng dịch vụ công"]
    channel = edited("  - hinh_thuc: truc-tiep\n", "  - hinh_thuc: truc-tiep\n    thoi_han: {loai: ngay-lam-viec, so: 2}\n")
    assert changes(channel) == ["Cách thức 'Trực tiếp': thời hạn riêng: (theo thời hạn chung) → 2 ngày làm việc"]


# --- a deadline or fee changed without a new review date ---------------------------------

REVIEWED = ("ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2026-01-05")


@pytest.mark.parametrize("edit,what", [
    (("  loai: trong-ngay\n  gio_cat: \"15:00\"", "  loai: ngay-lam-viec\n  so: 3"), "Thời hạn"),
    (('  gio_cat: "15:00"', '  gio_cat: "16:00"'), "Thời hạn"),
    (("  - hinh_thuc: truc-tiep\n", "  - hinh_thuc: truc-tiep\n    thoi_han: {loai: ngay-lam-viec, so: 2}\n"), "Thời hạn"),
    (("    so_tien: 0", "    so_tien: 8000"), "Phí, lệ phí"),
    (("    so_tien: 0", "    theo_dia_phuong: le-phi-ho-tich.ket-hon"), "Phí, lệ phí"),
    (("ho_so:\n", "  - ten: Phí cấp bản sao\n    loai: phi\n    so_tien: 10000\nho_so:\n"), "Phí, lệ phí"),
    (("    cong_truc_tuyen: https://dichvucong.gov.vn\n",
      "    cong_truc_tuyen: https://dichvucong.gov.vn\n    phi: [{ten: Lệ phí nộp trực tuyến, so_tien: 4000}]\n"),
     "Phí, lệ phí"),
    (("    so_tien: 0", "    so_tien: 8000", '  gio_cat: "15:00"', '  gio_cat: "16:00"'), "Thời hạn và phí, lệ phí"),
])
def test_deadline_or_fee_changed_without_a_new_review_date_warns(edit, what):
    d = compare_file(KHAI_SINH, ORIGINAL.encode(), edited(*edit).encode())
    assert d.warnings == [f"{what} đã thay đổi nhưng ngày rà soát (ngay_ra_soat) vẫn là 20/11/2025: "
                          "đối chiếu với văn bản rồi ghi ngày rà soát mới."]
    assert f"  - ⚠️ {what} đã thay đổi nhưng ngày rà soát" in to_markdown([d])
    assert json.loads(to_json([d]))["procedures"][0]["warnings"] == d.warnings
    # with a new review date, nothing to ask
    assert compare_file(KHAI_SINH, ORIGINAL.encode(), edited(*edit, *REVIEWED).encode()).warnings == []


def test_other_changes_need_no_warning():
    for edit in (("ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh cho trẻ"),
                 ("mien_giam: [Miễn khi đăng ký đúng hạn.]", "mien_giam: [Miễn khi đăng ký đúng hạn., Miễn cho hộ nghèo.]"),
                 ("  - hinh_thuc: truc-tiep\n", "  - hinh_thuc: buu-chinh\n  - hinh_thuc: truc-tiep\n")):
        d = compare_file(KHAI_SINH, ORIGINAL.encode(), edited(*edit).encode())
        expected = ["Phí, lệ phí đã thay đổi nhưng ngày rà soát (ngay_ra_soat) vẫn là 20/11/2025: "
                    "đối chiếu với văn bản rồi ghi ngày rà soát mới."] if "mien_giam" in edit[0] else []
        assert d.status == "changed" and d.warnings == expected, edit
        assert ("⚠️" in to_markdown([d])) == bool(expected)


# --- files added, removed, broken ------------------------------------------------


def test_added_removed_and_broken_files_and_json_shape():
    broken = ORIGINAL.replace("ho_so:", "ho_so: [", 1)
    diffs = compare(
        {KHAI_SINH: ORIGINAL.encode(), KET_HON: KET_HON_TEXT.encode()},
        {KHAI_SINH: broken.encode(), "procedures/ho-tich/dang-ky-moi.yml": ORIGINAL.replace("Đăng ký khai sinh", "Thủ tục mới", 1).encode()},
    )
    assert [(d.path, d.status) for d in diffs] == [
        (KET_HON, "removed"), (KHAI_SINH, "broken"), ("procedures/ho-tich/dang-ky-moi.yml", "added")]
    removed, bad, new = diffs
    assert removed.title == "Đăng ký kết hôn" and removed.id == "dang-ky-ket-hon"
    assert bad.title == "Đăng ký khai sinh" and bad.summary == "bản mới có lỗi, không so sánh được"
    assert bad.errors and bad.errors[0].startswith(f"bản mới: {KHAI_SINH}:")
    assert new.title == "Thủ tục mới" and new.summary.startswith("thủ tục mới (mã 1.000001, trong ngày")
    data = json.loads(to_json(diffs))["procedures"]
    assert [set(d) for d in data] == [{"path", "id", "title", "status", "changes", "errors", "summary", "warnings"}] * 3
    changed = json.loads(to_json(compare({KHAI_SINH: ORIGINAL.encode()}, {KHAI_SINH: STEPS_SWAPPED.encode()})))["procedures"]
    assert changed[0]["status"] == "changed" and changed[0]["changes"] == [{
        "field": "quy_trinh", "kind": "moved", "item": "Ghi sổ và trình ký", "before": "2", "after": "1",
        "text": "Bước 'Ghi sổ và trình ký' chuyển từ vị trí 2 lên 1"}]


def test_broken_on_either_side_never_raises():
    for bad in (b"\xff\xfe t\x00", b"ten: [", b"", b"- a\n- b\n", "ten: Đăng ký khai sinh\n".encode()):
        for old, new in ((ORIGINAL.encode(), bad), (bad, ORIGINAL.encode())):
            d = compare_file(KHAI_SINH, old, new)
            assert d.status == "broken" and d.errors, (old[:10], new[:10])
    d = compare_file(KHAI_SINH, b"ten: [", ORIGINAL.encode())
    assert d.summary.startswith("bản cũ có lỗi") and d.title == "Đăng ký khai sinh"


def test_markdown_for_a_pull_request():
    new = edited("    so_tien: 0", "    so_tien: 8000", "ten: Đăng ký khai sinh", "ten: Đăng ký *khai sinh*")
    md = to_markdown(compare({KHAI_SINH: ORIGINAL.encode()}, {KHAI_SINH: new.encode()}), "`main`", "thư mục làm việc")
    assert md.splitlines() == [
        "### Tóm tắt thay đổi nội dung thủ tục",
        "",
        "So sánh `main` với thư mục làm việc: 1 thủ tục sửa.",
        "",
        f"- **Đăng ký \\*khai sinh\\*** (`{KHAI_SINH}`)",
        "  - Tên thủ tục: Đăng ký khai sinh → Đăng ký \\*khai sinh\\*",
        "  - Lệ phí 'Lệ phí đăng ký khai sinh': miễn phí → 8.000 đồng",
        "  - ⚠️ Phí, lệ phí đã thay đổi nhưng ngày rà soát (ngay\\_ra\\_soat) vẫn là 20/11/2025: "
        "đối chiếu với văn bản rồi ghi ngày rà soát mới.",
    ]
    assert "không có thay đổi" in to_markdown([], "`a`", "`b`")
    assert md_escape("<b>[x](y)</b>") == "\\<b\\>\\[x\\](y)\\</b\\>"


# --- through git ---------------------------------------------------------------------

pytestmark_git = pytest.mark.skipif(shutil.which("git") is None, reason="cần git")


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def make_repo(root, branch="main"):
    git(root, "init", "-q", "-b", branch)
    git(root, "config", "user.name", "Kiểm thử")
    git(root, "config", "user.email", "kiem-thu@example.invalid")
    git(root, "config", "commit.gpgsign", "false")


def commit(root, message):
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", message)


def rewrite(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytestmark_git
def test_diff_against_the_merge_base_with_main_includes_uncommitted_work(mini, run):
    make_repo(mini)
    commit(mini, "Bản đầu")
    git(mini, "checkout", "-q", "-b", "sua-khai-sinh")
    rewrite(mini, KHAI_SINH, "    so_tien: 0", "    so_tien: 8000")
    commit(mini, "Sửa lệ phí")
    rewrite(mini, KET_HON, "  so: 5", "  so: 3")  # not committed
    result = run("diff")
    assert result.exit_code == 0, result.output
    assert "2 thủ tục sửa" in result.output
    assert "  - Lệ phí 'Lệ phí đăng ký khai sinh': miễn phí → 8.000 đồng" in result.output
    assert "  - Thời hạn: 5 ngày làm việc → 3 ngày làm việc" in result.output
    # the committed change only, between two revisions, as JSON
    data = json.loads(run("diff", "main", "HEAD", "--json").output)["procedures"]
    assert [(d["path"], d["status"]) for d in data] == [(KHAI_SINH, "changed")]
    assert data[0]["changes"][0]["field"] == "phi.so_tien"


@pytestmark_git
def test_diff_layout_only_commit_is_silent_and_removed_file_is_named(mini, run):
    make_repo(mini)
    commit(mini, "Bản đầu")
    rewrite(mini, KHAI_SINH, "cap_thuc_hien: [xa]", "# cấp xã\ncap_thuc_hien:\n  - 'xa'")
    commit(mini, "Chỉ định dạng")
    assert "không có thay đổi nội dung thủ tục" in run("diff", "HEAD~1", "HEAD").output
    (mini / KET_HON).unlink()
    out = run("diff", "HEAD").output
    assert f"- **Đăng ký kết hôn** (`{KET_HON}`): đã xóa" in out


@pytestmark_git
def test_diff_without_main_falls_back_to_previous_commit_then_empty_tree(mini, run):
    make_repo(mini, branch="lam-viec")
    # no commits yet: everything is new
    data = json.loads(run("diff", "--json").output)["procedures"]
    assert sorted((d["path"], d["status"]) for d in data) == [(KET_HON, "added"), (KHAI_SINH, "added")]
    commit(mini, "Bản đầu")
    # one commit, no main: compared with the empty tree
    assert len(json.loads(run("diff", "--json").output)["procedures"]) == 2
    rewrite(mini, KHAI_SINH, "ten: Đăng ký khai sinh", "ten: Đăng ký khai sinh cho trẻ")
    commit(mini, "Đổi tên")
    # two commits, no main: HEAD~1
    data = json.loads(run("diff", "--json").output)["procedures"]
    assert [(d["path"], d["status"]) for d in data] == [(KHAI_SINH, "changed")]
    assert data[0]["title"] == "Đăng ký khai sinh cho trẻ"


@pytestmark_git
def test_diff_with_broken_file_reports_it(mini, run):
    make_repo(mini)
    commit(mini, "Bản đầu")
    rewrite(mini, KHAI_SINH, "ho_so:", "ho_so: [")
    result = run("diff")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert f"- **Đăng ký khai sinh** (`{KHAI_SINH}`): ⚠️ bản mới có lỗi, không so sánh được" in result.output


@pytestmark_git
def test_diff_errors_are_sentences(mini, run):
    result = run("diff")
    assert result.exit_code == 1 and "không nằm trong một kho git" in result.output
    make_repo(mini)
    commit(mini, "Bản đầu")
    result = run("diff", "khong-co-nhanh-nay")
    assert result.exit_code == 1 and "không tìm thấy phiên bản 'khong-co-nhanh-nay'" in result.output


def test_diff_help_has_an_example(run):
    result = run("diff", "--help")
    assert result.exit_code == 0 and "Ví dụ:" in result.output and "[BASE [HEAD]]" in result.output


@pytestmark_git
def test_diff_command_warns_when_a_fee_or_deadline_changed_without_a_new_review_date(mini, run):
    make_repo(mini)
    commit(mini, "Bản đầu")
    rewrite(mini, KHAI_SINH, "    so_tien: 0", "    so_tien: 8000")  # review date kept
    rewrite(mini, KET_HON, "  so: 5", "  so: 3")
    rewrite(mini, KET_HON, "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2025-11-25")  # reviewed again
    output = run("diff", "HEAD").output
    warning = ("  - ⚠️ Phí, lệ phí đã thay đổi nhưng ngày rà soát (ngay\\_ra\\_soat) vẫn là 20/11/2025: "
               "đối chiếu với văn bản rồi ghi ngày rà soát mới.")
    assert output.count("⚠️") == 1
    khai_sinh = output.index(f"(`{KHAI_SINH}`)")
    assert output.index(warning) > khai_sinh and output.index(warning) > output.index("miễn phí → 8.000 đồng")
    data = {d["path"]: d for d in json.loads(run("diff", "HEAD", "--json").output)["procedures"]}
    assert data[KET_HON]["warnings"] == [] and data[KHAI_SINH]["warnings"][0].startswith("Phí, lệ phí đã thay đổi")


@pytestmark_git
def test_validate_reminds_of_the_review_date_after_editing_a_fee_or_deadline(mini, run):
    assert "cảnh báo" not in run("validate").output  # not a git repository: nothing to compare with
    make_repo(mini)
    commit(mini, "Bản đầu")
    rewrite(mini, KET_HON, "  so: 5", "  so: 3")
    line = next(n for n, row in enumerate((mini / KET_HON).read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("ngay_ra_soat"))
    for args in (("validate",), ("validate", KET_HON), ("validate", "--strict")):
        result = run(*args)
        assert result.exit_code == 0, result.output  # a reminder, not an error
        assert (f"{KET_HON}:{line}:15: cảnh báo: thời hạn đã sửa so với bản đã commit nhưng ngày rà soát vẫn là "
                "20/11/2025") in result.output
    rewrite(mini, KET_HON, "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2025-11-21")
    assert "cảnh báo" not in run("validate").output
    commit(mini, "Sửa thời hạn")
    assert "cảnh báo" not in run("validate").output  # committed: nothing left to remind


@pytestmark_git
def test_no_review_reminder_when_the_review_date_is_already_today(mini, run):
    from generator.content.edition import today_in_vietnam

    make_repo(mini)
    rewrite(mini, KET_HON, "ngay_ra_soat: 2025-11-20", f"ngay_ra_soat: {today_in_vietnam().isoformat()}")
    commit(mini, "Rà soát hôm nay")
    rewrite(mini, KET_HON, "  so: 5", "  so: 3")  # edited again the same day
    assert "cảnh báo" not in run("validate").output
