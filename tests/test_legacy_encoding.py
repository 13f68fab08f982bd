"""Vietnamese typed in the legacy 8-bit encodings (VNI-Windows, TCVN3/ABC) and
read as Windows-1252 is refused with the encoding named; no shipped text is.

The samples are made here by encoding real Vietnamese into the legacy bytes
(from the published code tables) and decoding those bytes as Windows-1252,
which is what an editor shows when such a file is opened as UTF-8 text.
"""

import functools
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.content.errors import ErrorSink
from generator.content.yamlsource import read_text

REPO = Path(__file__).resolve().parent.parent

# Tone marks in the order the tables below list them.
TONES = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # huyền, hỏi, ngã, sắc, nặng

# VNI-Windows: a base letter followed by a byte for the tone, or for the
# circumflex/breve (with or without a tone); ơ, ư, đ, i with a tone and ỵ are
# single bytes.  Lower case, then upper case; one byte per tone in TONES order.
VNI_TONE = (b"\xf8\xfb\xf5\xf9\xef", b"\xd8\xdb\xd5\xd9\xcf")          # ø û õ ù ï
VNI_CIRCUMFLEX = (b"\xe2", b"\xc2")                                      # â
VNI_CIRCUMFLEX_TONE = (b"\xe0\xe5\xe3\xe1\xe4", b"\xc0\xc5\xc3\xc1\xc4")  # à å ã á ä
VNI_BREVE = (b"\xea", b"\xca")                                           # ê
VNI_BREVE_TONE = (b"\xe8\xfa\xfc\xe9\xeb", b"\xc8\xda\xdc\xc9\xcb")      # è ú ü é ë
VNI_I_TONE = (b"\xec\xe6\xf3\xed\xf2", b"\xcc\xc6\xd3\xcd\xd2")          # ì æ ó í ò
VNI_SINGLE = {"ơ": b"\xf4", "Ơ": b"\xd4", "ư": b"\xf6", "Ư": b"\xd6", "đ": b"\xf1", "Đ": b"\xd1",
              "ỵ": b"\xee", "Ỵ": b"\xce"}


def vni(text: str) -> str:
    return "".join(_vni_char(ch) for ch in text)


@functools.cache
def _vni_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], set(decomposed[1:])
    upper = int(base.isupper())
    tone = next((TONES.index(m) for m in marks if m in TONES), None)
    if ch in VNI_SINGLE:
        out = VNI_SINGLE[ch]
    elif "\u031b" in marks:  # horn: ơ, ư carrying a tone
        out = VNI_SINGLE[unicodedata.normalize("NFC", base + "\u031b")] + VNI_TONE[upper][tone:tone + 1]
    elif "\u0302" in marks:
        out = base.encode() + (VNI_CIRCUMFLEX[upper] if tone is None else VNI_CIRCUMFLEX_TONE[upper][tone:tone + 1])
    elif "\u0306" in marks:
        out = base.encode() + (VNI_BREVE[upper] if tone is None else VNI_BREVE_TONE[upper][tone:tone + 1])
    elif base in "iI" and tone is not None:
        out = VNI_I_TONE[upper][tone:tone + 1]
    elif tone is not None:
        out = base.encode() + VNI_TONE[upper][tone:tone + 1]
    else:
        out = _other(ch)
    return out.decode("cp1252")


def _other(ch: str) -> bytes:
    """ASCII as is; punctuation the legacy fonts share with Windows-1252 as
    there; anything else (→, ≤) as "?", which is what a conversion gives."""
    try:
        return ch.encode("cp1252")
    except UnicodeEncodeError:
        return b"?"


# TCVN3 (ABC, the .VnTime fonts): every lower-case letter is one byte; the
# capitals Ă Â Ê Ô Ơ Ư Đ have their own bytes, other capitals with a tone are
# typed with the lower-case byte (the .VnTimeH font draws it as a capital).
TCVN3_ROWS = {  # base: (byte of the base, bytes for the tones in TONES order)
    "a": (b"a", b"\xb5\xb6\xb7\xb8\xb9"), "ă": (b"\xa8", b"\xbb\xbc\xbd\xbe\xc6"),
    "â": (b"\xa9", b"\xc7\xc8\xc9\xca\xcb"), "e": (b"e", b"\xcc\xce\xcf\xd0\xd1"),
    "ê": (b"\xaa", b"\xd2\xd3\xd4\xd5\xd6"), "i": (b"i", b"\xd7\xd8\xdc\xdd\xde"),
    "o": (b"o", b"\xdf\xe1\xe2\xe3\xe4"), "ô": (b"\xab", b"\xe5\xe6\xe7\xe8\xe9"),
    "ơ": (b"\xac", b"\xea\xeb\xec\xed\xee"), "u": (b"u", b"\xef\xf1\xf2\xf3\xf4"),
    "ư": (b"\xad", b"\xf5\xf6\xf7\xf8\xf9"), "y": (b"y", b"\xfa\xfb\xfc\xfd\xfe"),
}
TCVN3_CAPITALS = {"Ă": b"\xa1", "Â": b"\xa2", "Ê": b"\xa3", "Ô": b"\xa4", "Ơ": b"\xa5", "Ư": b"\xa6",
                  "Đ": b"\xa7", "đ": b"\xae"}


def tcvn3(text: str) -> str:
    return "".join(_tcvn3_char(ch) for ch in text)


@functools.cache
def _tcvn3_char(ch: str) -> str:
    if ch in TCVN3_CAPITALS:
        return TCVN3_CAPITALS[ch].decode("cp1252")
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = next((TONES.index(m) for m in decomposed if m in TONES), None)
    base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONES))
    if base in TCVN3_ROWS and not ch.isascii():
        plain, toned = TCVN3_ROWS[base]
        return (plain if tone is None else toned[tone:tone + 1]).decode("cp1252")
    return _other(ch).decode("cp1252")


def test_known_renderings_are_refused(tmp_path):
    # The encoders give the renderings seen in old documents opened as text...
    assert vni("Đăng ký khai sinh tại Hà Nội") == "Ñaêng kyù khai sinh taïi Haø Noäi"
    assert vni("Người") == "Ngöôøi"
    assert vni("địa chỉ") == "ñòa chæ"
    assert vni("ĐĂNG KÝ") == "ÑAÊNG KYÙ"
    assert tcvn3("Đăng ký khai sinh tại Hà Nội") == "§¨ng ký khai sinh t¹i Hµ Néi"
    assert tcvn3("Thủ tục") == "Thñ tôc"
    assert tcvn3("người") == "ng\xadêi"
    # ...and each of these is refused, naming its encoding.
    for text, name in [("Ñaêng kyù khai sinh", "VNI"), ("Ngöôøi yeâu caàu", "VNI"), ("ñòa chæ", "VNI"),
                       ("ÑAÊNG KYÙ", "VNI"), ("§¨ng ký khai sinh", "TCVN3"), ("Thñ tôc", "TCVN3"),
                       ("ng\xadêi yªu cÇu", "TCVN3"), ("Chøng thùc", "TCVN3")]:
        errors = legacy_errors(tmp_path, f"tom_tat: {text}\n")
        assert len(errors) == 1 and name in errors[0].message, text


def legacy_errors(tmp_path: Path, text: str) -> list:
    path = tmp_path / "thu-tuc.yml"
    path.write_bytes(text.encode("utf-8"))
    sink = ErrorSink()
    read_text(path, "thu-tuc.yml", sink)
    return [e for e in sink.errors if "bảng mã cũ" in e.message]


def shipped_files() -> list[Path]:
    files = [*REPO.glob("procedures/**/*.yml"), *REPO.glob("handbook/**/*.md"),
             *REPO.glob("handbook/data/*.yml"), *REPO.glob("handbook/dao-tao/*.yml")]
    assert len(files) > 50
    return sorted(files)


def shipped_sentences() -> list[str]:
    """Every title and summary of a shipped procedure: real commune Vietnamese."""
    sentences = []
    for path in sorted(REPO.glob("procedures/**/*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        sentences += [" ".join(data["ten"].split()), " ".join(data["tom_tat"].split())]
    return sentences


HAND_WRITTEN = [
    "Đăng ký khai sinh",
    "Người yêu cầu nộp tờ khai và xuất trình giấy tờ tùy thân.",
    "Ủy ban nhân dân xã",
    "Giấy chứng nhận quyền sử dụng đất",
    "Chứng thực chữ ký",
    "Hộ nghèo, hộ cận nghèo",
]


@pytest.mark.parametrize("encode,name", [(vni, "VNI"), (tcvn3, "TCVN3")])
def test_every_shipped_file_is_accepted_and_refused_once_encoded(tmp_path, encode, name):
    for path in shipped_files():
        text = path.read_text(encoding="utf-8")
        sink = ErrorSink()
        read_text(path, str(path.relative_to(REPO)), sink)
        assert [e for e in sink.errors if "bảng mã cũ" in e.message] == [], path
        encoded = encode(text)
        errors = legacy_errors(tmp_path, encoded)
        assert len(errors) == 1 and name in errors[0].message, path
        # Located on the first line the encoding garbled, at the start of a garbled word.
        lines, garbled = text.splitlines(), encoded.splitlines()
        line, column = errors[0].line, errors[0].column
        assert line == next(n for n, (a, b) in enumerate(zip(lines, garbled), 1) if a != b), path
        words = list(re.finditer(r"\S+", garbled[line - 1]))
        k = next(k for k, w in enumerate(words) if w.start() < column <= w.end())
        assert column == 1 or not garbled[line - 1][column - 2].isalnum(), (path, garbled[line - 1])
        assert words[k].group() != lines[line - 1].split()[k], (path, words[k].group())


# Headings in capitals.  VNI has capital bytes for every letter; TCVN3 has
# capitals only for Ă Â Ê Ô Ơ Ư Đ and writes the others with the lower-case
# byte, so a short TCVN3 heading can carry a single sign ("HỘ NGHÈO" is
# "Hé NGHÌO"): not enough to tell it from real text, and not asserted here.
CAPITALS = ["ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT", "ỦY BAN NHÂN DÂN XÃ", "CHỨNG THỰC CHỮ KÝ"]


@pytest.mark.parametrize("encode,name,capitals", [(vni, "VNI", [s.upper() for s in HAND_WRITTEN] + CAPITALS),
                                                  (tcvn3, "TCVN3", CAPITALS)])
def test_legacy_text_is_refused_with_its_encoding(tmp_path, encode, name, capitals):
    missed = []
    for sentence in HAND_WRITTEN + capitals + shipped_sentences():
        errors = legacy_errors(tmp_path, "tom_tat: " + encode(sentence) + "\n")
        if not errors or name not in errors[0].message:
            missed.append((sentence, encode(sentence), [e.message for e in errors]))
        else:
            # The Unikey hint names the encoding to convert from.
            assert name in errors[0].hint and "Unicode" in errors[0].hint
    assert missed == []


@pytest.mark.parametrize("encode,name", [(vni, "VNI"), (tcvn3, "TCVN3")])
def test_one_unusual_sequence_is_not_enough(tmp_path, encode, name):
    # Real text with one sequence a legacy encoding also makes (a foreign name,
    # French quotes, the old tone placement) is accepted; the same text typed
    # in the legacy encoding is not.
    for text in ["Công dân Đức sinh tại Köln", "Nghỉ lễ Noël theo lịch của trường", "Tên gọi «Sổ tay» của xã", "Phường Đông Hòa, Quảng Ngãi",
                 "Thủy lợi, khuyến nông, chăn nuôi", "uỷ quyền, tuỳ thân, quý, thuế, Huế, khoẻ, hoàng"]:
        assert legacy_errors(tmp_path, f"tom_tat: {text}\n") == [], text
        errors = legacy_errors(tmp_path, f"tom_tat: {encode(text)}\n")
        assert len(errors) == 1 and name in errors[0].message, encode(text)
