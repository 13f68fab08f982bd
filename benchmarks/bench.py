"""Build-scale benchmark: how `sotay build` and its site grow with the number
of procedures, next to a plain MkDocs Material site of the same size.

    .venv/bin/python benchmarks/bench.py [--procedures 100 1000 5000] [--skip-baseline]
                                         [--json FILE] [--keep DIR] [--flat-max 2000] [--profile]
    make bench N="100 1000"            (BENCH_ARGS="--skip-baseline …" for the other options)

For each N, a throw-away project with N synthetic procedures is written by
benchmarks/synthetic.py (synthetic procedures only, unless --with-real), then:

- `sotay build` runs as a subprocess in that project, from a fresh checkout
  state (no .cache/): wall time, CPU time and peak RSS of the largest process
  (os.wait4), and peak PSS of the whole process tree (forked page writers
  included; sampled from /proc every 0.1 s);
- the site is measured: size on disk, the median-size procedure page (raw and
  gzip), what a first visit to that page downloads (its HTML plus every
  stylesheet, script and CSS font it references, each gzip-compressed), and
  search/search_index.json (gzip, and per procedure);
- in Chromium (benchmarks/first_visit.py; skipped, with a note, when Chromium
  or Playwright is missing): every request of a first visit to the home page
  and to that procedure page, as a compressing server sends them, and the
  first search: the time from focusing the search box (the query put in at
  once: the first words of the page's title) until the first result shows,
  and what it downloaded (the index, the search worker, the analyser);
- what `sotay serve` does: one process calls generator.site.serve.make_builder's
  builder (its first build), edits the `tom_tat` of the median page's
  procedure, and times the builder's second run — whatever the preview
  server does after a save (full or incremental rebuild);
- CLI search: query latency in process (generator.search.index.SearchIndex on the
  queries of tests/search/queries.yml, as benchmarks/search.py does), the
  time to open the index the first time (building its cache) and once cached,
  and the wall time of one `sotay search` command (new process, cache kept).

Baseline (unless --skip-baseline): a plain MkDocs Material project (theme
material, language vi, search plugin, font: false like ours, nothing of ours)
with the same N pages written as Markdown from the same procedures (same
text), built with `mkdocs build` (a) with flat navigation and (b) with one
section per field (under one "Thủ tục hành chính" section, as on our site) and
the navigation.sections + navigation.prune features.

Baseline (a) is skipped above --flat-max (default 2000) with an estimate: each
of its pages lists every page, so it grows as N² (≈6 GB of HTML at 5000).

Wall times depend on what else the machine runs; CPU time (user+sys of the
build process) is printed too and is steadier.  Sizes are gzip level 9 (as
benchmarks/search.py).  KB = 1024 bytes, MB = 1024 KB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import first_visit as browser  # noqa: E402  (bench's own first_visit() is the static count)
import synthetic  # noqa: E402

GZIP_LEVEL = 9
QUERIES = ROOT / "tests/search/queries.yml"
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".otf", ".eot"}
BIN = Path(sys.executable).parent

# Row labels of the per-N table, in order (tests/test_bench.py checks they are all printed).
FIGURES = [
    "procedure pages",
    "build wall time",
    "build CPU time (user+sys)",
    "build peak memory (RSS)",
    "build time per procedure",
    "site size on disk",
    "procedure page HTML (median)",
    "first visit: page+CSS+JS+fonts",
    "search index (gzip)",
    "first visit + search index",
    "browser: first visit home / page",
    "browser: first results, download",
    "search query p50 / p95",
    "search index open: 1st / cached",
    "`sotay search` command",
    "serve: first build",
    "serve: rebuild after 1 edit",
]


# --- running and measuring ------------------------------------------------------------


class StepFailed(Exception):
    """A measured command failed (the build is being worked on: say so, go on)."""


def _tree_pss(root: int) -> int | None:
    """Proportional set size of ``root`` and all its descendants (forked page
    writers share pages with their parent: PSS counts a shared page once)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for name in entries:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                    stat = f.read()
                children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(name))
            except (OSError, ValueError, IndexError):
                continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) * 1024
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_measured(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run ``cmd``: wall time, CPU time and peak RSS of that process and its
    reaped children (wait4), and the peak PSS of its whole process tree,
    sampled every 0.1 s."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        done = threading.Event()
        peak = [0]

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_pss(proc.pid) or 0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss": usage.ru_maxrss * 1024, "peak_tree_pss": peak[0] or None, "code": code,
                  "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}
    if code != 0:
        shown = " ".join("<script>" if "\n" in c else c for c in cmd)
        tail = "\n".join((result["stdout"] + result["stderr"]).strip().splitlines()[-15:])
        raise StepFailed(f"command failed ({code}) in {cwd}: {shown}\n{tail}")
    return result


def sotay(*args: str) -> list[str]:
    script = BIN / "sotay"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "generator.cli", *args]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, GZIP_LEVEL))


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _local(base: Path, ref: str, site: Path) -> Path | None:
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    if not ref or re.match(r"^([a-z]+:|//)", ref, re.I):
        return None  # external or data: (nothing external in these builds: font: false)
    path = (site / ref.lstrip("/")) if ref.startswith("/") else (base.parent / ref)
    path = path.resolve()
    return path if path.is_file() else None


def first_visit(page: Path, site: Path) -> dict:
    """The page's HTML plus every stylesheet, script and CSS font it references, each gzipped."""
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    files: dict[Path, str] = {page: "html"}
    for ref in parser.css:
        css = _local(page, ref, site)
        if css:
            files[css] = "css"
            for _, url in _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
                font = _local(css, url, site)
                if font and font.suffix.lower() in FONT_SUFFIXES:
                    files[font] = "font"
    for ref in parser.js:
        js = _local(page, ref, site)
        if js:
            files[js] = "js"
    sizes = {kind: 0 for kind in ("html", "css", "js", "font")}
    for path, kind in files.items():
        sizes[kind] += gz(path.read_bytes())
    return {"gzip": sum(sizes.values()), "files": len(files), "by_kind": sizes}


_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.S)


def article_text(pages: list[Path], sample: int = 200) -> float:
    """Mean size of the visible text in the pages' <article> (a sample of
    them): how much content a page carries, whatever the markup around it."""
    picked = pages[:: max(1, len(pages) // sample)]
    sizes = []
    for page in picked:
        match = _ARTICLE.search(page.read_text(encoding="utf-8"))
        text = re.sub(r"<[^>]+>", " ", _INVISIBLE.sub(" ", match.group(0))) if match else ""
        sizes.append(len(" ".join(unescape(text).split()).encode()))
    return statistics.mean(sizes) if sizes else 0.0


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def browser_figures(site: Path, page: Path) -> dict:
    """First visits to the home page and ``page`` in Chromium, and the first
    search for the first two words of ``page``'s title (so it finds something)."""
    reason = browser.available()
    if reason:
        return {"browser_skipped": reason}
    title = _H1.search(page.read_text(encoding="utf-8"))
    words = unescape(re.sub(r"<[^>]+>", " ", title.group(1) if title else "")).split()
    query = " ".join(w for w in words if w.isalpha())[:40].lower() or "khai sinh"
    query = " ".join(query.split()[:2])
    rel = page.relative_to(site).parent.as_posix() + "/"
    try:
        figures = browser.measure(site, ["", rel], query, searches=1, timeout_ms=300_000)
    except Exception as exc:  # noqa: BLE001 - a browser step failing leaves the other figures
        return {"browser_skipped": f"failed: {str(exc).splitlines()[0]}"}
    visits, search = figures["visits"], figures["search"]
    return {"browser_home_gzip": visits[""]["bytes"], "browser_page_gzip": visits[rel]["bytes"],
            "browser_home_requests": len(visits[""]["files"]), "browser_page_requests": len(visits[rel]["files"]),
            "browser_search_query": query, "browser_first_results_seconds": search["seconds"],
            "browser_index_build_seconds": search["steps"].get("build"),
            "browser_search_gzip": search["bytes"]}


def measure_site(site: Path, pages: list[Path], procedures: int) -> dict:
    total = count = 0
    for path in site.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            count += 1
    sized = sorted((p.stat().st_size, p) for p in pages)
    median_size, median_page = sized[len(sized) // 2]
    index = (site / "search/search_index.json").read_bytes()
    visit = first_visit(median_page, site)
    index_gz = gz(index)
    # Per procedure: the entries of procedure pages only (the rest is the
    # handbook's own pages, a constant), gzipped together.
    urls = {p.relative_to(site).parent.as_posix() + "/" for p in pages}
    entries = [d for d in json.loads(index)["docs"] if d["location"].split("#", 1)[0] in urls]
    entries_gz = gz(json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode())
    return {
        "site_bytes": total,
        "site_files": count,
        "html_pages": sum(1 for _ in site.rglob("*.html")),
        "page": str(median_page.relative_to(site)),
        "page_bytes": median_size,
        "page_gzip": gz(median_page.read_bytes()),
        "page_max_bytes": sized[-1][0],
        "article_text_bytes": article_text(sorted(pages)),
        "first_visit_gzip": visit["gzip"],
        "first_visit_files": visit["files"],
        "first_visit_by_kind": visit["by_kind"],
        "search_index_bytes": len(index),
        "search_index_gzip": index_gz,
        "search_index_gzip_per_procedure": entries_gz / max(1, procedures),
        **browser_figures(site, median_page),
    }


# --- ours ---------------------------------------------------------------------------------

# Runs in its own process: what `sotay serve` does on start and after an edit.
_SERVE_SCRIPT = r"""
import json, sys, time
from pathlib import Path
sys.path[:0] = [sys.argv[4], sys.argv[5]]
import synthetic
root, site, target = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
reports = []
try:
    from generator.site.serve import make_builder
    build = make_builder(root, site, reports.append)
except (ImportError, TypeError):  # API changed: what the builder does, by hand
    from generator.site.build import build_site
    build = lambda: build_site(root, site)
started = time.perf_counter(); build(); first = time.perf_counter() - started
data = synthetic._load(target)
data["tom_tat"] = data["tom_tat"] + " Đã sửa."
target.write_text(synthetic.HEADER + synthetic.dump(data), encoding="utf-8")
started = time.perf_counter(); build(); edit = time.perf_counter() - started
print(json.dumps({"first": first, "edit": edit, "errors": [r for r in reports if r]}))
"""


def procedure_files(project: Path) -> list[Path]:
    return sorted((project / "procedures").rglob("*.yml"))


def bench_ours(project: Path, n: int) -> dict:
    site = project / "site"
    build = run_measured(sotay("build", "--site-dir", str(site)), project)
    files = procedure_files(project)
    pages = [site / "thu-tuc" / f.parent.name / f.stem / "index.html" for f in files]
    missing = [p for p in pages if not p.is_file()]
    if missing:
        raise StepFailed(f"{len(missing)} procedure pages missing, e.g. {missing[0]}")
    result = {"build_seconds": build["seconds"], "build_cpu_seconds": build["cpu_seconds"],
              "build_peak_rss": build["peak_rss"], "build_peak_tree_pss": build["peak_tree_pss"],
              **measure_site(site, pages, n), "errors": []}
    # The steps below only add figures: when one fails, the others still count.
    try:
        result.update(search_latency(project))
        result["search_command_seconds"] = run_measured(sotay("search", "đăng", "ký", "khai", "sinh"),
                                                        project)["seconds"]
    except Exception as exc:  # noqa: BLE001 - in-process search may fail in many ways: reported in the table
        result["errors"].append(f"search: {exc}")
    # Edit the procedure of the median page: a typical page.
    target = project / "procedures" / Path(result["page"]).parent.relative_to("thu-tuc").with_suffix(".yml")
    try:
        serve = run_measured([sys.executable, "-c", _SERVE_SCRIPT, str(project), str(project / ".serve-site"),
                              str(target), str(ROOT), str(HERE)], project)
        figures = json.loads(serve["stdout"].strip().splitlines()[-1])
        if figures["errors"]:
            raise StepFailed("\n".join(figures["errors"]))
        result.update(serve_first_seconds=figures["first"], serve_edit_seconds=figures["edit"],
                      serve_peak_rss=serve["peak_rss"])
    except StepFailed as exc:
        result["errors"].append(f"serve: {exc}")
    shutil.rmtree(project / ".serve-site", ignore_errors=True)
    return result


def search_latency(project: Path) -> dict:
    """Query latency of the CLI search, in process.  The first open builds the
    search cache (.cache/sotay/search-index) unless the build left one; the second
    opens it as every later `sotay search` does."""
    from generator.content.handbook import load_handbook
    from generator.search.index import SearchIndex, search_documents

    hb, _ = load_handbook(project)
    docs = search_documents(hb)
    started = time.perf_counter()
    SearchIndex.open(project, docs).close()
    first = time.perf_counter() - started
    started = time.perf_counter()
    index = SearchIndex.open(project, docs)
    opened = time.perf_counter() - started
    from search import query_latencies  # benchmarks/search.py

    try:
        times = query_latencies(index, [q["q"] for q in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))])
    finally:
        index.close()
    return {"search_first_open_seconds": first, "search_open_seconds": opened, "search_p50_ms": statistics.median(times),
            "search_p95_ms": times[max(0, int(len(times) * 0.95) - 1)], "search_queries": len(times)}


def profile_build(project: Path, top: int = 30) -> str:
    """cProfile of one more `sotay build` of the project (caches it made kept): the
    top functions by cumulative and by own time.  Forked page writers are not
    profiled; their time shows as the parent waiting on the pool."""
    out = project / "build.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "generator.cli", "build",
           "--site-dir", str(project / ".profile-site")]
    run_measured(cmd, project)
    import io
    import pstats
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    shutil.rmtree(project / ".profile-site", ignore_errors=True)
    return text.getvalue()


# --- baseline -----------------------------------------------------------------------------


def _lines(items) -> list[str]:
    return [f"- {i if isinstance(i, str) else i.get('viec') or i.get('noi_dung') or ''}" for i in items or []]


def procedure_markdown(p: dict, fields: dict, legal: dict) -> str:
    """A procedure as a plain Markdown page, with the text our page shows."""
    out = [f"# {p['ten']}", "", p["tom_tat"], "", "## Thông tin chung", "",
           f"- **Lĩnh vực:** {fields[p['linh_vuc']]['ten']}",
           f"- **Cơ quan thực hiện:** {p['co_quan_thuc_hien']}",
           f"- **Đối tượng:** {'; '.join(p['doi_tuong'])}",
           f"- **Thời hạn:** {p['thoi_han'].get('so') or ''} {p['thoi_han']['loai']}. {p['thoi_han'].get('ghi_chu') or ''}",
           "", "## Cách thức thực hiện", ""]
    out += [f"- **{c['hinh_thuc']}**: {c.get('ghi_chu') or ''}" for c in p["cach_thuc"]]
    if p.get("cau_hoi"):
        out += ["", "## Hướng dẫn theo tình huống", ""]
        for q in p["cau_hoi"]:
            out.append(f"- **{q['hoi']}** {q.get('giai_thich') or ''} {' / '.join((q.get('lua_chon') or {}).values())}")
    out += ["", "## Thành phần hồ sơ", ""]
    out += [f"- **{d['ten']}** ({d.get('loai', 'ban-chinh')}, {d.get('so_luong', 1)} bản). {d.get('mau') or ''} "
            f"{d.get('ghi_chu') or ''}" for d in p["ho_so"]]
    if p.get("dieu_kien"):
        out += ["", "## Yêu cầu, điều kiện", "", *_lines(p["dieu_kien"])]
    out += ["", "## Quy trình xử lý", ""]
    for n, s in enumerate(p["quy_trinh"], 1):
        out += [f"### {n}. {s['ten']}", "", f"*{s['vai_tro']}* — {s.get('thoi_gian') or ''}", "", *_lines(s["kiem_tra"])]
        if s.get("meo"):
            out += ["", "**Mẹo:**", "", *_lines(s["meo"])]
        if s.get("loi_thuong_gap"):
            out += ["", "**Lỗi thường gặp:**", "", *_lines(s["loi_thuong_gap"])]
        out.append("")
    if p.get("phi"):
        out += ["## Phí, lệ phí", "", "| Khoản | Số tiền | Ghi chú |", "|---|---|---|"]
        out += [f"| {f['ten']} | {f.get('so_tien', '')} | {f.get('ghi_chu') or ''} {' '.join(f.get('mien_giam') or [])} |"
                for f in p["phi"]]
        out.append("")
    out += ["## Kết quả", "", *_lines(p["ket_qua"])]
    if p.get("luu_y"):
        out += ["", "## Lưu ý", "", *_lines(p["luu_y"])]
    out += ["", "## Căn cứ pháp lý", ""]
    out += [f"- {r['van_ban']} {legal.get(r['van_ban'], {}).get('trich_yeu', '')} {r.get('dieu') or ''}"
            for r in p["can_cu_phap_ly"]]
    if p.get("nguon"):
        out += ["", "## Nguồn", "", *[f"- {s['ten']}" for s in p["nguon"]]]
    return "\n".join(out) + "\n"


def make_baseline(project: Path, dest: Path, sections: bool) -> list[Path]:
    """A plain Material project with the procedures of ``project`` as Markdown pages;
    returns the built page paths (relative to the site)."""
    fields = synthetic._load(project / "handbook/data/linh-vuc.yml")
    legal = synthetic._load(project / "handbook/data/van-ban.yml")
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Sổ tay\n\nTrang chủ của bản so sánh MkDocs Material.\n", encoding="utf-8")
    groups: dict[str, list[tuple[str, str]]] = {}
    pages = []
    for f in procedure_files(project):
        p = synthetic._load(f)
        rel = f"{f.parent.name}/{f.stem}.md" if sections else f"{f.stem}.md"
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(procedure_markdown(p, fields, legal), encoding="utf-8")
        groups.setdefault(f.parent.name, []).append((p["ten"], rel))
        pages.append(Path(rel).with_suffix("") / "index.html")
    if sections:
        # The field sections sit under one top-level section, as on our site:
        # navigation.sections always renders top-level sections expanded, so
        # prune only removes the field sections below them that are not open.
        order = sorted(groups, key=lambda k: fields[k].get("thu_tu", 100))
        nav = [{"Trang chủ": "index.md"},
               {"Thủ tục hành chính": [{fields[k]["ten"]: [{t: r} for t, r in sorted(groups[k])]} for k in order]}]
    else:
        nav = [{"Trang chủ": "index.md"}] + [{t: r} for t, r in sorted(x for g in groups.values() for x in g)]
    theme = {"name": "material", "language": "vi", "font": False}
    if sections:
        theme["features"] = ["navigation.sections", "navigation.prune"]
    config = {"site_name": "Sổ tay (MkDocs Material, bản so sánh)", "theme": theme,
              "plugins": [{"search": {"lang": "vi"}}], "nav": nav}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pages


def bench_baseline(project: Path, dest: Path, n: int, sections: bool) -> dict:
    pages = make_baseline(project, dest, sections)
    md_bytes = sum(p.stat().st_size for p in (dest / "docs").rglob("*.md"))
    build = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], dest,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    site = dest / "site"
    result = {"build_seconds": build["seconds"], "build_cpu_seconds": build["cpu_seconds"],
              "build_peak_rss": build["peak_rss"], "build_peak_tree_pss": build["peak_tree_pss"],
              "markdown_bytes": md_bytes,
              **measure_site(site, [site / p for p in pages], n)}
    shutil.rmtree(site)  # flat navigation sites get big; figures are taken
    return result


# --- report -------------------------------------------------------------------------------


def kb(b: float) -> str:
    return f"{b / 1024:,.1f} KB" if b < 1024 * 1024 else f"{b / 1024 / 1024:,.1f} MB"


def row(label: str, *cells: str) -> str:
    return f"  {label:<32} " + " ".join(f"{c:>24}" for c in cells)


def per_n_table(n: int, ours: dict, flat: dict | None, sect: dict | None) -> list[str]:
    cols = [("ours: sotay build", ours), ("MkDocs (a) flat nav", flat), ("MkDocs (b) sections+prune", sect)]
    cols = [(name, d) for name, d in cols if d is not None]

    def cells(fn) -> list[str]:
        out = []
        for _, d in cols:
            try:
                out.append(fn(d))
            except KeyError:
                out.append("–")
        return out

    lines = [f"N = {n:,} procedures", row("", *[name for name, _ in cols]),
             row("", *["-" * 24 for _ in cols])]
    figures = [
        lambda d: f"{n:,} ({d['html_pages']:,} HTML)",
        lambda d: f"{d['build_seconds']:.1f} s",
        lambda d: f"{d['build_cpu_seconds']:.1f} s",
        lambda d: f"{d['build_peak_rss'] / 2**20:,.0f} MB" + (
            f" (tree PSS {d['build_peak_tree_pss'] / 2**20:,.0f})" if d.get("build_peak_tree_pss") else ""),
        lambda d: f"{d['build_seconds'] / n * 1000:.1f} ms",
        lambda d: f"{kb(d['site_bytes'])} ({d['site_files']:,} files)",
        lambda d: f"{kb(d['page_bytes'])} / {kb(d['page_gzip'])} gz",
        lambda d: f"{kb(d['first_visit_gzip'])} ({d['first_visit_files']} files)",
        lambda d: f"{kb(d['search_index_gzip'])} ({d['search_index_gzip_per_procedure'] / 1024:.2f} KB/proc)",
        lambda d: kb(d["first_visit_gzip"] + d["search_index_gzip"]),
        lambda d: f"{kb(d['browser_home_gzip'])} / {kb(d['browser_page_gzip'])}",
        lambda d: f"{d['browser_first_results_seconds']:.2f} s, {kb(d['browser_search_gzip'])}" + (
            f" (index built {d['browser_index_build_seconds']:.2f} s)" if d.get("browser_index_build_seconds") else ""),
        lambda d: f"{d['search_p50_ms']:.2f} / {d['search_p95_ms']:.2f} ms",
        lambda d: f"{d['search_first_open_seconds']:.2f} / {d['search_open_seconds']:.2f} s",
        lambda d: f"{d['search_command_seconds']:.1f} s",
        lambda d: f"{d['serve_first_seconds']:.1f} s",
        lambda d: f"{d['serve_edit_seconds']:.1f} s",
    ]
    for label, fn in zip(FIGURES, figures, strict=True):
        lines.append(row(label, *cells(fn)))
    if ours.get("browser_skipped"):
        lines.append(f"  browser figures skipped: {ours['browser_skipped']}")
    elif "browser_search_query" in ours:
        lines.append(f"  browser: gzip of every request of a first visit; first results = from focusing the search "
                     f"box, query {ours['browser_search_query']!r} put in at once, to the first result shown; index built = "
                     f"in the search worker, from the documents to the index ready")
    if sect:
        lines.append(f"  ours vs (b): build time ×{ours['build_seconds'] / sect['build_seconds']:.2f} "
                     f"(CPU ×{ours['build_cpu_seconds'] / sect['build_cpu_seconds']:.2f}), "
                     f"site size ×{ours['site_bytes'] / sect['site_bytes']:.2f}, "
                     f"page gzip ×{ours['page_gzip'] / sect['page_gzip']:.2f}, "
                     f"first visit ×{ours['first_visit_gzip'] / sect['first_visit_gzip']:.2f}")
    if flat:
        lines.append(f"  ours vs (a): build time ×{ours['build_seconds'] / flat['build_seconds']:.2f} "
                     f"(CPU ×{ours['build_cpu_seconds'] / flat['build_cpu_seconds']:.2f}), "
                     f"site size ×{ours['site_bytes'] / flat['site_bytes']:.2f}")
    if flat or sect:
        other = flat or sect
        lines.append(f"  text per page: visible article text ours {kb(ours['article_text_bytes'])}, "
                     f"baseline {kb(other['article_text_bytes'])} (source: our YAML {kb(ours['yaml_bytes'] / n)}, "
                     f"baseline Markdown {kb(other['markdown_bytes'] / n)})")
    return lines


def flat_estimate(runs: list[dict], n: int, limit: int) -> str:
    """Why baseline (a) was skipped, with its cost extrapolated from the
    largest N measured: each page lists every page, so time and size ∝ N²."""
    done = [r for r in runs if r.get("baseline_flat")]
    text = f"(a) flat navigation skipped: N > --flat-max {limit}"
    if done:
        r = done[-1]
        k = (n / r["n"]) ** 2
        d = r["baseline_flat"]
        text += (f"; estimated from N={r['n']:,} as N²: ~{d['build_seconds'] * k / 60:.0f} min, "
                 f"site ~{d['site_bytes'] * k / 2**30:.1f} GB")
    return text


def growth_table(runs: list[dict]) -> list[str]:
    """Time and size per procedure as N grows; the marginal cost between two Ns
    stays flat when the build is linear and grows with N when it is quadratic."""
    kinds = [("ours", "ours"), ("baseline_flat", "MkDocs (a) flat"), ("baseline_sections", "MkDocs (b) sections")]
    lines = ["Growth: marginal = extra cost per extra procedure since the previous N",
             "(flat when the build is linear in N, rising with N when it is quadratic)",
             f"  {'':<20}{'N':>7}{'wall s':>9}{'CPU s':>9}{'wall ms/proc':>14}{'marg. wall ms':>15}"
             f"{'marg. CPU ms':>14}{'site KB/proc':>14}{'marg. KB':>10}"]
    for key, name in kinds:
        prev = None
        for r in runs:
            d = r.get(key)
            if not d:
                continue
            n = r["n"]
            marg = ["", "", ""]
            if prev:
                dn = n - prev[0]
                marg = [f"{(d['build_seconds'] - prev[1]['build_seconds']) / dn * 1000:.1f}",
                        f"{(d['build_cpu_seconds'] - prev[1]['build_cpu_seconds']) / dn * 1000:.1f}",
                        f"{(d['site_bytes'] - prev[1]['site_bytes']) / dn / 1024:.1f}"]
            lines.append(f"  {name:<20}{n:>7,}{d['build_seconds']:>9.1f}{d['build_cpu_seconds']:>9.1f}"
                         f"{d['build_seconds'] / n * 1000:>14.1f}{marg[0]:>15}{marg[1]:>14}"
                         f"{d['site_bytes'] / n / 1024:>14.1f}{marg[2]:>10}")
            prev = (n, d)
    return lines


def versions() -> str:
    from importlib.metadata import version
    v = {name: version(name) for name in ("mkdocs", "mkdocs-material", "whoosh3")}
    return (f"{dt.datetime.now():%Y-%m-%d %H:%M} · Python {platform.python_version()} · mkdocs {v['mkdocs']} · "
            f"material {v['mkdocs-material']} · whoosh3 {v['whoosh3']} · {os.cpu_count()} CPUs · gzip -{GZIP_LEVEL}")


def bench_n(n: int, base: Path, args, material, runs: list[dict]) -> dict:
    """Every figure for one N; the projects are written under ``base``."""
    started = time.perf_counter()
    stats = synthetic.make_project(base / "ours", n, args.seed, args.with_real, material)
    print(f"[N={n}] project written in {time.perf_counter() - started:.1f} s "
          f"({stats['yaml_bytes'] / 2**20:.1f} MB YAML); building…", flush=True)
    run: dict = {"n": n, "ours": {"yaml_bytes": stats["yaml_bytes"], **bench_ours(base / "ours", n)},
                 "baseline_flat": None, "baseline_sections": None}
    if not args.skip_baseline:
        if args.flat_max and n > args.flat_max:
            run["baseline_flat_note"] = flat_estimate(runs, n, args.flat_max)
        else:
            print(f"[N={n}] baseline (a) flat navigation…", flush=True)
            run["baseline_flat"] = bench_baseline(base / "ours", base / "baseline-flat", n, sections=False)
        print(f"[N={n}] baseline (b) sections + prune…", flush=True)
        run["baseline_sections"] = bench_baseline(base / "ours", base / "baseline-sections", n, sections=True)
    if args.profile and n == max(args.procedures):
        print(f"[N={n}] profiling one build…", flush=True)
        run["profile"] = profile_build(base / "ours")
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--procedures", "-n", type=int, nargs="+", default=[100, 1000, 5000], metavar="N",
                        help="numbers of procedures (default: 100 1000 5000)")
    parser.add_argument("--skip-baseline", action="store_true", help="only our build, no plain MkDocs baseline")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the generated projects and our sites in DIR")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-real", action="store_true", help="include the real procedures (counted in N)")
    parser.add_argument("--flat-max", type=int, default=2000, metavar="N",
                        help="skip baseline (a) above N procedures: its pages grow with N, so its site grows "
                             "as N² (≈6 GB at 5000); 0 = never skip (default 2000)")
    parser.add_argument("--profile", action="store_true", help="also profile one build at the largest N (cProfile)")
    args = parser.parse_args(argv)

    print("sotay build benchmark · " + versions(), flush=True)
    print("synthetic procedures: benchmarks/synthetic.py (real procedures as templates, text recombined; "
          + ("real procedures included" if args.with_real else "real procedures not included") + ")\n", flush=True)
    material = synthetic.Material(ROOT)
    runs: list[dict] = []
    failed = False
    for n in sorted(set(args.procedures)):
        base = args.keep.resolve() / f"n{n}" if args.keep else Path(tempfile.mkdtemp(prefix=f"sotay-bench-{n}-"))
        if args.keep and base.exists():
            shutil.rmtree(base)
        try:
            run = bench_n(n, base, args, material, runs)
        except StepFailed as exc:
            print(f"[N={n}] FAILED: {exc}\n", flush=True)
            failed = True
            continue
        finally:
            if not args.keep:
                shutil.rmtree(base, ignore_errors=True)
        runs.append(run)
        lines = per_n_table(n, run["ours"], run["baseline_flat"], run["baseline_sections"])
        if run.get("baseline_flat_note"):
            lines.append("  " + run["baseline_flat_note"])
        for error in run["ours"]["errors"]:
            failed = True
            lines.append("  FAILED " + error.replace("\n", "\n    "))
        print("\n" + "\n".join(lines) + "\n", flush=True)
    if len(runs) > 1:
        print("\n".join(growth_table(runs)))
    for run in runs:
        if run.get("profile"):
            print(f"\nProfile of one `sotay build` (second build of the project), N = {run['n']:,}:\n")
            print(run["profile"])
    if args.json:
        args.json.write_text(json.dumps({"versions": versions(), "with_real": args.with_real, "seed": args.seed,
                                         "runs": runs}, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
