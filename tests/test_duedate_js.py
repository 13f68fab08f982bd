"""The browser's due-date calculator (duedate.js) and generator/guided/duedate.py
give the same date on generated cases over the real holiday registry; and the
procedure page computes it from a date-time input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from generator.guided import duedate

from generator.content import model
from generator.guided.guide import calendar_data, deadline_data
from generator.content.handbook import ErrorSink, load_holidays
from generator.site.plugin import THEME_DIR

from conftest import REPO, require

JS = THEME_DIR / "assets/javascripts/sotay/duedate.js"
HOLIDAYS = load_holidays(REPO, ErrorSink())
CALENDAR = duedate.WorkCalendar.from_registry(HOLIDAYS)

deadlines = st.one_of(
    st.builds(lambda n: {"kind": "ngay-lam-viec", "amount": n, "cutoff": None}, st.integers(0, 30)),
    st.builds(lambda n: {"kind": "gio-lam-viec", "amount": n, "cutoff": None}, st.integers(0, 48)),
    st.builds(lambda c: {"kind": "trong-ngay", "amount": None, "cutoff": c}, st.sampled_from([None, "15:00", "11:30"])),
    st.builds(lambda n: {"kind": "ngay", "amount": n, "cutoff": None}, st.integers(0, 60)),
)
moments = st.datetimes(min_value=dt.datetime(2024, 12, 20), max_value=dt.datetime(2028, 1, 10)).map(
    lambda m: m.replace(second=0, microsecond=0))


def model_deadline(d: dict) -> model.Deadline:
    return model.Deadline(kind=d["kind"], amount=d["amount"], cutoff=d["cutoff"])


def python_result(d: dict, received: dt.datetime):
    """The date, and the day-by-day explanation and warnings `sotay due` prints."""
    try:
        out = duedate.due(model_deadline(d), received, CALENDAR)
    except duedate.MissingYear as missing:
        return {"missingYear": missing.year}
    result = out.result
    text = result.strftime("%Y-%m-%dT%H:%M") if isinstance(result, dt.datetime) else result.isoformat()
    return {"result": text, "steps": out.steps, "warnings": out.warnings}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(deadlines, moments), min_size=25, max_size=25))
def test_python_and_javascript_agree(cases):
    require(shutil.which("node") is not None, "Node.js", "sudo apt-get install nodejs")
    script = ("const d = require(process.argv[1]); const [cal, cases] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(cases.map(([dl, r]) => { const x = d.due(dl, r, cal);"
              " return x.missingYear ? {missingYear: x.missingYear} : {result: x.result, steps: x.steps, warnings: x.warnings} })))")
    # The page's data: each deadline with its words, as guide.deadline_data gives them.
    payload = [calendar_data(HOLIDAYS), [[deadline_data(model_deadline(d)), m.strftime("%Y-%m-%dT%H:%M")] for d, m in cases]]
    out = subprocess.run(["node", "-e", script, str(JS)], input=json.dumps(payload), capture_output=True, text=True,
                         check=True, timeout=60)
    assert json.loads(out.stdout) == [python_result(d, m) for d, m in cases]


def fill_received(page, day: str, time: str) -> None:
    """Type the received time as an officer does, then leave the field."""
    page.fill("#sotay-received", day)
    page.fill("#sotay-received-time", time)
    page.press("#sotay-received-time", "Tab")


def test_page_computes_the_due_date(chromium, shipped_url):
    page = chromium.new_page()
    page.goto(shipped_url + "thu-tuc/ho-tich/dang-ky-ket-hon/")
    fill_received(page, "24/01/2025", "10:00")
    text = page.locator(".sotay-due-result").inner_text()
    expected = duedate.due(_procedure_deadline("dang-ky-ket-hon"), dt.datetime(2025, 1, 24, 10), CALENDAR).result
    assert f"{expected:%d/%m/%Y}" in text, text
    fill_received(page, "03/03/2031", "09:00")
    assert "Chưa có lịch nghỉ năm 2031" in page.locator(".sotay-due-result").inner_text()
    page.close()


KHAI_SINH = "thu-tuc/ho-tich/dang-ky-khai-sinh/"


@pytest.mark.parametrize("locale", ["en-US", "vi-VN"])
def test_received_time_is_day_month_year_whatever_the_browser_language(chromium, shipped_url, locale):
    """03/02/2027 16:00 is 3 February at 16:00 in an English browser too (a
    datetime-local field would read 2 March, 4 PM); the page says back what it
    understood, and explains the counting exactly as `sotay due` does."""
    context = chromium.new_context(locale=locale)
    page = context.new_page()
    page.goto(shipped_url + KHAI_SINH)
    assert page.locator("#sotay-received").get_attribute("type") == "text"
    fill_received(page, "03/02/2027", "16:00")
    out = duedate.due(_procedure_deadline("dang-ky-khai-sinh"), dt.datetime(2027, 2, 3, 16), CALENDAR)
    result = page.locator(".sotay-due-result")
    assert page.locator(".sotay-due-echo").inner_text() == "Tiếp nhận: thứ Tư, 03/02/2027 lúc 16:00"
    assert f"Ngày hẹn trả kết quả: {duedate.fmt_moment(out.result)}" in result.inner_text()
    # The counting, folded, step for step as the command line prints it.
    assert not page.locator(".sotay-due-steps ol").is_visible()
    page.locator(".sotay-due-steps summary").click()
    assert page.locator(".sotay-due-steps li").all_inner_texts() == out.steps
    # The year's unverified days are named, in the command line's words.
    assert out.warnings and [w.strip("⚠ ") for w in page.locator(".sotay-due-warning").all_inner_texts()] == out.warnings
    assert "2027" in out.warnings[0] and "Tết Nguyên đán 2027" in out.warnings[0]
    context.close()


def test_an_impossible_date_is_refused_in_vietnamese(chromium, shipped_url):
    page = chromium.new_page()
    page.goto(shipped_url + KHAI_SINH)
    fill_received(page, "31/02/2026", "09:00")
    assert page.locator("#sotay-received-error").inner_text() == "Tháng 2 năm 2026 chỉ có 28 ngày: ngày 31 không có."
    assert page.locator("#sotay-received").get_attribute("aria-invalid") == "true"
    assert "Ngày hẹn" not in page.locator(".sotay-due-result").inner_text()
    fill_received(page, "2/13/2026", "09:00")  # month first, as an English browser would write it
    assert "Tháng phải từ 1 đến 12" in page.locator("#sotay-received-error").inner_text()
    fill_received(page, "13/02/2026", "4 PM")
    assert "24 giờ" in page.locator("#sotay-received-error").inner_text()
    fill_received(page, "13/02/2026", "16:00")
    assert page.locator("#sotay-received-error").inner_text() == ""
    assert page.locator(".sotay-due-echo").inner_text() == "Tiếp nhận: thứ Sáu, 13/02/2026 lúc 16:00"
    # Kept for the case: a reload shows the same day, still as ngày/tháng/năm.
    page.reload()
    assert page.locator("#sotay-received").input_value() == "13/02/2026"
    assert page.locator("#sotay-received-time").input_value() == "16:00"
    page.close()


def _procedure_deadline(pid: str) -> model.Deadline:
    from generator.content.handbook import load_handbook

    hb, _ = load_handbook(REPO)
    return hb.procedures[pid].deadline
