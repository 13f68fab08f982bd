"""Where sotay may write: the one policy for every path a command writes to.

No command deletes or replaces what it did not make.  Every writer of a path
the user chooses (``sotay build --site-dir``, ``sotay export --zip``,
``sotay training pack --output``) asks this module first:

- A site folder replaces an existing folder only if that folder is empty or
  is a previous build of ours: every site we build carries the marker file
  ``.sotay-build``.  The default ``site/`` of a project built before the
  marker existed is recognised by its shape (``index.html`` with
  ``sitemap.xml`` or ``assets/``) and adopted.
- A file (zip, training pack HTML or PDF) is written under a fresh temporary
  name in the same folder, then renamed over the target.  An existing target
  is replaced only if it is a regular file that is recognisably ours (see the
  ``is_our_*`` functions); never a directory, a symbolic link, a device or a
  pipe.
- Nothing is written at ``/``, the home folder, a mount point (folders only),
  the project itself or any folder containing it, nor inside the project's
  own entries (``procedures/``, ``handbook/``, ``.git/``, …).  Symbolic links
  are resolved before comparing, so a link to ``procedures/`` is caught.

A refusal raises :class:`OutputRefused` with one Vietnamese line naming the
path and saying what to do; the CLI prints it with exit status 1.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..content.errors import os_cause

MARKER = ".sotay-build"
MARKER_TEXT = ("sotay-build: thư mục này do sotay dựng; lần dựng sau sẽ thay toàn bộ thư mục, "
               "đừng để tệp riêng ở đây.\n")
_MARKER_START = b"sotay-build:"

# The project's own top-level entries: nothing is written inside them, nor are
# they replaced.  Any other existing folder is protected by the marker rule.
PROJECT_ENTRIES = frozenset({
    "procedures", "handbook", "schema", "generator", "tests", "scripts", "benchmarks", "docs-dev",
    ".git", ".github", ".ci", ".vscode", ".venv", ".cache",
    "mkdocs.yml", "pyproject.toml", "Makefile", "README.md", "ARCHITECTURE.md", "CONTRIBUTING.md",
    ".gitignore", ".pre-commit-config.yaml",
})

EXPORT_README = "MO-TRANG-NAY.txt"
PACK_GENERATOR = b'<meta name="generator" content="sotay">'
_PACK_BODY = b'<body class="sotay-pack">'  # packs written before the generator tag
PACK_TITLE_ENDINGS = (" — Bản giảng viên", " — Bản học viên")
_MAX_SNIFF = 64 * 1024 * 1024

_KEEP_FILE = "chọn tên tệp khác, hoặc tự xóa tệp đó nếu chắc chắn không cần"


class OutputRefused(Exception):
    """sotay will not write there; the message (one Vietnamese line) names the path and says what to do."""


# --- site folders -----------------------------------------------------------------------------


def site_dir(root: Path, wanted: Path | None) -> Path:
    """The real path to build the site of ``root`` into (default ``site/``), or OutputRefused."""
    root = root.resolve()
    given = Path(os.path.abspath(wanted)) if wanted is not None else root / "site"
    real = given.resolve()
    shown = _shown(given, real)
    _refuse_protected(root, real, shown, "không dựng vào", folder=True)
    if os.path.ismount(real):
        raise OutputRefused(f"không dựng vào {shown}: đó là điểm gắn ổ đĩa (USB, ổ mạng…); "
                            f"chọn một thư mục con, ví dụ {real / 'so-tay'}.")
    if real == root / "site" and not is_our_site(real) and _looks_built(real):
        with contextlib.suppress(OSError):  # a build from before the marker: ours, adopt it
            with open(real / MARKER, "x", encoding="utf-8") as handle:
                handle.write(MARKER_TEXT)
    check_replaceable(real, shown)
    return real


def check_replaceable(target: Path, shown: str | None = None) -> None:
    """Refuse unless ``target`` is absent, an empty folder or a site we built."""
    shown = shown or str(target)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputRefused(f"không dựng vào {shown}: {_os_reason(exc)}.") from exc
    if not stat.S_ISDIR(mode):
        raise OutputRefused(f"không dựng vào {shown}: đó là một tệp, không phải thư mục; "
                            "chọn một thư mục trống hoặc chưa có.")
    if is_our_site(target):
        return
    try:
        with os.scandir(target) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        raise OutputRefused(f"không dựng vào {shown}: {_os_reason(exc)}.") from exc
    if not empty:
        raise OutputRefused(f"không dựng vào {shown}: thư mục đã có nội dung và không phải bản dựng của sotay "
                            f"(không có tệp {MARKER}); chọn một thư mục mới, ví dụ {target / 'so-tay'}, hoặc một "
                            "thư mục trống; nếu đó đúng là bản dựng cũ, tự xóa nó rồi dựng lại.")


def mark(site: Path) -> None:
    """Sign a site we built, so that the next build may replace it."""
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def is_our_site(folder: Path) -> bool:
    try:
        with open(folder / MARKER, "rb", opener=_no_follow) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return False
            return handle.read(len(_MARKER_START)) == _MARKER_START
    except OSError:
        return False


def _looks_built(folder: Path) -> bool:
    """An MkDocs site: its home page, with the sitemap or the theme's assets."""
    return (folder / "index.html").is_file() and ((folder / "sitemap.xml").is_file() or (folder / "assets").is_dir())


# --- files ------------------------------------------------------------------------------------


def output_file(root: Path, wanted: Path, ours: Callable[[Path], bool]) -> Path:
    """The real path to write a file at, or OutputRefused.  An existing file
    there is replaced only if it is a regular file and ``ours`` says we made it."""
    root = root.resolve()
    given = Path(os.path.abspath(wanted))
    real = given.parent.resolve() / given.name
    shown = _shown(given, real)
    _refuse_protected(root, real, shown, "không ghi", folder=False)
    try:
        mode = os.lstat(real).st_mode
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise OutputRefused(f"không ghi {shown}: {_os_reason(exc)}.") from exc
    if stat.S_ISLNK(mode):
        raise OutputRefused(f"không ghi {shown}: đó là một liên kết (symlink), không phải tệp thường; {_KEEP_FILE}.")
    if stat.S_ISDIR(mode):
        raise OutputRefused(f"không ghi {shown}: đó là một thư mục; chọn tên tệp khác.")
    if not stat.S_ISREG(mode):
        raise OutputRefused(f"không ghi {shown}: đó không phải tệp thường (thiết bị, ống dẫn…); chọn tên tệp khác.")
    if not ours(real):
        raise OutputRefused(f"không ghi {shown}: tệp đã có và không do sotay tạo ra; {_KEEP_FILE}.")
    return real


@contextlib.contextmanager
def writing(root: Path, wanted: Path, ours: Callable[[Path], bool]) -> Iterator[Path]:
    """A fresh temporary file beside the target to write into; when the block
    ends without error it is renamed over the target (checked again first),
    otherwise removed.  A reader never sees a half-written file."""
    target = output_file(root, wanted, ours)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputRefused(f"không tạo được thư mục {target.parent}: {_os_reason(exc)}.") from exc
    tmp = _fresh_beside(target)
    try:
        yield tmp
        output_file(root, target, ours)  # nothing has appeared there meanwhile
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputRefused(f"không ghi được {target}: {_os_reason(exc)}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _fresh_beside(target: Path) -> Path:
    """Create (O_EXCL) an empty temporary file next to ``target``, honouring the umask."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputRefused(f"không ghi được vào thư mục {target.parent}: {_os_reason(exc)}.") from exc
    raise OutputRefused(f"không tạo được tệp tạm trong {target.parent}.")


# --- what counts as ours ----------------------------------------------------------------------


def is_our_zip(path: Path) -> bool:
    """A zip from ``sotay export``: one top folder holding our MO-TRANG-NAY.txt."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    tops = {name.split("/", 1)[0] for name in names}
    return len(tops) == 1 and f"{tops.pop()}/{EXPORT_README}" in names


def is_our_pack_html(path: Path) -> bool:
    """A training pack from ``sotay training pack``: it carries our generator tag."""
    data = _head(path)
    return PACK_GENERATOR in data[:4096] or _PACK_BODY in data


def is_our_pack_pdf(path: Path) -> bool:
    """A PDF printed from a training pack: its title is the pack's (Chromium
    writes the page title into the PDF as UTF-16 hexadecimal)."""
    data = _head(path)
    if not data.startswith(b"%PDF-"):
        return False
    endings = "|".join(e.encode("utf-16-be").hex() for e in PACK_TITLE_ENDINGS)
    return re.search(rb"/Title\s*<FEFF(?:[0-9A-F]{4})*?(?:" + endings.encode() + rb")>", data, re.I) is not None


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb", opener=_no_follow) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return b""
            return handle.read(_MAX_SNIFF)
    except OSError:
        return b""


# --- shared -----------------------------------------------------------------------------------


def _refuse_protected(root: Path, real: Path, shown: str, verb: str, folder: bool) -> None:
    """Refuse ``/``, the home folder, the project, what contains it, and its own entries."""
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):
        home = None
    reason = None
    if real == Path(real.anchor):
        reason = "đó là thư mục gốc của hệ thống"
    elif real == home:
        reason = "đó là thư mục nhà của bạn"
    elif real == root:
        reason = "đó là thư mục dự án sổ tay"
    elif root.is_relative_to(real):
        reason = f"thư mục này chứa dự án sổ tay {root}"
    elif real.is_relative_to(root) and (top := real.relative_to(root).parts[0]) in PROJECT_ENTRIES:
        reason = f"đường dẫn thuộc nội dung của dự án ({top})"
    if reason:
        hint = (f"chọn một thư mục mới hoặc trống, ví dụ {root / 'site'} (mặc định) hoặc một thư mục ngoài dự án"
                if folder else "chọn nơi ghi khác, ví dụ ngoài thư mục dự án")
        raise OutputRefused(f"{verb} {shown}: {reason}; {hint}.")


def _shown(given: Path, real: Path) -> str:
    return str(given) if given == real else f"{given} (tức {real})"


def _no_follow(path, flags):
    return os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)


def _os_reason(exc: OSError) -> str:
    return os_cause(exc)
