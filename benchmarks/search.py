"""Search benchmark: prints index build time, query latency (median, p95)
inside the process, and the site search index size per procedure.

    .venv/bin/python benchmarks/search.py [--synthetic 5000]

Latency is measured on the query set of tests/search/queries.yml, each query
run several times after one warm-up pass; start-up (loading the handbook,
opening the index) is reported apart.  Synthetic procedures are made by
recombining the words of the real ones, so the vocabulary stays Vietnamese.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests/search"))

from generator.site.build import build_site  # noqa: E402
from generator.content.handbook import load_handbook  # noqa: E402
from generator.search.index import SearchDoc, SearchIndex, search_documents  # noqa: E402
from quality import load_queries  # noqa: E402

ROUNDS = 5


def synthetic(docs: list[SearchDoc], n: int, seed: int = 7) -> list[SearchDoc]:
    rng = random.Random(seed)
    words = [w for d in docs for w in f"{d.title} {d.summary} {d.body}".split()]
    out = []
    for i in range(n):
        base = docs[i % len(docs)]
        extra = " ".join(rng.choices(words, k=rng.randint(3, 8)))
        out.append(replace(base, id=f"{base.id}-{i}", url=f"thu-tuc/{base.field}/{base.id}-{i}/",
                           title=f"{base.title} {extra}" if i >= len(docs) else base.title,
                           summary=f"{base.summary} {' '.join(rng.choices(words, k=30))}",
                           body=f"{base.body} {' '.join(rng.choices(words, k=60))}"))
    return out


def query_latencies(index: SearchIndex, queries: list[str]) -> list[float]:
    """Milliseconds per query, sorted: every query once to warm up, then ROUNDS times."""
    for q in queries:
        index.search(q, limit=10)
    times = []
    for _ in range(ROUNDS):
        for q in queries:
            t = time.perf_counter()
            index.search(q, limit=10)
            times.append((time.perf_counter() - t) * 1000)
    return sorted(times)


def measure(name: str, docs: list[SearchDoc]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = SearchIndex.open(Path(tmp), docs)
        build = time.perf_counter() - started
        index.close()
        started = time.perf_counter()
        index = SearchIndex.open(Path(tmp), docs)
        reopen = time.perf_counter() - started
        times = query_latencies(index, [q["q"] for q in load_queries()])
        index.close()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{name}: {len(docs)} thủ tục · dựng chỉ mục {build:.2f} s · mở lại chỉ mục {reopen * 1000:.0f} ms · "
          f"truy vấn trung vị {statistics.median(times):.2f} ms · p95 {p95:.2f} ms · tối đa {times[-1]:.2f} ms "
          f"({len(times)} lần)")


def site_index_size(procedures: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(ROOT, Path(tmp) / "site")
        data = (site / "search/search_index.json").read_bytes()
        docs = json.loads(data)["docs"]
        per = [d for d in docs if d["location"].startswith("thu-tuc/") and d["location"].count("/") == 3]
        per_bytes = len(gzip.compress(json.dumps(per, ensure_ascii=False).encode(), 9)) / max(1, len(per))
        print(f"Chỉ mục tìm kiếm của trang: {len(data) / 1024:.0f} KB, {len(gzip.compress(data, 9)) / 1024:.1f} KB gzip "
              f"cho {len(docs)} mục; phần thủ tục ≈ {per_bytes / 1024:.2f} KB gzip mỗi thủ tục ({procedures} thủ tục)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=5000, help="số thủ tục tổng hợp (mặc định 5000)")
    args = parser.parse_args()
    started = time.perf_counter()
    hb, _ = load_handbook(ROOT)
    docs = search_documents(hb)
    print(f"Nạp sổ tay: {time.perf_counter() - started:.2f} s")
    measure("Sổ tay kèm theo", docs)
    if args.synthetic:
        measure("Tổng hợp", synthetic(docs, args.synthetic))
    site_index_size(len(docs))


if __name__ == "__main__":
    main()
