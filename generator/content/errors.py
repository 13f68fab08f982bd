"""Content errors: where, what and how to fix it, in Vietnamese.

One type carries every problem found in content so that the CLI, the MkDocs
plugin and the dev server report them the same way: ``path:line:column:
message`` followed by a hint.  Operating-system errors (permission denied,
disk full…) are worded here too, in one sentence naming the path.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    hint: str = ""
    warning: bool = False  # not an error: the content is valid
    # A warning that says only what a check could not do (a proof cut short),
    # never something wrong in the content: ``--strict`` keeps it a note.
    note: bool = False

    def format(self) -> str:
        prefix = "lưu ý: " if self.note else "cảnh báo: " if self.warning else ""
        text = f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"
        if self.hint:
            text += f"\n    gợi ý: {self.hint}"
        return text


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in a message, cut short: a value may be half a megabyte."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ContentErrors(Exception):
    """Raised when content is invalid; carries every error found."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))  # one problem met twice (two walks of one folder) is shown once
        super().__init__(self.report())

    def report(self) -> str:
        return "\n".join(e.format() for e in self.errors)


# A file can hold tens of thousands of mistakes (half a megabyte of unknown
# keys): past this many errors, or warnings, in one file the rest are counted
# but not kept, and checks skip the work of their hints (``full``).
MAX_ERRORS_PER_FILE = 200


class ErrorSink:
    """Collects errors (and warnings) while loading, so one run reports many."""

    def __init__(self) -> None:
        self.items: list[ContentError] = []
        self._counts: dict[tuple[str, bool], int] = {}

    def add(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self._keep(ContentError(path, line, column, message, hint))

    def warn(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self._keep(ContentError(path, line, column, message, hint, warning=True))

    def note(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        """Something the editor should know that is not a problem of the content."""
        self._keep(ContentError(path, line, column, message, hint, warning=True, note=True))

    def _keep(self, item: ContentError) -> None:
        key = (item.path, item.warning)
        n = self._counts[key] = self._counts.get(key, 0) + 1
        if n <= MAX_ERRORS_PER_FILE:
            self.items.append(item)
        elif n == MAX_ERRORS_PER_FILE + 1:  # said once, where the first one left out is
            what = "cảnh báo" if item.warning else "lỗi"
            self.items.append(ContentError(
                item.path, item.line, item.column,
                f"quá nhiều {what} trong tệp: chỉ báo {MAX_ERRORS_PER_FILE} {what} đầu tiên",
                f"sửa các {what} đã báo rồi chạy lại sotay validate để xem phần còn lại.", item.warning))

    def full(self, path: str) -> bool:
        """True once ``path`` has as many errors as are reported: a check may
        skip working out a hint nobody will see."""
        return self._counts.get((path, False), 0) >= MAX_ERRORS_PER_FILE

    @property
    def errors(self) -> list[ContentError]:
        return [e for e in self.items if not e.warning]

    @property
    def warnings(self) -> list[ContentError]:
        return [e for e in self.items if e.warning and not e.note]

    @property
    def notes(self) -> list[ContentError]:
        return [e for e in self.items if e.note]

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(self.errors)


# --- operating-system errors ----------------------------------------------------

# errno → what it means, in words an editor understands.  The system's own
# (English) text follows in brackets, for searching the web or asking for help.
_CAUSES = {
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép",
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.EEXIST: "đã có một tệp hoặc thư mục cùng tên",
    errno.ENOTEMPTY: "thư mục không rỗng",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã dùng hết dung lượng được cấp trên ổ đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc, không ghi được",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.ELOOP: "liên kết tượng trưng (symlink) vòng quanh hoặc quá nhiều tầng",
    errno.EBUSY: "đang bị chương trình khác sử dụng",
    errno.ETXTBSY: "đang bị chương trình khác sử dụng",
    errno.EIO: "lỗi đọc/ghi của thiết bị lưu trữ",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "hệ thống mở quá nhiều tệp cùng lúc",
    errno.EXDEV: "không chuyển được giữa hai ổ đĩa khác nhau",
    errno.ENXIO: "không phải tệp đọc được (thiết bị hoặc socket)",
    errno.EFBIG: "tệp quá lớn",
}


def os_cause(exc: OSError) -> str:
    """Why an operating-system call failed, in Vietnamese, with the system's words in brackets."""
    words = _CAUSES.get(exc.errno) if exc.errno is not None else None
    system = exc.strerror or str(exc)
    return f"{words} ({system})" if words else system


def os_error_message(exc: OSError) -> str:
    """One sentence for an OSError that reached the command line: the path and the cause."""
    where = os.fsdecode(exc.filename) if exc.filename is not None else ""
    if exc.filename2 is not None:
        where += f" → {os.fsdecode(exc.filename2)}"
    return f"Lỗi: {where}: {os_cause(exc)}." if where else f"Lỗi hệ thống: {os_cause(exc)}."
