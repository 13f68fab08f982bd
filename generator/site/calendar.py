"""The change calendar ("Sắp có hiệu lực"): every change after the day a
site describes, by date.  A procedure version starting, with its
field-level difference from the version before it (editing/semdiff.py);
a legal document entering into force or ending, with the procedures citing
it and whether each is ready (a later version no longer cites it); a local
fee starting, changing or ending, with the procedures charging it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..content import model
from ..content.handbook import Handbook
from ..content.inputs import digest, legal_entries, per_procedure
from ..content.legal import citation_index, end_of
from ..content.versions import dropped_from, local_fee_on, upcoming, version_citations
from ..content.wording import vnd
from ..editing.semdiff import procedure_changes
from ..textutil import vi_sort_key
from .dated import dated


@dataclass
class VersionEntry:
    procedure: model.Procedure  # the version in force on the site's day (title, page)
    url: str  # the upcoming version's own page
    note: str | None
    changes: list[str]


@dataclass
class Affected:
    procedure: model.Procedure
    ready: bool  # a version from the change's day no longer cites the document (or cites the new one)


@dataclass
class LegalEntry:
    doc: model.LegalDocument
    starts: bool  # enters into force (else: ends)
    affected: list[Affected]


@dataclass
class FeeEntry:
    key: str
    name: str
    before: str
    after: str
    procedures: list[model.Procedure]


@dataclass
class CalendarDay:
    day: dt.date
    versions: list[VersionEntry] = field(default_factory=list)
    legal: list[LegalEntry] = field(default_factory=list)
    fees: list[FeeEntry] = field(default_factory=list)


def _fee_shown(fee: model.LocalFee) -> str:
    if fee.amount is None:
        return "chưa có mức thu"
    return vnd(fee.amount) + (f"/{fee.unit}" if fee.unit else "")


def _version_entries(hb: Handbook, pid: str) -> list[tuple[dt.date, VersionEntry]]:
    periods = hb.timelines[pid]
    links = {x.start: x for x in (dated(hb, pid).upcoming if hb.timelines.get(pid) else [])}
    entries = []
    for period in upcoming(hb, pid):
        before = periods[periods.index(period) - 1].procedure
        entries.append((period.start, VersionEntry(
            hb.procedures[pid], links[period.start].url, period.version.change_note,
            [c.text for c in procedure_changes(before, period.procedure)])))
    return entries


def _versions(hb: Handbook, pid: str, memo: dict | None) -> tuple[list[tuple[dt.date, VersionEntry]], str]:
    """The calendar's entries for ``pid``'s upcoming versions, and a digest of what they show
    (calendar_inputs).  What changes in each version: nothing of the legal registry
    (tests/test_page_kinds.py)."""
    def compute():
        entries = _version_entries(hb, pid)
        return entries, digest([(start, e.url, e.note, e.changes) for start, e in entries])
    return per_procedure(memo, hb, pid, compute, reads_legal=False)


def calendar(hb: Handbook, memo: dict | None = None, index: dict | None = None) -> list[CalendarDay]:
    """The changes after ``hb.day``, by date.  ``memo`` (sotay serve, kept
    between rebuilds): each procedure's upcoming versions, reused while its
    file, the registries and the edition are unchanged.  ``index``: the
    citation index of ``hb``'s procedures when the caller has it already."""
    days: dict[dt.date, CalendarDay] = {}

    def at(day: dt.date) -> CalendarDay:
        return days.setdefault(day, CalendarDay(day))

    for pid in sorted(hb.timelines):
        for start, entry in _versions(hb, pid, memo)[0]:
            at(start).versions.append(entry)

    index = citation_index(hb.procedures.values()) if index is None else index
    for doc_id, doc, end in _changing_documents(hb):
        if doc.effective and doc.effective > hb.day:
            cited = {c.procedure.id for c in version_citations(hb.timelines, doc_id) if c.start <= doc.effective}
            now = {c.procedure.id for c in index.get(doc_id, [])}
            affected = [Affected(hb.procedures[pid], pid in cited) for pid in sorted(cited | now)]
            at(doc.effective).legal.append(LegalEntry(doc, True, affected))
        if end and end > hb.day:
            pids = sorted({c.procedure.id for c in index.get(doc_id, [])})
            affected = [Affected(hb.procedures[pid], (dropped_from(hb.timelines, pid, doc_id, hb.day) or dt.date.max) <= end)
                        for pid in pids]
            at(end).legal.append(LegalEntry(doc, False, affected))

    written = hb.fees_written.get(hb.province.id, {}) if hb.province else {}  # the edition's province
    charging = _charging(hb)
    for key, fee in written.items():
        charged = charging.get(key, [])
        for day in sorted({v.effective for v in fee.versions} | {fee.effective_from, fee.expires} - {None}):
            if day <= hb.day:
                continue
            old, new = local_fee_on(fee, day - dt.timedelta(days=1)), local_fee_on(fee, day)
            name = new.name or (hb.local_fees[key].name if key in hb.local_fees else key)
            at(day).fees.append(FeeEntry(key, name, _fee_shown(old), _fee_shown(new), charged))

    for entry in days.values():
        entry.versions.sort(key=lambda v: vi_sort_key(v.procedure.title))
    return [days[d] for d in sorted(days)]


def calendar_inputs(hb: Handbook, citers: Callable[[str], str], memo: dict | None = None) -> list:
    """What the calendar is made of besides the registries but the legal
    one, the day and the edition (sotay serve: pages.Upcoming.inputs): of
    each procedure with versions, its title, address and upcoming versions
    as the calendar shows them (so an edit of its steps that no version's
    difference names changes nothing here); the documents that start or end
    after the day (their entries, and the titles and addresses of the
    procedures citing them: their other edits change nothing here); the
    procedures charging a local fee.  ``citers``: a document's id → what
    its page shows of the procedures citing it (pages.Site.citers; the
    calendar shows less: their titles and addresses); ``memo``: calendar()'s."""
    def named(procedures) -> list:
        return [(p.id, p.title, p.field_id) for p in procedures]
    changing = [doc_id for doc_id, _, _ in _changing_documents(hb)]
    return [[(pid, hb.procedures[pid].title, hb.procedures[pid].field_id, _versions(hb, pid, memo)[1])
             for pid in sorted(hb.timelines)],
            legal_entries(hb, changing),
            [[doc_id, citers(doc_id)] for doc_id in changing],
            [[key, named(procedures)] for key, procedures in _charging(hb).items()]]


def _changing_documents(hb: Handbook):
    """(id, document, its end) of every document that starts or ends after the day."""
    for doc_id, doc in hb.legal.items():
        end = end_of(hb.legal, doc_id)
        if (doc.effective and doc.effective > hb.day) or (end and end > hb.day):
            yield doc_id, doc, end


def _charging(hb: Handbook) -> dict[str, list[model.Procedure]]:
    """Local fee key → the procedures charging it, in catalogue order."""
    charging: dict[str, list] = {}
    for p in hb.procedures.values():
        for k in dict.fromkeys(f.local_key for f in p.fees if f.local_key):
            charging.setdefault(k, []).append(p)
    return charging
