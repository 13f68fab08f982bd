"""Money, dates and deadlines are worded by one module: the pages, `sotay due`
and `sotay diff` say the same thing the same way, and differ only where the
due-date counting deliberately says more."""
import datetime as dt

import pytest

from generator.content import model
from generator.content.wording import date_vi, deadline_text, vnd
from generator.editing.semdiff import procedure_changes
from test_model_labels import procedure


@pytest.mark.parametrize("amount, text", [(0, "0 đồng"), (8000, "8.000 đồng"), (1_500_000, "1.500.000 đồng"),
                                           (999, "999 đồng"), (1_000_000_000, "1.000.000.000 đồng")])
def test_money(amount, text):
    assert vnd(amount) == text


@pytest.mark.parametrize("day, text", [(dt.date(2025, 1, 31), "31/01/2025"), (dt.date(2026, 12, 5), "05/12/2026"),
                                        (dt.datetime(2025, 3, 1, 15, 30), "01/03/2025")])
def test_dates(day, text):
    assert date_vi(day) == text


DEADLINES = [
    # deadline, as the page shows it, as the due-date counting says it
    (model.Deadline(kind="ngay-lam-viec", amount=5), "5 ngày làm việc", "5 ngày làm việc"),
    (model.Deadline(kind="gio-lam-viec", amount=4), "4 giờ làm việc", "4 giờ làm việc"),
    (model.Deadline(kind="ngay", amount=30), "30 ngày (tính cả ngày nghỉ)", "30 ngày (tính cả ngày nghỉ)"),
    (model.Deadline(kind="trong-ngay"), "Trong ngày", "trong ngày"),
    (model.Deadline(kind="trong-ngay", cutoff=model.Time("15:00")), "Trong ngày (nhận trước 15:00)",
     "trong ngày (nhận sau 15:00 thì trả vào ngày làm việc tiếp theo)"),
    (model.Deadline(kind="chua-xac-minh"), "Chưa xác minh được thời hạn", "chưa xác minh được thời hạn"),
]


def test_every_kind_of_deadline_is_worded():
    assert {d.kind for d, _, _ in DEADLINES} == set(model.DEADLINE_KINDS)


@pytest.mark.parametrize("deadline, page, counting", DEADLINES, ids=lambda x: getattr(x, "kind", None))
def test_deadline_on_the_page_and_in_the_counting(deadline, page, counting):
    assert deadline_text(deadline) == page
    assert deadline_text(deadline, counting=True) == counting


def test_due_command_says_the_deadline_as_the_counting_does(mini, run):
    result = run("due", "dang-ky-khai-sinh", "--received", "2025-03-10 09:00")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    counting = "trong ngày (nhận sau 15:00 thì trả vào ngày làm việc tiếp theo)"
    assert f"Thời hạn: {counting} — thời hạn chung của thủ tục" in lines
    assert any(line.startswith(f"  - Thời hạn: {counting}. Căn cứ cách tính:") for line in lines)


def test_diff_says_money_dates_and_deadlines_as_the_page_does():
    before = procedure()
    after = procedure(deadline=model.Deadline(kind="trong-ngay", cutoff=model.Time("15:00")),
                      fees=[model.Fee(name="Lệ phí", amount=8000)], reviewed=dt.date(2026, 2, 5))
    assert [c.text for c in procedure_changes(before, after)] == [
        "Thời hạn: 3 ngày làm việc → Trong ngày (nhận trước 15:00)",
        "Ngày rà soát: 01/01/2025 → 05/02/2026",
        "Lệ phí 'Lệ phí': miễn phí → 8.000 đồng",
    ]
