"""Dated versions: what the handbook says on a given day.

A procedure file's top-level keys are its base version (in force from
``hieu_luc_tu``, or from before any date the handbook records); ``phien_ban``
lists later versions, each with its start date and only the keys that
change.  A key a version writes replaces that key's whole value from its
start; versions apply cumulatively, and the next version's start ends the
previous one, so there is no gap and no overlap by construction: only the
order of the dates can be wrong, and ``check_procedure`` says so.

Resolving gives an ordinary ``model.Procedure`` (search, guides, training
and pages need nothing else), whose values keep the positions they were
written at, so an error in a version's field is located in the version's
lines.  Local fees (dia-phuong.yml) and legal documents' status are dated
the same way (``local_on``, ``legal_on``).  ``apply_edition`` turns a loaded
handbook into the handbook of one day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import model
from .errors import ErrorSink
from .legal import Citation, end_of, reach as legal_reach
from .located import Context, location
from .rules import CHECKS
from .wording import date_vi

if TYPE_CHECKING:
    from .handbook import Handbook


@dataclass(frozen=True)
class Period:
    """One version of a procedure with the days it is in force: from
    ``start`` (None: from before any recorded date) up to, not including,
    ``end`` (None: open-ended)."""

    start: dt.date | None
    end: dt.date | None
    version: Any  # model.Version, or None for the base (the file's top-level keys)
    procedure: model.Procedure  # the content in force over the period

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def label(self) -> str:
        """How the handbook names this version: "bản áp dụng từ 01/3/2027"."""
        if self.start is None:
            return "bản áp dụng trước " + date_vi(self.end) if self.end else "bản hiện hành"
        return "bản áp dụng từ " + date_vi(self.start)


def _copy(obj: Any, **changes: Any) -> Any:
    """``dataclasses.replace`` keeping where each value was written."""
    new = dataclasses.replace(obj, **changes)
    new._locs = dict(getattr(obj, "_locs", {}))
    return new


def apply(base: model.Procedure, version: Any) -> model.Procedure:
    """``base`` with the keys ``version`` writes replaced; positions follow the values."""
    changed = [a for a in model.changed_attrs(version) if getattr(version, a) is not None]  # empty: reported
    if not changed:
        return base
    new = _copy(base, **{a: getattr(version, a) for a in changed})
    new._locs.update({a: version._locs[a] for a in changed})
    return new


def timeline(p: model.Procedure) -> list[Period]:
    """Every version of ``p`` in file order (the checks make that date order),
    each resolved cumulatively."""
    starts = [p.effective_from] + [v.effective for v in p.versions]
    resolved, current = [p], p
    for v in p.versions:
        current = apply(current, v)
        resolved.append(current)
    versions = [None, *p.versions]
    return [Period(starts[i], starts[i + 1] if i + 1 < len(starts) else None, versions[i], resolved[i])
            for i in range(len(starts))]


def period_on(periods: list[Period], day: dt.date) -> Period:
    """The version in force on ``day``; before the first start, the first
    version (a procedure whose base starts later is shown as written)."""
    found = periods[0]
    for period in periods:
        if period.start is None or period.start <= day:
            found = period
    return found


def on(p: model.Procedure, day: dt.date) -> model.Procedure:
    """The procedure as in force on ``day`` (``p`` itself when it has no versions)."""
    return period_on(timeline(p), day).procedure if p.versions else p


def periods_of(hb: Handbook, pid: str) -> list[Period]:
    """The versions of a loaded procedure (one period for a procedure without versions)."""
    if pid in hb.timelines:
        return hb.timelines[pid]
    p = hb.procedures[pid]
    return [Period(p.effective_from, None, None, p)]


def in_force(hb: Handbook, pid: str, day: dt.date) -> Period:
    """The version of a loaded procedure in force on ``day`` (a dossier's received date)."""
    return period_on(periods_of(hb, pid), day)


def used_for(hb: Handbook, pid: str, day: dt.date) -> tuple[model.Procedure, dict | None]:
    """The procedure a dossier received on ``day`` follows, and which
    version that is (None when the procedure has no dated versions): what
    ``sotay guide`` and ``sotay due`` say they used."""
    periods = periods_of(hb, pid)
    period = period_on(periods, day)
    if len(periods) < 2 and period.start is None:
        return period.procedure, None
    return period.procedure, {
        "start": period.start.isoformat() if period.start else None,
        "end": period.end.isoformat() if period.end else None,
        "label": period.label(),
        "note": period.version.change_note if period.version is not None else None,
        "received": day.isoformat(),
        "text": f"Theo {period.label()} (hồ sơ nhận ngày {date_vi(day)})"
                + (f"; chưa áp dụng trước {date_vi(period.start)}" if period.start and day < period.start else ""),
    }


def upcoming(hb: Handbook, pid: str) -> list[Period]:
    """Versions that start after the day the handbook describes."""
    return [x for x in periods_of(hb, pid) if x.start is not None and hb.day is not None and x.start > hb.day]


def previous(hb: Handbook, pid: str) -> Period | None:
    """The version before the one in force on the handbook's day."""
    periods = periods_of(hb, pid)
    current = period_on(periods, hb.day) if hb.day else periods[0]
    i = periods.index(current)
    return periods[i - 1] if i > 0 else None


def change_dates(hb: Handbook) -> list[dt.date]:
    """Every version start after the handbook's day, in order (the offline
    copy warns when opened on or after one of them)."""
    return sorted({x.start for pid in hb.timelines for x in upcoming(hb, pid)})


# --- checks ----------------------------------------------------------------------------


def check_procedure(p: model.Procedure, legal: dict[str, model.LegalDocument], sink: ErrorSink) -> None:
    """The versions of one procedure: dates strictly increasing after the
    base's start, each version changing something, each resolved version
    valid under the procedure rules, and citing only documents in force on
    its start date."""
    if not p.versions and p.effective_from is None:
        return
    previous_start, previous_where = p.effective_from, "nội dung chính ('hieu_luc_tu' ở đầu tệp)"
    for v in p.versions:
        line, col = location(v, "effective")
        if previous_start is not None and v.effective <= previous_start:
            same = v.effective == previous_start
            sink.add(p.path, line, col,
                     (f"phiên bản trùng ngày bắt đầu {date_vi(v.effective)} với {previous_where}" if same else
                      f"phiên bản bắt đầu {date_vi(v.effective)}, không sau {previous_where} ({date_vi(previous_start)})"),
                     "các phiên bản xếp theo ngày tăng dần, mỗi ngày bắt đầu chỉ một phiên bản; "
                     "gộp hai phiên bản cùng ngày, hoặc sửa 'hieu_luc_tu'.")
        if not model.changed_attrs(v):
            sink.add(p.path, *location(v), "phiên bản không thay đổi khóa nào của thủ tục",
                     "ghi các khóa thay đổi từ ngày này (ví dụ 'phi', 'ho_so'), hoặc bỏ phiên bản.")
        for attr in model.changed_attrs(v):
            if getattr(v, attr) is None:
                key = model.key_of(model.Procedure, attr)
                sink.add(p.path, *location(v, attr), f"khóa '{key}' để trống trong phiên bản",
                         f"ghi giá trị mới của '{key}' (danh sách rỗng thì ghi []), hoặc bỏ khóa nếu không đổi.")
        previous_start = v.effective if previous_start is None else max(previous_start, v.effective)
        previous_where = f"phiên bản ở dòng {line}"
    known = {(e.line, e.column, e.message) for e in sink.items if e.path == p.path}
    flagged: set[tuple[int, int, str]] = set()
    for period in timeline(p):
        if period.version is not None:
            _check_resolved(p, period, sink, known)
        _check_citations(p, period, legal, sink, flagged)


def _check_resolved(p: model.Procedure, period: Period, sink: ErrorSink, known: set) -> None:
    """The procedure rules on a resolved version; what the base already
    reported is not said again."""
    scratch = ErrorSink()
    CHECKS[model.Procedure](period.procedure, None, Context(p.path, scratch))
    for e in scratch.items:
        if (e.line, e.column, e.message) in known:
            continue
        known.add((e.line, e.column, e.message))
        message = f"{e.message} (trong {period.label()})"
        (sink.note if e.note else sink.warn if e.warning else sink.add)(p.path, e.line, e.column, message, e.hint)


def dates_read(legal: dict[str, model.LegalDocument], doc_ids) -> tuple:
    """What ``check_procedure`` reads of the legal registry for a file citing
    ``doc_ids``: whether each document (and those it leads to) is known, its
    dates and what replaces it; not its title or notes (sotay serve: a title
    edit does not check again the versions of every procedure citing it)."""
    return tuple((doc_id, doc is not None) + ((doc.effective, doc.expires, doc.replaced_by) if doc else ())
                 for doc_id in sorted(legal_reach(legal, doc_ids)) for doc in (legal.get(doc_id),))


def _check_citations(p: model.Procedure, period: Period, legal: dict[str, model.LegalDocument],
                     sink: ErrorSink, flagged: set) -> None:
    """A dated version cites only documents in force on its start date
    (the change's basis and the legal basis it has then, written or inherited)."""
    if period.start is None:
        return
    refs = list(period.version.change_basis if period.version is not None else []) + list(period.procedure.legal_basis)
    for ref in refs:
        doc = legal.get(ref.document)
        if doc is None:
            continue  # reported by the reference check
        line, col = location(ref, "document")
        if (line, col, ref.document) in flagged:
            continue
        if doc.effective and doc.effective > period.start:
            message = (f"văn bản '{ref.document}' có hiệu lực từ {date_vi(doc.effective)}, sau ngày {period.label()} "
                       f"bắt đầu ({date_vi(period.start)})")
            hint = ("một phiên bản chỉ dẫn văn bản đã có hiệu lực vào ngày nó bắt đầu: sửa 'hieu_luc_tu' của phiên bản "
                    "hoặc 'ngay_hieu_luc' của văn bản trong handbook/data/van-ban.yml.")
        elif (end := end_of(legal, ref.document)) and end <= period.start:
            replaced = f", thay thế bởi '{doc.replaced_by}'" if doc.replaced_by else ""
            message = (f"văn bản '{ref.document}' hết hiệu lực từ {date_vi(end)}{replaced}, không còn áp dụng cho "
                       f"{period.label()}")
            hint = ("ghi lại 'can_cu_phap_ly' trong phiên bản này với văn bản thay thế "
                    f"(các thủ tục cùng dẫn: sotay legal impact {ref.document}).")
        else:
            continue
        flagged.add((line, col, ref.document))
        sink.add(p.path, line, col, message, hint)


def check_local_fees(provinces: dict[str, model.Province], sink: ErrorSink) -> None:
    """A local fee's versions start in increasing order, after its own start and before its end."""
    for province in provinces.values():
        _check_fees(province.fees, province.path, sink)


def _check_fees(fees: dict[str, model.LocalFee], display: str, sink: ErrorSink) -> None:
    for key, fee in fees.items():
        bound = fee.effective_from
        for v in fee.versions:
            if bound is not None and v.effective <= bound:
                sink.add(display, *location(v, "effective"),
                         f"mức thu '{key}': phiên bản từ {date_vi(v.effective)} không sau mức trước ({date_vi(bound)})",
                         "các phiên bản xếp theo ngày tăng dần, mỗi ngày chỉ một phiên bản.")
            if fee.expires is not None and v.effective >= fee.expires:
                sink.add(display, *location(v, "effective"),
                         f"mức thu '{key}': phiên bản từ {date_vi(v.effective)} bắt đầu sau khi mức thu hết hiệu lực "
                         f"({date_vi(fee.expires)})", "bỏ 'het_hieu_luc' hoặc sửa ngày của phiên bản.")
            bound = v.effective if bound is None else max(bound, v.effective)
        if fee.effective_from and fee.expires and fee.expires <= fee.effective_from:
            sink.add(display, *location(fee, "expires"),
                     f"mức thu '{key}' hết hiệu lực ({date_vi(fee.expires)}) không sau ngày bắt đầu ({date_vi(fee.effective_from)})",
                     "sửa 'hieu_luc_tu' hoặc 'het_hieu_luc'.")


# --- the handbook of one day -----------------------------------------------------------


def legal_status_on(doc: model.LegalDocument, day: dt.date, today: dt.date, end: dt.date | None = None) -> str:
    """A document's status on ``day`` from its dates.  The registry's status
    describes ``today``: it stands unless the dates say the document is not
    yet in force or has ended on ``day`` (``end``: legal.end_of, its own
    expiry or its replacement's entry into force); on a later day, a
    document awaiting its entry into force is in force once that date has come."""
    end = end or doc.expires
    if end and day >= end:
        return "het-hieu-luc"
    if doc.effective and day < doc.effective:
        return "chua-co-hieu-luc"
    if doc.status == "chua-co-hieu-luc" and doc.effective and day > today:
        return "con-hieu-luc"
    return doc.status


def legal_on(legal: dict[str, model.LegalDocument], day: dt.date, today: dt.date) -> dict[str, model.LegalDocument]:
    """The registry as on ``day``: statuses from the dates (``legal_status_on``);
    a document replaced from a later day (legal.end_of) ends on that day.
    Relations (replaced by, amended by) are the registry's as written, even
    when the other document is not yet in force: the warning they give is
    what tells editors to prepare the version that follows."""
    result = {}
    for doc_id, doc in legal.items():
        end = end_of(legal, doc_id)
        if not doc.expires and end and end <= today:
            end = None  # a replacement already in force: the registry's status describes today
        status = legal_status_on(doc, day, today, end)
        result[doc_id] = _copy(doc, status=status) if status != doc.status else doc
    return result


def local_fee_on(fee: model.LocalFee, day: dt.date) -> model.LocalFee:
    """The local fee in force on ``day``: its versions applied up to that
    day; outside its dates, no amount and the reason as what to verify."""
    current = fee
    for v in fee.versions:
        if v.effective <= day:
            written = [f.name for f in model.schema_fields(model.LocalFeeVersion)
                       if f.name != "effective" and f.name in getattr(v, "_locs", {})]
            current = _copy(current, **{a: getattr(v, a) for a in written})
    if fee.effective_from and day < fee.effective_from:
        return _copy(current, amount=None, unverified=f"Mức thu này áp dụng từ {date_vi(fee.effective_from)}; "
                                                     f"chưa có mức thu cho ngày {date_vi(day)}.")
    if fee.expires and day >= fee.expires:
        return _copy(current, amount=None, unverified=f"Mức thu này hết hiệu lực từ {date_vi(fee.expires)}; "
                                                     "chưa có mức thu mới trong sổ tay.")
    return current


def apply_edition(hb: Handbook, day: dt.date, today: dt.date) -> None:
    """Make ``hb`` the handbook of ``day``: each procedure as in force then
    (its versions kept in ``hb.timelines``), legal statuses and local fees of
    that day (``today``: the day the registry's statuses describe)."""
    hb.day = day
    hb.timelines = {pid: timeline(p) for pid, p in hb.procedures.items() if p.versions}
    hb.procedures = {pid: period_on(hb.timelines[pid], day).procedure if pid in hb.timelines else p
                     for pid, p in hb.procedures.items()}
    hb.legal = legal_on(hb.legal, day, today)
    # Every province's fees as written (the change calendar lists their dates), then as on that day.
    hb.fees_written = {pid: province.fees for pid, province in hb.provinces.items()}
    for pid, province in hb.provinces.items():  # each province's fees of that day (provinces.py picks the edition's)
        if any(f.versions or f.effective_from or f.expires for f in province.fees.values()):
            hb.provinces[pid] = _copy(province, fees={k: local_fee_on(f, day) for k, f in province.fees.items()})


# --- versions citing a document (sotay legal impact, the change calendar) ---------------


@dataclass
class VersionCitation(Citation):
    """A dated version of a procedure that writes a citation of a document
    (``procedure``: the version's content)."""

    start: dt.date

    def to_json(self) -> dict:
        return {**super().to_json(), "from": self.start.isoformat()}


def version_citations(timelines: dict[str, list[Period]], doc_id: str) -> list[VersionCitation]:
    """Every citation of ``doc_id`` written in a dated version (its legal
    basis or the basis of the change), by procedure id then date."""
    found = []
    for pid in sorted(timelines):
        for period in timelines[pid]:
            v = period.version
            if v is None:
                continue
            basis = list(v.legal_basis) if "legal_basis" in model.changed_attrs(v) and v.legal_basis else []
            # A document both in the change's basis and in the legal basis is listed once, at the latter.
            written = basis + [r for r in (v.change_basis or []) if all(b.document != r.document for b in basis)]
            for ref in written:
                if ref.document == doc_id:
                    found.append(VersionCitation(period.procedure, ref, *location(ref, "document"), start=period.start))
    return found


def dropped_from(timelines: dict[str, list[Period]], pid: str, doc_id: str, day: dt.date) -> dt.date | None:
    """The start of the first version after ``day`` whose legal basis no
    longer cites ``doc_id`` (a procedure prepared for the document's end)."""
    for period in timelines.get(pid, []):
        if period.start is not None and period.start > day and \
                all(ref.document != doc_id for ref in period.procedure.legal_basis):
            return period.start
    return None


def out_of_date(hb: Handbook, today: dt.date) -> str | None:
    """What a site built for an earlier day lacks today (``sotay build
    --ngay`` with a past day): the versions that started after its day, up
    to today.  None when the site is right for today."""
    if hb.day is None or hb.day >= today:
        return None
    started = {pid: x.start for pid, periods in hb.timelines.items() for x in periods
               if x.start is not None and hb.day < x.start <= today}
    if not started:
        return None
    first = min(started.values())
    return (f"Cảnh báo: sổ tay dựng theo quy định áp dụng ngày {date_vi(hb.day)}, nhưng từ {date_vi(first)} đã có "
            f"{len(started)} thủ tục áp dụng phiên bản mới (hôm nay là {date_vi(today)}): bản dựng này không đúng "
            "cho hồ sơ nhận hôm nay. Dựng lại không có --ngay để có bản hiện hành.")
