"""Command-line latency at catalogue scale: the whole-command wall time of the
commands a clerk or an editor runs many times a day.

    .venv/bin/python benchmarks/cli.py [--procedures 1000] [--runs 5] [--keep DIR]
    make bench N="1000"                (bench.py runs this after the build figures)

For each N, a throw-away project with N synthetic procedures is written by
benchmarks/synthetic.py, then each command runs as a new process in it:

- `sotay due X --received …`, `sotay guide X --json -a …`, `sotay list --json`,
  `sotay search …` (one procedure, or the catalogue as a list);
- `sotay validate FILE` after one file was edited (an editor saving a file).

"cold" runs start without .cache/ (a fresh checkout; whatever the command
writes there is then removed again); "warm" runs keep it, on an unchanged tree
(validate FILE: the tree changed by that one edit, cache from before it).
Each figure is the median of --runs runs: the machine may be busy.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
CACHE = ".cache"


def sotay(*args: str) -> list[str]:
    exe = BIN / "sotay"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "generator.cli", *args]


CPU: list[float] = []  # CPU time (user+sys) of each timed command, in order


def timed(cmd: list[str], cwd: Path) -> float:
    """Wall time of ``cmd``; its CPU time is appended to CPU (steadier on a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed


def pick(project: Path) -> tuple[Path, str, list[str]]:
    """A procedure with questions (its file, its id, one -a answer for guide)."""
    from generator.content.handbook import load_handbook

    hb, _ = load_handbook(project)
    for p in hb.procedures.values():
        for q in p.questions:
            if q.kind == "co-khong":
                return project / p.path, p.id, ["-a", f"{q.key}=có"]
    p = next(iter(hb.procedures.values()))
    return project / p.path, p.id, []


def edit(path: Path, round_: int) -> None:
    """Change the text of one file the way an editor would (a comment line)."""
    text = path.read_text(encoding="utf-8").rstrip("\n").split("\n# bench edit")[0]
    path.write_text(f"{text}\n# bench edit {round_}\n", encoding="utf-8")


def bench_cli(project: Path, runs: int) -> dict[str, dict[str, float]]:
    path, pid, answer = pick(project)
    rel = path.relative_to(project).as_posix()
    commands = {
        "due": sotay("due", pid, "--received", "2025-03-10 09:30"),
        "guide --json -a": sotay("guide", pid, "--json", *answer),
        "list --json": sotay("list", "--json"),
        "search": sotay("search", "khai", "sinh"),
    }
    figures: dict[str, dict[str, float]] = {}

    def clear() -> None:
        shutil.rmtree(project / CACHE, ignore_errors=True)

    for label, cmd in commands.items():
        cold, cold_cpu = [], []
        for _ in range(runs):
            clear()
            cold.append(timed(cmd, project))
            cold_cpu.append(CPU[-1])
        warm, warm_cpu = [], []
        for _ in range(runs):
            warm.append(timed(cmd, project))
            warm_cpu.append(CPU[-1])
        figures[label] = {"cold": statistics.median(cold), "warm": statistics.median(warm),
                          "cold_cpu": statistics.median(cold_cpu), "warm_cpu": statistics.median(warm_cpu)}
    cmd = sotay("validate", rel)
    cold, warm, cold_cpu, warm_cpu = [], [], [], []
    for i in range(runs):
        clear()
        edit(path, i)
        cold.append(timed(cmd, project))
        cold_cpu.append(CPU[-1])
        clear()
        timed(sotay("list"), project)  # a cache of the tree before the edit
        edit(path, i + 100)
        warm.append(timed(cmd, project))
        warm_cpu.append(CPU[-1])
    figures["validate FILE (1 edited)"] = {"cold": statistics.median(cold), "warm": statistics.median(warm),
                                           "cold_cpu": statistics.median(cold_cpu), "warm_cpu": statistics.median(warm_cpu)}
    return figures


def table(n: int, figures: dict[str, dict[str, float]], runs: int) -> str:
    lines = [f"CLI commands, N = {n:,} procedures (median of {runs}; wall time, and CPU time user+sys)",
             f"  {'command':<28}{'cold wall':>11}{'cold CPU':>10}{'warm wall':>11}{'warm CPU':>10}"]
    for label, f in figures.items():
        lines.append(f"  {'sotay ' + label:<28}{f['cold']:>10.2f}s{f['cold_cpu']:>9.2f}s"
                     f"{f['warm']:>10.2f}s{f['warm_cpu']:>9.2f}s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", "-n", type=int, nargs="+", default=[1000], metavar="N")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep (and reuse) the generated projects in DIR")
    args = parser.parse_args(argv)
    material = synthetic.Material(ROOT)
    for n in sorted(set(args.procedures)):
        if args.keep:
            project = args.keep.resolve() / f"cli-n{n}"
            if not (project / "mkdocs.yml").exists():
                synthetic.make_project(project, n, args.seed, False, material)
        else:
            project = Path(tempfile.mkdtemp(prefix=f"sotay-cli-{n}-")) / "kho"
            synthetic.make_project(project, n, args.seed, False, material)
        try:
            print(table(n, bench_cli(project, args.runs), args.runs) + "\n", flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(project.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
