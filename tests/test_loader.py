"""The YAML loader and schema validation: every problem located, in Vietnamese."""

from generator.content.handbook import load_handbook

from conftest import write

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"


def errors_for(root, rel):
    _, sink = load_handbook(root, only=[root / rel])
    return [(e.path, e.line, e.column, e.message, e.hint) for e in sink.errors]


def replace_in(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root, rel, needle):
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_valid_fixture_has_no_errors(mini):
    hb, sink = load_handbook(mini)
    assert sink.errors == []
    assert sorted(hb.procedures) == ["dang-ky-ket-hon", "dang-ky-khai-sinh"]
    p = hb.procedures["dang-ky-khai-sinh"]
    assert p.title == "Đăng ký khai sinh"
    assert p.code == "1.000001"
    assert p.deadline.kind == "trong-ngay" and p.deadline.cutoff == "15:00"
    assert p.steps[0].checklist[0].startswith("Kiểm tra giấy tờ")
    assert p.path == KHAI_SINH


def test_duplicate_key_is_reported_at_the_second_occurrence(mini):
    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich\n", "linh_vuc: ho-tich\nten: Tên thứ hai\n")
    line = line_of(mini, KHAI_SINH, "ten: Tên thứ hai")
    errs = errors_for(mini, KHAI_SINH)
    assert (KHAI_SINH, line, 1) in [e[:3] for e in errs]
    assert any("khóa 'ten' bị lặp (đã có ở dòng 1)" in e[3] for e in errs)


def test_duplicate_key_nested(mini):
    replace_in(mini, KHAI_SINH, "    vai_tro: Công chức Bộ phận Một cửa\n", "    vai_tro: A\n    vai_tro: B\n")
    line = line_of(mini, KHAI_SINH, "vai_tro: B")
    assert [e[:3] for e in errors_for(mini, KHAI_SINH)] == [(KHAI_SINH, line, 5)]


def test_misspelt_key_suggests_the_closest(mini):
    replace_in(mini, KHAI_SINH, "tom_tat:", "tom_tac:")
    line = line_of(mini, KHAI_SINH, "tom_tac:")
    errs = errors_for(mini, KHAI_SINH)
    assert (KHAI_SINH, line, 1, "khóa không hợp lệ 'tom_tac'", "có phải ý bạn là 'tom_tat'?") in errs


def test_wrong_type(mini):
    replace_in(mini, KHAI_SINH, "cap_thuc_hien: [xa]", "cap_thuc_hien: xa")
    line = line_of(mini, KHAI_SINH, "cap_thuc_hien")
    errs = errors_for(mini, KHAI_SINH)
    assert [e[:3] for e in errs] == [(KHAI_SINH, line, 16)]
    assert "cần một danh sách" in errs[0][3]


def test_number_where_string_expected_asks_to_quote(mini):
    replace_in(mini, KHAI_SINH, 'ma_thu_tuc: "1.000001"', "ma_thu_tuc: 1.10")
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1
    assert "được YAML hiểu là số thập phân" in errs[0][3]
    assert 'đặt trong dấu nháy kép: "1.10"' in errs[0][4]


def test_yes_no_is_not_silently_a_boolean(mini):
    replace_in(mini, KHAI_SINH, "phu_trach: Công chức Tư pháp - Hộ tịch", "phu_trach: yes")
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1 and "giá trị đúng/sai" in errs[0][3]


def test_impossible_date(mini):
    replace_in(mini, KHAI_SINH, "ngay_ra_soat: 2025-11-20", "ngay_ra_soat: 2025-02-30")
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1 and "ngày '2025-02-30' không tồn tại" in errs[0][3]


def test_missing_required_key(mini):
    replace_in(mini, KHAI_SINH, "phu_trach: Công chức Tư pháp - Hộ tịch\n", "")
    errs = errors_for(mini, KHAI_SINH)
    assert [e[:3] for e in errs] == [(KHAI_SINH, 1, 1)]
    assert "thiếu khóa bắt buộc 'phu_trach'" in errs[0][3]


def test_bad_choice_suggests(mini):
    replace_in(mini, KHAI_SINH, "  - hinh_thuc: truc-tiep", "  - hinh_thuc: truc-tep")
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1 and "có phải ý bạn là 'truc-tiep'?" in errs[0][4]


def test_negative_fee(mini):
    replace_in(mini, KHAI_SINH, "so_tien: 0", "so_tien: -5000")
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1 and "không được nhỏ hơn 0" in errs[0][3]


def test_dangling_references_each_located(mini):
    replace_in(mini, KHAI_SINH, "lien_quan: [dang-ky-ket-hon]", "lien_quan: [dang-ky-ket-hon, khong-co-thu-tuc]")
    replace_in(mini, KHAI_SINH, "  - van_ban: 60/2014/QH13", "  - van_ban: 99/2099/QH99")
    errs = errors_for(mini, KHAI_SINH)
    messages = {e[3]: e[1:3] for e in errs}
    assert messages["không có thủ tục 'khong-co-thu-tuc'"] == (line_of(mini, KHAI_SINH, "lien_quan"), 30)
    assert messages["văn bản '99/2099/QH99' không có trong handbook/data/van-ban.yml"] == (
        line_of(mini, KHAI_SINH, "99/2099/QH99"), 14)


def test_unknown_field(mini):
    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich", "linh_vuc: ho-tic")
    errs = errors_for(mini, KHAI_SINH)
    assert any("lĩnh vực 'ho-tic' không có" in e[3] and "'ho-tich'" in e[4] for e in errs)


def test_syntax_error_location(mini):
    path = write(mini / KHAI_SINH, 'ten: "Đăng ký khai sinh\nlinh_vuc: ho-tich\n')
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1 and errs[0][3].startswith("lỗi cú pháp YAML")
    assert path.exists()


def test_anchor_alias_and_tags_rejected(mini):
    write(mini / KHAI_SINH, "a: &x [1]\nb: *x\nc: !!python/object:os.system echo\n")
    errs = errors_for(mini, KHAI_SINH)
    found = {(e[1], e[2]): e[3] for e in errs}
    assert "neo YAML (&x)" in found[(1, 4)]
    assert "bí danh YAML (*x)" in found[(2, 4)]
    assert "thẻ kiểu YAML (tag:yaml.org,2002:python/object:os.system)" in found[(3, 4)]


def test_empty_file_and_non_mapping(mini):
    write(mini / KHAI_SINH, "")
    assert errors_for(mini, KHAI_SINH)[0][3] == "tệp rỗng"
    write(mini / KHAI_SINH, "- một\n- hai\n")
    assert "cần một khối khóa: giá trị" in errors_for(mini, KHAI_SINH)[0][3]


def test_encoding_problems(mini):
    path = mini / KHAI_SINH
    path.write_bytes("ten: Đăng ký\n".encode("utf-16"))
    assert "UTF-16" in errors_for(mini, KHAI_SINH)[0][3]
    path.write_bytes("ten: Hµ Néi\n".encode("utf-8"))
    err = errors_for(mini, KHAI_SINH)[0]
    assert err[1:3] == (1, 6) and "TCVN3" in err[3] and "Unikey" in err[4]
    path.write_bytes("ten: a\u200bb\n".encode("utf-8"))
    assert errors_for(mini, KHAI_SINH)[0][1:3] == (1, 7)


def test_bom_is_accepted_and_text_is_nfc(mini):
    path = mini / KHAI_SINH
    text = path.read_text(encoding="utf-8").replace("ten: Đăng ký khai sinh", "ten: " + "Đăng ký khai sinh".encode().decode())
    import unicodedata
    decomposed = unicodedata.normalize("NFD", text)
    path.write_bytes(b"\xef\xbb\xbf" + decomposed.encode("utf-8"))
    hb, sink = load_handbook(mini)
    assert sink.errors == []
    assert hb.procedures["dang-ky-khai-sinh"].title == unicodedata.normalize("NFC", "Đăng ký khai sinh")


def test_file_name_must_be_a_slug(mini):
    bad = mini / "procedures/ho-tich/Đăng ký.yml"
    bad.write_text((mini / KHAI_SINH).read_text(encoding="utf-8"), encoding="utf-8")
    _, sink = load_handbook(mini)
    assert any("tên tệp 'Đăng ký.yml' không hợp lệ" in e.message for e in sink.errors)


def test_same_code_and_title_in_two_files(mini):
    copy = mini / "procedures/ho-tich/dang-ky-khai-sinh-2.yml"
    copy.write_text((mini / KHAI_SINH).read_text(encoding="utf-8"), encoding="utf-8")
    _, sink = load_handbook(mini)
    found = [(e.path, e.line, e.message) for e in sink.errors]
    # Reported in both files, each naming the other with its line: whichever the editor opens shows it.
    assert len(found) == 4
    for path, line, message in found:
        other = ({KHAI_SINH, "procedures/ho-tich/dang-ky-khai-sinh-2.yml"} - {path}).pop()
        assert message.endswith(f"trùng với {other}:{line}")  # the same line: the files are copies
    assert sorted((p, m.split(" trùng")[0]) for p, _, m in found) == sorted(
        (p, what) for p in (KHAI_SINH, "procedures/ho-tich/dang-ky-khai-sinh-2.yml")
        for what in ("mã thủ tục '1.000001'", "tên thủ tục"))


def test_a_title_written_in_three_files_names_the_two_others_in_each(mini):
    for name in ("a-thu-tuc", "z-thu-tuc"):
        text = (mini / KHAI_SINH).read_text(encoding="utf-8").replace('ma_thu_tuc: "1.000001"\n', "")
        # Same title but for case and Unicode form, one line lower in the second copy.
        if name == "z-thu-tuc":
            text = "# bản sao\n" + text.replace("ten: Đăng ký khai sinh", "ten: ĐĂNG KÝ KHAI SINH")
        (mini / f"procedures/ho-tich/{name}.yml").write_text(text, encoding="utf-8")
    _, sink = load_handbook(mini)
    titles = {e.path: e for e in sink.errors if e.message.startswith("tên thủ tục trùng")}
    assert set(titles) == {KHAI_SINH, "procedures/ho-tich/a-thu-tuc.yml", "procedures/ho-tich/z-thu-tuc.yml"}
    assert titles[KHAI_SINH].message == (
        "tên thủ tục trùng với procedures/ho-tich/a-thu-tuc.yml:1, procedures/ho-tich/z-thu-tuc.yml:2")
    assert (titles["procedures/ho-tich/z-thu-tuc.yml"].line, titles["procedures/ho-tich/z-thu-tuc.yml"].column) == (2, 6)


def test_deadline_and_channel_rules(mini):
    replace_in(mini, KHAI_SINH, "    cong_truc_tuyen: https://dichvucong.gov.vn\n", "")
    replace_in(mini, KHAI_SINH, "  loai: trong-ngay\n", "  loai: ngay-lam-viec\n")
    messages = [e[3] for e in errors_for(mini, KHAI_SINH)]
    assert any("cần 'cong_truc_tuyen'" in m for m in messages)
    assert any("cần khóa 'so'" in m for m in messages)
    assert any("'gio_cat' chỉ dùng với thời hạn 'trong-ngay'" in m for m in messages)


def test_unsafe_url_refused(mini):
    replace_in(mini, KHAI_SINH, "cong_truc_tuyen: https://dichvucong.gov.vn", "cong_truc_tuyen: javascript:alert(1)")
    errs = errors_for(mini, KHAI_SINH)
    assert len(errs) == 1 and "đường dẫn 'javascript:alert(1)' không hợp lệ" in errs[0][3]


def test_several_files_several_errors_in_one_run(mini):
    replace_in(mini, KHAI_SINH, "tom_tat:", "tomtat:")
    replace_in(mini, "procedures/ho-tich/dang-ky-ket-hon.yml", "so: 5", "so: năm")
    _, sink = load_handbook(mini)
    assert {e.path for e in sink.errors} == {KHAI_SINH, "procedures/ho-tich/dang-ky-ket-hon.yml"}


def test_links_in_text_cannot_climb_out_or_point_nowhere(mini):
    line = line_of(mini, KHAI_SINH, "tom_tat:")
    for target, message in [
        ("/../../etc/passwd", "không được phép"),
        ("../bi-mat.md", "không được phép"),
        ("//evil.example/x", "không được phép"),
        ("/thu-tuc/ho-tich/khong-co/", "liên kết tới trang '/thu-tuc/ho-tich/khong-co/' không có"),
        ("/thu-tuc/cu-tru/dang-ky-ket-hon/", "không có trong sổ tay"),  # right id, wrong field
    ]:
        replace_in(mini, KHAI_SINH, "miễn lệ phí.", f"miễn lệ phí. [xem]({target})")
        errs = errors_for(mini, KHAI_SINH)
        assert [(e[1], e[2]) for e in errs] == [(line, 10)] and message in errs[0][3], (target, errs)
        replace_in(mini, KHAI_SINH, f" [xem]({target})", "")
    for fine in ["/thu-tuc/ho-tich/dang-ky-ket-hon/", "/thu-tuc/ho-tich/dang-ky-ket-hon/#ho-so", "/thu-tuc/", "https://example.org/a?b=1"]:
        replace_in(mini, KHAI_SINH, "miễn lệ phí.", f"miễn lệ phí. [xem]({fine})")
        assert errors_for(mini, KHAI_SINH) == [], fine
        replace_in(mini, KHAI_SINH, f" [xem]({fine})", "")


def test_form_file_must_be_inside_mau_and_exist(mini):
    line = line_of(mini, KHAI_SINH, "- ten: Tờ khai đăng ký khai sinh") 
    for value, message in [
        ("mau/../../../etc/passwd.pdf", "tệp mẫu 'mau/../../../etc/passwd.pdf' không hợp lệ"),
        ("/etc/passwd.pdf", "không hợp lệ"),
        ("mau\\\\to-khai.pdf", "không hợp lệ"),
        ("mau/to-khai.exe", "không hợp lệ"),
        ("mau/khong-co.pdf", "không có tệp mẫu 'handbook/mau/khong-co.pdf'"),
    ]:
        replace_in(mini, KHAI_SINH, "- ten: Tờ khai đăng ký khai sinh", f"- ten: Tờ khai đăng ký khai sinh\n    tep_mau: \"{value}\"")
        errs = errors_for(mini, KHAI_SINH)
        assert [(e[1], e[2]) for e in errs] == [(line + 1, 14)] and message in errs[0][3], (value, errs)
        replace_in(mini, KHAI_SINH, f"\n    tep_mau: \"{value}\"", "")


def test_form_file_is_offered_for_download(mini):
    from generator.site.build import build_site

    replace_in(mini, KHAI_SINH, "- ten: Tờ khai đăng ký khai sinh", "- ten: Tờ khai đăng ký khai sinh\n    tep_mau: mau/to-khai-khai-sinh.pdf")
    site = build_site(mini)
    html = (site / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert '<a href="../../../mau/to-khai-khai-sinh.pdf" download>Tải tệp mẫu (PDF)</a>' in html
    assert (site / "mau/to-khai-khai-sinh.pdf").exists()


def test_parallel_load_is_the_same_as_serial(mini, monkeypatch):
    """Large catalogues are read by forked workers; errors, positions and
    models must not depend on it."""
    import dataclasses

    import generator.content.handbook as handbook

    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich", "linh_vuc: ho-tich\nkhoa_la: 1")
    (mini / "procedures/ho-tich/Sai-Ten.yml").write_text("ten: x\n", encoding="utf-8")
    serial_hb, serial = load_handbook(mini)
    monkeypatch.setattr(handbook, "PARALLEL_FROM", 1)
    parallel_hb, parallel = load_handbook(mini)
    assert [e.format() for e in parallel.items] == [e.format() for e in serial.items]
    assert len(serial.errors) >= 2
    assert {k: dataclasses.asdict(v) for k, v in parallel_hb.procedures.items()} == \
        {k: dataclasses.asdict(v) for k, v in serial_hb.procedures.items()}
    from generator.content.located import location
    for pid, proc in serial_hb.procedures.items():
        assert location(parallel_hb.procedures[pid], "title") == location(proc, "title")


def test_indentation_errors_say_which_indentation_is_out_of_step(mini):
    """A key or line indented out of step with its neighbours is named as
    such, with both indentations, at the start of the line, not as the
    symptom PyYAML sees ("mapping values are not allowed here")."""
    cases = [
        # over-indented key: read as the rest of the value above, then ':'
        ("  loai: trong-ngay\n  gio_cat", "  loai: trong-ngay\n    gio_cat", "    gio_cat",
         "dòng này thụt 4 dấu cách, các khóa cùng cấp thụt 2", "dấu nháy kép"),
        # over-indented key in a list item
        ("    cong_truc_tuyen:", "     cong_truc_tuyen:", "     cong_truc_tuyen",
         "dòng này thụt 5 dấu cách, các khóa cùng cấp thụt 4", "thẳng cột"),
        # under-indented key in a list item
        ("    cong_truc_tuyen:", "   cong_truc_tuyen:", "   cong_truc_tuyen",
         "dòng này thụt 3 dấu cách, các khóa cùng cấp thụt 4", "thẳng cột"),
        ("    vai_tro: Công chức Tư pháp", "   vai_tro: Công chức Tư pháp", "   vai_tro: Công chức Tư pháp",
         "dòng này thụt 3 dấu cách, các khóa cùng cấp thụt 4", "thẳng cột"),
        # a key at the list's dash: a forgotten "- "?
        ("  - ten: Giấy chứng sinh\n    loai: ban-chinh", "  - ten: Giấy chứng sinh\n  loai: ban-chinh", "  loai: ban-chinh",
         "dòng này thụt 2 dấu cách, các khóa cùng cấp thụt 4", "bắt đầu dòng bằng '- '"),
        # under-indented nested key, and the first key of a block too deep
        ("  gio_cat:", " gio_cat:", " gio_cat", "dòng này thụt 1 dấu cách, các khóa cùng cấp thụt 2", "thẳng cột"),
        ("  loai: trong-ngay\n", "    loai: trong-ngay\n", '  gio_cat: "15:00"',
         "dòng này thụt 2 dấu cách, các khóa cùng cấp thụt 4", "thẳng cột"),
        ("linh_vuc: ho-tich", " linh_vuc: ho-tich", " linh_vuc", "dòng này thụt 1 dấu cách, các khóa cùng cấp thụt 0", "thẳng cột"),
        # list items out of step
        ("  - hinh_thuc: truc-tuyen", "   - hinh_thuc: truc-tuyen", "   - hinh_thuc: truc-tuyen",
         "dòng này thụt 3 dấu cách, các mục cùng cấp của danh sách thụt 2", "thẳng cột"),
        ("  - ten: Giấy chứng sinh", " - ten: Giấy chứng sinh", " - ten: Giấy chứng sinh",
         "dòng này thụt 1 dấu cách, các mục cùng cấp của danh sách thụt 2", "thẳng cột"),
        # a continuation line not indented under its key
        ("tom_tat: Đăng ký khai sinh cho trẻ em, **đúng hạn** miễn lệ phí.",
         "tom_tat: Đăng ký khai sinh cho trẻ em,\nđúng hạn miễn lệ phí.", "đúng hạn miễn",
         "dòng này thụt 0 dấu cách, không sâu hơn khóa 'tom_tat'", "thụt sâu hơn khóa (ví dụ 2 dấu cách)"),
        ("tom_tat: Đăng ký khai sinh cho trẻ em, **đúng hạn** miễn lệ phí.",
         "tom_tat: Đăng ký khai sinh\n  cho trẻ em,\n**đúng hạn** miễn lệ phí.", "**đúng",
         "không sâu hơn khóa 'tom_tat' ở dòng 7", "nối vào dòng 7"),
        ("  - ten: Giấy chứng sinh\n", "  - ten: Giấy chứng sinh do\n    cơ sở y tế cấp\n", "    cơ sở y tế",
         "dòng này thụt 4 dấu cách, không sâu hơn khóa 'ten'", "ví dụ 6 dấu cách"),
    ]
    original = (mini / KHAI_SINH).read_text(encoding="utf-8")
    for old, new, at, message, hint in cases:
        assert old in original, old
        text = original.replace(old, new, 1)
        (mini / KHAI_SINH).write_text(text, encoding="utf-8")
        line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(at))
        column = len(at) - len(at.lstrip(" ")) + 1
        errs = errors_for(mini, KHAI_SINH)
        assert len(errs) == 1, (new, errs)
        _, l, c, m, h = errs[0]
        assert (l, c) == (line, column) and m.startswith("lỗi cú pháp YAML: thụt lề không khớp: "), (new, errs)
        assert message in m and hint in h and "dấu hai chấm không đúng chỗ" not in m, (new, errs)


def test_colon_in_a_value_and_missing_colon_are_still_named(mini):
    replace_in(mini, KHAI_SINH, "ten: Đăng ký khai sinh\n", "ten: Đăng ký: khai sinh\n")
    [(_, line, column, message, _)] = errors_for(mini, KHAI_SINH)
    assert (line, column) == (1, 13) and "dấu hai chấm không đúng chỗ" in message and "thụt lề" not in message
    replace_in(mini, KHAI_SINH, "ten: Đăng ký: khai sinh\n", "ten: Đăng ký khai sinh\n")
    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich", "linh_vuc ho-tich")
    [(_, line, column, message, hint)] = errors_for(mini, KHAI_SINH)
    assert (line, column, message) == (3, 1, "lỗi cú pháp YAML: thiếu dấu hai chấm sau khóa 'linh_vuc'")


def test_review_date_in_the_future_is_an_error_at_the_value(mini):
    import datetime as dt

    _, sink = load_handbook(mini, today=dt.date(2025, 11, 19))
    found = {(e.path, e.line, e.column): e for e in sink.errors}
    for rel in (KHAI_SINH, "procedures/ho-tich/dang-ky-ket-hon.yml"):
        e = found[(rel, line_of(mini, rel, "ngay_ra_soat"), 15)]
        assert e.message == "ngày rà soát 20/11/2025 ở tương lai (hôm nay là 19/11/2025)"
        assert "rà soát xong hôm nay thì ghi 2025-11-19" in e.hint
    assert len(sink.errors) == 2
    assert load_handbook(mini, today=dt.date(2025, 11, 20))[1].errors == []  # today itself is fine
    # only the files asked for are checked, like every rule of a procedure
    _, sink = load_handbook(mini, only=[mini / KHAI_SINH], today=dt.date(2025, 11, 19))
    assert [e.path for e in sink.errors] == [KHAI_SINH]


def test_issue_date_of_a_document_in_the_future_is_an_error_at_the_value(mini):
    import datetime as dt

    _, sink = load_handbook(mini, today=dt.date(2014, 11, 19))
    [e] = [e for e in sink.errors if e.path == "handbook/data/van-ban.yml"]
    assert (e.line, e.column) == (line_of(mini, "handbook/data/van-ban.yml", "ngay_ban_hanh"), 18)
    assert e.message == "văn bản '60/2014/QH13' có ngày ban hành 20/11/2014 ở tương lai (hôm nay là 19/11/2014)"
    assert "ngay_hieu_luc" in e.hint  # the date it takes effect may be ahead; that is another key
