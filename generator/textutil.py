"""Vietnamese text helpers: alphabetical order and diacritic folding."""

from __future__ import annotations

import functools
import re
import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_MODIFIERS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
# Tone marks in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter(base: str, marks: str) -> str:
    """Combine a base letter with its vowel-quality marks (not tones)."""
    if "\u0306" in marks and base == "a":
        return "ă"
    if "\u0302" in marks:
        return {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
    if "\u031b" in marks:
        return {"o": "ơ", "u": "ư"}.get(base, base)
    return base


# Sorting thousands of titles, several times a build and again at every rebuild of `sotay serve`.
@functools.lru_cache(maxsize=1 << 16)
def vi_sort_key(text: str) -> tuple:
    """Sort key for Vietnamese alphabetical order (đ after d, ă and â after a…).

    Letters decide first; tones only break ties, in dictionary order.
    """
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(ch):
            if ch in _TONES:
                tones[-1:] = [_TONES[ch]] if tones else []
            elif ch in _MODIFIERS and letters:
                prev = _ALPHABET[letters[-1]] if letters[-1] < len(_ALPHABET) else ""
                combined = _letter(prev, ch)
                if combined in _RANK:
                    letters[-1] = _RANK[combined]
            continue
        letters.append(_RANK.get(ch, len(_ALPHABET) + ord(ch)) if ch.isalnum() else -1)
        tones.append(0)
    return tuple(letters), tuple(tones)


_DIACRITICS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics (đ → d): 'Đăng ký' → 'dang ky'.

    The search analyser's JavaScript port does exactly the same
    (NFD, drop U+0300–U+036F), so the two cannot disagree on a letter.
    """
    return _DIACRITICS.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d")))


def slugify(text: str) -> str:
    out = []
    for ch in fold(text):
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)
