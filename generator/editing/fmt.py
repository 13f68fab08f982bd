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

Comments are kept (``comments.py`` ties each to its entry and puts it back).

ruamel.yaml writes the canonical tree: its round-trip emitter takes the style
of each text (plain, quotes, ``>-`` with the fold points chosen here, ``|``),
indents lists under their key and never reflows on its own.

Nothing is written unless it loads back, with the project's own loader, to
the same model, the same texts (exactly, not only after trimming) and the
same comments; see ``format_files``.
"""

from __future__ import annotations

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

from .. import tempdirs
from ..content import model
from .comments import FormatError, entries, find_comments, insert_comments, key_text, place, ruamel_comments, scanned_comments
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


def _build(node: Node, tp: Any, prefix: int, indent: int) -> Any:
    """The value of ``node`` as ruamel.yaml should write it (types, styles, key order).

    ``indent`` is the column where the node's keys or dashes start if it is a block,
    and where its lines start if it is a folded text; ``prefix`` is how much of its
    first line comes before it."""
    tp = _applies(tp, node)
    if isinstance(node, MappingNode):
        out = CommentedMap()
        pairs = [(key_text(k), v) for k, v in node.value]
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
    found = entries(node)
    comments = find_comments(text)
    unseen = Counter(ruamel_comments(text)) - Counter(c.text for c in comments)
    if unseen:
        raise FormatError(f"không xác định được vị trí chú thích '{next(iter(unseen))[:40]}'")
    placed = place(comments, found)
    tree = _build(node, cls, 0, 0)
    body = _dump(tree)
    return unicodedata.normalize("NFC", insert_comments(body, placed)), _plain_data(tree)


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
        with tempdirs.temporary("sotay-fmt-") as tmp:
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
