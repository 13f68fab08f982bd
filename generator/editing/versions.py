"""Procedure files as they were at a git revision, or as they are in the
working tree, read for comparison (``sotay diff``, the review-date reminder)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..content import model
from ..content.errors import ErrorSink
from ..content.files import read_content
from ..content.handbook import PROCEDURES_DIR, load_procedure_text, procedure_files
from ..content.yamlsource import MAX_FILE_BYTES


WORKTREE = None  # HEAD default: the files on disk


class GitError(Exception):
    """A git problem, explained in Vietnamese."""


def _git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=input, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("không tìm thấy chương trình git; hãy cài git.") from exc
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} thất bại")
    return done.stdout


def ok(root: Path, *args: str) -> str | None:
    try:
        return _git(root, *args).decode().strip() or None
    except GitError:
        return None


def ensure_repository(root: Path) -> None:
    if ok(root, "rev-parse", "--git-dir") is None:
        raise GitError(f"thư mục {root} không nằm trong một kho git; sotay diff so sánh các phiên bản trong git.")


def default_base(root: Path) -> str | None:
    """The merge base with main (or origin/main), else HEAD~1, else None: the
    empty tree, when the repository has no history to compare with."""
    for branch in ("main", "origin/main"):
        base = ok(root, "merge-base", "HEAD", branch)
        if base:
            return base
    return ok(root, "rev-parse", "--verify", "-q", "HEAD~1^{commit}")


def resolve(root: Path, ref: str) -> str:
    """The commit a revision names; a clear error if it names none."""
    commit = ok(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    if commit is None:
        raise GitError(f"không tìm thấy phiên bản '{ref}' trong git (tên nhánh, thẻ hoặc mã commit).")
    return commit


def files_at(root: Path, ref: str | None) -> dict[str, bytes]:
    """procedures/**/*.yml at a revision (None: the empty tree), paths
    relative to the handbook root, content as stored."""
    if ref is None:
        return {}
    listing = _git(root, "ls-tree", "-r", "-z", ref, "--", PROCEDURES_DIR)
    entries = []
    for record in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, path = record.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and path.endswith(".yml"):
            entries.append((path, sha))
    if not entries:
        return {}
    out = _git(root, "cat-file", "--batch", input="".join(f"{sha}\n" for _, sha in entries).encode())
    files: dict[str, bytes] = {}
    pos = 0
    for path, _ in entries:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        files[path] = out[header_end + 1: header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return files


def worktree_files(root: Path) -> dict[str, bytes]:
    """Procedure files of the working tree.  As in git's tree (``files_at``),
    only regular files count: a symlink, FIFO or device is not read, and
    ``sotay validate`` is where it is reported."""
    files = {}
    for p in procedure_files(root):
        rel = p.relative_to(root).as_posix()
        # Truncated past the limit: the loader then reports the file as too large.
        data = read_content(p, rel, ErrorSink(), MAX_FILE_BYTES, truncate=True)
        if data is not None:
            files[rel] = data
    return files


def load_version(data: bytes, path: str) -> tuple[model.Procedure | None, list[str]]:
    sink = ErrorSink()
    proc = load_procedure_text(data, path, sink)
    errors = [e.format().split("\n")[0] for e in sink.errors]
    return (None if errors else proc), errors
