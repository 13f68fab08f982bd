"""What a build or a command describes: the day and the provincial edition.

Read the same way on every entry point (sotay build/serve/export and the
other commands, and mkdocs.yml's plugin options); see ARCHITECTURE.md."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    on: dt.date | None = None  # the day the handbook describes; None: today in Vietnam
    province: str | None = None  # a province overlay id; None: the national edition


VIETNAM = dt.timezone(dt.timedelta(hours=7))


def today_in_vietnam() -> dt.date:
    """The date an editor in Vietnam sees, or the machine's own if later:
    a check run on a machine in UTC between midnight and 7:00 in Vietnam
    must not call today's review date a day in the future.  Every "today"
    of sotay is this one, so that a page, its open data, the file names and
    the review notices agree on one day whatever the machine's time zone."""
    return max(dt.datetime.now(VIETNAM).date(), dt.date.today())
