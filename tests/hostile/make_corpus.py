"""Write the hostile/broken input corpus from the valid fixture procedure.

Each case edits the valid file and names the text at which the error must be
reported; the expected line:column is computed here from the text alone (not
by running the validator), and written to expected.txt next to the files.
Registries (handbook/data/) get the same treatment in data/: each file there
replaces the registry named before its "--", expectations in data/expected.txt.
Run from this folder: python make_corpus.py
"""

from pathlib import Path

HERE = Path(__file__).parent
BASE = (HERE.parent / "fixtures/mini/procedures/ho-tich/dang-ky-khai-sinh.yml").read_text(encoding="utf-8")
REGISTRIES = HERE.parent / "fixtures/mini/handbook/data"
# The fixture has no triage file: a valid one to break.
TRIAGE = """giay-to-khai-sinh:
  ten: Làm giấy tờ khai sinh cho trẻ
  linh_vuc: ho-tich
  cau_hoi:
    hoi: Trẻ đã được đăng ký khai sinh chưa?
    lua_chon:
      - nhan: Chưa
        den: dang-ky-khai-sinh
      - nhan: Kết hôn trước đã
        den: dang-ky-ket-hon
"""
_LAW = "  loai: luat\n  trich_yeu: Luật Hộ tịch\n  co_quan_ban_hanh: Quốc hội\n  ngay_ban_hanh: 2014-11-20\n"

# name, old text, new text, text at the error (first occurrence in the result, or None for 1:1), message part
CASES = [
    ("cu-phap-nhay-chua-dong", "ten: Đăng ký khai sinh", 'ten: "Đăng ký khai sinh', None, "lỗi cú pháp YAML"),
    ("cu-phap-ngoac-chua-dong", "cap_thuc_hien: [xa]", "cap_thuc_hien: [xa", None, "lỗi cú pháp YAML"),
    ("cu-phap-thut-le-sai", "  - hinh_thuc: truc-tiep\n", "  - hinh_thuc: truc-tiep\n   sai: 1\n", None, "lỗi cú pháp YAML"),
    ("tab-thut-le", "  loai: trong-ngay", "\tloai: trong-ngay", "\tloai", "Tab"),
    ("tep-rong", BASE, "", None, "tệp rỗng"),
    ("chi-co-chu-thich", BASE, "# chỉ có chú thích\n", None, "tệp rỗng"),
    ("danh-sach-o-goc", BASE, "- ten: Đăng ký khai sinh\n", "- ten", "cần một khối khóa"),
    ("chuoi-o-goc", BASE, "Đăng ký khai sinh\n", "Đăng ký khai sinh", "cần một khối khóa"),
    ("khoa-lap-goc", "linh_vuc: ho-tich\n", "linh_vuc: ho-tich\nlinh_vuc: ho-tich\n", "linh_vuc: ho-tich\nlinh_vuc", "bị lặp"),
    ("khoa-lap-sau", "    vai_tro: Công chức Bộ phận Một cửa\n", "    vai_tro: Công chức Bộ phận Một cửa\n    vai_tro: Khác\n", "vai_tro: Khác", "bị lặp"),
    ("neo-bi-danh", "doi_tuong: [Cha, mẹ của trẻ]", "doi_tuong: &d [Cha, mẹ của trẻ]\ncoquan: *d", "&d", "neo YAML"),
    ("billion-laughs", BASE, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "&a", "neo YAML"),
    ("the-python", "phu_trach: Công chức Tư pháp - Hộ tịch", "phu_trach: !!python/object/apply:os.system [echo hi]", "!!python", "thẻ kiểu YAML"),
    ("the-tu-dat", "phu_trach: Công chức Tư pháp - Hộ tịch", "phu_trach: !vidu Công chức", "!vidu", "thẻ kiểu YAML"),
    ("ky-tu-nul", "tom_tat: Đăng ký", "tom_tat: Đăng\x00 ký", "\x00", "ký tự điều khiển"),
    ("ky-tu-dieu-khien", "tom_tat: Đăng ký", "tom_tat: Đăng\x07 ký", "\x07", "ký tự điều khiển"),
    ("ky-tu-rong-0", "ten: Đăng ký khai sinh", "ten: Đăng ký\u200b khai sinh", "\u200b", "rộng bằng 0"),
    ("ky-tu-dao-chieu", "ten: Đăng ký khai sinh", "ten: Đăng ký \u202ekhai sinh", "\u202e", "hướng chữ"),
    ("ma-tcvn3", "tom_tat: Đăng ký khai sinh", "tom_tat: §¨ng ký khai sinh tại Hµ Néi", "§¨ng", "TCVN3"),
    ("ma-vni", "tom_tat: Đăng ký khai sinh", "tom_tat: Ñaêng kyù khai sinh taïi Haø Noäi", "Ñaêng", "VNI"),
    ("yes-la-chuoi", "phu_trach: Công chức Tư pháp - Hộ tịch", "phu_trach: yes", "yes", "giá trị đúng/sai"),
    ("on-la-chuoi", "    vai_tro: Công chức Bộ phận Một cửa", "    vai_tro: on", "on\n", "giá trị đúng/sai"),
    ("so-thap-phan-ma", 'ma_thu_tuc: "1.000001"', "ma_thu_tuc: 1.10", "1.10", "số thập phân"),
    ("ngay-thay-chuoi", "phu_trach: Công chức Tư pháp - Hộ tịch", "phu_trach: 2025-01-01", "2025-01-01", "ngày tháng"),
    ("so-nguyen-thay-chuoi", "co_quan_thuc_hien: UBND cấp xã", "co_quan_thuc_hien: 123", "123", "số nguyên"),
    ("khoa-sai-chinh-ta", "tom_tat:", "tom_tac:", "tom_tac", "khóa không hợp lệ 'tom_tac'"),
    ("khoa-la", "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2025-11-20\nmat_khau: 1", "mat_khau", "khóa không hợp lệ"),
    ("sai-kieu-danh-sach", "cap_thuc_hien: [xa]", "cap_thuc_hien: xa", "xa\n", "cần một danh sách"),
    ("sai-kieu-so", "phi:\n  - ten: Lệ phí đăng ký khai sinh\n    so_tien: 0", "phi:\n  - ten: Lệ phí đăng ký khai sinh\n    so_tien: không", "không", "cần một số nguyên"),
    ("so-qua-lon", "ten: Tờ khai đăng ký khai sinh\n", "ten: Tờ khai đăng ký khai sinh\n    so_luong: 500\n", "500", "không được lớn hơn 20"),
    ("phi-am", "so_tien: 0", "so_tien: -8000", "-8000", "không được nhỏ hơn 0"),
    ("ngay-khong-ton-tai", "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2025-02-29", "2025-02-29", "không tồn tại"),
    ("ngay-sai-dang", "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 20/11/2025", "20/11/2025", "YYYY-MM-DD"),
    ("gio-sai", 'gio_cat: "15:00"', 'gio_cat: "25:00"', '"25:00"', "HH:MM"),
    ("lua-chon-sai", "  - hinh_thuc: truc-tiep", "  - hinh_thuc: truc-tep", "truc-tep", "không hợp lệ cho 'hinh_thuc'"),
    ("thieu-khoa-bat-buoc", "phu_trach: Công chức Tư pháp - Hộ tịch\n", "", None, "thiếu khóa bắt buộc 'phu_trach'"),
    ("gia-tri-rong", "co_quan_thuc_hien: UBND cấp xã", "co_quan_thuc_hien: ''", "''", "không được để trống"),
    ("url-javascript", "cong_truc_tuyen: https://dichvucong.gov.vn", "cong_truc_tuyen: javascript:alert(1)", "javascript", "không hợp lệ"),
    ("url-data", "cong_truc_tuyen: https://dichvucong.gov.vn", "cong_truc_tuyen: 'data:text/html,<script>alert(1)</script>'", "'data", "không hợp lệ"),
    ("thu-tuc-khong-co", "lien_quan: [dang-ky-ket-hon]", "lien_quan: [dang-ky-ket-hon, ../../etc/passwd]", "../../etc", "không có thủ tục"),
    ("tep-mau-thoat-ra", "ten: Tờ khai đăng ký khai sinh\n", "ten: Tờ khai đăng ký khai sinh\n    tep_mau: mau/../../../etc/shadow.pdf\n", "mau/../", "tệp mẫu"),
    ("tep-mau-khong-co", "ten: Tờ khai đăng ký khai sinh\n", "ten: Tờ khai đăng ký khai sinh\n    tep_mau: mau/khong-co.pdf\n", "mau/khong-co", "không có tệp mẫu"),
    ("lien-ket-thoat-ra", "miễn lệ phí.", "miễn lệ phí. [xem](/../../etc/passwd)", "Đăng ký khai sinh cho trẻ", "không được phép"),
    ("lien-ket-trang-khong-co", "miễn lệ phí.", "miễn lệ phí. [xem](/thu-tuc/ho-tich/khong-co/)", "Đăng ký khai sinh cho trẻ", "không có trong sổ tay"),
    ("lien-ket-javascript", "miễn lệ phí.", "miễn lệ phí. [bấm](javascript:alert(1))", "Đăng ký khai sinh cho trẻ", "không được phép"),
    ("van-ban-khong-co", "  - van_ban: 60/2014/QH13", "  - van_ban: 99/2099/QH99", "99/2099", "không có trong handbook/data/van-ban.yml"),
    ("linh-vuc-khong-co", "linh_vuc: ho-tich", "linh_vuc: ho-tic", "ho-tic", "lĩnh vực 'ho-tic'"),
    ("muc-thu-khong-co", "    so_tien: 0\n", "    theo_dia_phuong: khong-co.muc-thu\n", "khong-co.muc-thu", "mức thu"),
    ("truc-tuyen-thieu-cong", "    cong_truc_tuyen: https://dichvucong.gov.vn\n", "", "hinh_thuc: truc-tuyen", "cong_truc_tuyen"),
    ("ma-trung", "ten: Đăng ký khai sinh", "ten: Một thủ tục khác", '"1.000001"', "trùng với procedures/ho-tich/dang-ky-khai-sinh.yml"),
    ("ten-trung", 'ma_thu_tuc: "1.000001"\n', "", "Đăng ký khai sinh", "tên thủ tục trùng"),
    ("truong-xac-minh-sai", "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2025-11-20\ncan_xac_minh:\n  - truong: phii\n    ly_do: x", "truong: phii", "không phải một khóa"),
]

# Bounds: content made to make a check slow or crash it (the test runs each
# with a time limit).  ``at`` may be (text, characters after its start).
LAST = "phu_trach: Công chức Tư pháp - Hộ tịch"
GUIDE = ("\ncau_hoi:\n  - ma: qua_han\n    hoi: Quá hạn chưa?\n    nhan: Quá hạn\n"
         "  - ma: so_tre\n    hoi: Mấy trẻ?\n    nhan: Số trẻ\n    kieu: so\nluu_y:\n")


def guided(*conditions: str) -> str:
    """The procedure's last line, then its questions and a note per condition."""
    return LAST + GUIDE + "".join(f'  - noi_dung: Lưu ý.\n    chi_khi: "{c}"\n' for c in conditions).rstrip("\n")


YES_NO = [f"q{i:02d}" for i in range(1, 18)]
NEVER = " và ".join([YES_NO[0], "không " + YES_NO[0], *YES_NO[1:]])  # the old checker tried 100,000 answers for each
QUIZ = ("\ndao_tao:\n  muc_tieu: [Biết thời hạn.]\n  cau_hoi_kiem_tra:\n    - ma: thoi-han\n      hoi: Thời hạn?\n"
        "      lua_chon: [" + ", ".join(f"Lựa chọn {i}" for i in range(1, 28)) + "]\n      dap_an: [1]\n"
        "      giai_thich: Vì luật.\n      can_cu: {van_ban: 60/2014/QH13}")
MAX_NODES = 20_000  # generator/content/yamlsource.py: the error is at the value after that many
CASES += [
    ("dinh-dang-ngoac-vuong", "miễn lệ phí.", "miễn lệ phí. [bấm](javascript:alert(1)) " + "[" * 65_000,
     "Đăng ký khai sinh cho trẻ", "không được phép"),
    ("dinh-dang-lien-ket-mo", "miễn lệ phí.", "miễn lệ phí. " + "[a](b" * 13_000 + " [bấm](javascript:alert(1))",
     "Đăng ký khai sinh cho trẻ", "không được phép"),
    ("dieu-kien-long-sau", LAST, guided("(" * 25 + "qua_han" + ")" * 25), "(" * 5 + "qua_han", "lồng nhau quá sâu"),
    ("dieu-kien-khong-lap", LAST, guided("không " * 25 + "qua_han"), "không " * 5 + "qua_han", "lồng nhau quá sâu"),
    ("dieu-kien-qua-dai", LAST, guided("so_tre > " + "9" * 5000), "so_tre > 9", "điều kiện quá dài"),
    ("dieu-kien-so-dai", LAST, guided("so_tre > 1" + "0" * 400 + ".5"), "1" + "0" * 20, "số quá dài"),
    ("dieu-kien-so-qua-lon", LAST, guided("qua_han và so_tre < 10000000000001"), "10000000000001", "quá lớn"),
    ("cau-hoi-co-khong-nhieu", LAST,
     LAST + "\ncau_hoi:\n" + "".join(f"  - ma: {q}\n    hoi: Câu {q}?\n    nhan: Câu {q}\n" for q in YES_NO)
     + "luu_y:\n" + "".join(f'  - noi_dung: Lưu ý {i}.\n    chi_khi: "{NEVER}"\n' for i in range(60)).rstrip("\n"),
     NEVER, "không bao giờ hiện"),
    ("cau-hoi-qua-nhieu", LAST,
     LAST + "\ncau_hoi:\n" + "".join(f"  - ma: c{i}\n    hoi: Câu {i}?\n    nhan: Câu {i}\n" for i in range(1, 32))
     + '  - ma: c32\n    hoi: Câu 32?\n    nhan: Câu 32\nluu_y:\n  - noi_dung: Lưu ý.\n    chi_khi: c1',
     "ma: c31\n", "tối đa 30"),
    ("trac-nghiem-qua-nhieu-lua-chon", LAST, LAST + QUIZ, "Lựa chọn 27", "tối đa 26"),
    ("so-nguyen-dai", "ten: Tờ khai đăng ký khai sinh\n", "ten: Tờ khai đăng ký khai sinh\n    so_luong: " + "9" * 5000 + "\n",
     "9999", "số quá dài"),
    ("ky-tu-rong-0-nhieu", "ten: Đăng ký khai sinh", "ten: Đăng ký" + "\u200b" * 300 + " khai sinh",
     ("\u200b", 200), "quá nhiều lỗi"),
    ("qua-nhieu-gia-tri", "tu_khoa: [làm giấy khai sinh]\n", "", None, None),  # written below: the list comes first
]

# Registry keys that become page paths, folder names or anchors (generator/content/ids.py):
# registry, name, old text, new text, text at the error, message part.
REGISTRY_CASES = [
    ("linh-vuc", "ma-co-dau", "ho-tich:\n", "ho-tich:\n  ten: Hộ tịch\nHộ Tịch Mới:\n", "Hộ Tịch Mới", "mã lĩnh vực 'Hộ Tịch Mới' không hợp lệ"),
    ("linh-vuc", "ma-thoat-ra", "ho-tich:\n", "ho-tich:\n  ten: Hộ tịch\n../../etc:\n", "../../etc", "mã lĩnh vực '../../etc' không hợp lệ"),
    ("linh-vuc", "ma-chu-hoa", "ho-tich:\n", "ho-tich:\n  ten: Hộ tịch\nHo-Tich:\n", "Ho-Tich", "không hợp lệ"),
    ("linh-vuc", "ma-qua-dai", "ho-tich:\n", "ho-tich:\n  ten: Hộ tịch\n" + "ho-tich-" * 12 + "x:\n", "ho-tich-ho", "tối đa 80"),
    ("van-ban", "trung-duong-dan", "60/2014/QH13:\n", "60/2014/QH13:\n" + _LAW + "60-2014-qh13:\n", "60-2014-qh13",
     "trùng đường dẫn trang với '60/2014/QH13' (dòng 1)"),
    ("van-ban", "trung-chu-hoa", "60/2014/QH13:\n", "60/2014/QH13:\n" + _LAW + "60/2014/qh13:\n", "60/2014/qh13",
     "trùng đường dẫn trang với '60/2014/QH13'"),
    ("van-ban", "trung-dau", "60/2014/QH13:\n", "60/2014/ND-CP:\n" + _LAW + "60/2014/NĐ-CP:\n", "60/2014/NĐ-CP",
     "trùng đường dẫn trang với '60/2014/ND-CP'"),
    ("van-ban", "khong-co-chu-so", "60/2014/QH13:\n", "60/2014/QH13:\n" + _LAW + "'!!!':\n", "'!!!'", "không có chữ hay chữ số nào"),
    ("van-ban", "qua-dai", "60/2014/QH13:\n", "60/2014/QH13:\n" + _LAW + "60/2014/" + "QH" * 50 + ":\n", "60/2014/QHQH", "quá dài"),
    ("thuat-ngu", "co-dau-cach", "UBND:", "UBND xã: { nghia: Ủy ban nhân dân xã }\nUBND:", "UBND xã", "có dấu cách"),
    ("thuat-ngu", "trung-chu-hoa", "UBND: { nghia: Ủy ban nhân dân }\n", "UBND: { nghia: Ủy ban nhân dân }\nUbnd: { nghia: x }\n", "Ubnd",
     "trùng với 'UBND' (dòng 1)"),
    ("cong-dan-can-gi", "ma-co-dau", "giay-to-khai-sinh:", "Giấy tờ khai sinh:", "Giấy tờ", "mã cây 'Giấy tờ khai sinh' không hợp lệ"),
]


def registry_cases() -> None:
    folder = HERE / "data"
    folder.mkdir(exist_ok=True)
    lines = []
    for registry, name, old, new, at, message in REGISTRY_CASES:
        base = TRIAGE if registry == "cong-dan-can-gi" else (REGISTRIES / f"{registry}.yml").read_text(encoding="utf-8")
        assert old in base, name
        text = base.replace(old, new, 1)
        index = text.index(at)
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        (folder / f"{registry}--{name}.yml").write_bytes(text.encode("utf-8"))
        lines.append(f"{registry}--{name}.yml:{line}:{col}: {message}")
    (folder / "expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    lines = []
    for name, old, new, at, message in CASES:
        assert old in BASE, name
        text = BASE.replace(old, new, 1)
        if name == "qua-nhieu-gia-tri":
            # Nodes in order: the root block, the key tu_khoa, its list, then the items.
            head = "tu_khoa: ["
            text = head + "a, " * (MAX_NODES + 100) + "a]\n" + text
            at, message = (head, len(head) + 3 * (MAX_NODES - 3)), "quá nhiều giá trị"
        extra = 0
        if isinstance(at, tuple):
            at, extra = at
        # Files sort after the fixture files so cross-file errors land on them.
        path = HERE / f"z-{name}.yml"
        path.write_bytes(text.encode("utf-8"))
        if at is None:
            line, col = 1, 1
        else:
            index = text.index(at) + extra + (len("linh_vuc: ho-tich\n") if name == "khoa-lap-goc" else 0)
            line = text.count("\n", 0, index) + 1
            col = index - (text.rfind("\n", 0, index) + 1) + 1
        if name == "cu-phap-nhay-chua-dong":
            line, col = 2, 14  # PyYAML reports where the unclosed scalar stops making sense
        if name == "cu-phap-ngoac-chua-dong":
            line, col = 5, 18
        if name == "cu-phap-thut-le-sai":
            line, col = 10, 4
        lines.append(f"z-{name}.yml:{line}:{col}: {message}")
    # Encodings: bytes that are not UTF-8 text.
    (HERE / "z-utf16.yml").write_bytes(BASE.encode("utf-16"))
    lines.append("z-utf16.yml:1:1: UTF-16")
    (HERE / "z-windows-1258.yml").write_bytes("ten: Đăng\n".encode("cp1258"))
    lines.append("z-windows-1258.yml:1:6: không phải UTF-8")
    (HERE / "expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    registry_cases()


if __name__ == "__main__":
    main()
