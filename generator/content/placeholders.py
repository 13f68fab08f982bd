"""Wording that adapts to the edition: a fixed set of placeholders.

A procedure's text, a training session's or a hand-written page may write ``{{noi_tiep_nhan}}``
(two braces, a name, two braces, no spaces) where the wording differs by
province; each edition replaces it by plain text (``provinces.py`` says
which).  This is not a template language: there is no expression, no
filter, no evaluation, only the names in ``NAMES``.  Anything else between
braces (``{{ 7*7 }}``, with spaces or symbols) stays text as before; a name
written the placeholder way but not in ``NAMES`` is a located error.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import model
from .errors import ErrorSink
from .located import item_location, location

PATTERN = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")

# name → (what it stands for, the national edition's neutral wording)
NAMES = {
    "noi_tiep_nhan": ("nơi tiếp nhận và trả kết quả hồ sơ ở xã, phường (don_vi_tiep_nhan → ten của tệp tỉnh)",
                      "Bộ phận Một cửa cấp xã"),
    "tinh": ("tên tỉnh, thành phố (ten của tệp tỉnh)", "mỗi tỉnh, thành phố"),
    "gio_lam_viec": ("giờ làm việc của nơi tiếp nhận (gio_lam_viec của tệp tỉnh)",
                     "giờ làm việc do Ủy ban nhân dân tỉnh, thành phố công bố"),
}

# Placeholders in hand-written pages are not filled inside code: a fenced
# block or a code span shows them as written (the editors' own documentation).
_PAGE = re.compile(r"(?ms)^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=fence)[ \t]*$|`[^`\n]+`|" + PATTERN.pattern)

# Text types a placeholder may be written in (not links, times, conditions, file paths).
_TEXT_TYPES = (str, model.Inline)


@dataclass(frozen=True)
class Use:
    """One placeholder written in the content, where it was written."""

    name: str
    path: str
    line: int
    column: int


def unknown_hint(name: str) -> str:
    import difflib
    close = difflib.get_close_matches(name, list(NAMES), n=1, cutoff=0.6)
    known = ", ".join("{{" + n + "}}" for n in NAMES)
    return (f"có phải ý bạn là '{{{{{close[0]}}}}}'? " if close else "") + f"chỉ dùng được: {known}."


def _texts(obj: Any, owner: Any = None, attr: str | None = None, index: int | None = None) -> Iterator[tuple]:
    """(text, owner object, attribute, list index) of every text in ``obj``
    that may hold a placeholder."""
    if isinstance(obj, str):
        if type(obj) in _TEXT_TYPES and "{{" in obj:
            yield obj, owner, attr, index
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if not f.metadata.get("internal"):
                yield from _texts(getattr(obj, f.name), obj, f.name, None)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _texts(item, owner, attr, i)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _texts(item, owner, attr, None)


def content_uses(obj: model.Procedure | model.Session, sink: ErrorSink) -> list[Use]:
    """The placeholders a procedure or a training session writes, each at
    the text it is in; an unknown name goes into ``sink``."""
    uses = []
    for text, owner, attr, index in _texts(obj):
        line, col = item_location(owner, attr, index) if index is not None else location(owner, attr)
        for m in PATTERN.finditer(text):
            if m.group(1) in NAMES:
                uses.append(Use(m.group(1), obj.path, line, col))
            else:
                sink.add(obj.path, line, col, f"không có chỗ điền '{m.group(0)}'", unknown_hint(m.group(1)))
    return uses


def page_uses(text: str, display: str, sink: ErrorSink) -> list[Use]:
    """The placeholders of a hand-written page (outside code), at their line
    and column; an unknown name goes into ``sink``."""
    uses = []
    for m in _PAGE.finditer(text):
        name = m.group(2)
        if name is None:
            continue
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        if name in NAMES:
            uses.append(Use(name, display, line, col))
        else:
            sink.add(display, line, col, f"không có chỗ điền '{m.group(0)}'", unknown_hint(name))
    return uses


def fill_text(text: str, values: dict[str, str]) -> str:
    return PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def fill_page(text: str, values: dict[str, str]) -> str:
    """A hand-written page's Markdown with its placeholders filled (not in code)."""
    return _PAGE.sub(lambda m: values.get(m.group(2), m.group(0)) if m.group(2) else m.group(0), text)


def fill(obj: Any, values: dict[str, str]) -> Any:
    """``obj`` with its placeholders filled: the same object when nothing
    changes, else a copy (shallow, so positions on objects and lists are
    kept), never the original changed: sotay serve keeps loaded procedures
    between builds, and another edition may be built from them."""
    if isinstance(obj, str):
        if type(obj) in _TEXT_TYPES and "{{" in obj:
            new = fill_text(obj, values)
            return obj if new == obj else type(obj)(new)
        return obj
    if dataclasses.is_dataclass(obj):
        changed = {}
        for f in dataclasses.fields(obj):
            if f.metadata.get("internal"):
                continue
            value = getattr(obj, f.name)
            new = fill(value, values)
            if new is not value:
                changed[f.name] = new
        if not changed:
            return obj
        result = copy.copy(obj)
        for name, value in changed.items():
            setattr(result, name, value)
        result.__dict__.pop(model.DERIVED, None)  # worked out from the unfilled text: not the copy's
        return result
    if isinstance(obj, list):
        items = [fill(item, values) for item in obj]
        if all(a is b for a, b in zip(items, obj)):
            return obj
        result = copy.copy(obj)
        result[:] = items
        return result
    if isinstance(obj, dict):
        items = {k: fill(v, values) for k, v in obj.items()}
        if all(items[k] is v for k, v in obj.items()):
            return obj
        result = copy.copy(obj)
        result.update(items)
        return result
    return obj
