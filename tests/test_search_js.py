"""The site search's JavaScript analyser and generator/search/analysis.py agree:
the same strings give the same tokens and the same query terms (run in Node)."""

from __future__ import annotations

import json
import re
import unicodedata
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.search.index import analysis
from generator.content.handbook import load_handbook
from generator.site.plugin import THEME_DIR
from generator.search.index import search_documents

from conftest import require

REPO = Path(__file__).resolve().parent.parent
JS = THEME_DIR / "assets/javascripts/lunr/min/lunr.vi.min.js"

TEXTS = [
    "Đăng ký khai sinh",
    "ĐĂNG KÝ KẾT HÔN CÓ YẾU TỐ NƯỚC NGOÀI",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản (kể cả điểm chỉ)",
    "Giấy xác nhận tình trạng hôn nhân; mã 1.004873 — hồ sơ “đầy đủ”…",
    "Khai sinh cho con và của cha, mẹ là người nước ngoài",
    "Trẻ em dưới 6 tuổi: thẻ BHYT/Bảo hiểm y tế 100%",
    unicodedata.normalize("NFD", "Đăng ký khai sinh"),  # typed with a decomposing keyboard
    "Hộ kinh doanh «mở quán» tạp hóa - tạm ngừng – chấm dứt",
    "Tờ khai (Mẫu TP/HT-2020-KS.1) [bản chính] {x} <b> & q=a+b",
    "  nhiều   khoảng\u00a0trắng\tvà\ndòng  ",
    "Ủy ban nhân dân cấp xã, phường, đặc khu 🙂 v.v.",
    "_gạch_dưới_ và số 2025-07-01",
]
QUERIES = ["dang ky ket hon", "giay doc than", "khai xinh", "ket hno", "Đăng ký kết h", "lam giay khai sinh cho con",
           "chung thuc ban sao", "xin phep xay nha", "qqq zzz", "và của"]


def node(script: str, payload) -> object:
    require(shutil.which("node") is not None, "Node.js", "sudo apt-get install nodejs")
    out = subprocess.run(["node", "-e", script, str(JS)], input=json.dumps(payload), capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout)


LOAD = "const vi = require(process.argv[1]).sotay; const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"


def test_constants_agree():
    got = node(LOAD + "console.log(JSON.stringify([vi.SEPARATOR, vi.STOP_WORDS]))", None)
    assert got[0] == analysis.SEPARATOR
    assert set(got[1]) == analysis.STOP_WORDS


def test_index_tokens_agree():
    got = node(LOAD + "console.log(JSON.stringify(input.map(vi.indexTokens)))", TEXTS)
    for text, tokens in zip(TEXTS, got):
        assert tokens == analysis.index_tokens(text), text


def test_index_tokens_agree_on_the_whole_catalogue():
    hb, _ = load_handbook(REPO)
    texts = [t for d in search_documents(hb) for t in (d.title, d.keywords, d.summary, d.body)]
    got = node(LOAD + "console.log(JSON.stringify(input.map(vi.indexTokens)))", texts)
    assert got == [analysis.index_tokens(t) for t in texts]


def test_query_terms_agree():
    hb, _ = load_handbook(REPO)
    vocabulary = sorted({t for d in search_documents(hb) for t in analysis.index_tokens(" ".join([d.title, d.keywords]))})
    got = node(
        LOAD + "const v = new vi.Vocabulary(input.vocabulary);"
        "console.log(JSON.stringify(input.queries.map(q => vi.queryTerms(q, v))))",
        {"vocabulary": vocabulary, "queries": QUERIES},
    )
    python_vocabulary = analysis.Vocabulary(vocabulary)
    for query, terms in zip(QUERIES, got):
        assert [tuple(t) for t in terms] == analysis.query_terms(query, python_vocabulary), query


def test_typo_and_folding_behave_as_documented():
    v = analysis.Vocabulary(analysis.index_tokens("đăng ký kết hôn khai sinh"))
    assert ("_ket_hon", 2.0) in analysis.query_terms("ket hno", v)  # swapped letters
    assert ("sinh", 0.5) in analysis.query_terms("khai xinh", v)  # one wrong letter
    assert ("đăng", 1.0) in analysis.query_terms("Đăng", v) and ("dang", 1.0) in analysis.query_terms("Đăng", v)
    assert analysis.query_terms("và của", v) == []


def test_site_uses_this_analyser(shipped_site):
    assert (shipped_site / "assets/javascripts/lunr/min/lunr.vi.min.js").read_bytes() == JS.read_bytes()


# lunr runs a pipeline function on each token of a field, passing the field's
# whole token list every time; a fresh list per field.  Tokens here count how
# often they are read as text.
PIPELINE = """
const install = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
let analyser = null;
install({Pipeline: {registerFunction: fn => { analyser = fn }}, Index: function () {}});
let reads = 0;
function token(str) {
  return {str, toString() { reads += 1; return this.str }, clone(fn) { return token(fn(this.str)) }};
}
const out = input.map(words => {
  const tokens = words.map(token);
  return tokens.flatMap((t, i) => analyser(t, i, tokens)).map(t => t.str);
});
console.log(JSON.stringify({out, reads}));
"""


def test_site_index_reads_each_token_of_a_field_once():
    """The browser builds the search index when the officer starts to search:
    reading a field's whole token list again for every token made that
    quadratic in the length of a field (a long page held the first results
    back).  The tokens are those of the Python analyser, field after field."""
    long_text = " ".join(TEXTS * 40)
    fields = [TEXTS[0], long_text, TEXTS[1], TEXTS[5]]
    # As the theme's tokenizer hands them over: lower case, split at the separator.
    lowered = [[w for w in re.split(analysis.SEPARATOR, unicodedata.normalize("NFC", t).lower()) if w] for t in fields]
    got = node(PIPELINE, lowered)
    assert got["out"] == [analysis.index_tokens(t) for t in fields]
    words = sum(len(w) for w in lowered)
    assert got["reads"] <= 2 * words, f"{got['reads']} reads for {words} tokens"


# Material's search worker bundles lunr and puts it on `self`; in Node it needs
# a `self` and an `addEventListener` to load.  The builder is set up as the
# theme sets it up (tokenizer separator, metadata, fields and boosts from the
# site's search index, b = 0).
LUNR = """
globalThis.self = globalThis; globalThis.addEventListener = () => {};
require(process.argv[1]); const lunr = self.lunr; require(process.argv[2])(lunr);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
function build(data, own) {
  return lunr(function () {
    this.metadataWhitelist = ["position"];
    this.b(0);
    this.use(lunr.vi);
    if (own) { delete this.add; delete this.createFieldVectors; delete this.createTokenSet; }
    lunr.tokenizer.separator = new RegExp(data.config.separator);
    this.ref("location");
    for (const [name, spec] of Object.entries(data.config.fields)) this.field(name, spec);
    for (const doc of data.docs) this.add(doc, { boost: doc.boost });
  });
}
"""


def lunr_node(script: str, payload) -> object:
    require(shutil.which("node") is not None, "Node.js", "sudo apt-get install nodejs")
    import material
    worker = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))
    out = subprocess.run(["node", "-e", LUNR + script, str(worker), str(JS)], input=json.dumps(payload),
                         capture_output=True, text=True, check=True, timeout=300)
    return json.loads(out.stdout)


# Both indexes as lunr serialises them.  Ours keeps no positions of words in
# the fields the theme does not show (nothing highlights them there): lunr's
# is compared without them.
COMPARE = """
const strip = index => {
  const json = index.toJSON();
  for (const [, posting] of json.invertedIndex)
    for (const field of ["keywords", "body"])
      for (const doc in posting[field] || {}) posting[field][doc] = {position: []};
  return JSON.stringify(json);
};
const ours = build(input, false), own = build(input, true);
const query = q => JSON.stringify([ours.search(q), own.search(q)].map(rs => rs.map(r => [r.ref, r.score])));
const same = input.queries.map(q => { const [a, b] = JSON.parse(query(q)); return a.length > 0 && JSON.stringify(a) === JSON.stringify(b) });
console.log(JSON.stringify({equal: JSON.stringify(ours.toJSON()) === strip(own), alike: strip(ours) === strip(own),
                             terms: Object.keys(own.invertedIndex).length, same}));
"""


def test_site_search_builds_the_index_lunr_builds(shipped_site):
    """The browser builds the search index when the officer starts to search;
    the analyser's builder (faster: the first results wait for it) must give
    lunr's index exactly: every term, entry, position the theme highlights,
    vector and score; and the same results, also for exclusions written with
    a wildcard or an edit distance (its term lookup builds lunr's automaton
    of every term only for those).  Once for the shipped site, once with a
    document given twice (the builder hands over to lunr's own)."""
    data = json.loads((shipped_site / "search/search_index.json").read_text(encoding="utf-8"))
    data["queries"] = QUERIES[:-2] + ["dang* ky* -hon*", "khai* sinh* -ket~1", "chung* thuc* -ban"]
    got = lunr_node(COMPARE, data)
    assert got["terms"] > 1000 and got["equal"]
    assert all(got["same"]), list(zip(data["queries"], got["same"]))
    twice = dict(data, docs=data["docs"][:30] + data["docs"][10:12])
    assert lunr_node(COMPARE, twice)["alike"]


SEARCH_TWICE = """
const index = build(input, false);
const positions = q => JSON.stringify(index.search(q).map(r => r.matchData.metadata));
const before = positions("dang ky");
index.search("Đăng ký khai sinh"); index.search("đăng ký");
console.log(JSON.stringify([before, positions("dang ky")]));
"""


def test_a_search_leaves_the_index_as_it_was():
    """Each position is highlighted for one term only; that filtering once
    wrote into the index itself, so a later search lost highlights."""
    docs = [{"location": "a/", "title": "Đăng ký khai sinh", "text": "Đăng ký khai sinh cho trẻ em"},
            {"location": "b/", "title": "Đăng ký kết hôn", "text": "Kết hôn"}]
    data = {"config": {"separator": analysis.SEPARATOR, "fields": {"title": {"boost": 6}, "text": {}}}, "docs": docs}
    before, after = lunr_node(SEARCH_TWICE, data)
    assert '"position":[[' in before and after == before
