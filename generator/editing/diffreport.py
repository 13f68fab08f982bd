"""``sotay diff``'s output: Markdown for a pull request, and JSON."""

from __future__ import annotations

import json
import re

from .versiondiff import FileDiff


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


_STATUS_COUNTS = (("changed", "sửa"), ("added", "thêm"), ("removed", "xóa"), ("broken", "có lỗi"))


def to_markdown(diffs: list[FileDiff], base_name: str = "", head_name: str = "") -> str:
    lines = ["### Tóm tắt thay đổi nội dung thủ tục", ""]
    compared = f"So sánh {base_name} với {head_name}" if base_name and head_name else ""
    if not diffs:
        lines.append((compared + ": " if compared else "") + "không có thay đổi nội dung thủ tục.")
        return "\n".join(lines) + "\n"
    counts = ", ".join(f"{sum(d.status == s for d in diffs)} thủ tục {word}"
                       for s, word in _STATUS_COUNTS if any(d.status == s for d in diffs))
    lines += [(compared + ": " if compared else "") + counts + ".", ""]
    for d in diffs:
        head = f"- **{md_escape(d.title)}** (`{d.path}`)"
        if d.status == "changed":
            lines.append(head)
            lines += [f"  - {md_escape(c.text)}" for c in d.changes]
            lines += [f"  - ⚠️ {md_escape(w)}" for w in d.warnings]
        elif d.status == "broken":
            lines.append(f"{head}: ⚠️ {d.summary}")
            lines += [f"  - `{e.replace('`', chr(39))}`" for e in d.errors[:5]]
            if len(d.errors) > 5:
                lines.append(f"  - … và {len(d.errors) - 5} lỗi khác (chạy `sotay validate {d.path}`)")
        else:
            lines.append(f"{head}: {md_escape(d.summary)}")
    return "\n".join(lines) + "\n"


def to_json(diffs: list[FileDiff], editions: dict | None = None) -> str:
    """The procedures' diffs and, as in the Markdown's last line, the
    editions the change affects (``editions.Affected.to_json``)."""
    return json.dumps({"procedures": [d.to_json() for d in diffs], "editions": editions},
                      ensure_ascii=False, indent=2)
