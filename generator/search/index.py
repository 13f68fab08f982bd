"""Full-text search over the procedures (whoosh), with the shared analyser.

``search_documents`` decides what is searchable about a procedure; the same
documents feed the whoosh index (CLI search, "related" suggestions at build
time) and the site's lunr index (see ``plugin.py``), so both search the same
words.  The whoosh index is built in memory and read once into per-term
BM25F impacts, which are all a query needs; ``cache.py`` keeps those impacts
on disk (plain numbers, nothing that can run code), so the next run with the
same documents neither builds nor opens a whoosh index.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import json
import math
import operator
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import whoosh  # the package only (its version): the index modules load when an index is built

from . import analysis, cache as index_cache
from ..content import model
from ..content.handbook import Handbook
from ..content.inline import plain_text
from ..content.catalogue import portal_link, registry_only
from ..urls import procedure_url, registry_entry

CACHE_FILE = index_cache.CACHE_FILE
# Bump when the analyser or the documents change shape: old caches are rebuilt.
INDEX_VERSION = "5"
# How much a match counts in each field.
FIELD_WEIGHTS = {"title": 6.0, "keywords": 3.0, "summary": 1.0, "body": 0.5}
# A procedure whose title words all appear, in order, in other titles is the
# general case of those ("Đăng ký khai sinh" of "Đăng ký lại khai sinh", "Đăng
# ký khai sinh có yếu tố nước ngoài"…): when a query fits both, it comes first.
GENERAL_BOOST = 1.3
# A registry entry with no full page ranks below a full procedure that the
# query matches as well: the full page is what an officer can work from.
REGISTRY_BOOST = 0.75


@dataclass(frozen=True)
class SearchDoc:
    id: str
    title: str
    field: str
    field_name: str
    code: str
    url: str
    keywords: str  # code, editor keywords, everyday phrases from the synonyms registry
    summary: str
    body: str  # dossier items and step names
    boost: float = 1.0  # see GENERAL_BOOST, REGISTRY_BOOST
    portal: str = ""  # a registry-only entry (no full page): its national portal link; "" for a full procedure

    @property
    def full(self) -> bool:
        return not self.portal


# Words that make the longer title the opposite case, not a special one: "… là cộng
# tác viên" is not the general case of "… không phải là cộng tác viên".
NEGATIONS = frozenset({"không", "chưa", "chẳng"})


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    """``long`` is ``short`` with words added (in order), none of them a negation."""
    if len(short) >= len(long):
        return False
    extra, i = [], 0
    for word in long:
        if i < len(short) and word == short[i]:
            i += 1
        else:
            extra.append(word)
    return i == len(short) and not NEGATIONS.intersection(w.lower() for w in extra)


_GENERAL: list = [None, set()]  # the last titles asked about and their answer (sotay serve asks after every edit)


def general_procedures(hb: Handbook) -> set[str]:
    asked = tuple((p.id, p.title) for p in hb.procedures.values())
    if _GENERAL[0] != asked:
        _GENERAL[:] = [asked, _general_procedures(hb)]
    return set(_GENERAL[1])


def _general_procedures(hb: Handbook) -> set[str]:
    titles = {p.id: analysis.words(p.title) for p in hb.procedures.values()}
    # Only titles holding every word of title a can contain it: intersect the
    # word → titles index first (comparing every pair grows with N²).
    having: dict[str, set[str]] = {}
    for pid, ws in titles.items():
        for w in ws:
            having.setdefault(w, set()).add(pid)
    general = set()
    for a, wa in titles.items():
        if not wa:
            continue
        candidates = set.intersection(*(having[w] for w in sorted(set(wa), key=lambda w: len(having[w]))))
        if any(_is_subsequence(wa, titles[b]) for b in candidates if b != a):
            general.add(a)
    # Only the most general: "Đăng ký khai sinh có yếu tố nước ngoài" is the general case of
    # "Đăng ký lại khai sinh có yếu tố nước ngoài" but itself a case of "Đăng ký khai sinh".
    # A title inside a's holds only a's words: look among those filed under their rarest word.
    by_rarest: dict[str, list[str]] = {}
    for b, wb in titles.items():
        if wb:
            by_rarest.setdefault(min(wb, key=lambda w: (len(having[w]), w)), []).append(b)
    return {a for a in general
            if not any(_is_subsequence(titles[b], titles[a]) for w in set(titles[a]) for b in by_rarest.get(w, ()) if b != a)}


def search_documents(hb: Handbook) -> list[SearchDoc]:
    general = general_procedures(hb)
    everyday: dict[str, list[str]] = {}
    for entry in hb.synonyms:
        for p in hb.procedures_matching(entry.means):
            everyday.setdefault(p.id, []).extend(entry.everyday)
    docs = []
    for p in hb.procedures.values():
        keywords = [p.code or "", *p.keywords, *everyday.get(p.id, [])]
        summary, body = model.derived(p, "search texts", lambda p=p: (
            plain_text(p.summary), " · ".join([plain_text(d.name) for d in p.dossier] + [s.name for s in p.steps])))
        docs.append(
            SearchDoc(
                id=p.id,
                title=p.title,
                field=p.field_id,
                field_name=hb.fields[p.field_id].name if p.field_id in hb.fields else p.field_id,
                code=p.code or "",
                url=procedure_url(p),
                keywords=" · ".join(k for k in keywords if k),
                summary=summary,
                body=body,
                boost=GENERAL_BOOST if p.id in general else 1.0,
            )
        )
    return docs


def registry_documents(hb: Handbook) -> list[SearchDoc]:
    """The commune-level catalogue's entries that have no full page, searched
    with the same analyser and synonyms as the procedures: a query for one of
    them leads to its line on the coverage page and the national portal, not
    to nothing.  Only the name and code: the registry holds nothing more."""
    everyday: dict[str, list[str]] = {}
    for entry in hb.synonyms:
        for e in hb.registry_matching(entry.means):
            everyday.setdefault(e.id, []).extend(entry.everyday)
    docs = []
    for e in registry_only(hb.catalogue):
        docs.append(SearchDoc(
            id=f"danh-muc/{e.id}", title=e.title, field=e.field_id,
            field_name=hb.fields[e.field_id].name if e.field_id in hb.fields else e.field_id,
            code=e.code or "", url=registry_entry(e.id), keywords=" · ".join(k for k in [e.code or "", *everyday.get(e.id, [])] if k),
            summary="", body="", boost=REGISTRY_BOOST, portal=portal_link(e)))
    return docs


def fingerprint(docs: list[SearchDoc]) -> str:
    digest = hashlib.sha256(INDEX_VERSION.encode())
    # vars() is asdict() for these flat documents, without its deep copies.
    digest.update(json.dumps([vars(d) for d in docs], ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


# BM25F parameters, shared by SearchIndex and SimilarProcedures (and lunr's defaults for B).
K1, B = 1.2, 0.3
Impacts = Mapping[str, tuple[Sequence[int], Sequence[float]]]
# One field's postings: term → the documents holding it (by number), with its frequency there.
Postings = Iterable[tuple[str, Iterable[tuple[int, float]]]]


@dataclass
class FieldStats:
    """One searchable field of the documents, as BM25F reads it."""

    weight: float  # FIELD_WEIGHTS
    lengths: Sequence[int]  # each document's length in the field, by document number
    total: int  # the field's length over all documents (whoosh keeps it exact, the lengths rounded)
    postings: Postings


def bm25f_impacts(docs: Sequence, fields: Iterable[FieldStats]) -> Impacts:
    """term → (document numbers, BM25F impact): the one scoring of search and
    of the "similar procedures".

    A term's frequency in a field is weighted by the field and normalised by
    the document's length in it against the average (B), summed over the
    fields, saturated (K1), and multiplied by the term's idf and the
    document's boost.  ``docs`` holds the documents by number; None (a
    deleted whoosh document) counts as no document."""
    count = sum(1 for d in docs if d is not None) or 1
    weighted: dict[str, dict[int, float]] = {}
    for f in fields:
        norms = _norms(f.lengths, f.total, count)
        for term, holders in f.postings:
            _weigh(weighted.setdefault(term, {}), f.weight, holders, norms)
    return {text: _impact(tf, count, docs) for text, tf in weighted.items()}


def _norms(lengths: Sequence[int], total: int, count: int) -> list[float]:
    """Each document's length normaliser in one field (B: how much length counts)."""
    average = (total / count) or 1.0
    return [1 - B + B * length / average for length in lengths]


def _weigh(tf: dict[int, float], weight: float, holders: Iterable[tuple[int, float]], norms: Sequence[float]) -> None:
    """Add one field's weighted, normalised frequencies of a term to ``tf`` (fields in the same order always)."""
    for n, freq in holders:
        tf[n] = tf.get(n, 0.0) + weight * freq / norms[n]


def _impact(tf: dict[int, float], count: int, docs: Sequence) -> tuple[list[int], list[float]]:
    """A term's impacts from its weighted frequencies: saturated, times idf and each document's boost."""
    idf = math.log(1 + (count - len(tf) + 0.5) / (len(tf) + 0.5))
    ids = list(tf)
    return ids, [idf * tf[n] * (K1 + 1) / (tf[n] + K1) * docs[n].boost for n in ids]


def _holders(texts: Sequence[Sequence[str]]) -> dict[str, dict[int, int]]:
    """term → {document number: its frequency there}, from each document's tokens in one field."""
    holders: dict[str, dict[int, int]] = {}
    for n, tokens in enumerate(texts):
        for term in tokens:
            counts = holders.setdefault(term, {})
            counts[n] = counts.get(n, 0) + 1
    return holders


# The same texts come back at every rebuild under `sotay serve`.
_tokens = functools.lru_cache(maxsize=1 << 15)(lambda text: tuple(analysis.index_tokens(text)))
DESCRIBED = ("title", "keywords", "summary")  # what "similar procedures" read of a procedure


class SimilarProcedures(Mapping[str, list[str]]):
    """For each procedure, the ``limit`` others sharing the most distinctive
    words of its title, keywords and summary ("thủ tục liên quan có thể bạn
    cần"), scored with the same BM25F impacts as search.  Pure Python from the
    documents, so a build needs no search index.

    Each procedure's list is worked out when first asked for: after a summary
    edit `sotay serve` needs at once only the lists of the pages it writes
    before the reload, not all 5,000 (deferred.py).  Then ``previous`` (the
    last rebuild's, same titles and keywords) lends its postings, only the
    edited summaries are read again, and each term's impacts are worked out
    when a list first needs them (0.7 s -> 0.02 s at 5,000 procedures)."""

    def __init__(self, docs: list[SearchDoc], limit: int, exclude: dict[str, set[str]],
                 previous: SimilarProcedures | None = None) -> None:
        # Only what describes a procedure (not its long dossier and step lists):
        # faster, and closer to what a reader means by "similar".
        tokens = {name: [_tokens(getattr(d, name)) for d in docs] for name in DESCRIBED}
        if previous is not None and not all(_same(tokens[name], previous.tokens[name]) for name in ("title", "keywords")):
            previous = None
        if previous is None:
            self.names = [{*title, *keywords} for title, keywords in zip(tokens["title"], tokens["keywords"])]  # what each is called
            # Only word pairs of a title or keywords can be key terms (below), and a
            # term's impacts do not depend on other terms': the postings of the rest
            # (most of them, single syllables) are left out.
            self.wanted = {term for term in set().union(*self.names)
                           if term.startswith(analysis.PAIR_MARK) and not any(c.isdigit() for c in term)}
            self.postings = {name: _holders([[t for t in texts if t in self.wanted] for texts in tokens[name]])
                             for name in DESCRIBED}
        else:
            self.names, self.wanted = previous.names, previous.wanted
            self.postings = {**previous.postings, "summary": _edited(previous.postings["summary"], previous.tokens["summary"],
                                                                     tokens["summary"], self.wanted)}
        self.tokens = tokens
        count = len(docs) or 1
        self.fields = [(FIELD_WEIGHTS[name], self.postings[name], _norms([len(t) for t in tokens[name]],
                                                                         sum(len(t) for t in tokens[name]), count))
                       for name in DESCRIBED]
        self.impacts: dict[str, tuple[list[int], list[float], dict[int, float]]] = {}
        self.docs, self.limit, self.exclude, self.count = docs, limit, exclude, count
        self.number = {d.id: n for n, d in enumerate(docs)}  # (a duplicate id: the last one, as a dict would keep)
        self.lists: dict[str, list[str]] = {}
        if previous is None:  # a build's pages are written by forked workers: each would work them out again
            for term in self.wanted:
                self.impact(term)

    def __getitem__(self, pid: str) -> list[str]:
        if pid not in self.lists:
            self.lists[pid] = self._similar(self.number[pid])
        return self.lists[pid]

    def __iter__(self):
        return iter(self.number)

    def __len__(self) -> int:
        return len(self.number)

    def known(self, pid: str) -> bool:
        """Whether ``pid``'s list is already worked out (asking for it costs nothing)."""
        return pid in self.lists or pid not in self.number

    def impact(self, term: str) -> tuple[list[int], list[float], dict[int, float]]:
        """A wanted term's impacts (as bm25f_impacts gives them), and by document."""
        got = self.impacts.get(term)
        if got is None:
            tf: dict[int, float] = {}
            for weight, postings, norms in self.fields:
                holders = postings.get(term)
                if holders:
                    _weigh(tf, weight, holders.items(), norms)
            ids, values = _impact(tf, self.count, self.docs)
            got = self.impacts[term] = (ids, values, dict(zip(ids, values)))
        return got

    def _similar(self, n: int) -> list[str]:
        docs, impact, limit = self.docs, self.impact, self.limit
        d = docs[n]
        # Words no other procedure has cannot lead anywhere: the key terms are shared ones.
        # Word pairs ("_diem_chi") say what a procedure is about; single syllables
        # ("chỉ") and national codes' digits match unrelated text.
        key_terms = heapq.nlargest(12, ((own[n], t) for t in self.names[n] if t in self.wanted
                                        for own in (impact(t)[2],) if len(own) > 1))
        if not key_terms:
            return []
        top = key_terms[0][0]
        scores: dict[int, float] = {}
        get = scores.get
        for weight, term in key_terms:
            factor = weight / top
            ids, values, _ = impact(term)
            for m, value in zip(ids, values):
                scores[m] = get(m, 0.0) + factor * value
        skip = {d.id, *self.exclude.get(d.id, ())}
        # The best (score, -number) pairs, compared as tuples (no key function: this
        # runs over thousands of documents per procedure), enough of them that
        # ``limit`` remain once the procedure itself and its excluded ones are left out.
        best = heapq.nlargest(limit + len(skip), zip(scores.values(), map(operator.neg, scores)))
        ranked = [-negated for s, negated in best if s > 0 and docs[-negated].id not in skip][:limit]
        if len(ranked) < limit and len(best) == limit + len(skip):  # more documents left out than ids (a duplicate id)
            ranked = [-negated for s, negated in sorted(zip(scores.values(), map(operator.neg, scores)), reverse=True)
                      if s > 0 and docs[-negated].id not in skip][:limit]
        return [docs[m].id for m in ranked]


def _same(texts: list[tuple], before: list[tuple]) -> bool:
    """Whether two lists of token tuples are equal (mostly the very same cached tuples)."""
    return len(texts) == len(before) and all(a is b or a == b for a, b in zip(texts, before))


def _edited(postings: dict[str, dict[int, int]], before: list[tuple], texts: list[tuple],
            wanted: set[str]) -> dict[str, dict[int, int]]:
    """``postings`` of ``before`` made those of ``texts`` (same documents) by
    re-reading only the changed ones; what ``postings`` holds is not changed
    (the site still served may read it)."""
    result = dict(postings)
    copied: set[str] = set()
    for n, (old, new) in enumerate(zip(before, texts)):
        if old is new or old == new:
            continue
        for term in {t for t in old if t in wanted}:
            result[term] = holders = result[term] if term in copied else dict(result[term])
            copied.add(term)
            del holders[n]
            if not holders:
                del result[term]
                copied.discard(term)
        for term in (t for t in new if t in wanted):
            if term not in copied:
                result[term] = dict(result.get(term, {}))
                copied.add(term)
            result[term][n] = result[term].get(n, 0) + 1
    return result


@dataclass
class Hit:
    doc: SearchDoc
    score: float


class SearchIndex:
    """The index ``sotay search`` queries: the documents by number and, for
    each term, the documents holding it with their BM25F impact.

    Scoring is BM25F (K1, B below) times the document's boost, as in lunr.
    whoosh's own matchers score posting by posting in Python, too slow for
    thousands of procedures; so when the whoosh index is built, each term's
    postings are turned once into per-document impacts, and a query only
    adds up the impacts of its terms.  Those impacts are what the cache
    keeps: a later run reads them back (a few milliseconds) instead of
    building the whoosh index and reading it again (seconds at 1,000).
    """

    K1, B = K1, B

    def __init__(self, docs: list[SearchDoc | None], impacts: Impacts) -> None:
        self.docs = docs
        self.impacts = impacts
        self.vocabulary = analysis.Vocabulary(impacts.keys())

    @classmethod
    def open(cls, root: Path, docs: list[SearchDoc]) -> SearchIndex:
        """The index of ``docs``: from the cache under ``root`` when it holds
        the index of these very documents, else built (and cached)."""
        wanted = f"{fingerprint(docs)} whoosh {whoosh.versionstring()} {sys.byteorder}"
        files = index_cache.load(root, wanted)  # only files this user's sotay wrote
        if files is not None:
            impacts = _stored_impacts(files, docs)
            if impacts is not None:
                return cls(list(docs), impacts)
        from .whooshindex import computed  # whoosh's index modules, only to build

        index = cls(*computed(docs))
        index_cache.save(root, wanted, _impact_files(index.docs, index.impacts))
        return index

    def close(self) -> None:
        """Nothing is held open (kept so callers need not know)."""

    def _scores(self, terms) -> list[float]:
        scores = [0.0] * len(self.docs)
        for text, weight in terms:
            ids, impacts = self.impacts.get(text, ((), ()))
            for n, impact in zip(ids, impacts):
                scores[n] += weight * impact
        return scores

    def _top(self, scores: list[float], limit: int, keep=lambda doc: True) -> list[Hit]:
        ranked = heapq.nlargest(limit, (n for n, s in enumerate(scores) if s > 0 and keep(self.docs[n])),
                                key=lambda n: (scores[n], -n))
        return [Hit(self.docs[n], scores[n]) for n in ranked]

    def search(self, query: str, limit: int = 10, field: str | None = None) -> list[Hit]:
        terms = analysis.query_terms(query, self.vocabulary)
        return self._top(self._scores(terms), limit, (lambda d: d.field == field) if field else (lambda d: True))


# --- the impacts as cache files: JSON and arrays of machine numbers ----------------------------


class _StoredImpacts(Mapping):
    """Impacts read back from the cache: each term's slice of two flat arrays
    (document numbers, impacts), sliced only when a query asks for the term."""

    def __init__(self, terms: list[str], starts: list[int], ids: memoryview, values: memoryview) -> None:
        self._number = dict(zip(terms, range(len(terms))))  # term → its number, to find its slice in starts
        self._starts = starts  # one more than the terms: where each one's slice starts, then the end
        self._ids, self._values = ids, values

    def __getitem__(self, term: str) -> tuple[Sequence[int], Sequence[float]]:
        n = self._number[term]
        start, end = self._starts[n], self._starts[n + 1]
        return self._ids[start:end], self._values[start:end]

    def __iter__(self):
        return iter(self._number)

    def __len__(self) -> int:
        return len(self._number)

    def keys(self):
        return self._number.keys()


def _impact_files(docs: list[SearchDoc | None], impacts: Impacts) -> dict[str, bytes]:
    postings = list(impacts.values())
    return {
        "docs.json": json.dumps([d.id if d else None for d in docs], ensure_ascii=False).encode(),
        "terms.json": json.dumps([list(impacts), [len(ids) for ids, _ in postings]], ensure_ascii=False).encode(),
        "ids": array("i", itertools.chain.from_iterable(ids for ids, _ in postings)).tobytes(),
        "impacts": array("d", itertools.chain.from_iterable(values for _, values in postings)).tobytes(),
    }


def _stored_impacts(files: dict[str, memoryview], docs: list[SearchDoc]) -> Impacts | None:
    """The impacts in cache ``files`` if they are whole and for documents
    numbered as ``docs`` are; else None (the index is then built again).
    The files passed the cache's MAC, so they are what ``_impact_files``
    wrote: only their shape is checked here, not every number."""
    try:
        if json.loads(bytes(files["docs.json"])) != [d.id for d in docs]:
            return None
        terms, counts = json.loads(bytes(files["terms.json"]))
        ids, values = files["ids"].cast("i"), files["impacts"].cast("d")
        starts = list(itertools.accumulate(counts, initial=0))
        impacts = _StoredImpacts(terms, starts, ids, values)
        if not (len(impacts) == len(terms) == len(counts) and starts[-1] == len(ids) == len(values)):
            return None
        return impacts
    except (KeyError, ValueError, TypeError):
        return None
