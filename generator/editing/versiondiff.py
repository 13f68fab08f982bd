"""``sotay diff``: what changed between two versions of the handbook, file by file.

Each procedure file is read as it was at BASE (``git show``) and as it is at
HEAD (another revision, or the working tree) and loaded into the typed model;
a file is added, removed, broken (it does not load on one side) or changed,
and a changed one gets its field-by-field changes from ``semdiff.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content import model
from ..content.versions import on, timeline
from ..content.wording import date_vi, deadline_text
from .review import review_warnings
from .semdiff import Change, procedure_changes
from .versions import default_base, ensure_repository, files_at, load_version, resolve, worktree_files


@dataclass
class FileDiff:
    path: str
    id: str
    title: str
    status: str  # added | removed | changed | broken
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # broken: what failed, and on which side
    summary: str = ""  # one line for an added or removed procedure, or why it is broken
    warnings: list[str] = field(default_factory=list)  # what the reviewer should ask about

    def to_json(self) -> dict:
        return {"path": self.path, "id": self.id, "title": self.title, "status": self.status,
                "changes": [c.to_json() for c in self.changes], "errors": self.errors, "summary": self.summary,
                "warnings": self.warnings}


def _facts(p: model.Procedure) -> str:
    parts = [f"mã {p.code}"] if p.code else []
    parts += [deadline_text(p.deadline).lower() if p.deadline.kind in ("trong-ngay", "chua-xac-minh")
              else f"thời hạn {deadline_text(p.deadline)}",
              f"{len(p.dossier)} giấy tờ", f"{len(p.steps)} bước"]
    return ", ".join(parts)


def compare_file(path: str, old: bytes | None, new: bytes | None) -> FileDiff | None:
    """The diff of one file between two versions (None: absent); None when
    nothing an editor wrote has changed."""
    if old == new:
        return None
    pid = Path(path).stem
    before, old_errors = load_version(old, path) if old is not None else (None, [])
    after, new_errors = load_version(new, path) if new is not None else (None, [])
    title = (after or before).title if (after or before) else pid
    if new is None:
        return FileDiff(path, pid, title, "removed", summary="đã xóa")
    if new_errors or old_errors:
        if old is not None and old_errors and new_errors:
            summary = "bản cũ và bản mới đều có lỗi, không so sánh được"
        elif new_errors:
            summary = "bản mới có lỗi, không so sánh được" if old is not None else "thủ tục mới nhưng có lỗi"
        else:
            summary = "bản cũ có lỗi nên không so sánh được từng trường; bản mới hợp lệ"
        errors = [f"bản cũ: {e}" for e in old_errors] + [f"bản mới: {e}" for e in new_errors]
        return FileDiff(path, pid, title, "broken", errors=errors, summary=summary)
    if old is None:
        return FileDiff(path, pid, title, "added", version_changes(None, after),
                        summary=f"thủ tục mới ({_facts(after)})")
    if before == after:
        return None  # layout, quoting, comments, key order: the same content
    changes = procedure_changes(before, after) + version_changes(before, after)
    if not changes:  # a difference outside the schema's fields; say so rather than hide it
        changes = [Change("", "changed", "Nội dung đã sửa")]
    return FileDiff(path, pid, title, "changed", changes, warnings=review_warnings(before, after))


def version_changes(before: model.Procedure | None, after: model.Procedure) -> list[Change]:
    """Each dated version added or changed (matched by its start date), as
    the field-level difference between the version before it and it; each
    version removed, in one line."""
    old = {v.effective: v for v in (before.versions if before else [])}
    periods = timeline(after)
    out: list[Change] = []
    for previous, period in zip(periods, periods[1:]):
        v, day = period.version, date_vi(period.start)
        if before is not None and old.get(v.effective) == v and on(before, v.effective) == period.procedure:
            continue  # the same version, over the same content before it
        kind = "added" if v.effective not in old else "changed"
        out.append(Change("phien_ban", kind, f"{'Thêm' if kind == 'added' else 'Sửa'} phiên bản áp dụng từ {day}: "
                                             f"{v.change_note}", item=day))
        for c in procedure_changes(previous.procedure, period.procedure):
            c.field, c.text, c.item = f"phien_ban.{c.field}", f"Từ {day} — {c.text}", c.item or day
            out.append(c)
    kept = {v.effective for v in after.versions}
    out += [Change("phien_ban", "removed", f"Bỏ phiên bản áp dụng từ {date_vi(d)}", item=date_vi(d))
            for d in sorted(old) if d not in kept]
    return out


def compare(old_files: dict[str, bytes], new_files: dict[str, bytes]) -> list[FileDiff]:
    diffs = []
    for path in sorted(set(old_files) | set(new_files)):
        d = compare_file(path, old_files.get(path), new_files.get(path))
        if d is not None:
            diffs.append(d)
    return diffs


def semantic_diff(root: Path, base: str | None = None, head: str | None = None) -> tuple[list[FileDiff], str, str]:
    """Compare BASE with HEAD under ``root``: ``base`` None is the merge base
    with main (see ``default_base``), ``head`` None the working tree.  Returns
    the diffs and how BASE and HEAD are named in the summary."""
    ensure_repository(root)
    if base is None:
        base_commit = default_base(root)
        base_name = f"`{base_commit[:10]}`" if base_commit else "cây rỗng (chưa có lịch sử git)"
    else:
        base_commit = resolve(root, base)
        base_name = f"`{base}`"
    old_files = files_at(root, base_commit)
    if head is None:
        new_files, head_name = worktree_files(root), "thư mục làm việc"
    else:
        new_files, head_name = files_at(root, resolve(root, head)), f"`{head}`"
    return compare(old_files, new_files), base_name, head_name


