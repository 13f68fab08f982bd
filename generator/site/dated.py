"""What a procedure page says about the procedure's other versions
(content/versions.py): on the page of the version in force, a notice for
each upcoming version ("Từ 01/03/2027 áp dụng quy định mới: … — xem
trước") and a link to the previous one; on the page of another version, a
banner saying which days it applies to and a link back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from .. import urls
from ..content.handbook import Handbook
from ..content.versions import Period, period_on
from ..content.wording import date_vi
from ..guided.guide import due_data


@dataclass
class VersionLink:
    url: str  # site path of the version's page
    start: dt.date | None
    end: dt.date | None
    note: str | None  # the version's 'ghi_chu': what changes and why

    @property
    def label(self) -> str:
        if self.start is None:
            return f"bản áp dụng trước {date_vi(self.end)}"
        return f"bản áp dụng từ {date_vi(self.start)}" + (f" đến hết {date_vi(self.end - dt.timedelta(days=1))}"
                                                           if self.end else "")


@dataclass
class Dated:
    current_url: str  # the page of the version in force on the site's day
    upcoming: list[VersionLink]
    previous: VersionLink | None
    shown: VersionLink | None = None  # on another version's page: that version
    future: bool = False  # the shown version starts after the site's day
    links: list[VersionLink] = dataclasses.field(default_factory=list)  # every version, in date order
    own: int = 0  # which of them the page shows


def _link(hb: Handbook, pid: str, periods: list[Period], i: int, current: int) -> VersionLink:
    x = periods[i]
    p = hb.procedures[pid]
    url = urls.procedure_url(p) if i == current else urls.procedure_version(
        p.field_id, pid, x.start.isoformat() if x.start else None, x.end.isoformat() if x.end else None)
    return VersionLink(url, x.start, x.end, x.version.change_note if x.version is not None else None)


def dated(hb: Handbook, pid: str, index: int | None = None) -> Dated | None:
    """What the page of procedure ``pid`` says about its versions: the page
    of the version in force (``index`` None) or of version ``index``."""
    periods = hb.timelines.get(pid)
    if not periods:
        return None
    current = periods.index(period_on(periods, hb.day))
    links = [_link(hb, pid, periods, i, current) for i in range(len(periods))]
    upcoming = [links[i] for i in range(current + 1, len(periods))]
    result = Dated(urls.procedure_url(hb.procedures[pid]), upcoming, links[current - 1] if current > 0 else None,
                   links=links, own=current)
    if index is not None and index != current:
        result.shown, result.future = links[index], index > current
        result.upcoming = [links[i] for i in range(index + 1, len(periods)) if i > current]
        result.previous = None
        result.own = index
    return result


def case_data(hb: Handbook, pid: str, d: Dated, url_for) -> dict:
    """What the case view needs to follow a dossier's received date
    (versions.js): each version's days, its name as ``sotay due`` says it,
    its page and its deadlines; ``own``, the one the page shows.  The holiday
    calendar is the page's own (data.due.calendar), the same for every version."""
    versions = []
    for x, link in zip(hb.timelines[pid], d.links):
        due = due_data(x.procedure, hb.holidays, hb.province)
        versions.append({"start": x.start.isoformat() if x.start else None, "end": x.end.isoformat() if x.end else None,
                         "label": x.label(), "url": url_for(link.url),
                         "deadline": due.get("deadline"), "channels": due.get("channels", [])})
    return {"own": d.own, "list": versions}


def version_procedure(hb: Handbook, pid: str, index: int):
    """The content of version ``index`` of procedure ``pid``."""
    return hb.timelines[pid][index].procedure
