"""Content errors: where, what and how to fix it, in Vietnamese.

One type carries every problem found in content so that the CLI, the MkDocs
plugin and the dev server report them the same way: ``path:line:column:
message`` followed by a hint.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    hint: str = ""
    warning: bool = False

    def format(self) -> str:
        prefix = "cảnh báo: " if self.warning else ""
        text = f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"
        if self.hint:
            text += f"\n    gợi ý: {self.hint}"
        return text


class ContentErrors(Exception):
    """Raised when content is invalid; carries every error found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))  # one problem met twice (two walks of one folder) is shown once
        super().__init__(self.report())

    def report(self) -> str:
        return "\n".join(e.format() for e in self.errors)


class ErrorSink:
    """Collects errors (and warnings) while loading, so one run reports many."""

    def __init__(self) -> None:
        self.items: list[ContentError] = []

    def add(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.items.append(ContentError(path, line, column, message, hint))

    def warn(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.items.append(ContentError(path, line, column, message, hint, warning=True))

    @property
    def errors(self) -> list[ContentError]:
        return [e for e in self.items if not e.warning]

    @property
    def warnings(self) -> list[ContentError]:
        return [e for e in self.items if e.warning]

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(self.errors)
