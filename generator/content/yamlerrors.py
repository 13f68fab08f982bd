"""A YAML syntax error in Vietnamese words, at the place an editor must fix.

PyYAML's messages are translated (``_PROBLEMS``); where the error is a line
indented out of step with its neighbours, the message says so and names the
line it should line up with.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

import yaml

from . import model


def syntax_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str, str]:
    """(line, column, message, hint), 1-based, for a file that does not parse."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = "lỗi cú pháp YAML: " + _translate(exc)
    hint = "kiểm tra thụt lề, dấu hai chấm sau khóa và các dấu nháy, ngoặc đã đóng đủ chưa."
    layout = _layout_problem(text, exc)
    if layout is not None:
        line, col, problem, hint = layout
        message = "lỗi cú pháp YAML: " + problem
    return line, col, message, hint


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
