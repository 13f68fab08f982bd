"""The khai sinh page as the desk uses it, in headless Chromium on the shipped
handbook: what to tell the citizen is on the first screen; the last answer
lands the officer on this citizen's dossier; the case prints on at most two
A4 pages with the boxes exactly as ticked, the received time and the due date."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from generator.guided import duedate

from test_duedate_js import CALENDAR, _procedure_deadline, fill_received

KHAI_SINH = "thu-tuc/ho-tich/dang-ky-khai-sinh/"
SCREENS = {"dien-thoai-360": {"width": 360, "height": 740}, "may-tinh": {"width": 1280, "height": 800}}
ON_TIME_FEE = "Lệ phí đăng ký khai sinh đúng hạn"
LATE_FEE = "Lệ phí đăng ký khai sinh quá hạn"


def answer_typical_case(page) -> None:
    """A late registration brought by a parent, married, birth certificate in
    hand, at the desk: 'quá hạn' yes, other yes/no questions as a plain case
    (cha_me_da_ket_hon yes, the rest no), the first choice of each list."""
    yes = {"qua_han", "cha_me_da_ket_hon"}
    for _ in range(20):
        sets = page.locator("[data-question]")
        last = sets.last
        key = last.get_attribute("data-question")
        if last.locator("input:checked").count():
            break  # every question shown is answered: the guide is complete
        if last.locator("input[value=true]").count():
            value = "true" if key in yes else "false"
            last.locator(f"input[value={value}]").check()
        else:
            last.locator("input[type=radio]").first.check()
    assert "Đã trả lời đủ" in page.locator(".sotay-guide-summary").inner_text()


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.fixture(params=list(SCREENS), ids=list(SCREENS))
def screen(request, chromium):
    context = chromium.new_context(viewport=SCREENS[request.param])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert errors == []
    context.close()


def test_first_screen_tells_the_citizen_and_opens_the_questions(screen, shipped_url):
    page = screen
    page.goto(shipped_url + KHAI_SINH)
    assert in_viewport(page, ".sotay-desk"), "tóm tắt phải nằm trong màn hình đầu"
    desk = page.locator(".sotay-desk").inner_text()
    for fact in ["Thời hạn", "Trong ngày", "Phí, lệ phí", "Kết quả", "Giấy khai sinh", "Mã thủ tục", "1.001193"]:
        assert fact in desk, fact
    assert in_viewport(page, "[data-question] legend"), "câu hỏi đầu tiên phải nằm trong màn hình đầu"
    # No empty box (every note of khai sinh depends on an answer), no internal
    # key, no condition written as a formula.
    assert page.locator(".sotay-notes").is_hidden()
    body = page.locator("article").inner_text()
    assert not re.search(r"\ble-phi-[a-z-]+\.[a-z-]+", body)
    assert "không phải:" not in body


def test_last_answer_lands_on_this_citizens_dossier(screen, shipped_url):
    page = screen
    page.goto(shipped_url + KHAI_SINH)
    answer_typical_case(page)
    assert page.evaluate("document.activeElement.id") == "ho-so"
    assert in_viewport(page, "#ho-so")
    assert in_viewport(page, ".sotay-dossier > li:not([hidden])"), "danh sách hồ sơ phải hiện ngay"
    # The fee for this case only, wherever fees are listed.
    assert page.get_by_text(LATE_FEE).first.is_visible()
    for node in page.get_by_text(ON_TIME_FEE).all():
        assert not node.is_visible()
    # The notes that apply show; the box is back.
    assert page.locator(".sotay-notes").is_visible()


def test_the_case_prints_on_two_pages_as_ticked(chromium, shipped_url):
    from pypdf import PdfReader

    page = chromium.new_page()
    page.goto(shipped_url + KHAI_SINH)
    first_question = page.locator("[data-question] legend").first.inner_text()
    answer_typical_case(page)
    answers = page.locator(".sotay-guide-answers li").all_inner_texts()
    items = page.locator(".sotay-dossier > li:not([hidden])")
    names = [items.nth(i).locator("label").inner_text().strip() for i in range(items.count())]
    ticked = set(names[:2])
    for i in range(2):
        items.nth(i).locator("label").click()
    fill_received(page, "13/02/2026", "16:00")
    due = duedate.due(_procedure_deadline("dang-ky-khai-sinh"), dt.datetime(2026, 2, 13, 16), CALENDAR).result

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(reader.pages) <= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    lines = [re.sub(r"\s+", " ", line) for line in text.splitlines()]
    for name in names:
        start = re.sub(r"\s+", " ", name)[:30]
        found = [line for line in lines if start in line]
        assert found, f"thiếu giấy tờ trong bản in: {name}"
        box = "☑" if name in ticked else "☐"
        assert found[0].startswith(box), f"{name}: cần {box}, bản in có: {found[0]}"
    assert text.count("☑") == 2  # only what was ticked; no step item is ticked
    assert "Tiếp nhận: thứ Sáu, 13/02/2026 lúc 16:00" in text
    assert f"Ngày hẹn trả kết quả: {duedate.fmt_day(due)}" in text
    flat = re.sub(r"\s+", " ", text)
    for answer in answers:  # the answers the list was filtered by
        assert answer.split(":")[0][:20] in flat, answer
    assert LATE_FEE in text and ON_TIME_FEE not in text
    assert "Bước 1." in text and "Bước 4." in text
    # The case, not the page: no reference section, no questions form.
    for reference in ["Căn cứ pháp lý", "Thủ tục liên quan", "Cách thức thực hiện", "Yêu cầu, điều kiện",
                      "Thông tin trang", first_question]:
        assert reference not in text, reference
    # No heading left alone at the foot of a page.
    first = reader.pages[0].extract_text().rstrip().splitlines()[-1]
    assert first.strip() not in {"Các bước xử lý", "Thành phần hồ sơ", "Ngày hẹn trả kết quả"}
    page.close()
