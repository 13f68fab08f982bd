"""Vietnamese wording of money, dates and deadlines: one function per concept,
used by the pages (as Jinja filters), ``sotay diff``, ``sotay due``, the
due-date counting and the other commands.  Depends only on the model.
"""

from __future__ import annotations

import datetime as dt

from . import model


def vnd(amount: int) -> str:
    """8000 → '8.000 đồng' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def date_vi(day: dt.date) -> str:
    """31/01/2025"""
    return day.strftime("%d/%m/%Y")


def deadline_text(d: model.Deadline, *, counting: bool = False) -> str:
    """The deadline in words, as the pages show it: "5 ngày làm việc",
    "Trong ngày (nhận trước 15:00)", "Chưa xác minh được thời hạn".

    ``counting=True`` is the wording of the due-date counting (``sotay due``
    and its explanation): it continues a sentence, so it starts in lower case,
    and it spells out what the cut-off means: "trong ngày (nhận sau 15:00 thì
    trả vào ngày làm việc tiếp theo)", "chưa xác minh được thời hạn".
    """
    if d.kind not in ("trong-ngay", "chua-xac-minh"):
        return f"{d.amount} {model.DEADLINE_KINDS[d.kind]}"
    text = model.DEADLINE_KINDS[d.kind]
    if d.kind == "trong-ngay" and d.cutoff:
        text += (f" (nhận sau {d.cutoff} thì trả vào ngày làm việc tiếp theo)" if counting
                 else f" (nhận trước {d.cutoff})")
    return text if counting else text[:1].upper() + text[1:]
