"""Ngày hẹn trả kết quả: working-day arithmetic over the holiday registry.

Pure functions, no I/O: build a ``WorkCalendar`` from ``Handbook.holidays``
(handbook/data/ngay-nghi.yml), then ``due(deadline, received, calendar)``
gives the date (or, for hour-based deadlines, the moment) to write on the
"Giấy tiếp nhận hồ sơ và hẹn trả kết quả", with the counting explained in
Vietnamese, one line per step, and warnings.

A working day is Monday–Friday that is not a day off in the registry, plus a
Saturday/Sunday the registry lists as a make-up day (lam_bu).  A day whose
year is not in the registry is unknown: ``MissingYear`` rather than a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..content import model
from ..content.wording import date_vi, deadline_text

REGISTRY = "handbook/data/ngay-nghi.yml"

# Assumed office hours for deadlines counted in working hours (7 h 30 a day),
# 07:30–11:30 and 13:30–17:00: the national edition's, and a province's whose
# overlay gives no sessions (gio_lam_viec → buoi).  Every explanation then
# says these are assumed; a province's own hours are named as its.
OFFICE_HOURS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

# Where each way of counting comes from, said once in every explanation.
BASIS = {
    "ngay-lam-viec": "ngày nhận hồ sơ không tính, đếm từ ngày làm việc tiếp theo (khoản 2 Điều 147 Bộ luật Dân sự 2015); "
                     "ngày làm việc theo lịch nghỉ lễ, Tết của Bộ luật Lao động 2019 (Điều 111, 112) và thông báo "
                     "hằng năm, ghi trong " + REGISTRY,
    "gio-lam-viec": "thời hạn tính bằng giờ bắt đầu từ thời điểm nhận hồ sơ (khoản 1 Điều 147 Bộ luật Dân sự 2015), "
                    "chỉ cộng giờ trong giờ làm việc",
    "trong-ngay": "giải quyết trong ngày; nhận hồ sơ sau giờ cắt thì trả vào ngày làm việc tiếp theo",
    "ngay": "tính cả ngày nghỉ; ngày nhận hồ sơ không tính (khoản 2 Điều 147 Bộ luật Dân sự 2015)",
}


class MissingYear(Exception):
    """The registry has no block for a year the counting reaches."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"thiếu lịch nghỉ năm {year} trong {REGISTRY}: không biết ngày nào của năm {year} là ngày nghỉ, "
            f"ngày làm bù nên không tính được ngày hẹn. Thêm khối '{year}:' (nghi, lam_bu, can_cu) theo hướng dẫn "
            "ở đầu tệp khi đã có thông báo lịch nghỉ của năm đó."
        )


# --- formatting -------------------------------------------------------------------


def fmt_day(day: dt.date) -> str:
    """thứ Sáu, 31/01/2025: the date staff write on the receipt, with its weekday."""
    return f"{WEEKDAYS[day.weekday()]}, {date_vi(day)}"


def fmt_moment(moment: dt.date | dt.datetime) -> str:
    """thứ Hai, 03/02/2025 lúc 15:30 (a date alone has no time)"""
    if isinstance(moment, dt.datetime):
        return f"{fmt_day(moment.date())} lúc {moment:%H:%M}"
    return fmt_day(moment)


def fmt_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} giờ"] if hours else []) + ([f"{rest} phút"] if rest else [])
    return " ".join(parts) or "0 giờ"


# --- the calendar -----------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    days_off: Mapping[dt.date, str]
    make_up: Mapping[dt.date, str]
    years: frozenset[int]
    unverified: Mapping[int, str] = field(default_factory=dict)
    hours: tuple[tuple[dt.time, dt.time], ...] = OFFICE_HOURS  # the windows hour-based deadlines count in
    hours_of: str | None = None  # the province whose hours these are; None: assumed

    @classmethod
    def from_registry(cls, holidays: Mapping[int, model.HolidayYear],
                      province: model.Province | None = None) -> WorkCalendar:
        hours, hours_of = office_hours(province)
        return cls(
            days_off={d.day: d.name for y in holidays.values() for d in y.days_off},
            make_up={d.day: d.name for y in holidays.values() for d in y.make_up},
            years=frozenset(holidays),
            unverified={year: y.unverified for year, y in holidays.items() if y.unverified},
            hours=hours,
            hours_of=hours_of,
        )

    def hours_text(self) -> str:
        """"giờ làm việc của Tỉnh X: 08:00–12:00 và 13:00–17:00" (or the assumed hours, said so)."""
        windows = " và ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.hours)
        if self.hours_of:
            return f"giờ làm việc của {self.hours_of}: {windows}"
        return f"giờ làm việc giả định: {windows}"

    def _need(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise MissingYear(day.year)

    def is_working(self, day: dt.date) -> bool:
        self._need(day)
        if day in self.make_up:
            return True
        return day not in self.days_off and day.weekday() < 5

    def why_off(self, day: dt.date) -> str:
        """Why a non-working day is off: its name in the registry, or the weekly rest."""
        return self.days_off.get(day, "nghỉ hằng tuần")

    def describe_day(self, day: dt.date) -> str:
        """31/01/2025 (thứ Sáu)"""
        return f"{date_vi(day)} ({WEEKDAYS[day.weekday()]})"


def office_hours(province: model.Province | None) -> tuple[tuple[tuple[dt.time, dt.time], ...], str | None]:
    """The windows an hour-based deadline counts in, and whose they are: the
    province's sessions when its overlay gives them, else OFFICE_HOURS (None)."""
    if province is None or province.hours is None or not province.hours.sessions:
        return OFFICE_HOURS, None
    windows = tuple((dt.time.fromisoformat(s.start), dt.time.fromisoformat(s.end)) for s in province.hours.sessions)
    return windows, province.name


@dataclass
class DueDate:
    """When to return the result, and how it was counted."""

    result: dt.date | dt.datetime | None  # a datetime only for hour-based deadlines
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)  # non-working days passed over, with why


class _Counter:
    """Walks the calendar day by day, writing each step of the explanation."""

    def __init__(self, calendar: WorkCalendar):
        self.cal = calendar
        self.out = DueDate(result=None)

    def step(self, text: str) -> None:
        self.out.steps.append(text)

    def skip(self, day: dt.date) -> None:
        reason = self.cal.why_off(day)
        self.out.skipped.append((day, reason))
        self.step(f"bỏ qua {self.cal.describe_day(day)}: {reason}")

    def next_working(self, day: dt.date) -> dt.date:
        """The first working day after ``day``, noting the days passed over."""
        day += dt.timedelta(days=1)
        while not self.cal.is_working(day):
            self.skip(day)
            day += dt.timedelta(days=1)
        return day

    def working_label(self, day: dt.date) -> str:
        label = self.cal.describe_day(day)
        if day in self.cal.make_up:
            label += f" – ngày làm bù: {self.cal.make_up[day]}"
        return label

    def off_note(self, day: dt.date) -> str:
        return f"{fmt_day(day)} – ngày nghỉ: {self.cal.why_off(day)}"


def due(deadline: model.Deadline, received: dt.datetime, calendar: WorkCalendar) -> DueDate:
    """The due date of a dossier received at ``received`` (local time), with
    the counting explained.  Raises ``MissingYear`` when the counting reaches
    a year the registry does not have."""
    c = _Counter(calendar)
    kind = deadline.kind
    if kind == "chua-xac-minh":
        c.step("Thời hạn giải quyết của thủ tục này chưa xác minh được nên không tính ngày hẹn; "
               "đối chiếu văn bản quy định thủ tục hoặc quy trình nội bộ của địa phương trước khi hẹn.")
        return c.out
    if kind not in BASIS:
        raise ValueError(f"không biết cách tính thời hạn '{kind}'")
    c.step(f"Thời hạn: {deadline_text(deadline, counting=True)}. Căn cứ cách tính: {BASIS[kind]}.")
    if kind == "ngay-lam-viec":
        result: dt.date | dt.datetime = _working_days(c, received.date(), deadline.amount or 0)
    elif kind == "gio-lam-viec":
        result = _working_hours(c, received, deadline.amount or 0)
    elif kind == "trong-ngay":
        result = _same_day(c, received, deadline.cutoff)
    else:
        result = _calendar_days(c, received.date(), deadline.amount or 0)
    c.out.result = result
    c.step(f"→ Hẹn trả kết quả: {fmt_moment(result)}.")
    last = result.date() if isinstance(result, dt.datetime) else result
    for year in range(received.year, last.year + 1):
        if year in calendar.unverified:
            c.out.warnings.append(
                f"Lịch nghỉ năm {year} còn ngày chưa xác minh nên ngày hẹn có thể phải tính lại "
                f"(can_xac_minh trong {REGISTRY}): {calendar.unverified[year]}"
            )
    return c.out


def _working_days(c: _Counter, received: dt.date, amount: int) -> dt.date:
    if c.cal.is_working(received):
        c.step(f"Nhận hồ sơ {fmt_day(received)}: ngày này không tính.")
        start = received
    else:
        c.step(f"Nhận hồ sơ {c.off_note(received)}. Coi như nhận vào ngày làm việc tiếp theo.")
        start = c.next_working(received)
        c.step(f"Coi như nhận hồ sơ {fmt_day(start)}: ngày này không tính.")
    day = start
    for n in range(1, amount + 1):
        day = c.next_working(day)
        c.step(f"ngày làm việc thứ {n}: {c.working_label(day)}")
    return day


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def _working_hours(c: _Counter, received: dt.datetime, amount: int) -> dt.datetime:
    windows = [(_minutes(a), _minutes(b)) for a, b in c.cal.hours]
    total = sum(b - a for a, b in windows)
    text = c.cal.hours_text()
    if c.cal.hours_of:
        c.step(f"{text[0].upper()}{text[1:]} ({fmt_minutes(total)} mỗi ngày làm việc).")
    else:
        c.step(f"{text[0].upper()}{text[1:]} ({fmt_minutes(total)} mỗi ngày làm việc); "
               "giờ làm việc thật do địa phương công bố, nếu khác thì tính lại.")
    remaining = amount * 60
    day, now = received.date(), _minutes(received.time())
    if c.cal.is_working(day):
        c.step(f"Nhận hồ sơ {fmt_day(day)} lúc {received:%H:%M}.")
    else:
        c.step(f"Nhận hồ sơ {fmt_day(day)} lúc {received:%H:%M} – ngày nghỉ: {c.cal.why_off(day)}.")
        day, now = c.next_working(day), 0
    first = True
    while True:
        for start, end in windows:
            if now >= end:
                continue
            begin = max(now, start)
            if first and (day, begin) != (received.date(), _minutes(received.time())):
                c.step(f"Nhận ngoài giờ làm việc: bắt đầu tính từ {fmt_moment(_at(day, begin))}.")
            first = False
            take = min(remaining, end - begin)
            remaining -= take
            tail = f"đủ {fmt_minutes(amount * 60)}" if remaining == 0 else f"còn {fmt_minutes(remaining)}"
            c.step(f"{c.working_label(day)} {_at(day, begin):%H:%M}–{_at(day, begin + take):%H:%M}: "
                   f"tính {fmt_minutes(take)}, {tail}")
            if remaining == 0:
                return _at(day, begin + take)
            now = begin + take
        day, now = c.next_working(day), 0


def _same_day(c: _Counter, received: dt.datetime, cutoff: model.Time | None) -> dt.date:
    day = received.date()
    if not c.cal.is_working(day):
        c.step(f"Nhận hồ sơ {c.off_note(day)}. Trả vào ngày làm việc tiếp theo.")
        return c.next_working(day)
    if cutoff is None:
        c.step(f"Nhận hồ sơ {fmt_day(day)}: trả trong ngày.")
        return day
    hour, minute = (int(x) for x in cutoff.split(":"))
    at = f"{received:%H:%M}"
    # "nhận hồ sơ sau 15 giờ" (Luật Hộ tịch): a dossier received exactly at the
    # cut-off is not after it, so it is still answered the same day.
    if received.time().replace(second=0, microsecond=0) <= dt.time(hour, minute):
        c.step(f"Nhận hồ sơ {fmt_day(day)} lúc {at}, không muộn hơn giờ cắt {cutoff}: trả trong ngày.")
        return day
    c.step(f"Nhận hồ sơ {fmt_day(day)} lúc {at}, sau giờ cắt {cutoff}: trả vào ngày làm việc tiếp theo.")
    return c.next_working(day)


def _calendar_days(c: _Counter, received: dt.date, amount: int) -> dt.date:
    result = received + dt.timedelta(days=amount)
    c.step(f"Nhận hồ sơ {fmt_day(received)}; cộng {amount} ngày (kể cả thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết).")
    if not c.cal.is_working(result):
        probe = _Counter(c.cal)
        try:
            after = f" Ngày làm việc tiếp theo là {fmt_day(probe.next_working(result))}."
        except MissingYear:
            after = ""
        c.out.warnings.append(
            f"Ngày hẹn {fmt_day(result)} rơi vào ngày nghỉ: {c.cal.why_off(result)}. Thời hạn tính theo ngày (kể cả ngày nghỉ) nên không tự dời; "
            "nếu áp dụng khoản 5 Điều 148 Bộ luật Dân sự 2015 (ngày cuối cùng của thời hạn là ngày nghỉ thì thời hạn "
            f"kết thúc vào cuối ngày làm việc tiếp theo), hãy hẹn vào ngày làm việc tiếp theo.{after}"
        )
    return result
