"""Read a YAML file into a node tree that keeps line and column of every value.

Only the safe subset of YAML that content needs is accepted: no anchors or
aliases (they are never needed and allow "billion laughs" blow-ups), no tags,
no duplicate keys, UTF-8 only.  Values stay as YAML nodes; ``validate.py``
turns them into typed model objects against the schema.  Text typed in a
legacy Vietnamese encoding is recognised in ``legacyencoding.py``; a syntax
error is worded in ``yamlerrors.py``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the pure-Python parser alone
    CParser = None

from .errors import ErrorSink
from .files import read_content
from .legacyencoding import legacy_encoding
from .yamlerrors import syntax_error

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
        sink.add(display, *syntax_error(text, exc))
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
