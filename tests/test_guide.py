"""Guided procedures: questions and conditions in YAML are validated with
their exact position."""

from __future__ import annotations

from test_loader import KHAI_SINH, errors_for, line_of, replace_in

QUESTIONS = """cau_hoi:
  - ma: sinh_o_nuoc_ngoai
    hoi: Trẻ có sinh ra ở nước ngoài không?
    nhan: Trẻ sinh ra ở nước ngoài
  - ma: nguoi_di
    hoi: Ai đi đăng ký?
    nhan: Người đi đăng ký
    kieu: mot-lua-chon
    lua_chon: {cha: Cha, me: Mẹ, ong-ba: Ông hoặc bà}
"""


def with_guide(mini, condition: str) -> int:
    """Add the questions and one conditional dossier item; return its line."""
    replace_in(mini, KHAI_SINH, "ngay_ra_soat:", QUESTIONS + "ngay_ra_soat:")
    replace_in(mini, KHAI_SINH, "  - ten: Giấy chứng sinh\n", f"  - ten: Giấy chứng sinh\n    chi_khi: {condition}\n")
    return line_of(mini, KHAI_SINH, "chi_khi:")


def test_valid_guide_loads(mini):
    with_guide(mini, 'không sinh_o_nuoc_ngoai và nguoi_di trong ["cha", "me"]')
    replace_in(mini, KHAI_SINH, "kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]",
               "kiem_tra:\n      - Ghi Sổ đăng ký khai sinh\n      - viec: Ghi chú việc sinh ở nước ngoài\n        chi_khi: sinh_o_nuoc_ngoai")
    assert errors_for(mini, KHAI_SINH) == []


def test_condition_errors_point_inside_the_condition(mini):
    # (condition as written in YAML, where the error is inside it, message)
    cases = [
        ("sinh_o_nuoc_ngoai và", len("sinh_o_nuoc_ngoai và"), "bị cụt"),
        ('sinh_o_nuoc_ngoai và nguoi_dii = "cha"', len("sinh_o_nuoc_ngoai và "), "không có câu hỏi 'nguoi_dii'"),
        ("'nguoi_di = \"chu\"'", 1, "không có lựa chọn 'chu'"),  # quoted: the text starts one column later
        ("sinh_o_nuoc_ngoai và không sinh_o_nuoc_ngoai", 0, "không bao giờ hiện"),
        ("sinh_o_nuoc_ngoai @ nguoi_di", len("sinh_o_nuoc_ngoai "), "ký tự không hiểu được"),
    ]
    for condition, offset, message in cases:
        import shutil
        from pathlib import Path

        line = with_guide(mini, condition)
        errs = errors_for(mini, KHAI_SINH)
        assert len(errs) == 1 and message in errs[0][3], (condition, errs)
        assert (errs[0][1], errs[0][2]) == (line, len("    chi_khi: ") + 1 + offset), (condition, errs[0][:3])
        shutil.copyfile(Path(__file__).parent / "fixtures/mini" / KHAI_SINH, mini / KHAI_SINH)


def test_question_declarations_are_checked(mini):
    with_guide(mini, "sinh_o_nuoc_ngoai")
    replace_in(mini, KHAI_SINH, "    kieu: mot-lua-chon\n    lua_chon: {cha: Cha, me: Mẹ, ong-ba: Ông hoặc bà}\n",
               "    kieu: mot-lua-chon\n")
    replace_in(mini, KHAI_SINH, "  - ma: sinh_o_nuoc_ngoai", "  - ma: Sinh-O-Nuoc-Ngoai")
    messages = [e[3] for e in errors_for(mini, KHAI_SINH)]
    assert any("mã câu hỏi 'Sinh-O-Nuoc-Ngoai' không hợp lệ" in m for m in messages)
    assert any("cần 'lua_chon'" in m for m in messages)
    assert any("không có câu hỏi 'sinh_o_nuoc_ngoai'" in m for m in messages)
