"""The one canonical layout of a procedure file, written by ``sotay fmt``.

Layout (whatever the editor typed, the same content gives the same text):

* keys in the order the model declares them (``model.py``), at every level:
  channel, deadline, fee, dossier item, step, check item, question, note,
  legal reference, source, verification; keys the model does not know are
  kept after the known ones, in their original order;
* indentation of 2 spaces; every non-empty list in block style, its dashes
  indented under the key ("  - "); an empty list is ``[]``, an empty block
  ``{}``; an empty (null) value stays empty;
* a text is written plain when YAML 1.1 (PyYAML, the project's loader) and
  YAML 1.2 both read it back as that same text; otherwise in double quotes
  (single quotes when the text holds a double quote and no single quote), so
  "1.000001", "15:00", "yes", "2025-11-20" used as text stay quoted;
* a text that would push its line past 100 characters is folded (``>-``) at
  single spaces, each line within 100 characters where the words allow it;
  conditions (``chi_khi``) and keys are never folded, so error positions in a
  condition stay exact; a text with line breaks is a literal block (``|``);
* numbers and dates in number and date fields are plain (``so: 3``,
  ``ngay_ra_soat: 2025-11-20``);
* no blank lines, except one after the opening comment block when it had one;
  UTF-8, NFC, LF line ends, one final newline.

Comments are kept.  Each '#' outside every scalar (as PyYAML's scanner
delimits them) is a comment; ruamel.yaml's round-trip loader, which keeps
comments, must find no other.  Because keys move, each comment is tied to the
entry (key or list item) it belongs to: a comment line to the entry that
follows it (or to the entry it sits inside, between a key and its text), an
end-of-line comment to the innermost entry its line starts, the opening block
to the top of the file, comments after the last entry to the end.  ruamel.yaml's
own attachment is not used for this: it ties a comment to the value before it,
which is wrong once keys move, and it loses some comments next to flow lists.

ruamel.yaml writes the canonical tree: its round-trip emitter takes the style
of each text (plain, quotes, ``>-`` with the fold points chosen here, ``|``),
indents lists under their key and never reflows on its own.

Nothing is written unless it loads back, with the project's own loader, to
the same model, the same texts (exactly, not only after trimming) and the
same comments; see ``format_files``.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import datetime as dt
import io
import os
import re
import tempfile
import types
import typing
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter as _RuamelEmitter
from ruamel.yaml.nodes import ScalarNode as _RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..content import model
from ..content.errors import ContentError, ErrorSink
from ..content.handbook import PROCEDURES_DIR, _display, load_handbook
from ..content.validate import type_hints
from ..content.files import read_content
from ..content.yamlsource import MAX_FILE_BYTES, compose, decode_text

WIDTH = 100
_MIN_FOLD = 40  # never fold into lines narrower than this, however deep the nesting
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: for re-reading our own output
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BREAKS = "\n\r\x85\u2028\u2029"


class FormatError(Exception):
    """The file cannot be put in canonical layout safely; it is left as it is."""


# --- texts: plain, quoted or folded ----------------------------------------------------

_PY_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1, as the project's loader reads
_RT_RESOLVER = VersionedResolver(version=(1, 2))  # YAML 1.2, as ruamel.yaml reads


class _Analyzer(_RuamelEmitter):
    """ruamel.yaml's own judgement of which styles can carry a text, without a dumper."""

    serializer = types.SimpleNamespace(use_version=None)


_ANALYZER = _Analyzer(io.StringIO(), allow_unicode=True)


def _analysis(value: str) -> Any:
    return _ANALYZER.analyze_scalar(value)


def _plain_ok(value: str) -> bool:
    """Can ``value`` be written without quotes and still be read back as that text,
    by YAML 1.1 (yes/no/on/off, 1:30, 1_000 are not text there) and YAML 1.2?"""
    if not value or value != value.strip():
        return False
    a = _analysis(value)
    if a.multiline or not a.allow_block_plain:
        return False
    if _PY_RESOLVER.resolve(ScalarNode, value, (True, False)) != _STR:
        return False
    return _RT_RESOLVER.resolve(_RuamelScalarNode, value, (True, False)) == _STR


def _inline(value: str) -> Any:
    """A text on one line: plain when safe, else double quotes (single quotes when
    the text has a double quote and can be single-quoted)."""
    if _plain_ok(value):
        return str(value)
    if '"' in value and "'" not in value:
        a = _analysis(value)
        if a.allow_single_quoted and not a.multiline:
            return SingleQuotedScalarString(value)
    return DoubleQuotedScalarString(value)


def _rendered_width(obj: Any) -> int:
    text = str(obj)
    if isinstance(obj, DoubleQuotedScalarString):
        return len(text) + 2 + text.count('"') + text.count("\\")
    if isinstance(obj, SingleQuotedScalarString):
        return len(text) + 2 + text.count("'")
    return len(text)


def _foldable(value: str) -> bool:
    if not value or value != value.strip() or any(c in value for c in _BREAKS) or "\a" in value:
        return False
    a = _analysis(value)
    return a.allow_block


def fold_positions(value: str, avail: int) -> list[int]:
    """Indexes of the spaces where a folded (``>-``) text breaks, so that each line
    holds at most ``avail`` characters when the words allow it.  Only a single space
    between two non-space characters is a break: folding it back gives exactly one
    space, so the value does not change."""
    avail = max(avail, _MIN_FOLD)
    breaks = [i for i in range(1, len(value) - 1) if value[i] == " " and value[i - 1] != " " and value[i + 1] != " "]
    folds: list[int] = []
    start = 0  # where the current line starts
    last: int | None = None  # the furthest break that keeps the current line short enough
    for b in breaks:
        if b - start <= avail:
            last = b
            continue
        if last is not None:
            folds.append(last)
            start, last = last + 1, None
            if b - start <= avail:
                last = b
                continue
        folds.append(b)  # a run of text longer than a line: break right after it
        start = b + 1
    if len(value) - start > avail and last is not None:
        folds.append(last)
    return folds


def _literal_ok(value: str) -> bool:
    """A literal block (``|``) shows the text as it is; not for texts that start
    with a space or a line break, end with blank lines, or hold control characters."""
    if any(c in value for c in "\r\x85\u2028\u2029\a") or value[:1] in (" ", "\n") or value.endswith("\n\n"):
        return False
    if any(line != line.rstrip() for line in value.split("\n")):
        return False
    a = _analysis(value)
    return a.allow_block


def _text(value: str, prefix: int, indent: int, foldable: bool) -> Any:
    """How one text value is written: ``prefix`` is the length of its line before
    it, ``indent`` the indentation of its lines if it becomes a block."""
    if any(c in value for c in _BREAKS):
        return LiteralScalarString(value) if _literal_ok(value) else DoubleQuotedScalarString(value)
    one_line = _inline(value)
    if foldable and prefix + _rendered_width(one_line) > WIDTH and _foldable(value):
        folds = fold_positions(value, WIDTH - indent)
        if folds or indent + len(value) <= WIDTH:  # not for one long word (a link): that stays on its line
            folded = FoldedScalarString(value)
            folded.fold_pos = folds  # type: ignore[attr-defined]
            return folded
    return one_line


# --- the canonical tree ---------------------------------------------------------------


def _applies(tp: Any, node: Node) -> Any:
    """The declared type that applies to ``node``: optional unwrapped, and "text or
    object" resolved the way the validator does (a block of keys is the object)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) > 1:
            objects = [a for a in inner if dataclasses.is_dataclass(a)]
            texts = [a for a in inner if not dataclasses.is_dataclass(a)]
            return (objects if isinstance(node, MappingNode) and objects else texts or objects)[0]
        return inner[0] if inner else Any
    return tp


def _key_text(key_node: Node) -> str:
    if not isinstance(key_node, ScalarNode):
        raise FormatError(f"khóa ở dòng {key_node.start_mark.line + 1} không phải một chuỗi")
    return key_node.value


def _build(node: Node, tp: Any, prefix: int, indent: int) -> Any:
    """The value of ``node`` as ruamel.yaml should write it (types, styles, key order).

    ``indent`` is the column where the node's keys or dashes start if it is a block,
    and where its lines start if it is a folded text; ``prefix`` is how much of its
    first line comes before it."""
    tp = _applies(tp, node)
    if isinstance(node, MappingNode):
        out = CommentedMap()
        pairs = [(_key_text(k), v) for k, v in node.value]
        if dataclasses.is_dataclass(tp):
            hints = type_hints(tp)
            order = {f.metadata["key"]: i for i, f in enumerate(model.schema_fields(tp))}
            types_by_key = {f.metadata["key"]: hints[f.name] for f in model.schema_fields(tp)}
            # sorted() is stable: unknown keys keep their order, after the known ones.
            pairs.sort(key=lambda kv: order.get(kv[0], len(order)))
            for key, value in pairs:
                written = _inline(key)
                out[written] = _build(value, types_by_key.get(key, Any), indent + _rendered_width(written) + 2, indent + 2)
        else:
            value_tp = typing.get_args(tp)[1] if typing.get_origin(tp) is dict else Any
            for key, value in pairs:
                written = _inline(key)
                out[written] = _build(value, value_tp, indent + _rendered_width(written) + 2, indent + 2)
        return out
    if isinstance(node, SequenceNode):
        item_tp = typing.get_args(tp)[0] if typing.get_origin(tp) is list else Any
        out = CommentedSeq(_build(item, item_tp, indent + 2, indent + 2) for item in node.value)
        return out
    assert isinstance(node, ScalarNode)
    if node.tag == _NULL and node.style is None:
        return None
    if tp is int and node.tag == _INT and node.style is None:
        return int(node.value.replace("_", ""), 10)  # as validate._convert_int reads it
    if tp is dt.date and _DATE.fullmatch(node.value.strip()):
        return dt.date.fromisoformat(node.value.strip())  # as validate._convert_date reads it
    if node.tag == _STR:
        return _text(node.value, prefix, indent, foldable=tp is not model.Condition)
    # Not what the schema expects here (only in content that does not validate):
    # keep what YAML 1.1 reads.
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def _dump(tree: Any) -> str:
    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 1_000_000  # never wrap on its own: folding is decided in _text
    y.allow_unicode = True
    buf = io.StringIO()
    y.dump(tree, buf)
    return buf.getvalue()


def _plain_data(value: Any) -> Any:
    """The canonical tree as plain Python values (texts exact, not trimmed)."""
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


# --- comments -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Comment:
    line: int  # 0-based
    column: int
    text: str  # from '#' to the end of the line, trailing spaces removed
    eol: bool  # after content on the same line


@dataclass(frozen=True)
class _Entry:
    path: tuple
    line: int  # 0-based line where the key (or the list item) starts
    in_flow: bool
    last: int  # last line of its value when that is one piece (a text, a [list] or {block}), else ``line``


def _last_line(value: Node, line: int) -> int:
    whole = (isinstance(value, ScalarNode) and value.style not in ("|", ">")) or getattr(value, "flow_style", False)
    return max(line, value.end_mark.line) if whole else line


def _entries(node: Node, path: tuple = (), in_flow: bool = False) -> list[_Entry]:
    """Every key and list item, in document order (a parent before its children)."""
    found: list[_Entry] = []
    if isinstance(node, MappingNode):
        flow = in_flow or bool(node.flow_style)
        for key_node, value in node.value:
            key = _key_text(key_node)
            line = key_node.start_mark.line
            found.append(_Entry(path + (key,), line, flow, _last_line(value, line)))
            found += _entries(value, path + (key,), flow)
    elif isinstance(node, SequenceNode):
        flow = in_flow or bool(node.flow_style)
        for i, item in enumerate(node.value):
            line = item.start_mark.line
            found.append(_Entry(path + (i,), line, flow, _last_line(item, line)))
            found += _entries(item, path + (i,), flow)
    return found


def find_comments(text: str) -> list[_Comment]:
    """Every comment in ``text`` with its exact place: a '#' at the start of a line
    or after a space, outside every scalar as PyYAML's scanner delimits them (the
    line of a ``>-`` or ``|`` indicator is outside its text)."""
    try:
        tokens = list(yaml.scan(text, Loader=_FAST))
    except yaml.YAMLError:  # libyaml and PyYAML differ in a few corners: PyYAML is the loader
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    spans = []
    for token in tokens:
        if isinstance(token, yaml.ScalarToken):
            start = token.start_mark.index
            if token.style in ("|", ">"):  # a comment may follow the indicator: the text starts below
                newline = text.find("\n", start)
                start = newline if newline >= 0 else len(text)
            spans.append((start, token.end_mark.index))
    spans.sort()
    starts = [s for s, _ in spans]
    found: list[_Comment] = []
    resume = 0  # a '#' inside a comment is part of it
    for m in re.finditer("#", text):
        i = m.start()
        if i < resume or (i > 0 and text[i - 1] not in " \t\n"):
            continue
        k = bisect.bisect_right(starts, i) - 1
        if k >= 0 and spans[k][0] <= i < spans[k][1]:
            continue
        line_start = text.rfind("\n", 0, i) + 1
        line_end = text.find("\n", i)
        resume = line_end = line_end if line_end >= 0 else len(text)
        found.append(_Comment(text.count("\n", 0, i), i - line_start, text[i:line_end].rstrip(),
                              bool(text[line_start:i].strip())))
    return found


def scanned_comments(text: str) -> list[str]:
    """The comments of ``text``, as texts: what must be the same before and after fmt."""
    return [c.text for c in find_comments(text)]


def _tokens(x: Any):
    if x is None:
        return
    if isinstance(x, list):
        for item in x:
            yield from _tokens(item)
    else:
        yield x


def ruamel_comments(text: str) -> list[str]:
    """The comments ruamel.yaml's round-trip loader keeps, as texts.  A second
    opinion on ``find_comments``: fmt refuses a file in which ruamel.yaml sees a
    comment the scan does not.  (ruamel.yaml itself cannot be the source: it ties
    a comment to the value before it, so moving keys would misplace comments, and
    it drops comments between the items of a flow list or block.)"""
    try:
        data = YAML(typ="rt").load(text)
    except Exception as exc:  # ruamel.yaml is stricter than PyYAML in a few corners
        raise FormatError(f"ruamel.yaml không đọc được tệp: {exc}") from None
    seen: set[int] = set()
    found: list[str] = []

    def walk(value: Any) -> None:
        ca = getattr(value, "ca", None)
        if ca is not None:
            tokens = [*_tokens(ca.comment), *(t for item in ca.items.values() for t in _tokens(item)), *_tokens(ca.end)]
            for token in tokens:
                if id(token) not in seen and hasattr(token, "value"):
                    seen.add(id(token))
                    found.extend(line.strip() for line in token.value.split("\n") if line.strip())
        if isinstance(value, dict):
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)
        elif isinstance(getattr(value, "comment", None), str) and value.comment.strip():
            found.append(value.comment.strip())  # after a block scalar's '>' or '|'

    walk(data)
    return found


@dataclass
class _Placement:
    header: list[str] = field(default_factory=list)  # comment lines, "" for a blank line
    before: dict[tuple, list[str]] = field(default_factory=dict)
    eol: dict[tuple, list[str]] = field(default_factory=dict)
    end: list[str] = field(default_factory=list)


def _place(comments: list[_Comment], entries: list[_Entry]) -> _Placement:
    placed = _Placement()
    anchors = [e for e in entries if not e.in_flow]
    lines = [e.line for e in anchors]
    first_line = lines[0] if lines else None
    last_header = None
    for c in comments:
        if first_line is None or c.line < first_line:
            if last_header is not None and c.line > last_header + 1 and placed.header and placed.header[-1]:
                placed.header.append("")
            placed.header.append(c.text)
            last_header = c.line
            continue
        if c.eol:  # the innermost entry its line starts (or the one it continues)
            k = bisect.bisect_right(lines, c.line) - 1
            placed.eol.setdefault(anchors[k].path, []).append(c.text)
            continue
        k = bisect.bisect_left(lines, c.line) - 1
        if k >= 0 and anchors[k].last >= c.line:  # inside an entry (between its key and its text)
            placed.before.setdefault(anchors[k].path, []).append(c.text)
            continue
        k = bisect.bisect_right(lines, c.line)  # the entry the comment line precedes
        if k < len(anchors):
            placed.before.setdefault(anchors[k].path, []).append(c.text)
        else:
            placed.end.append(c.text)
    if last_header is not None and first_line is not None and first_line > last_header + 1:
        placed.header.append("")
    return placed


def _insert_comments(text: str, placed: _Placement) -> str:
    node = yaml.compose(text, Loader=_FAST)
    out_entries = _entries(node) if node is not None else []
    before: dict[int, list[str]] = {}
    eol: dict[int, list[str]] = {}
    for e in out_entries:
        before.setdefault(e.line, []).extend(placed.before.get(e.path, []))
        eol.setdefault(e.line, []).extend(placed.eol.get(e.path, []))
    missing = (set(placed.before) | set(placed.eol)) - {e.path for e in out_entries}
    if missing:
        raise FormatError("không tìm thấy chỗ đặt lại một chú thích")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    result = list(placed.header)
    for i, line in enumerate(lines):
        pre = before.get(i, [])
        post = eol.get(i, [])
        if len(post) > 1:  # one end-of-line comment per line; the others go above it
            pre, post = pre + post[1:], post[:1]
        indent = " " * (len(line) - len(line.lstrip(" ")))
        result += [indent + c for c in pre]
        result.append(line + ("  " + post[0] if post else ""))
    result += placed.end
    return "\n".join(result) + "\n"


# --- one text --------------------------------------------------------------------------


def format_text(text: str, cls: type = model.Procedure, display: str = "<tệp>") -> str:
    """The canonical layout of ``text`` (already read as NFC by ``read_text``).

    Raises FormatError when the text is not YAML the loader accepts.  This
    function does not check the result; ``format_files`` does, before writing."""
    return _format(text, cls, display)[0]


def _format(text: str, cls: type, display: str) -> tuple[str, Any]:
    """The formatted text, and the values it was made from (see canonical_data)."""
    text = unicodedata.normalize("NFC", text)
    sink = ErrorSink()
    node = compose(text, display, sink)
    if node is None or sink.errors:
        raise FormatError("; ".join(e.message for e in sink.errors) or "tệp rỗng")
    if not isinstance(node, MappingNode):
        raise FormatError("tệp cần một khối khóa: giá trị")
    entries = _entries(node)
    comments = find_comments(text)
    unseen = Counter(ruamel_comments(text)) - Counter(c.text for c in comments)
    if unseen:
        raise FormatError(f"không xác định được vị trí chú thích '{next(iter(unseen))[:40]}'")
    placed = _place(comments, entries)
    tree = _build(node, cls, 0, 0)
    body = _dump(tree)
    return unicodedata.normalize("NFC", _insert_comments(body, placed)), _plain_data(tree)


def canonical_data(text: str, cls: type = model.Procedure) -> Any:
    """The values of ``text`` as fmt sees them: texts exactly as written (not
    trimmed), numbers and dates as the loader reads them; keys in any order."""
    node = yaml.compose(unicodedata.normalize("NFC", text), Loader=_FAST)
    if node is None:
        raise FormatError("tệp rỗng")
    return _plain_data(_build(node, cls, 0, 0))


# --- files ---------------------------------------------------------------------------


@dataclass
class FileResult:
    """What fmt did (or would do) with one file."""

    path: Path
    display: str
    status: str  # "unchanged", "changed", "refused" (content errors), "failed" (cannot format safely), "skipped"
    errors: list[ContentError] = field(default_factory=list)
    message: str = ""
    text: str | None = None  # the formatted text, for "changed"
    source: str | None = None  # the text as it was, for "changed"

    def diff(self, limit: int = 60) -> list[str]:
        """What formatting changes, as a unified diff (lines without their
        newline), cut after ``limit`` lines with a line saying how many more."""
        return text_diff(self.display, self.source or "", self.text or "", limit)


def text_diff(display: str, before: str, after: str, limit: int = 60) -> list[str]:
    lines = [line.rstrip("\r\n") for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"{display} (hiện tại)", tofile=f"{display} (sau khi định dạng)", n=2)]
    if not lines:  # the same lines: the bytes differ (byte order mark, line endings, Unicode form)
        return [f"{display}: chỉ khác ở cách lưu tệp (dấu BOM, ký tự xuống dòng hoặc dạng Unicode của chữ có dấu)"]
    if len(lines) > limit:
        rest = len(lines) - limit
        lines = lines[:limit] + [f"… còn {rest} dòng khác biệt nữa; xem toàn bộ bằng cách chạy sotay fmt {display} "
                                 "rồi git diff"]
    return lines


def _same_model(a: model.Procedure, b: model.Procedure) -> bool:
    """Equal as data: dataclass equality compares fields only, so where things were
    written (_locs, a condition's line and column) is ignored; so is the path."""
    return dataclasses.replace(b, path=a.path) == a


def _load_models(root: Path, paths: list[Path]) -> dict[Path, tuple[model.Procedure | None, list[ContentError]]]:
    """Load each file with the project's loader (load_handbook), as `sotay validate`
    would; files with the same name go in separate rounds so none hides another."""
    rounds: list[list[Path]] = []
    for p in paths:
        for r in rounds:
            if all(q.stem != p.stem for q in r):
                r.append(p)
                break
        else:
            rounds.append([p])
    result: dict[Path, tuple[model.Procedure | None, list[ContentError]]] = {}
    for r in rounds:
        hb, sink = load_handbook(root, only=r)
        for p in r:
            display = _display(p, root)
            errors = [e for e in sink.errors if e.path == display]
            proc = hb.procedures.get(p.stem)
            result[p] = (proc if proc is not None and proc.path == display else None, errors)
    return result


def _write(path: Path, text: str) -> None:
    """Replace the file in one step (a temporary file next to it, then rename)."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".fmt-tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with __import__("contextlib").suppress(OSError):
            os.unlink(tmp)
        raise


def is_procedure_file(root: Path, path: Path) -> bool:
    try:
        rel = path.resolve().relative_to((root / PROCEDURES_DIR).resolve())
    except ValueError:
        return False
    return path.suffix == ".yml" and len(rel.parts) >= 2


def format_files(root: Path, paths: list[Path], *, write: bool) -> list[FileResult]:
    """Format procedure files in place (``write``) or only say which would change.

    A file with content errors is refused untouched.  A formatted text is
    written only if, loaded back with the project's loader, it gives the same
    model, the same exact texts and the same comments; otherwise the file is
    left as it is and the result says why."""
    root = root.resolve()
    results: dict[Path, FileResult] = {}
    wanted = []
    for p in paths:
        display = _display(p, root)
        if not is_procedure_file(root, p):
            results[p] = FileResult(p, display, "skipped", message="không phải tệp thủ tục trong procedures/")
        else:
            wanted.append(p)
    originals = _load_models(root, wanted) if wanted else {}
    candidates: dict[Path, tuple[str, str, Any]] = {}
    for p in wanted:
        display = _display(p, root)
        proc, errors = originals[p]
        if errors or proc is None:
            results[p] = FileResult(p, display, "refused", errors=errors)
            continue
        try:
            raw = read_content(p, display, ErrorSink(), MAX_FILE_BYTES)
            text = decode_text(raw, display, ErrorSink()) if raw is not None else None
            if text is None:
                raise FormatError("không đọc được tệp")
            formatted, values = _format(text, model.Procedure, display)
        except FormatError as exc:
            results[p] = FileResult(p, display, "failed", message=str(exc))
            continue
        except Exception as exc:  # never crash on one file: report it and go on
            results[p] = FileResult(p, display, "failed", message=f"lỗi không mong muốn: {exc!r}")
            continue
        if formatted.encode("utf-8") == raw:
            results[p] = FileResult(p, display, "unchanged")
        else:
            candidates[p] = (text, formatted, values)

    if candidates:
        with tempfile.TemporaryDirectory(prefix="sotay-fmt-") as tmp:
            copies: dict[Path, Path] = {}
            for i, (p, (_, formatted, _)) in enumerate(candidates.items()):
                copy = Path(tmp) / str(i) / p.parent.name / p.name
                copy.parent.mkdir(parents=True)
                copy.write_text(formatted, encoding="utf-8", newline="\n")
                copies[p] = copy
            reloaded = _load_models(root, list(copies.values()))
            for p, (text, formatted, values) in candidates.items():
                display = _display(p, root)
                problem = _check(text, values, formatted, originals[p][0], reloaded[copies[p]])
                if problem:
                    results[p] = FileResult(p, display, "failed", message=problem)
                    continue
                if write:
                    _write(p, formatted)
                results[p] = FileResult(p, display, "changed", text=formatted, source=text)
    return [results[p] for p in paths]


def _check(source: str, values: Any, formatted: str, original: model.Procedure,
           reloaded: tuple[model.Procedure | None, list[ContentError]]) -> str:
    """Why the formatted text must not be written, or "" if it is safe."""
    proc, errors = reloaded
    if errors or proc is None:
        first = errors[0].message if errors else "không nạp được"
        return f"kết quả định dạng không nạp lại được ({first}); đây là lỗi của sotay fmt"
    if not _same_model(original, proc):
        return "kết quả định dạng nạp lại cho nội dung khác bản gốc; đây là lỗi của sotay fmt"
    try:
        if values != canonical_data(formatted):
            return "kết quả định dạng đổi một giá trị (khoảng trắng, dấu nháy…); đây là lỗi của sotay fmt"
        if Counter(scanned_comments(source)) != Counter(scanned_comments(formatted)):
            return "kết quả định dạng làm mất hoặc đổi một chú thích; đây là lỗi của sotay fmt"
    except (FormatError, yaml.YAMLError, UnicodeDecodeError) as exc:
        return f"không kiểm tra được kết quả định dạng: {exc}"
    return ""
