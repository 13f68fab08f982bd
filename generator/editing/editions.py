"""Which editions a change affects, for ``sotay diff`` and the pull request.

A file in a province's folder (handbook/tinh/<id>/) changes that edition
only; any other content file (procedures/, the rest of handbook/) is
national and changes every edition.  The rule is
``content.provinces.affected_editions``; this module finds the files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.files import content_files
from ..content.provinces import NATIONAL, PROVINCES_DIR, affected_editions
from .versions import _git, default_base, resolve

CONTENT = ("procedures", "handbook")


def changed_paths(root: Path, base: str | None, head: str | None) -> list[str] | None:
    """Content files that differ between BASE (None: the merge base with
    main) and HEAD (None: the working tree, untracked files included);
    None when there is no base to compare with (every file is new)."""
    base_commit = default_base(root) if base is None else resolve(root, base)
    if base_commit is None:
        return None
    if head is None:
        out = _git(root, "diff", "--name-only", "-z", base_commit, "--", *CONTENT)
        out += _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *CONTENT)
    else:
        out = _git(root, "diff", "--name-only", "-z", base_commit, resolve(root, head), "--", *CONTENT)
    return sorted({p for p in out.decode("utf-8", "surrogateescape").split("\0") if p})


def provinces_in(root: Path) -> list[str]:
    return sorted({p.parent.name for p in content_files(root, PROVINCES_DIR, (".yml",), None)})


@dataclass(frozen=True)
class Affected:
    """The editions a change affects, and why: "no-base" (nothing to compare
    with: every edition), "none" (no content file changed), "national" (a
    national file changed: every edition), "province" (only these
    provinces' folders)."""

    editions: list[str]
    reason: str

    def to_json(self) -> dict:
        return {"affected": self.editions, "all": self.reason in ("no-base", "national"), "reason": self.reason}

    def markdown(self) -> str:
        """One Markdown line, the last of the pull request's summary."""
        head = "**Ấn bản bị ảnh hưởng:** "
        if self.reason == "no-base":
            return head + "mọi ấn bản (chưa có phiên bản gốc để so sánh)."
        if self.reason == "none":
            return head + "không có (không sửa nội dung)."
        if self.reason == "national":
            return head + f"mọi ấn bản ({', '.join(self.editions)}): có thay đổi nội dung quốc gia."
        return head + "chỉ " + ", ".join(f"`{p}`" for p in self.editions) + " (chỉ sửa tệp tỉnh)."


def affected(root: Path, base: str | None, head: str | None) -> Affected:
    paths = changed_paths(root, base, head)
    provinces = provinces_in(root)
    if paths is None:
        return Affected([NATIONAL, *provinces], "no-base")
    if not paths:
        return Affected([], "none")
    touched, national = affected_editions(paths, provinces)
    return Affected([NATIONAL, *provinces], "national") if national else Affected(touched, "province")
