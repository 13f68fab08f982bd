"""The one-stop desk's forms (Mẫu 01–04, sotay/forms.js) on the khai sinh page
of the shipped handbook, in headless Chromium: each prints alone, filled from
the case exactly (the items ticked, or every one not ticked, once; the
received time; the due date; Mẫu 04's new date from the same calculator as
`sotay due`), says its layout is not verified, and keeps the citizen's
personal data out of the browser's storage unless the officer keeps it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from generator.content import model
from generator.guided import duedate

from test_desk_case import KHAI_SINH, answer_typical_case
from test_duedate_js import CALENDAR, _procedure_deadline, fill_received

RECEIVED = dt.datetime(2026, 2, 13, 16, 0)  # a Friday before Tết 2026
UNVERIFIED = "chưa đối chiếu với bản gốc"


def squash(text: str) -> str:
    """Text compared whatever the line breaks of a PDF or a page: no whitespace."""
    return re.sub(r"\s+", "", text)


def in_words(moment: dt.date | dt.datetime) -> str:
    """How a form writes a date: "16 giờ 00 phút, ngày 13 tháng 02 năm 2026"."""
    day = f"ngày {moment:%d} tháng {moment:%m} năm {moment:%Y}"
    return f"{moment:%H} giờ {moment:%M} phút, {day}" if isinstance(moment, dt.datetime) else day


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert errors == []
    context.close()


def start_case(page, url: str, ticks: int) -> tuple[list[str], list[str]]:
    """The typical khai sinh case with the first ``ticks`` items of its dossier
    ticked and a received time typed: (ticked item labels, the others)."""
    page.goto(url + KHAI_SINH)
    answer_typical_case(page)
    items = page.locator(".sotay-dossier > li:not([hidden])")
    names = [re.sub(r"\s+", " ", items.nth(i).locator("label").inner_text()).strip() for i in range(items.count())]
    for i in range(ticks):
        items.nth(i).locator("label").click()
    fill_received(page, RECEIVED.strftime("%d/%m/%Y"), RECEIVED.strftime("%H:%M"))
    return names[:ticks], names[ticks:]


def open_form(page, number: str) -> None:
    page.locator("#bieu-mau > summary").click()
    page.locator(".sotay-form-sheet").wait_for()
    page.locator(".sotay-form-choice").get_by_label(f"Mẫu số {number}:").check()


def print_form(page) -> tuple[int, str]:
    """Press "In mẫu này" (the print dialog replaced by a counter) and print
    the page to PDF as the browser would: (pages, text with whitespace collapsed)."""
    from pypdf import PdfReader

    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1 } }")
    page.get_by_role("button", name="In mẫu này").click()
    assert page.evaluate("window.__printed") == 1
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))
    return len(reader.pages), text


def listed(text: str, after: str, before: str) -> list[str]:
    """The numbered items of a form between two of its lines."""
    section = text.split(after, 1)[1].split(before, 1)[0]
    return [squash(item) for item in re.split(r"(?:^|\s)\d{1,2}\. ", section) if item.strip()]


def test_form_01_lists_the_ticked_items_the_received_time_and_the_due_date(page, shipped_url):
    ticked, others = start_case(page, shipped_url, ticks=2)
    assert others, "cần ít nhất một giấy tờ chưa đánh dấu để thử"
    due = duedate.due(_procedure_deadline("dang-ky-khai-sinh"), RECEIVED, CALENDAR).result
    open_form(page, "01")
    pages, text = print_form(page)
    assert pages == 1
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert listed(text, "Thành phần hồ sơ đã nhận:", "Số lượng hồ sơ:") == [squash(n) for n in ticked]
    assert f"Thời gian nhận hồ sơ: {in_words(RECEIVED)}" in text
    assert squash(f"Thời gian trả kết quả giải quyết hồ sơ: ……… giờ ……… phút, {in_words(due)}") in squash(text)
    assert "Đăng ký khai sinh" in text and "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert UNVERIFIED in text and "Mẫu số 01 Phụ lục I Thông tư 03/2025/TT-VPCP" in text
    # The form alone: nothing of the case or the page.
    for other in ["Các bước xử lý", "Bước 1.", "Thành phần hồ sơ\n", "Hướng dẫn theo tình huống", "Biểu mẫu một cửa"]:
        assert other.strip() not in text.replace("Thành phần hồ sơ đã nhận", ""), other


def test_form_02_asks_once_for_every_item_not_ticked(page, shipped_url):
    ticked, others = start_case(page, shipped_url, ticks=1)
    open_form(page, "02")
    page.fill("#sotay-form-reason02", "Thiếu giấy tờ theo danh sách")
    pages, text = print_form(page)
    assert pages == 1
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    missing = listed(text, "gồm những nội dung sau:", "Lý do:")
    assert missing == [squash(n) for n in others]
    assert len(set(missing)) == len(missing)
    assert squash(ticked[0]) not in missing
    assert "Lý do: Thiếu giấy tờ theo danh sách" in text
    assert UNVERIFIED in text
    # Ticking one more item takes it off the request at once.
    page.locator(".sotay-dossier > li:not([hidden])").nth(1).locator("label").click()
    page.wait_for_function("n => document.querySelectorAll('.sotay-form-preview .sotay-form-items li').length === n",
                           arg=len(others) - 1)
    sheet = page.locator(".sotay-form-preview .sotay-form-sheet").inner_text()
    assert squash(others[0]) not in squash(sheet) and squash(others[1]) in squash(sheet)


def test_form_04_proposes_the_date_sotay_due_computes(page, shipped_url):
    start_case(page, shipped_url, ticks=0)
    due = duedate.due(_procedure_deadline("dang-ky-khai-sinh"), RECEIVED, CALENDAR).result
    open_form(page, "04")
    assert page.input_value("#sotay-form-old") == f"{due:%d/%m/%Y}"  # the case's due date, filled in
    for old, days in [(due, 3), (dt.date(2026, 2, 10), 6), (dt.date(2026, 4, 29), 2)]:
        page.fill("#sotay-form-old", f"{old:%d/%m/%Y}")
        page.fill("#sotay-form-days", str(days))
        start = dt.datetime(old.year, old.month, old.day)
        expected = duedate.due(model.Deadline(kind="ngay-lam-viec", amount=days), start, CALENDAR).result
        shown = page.locator(".sotay-form-proposed strong").inner_text()
        assert shown == f"Ngày hẹn mới đề nghị: {duedate.fmt_day(expected)}", (old, days)
    page.fill("#sotay-form-reason04", "Chờ kết quả xác minh")
    _, text = print_form(page)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert squash(f"gia hạn thời gian giải quyết đến: {in_words(expected)}") in squash(text)
    assert "Lý do chậm trả kết quả: Chờ kết quả xác minh" in text
    page.fill("#sotay-form-days", "0")
    assert page.locator(".sotay-form-proposed .sotay-due-error").is_visible()


def storage(page) -> str:
    return page.evaluate("JSON.stringify(Object.entries(localStorage))")


def test_personal_data_is_not_stored_unless_kept(page, shipped_url):
    person = {"#sotay-form-name": "Nguyễn Thị Thử", "#sotay-form-address": "Số 9 phố Thử",
              "#sotay-form-phone": "0900000009"}
    reason = "Lý do riêng của ông Thử"
    start_case(page, shipped_url, ticks=1)
    open_form(page, "03")
    for selector, value in person.items():
        page.fill(selector, value)
    page.fill("#sotay-form-reason03", reason)
    sheet = page.locator(".sotay-form-preview .sotay-form-sheet").inner_text()
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in sheet
    assert all(value in sheet for value in [*person.values(), reason])
    assert "không được lưu" in page.locator(".sotay-form-privacy").inner_text()
    saved = storage(page)
    assert "sotay:" in saved  # the case itself is kept, as before
    assert not [v for v in [*person.values(), reason] if v in saved]
    page.reload()
    page.locator("#bieu-mau > summary").click()
    assert page.input_value("#sotay-form-name") == ""

    # Kept on purpose: stored, and back after a reload.
    for selector, value in person.items():
        page.fill(selector, value)
    page.get_by_label("Lưu trên máy này").check()
    assert all(value in storage(page) for value in person.values())
    page.reload()
    page.locator("#bieu-mau > summary").click()
    assert page.input_value("#sotay-form-name") == person["#sotay-form-name"]
    assert page.get_by_label("Lưu trên máy này").is_checked()
    # "Xóa": gone from the fields and from the machine.
    page.get_by_role("button", name="Xóa", exact=True).click()
    assert page.input_value("#sotay-form-name") == ""
    assert not [v for v in person.values() if v in storage(page)]
    assert reason not in storage(page)


def test_forms_script_loads_only_when_the_forms_are_opened(page, shipped_url):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(shipped_url + KHAI_SINH)
    page.wait_for_load_state("load")
    assert not [u for u in requested if u.endswith("/forms.js")]
    page.keyboard.press("Tab")  # reachable by keyboard: the summary opens with Enter
    page.focus("#bieu-mau > summary")
    page.keyboard.press("Enter")
    page.locator(".sotay-form-sheet").wait_for()
    assert [u for u in requested if u.endswith("/forms.js")]
    assert UNVERIFIED in page.locator(".sotay-forms-flag").inner_text()


def test_forms_fit_a_360px_screen(chromium, shipped_url):
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    start_case(page, shipped_url, ticks=1)
    open_form(page, "04")
    page.fill("#sotay-form-days", "3")
    wide = page.evaluate("""() => [...document.querySelectorAll('.sotay-forms, .sotay-forms *')]
        .filter(e => e.getBoundingClientRect().right > 361)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert wide == []
    small = page.evaluate("""() => [...document.querySelectorAll('.sotay-forms button, .sotay-forms input:not([type=radio]):not([type=checkbox]),'
        + ' .sotay-forms textarea, .sotay-forms .sotay-choice')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44 }).map(e => e.outerHTML.slice(0, 80))""")
    assert small == []
    context.close()
