"""Search (from the whoosh index, or its impacts read back from the cache)
and the pages' "similar procedures" (from the documents alone) score with one
BM25F computation, so they cannot drift apart."""
from __future__ import annotations

from collections import Counter

from generator.content.handbook import load_handbook
from generator.search import analysis, whooshindex
from generator.search.index import FIELD_WEIGHTS, FieldStats, SearchIndex, bm25f_impacts, search_documents


def impacts_from_documents(docs, weights, lengths=None, totals=None):
    """The impacts computed from each document's own tokens, field by field
    (with the given field lengths, if any: whoosh stores them rounded)."""
    fields = []
    for name, weight in weights.items():
        tokens = [analysis.index_tokens(getattr(d, name)) for d in docs]
        holders: dict[str, list[tuple[int, int]]] = {}
        for n, counts in enumerate(Counter(t) for t in tokens):
            for term, freq in counts.items():
                holders.setdefault(term, []).append((n, freq))
        own = [len(t) for t in tokens]
        fields.append(FieldStats(weight, lengths[name] if lengths else own, totals[name] if totals else sum(own),
                                 holders.items()))
    return bm25f_impacts(docs, fields)


def as_dicts(impacts):
    return {term: dict(zip(ids, values)) for term, (ids, values) in impacts.items()}


def test_the_search_index_scores_as_the_documents_do(mini):
    hb, sink = load_handbook(mini)
    assert not sink.errors
    docs = search_documents(hb)
    with whooshindex.build(docs).open_index().searcher() as searcher:
        reader = searcher.reader()
        lengths = {name: [reader.doc_field_length(n, name) or 0 for n in range(len(docs))]
                   for name in FIELD_WEIGHTS}
        totals = {name: reader.field_length(name) for name in FIELD_WEIGHTS}
    expected = as_dicts(impacts_from_documents(docs, FIELD_WEIGHTS, lengths, totals))
    assert len(expected) > 50
    for _ in ("built", "read back from the cache"):
        index = SearchIndex.open(mini, docs)
        assert [d.id for d in index.docs] == [d.id for d in docs]
        assert as_dicts(index.impacts) == expected


def test_impacts_follow_frequency_field_weight_rarity_and_boost():
    class Doc:
        def __init__(self, title, body="", boost=1.0):
            self.title, self.body, self.boost = title, body, boost

    docs = [Doc("khai sinh"), Doc("khai sinh khai sinh"), Doc("kết hôn", "khai sinh"), Doc("khai sinh", boost=1.3),
            Doc("khai tử")]
    impacts = as_dicts(impacts_from_documents(docs, {"title": 6.0, "body": 0.5}))
    sinh, khai = impacts["sinh"], impacts["khai"]
    assert set(sinh) == {0, 1, 2, 3} and set(khai) == {0, 1, 2, 3, 4}
    assert sinh[0] < sinh[1] < 2 * sinh[0]  # more often counts more, but saturates
    assert sinh[2] < sinh[0]  # in the body, not the title
    assert sinh[3] == sinh[0] * 1.3  # the general procedure's boost
    assert khai[0] < sinh[0]  # a word every document has tells less


def similar_by_scoring_everyone(docs, limit, exclude):
    """"Similar procedures" the plain way: every document holding a key term
    scored and sorted (what SimilarProcedures must give, however it ranks)."""
    import heapq

    from generator.search.index import _holders, _tokens

    described = {name: FIELD_WEIGHTS[name] for name in ("title", "keywords", "summary")}
    tokens = [{name: _tokens(getattr(d, name)) for name in described} for d in docs]
    lengths = {name: [len(t[name]) for t in tokens] for name in described}
    postings = {name: _holders([t[name] for t in tokens]) for name in described}
    impacts = bm25f_impacts(docs, [FieldStats(w, lengths[name], sum(lengths[name]),
                                              ((term, c.items()) for term, c in postings[name].items()))
                                   for name, w in described.items()])
    own = as_dicts(impacts)
    result = {}
    for n, d in enumerate(docs):
        terms = {*tokens[n]["title"], *tokens[n]["keywords"]}
        key_terms = heapq.nlargest(12, ((own[t][n], t) for t in terms if t.startswith(analysis.PAIR_MARK)
                                        and len(own[t]) > 1 and not any(c.isdigit() for c in t)))
        scores: dict[int, float] = {}
        for weight, term in key_terms:
            for m, impact in zip(*impacts[term]):
                scores[m] = scores.get(m, 0.0) + weight / key_terms[0][0] * impact
        skip = {d.id, *exclude.get(d.id, ())}
        ranked = sorted((m for m, s in scores.items() if s > 0 and docs[m].id not in skip), key=lambda m: (-scores[m], m))
        result[d.id] = [docs[m].id for m in ranked[:limit]]
    return result


def test_similar_procedures_are_the_best_scored_of_all(mini):
    """The shipped catalogue, and a crowded one where many procedures share
    the same words (ties, excluded related procedures, a duplicate id)."""
    import dataclasses
    import random

    from conftest import REPO
    from generator.search.index import SimilarProcedures

    def similar_procedures(docs, limit, exclude):  # every list at once
        return dict(SimilarProcedures(docs, limit, exclude))

    hb, _ = load_handbook(REPO)
    docs = search_documents(hb)
    exclude = {p.id: set(p.related) for p in hb.procedures.values()}
    for limit in (1, 3, 8):
        assert similar_procedures(docs, limit, exclude) == similar_by_scoring_everyone(docs, limit, exclude)
    rng = random.Random(7)
    words = ["đăng ký", "khai sinh", "kết hôn", "giấy phép", "xây dựng", "hộ tịch", "chứng thực", "bản sao"]
    crowded = [dataclasses.replace(docs[i % len(docs)], id=f"p{i}", title=" ".join(rng.sample(words, 3)),
                                   keywords=" · ".join(rng.sample(words, 2)), summary=" ".join(rng.choices(words, k=6)))
               for i in range(300)]
    crowded.append(dataclasses.replace(crowded[0]))  # the same id twice
    exclude = {f"p{i}": {f"p{i + 1}", f"p{i + 2}", "khong-co"} for i in range(0, 300, 3)}
    assert similar_procedures(crowded, 3, exclude) == similar_by_scoring_everyone(crowded, 3, exclude)
    assert any(similar_procedures(crowded, 3, exclude).values())


def test_similar_procedures_asked_one_at_a_time_are_the_same():
    """`sotay serve` asks only for the lists of the pages it writes (in any
    order, some never): each is what the whole computation gives."""
    from conftest import REPO
    from generator.search.index import SimilarProcedures

    hb, _ = load_handbook(REPO)
    docs = search_documents(hb)
    exclude = {p.id: set(p.related) for p in hb.procedures.values()}
    whole = dict(SimilarProcedures(docs, 3, exclude))
    lazy = SimilarProcedures(docs, 3, exclude)
    asked = [d.id for d in reversed(docs)][::7]
    assert not any(lazy.known(pid) for pid in asked)
    assert {pid: lazy[pid] for pid in asked} == {pid: whole[pid] for pid in asked}
    assert all(lazy.known(pid) for pid in asked)
    assert not any(lazy.known(d.id) for d in docs if d.id not in asked)
    assert lazy.get("khong-co", []) == [] and len(lazy) == len(whole)


def test_similar_procedures_after_a_summary_edit_are_those_of_a_fresh_computation():
    """`sotay serve` after a summary edit reads only that summary again, the
    rest from the last rebuild's lists: every list is what a build from scratch
    gives (a summary gaining and losing its distinctive words, two edited at
    once, a title edited); the last rebuild's lists, still served, stay theirs."""
    import dataclasses

    from conftest import REPO
    from generator.search.index import SimilarProcedures

    hb, _ = load_handbook(REPO)
    docs = search_documents(hb)
    exclude = {p.id: set(p.related) for p in hb.procedures.values()}
    first = SimilarProcedures(docs, 3, exclude)
    before = dict(SimilarProcedures(docs, 3, exclude))
    khai_sinh = next(n for n, d in enumerate(docs) if d.id == "dang-ky-khai-sinh")
    ket_hon = next(n for n, d in enumerate(docs) if d.id == "dang-ky-ket-hon")
    edits = [
        {khai_sinh: {"summary": docs[ket_hon].title + " " + docs[ket_hon].title}},  # another's words
        {khai_sinh: {"summary": ""}, ket_hon: {"summary": "giấy phép xây dựng nhà ở riêng lẻ"}},
        {ket_hon: {"title": "Đăng ký khai sinh lưu động"}},  # not a summary: computed afresh
    ]
    previous = first
    for edit in edits:
        edited = [dataclasses.replace(d, **edit.get(n, {})) for n, d in enumerate(docs)]
        again = SimilarProcedures(edited, 3, exclude, previous=previous)
        assert dict(again) == similar_by_scoring_everyone(edited, 3, exclude) == dict(SimilarProcedures(edited, 3, exclude))
        previous = again
    assert dict(again) != before
    assert dict(first) == before
