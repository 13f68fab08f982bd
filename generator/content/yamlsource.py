"""Read a YAML file into a node tree that keeps line and column of every value.

Only the safe subset of YAML that content needs is accepted: no anchors or
aliases (they are never needed and allow "billion laughs" blow-ups), no tags,
no duplicate keys, UTF-8 only.  Values stay as YAML nodes; ``validate.py``
turns them into typed model objects against the schema.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the pure-Python parser alone
    CParser = None

from . import model
from .errors import ErrorSink
from .files import read_content

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 64  # nesting levels of lists/blocks; content needs fewer than 10
# Values (keys, scalars, lists, blocks) in one file: the largest real file,
# the legal registry, holds about 1,500.  Bounds the time every later check
# takes, since each looks at each value a few times.
MAX_NODES = 20_000

# Characters that are never legitimate in content: C0 controls except tab and
# newline, DEL, C1 controls, zero-width and bidirectional controls.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]"
)
_FORBIDDEN_NAMES = {
    "\u200b": "ký tự rộng bằng 0 (zero-width space)",
    "\u200c": "ký tự rộng bằng 0 (ZWNJ)",
    "\u200d": "ký tự rộng bằng 0 (ZWJ)",
    "\ufeff": "ký tự BOM ở giữa văn bản",
    "\ufffe": "ký tự không hợp lệ (noncharacter)",
    "\uffff": "ký tự không hợp lệ (noncharacter)",
}

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


def _pos(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


class _LimitError(yaml.composer.ComposerError):
    """A bound of ours, hit while composing: reported as it is (PyYAML's own
    errors are parsed again by the pure-Python parser for its wording)."""

    def __init__(self, message: str, hint: str, mark) -> None:
        super().__init__(None, None, message, mark)
        self.hint = hint


class _StrictChecks:
    """Composer hooks that record problems instead of building unsafe structures."""

    _path: str
    _sink: ErrorSink
    _depth: int
    _nodes: int

    def compose_node(self, parent, index):  # type: ignore[override]
        # PyYAML composes recursively: "[[[[…" thousands deep would raise
        # RecursionError.  Content never nests more than a few levels.
        if self._depth >= MAX_DEPTH:
            raise _LimitError(f"cấu trúc lồng nhau quá sâu (tối đa {MAX_DEPTH} mức)",
                              "viết phẳng hơn: nội dung không cần khối hay danh sách lồng quá vài mức.",
                              self.peek_event().start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _LimitError(f"tệp có quá nhiều giá trị (tối đa {MAX_NODES:_} khóa, giá trị và mục danh sách)".replace("_", "."),
                              "giá trị này vượt giới hạn; tách nội dung thành nhiều tệp hoặc rút gọn.",
                              self.peek_event().start_mark)
        self._depth += 1
        try:
            return self._compose_node(parent, index)
        finally:
            self._depth -= 1

    def _compose_node(self, parent, index):
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            m = event.start_mark
            self._sink.add(
                self._path, m.line + 1, m.column + 1,
                f"không dùng bí danh YAML (*{event.anchor}) trong nội dung",
                "chép lại nội dung đầy đủ thay cho neo (&) và bí danh (*).",
            )
            self.get_event()
            return ScalarNode("tag:yaml.org,2002:null", "", m, event.end_mark)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            m = event.start_mark
            self._sink.add(
                self._path, m.line + 1, m.column + 1,
                f"không dùng neo YAML (&{anchor}) trong nội dung",
                "xóa &" + anchor + " và viết nội dung trực tiếp.",
            )
            event.anchor = None
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            m = event.start_mark
            self._sink.add(
                self._path, m.line + 1, m.column + 1,
                f"không dùng thẻ kiểu YAML ({tag})",
                "xóa thẻ; nếu muốn một chuỗi thì đặt giá trị trong dấu nháy kép.",
            )
            event.tag = None
            if isinstance(event, yaml.events.ScalarEvent):
                event.implicit = (True, True)
        return yaml.composer.Composer.compose_node(self, parent, index)


class _StrictComposer(_StrictChecks, yaml.SafeLoader):
    """PyYAML's pure-Python parser: slow, but its error messages are the ones
    translated in _PROBLEMS, so it reports files that do not parse."""

    def __init__(self, stream: str, path: str, sink: ErrorSink):
        yaml.SafeLoader.__init__(self, stream)
        self._path, self._sink, self._depth, self._nodes = path, sink, 0, 0


if CParser is not None:
    class _FastComposer(_StrictChecks, CParser, yaml.composer.Composer, yaml.resolver.Resolver):
        """libyaml's parser (8× faster) feeding the same Python composer; its
        marks (line, column in characters) are the same as PyYAML's."""

        get_single_node = yaml.composer.Composer.get_single_node
        compose_document = yaml.composer.Composer.compose_document

        def __init__(self, stream: str, path: str, sink: ErrorSink):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._path, self._sink, self._depth, self._nodes = path, sink, 0, 0

        def compose_scalar_node(self, anchor):
            event = self.peek_event()
            if event.style == "":  # libyaml's plain style; PyYAML's (and validate.py's) is None
                event.style = None
            return super().compose_scalar_node(anchor)


def read_text(path: Path, display: str, sink: ErrorSink) -> str | None:
    """Read a content file as UTF-8 NFC text, or record why it cannot be
    (not a regular file, too large, not UTF-8, forbidden characters…)."""
    raw = read_content(path, display, sink, MAX_FILE_BYTES)
    return None if raw is None else decode_text(raw, display, sink)


def decode_text(raw: bytes, display: str, sink: ErrorSink) -> str | None:
    """The bytes of a content file (from disk or from git) as UTF-8 NFC text,
    or None with the reasons in ``sink``."""
    if len(raw) > MAX_FILE_BYTES:
        sink.add(display, 1, 1, f"tệp quá lớn ({len(raw) // 1024} KB, tối đa {MAX_FILE_BYTES // 1024} KB)",
                 "tách nội dung hoặc rút gọn; một thủ tục không cần dài như vậy.")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        sink.add(display, 1, 1, "tệp được lưu bằng mã UTF-16, cần UTF-8",
                 "mở tệp trong trình soạn thảo và lưu lại với mã hóa UTF-8 (Save with Encoding → UTF-8).")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, col = _pos(prefix, len(prefix))  # a column counts characters, not bytes
        sink.add(display, line, col, "tệp không phải UTF-8 (có thể là Windows-1258 hoặc mã cũ TCVN3/VNI)",
                 "mở tệp và lưu lại với mã hóa UTF-8; nếu chép từ Word dùng bảng mã cũ, chuyển mã sang Unicode (Unikey: Ctrl+Shift+F6).")
        return None
    ok = True
    line, line_start, seen = 1, 0, 0  # positions found as the scan goes: linear, however many there are
    for m in _FORBIDDEN.finditer(text):
        last = sink.full(display)  # this one is reported as "too many", and the scan stops
        i = m.start()
        line += text.count("\n", seen, i)
        newline = text.rfind("\n", seen, i)
        line_start = newline + 1 if newline >= 0 else line_start
        seen = i
        col = i - line_start + 1
        ch = m.group()
        name = _FORBIDDEN_NAMES.get(ch) or (
            "ký tự điều khiển hướng chữ" if "\u202a" <= ch <= "\u2069" else "ký tự điều khiển"
        )
        sink.add(display, line, col, f"{name} U+{ord(ch):04X} không được phép",
                 "xóa ký tự này (thường lẫn vào khi chép từ Word hoặc trang web).")
        ok = False
        if last:
            break
    if "\t" in text:
        i = text.index("\t")
        line, col = _pos(text, i)
        sink.add(display, line, col, "không dùng ký tự Tab để thụt lề", "thay Tab bằng dấu cách (2 dấu cách mỗi mức).")
        ok = False
    legacy = legacy_encoding(text)
    if legacy:
        index, encoding = legacy
        line, col = _pos(text, index)
        sink.add(display, line, col, f"văn bản có dấu hiệu gõ bằng bảng mã cũ {encoding} (chữ bị lỗi phông)",
                 "chuyển mã văn bản sang Unicode dựng sẵn (Unikey: Ctrl+Shift+F6, chọn nguồn " + encoding + ", đích Unicode) rồi chép lại.")
        ok = False
    return unicodedata.normalize("NFC", text) if ok else None


def compose(text: str, display: str, sink: ErrorSink) -> Node | None:
    """Parse text into a node tree; record syntax errors with their position."""
    if CParser is not None:
        scratch = ErrorSink()
        loader = _FastComposer(text, display, scratch)
        try:
            node = loader.get_single_node()
        except _LimitError as exc:
            sink.items.extend(scratch.items)
            _report_limit(exc, display, sink)
            return None
        except yaml.YAMLError:
            pass  # parsed again below, for PyYAML's error message
        else:
            sink.items.extend(scratch.items)
            if node is None:
                sink.add(display, 1, 1, "tệp rỗng", "một tệp nội dung phải có ít nhất các khóa bắt buộc; dùng `sotay new` để tạo mẫu.")
                return None
            _check_duplicates(node, display, sink)
            return node
        finally:
            loader.dispose()
    loader = _StrictComposer(text, display, sink)
    try:
        node = loader.get_single_node()
    except _LimitError as exc:
        _report_limit(exc, display, sink)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = "lỗi cú pháp YAML: " + _translate(exc)
        hint = "kiểm tra thụt lề, dấu hai chấm sau khóa và các dấu nháy, ngoặc đã đóng đủ chưa."
        layout = _layout_problem(text, exc)
        if layout is not None:
            line, col, problem, hint = layout
            message = "lỗi cú pháp YAML: " + problem
        sink.add(display, line, col, message, hint)
        return None
    except yaml.YAMLError as exc:
        sink.add(display, 1, 1, f"lỗi cú pháp YAML: {exc}")
        return None
    finally:
        loader.dispose()
    if node is None:
        sink.add(display, 1, 1, "tệp rỗng", "một tệp nội dung phải có ít nhất các khóa bắt buộc; dùng `sotay new` để tạo mẫu.")
        return None
    _check_duplicates(node, display, sink)
    return node


def _report_limit(exc: _LimitError, display: str, sink: ErrorSink) -> None:
    m = exc.problem_mark
    sink.add(display, m.line + 1, m.column + 1, exc.problem, exc.hint)


def _check_duplicates(node: Node, display: str, sink: ErrorSink) -> None:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, MappingNode):
            seen: dict[str, int] = {}
            for key, value in n.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        m = key.start_mark
                        sink.add(display, m.line + 1, m.column + 1,
                                 f"khóa '{key.value}' bị lặp (đã có ở dòng {seen[key.value]})",
                                 "gộp hai khối thành một; YAML chỉ giữ khóa xuất hiện sau cùng.")
                    else:
                        seen[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)


_PROBLEMS = {
    "found unexpected end of stream": "tệp kết thúc khi chưa đóng dấu nháy hoặc ngoặc",
    "could not find expected ':'": "thiếu dấu hai chấm sau khóa",
    "mapping values are not allowed here": "dấu hai chấm không đúng chỗ (giá trị có dấu ':' cần đặt trong dấu nháy)",
    "found character '\\t' that cannot start any token": "có ký tự Tab",
    "did not find expected key": "thụt lề sai hoặc thiếu khóa",
    "did not find expected node content": "thiếu giá trị",
    "expected ',' or ']', but got": "danh sách [...] chưa đóng ngoặc",
    "expected ',' or '}', but got": "khối {...} chưa đóng ngoặc",
    "did not find expected '-' indicator": "thụt lề của danh sách không khớp",
    "found undefined alias": "bí danh YAML không tồn tại",
    "expected <document start>, but found": "nội dung thừa sau tài liệu (kiểm tra thụt lề)",
    "found unknown escape character": "ký tự thoát không hợp lệ trong chuỗi nháy kép",
    "while scanning a quoted scalar": "chuỗi trong dấu nháy chưa được đóng",
    "expected <block end>, but found": "cấu trúc bị lệch (thường do dấu nháy chưa đóng ở dòng trên, hoặc thụt lề sai)",
    "while parsing a block mapping": "cấu trúc bị lệch (thường do dấu nháy chưa đóng hoặc thụt lề sai)",
}


def _translate(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, vietnamese in _PROBLEMS.items():
        if problem.startswith(english) or (exc.context or "").startswith(english):
            return vietnamese
    return problem or "không đọc được"


# --- what an error in the layout means --------------------------------------------------
#
# PyYAML names the symptom ("mapping values are not allowed here"), which for
# a key indented one space too far is misleading: the key was read as the
# continuation of the value above it, and only its colon is out of place.
# The tokens read before the error say how the lines around it are laid out.


@functools.cache
def _schema_keys() -> frozenset[str]:
    """Every key the model declares: a known key without its colon is a missing colon."""
    keys = set()
    for cls in vars(model).values():
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            keys.update(f.metadata["key"] for f in model.schema_fields(cls))
    return frozenset(keys)


@dataclass
class _Mark:
    """A key or list item written in block layout."""

    line: int  # 0-based, as PyYAML's marks
    column: int
    kind: str  # "key" or "entry" ("- ")
    plain_value: bool = False  # a key whose value is plain text starting on its own line


def _layout(text: str) -> dict[int, list[_Mark]]:
    """Line → the keys and list items that start on it, read by PyYAML's
    scanner up to where it fails (flow [...] and {...} are skipped)."""
    found: dict[int, list[_Mark]] = {}
    depth = 0
    previous = None
    last_key: _Mark | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                depth += 1
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                depth = max(0, depth - 1)
            elif depth == 0:
                m = token.start_mark
                if isinstance(token, (yaml.KeyToken, yaml.BlockEntryToken)):
                    mark = _Mark(m.line, m.column, "key" if isinstance(token, yaml.KeyToken) else "entry")
                    found.setdefault(m.line, []).append(mark)
                    last_key = mark if mark.kind == "key" else last_key
                elif (isinstance(token, yaml.ScalarToken) and token.plain and isinstance(previous, yaml.ValueToken)
                      and last_key is not None and last_key.line == m.line):
                    last_key.plain_value = True
            previous = token
    except yaml.YAMLError:
        pass
    return found


def _enclosing(layout: dict[int, list[_Mark]], before: int) -> list[_Mark]:
    """The keys and items of the last laid-out line before line ``before``,
    then of each line above it that is indented less: what a line after
    them can line up with, innermost first."""
    lines = sorted(n for n in layout if n < before)
    if not lines:
        return []
    chain = sorted(layout[lines[-1]], key=lambda m: -m.column)
    current = min(m.column for m in chain)
    for n in reversed(lines[:-1]):
        lowest = min(m.column for m in layout[n])
        if lowest < current:
            chain += sorted(layout[n], key=lambda m: -m.column)
            current = lowest
    return chain


def _spaces(n: int) -> str:
    return f"{n} dấu cách"


def _layout_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint), 1-based, when the error is a line
    indented out of step with its neighbours; None otherwise."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.context_mark if context.startswith("while scanning a simple key") else exc.problem_mark
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return None
    at = mark.line
    row = lines[at]
    indent = len(row) - len(row.lstrip(" "))
    body = row[indent:]
    if not body or body.startswith("#"):
        return None
    layout = _layout(text)
    starts_here = any(m.column == indent for m in layout.get(at, []))
    keys_before = [m for n in sorted(layout) if n < at for m in layout[n] if m.kind == "key"]
    where = (at + 1, indent + 1)

    if problem.startswith("mapping values are not allowed here") and not starts_here and keys_before:
        # "  gio_cat:" one level too deep after "  loai: x": read as "x gio_cat", then ':'.
        name = row[indent:exc.problem_mark.column] if exc.problem_mark.line == at else ""
        if not re.fullmatch(r"[^\s'\"#]+", name):
            return None  # a sentence with a colon: the value needs quotes, as _PROBLEMS says
        sibling = keys_before[-1]
        return (*where, f"thụt lề không khớp: dòng này thụt {_spaces(indent)}, các khóa cùng cấp thụt {sibling.column}",
                f"các khóa cùng một khối phải thẳng cột (như dòng {sibling.line + 1}); thụt sâu hơn khiến dòng này "
                "bị đọc thành phần tiếp của giá trị ở dòng trên. Nếu đúng là phần tiếp (một câu có dấu ':'), "
                "đặt cả giá trị trong dấu nháy kép.")

    if not starts_here and not body.startswith("-") and keys_before:
        # A line of text that is not a key: the rest of the value above, not indented under its key?
        key = keys_before[-1]
        laid_out_since = any(n > key.line for n in layout if n < at)
        word = body.split()[0].rstrip(":")
        if problem.startswith("could not find expected ':'") and word in _schema_keys():
            return (*where, f"thiếu dấu hai chấm sau khóa '{word}'", f"viết '{word}: <giá trị>'.")
        if key.plain_value and not laid_out_since and indent <= key.column:
            name = lines[key.line][key.column:].split(":", 1)[0]
            return (*where, f"thụt lề không khớp: dòng này thụt {_spaces(indent)}, không sâu hơn khóa '{name}' "
                    f"ở dòng {key.line + 1} ({_spaces(key.column)}), nên không được đọc là phần tiếp của giá trị",
                    f"nếu đây là phần tiếp của giá trị, thụt sâu hơn khóa (ví dụ {_spaces(key.column + 2)}) hoặc "
                    f"nối vào dòng {key.line + 1}; nếu là một khóa mới, thêm dấu ':' sau tên khóa.")
        return None

    if not problem.startswith(("expected <block end>", "did not find expected key", "did not find expected '-' indicator")):
        return None
    # A key or list item whose indentation matches no enclosing level.
    entry = body == "-" or body.startswith("- ")
    chain = _enclosing(layout, at)
    kind = "entry" if entry else "key"
    columns = [m for m in chain if m.kind == kind]
    if not columns or any(m.column == indent for m in columns):
        return None
    # The nearest level; between two, the deeper (the block just written).
    sibling = min(columns, key=lambda m: (abs(m.column - indent), -m.column))
    what = "các mục cùng cấp của danh sách" if entry else "các khóa cùng cấp"
    hint = (f"{'các mục của một danh sách' if entry else 'các khóa cùng một khối'} phải thẳng cột, mỗi mức thụt thêm 2 dấu cách: "
            f"sửa dòng này (hoặc dòng {sibling.line + 1}) cho khớp.")
    if not entry and any(m.kind == "entry" and m.column == indent for m in chain):
        hint += " Nếu đây là một mục mới của danh sách, bắt đầu dòng bằng '- '."
    return (*where, f"thụt lề không khớp: dòng này thụt {_spaces(indent)}, {what} thụt {sibling.column}", hint)
