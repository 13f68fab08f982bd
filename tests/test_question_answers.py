"""Yes/no questions that cannot be misread: a question may name its own two
answers (tra_loi_co / tra_loi_khong), which the guide, the conditions in words
and `sotay guide` use; a question worded with a negative, or "… chưa?" with
bare Có/Không answers, is a located warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.content.conditions import parse_answer
from generator.content.handbook import load_handbook
from generator.content.rules import misleading_wording
from generator.guided.guide import build_guide, untailored
from test_guide import with_guide
from test_loader import KHAI_SINH, line_of, replace_in

ORIGINAL_QUESTION = "    hoi: Trẻ có sinh ra ở nước ngoài không?\n"


def warnings_for(root, rel):
    _, sink = load_handbook(root, only=[root / rel])
    return [(e.line, e.column, e.message, e.hint) for e in sink.warnings], [e.message for e in sink.errors]


def ask(mini, text: str, extra: str = "") -> tuple[list, list, int]:
    """The fixture's yes/no question worded ``text`` (plus extra keys); its warnings, errors and line."""
    shutil.copyfile(Path(__file__).parent / "fixtures/mini" / KHAI_SINH, mini / KHAI_SINH)
    with_guide(mini, "không sinh_o_nuoc_ngoai")
    replace_in(mini, KHAI_SINH, ORIGINAL_QUESTION, f"    hoi: '{text}'\n{extra}")
    warnings, errors = warnings_for(mini, KHAI_SINH)
    return warnings, errors, line_of(mini, KHAI_SINH, "    hoi: '")


MISREAD = [
    # (wording, what the warning says)
    ("Gia đình có phải là không có Giấy chứng sinh của trẻ không (ví dụ sinh tại nhà)?", "phủ định"),
    ("Người đó chết đã lâu và gia đình không có Giấy báo tử?", "phủ định"),
    ("Không có người làm chứng?", "phủ định"),
    ("Hồ sơ chẳng có bản chính?", "phủ định"),
    ("Việc nhận cha, mẹ, con có tranh chấp không, hoặc người đó đã chết chưa?", "phủ định"),  # two questions in one
    ("Cha, mẹ của trẻ đã đăng ký kết hôn chưa?", "chưa?"),
    ("Trẻ đã sinh ra quá 60 ngày hay chưa?", "chưa?"),
]

READS_ONE_WAY = [
    "Trẻ có sinh ra ở nước ngoài không?",  # the closing "không?" asks, it does not negate
    "Có bên nào giao kết thông qua người đại diện hay không?",
    "Người con có được sinh ra trong 300 ngày kể từ khi hôn nhân đó chấm dứt, không?",
    "Nhà có nằm trong không gian kiến trúc cần bảo vệ không?",
    "Công trình có gần cảng hàng không không?",
    "Người yêu cầu là người chưa thành niên?",
    "Gia đình có Giấy chứng sinh của trẻ (bản giấy, không phải bản chụp) không?",  # brackets explain
    "Nhà dự kiến từ 7 tầng trở lên?",
]


@pytest.mark.parametrize("text, said", MISREAD)
def test_a_question_that_can_be_misread_is_a_located_warning(mini, text, said):
    warnings, errors, line = ask(mini, text)
    assert errors == []
    assert len(warnings) == 1, warnings
    (wline, wcol, message, hint) = warnings[0]
    assert (wline, wcol) == (line, len("    hoi: ") + 1)
    assert message.startswith("câu hỏi có/không dễ trả lời nhầm") and said in message
    assert "tra_loi_co" in hint


@pytest.mark.parametrize("text", READS_ONE_WAY)
def test_a_question_that_reads_one_way_is_not_flagged(mini, text):
    warnings, errors, _ = ask(mini, text)
    assert (warnings, errors) == ([], [])


def test_naming_the_answers_settles_a_not_yet_question_but_not_a_negative(mini):
    named = "    tra_loi_co: Đã đăng ký kết hôn\n    tra_loi_khong: Chưa đăng ký kết hôn\n"
    assert ask(mini, "Cha, mẹ của trẻ đã đăng ký kết hôn chưa?", named)[:2] == ([], [])
    warnings, _, _ = ask(mini, "Gia đình có phải là không có Giấy chứng sinh không?",
                         "    tra_loi_co: Không có\n    tra_loi_khong: Có\n")
    assert len(warnings) == 1 and "phủ định" in warnings[0][2]


def test_the_wording_check_reads_what_the_rule_says():
    assert misleading_wording("Đã quá 60 ngày chưa?", named=False) == "not-yet"
    assert misleading_wording("Đã quá 60 ngày chưa?", named=True) is None
    assert misleading_wording("Có phải là không có giấy không?", named=True) == "negative"


def test_answer_names_are_checked(mini):
    # Only one of the two.
    _, errors, _ = ask(mini, "Trẻ có sinh ra ở nước ngoài không?", "    tra_loi_co: Sinh ở nước ngoài\n")
    assert any("cần cả 'tra_loi_khong'" in m for m in errors), errors
    # The same words twice.
    _, errors, _ = ask(mini, "Trẻ có sinh ra ở nước ngoài không?",
                       "    tra_loi_co: Sinh ở nước ngoài\n    tra_loi_khong: sinh ở nước ngoài\n")
    assert any("giống nhau" in m for m in errors), errors
    # On a choice question.
    shutil.copyfile(Path(__file__).parent / "fixtures/mini" / KHAI_SINH, mini / KHAI_SINH)
    with_guide(mini, "không sinh_o_nuoc_ngoai")
    replace_in(mini, KHAI_SINH, "    kieu: mot-lua-chon\n", "    kieu: mot-lua-chon\n    tra_loi_co: Cha\n    tra_loi_khong: Mẹ\n")
    _, errors = warnings_for(mini, KHAI_SINH)
    assert any("chỉ dùng cho câu hỏi có/không" in m for m in errors), errors


NAMED = "    tra_loi_co: Sinh ở nước ngoài\n    tra_loi_khong: Sinh ở Việt Nam\n"


def named_procedure(mini, condition: str):
    with_guide(mini, condition)
    replace_in(mini, KHAI_SINH, ORIGINAL_QUESTION, ORIGINAL_QUESTION + NAMED)
    hb, sink = load_handbook(mini)
    assert not sink.errors, sink.errors
    return hb.procedures["dang-ky-khai-sinh"]


@pytest.mark.parametrize("condition, words", [
    ("sinh_o_nuoc_ngoai", "Sinh ở nước ngoài"),
    ("không sinh_o_nuoc_ngoai", "Sinh ở Việt Nam"),
    ("sinh_o_nuoc_ngoai = sai", "Sinh ở Việt Nam"),
    ("không (sinh_o_nuoc_ngoai = sai)", "Sinh ở nước ngoài"),
    ("sinh_o_nuoc_ngoai != đúng", "Sinh ở Việt Nam"),
    ('không sinh_o_nuoc_ngoai và nguoi_di = "me"', "Sinh ở Việt Nam và Người đi đăng ký: Mẹ"),
])
def test_conditions_read_with_the_named_answers(mini, condition, words):
    p = named_procedure(mini, condition)
    dossier = {d["name"]: d["condition"] for d in untailored(p)["dossier"]}
    assert dossier["Giấy chứng sinh"] == words


def test_the_page_guide_gets_the_named_answers(mini):
    p = named_procedure(mini, "không sinh_o_nuoc_ngoai")
    questions = {q["key"]: q for q in build_guide(p).data()["questions"]}
    assert (questions["sinh_o_nuoc_ngoai"]["yes"], questions["sinh_o_nuoc_ngoai"]["no"]) == \
        ("Sinh ở nước ngoài", "Sinh ở Việt Nam")
    assert "yes" not in questions["nguoi_di"]  # a choice question names its answers in lua_chon


def test_a_named_answer_can_be_typed(mini):
    p = named_procedure(mini, "không sinh_o_nuoc_ngoai")
    q = next(q for q in p.questions if q.key == "sinh_o_nuoc_ngoai")
    assert parse_answer(q, "sinh ở Việt Nam") is False and parse_answer(q, "Sinh ở nước ngoài") is True
    assert parse_answer(q, "có") is True and parse_answer(q, "không") is False
    with pytest.raises(ValueError, match="Sinh ở Việt Nam"):
        parse_answer(q, "chưa rõ")


def test_sotay_guide_shows_the_named_answers(mini, run):
    named_procedure(mini, "không sinh_o_nuoc_ngoai")
    listing = run("guide", "dang-ky-khai-sinh").output  # not a terminal: the questions, then everything
    assert "[có: Sinh ở nước ngoài / không: Sinh ở Việt Nam]" in listing
    assert "(chỉ khi: Sinh ở Việt Nam)" in listing
    answered = run("guide", "dang-ky-khai-sinh", "-a", "sinh_o_nuoc_ngoai=Sinh ở Việt Nam").output
    assert "Trẻ sinh ra ở nước ngoài: Sinh ở Việt Nam" in answered and "[ ] Giấy chứng sinh" in answered
    data = json.loads(run("guide", "dang-ky-khai-sinh", "--json").output)
    asked = {q["key"]: q for q in data["questions"]}
    assert asked["sinh_o_nuoc_ngoai"]["answers"] == {"có": "Sinh ở nước ngoài", "không": "Sinh ở Việt Nam"}


def test_the_page_offers_the_named_answers(chromium, mini):
    from conftest import serve_directory
    from generator.site.build import build_site

    named_procedure(mini, "không sinh_o_nuoc_ngoai")
    with serve_directory(build_site(mini)) as url:
        page = chromium.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "thu-tuc/ho-tich/dang-ky-khai-sinh/")
        question = page.locator("[data-question=sinh_o_nuoc_ngoai]")
        assert question.get_by_label("Có", exact=True).count() == 0
        question.get_by_label("Sinh ở Việt Nam").check()
        assert page.get_by_text("Giấy chứng sinh", exact=False).first.is_visible()
        assert "Trẻ sinh ra ở nước ngoài: Sinh ở Việt Nam" in page.locator(".sotay-guide-answers").inner_text()
        question.get_by_label("Sinh ở nước ngoài").check()
        assert not page.get_by_text("Giấy chứng sinh", exact=False).first.is_visible()
        assert errors == []


# --- reasons to verify are read by staff as written --------------------------------------


KET_HON = "procedures/ho-tich/dang-ky-ket-hon.yml"


@pytest.mark.parametrize("reason, flagged", [
    ("Mức do HĐND tỉnh quyết định (le-phi-ho-tich.ket-hon); chưa đối chiếu.", True),
    ("Chưa đối chiếu nghị quyết về le-phi-ho-tich.ket-hon sau sắp xếp.", True),
    ("Mức lệ phí đăng ký kết hôn do HĐND tỉnh quyết định; chưa đối chiếu.", False),
    ("Xem dichvucong.gov.vn, mục lệ phí.", False),  # a dotted name that is no fee key
])
def test_a_reason_naming_an_internal_fee_key_is_a_located_warning(mini, reason, flagged):
    """The key of a local fee (theo_dia_phuong) is an internal name: in a
    'cần xác minh' reason, staff would read it as written on the page."""
    replace_in(mini, KET_HON, "    ly_do: Chưa đối chiếu mã.\n", f"    ly_do: {reason}\n")
    line = line_of(mini, KET_HON, reason)
    hb, sink = load_handbook(mini)
    found = [w for w in sink.warnings if w.path == KET_HON and "khóa nội bộ" in w.message]
    assert sink.errors == []
    if flagged:
        assert [(w.line, w.column) for w in found] == [(line, len("    ly_do: ") + 1)]
        assert "le-phi-ho-tich.ket-hon" in found[0].message
    else:
        assert found == []
