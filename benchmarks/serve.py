"""`sotay serve` at catalogue scale: from saving a file to the new page being served.

    .venv/bin/python benchmarks/serve.py [--procedures 1000 5000] [--runs 3] [--pause S] [--project DIR] [--json FILE]
    make bench-serve N="1000 5000"      (make bench runs it too)

For each N, a throw-away project with N synthetic procedures is written by
benchmarks/synthetic.py (or --project names one; it is edited and put back),
then `sotay serve` runs as a new process in it, as an editor starts it.  Once
it serves the median-size procedure's page, each edit below is saved --runs
times, and the figure is the time from the file being written to an HTTP
request for the page returning the new text: what the editor waits for,
including the server noticing the change (the system's file events;
polling every 0.5 s where there are none) and the whole rebuild.  The median
of the runs is printed (the machine may be busy), and the slowest run.  Each
save comes --pause seconds (default 1) after the page was served: a longer
pause leaves the server's background work (pages left to write, Python's
garbage collections) more time to end before the next save, as an editor
reading the page does.  Each edit's file is put back after its runs, and the
next edit starts once the page no longer shows the last run's text (the
server's rebuild for that restore is not counted in the next edit's first run).

- "step": a step's name in that procedure (the usual edit: only its page changes);
- "summary": its `tom_tat` (every procedure's "similar procedures" and the
  search index are computed again);
- "registry": a legal document's title in handbook/data/van-ban.yml (every
  procedure page citing it changes: the page polled here, as an open page, is
  written before the reload, the others just after; site/deferred.py).

The server's peak RSS (VmHWM) is printed too.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
EDITS = ("step", "summary", "registry")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=600) as response:
        return response.read().decode("utf-8")


def wait_for_text(url: str, text: str, timeout: float, present: bool = True) -> float:
    """Poll ``url`` until it holds ``text`` (or, with ``present=False``, no
    longer holds it); the time it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if (text in fetch(url)) == present:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{text!r} {'not ' if present else 'still '}served at {url} after {timeout:.0f} s")


def median_procedure(project: Path) -> Path:
    files = sorted((project / "procedures").rglob("*.yml"), key=lambda p: (p.stat().st_size, p.name))
    return files[len(files) // 2]


def editor(project: Path, edit: str, target: Path):
    """(file, function writing run ``k``'s version and returning the text it adds to the page)."""
    if edit == "registry":
        path = project / "handbook/data/van-ban.yml"
        data = synthetic._load(path)
        cited = synthetic._load(target)["can_cu_phap_ly"][0]["van_ban"]

        def write(k: int) -> str:
            changed = {**data, cited: {**data[cited], "trich_yeu": f"{data[cited]['trich_yeu']} sửa lần {k}"}}
            path.write_text(synthetic.dump(changed), encoding="utf-8")
            return f"sửa lần {k}"
        return path, write
    data = synthetic._load(target)

    def write(k: int) -> str:
        changed = copy.deepcopy(data)
        if edit == "step":
            changed["quy_trinh"][0]["ten"] = f"{data['quy_trinh'][0]['ten']} sửa lần {k}"
        else:
            changed["tom_tat"] = f"{data['tom_tat']} Sửa lần {k}."
        target.write_text(synthetic.HEADER + synthetic.dump(changed), encoding="utf-8")
        return f"sửa lần {k}" if edit == "step" else f"Sửa lần {k}."
    return target, write


def peak_rss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return None


def bench_serve(project: Path, runs: int, pause: float = 1.0) -> dict:
    target = median_procedure(project)
    page = f"thu-tuc/{target.parent.name}/{target.stem}/"
    port = free_port()
    script = BIN / "sotay"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "generator.cli"]
    started = time.perf_counter()
    proc = subprocess.Popen([*cmd, "serve", "--port", str(port)], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{page}"
    originals: dict[Path, bytes] = {}
    try:
        wait_for_text(url, "</html>", 1800)
        result: dict = {"first_build_seconds": time.perf_counter() - started, "page": page}
        for edit in EDITS:
            path, write = editor(project, edit, target)
            originals.setdefault(path, path.read_bytes())
            times = []
            for k in range(1, runs + 1):
                time.sleep(pause)  # the previous rebuild's reload settles (an editor reads the page)
                text = write(k)
                times.append(wait_for_text(url, text, 600))
            path.write_bytes(originals[path])
            # The server rebuilds for this restore too: the next edit's first save is timed from its end,
            # or that run would count two rebuilds.
            wait_for_text(url, text, 600, present=False)
            result[edit] = {"median_seconds": statistics.median(times), "seconds": times}
        result["peak_rss"] = peak_rss(proc.pid)
        return result
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        proc.terminate()
        proc.wait(60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", "-n", type=int, nargs="+", default=[1000], metavar="N")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--project", type=Path, help="an existing project to serve (its files are put back)")
    parser.add_argument("--pause", type=float, default=1.0, metavar="S",
                        help="seconds between a page served and the next save (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    material = synthetic.Material(ROOT)
    figures = {}
    for n in ([None] if args.project else sorted(set(args.procedures))):
        base = None
        if args.project:
            project = args.project.resolve()
            n = sum(1 for _ in (project / "procedures").rglob("*.yml"))
        else:
            base = Path(tempfile.mkdtemp(prefix=f"sotay-bench-serve-{n}-"))
            project = base / "kho"
            synthetic.make_project(project, n, args.seed, False, material)
        try:
            r = bench_serve(project, args.runs, args.pause)
        finally:
            if base is not None:
                shutil.rmtree(base, ignore_errors=True)
        figures[n] = r
        rss = f"{r['peak_rss'] / 2**20:,.0f} MB" if r.get("peak_rss") else "–"
        print(f"N = {n:,}: sotay serve first build {r['first_build_seconds']:.1f} s; save → page served "
              + ", ".join(f"{e} {r[e]['median_seconds']:.2f} s" for e in EDITS)
              + f" (median of {args.runs}; slowest " + ", ".join(f"{max(r[e]['seconds']):.2f}" for e in EDITS)
              + f"); server peak RSS {rss}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
