"""What a procedure's outputs are made of, for sotay serve's reuse between rebuilds.

A page, an open-data record or a memo of work derived from one procedure is
reused while its key is unchanged: the procedure's file (its version), the
day, the edition and the registries as it reads them.  Of the legal registry
a procedure's outputs read only the documents its file (or a province file)
names and those they lead to, so those entries are in the key, not the whole
registry: an edit of one legal document reaches only the procedures citing it.
tests/test_page_kinds.py renders every page with a registry that logs what is
read against these keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from . import legal
from .handbook import Handbook

T = TypeVar("T")


def per_procedure(memo: dict | None, hb: Handbook, pid: str, compute: Callable[[], T], reads_legal: bool = True) -> T:
    """``compute()``, the work derived from procedure ``pid``; with ``memo``
    (sotay serve, kept between loads) what it gave last time while the
    procedure's file, the registries as it reads them (``reads_legal`` False:
    nothing of the legal registry) and the edition are unchanged."""
    if memo is None:
        return compute()
    seen = seen_registries(hb, pid) if reads_legal else other_registries(hb)
    key = (hb.procedures[pid].version, hb.day, hb.edition, seen)
    if memo.get(pid, (None,))[0] != key:
        memo[pid] = (key, compute())
    return memo[pid][1]


def seen_registries(hb: Handbook, pid: str) -> tuple:
    """What of the registries procedure ``pid``'s own outputs (its pages, its
    open-data record, per_procedure's memos) are made of: every registry
    file's digest but the legal registry's, and of that one only the entries,
    as on the edition's day, of the documents its file or a province file
    names and those they lead to (legal.reach).  So an edit of one legal
    document reaches only the procedures citing it (sotay serve).  Call it
    once the handbook is loaded."""
    seen = hb._seen.get(pid)
    if seen is None:
        docs = hb.legal_refs.get(hb.procedures[pid].path, frozenset()) | hb.shared_legal_refs
        seen = hb._seen[pid] = (other_registries(hb), legal_entries(hb, docs))
    return seen


def other_registries(hb: Handbook) -> tuple:
    """Every registry file's digest but the legal registry's."""
    if (None, "files") not in hb._seen:  # (beside procedure ids)
        hb._seen[None, "files"] = tuple((k, v) for k, v in sorted(hb.registry_digests.items()) if k != hb.legal_file)
    return hb._seen[None, "files"]


def legal_entries(hb: Handbook, doc_ids) -> tuple:
    """The legal registry's entries, as on the edition's day, of ``doc_ids``
    and the documents they lead to (legal.reach), as digests."""
    key = (None, "cited", frozenset(doc_ids))  # once per set of documents: most procedures share theirs
    if key not in hb._seen:
        hb._seen[key] = legal.entry_digests(hb.legal, key[2], hb._seen.setdefault((None, "entries"), {}))
    return hb._seen[key]


def digest(value) -> str:
    """A short stand-in for ``value`` (its repr: strings, numbers, dates,
    tuples and lists of them) in a key: a page's inputs hold thousands."""
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()
