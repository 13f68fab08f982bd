"""The one Vietnamese text analyser, shared by the CLI search (whoosh) and the
site search (lunr, through ``theme/assets/javascripts/lunr/min/lunr.vi.min.js``).

The JavaScript file is a line-by-line port of this module; a test feeds the
same strings through both and compares the tokens, so change them together.

Index side, for each syllable that is not a stop word:
  * its exact lower-case form ("đăng"),
  * its folded form when different ("dang"), so unaccented queries find it,
  * a pair token with the next syllable ("_dang_ky"), so a phrase outranks
    pages that merely contain its syllables.
Query side: the same forms, and for a word the index does not know, the
known words one edit away (typo) or starting with it (partial word).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Set as AbstractSet

from ..textutil import fold

# Same character class as SEPARATOR in the JavaScript port; also given to
# Material's search as its tokenizer separator.
SEPARATOR = "[\\s\\-–—‐.,;:!?…\"'“”‘’«»()\\[\\]{}<>/\\\\|*+=&%#@~^$`_]+"
_SEPARATOR = re.compile(SEPARATOR)

# Small on purpose: words that carry no meaning in a procedure name.  Checked
# on the exact form; unaccented forms are listed only where they are not also
# a real word (e.g. "ma" could be "mã", so it is not a stop word).
STOP_WORDS = frozenset(
    "và của cho các những là có được với tại theo về để thì mà hoặc đã khi này ở vào nếu"
    " va cua cac nhung duoc voi hoac neu vao".split()
)
PAIR_MARK = "_"
MAX_ALTERNATIVES = 8


def _trim(word: str) -> str:
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]


def words(text: str) -> list[str]:
    """Lower-case NFC syllables, without punctuation and stop words."""
    text = unicodedata.normalize("NFC", text).lower()
    out = []
    for raw in _SEPARATOR.split(text):
        word = _trim(raw)
        if word and word not in STOP_WORDS:
            out.append(word)
    return out


# Syllables repeat endlessly across a catalogue: fold each one once.
_fold_word = functools.lru_cache(maxsize=1 << 16)(fold)


def pair(a: str, b: str) -> str:
    return PAIR_MARK + _fold_word(a) + PAIR_MARK + _fold_word(b)


def index_tokens(text: str) -> list[str]:
    """Tokens stored in the index for ``text`` (see the module docstring)."""
    ws = words(text)
    tokens: list[str] = []
    for i, word in enumerate(ws):
        tokens.append(word)
        folded = _fold_word(word)
        if folded != word:
            tokens.append(folded)
        if i + 1 < len(ws):
            tokens.append(pair(word, ws[i + 1]))
    return tokens


def within_one_edit(a: str, b: str) -> bool:
    """True if b is a, or a with one letter inserted, deleted, replaced, or two
    neighbours swapped (Damerau–Levenshtein distance ≤ 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


class Vocabulary:
    """The words an index knows, ready for typo and prefix look-ups."""

    def __init__(self, tokens) -> None:
        # A set or a dict's keys is used as it is (an index's vocabulary is large).
        self.tokens = tokens if isinstance(tokens, AbstractSet) else frozenset(tokens)

    @functools.cached_property
    def plain(self) -> list[str]:
        """Folded syllables only (no pairs), shortest first, then alphabetical;
        made when a query first has a word the index does not know."""
        return sorted((t for t in self.tokens if not t.startswith(PAIR_MARK) and t == fold(t)),
                      key=lambda t: (len(t), t))

    def __contains__(self, token: str) -> bool:
        return token in self.tokens


def alternatives(word: str, vocabulary: Vocabulary) -> tuple[list[str], bool]:
    """Folded forms to look for in place of ``word`` and whether it was known.

    An unknown word stands for the known words one edit away or, failing that,
    the known words it begins (someone still typing): at most MAX_ALTERNATIVES
    of those, shortest first.
    """
    folded = fold(word)
    if word in vocabulary or folded in vocabulary:
        return [folded], True
    if len(folded) < 2:
        return [], False
    if len(folded) >= 3:
        close = [v for v in vocabulary.plain if abs(len(v) - len(folded)) <= 1 and within_one_edit(folded, v)]
        if close:
            return close, False
    return [v for v in vocabulary.plain if v.startswith(folded)][:MAX_ALTERNATIVES], False


def _guesses(query: str, vocabulary: Vocabulary) -> list[tuple[str, list[str], bool]]:
    """Each word of the query with the folded forms looked for in its place
    (``alternatives``) and whether it was known."""
    found = [(word, *alternatives(word, vocabulary)) for word in words(query)]
    out = []
    for i, (word, alts, known) in enumerate(found):
        if not known and len(alts) > 1:
            # A guess that makes a phrase the index knows with a neighbouring word is the one
            # meant: "ket hno" is "ket hon", not "ket ho" or "ket no" (the site's analyser alike).
            neighbours = [n for j in (i - 1, i + 1) if 0 <= j < len(found) for n in found[j][1]]
            alts = [a for a in alts if any(pair(a, n) in vocabulary or pair(n, a) in vocabulary
                                           for n in neighbours)] or alts
        out.append((word, alts, known))
    return out


def query_terms(query: str, vocabulary: Vocabulary) -> list[tuple[str, float]]:
    """The weighted index terms a query looks for.

    Exact and folded forms weigh 1, guessed words 0.5, pairs 2: a page with
    the phrase beats a page with the same syllables scattered.
    """
    terms: dict[str, float] = {}

    def add(term: str, weight: float) -> None:
        terms[term] = max(terms.get(term, 0.0), weight)

    slots: list[list[str]] = []
    for word, alts, known in _guesses(query, vocabulary):
        if known:
            add(word, 1.0)
            add(alts[0], 1.0)
        else:
            for alt in alts:
                add(alt, 0.5)
        slots.append(alts)
    for left, right in zip(slots, slots[1:]):
        for a in left:
            for b in right:
                add(PAIR_MARK + a + PAIR_MARK + b, 2.0)
    return sorted(terms.items())

