"""'Có gì mới': recent changes to procedures, from the git history of
procedures/.  Without git, or in a shallow clone, the page says what it can
and how to get the full history; it never fails the build."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..content.handbook import PROCEDURES_DIR

MAX_COMMITS = 60


@dataclass
class Change:
    date: str  # YYYY-MM-DD
    subject: str
    paths: list[str] = field(default_factory=list)


@dataclass
class History:
    changes: list[Change]
    complete: bool  # False: no git, or a shallow clone
    note: str = ""


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def history(root: Path, limit: int = MAX_COMMITS) -> History:
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return History([], False, "Bản dựng này không có lịch sử git nên không liệt kê được thay đổi.")
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    log = _git(root, "log", f"-{limit}", "--date=short", "--format=%x1e%ad%x1f%s", "--name-only", "--", PROCEDURES_DIR)
    changes: list[Change] = []
    for record in (log or "").split("\x1e"):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        date, _, subject = head.partition("\x1f")
        paths = [n.strip() for n in names.splitlines() if n.strip().endswith(".yml")]
        if paths:
            changes.append(Change(date.strip(), subject.strip(), paths))
    note = ("Bản dựng này từ một bản sao git rút gọn (shallow clone) nên chỉ có các thay đổi gần nhất; "
            "dựng từ bản sao đầy đủ (git fetch --unshallow) để xem hết.") if shallow else ""
    return History(changes, not shallow, note)
