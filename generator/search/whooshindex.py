"""The whoosh index of the search documents, built in memory and read once
into the per-term BM25F impacts ``SearchIndex`` queries (``index.py``).

Only a search without a usable cache comes here (whoosh's index modules take
a while to import, and building takes seconds at 1,000 procedures).  The
index is never written to disk: whoosh reads its own files with pickle.
"""

from __future__ import annotations

from dataclasses import asdict

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from . import analysis
from .index import FIELD_WEIGHTS, FieldStats, Impacts, Postings, SearchDoc, bm25f_impacts


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


def schema() -> Schema:
    analyzer = VietnameseTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        field=ID(stored=True),
        doc=STORED,  # the SearchDoc as a dict, to print results without the handbook
        **{name: TEXT(analyzer=analyzer) for name in FIELD_WEIGHTS},
    )


def build(docs: list[SearchDoc]) -> RamStorage:
    """The whoosh index of ``docs``, in memory."""
    storage = RamStorage()
    writer = storage.create_index(schema()).writer()
    for d in docs:
        writer.add_document(id=d.id, field=d.field, doc=asdict(d),
                            **{name: getattr(d, name) for name in FIELD_WEIGHTS})
    writer.commit()
    return storage


def computed(docs: list[SearchDoc]) -> tuple[list[SearchDoc | None], Impacts]:
    """The documents by whoosh's numbers (None for a deleted one) and the
    impacts of every term, from a whoosh index of ``docs`` built for the purpose."""
    with build(docs).open_index().searcher() as searcher:
        reader = searcher.reader()
        stored: list[SearchDoc | None] = [None] * reader.doc_count_all()
        for n, fields in reader.iter_docs():
            stored[n] = SearchDoc(**fields["doc"])

        def postings(name: str) -> Postings:
            for term in reader.lexicon(name):
                yield term.decode("utf-8"), reader.postings(name, term).items_as("weight")

        impacts = bm25f_impacts(stored, [
            FieldStats(weight, [reader.doc_field_length(n, name) or 0 for n in range(len(stored))],
                       reader.field_length(name), postings(name))
            for name, weight in FIELD_WEIGHTS.items()])
    return stored, impacts
