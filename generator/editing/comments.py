"""Editors' comments, kept through ``sotay fmt``.

Comments are kept.  Each '#' outside every scalar (as PyYAML's scanner
delimits them) is a comment; ruamel.yaml's round-trip loader, which keeps
comments, must find no other.  Because keys move, each comment is tied to the
entry (key or list item) it belongs to: a comment line to the entry that
follows it (or to the entry it sits inside, between a key and its text), an
end-of-line comment to the innermost entry its line starts, the opening block
to the top of the file, comments after the last entry to the end.  ruamel.yaml's
own attachment is not used for this: it ties a comment to the value before it,
which is wrong once keys move, and it loses some comments next to flow lists.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml import YAML
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class FormatError(Exception):
    """The file cannot be put in canonical layout safely; it is left as it is."""


def key_text(key_node: Node) -> str:
    if not isinstance(key_node, ScalarNode):
        raise FormatError(f"khóa ở dòng {key_node.start_mark.line + 1} không phải một chuỗi")
    return key_node.value


@dataclass(frozen=True)
class Comment:
    line: int  # 0-based
    column: int
    text: str  # from '#' to the end of the line, trailing spaces removed
    eol: bool  # after content on the same line


@dataclass(frozen=True)
class Entry:
    path: tuple
    line: int  # 0-based line where the key (or the list item) starts
    in_flow: bool
    last: int  # last line of its value when that is one piece (a text, a [list] or {block}), else ``line``


def _last_line(value: Node, line: int) -> int:
    whole = (isinstance(value, ScalarNode) and value.style not in ("|", ">")) or getattr(value, "flow_style", False)
    return max(line, value.end_mark.line) if whole else line


def entries(node: Node, path: tuple = (), in_flow: bool = False) -> list[Entry]:
    """Every key and list item, in document order (a parent before its children)."""
    found: list[Entry] = []
    if isinstance(node, MappingNode):
        flow = in_flow or bool(node.flow_style)
        for key_node, value in node.value:
            key = key_text(key_node)
            line = key_node.start_mark.line
            found.append(Entry(path + (key,), line, flow, _last_line(value, line)))
            found += entries(value, path + (key,), flow)
    elif isinstance(node, SequenceNode):
        flow = in_flow or bool(node.flow_style)
        for i, item in enumerate(node.value):
            line = item.start_mark.line
            found.append(Entry(path + (i,), line, flow, _last_line(item, line)))
            found += entries(item, path + (i,), flow)
    return found


def find_comments(text: str) -> list[Comment]:
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
    found: list[Comment] = []
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
        found.append(Comment(text.count("\n", 0, i), i - line_start, text[i:line_end].rstrip(),
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
class Placement:
    header: list[str] = field(default_factory=list)  # comment lines, "" for a blank line
    before: dict[tuple, list[str]] = field(default_factory=dict)
    eol: dict[tuple, list[str]] = field(default_factory=dict)
    end: list[str] = field(default_factory=list)


def place(comments: list[Comment], entries: list[Entry]) -> Placement:
    placed = Placement()
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


def insert_comments(text: str, placed: Placement) -> str:
    node = yaml.compose(text, Loader=_FAST)
    out_entries = entries(node) if node is not None else []
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
