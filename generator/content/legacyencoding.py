"""Vietnamese typed in a legacy 8-bit encoding (TCVN3/ABC, VNI) and read as
Windows-1252/Latin-1: valid UTF-8 that shows as mojibake ("Ñaêng kyù" for
"Đăng ký" in VNI, "c«ng" for "công" in TCVN3).  ``legacy_encoding`` says
where it starts and which encoding it was, so the loader can tell the editor
how to convert it."""

from __future__ import annotations

import functools
import re

# Signatures of Vietnamese text typed in legacy 8-bit encodings (TCVN3/ABC,
# VNI) and then read as Windows-1252/Latin-1: what editors see as mojibake.
# Each signature is a short sequence with a weight: 2 for a sequence no
# Vietnamese (or other) text contains, 1 for one that is merely unusual (it uses
# letters Vietnamese also has, or letters of other European languages).  An
# encoding is detected when the distinct sequences found weigh 2 or more, so a
# stray "Köln" or "«" does not flag a file but "Ñaêng kyù" does.
#
# Every pattern starts at the legacy byte itself, which is rare, and checks the
# letter before it with a look-behind (``back`` = 1: that letter is part of the
# sequence); a pattern starting with "any letter" would be tried at every
# character of every file.
_V = "aeiouyôö"  # VNI vowels: ơ, ư are written ô, ö and take tone bytes too
_VU = "AEIOUYÔÖ"
_CONSONANT = "b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ"
_LEGACY_SIGNATURES: list[tuple[str, list[tuple[re.Pattern[str], int, int]]]] = [
    ("VNI", [
        # A tone byte no Vietnamese letter uses, after a vowel: "Haø", "taïi", "Noäi", "naëng".
        (re.compile(f"[øûïäåëüØÛÏÄÅËÜ](?<=[{_V}][øûï]|[{_VU}][ØÛÏ]|[aeo][äå]|[AEO][ÄÅ]|a[ëü]|A[ËÜ])"), 2, 1),
        # The breve and circumflex bytes (ê, â) and tone bytes that are also Vietnamese
        # letters (ù, õ, á, à, ã, é, è, ú), after a vowel no Vietnamese word puts them:
        # "Ñaêng", "kyù", "ñaõ", "Vieät", "caáp"; ö for ư after a consonant ("nhö"),
        # "öô" for ươ ("Ngöôøi"), æ for ỉ ("chæ").
        (re.compile("[êâáàãéèúùõÊÂÁÀÃÉÈÚÙÕöÖôÔæÆ](?<=aê|AÊ|[aeo]â|[AEO]Â|[ae][áàã]|[AE][ÁÀÃ]|a[éèú]|A[ÉÈÚ]"
                    f"|[{_V}][ùõ]|[{_VU}][ÙÕ]|[{_CONSONANT}][öÖæ]|[öÖ][ôÔ]|[B-DF-HJ-NP-TV-XZ]Æ)"), 1, 1),
        # Ñ, ñ for Đ, đ at the start of a word: "Ñaêng", "ñòa".
        (re.compile(f"[Ññ](?<![^\\W\\d_].)[{_V}{_VU}ìíæóòÌÍÆÓÒ]"), 1, 0),
    ]),
    ("TCVN3 (ABC)", [
        # Tone-marked a, ă, â, ê, ơ on Latin-1 symbols next to a letter: "Hµ", "§¨ng", "d©n".
        (re.compile("[µ¸¶·¹¨©ª¬](?<=[A-Za-z].)"), 2, 1),
        (re.compile("[µ¸¶·¹¨©ª¬][A-Za-z]"), 2, 0),
        # ư then a toned ơ ("ng\xadêi"); ụ, ờ, õ, ự, ó, ố… shown as ô, ê, â, ù, ã, è…
        # before a final c, ch, t or p, where Vietnamese allows only the sắc and
        # nặng tones ("tôc", "thùc", "tèt").
        (re.compile("\xad(?<=[A-Za-z]\xad)[¬êëìíî]"), 2, 1),
        (re.compile("[âêôàèìòõùã](?<=[a-z].)(?:ch|c|t|p)(?![^\\W\\d_])"), 2, 1),
        # Đ, đ, ư, the capitals and ắ ẳ ẵ on symbols other text uses now and then, next
        # to a letter: "®i", "§¨ng", "§¡NG"; ô, ằ on the guillemets only inside a word
        # ("c«ng", "h»ng", not «Sổ tay»).  Each symbol counts once.
        (re.compile("[§®¡¢£¤¥¦¼½¾\xad](?<=[A-Za-z].)|[§®¡¢£¤¥¦¼½¾\xad](?=[A-Za-z¡-þ])"
                    "|«(?<=[A-Za-z]«)|»(?<=[A-Za-z]»)(?=[A-Za-z])"), 1, 0),
        # Lower-case letters on upper-case Latin-1 codes inside a word ("nÕu", "xÐt", "viÖc",
        # "CÊp"), and on letters Vietnamese does not have ("cña", "nh÷ng", "hîp", "CËN").
        (re.compile(f"[À-Þäåæçëîïñö÷øûüþ](?<=[a-z][À-Þ]|[A-Za-z][äåæçëîïñö÷øûüþ]|[{_CONSONANT}][ÆÇËÎÏÐÑÖ×ØÜÞß])"
                    "|[À-Þ](?<=[A-Z].)(?=[a-z])"), 1, 1),
    ]),
]


_LEGACY_SYMBOLS = frozenset("§®¡¢£¤¥¦¨©ª«¬\xadµ¶·¸¹»¼½¾×÷")  # letters in TCVN3, not alphanumeric in Unicode


# sotay serve reads every registry, session, province file and page again on each
# rebuild, and this scan is most of reading one (~1 ms per 10 KB): an unchanged text
# is not scanned twice.  (128 texts: the ~30 read per rebuild and room for more.)
@functools.lru_cache(maxsize=128)
def legacy_encoding(text: str) -> tuple[int, str] | None:
    """(start of the word with the first sign, encoding name) when ``text``
    looks like Vietnamese typed in a legacy encoding, else None."""
    best: tuple[int, int, str] | None = None
    for encoding, signatures in _LEGACY_SIGNATURES:
        found: dict[str, tuple[int, int]] = {}  # sequence -> (weight, first index)
        for pattern, weight, back in signatures:
            for m in pattern.finditer(text):
                start = m.start() - back
                sequence = text[start:m.end()]
                weight_before, index = found.get(sequence, (0, start))
                found[sequence] = (max(weight, weight_before), min(index, start))
        score = sum(weight for weight, _ in found.values())
        if score >= 2 and (best is None or score > best[0]):
            best = (score, min(index for _, index in found.values()), encoding)
    if best is None:
        return None
    start = best[1]
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _LEGACY_SYMBOLS):
        start -= 1
    return start, best[2]
