"""Training items that an upcoming version makes out of date.

A scenario, quiz question or practice dossier belongs to a procedure; when
that procedure has a version starting after the day the handbook describes,
the item may teach yesterday's rule on the day it is given.  Each such item
is flagged for its trainer ("cần cập nhật trước 01/03/2027") with the
reasons found: a document it cites that ends by then or that the new
version no longer cites, a figure of its text the version changes (a time
limit, an amount), else only that the procedure changes that day.  An
item the version itself rewrites (its 'dao_tao') is already prepared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
import datetime as dt
from dataclasses import dataclass

from ..content import model
from ..content.handbook import Handbook
from ..content.inputs import per_procedure
from ..content.legal import end_of
from ..content.sessions import KINDS
from ..content.versions import upcoming
from ..content.wording import date_vi
from ..editing.semdiff import procedure_changes
from ..textutil import fold

# Fields whose old value, written in an item's text, makes the item teach the old rule.
FIGURES = ("thoi_han", "phi")


@dataclass
class Update:
    kind: str  # "scenarios", "quiz" or "dossiers"
    key: str
    procedure: model.Procedure
    before: dt.date  # the version's start: update the item before this day
    reasons: list[str]
    specific: bool  # a cited document or a figure changes (else: only the procedure has a new version)

    @property
    def kind_label(self) -> str:
        return model.item_label_of(model.schema_field(model.Training, self.kind))

    @property
    def text(self) -> str:
        return f"cần cập nhật trước {date_vi(self.before)}"

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.key, "procedure": self.procedure.id, "before": self.before.isoformat(),
                "text": self.text, "reasons": self.reasons, "specific": self.specific}


def _refs(value) -> list[model.LegalRef]:
    basis = getattr(value, "legal_basis", None)
    return basis if isinstance(basis, list) else [basis] if basis is not None else []


def _text(value) -> str:
    """Every piece of text an item shows (nested objects included), folded."""
    parts: list[str] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, list):
            stack.extend(v)
        elif dataclasses.is_dataclass(v):
            stack.extend(getattr(v, f.name) for f in dataclasses.fields(v))
    return fold(" ".join(parts))


def item_updates(hb: Handbook, memo: dict | None = None, pids: Iterable[str] | None = None) -> dict[tuple[str, str], Update]:
    """(kind, id) → the update an item needs before its procedure's next version;
    ``pids``: of these procedures' items only (default: every procedure's).
    ``memo`` (sotay serve, kept between rebuilds): each procedure's share,
    reused while its file, the registries and the edition are unchanged."""
    found: dict[tuple[str, str], Update] = {}
    for pid in hb.procedures if pids is None else pids:
        p = hb.procedures.get(pid)
        if p is not None and p.training is not None:
            found.update(per_procedure(memo, hb, pid, lambda: procedure_updates(hb, pid)))
    return found


def procedure_updates(hb: Handbook, pid: str) -> dict[tuple[str, str], Update]:
    """The updates of procedure ``pid``'s training items before its next version."""
    found: dict[tuple[str, str], Update] = {}
    p = hb.procedures[pid]
    coming = upcoming(hb, pid)
    if p.training is not None and coming:
        nxt = coming[0]
        cited_now = {r.document for r in p.legal_basis}
        cited_then = {r.document for r in nxt.procedure.legal_basis}
        figures = [c for c in procedure_changes(p, nxt.procedure)
                   if c.field.split(".")[0] in FIGURES and c.before and len(c.before) >= 3]
        later = nxt.procedure.training
        for kind in KINDS:
            for value in getattr(p.training, kind):
                if later is not p.training and value not in (getattr(later, kind) if later else []):
                    continue  # the version rewrites this item already
                reasons = []
                for ref in _refs(value):
                    end = end_of(hb.legal, ref.document)
                    if end is not None and end <= nxt.start:
                        doc = hb.legal.get(ref.document)
                        by = f", thay thế bởi {doc.replaced_by}" if doc is not None and doc.replaced_by else ""
                        reasons.append(f"dẫn {ref.document}, hết hiệu lực từ {date_vi(end)}{by}")
                    elif ref.document in cited_now and ref.document not in cited_then:
                        reasons.append(f"dẫn {ref.document}, phiên bản từ {date_vi(nxt.start)} không còn dẫn")
                text = _text(value)
                reasons += [f"nêu \"{c.before}\"; từ {date_vi(nxt.start)}: {c.text}" for c in figures
                            if fold(c.before) in text]
                specific = bool(reasons)
                if not specific:
                    reasons.append(f"thủ tục có phiên bản áp dụng từ {date_vi(nxt.start)}")
                found[(kind, value.key)] = Update(kind, value.key, p, nxt.start, reasons, specific)
    return found


def session_updates(session: model.Session, updates: dict[tuple[str, str], Update]) -> list[Update]:
    """The updates of the items a session uses, in agenda order, each once."""
    seen: list[Update] = []
    for block in session.agenda:
        for kind in KINDS:
            for key in getattr(block, kind):
                u = updates.get((kind, key))
                if u is not None and u not in seen:
                    seen.append(u)
    return seen
