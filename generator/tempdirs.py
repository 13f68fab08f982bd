"""sotay's temporary folders, and their removal however sotay stops.

Every temporary folder sotay makes is named ``<prefix><pid>-<random>`` (the
pid of the process that made it) and holds a marker file naming that pid.
Stopping sotay with Ctrl-C, SIGTERM or SIGHUP raises ``Stopped`` (see
``stop_on_signals``), so the code that made a folder removes it on the way
out.  A process killed outright (SIGKILL, power cut) cannot: the next run that
uses the same place sweeps it, once no process has that pid.  Only folders
that match the naming pattern exactly, belong to this user and hold a marker
with the same pid are ever removed, so nothing sotay did not make is touched;
the one exception (``sweep_unmarked``) is a folder of an earlier version,
which had no marker, recognised by its exact name and contents and left alone
for a day.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

MARKER = ".sotay-tam"
# The signals that stop sotay; build.py holds them back while it swaps folders.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _marker_text(pid: int) -> str:
    return f"sotay {pid}\n"


def make(parent: Path, prefix: str) -> Path:
    """A new empty folder (but for its marker) ``parent/<prefix><pid>-<random>``.

    Stop signals are held back until the marker is written: a stop at that
    moment (the folder has just appeared) removes it here, and a folder never
    exists without its marker, which would make it unrecognisable later."""
    path = None
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
            (path / MARKER).write_text(_marker_text(os.getpid()), encoding="ascii")
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a pending stop is raised here
    except BaseException:
        if path is not None:
            remove(path)
        raise
    return path


def remove(path: Path, pause: Callable[[], object] | None = None) -> None:
    """Remove one of our folders, its marker last: if this is cut short, what
    is left is still recognisably ours and the next sweep finishes the job.
    ``pause`` is called before each folder is emptied (sotay serve: it waits
    while a rebuild runs, so removing thousands of files never slows one)."""
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.name == MARKER:
            continue
        if not entry.is_dir(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
        elif pause is None:
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            _remove_tree(entry.path, pause)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path / MARKER)
    with contextlib.suppress(OSError):
        os.rmdir(path)


def _remove_tree(top: str, pause: Callable[[], object]) -> None:
    """``shutil.rmtree(top, ignore_errors=True)``, calling ``pause`` before each folder.
    A link to a folder is removed as a file, never followed."""
    stack = [(top, False)]  # (folder, its entries removed already)
    while stack:
        folder, emptied = stack.pop()
        if emptied:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
            continue
        pause()
        stack.append((folder, True))
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((entry.path, False))
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (when unsure: yes, so nothing is removed)."""
    if pid <= 0:
        return True  # 0 and below name process groups, never a pid we wrote
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # PermissionError: it exists, under another user
    return True


def _own_folders(parent: Path, pattern: re.Pattern):
    """(entry, regex match) for each folder in ``parent`` named by ``pattern``
    that belongs to this user (symlinks not followed); unreadable ones skipped."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            yield entry, match, info


def leftovers(parent: Path, prefix: str) -> list[Path]:
    """Our folders in ``parent`` made with ``prefix`` by processes that are gone."""
    found = []
    for entry, match, _ in _own_folders(parent, re.compile(re.escape(prefix) + r"([0-9]{1,10})-[a-z0-9_]+")):
        pid = int(match[1])
        try:
            marker = Path(entry.path) / MARKER
            if not stat.S_ISREG(os.lstat(marker).st_mode):
                continue
            with open(marker, "rb") as handle:
                if handle.read(64) != _marker_text(pid).encode():
                    continue
        except OSError:
            continue
        if pid != os.getpid() and not _alive(pid):
            found.append(Path(entry.path))
    return found


def sweep(parent: Path, prefix: str) -> None:
    """Remove what sotay processes that were killed left in ``parent``."""
    for path in leftovers(parent, prefix):
        remove(path)


# A folder with no marker can still be ours: made by an earlier version
# (tempfile's ``<prefix>XXXXXXXX``, no marker), or cut short between making the
# folder and writing its marker (a power cut).  Only one untouched for a day
# whose name and every entry are what its maker writes is removed.
UNMARKED_AGE = 24 * 3600  # seconds


def unmarked_leftovers(parent: Path, prefix: str, contents: re.Pattern) -> list[Path]:
    """Folders in ``parent`` named as ours with ``prefix`` (either naming),
    belonging to this user, without a marker, holding only entries whose
    names match ``contents``, nothing in them changed for ``UNMARKED_AGE``."""
    pattern = re.compile(re.escape(prefix) + r"(?:[a-z0-9_]{8}|[0-9]{1,10}-[a-z0-9_]+)")
    found = []
    for entry, _, info in _own_folders(parent, pattern):
        try:
            names = os.listdir(entry.path)
            if MARKER in names or not all(contents.fullmatch(name) for name in names):
                continue
            if _touched_since(Path(entry.path), info, time.time() - UNMARKED_AGE):
                continue
        except OSError:
            continue
        found.append(Path(entry.path))
    return found


def _touched_since(folder: Path, info: os.stat_result, since: float) -> bool:
    """Whether the folder or anything in it (symlinks not followed) changed after ``since``."""
    if info.st_mtime > since:  # (not ctime: any rename or chmod sets it)
        return True
    for base, dirs, files in os.walk(folder, onerror=_raise):
        for name in (*dirs, *files):
            st = os.lstat(os.path.join(base, name))
            if st.st_mtime > since:
                return True
    return False


def _raise(error: OSError) -> None:
    raise error


def sweep_unmarked(parent: Path, prefix: str, contents: re.Pattern) -> None:
    """Remove the folders ``unmarked_leftovers`` finds (symlinks in them removed, not followed)."""
    for path in unmarked_leftovers(parent, prefix, contents):
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def temporary(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A temporary folder (in the system's temporary directory unless
    ``parent``), removed on exit; earlier runs' leftovers are swept first."""
    parent = Path(parent or tempfile.gettempdir())
    sweep(parent, prefix)
    path = make(parent, prefix)
    try:
        yield path
    finally:
        remove(path)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind as for Ctrl-C, so temporary folders
    are removed and nothing is left half-replaced."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


def _raise_stopped(signum, frame) -> None:
    raise Stopped(signum)


def stop_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into ``Stopped`` in this process (the main
    thread), unless they are ignored (``nohup`` must keep working).  Ctrl-C
    already raises KeyboardInterrupt."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _raise_stopped)
