"""The browser's due-date calculator (duedate.js) and generator/guided/duedate.py
give the same date on generated cases over the real holiday registry; and the
procedure page computes it from a date-time input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

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


def test_page_computes_the_due_date(chromium, shipped_url):
    page = chromium.new_page()
    page.goto(shipped_url + "thu-tuc/ho-tich/dang-ky-ket-hon/")
    page.fill("#sotay-received", "2025-01-24T10:00")
    text = page.locator(".sotay-due-result").inner_text()
    expected = duedate.due(_procedure_deadline("dang-ky-ket-hon"), dt.datetime(2025, 1, 24, 10), CALENDAR).result
    assert f"{expected:%d/%m/%Y}" in text, text
    page.fill("#sotay-received", "2031-03-03T09:00")
    assert "Chưa có lịch nghỉ năm 2031" in page.locator(".sotay-due-result").inner_text()
    page.close()


def _procedure_deadline(pid: str) -> model.Deadline:
    from generator.content.handbook import load_handbook

    hb, _ = load_handbook(REPO)
    return hb.procedures[pid].deadline
