"""Full-text search over the procedures (whoosh), with the shared analyser.

``search_documents`` decides what is searchable about a procedure; the same
documents feed the whoosh index (CLI search, "related" suggestions at build
time) and the site's lunr index (see ``plugin.py``), so both search the same
words.  The whoosh index is built in memory; ``cache.py`` keeps its files on
disk, in a form that cannot run code, for the next run with the same documents.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import json
import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import whoosh
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from . import analysis, cache as index_cache
from ..content.handbook import Handbook
from ..content.inline import plain_text
from ..urls import procedure_url

CACHE_FILE = index_cache.CACHE_FILE
# Bump when the analyser or the documents change shape: old caches are rebuilt.
INDEX_VERSION = "4"
# How much a match counts in each field.
FIELD_WEIGHTS = {"title": 6.0, "keywords": 3.0, "summary": 1.0, "body": 0.5}
# A procedure whose title words all appear, in order, in other titles is the
# general case of those ("Đăng ký khai sinh" of "Đăng ký lại khai sinh", "Đăng
# ký khai sinh có yếu tố nước ngoài"…): when a query fits both, it comes first.
GENERAL_BOOST = 1.3


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
    boost: float = 1.0  # see GENERAL_BOOST


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return len(short) < len(long) and all(word in rest for word in short)


def general_procedures(hb: Handbook) -> set[str]:
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
    return general


def search_documents(hb: Handbook) -> list[SearchDoc]:
    general = general_procedures(hb)
    everyday: dict[str, list[str]] = {}
    for entry in hb.synonyms:
        for p in hb.procedures_matching(entry.means):
            everyday.setdefault(p.id, []).extend(entry.everyday)
    docs = []
    for p in hb.procedures.values():
        keywords = [p.code or "", *p.keywords, *everyday.get(p.id, [])]
        body = [plain_text(d.name) for d in p.dossier] + [s.name for s in p.steps]
        docs.append(
            SearchDoc(
                id=p.id,
                title=p.title,
                field=p.field_id,
                field_name=hb.fields[p.field_id].name if p.field_id in hb.fields else p.field_id,
                code=p.code or "",
                url=procedure_url(p),
                keywords=" · ".join(k for k in keywords if k),
                summary=plain_text(p.summary),
                body=" · ".join(body),
                boost=GENERAL_BOOST if p.id in general else 1.0,
            )
        )
    return docs


class VietnameseTokenizer(Tokenizer):
    """whoosh tokenizer that yields ``analysis.index_tokens``."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(analysis.index_tokens(value)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            yield token


def _schema() -> Schema:
    analyzer = VietnameseTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        field=ID(stored=True),
        doc=STORED,  # the SearchDoc as a dict, to print results without the handbook
        **{name: TEXT(analyzer=analyzer) for name in FIELD_WEIGHTS},
    )


def fingerprint(docs: list[SearchDoc]) -> str:
    digest = hashlib.sha256(INDEX_VERSION.encode())
    digest.update(json.dumps([asdict(d) for d in docs], ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


# BM25F parameters, shared by SearchIndex and similar_procedures (and lunr's defaults for B).
K1, B = 1.2, 0.3
Impacts = dict[str, tuple[list[int], list[float]]]
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
        average = (f.total / count) or 1.0
        norms = [1 - B + B * length / average for length in f.lengths]
        for term, holders in f.postings:
            tf = weighted.setdefault(term, {})
            for n, freq in holders:
                tf[n] = tf.get(n, 0.0) + f.weight * freq / norms[n]
    impacts = {}
    for text, tf in weighted.items():
        idf = math.log(1 + (count - len(tf) + 0.5) / (len(tf) + 0.5))
        ids = list(tf)
        impacts[text] = (ids, [idf * tf[n] * (K1 + 1) / (tf[n] + K1) * docs[n].boost for n in ids])
    return impacts


def _invert(texts: Sequence[Sequence[str]]) -> Postings:
    """Postings of one field from each document's tokens in it."""
    holders: dict[str, dict[int, int]] = {}
    for n, tokens in enumerate(texts):
        for term in tokens:
            counts = holders.setdefault(term, {})
            counts[n] = counts.get(n, 0) + 1
    return ((term, counts.items()) for term, counts in holders.items())


# The same texts come back at every rebuild under `sotay serve`.
_tokens = functools.lru_cache(maxsize=1 << 15)(lambda text: tuple(analysis.index_tokens(text)))


def similar_procedures(docs: list[SearchDoc], limit: int, exclude: dict[str, set[str]]) -> dict[str, list[str]]:
    """For each procedure, the ``limit`` others sharing the most distinctive
    words of its title, keywords and summary ("thủ tục liên quan có thể bạn
    cần"), scored with the same BM25F impacts as search.  Pure Python from the
    documents, so a build needs no search index."""
    # Only what describes a procedure (not its long dossier and step lists):
    # faster, and closer to what a reader means by "similar".
    described = {name: FIELD_WEIGHTS[name] for name in ("title", "keywords", "summary")}
    tokens = [{name: _tokens(getattr(d, name)) for name in described} for d in docs]
    lengths = {name: [len(t[name]) for t in tokens] for name in described}
    impacts = bm25f_impacts(docs, [FieldStats(weight, lengths[name], sum(lengths[name]),
                                              _invert([t[name] for t in tokens]))
                                   for name, weight in described.items()])
    own = {term: dict(zip(*posting)) for term, posting in impacts.items()}
    result = {}
    for n, d in enumerate(docs):
        terms = {*tokens[n]["title"], *tokens[n]["keywords"]}  # what the procedure is called
        # Words no other procedure has cannot lead anywhere: the key terms are shared ones.
        # Word pairs ("_diem_chi") say what a procedure is about; single syllables
        # ("chỉ") and national codes' digits match unrelated text.
        key_terms = heapq.nlargest(12, ((own[t][n], t) for t in terms
                                        if t.startswith(analysis.PAIR_MARK) and len(own[t]) > 1
                                        and not any(c.isdigit() for c in t)))
        if not key_terms:
            result[d.id] = []
            continue
        top = key_terms[0][0]
        scores: dict[int, float] = {}
        get = scores.get
        for weight, term in key_terms:
            factor = weight / top
            for m, impact in zip(*impacts[term]):
                scores[m] = get(m, 0.0) + factor * impact
        skip = {d.id, *exclude.get(d.id, ())}
        # The best (score, -number) pairs, compared as tuples (no key function: this
        # runs over thousands of documents per procedure), enough of them that
        # ``limit`` remain once the procedure itself and its excluded ones are left out.
        best = heapq.nlargest(limit + len(skip), zip(scores.values(), map(operator.neg, scores)))
        ranked = [-negated for s, negated in best if s > 0 and docs[-negated].id not in skip][:limit]
        if len(ranked) < limit and len(best) == limit + len(skip):  # more documents left out than ids (a duplicate id)
            ranked = [-negated for s, negated in sorted(zip(scores.values(), map(operator.neg, scores)), reverse=True)
                      if s > 0 and docs[-negated].id not in skip][:limit]
        result[d.id] = [docs[m].id for m in ranked]
    return result


@dataclass
class Hit:
    doc: SearchDoc
    score: float


class SearchIndex:
    """An open whoosh index, ready to answer queries.

    Scoring is BM25F (K1, B below) times the document's boost, as in lunr.
    whoosh's own matchers score posting by posting in Python, too slow for
    thousands of procedures; so when the index is opened, each term's
    postings are turned once into per-document impacts, and a query only
    adds up the impacts of its terms (start-up cost, reported by the
    benchmark, instead of per-query cost).
    """

    K1, B = K1, B

    def __init__(self, ix) -> None:
        self.ix = ix
        self.searcher = ix.searcher()
        reader = self.searcher.reader()
        self.docs: list[SearchDoc | None] = [None] * reader.doc_count_all()
        for n, stored in reader.iter_docs():
            self.docs[n] = SearchDoc(**stored["doc"])
        self.impacts = self._impacts(reader)
        self.vocabulary = analysis.Vocabulary(self.impacts)

    def _impacts(self, reader) -> Impacts:
        def postings(name: str) -> Postings:
            for term in reader.lexicon(name):
                yield term.decode("utf-8"), reader.postings(name, term).items_as("weight")

        return bm25f_impacts(self.docs, [
            FieldStats(weight, [reader.doc_field_length(n, name) or 0 for n in range(len(self.docs))],
                       reader.field_length(name), postings(name))
            for name, weight in FIELD_WEIGHTS.items()])

    @classmethod
    def open(cls, root: Path, docs: list[SearchDoc]) -> SearchIndex:
        """The index of ``docs``: from the cache under ``root`` when it holds
        the index of these very documents, else built (and cached)."""
        wanted = f"{fingerprint(docs)} whoosh {whoosh.versionstring()}"
        files = index_cache.load(root, wanted)  # only files this user's sotay wrote
        if files is not None:
            storage = RamStorage()
            storage.files = files
            try:
                ix = storage.open_index()
                if ix.doc_count() == len(docs):
                    return cls(ix)
            except Exception:  # an index whoosh cannot read: rebuild below
                pass
        storage = _build(docs)
        index_cache.save(root, wanted, storage.files)
        return cls(storage.open_index())

    def close(self) -> None:
        self.searcher.close()

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



def _build(docs: list[SearchDoc]) -> RamStorage:
    """The whoosh index of ``docs``, in memory."""
    storage = RamStorage()
    writer = storage.create_index(_schema()).writer()
    for d in docs:
        writer.add_document(id=d.id, field=d.field, doc=asdict(d),
                            **{name: getattr(d, name) for name in FIELD_WEIGHTS})
    writer.commit()
    return storage
