"""Content is regular files inside the project, and nothing else.

Everything the handbook is made of (procedures, registries, training
sessions, hand-written pages, forms, stylesheets, images) is a regular file
in the project's folders.  Anything else found there is refused with an
error at its path, without being followed or opened: a symlink can publish a
file from outside the project (a link to /proc/self/environ puts the
environment into a page) or make the build walk the whole file system (a
link to /); a FIFO blocks its reader forever; a device never ends.  A size
limit applies before a file is read, from the open file's own metadata.

``read_content`` is the one way content bytes are read; ``content_files``
the one way content folders are walked.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import ContentError, ErrorSink, os_cause

_KINDS = (
    (stat.S_ISFIFO, "ống dẫn có tên (FIFO)"),
    (stat.S_ISCHR, "thiết bị (character device)"),
    (stat.S_ISBLK, "thiết bị (block device)"),
    (stat.S_ISSOCK, "socket"),
)
_REGULAR_ONLY = "nội dung phải là tệp thường trong thư mục dự án"


def _refusal(mode: int) -> tuple[str, str] | None:
    """(message, hint) when an entry with this mode is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return (f"đây là liên kết tượng trưng (symlink); {_REGULAR_ONLY}",
                "chép chính tệp (hoặc thư mục) vào đây thay cho liên kết, hoặc xóa liên kết; sotay không đi theo "
                "liên kết, để tệp ngoài dự án không bị đăng lên trang.")
    if stat.S_ISDIR(mode):
        return (f"đây là thư mục, không phải tệp thường; {_REGULAR_ONLY}",
                "đổi tên thư mục (bỏ phần đuôi như .yml, .md), hoặc thay nó bằng một tệp.")
    kind = next((name for test, name in _KINDS if test(mode)), "mục đặc biệt")
    return (f"đây là {kind}, không phải tệp thường; {_REGULAR_ONLY}",
            f"xóa {kind} này khỏi thư mục nội dung; sotay không mở nó, vì đọc nó có thể treo lệnh hoặc không bao giờ hết.")


def _report(sink: ErrorSink | None, display: str, message: str, hint: str) -> None:
    """Add an error located at the start of ``display``, once: the same entry
    is met by more than one walk (the whole handbook/ folder, then its forms)."""
    if sink is not None and ContentError(display, 1, 1, message, hint) not in sink.items:
        sink.add(display, 1, 1, message, hint)


def located(path: Path, folders: dict | None = None) -> Path:
    """``path`` made absolute with its folders resolved, but not its last
    component: a symlink stays where it is instead of becoming its target.
    ``folders`` (one call over many files): each folder resolved once."""
    parent, name = os.path.split(os.path.abspath(path))  # strings: a whole catalogue goes through here
    if not name:
        return Path(parent).resolve()
    if folders is None:
        return Path(parent).resolve() / name
    if parent not in folders:
        folders[parent] = Path(parent).resolve()
    return folders[parent] / name


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root, as errors show it (see ``located``)."""
    try:
        return located(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_content(path: Path, display: str, sink: ErrorSink, limit: int, *, truncate: bool = False) -> bytes | None:
    """The bytes of the content file at ``path``, or None with the reason in ``sink``.

    Only a regular file is opened (never a symlink, FIFO or device), and one
    over ``limit`` bytes is refused before it is read; no more than
    ``limit + 1`` bytes are ever read, even from a file that grows meanwhile.
    With ``truncate``, a file over the limit gives its first ``limit + 1``
    bytes instead, for a caller that reports the size itself."""
    too_big = ("tệp quá lớn ({} KB, tối đa {} KB)".format, "tách nội dung hoặc rút gọn; một thủ tục không cần dài như vậy.")
    try:
        refused = _refusal(os.lstat(path).st_mode)
        if refused:
            sink.add(display, 1, 1, *refused)
            return None
        # O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a symlink or a
        # FIFO since lstat, the open fails or returns at once instead of blocking.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # became a symlink after lstat
            sink.add(display, 1, 1, *_refusal(stat.S_IFLNK))
        else:
            sink.add(display, 1, 1, f"không đọc được tệp: {os_cause(exc)}")
        return None
    try:
        info = os.fstat(fd)
        refused = _refusal(info.st_mode)
        if refused:
            sink.add(display, 1, 1, *refused)
            return None
        if info.st_size > limit and not truncate:
            sink.add(display, 1, 1, too_big[0](info.st_size // 1024, limit // 1024), too_big[1])
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit and not truncate:
            sink.add(display, 1, 1, too_big[0](size // 1024, limit // 1024) + " và đang lớn thêm", too_big[1])
            return None
        return b"".join(chunks)
    except OSError as exc:
        sink.add(display, 1, 1, f"không đọc được tệp: {os_cause(exc)}")
        return None
    finally:
        os.close(fd)


def content_files(root: Path, folder: str | Path, suffixes: tuple[str, ...] | None = None,
                  sink: ErrorSink | None = None, *, recursive: bool = True) -> list[Path]:
    """The regular files under ``root / folder`` whose names end with one of
    ``suffixes`` (any name when None), sorted.

    Symlinks are never followed.  Every entry that is not a regular file or a
    folder (a symlink, FIFO, device or socket, whatever its name), a folder
    named like a content file, and a folder that cannot be read are errors
    in ``sink``, located at their path; with no sink they are only left out.
    A ``folder`` that does not exist has no files; one that is not a folder
    is an error."""
    top = root / folder

    def report(path: Path, message: str, hint: str = "") -> None:
        _report(sink, display_path(path, root), message, hint)

    try:
        mode = os.lstat(top).st_mode
    except FileNotFoundError:
        return []
    except OSError as exc:
        report(top, f"không đọc được thư mục: {os_cause(exc)}")
        return []
    if stat.S_ISLNK(mode):
        report(top, *_refusal(mode))
        return []
    if not stat.S_ISDIR(mode):
        report(top, "đây là tệp, không phải thư mục; nơi này phải là thư mục chứa nội dung",
               "đổi tên tệp này hoặc chuyển nó đi, rồi tạo thư mục cùng tên.")
        return []
    found: list[Path] = []
    stack = [top]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError as exc:
            report(here, f"không đọc được thư mục: {os_cause(exc)}",
                   "cấp quyền đọc thư mục cho người chạy lệnh (chmod a+rx), hoặc chuyển nội dung ra khỏi đó; "
                   "nếu bỏ qua, trang sẽ thiếu các tệp trong thư mục này.")
            continue
        for entry in entries:
            path = here / entry.name
            try:
                # The folder listing's own file type: no system call for the usual files and folders.
                if entry.is_file(follow_symlinks=False):
                    mode = stat.S_IFREG
                elif entry.is_dir(follow_symlinks=False):
                    mode = stat.S_IFDIR
                else:
                    mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                report(path, f"không đọc được: {os_cause(exc)}")
                continue
            wanted = suffixes is None or entry.name.endswith(suffixes)
            if stat.S_ISREG(mode):
                if wanted:
                    found.append(path)
            elif stat.S_ISDIR(mode):
                if suffixes is not None and wanted:
                    report(path, *_refusal(mode))
                elif recursive:
                    stack.append(path)
            else:
                report(path, *_refusal(mode))
    return sorted(found)
