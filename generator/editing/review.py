"""Review dates (ngay_ra_soat): which procedures are overdue for review.

Used by ``sotay stale`` and by the site's "cần rà soát" notice.  A procedure is
overdue when it was last reviewed more than N calendar months before today:
reviewed on 2025-03-31, with 12 months, it is due on 2026-03-31 and overdue
from 2026-04-01.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from ..content import model
from ..textutil import vi_sort_key

DEFAULT_MONTHS = 12


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier if negative),
    clamped to the end of a shorter month (2026-03-31 + 1 → 2026-04-30)."""
    year, month = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(p: model.Procedure, months: int = DEFAULT_MONTHS) -> dt.date:
    """The last day on which the procedure is still within its review period."""
    return add_months(p.reviewed, months)


def is_overdue(p: model.Procedure, today: dt.date | None = None, months: int = DEFAULT_MONTHS) -> bool:
    """True when ``p`` was last reviewed more than ``months`` months before
    ``today`` (default: the real today)."""
    return (today or dt.date.today()) > review_due(p, months)


def months_since(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (0 if later is not after)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day and later.day != calendar.monthrange(later.year, later.month)[1]:
        months -= 1
    return max(months, 0)


def overdue_by_owner(
    procedures: Iterable[model.Procedure], today: dt.date, months: int = DEFAULT_MONTHS
) -> list[tuple[str, list[model.Procedure]]]:
    """Overdue procedures grouped by owner (phu_trach): oldest review first in
    each group, and the group with the oldest review first."""
    groups: dict[str, list[model.Procedure]] = {}
    for p in procedures:
        if is_overdue(p, today, months):
            groups.setdefault(p.owner, []).append(p)
    for items in groups.values():
        items.sort(key=lambda p: (p.reviewed, vi_sort_key(p.title)))
    return sorted(groups.items(), key=lambda kv: (kv[1][0].reviewed, vi_sort_key(kv[0])))
