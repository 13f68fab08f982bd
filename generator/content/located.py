"""Where things were written: positions kept on model objects, and the
context errors are recorded in while a file is converted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node

from .errors import ErrorSink


@dataclass
class Reference:
    """A value that must exist in a registry, checked once all are loaded."""

    kind: str
    value: str
    path: str
    line: int
    column: int


@dataclass
class Context:
    path: str
    sink: ErrorSink
    references: list[Reference] = field(default_factory=list)

    def error(self, node: Node, message: str, hint: str = "") -> None:
        m = node.start_mark
        self.sink.add(self.path, m.line + 1, m.column + 1, message, hint)


def location(obj: Any, attr: str | None = None) -> tuple[int, int]:
    """Line and column (1-based) where ``obj`` or its ``attr`` was written."""
    locs = getattr(obj, "_locs", {})
    return locs.get(attr, locs.get(None, (1, 1)))


class ItemList(list):
    """A list read from YAML that remembers where each item was written.

    Slotted (no dict per list) and its positions a tuple of int pairs, which
    Python's cycle collector stops tracking: a 5,000-procedure handbook holds
    ~150,000 of these lists, and sotay serve keeps them between rebuilds,
    where every full collection walks each tracked object.  A list made
    elsewhere has no positions: read them with getattr (item_location)."""

    __slots__ = ("positions",)
    positions: tuple[tuple[int, int], ...]


def item_location(obj: Any, attr: str, index: int) -> tuple[int, int]:
    """Line and column of item ``index`` of the list ``obj.attr``."""
    positions = getattr(getattr(obj, attr), "positions", ())
    return positions[index] if index < len(positions) else location(obj, attr)
