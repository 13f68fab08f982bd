"""Search quality over the query set in queries.yml: hit@1, hit@3 and MRR.

Used by tests/test_search_quality.py for both the CLI search and the site
search in Chromium; ``python tests/search/quality.py`` prints the CLI figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

QUERIES = Path(__file__).with_name("queries.yml")


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


@dataclass
class Report:
    ranks: list[tuple[dict, int | None]] = field(default_factory=list)  # (query, 1-based rank or None)

    def _rate(self, items, k):
        return sum(1 for _, r in items if r is not None and r <= k) / len(items)

    @property
    def hit1(self) -> float:
        return self._rate(self.ranks, 1)

    @property
    def hit3(self) -> float:
        return self._rate(self.ranks, 3)

    @property
    def mrr(self) -> float:
        return sum(1 / r for _, r in self.ranks if r) / len(self.ranks)

    def everyday_misses(self, k: int = 3) -> list[str]:
        """Everyday-words queries (one per procedure at least) whose procedure is not in the top ``k``."""
        return [f"  {q['q']!r} → {q['id']}: hạng {r or '—'}" for q, r in self.ranks
                if q["loai"] == "doi-thuong" and not (r and r <= k)]

    def misses(self) -> list[str]:
        return [f"  {q['q']!r} → {q['id']}: hạng {r or '—'}" for q, r in self.ranks if r != 1]

    def summary(self, name: str) -> str:
        by_kind = defaultdict(list)
        for q, r in self.ranks:
            by_kind[q["loai"]].append((q, r))
        lines = [f"{name}: {len(self.ranks)} truy vấn · hit@1 {self.hit1:.3f} · hit@3 {self.hit3:.3f} · MRR {self.mrr:.3f}"]
        for kind, items in sorted(by_kind.items()):
            lines.append(f"  {kind:<10} {len(items):>3} · hit@1 {self._rate(items, 1):.2f} · hit@3 {self._rate(items, 3):.2f}")
        return "\n".join(lines)


def evaluate(ranked_ids: Callable[[str], list[str]], queries: list[dict] | None = None) -> Report:
    report = Report()
    for q in queries or load_queries():
        ids = ranked_ids(q["q"])
        report.ranks.append((q, ids.index(q["id"]) + 1 if q["id"] in ids else None))
    return report


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2]))
    from generator.content.handbook import load_handbook
    from generator.search.index import SearchIndex, search_documents

    root = Path(__file__).parents[2]
    hb, _ = load_handbook(root)
    index = SearchIndex.open(root, search_documents(hb))
    report = evaluate(lambda q: [h.doc.id for h in index.search(q, limit=10)])
    print(report.summary("CLI (whoosh)"))
    print("\n".join(report.misses()))
