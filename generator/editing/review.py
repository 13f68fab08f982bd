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

from pathlib import Path

from ..content import model
from ..content.edition import today_in_vietnam
from ..content.errors import ContentError
from ..content.located import location
from ..textutil import vi_sort_key
from .versions import GitError, files_at, load_version, ok

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
    return (today or today_in_vietnam()) > review_due(p, months)


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


# --- dated versions: started since the last review, or coming soon -----------------


def version_reviews(timelines: dict[str, list], today: dt.date, months: int = DEFAULT_MONTHS) -> list[dict]:
    """The dated versions an owner must look at: one that has started since
    the procedure was last reviewed (its content changed by date, unseen),
    and one starting within ``months`` months (to prepare; ``unverified``
    counts its 'can_xac_minh' entries).  ``timelines``: Handbook.timelines."""
    horizon = add_months(today, months)
    found = []
    for periods in timelines.values():
        for period in periods:
            if period.version is None:
                continue
            p = period.procedure
            if p.reviewed < period.start <= today:
                state = "da-ap-dung"
            elif today < period.start <= horizon:
                state = "sap-ap-dung"
            else:
                continue
            found.append({"procedure": p, "start": period.start, "state": state, "unverified": len(p.unverified)})
    return sorted(found, key=lambda x: (x["start"], vi_sort_key(x["procedure"].owner), vi_sort_key(x["procedure"].title)))


# --- a deadline or fee changed without a new review date -------------------------


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _per_channel(p: model.Procedure, attr: str) -> dict[str, list]:
    """The deadlines (``attr`` "deadline") or fees ("fees") each channel sets for itself."""
    found: dict[str, list] = {}
    for c in p.channels:
        if getattr(c, attr) is not None:
            found.setdefault(c.kind, []).append(getattr(c, attr))
    return found


def _unreviewed_change(old: model.Procedure, new: model.Procedure) -> str | None:
    """"Thời hạn", "Phí, lệ phí" or both, when a deadline or a fee (the
    general ones or a channel's own) changed while the review date did not."""
    if new.reviewed != old.reviewed:
        return None
    deadlines = old.deadline != new.deadline or _per_channel(old, "deadline") != _per_channel(new, "deadline")
    fees = old.fees != new.fees or _per_channel(old, "fees") != _per_channel(new, "fees")
    what = [name for name, changed in (("thời hạn", deadlines), ("phí, lệ phí", fees)) if changed]
    return cap(" và ".join(what)) if what else None


def review_warnings(old: model.Procedure, new: model.Procedure) -> list[str]:
    """What the reviewer should ask about: a deadline or fee changed without
    a new review date (CONTRIBUTING.md asks for one with every change)."""
    what = _unreviewed_change(old, new)
    if what is None:
        return []
    return [f"{what} đã thay đổi nhưng ngày rà soát (ngay_ra_soat) vẫn là "
            f"{new.reviewed:%d/%m/%Y}: đối chiếu với văn bản rồi ghi ngày rà soát mới."]


def uncommitted_review_warnings(root: Path, procedures, today: dt.date | None = None) -> list[ContentError]:
    """For ``sotay validate``: a warning at the review date of each procedure
    whose deadline or fee differs from the last commit (git HEAD) while its
    review date does not, unless that date is today (reviewed today, edited
    again today: nothing to remind).  Nothing outside a git repository or
    before the first commit."""
    today = today or today_in_vietnam()
    try:
        head = ok(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
        committed = files_at(root, head) if head else {}
    except GitError:
        return []
    found = []
    for p in procedures:
        data = committed.get(p.path)
        if p.reviewed >= today:
            continue
        try:
            if data is None or (root / p.path).read_bytes() == data:
                continue
        except OSError:
            continue
        before = load_version(data, p.path)[0]
        what = _unreviewed_change(before, p) if before is not None else None
        if what is not None:
            line, col = location(p, "reviewed")
            found.append(ContentError(
                p.path, line, col, f"{what.lower()} đã sửa so với bản đã commit nhưng ngày rà soát vẫn là "
                f"{p.reviewed:%d/%m/%Y}", "đối chiếu với văn bản rồi ghi ngày rà soát mới (ngày hôm nay).", warning=True))
    return found
