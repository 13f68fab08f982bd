"""Legal documents and the procedures that cite them.

Two uses: the loader warns at every citation of a document that is no longer
(or not yet) fully in force, and ``sotay legal impact`` lists what an amended
or replaced document affects.  Only the model is needed here, so the loader
can import this module without a cycle.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import model
from ..textutil import fold
from .located import location
from .wording import date_vi

IN_FORCE = "con-hieu-luc"
PARTLY_REPEALED = "het-hieu-luc-mot-phan"


def replacement_chain(legal: dict[str, model.LegalDocument], doc_id: str) -> list[str]:
    """The documents that replaced ``doc_id``, in order: A replaced by B,
    B replaced by C → [B, C].  Stops at an unknown id or a loop."""
    chain: list[str] = []
    seen = {doc_id}
    current = legal.get(doc_id)
    while current is not None and current.replaced_by and current.replaced_by not in seen:
        chain.append(current.replaced_by)
        seen.add(current.replaced_by)
        current = legal.get(current.replaced_by)
    return chain


def reach(legal: dict[str, model.LegalDocument], doc_ids: Iterable[str]) -> set[str]:
    """``doc_ids`` and every document they lead to in the registry (replaced
    by, amended by, and so on): all a citation of them can show (its status
    reads the replacing document's date; end_of)."""
    found: set[str] = set()
    todo = list(doc_ids)
    while todo:
        doc_id = todo.pop()
        if doc_id in found:
            continue
        found.add(doc_id)
        doc = legal.get(doc_id)
        if doc is not None:
            todo.extend(doc.amended_by)
            if doc.replaced_by:
                todo.append(doc.replaced_by)
    return found


def entry_digests(legal: dict[str, model.LegalDocument], doc_ids: Iterable[str],
                  memo: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The entries of ``doc_ids`` and of the documents they lead to (``reach``)
    as content digests (an unknown id as such), in order: what citing them can
    show.  ``memo`` keeps each document's digest for one registry."""
    out = []
    for doc_id in sorted(reach(legal, doc_ids)):
        digest = memo.get(doc_id)
        if digest is None:
            digest = memo[doc_id] = hashlib.sha256(repr(legal.get(doc_id)).encode()).hexdigest()
        out.append((doc_id, digest))
    return tuple(out)


def end_of(legal: dict[str, model.LegalDocument], doc_id: str):
    """The day ``doc_id`` stops applying, if the registry knows it: its own
    'ngay_het_hieu_luc', else the day the document replacing it enters into
    force (a replacement recorded ahead of time: "in force until D")."""
    doc = legal.get(doc_id)
    if doc is None:
        return None
    if doc.expires:
        return doc.expires
    successor = legal.get(doc.replaced_by) if doc.replaced_by else None
    return successor.effective if successor is not None else None


def replaced_later(legal: dict[str, model.LegalDocument], doc_id: str, day) -> bool:
    """``doc_id`` is replaced by a document that enters into force after
    ``day``: citing it is right until then (the version that follows cites
    the new one; versions.check_procedure holds it to that)."""
    doc = legal.get(doc_id)
    end = end_of(legal, doc_id)
    return (doc is not None and bool(doc.replaced_by) and day is not None and end is not None and day < end
            and doc.status != "het-hieu-luc")


@dataclass(frozen=True)
class StatusIssue:
    """Why citing a document deserves a warning; ``severe`` issues (repealed,
    replaced, not yet in force) are errors under ``--strict``, a partly
    repealed document is not (most laws in force have been amended somewhere)."""

    message: str
    hint: str
    severe: bool


def citation_issue(legal: dict[str, model.LegalDocument], doc_id: str, day=None) -> StatusIssue | None:
    """The warning for citing ``doc_id`` on ``day`` (the day ``legal``
    describes), or None when it is in force then and not replaced, or
    replaced only from a later day."""
    doc = legal.get(doc_id)
    if doc is None or (doc.status == IN_FORCE and (not doc.replaced_by or replaced_later(legal, doc_id, day))):
        return None
    chain = replacement_chain(legal, doc_id)
    impact = f" (xem các thủ tục cùng dẫn văn bản này: sotay legal impact {doc_id})"
    if chain:
        latest = f", nay là '{chain[-1]}'" if len(chain) > 1 else ""
        gone = "đã hết hiệu lực, " if doc.status == "het-hieu-luc" else ""
        return StatusIssue(
            f"văn bản '{doc_id}' {gone}đã được thay thế bởi '{chain[0]}'{latest}",
            f"dẫn văn bản thay thế '{chain[-1]}' (điều, khoản tương ứng) thay cho '{doc_id}'{impact}.",
            True,
        )
    if doc.status == "het-hieu-luc":
        return StatusIssue(
            f"văn bản '{doc_id}' đã hết hiệu lực",
            f"dẫn văn bản đang có hiệu lực; nếu đã có văn bản thay thế, ghi 'thay_the_boi' trong handbook/data/van-ban.yml{impact}.",
            True,
        )
    if doc.status == "chua-co-hieu-luc":
        since = f" (có hiệu lực từ {date_vi(doc.effective)})" if doc.effective else ""
        return StatusIssue(
            f"văn bản '{doc_id}' chưa có hiệu lực{since}",
            "văn bản chưa áp dụng được; tạm dẫn văn bản đang có hiệu lực, hoặc sửa 'tinh_trang' khi văn bản đã có hiệu lực.",
            True,
        )
    amended = f" (sửa đổi, bổ sung bởi {', '.join(doc.amended_by)})" if doc.amended_by else ""
    return StatusIssue(
        f"văn bản '{doc_id}' đã hết hiệu lực một phần{amended}",
        "kiểm tra điều, khoản được dẫn còn hiệu lực không; nếu đã bị sửa đổi, dẫn thêm văn bản sửa đổi.",
        doc.status != PARTLY_REPEALED,  # an unknown future status counts as severe
    )


@dataclass
class Citation:
    procedure: model.Procedure
    ref: model.LegalRef
    line: int
    column: int

    def to_json(self) -> dict:
        p = self.procedure
        return {"id": p.id, "title": p.title, "path": p.path, "line": self.line, "column": self.column,
                "article": self.ref.article}


def citation_index(procedures: Iterable[model.Procedure]) -> dict[str, list[Citation]]:
    """Document id → every citation of it, in procedure-id then file order
    (built once: a site has a page per document)."""
    index: dict[str, list[Citation]] = {}
    for p in sorted(procedures, key=lambda p: p.id):
        for c in _own_citations(p):
            index.setdefault(c.ref.document, []).append(c)
    return index


def _own_citations(p: model.Procedure) -> list[Citation]:
    return model.derived(p, "citations", lambda: [Citation(p, ref, *location(ref, "document")) for ref in p.legal_basis])


def citations(procedures: Iterable[model.Procedure], doc_id: str) -> list[Citation]:
    """Every citation of ``doc_id``, in procedure-id then file order."""
    return citation_index(procedures).get(doc_id, [])


def status_warnings(legal: dict[str, model.LegalDocument], procedures: Iterable[model.Procedure], day=None):
    """(path, line, column, issue) for every citation that deserves a
    warning on ``day`` (the day ``legal`` and ``procedures`` describe)."""
    for p in procedures:
        for ref in p.legal_basis:
            issue = citation_issue(legal, ref.document, day)
            if issue is not None:
                line, col = location(ref, "document")
                yield p.path, line, col, issue


@dataclass
class Related:
    """A document this one amends or replaces, with the procedures citing it."""

    doc_id: str
    relation: str  # "sua-doi" (this document amends it) or "thay-the" (replaces it)
    citations: list[Citation] = field(default_factory=list)

    @property
    def relation_text(self) -> str:
        return "bị văn bản này sửa đổi, bổ sung" if self.relation == "sua-doi" else "bị văn bản này thay thế"


@dataclass
class Impact:
    doc_id: str
    document: model.LegalDocument
    citations: list[Citation]
    replaced_chain: list[str]
    related: list[Related]  # documents it amends or replaces (the other direction)


def impact(legal: dict[str, model.LegalDocument], procedures: list[model.Procedure], doc_id: str,
           index: dict[str, list[Citation]] | None = None) -> Impact:
    """``index``: citation_index(procedures), when the caller already has it."""
    index = citation_index(procedures) if index is None else index
    doc = legal[doc_id]
    related = []
    for other_id, other in sorted(legal.items()):
        if other_id == doc_id:
            continue
        if other.replaced_by == doc_id:
            related.append(Related(other_id, "thay-the", index.get(other_id, [])))
        elif doc_id in other.amended_by:
            related.append(Related(other_id, "sua-doi", index.get(other_id, [])))
    return Impact(doc_id, doc, index.get(doc_id, []), replacement_chain(legal, doc_id), related)


def _squash(text: str) -> str:
    return re.sub(r"[\s.]+", "", fold(text)).upper()


def find_document(legal: dict[str, model.LegalDocument], text: str) -> str | None:
    """The registry key meant by ``text``: exact, else ignoring case, spaces,
    dots and diacritics ('123/2015/ND-CP' finds '123/2015/NĐ-CP')."""
    text = text.strip()
    if text in legal:
        return text
    wanted = _squash(text)
    matches = [k for k in legal if _squash(k) == wanted]
    return matches[0] if len(matches) == 1 else None


_NUMBER = re.compile(r"^(\d+)/(\d{4})/(.+)$")  # "123/2015/NĐ-CP", squashed


def _one_typo(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one keystroke: one character changed, added
    or dropped, or two neighbouring characters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def close_documents(legal: dict[str, model.LegalDocument], text: str, n: int = 3) -> list[str]:
    """Registry keys ``text`` may have meant, for "có phải ý bạn là…" (the
    same for ``sotay validate`` and ``sotay legal impact``): the key written
    the same but for case, spaces, dots and diacritics; else keys whose
    number, year and kind ("NĐ-CP") are the same but for one typo in one of
    them (leading zeros of the number do not count).  "999/2025/NĐ-CP" is
    two keystrokes from "9/2025/NĐ-CP": nothing is suggested."""
    wanted = _squash(text)
    same = sorted(k for k in legal if _squash(k) == wanted)
    if same:
        return same[:n]
    parts = _NUMBER.match(wanted)
    if parts is None:
        return []
    number, year, kind = parts.group(1).lstrip("0") or "0", parts.group(2), parts.group(3)
    found = []
    for key in sorted(legal):
        other = _NUMBER.match(_squash(key))
        if other is None:
            continue
        pairs = [(number, other.group(1).lstrip("0") or "0"), (year, other.group(2)), (kind, other.group(3))]
        differing = [(a, b) for a, b in pairs if a != b]
        if not differing or (len(differing) == 1 and _one_typo(*differing[0])):
            found.append(key)
    return found[:n]
