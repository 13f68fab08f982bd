"""Hostile-input benchmark: the worst file under the size limit for each
checker, and how long validating it takes.

    .venv/bin/python benchmarks/hostile.py [--timeout 60] [--only CASE …] [--json FILE]
    make bench-hostile                  (HOSTILE_ARGS="--only …" for the options)

Each case writes one procedure file, as large as the file size limit allows
(generator/content/yamlsource.py MAX_FILE_BYTES), built to make one checker
do as much work as it can within the content bounds (the schema page's
"Giới hạn"; where a bound does not exist, as in older versions, the case
goes past it): inline markup the scanner cannot close, YAML nested deep or
holding as many values as fit, conditions as deep and as long as allowed,
as many of them as fit, as many yes/no questions as allowed with conditions
that make the "never true" search as long as it can be, huge numbers,
thousands of forbidden characters or unknown keys.  The file goes into a
copy of tests/fixtures/mini and is validated alone (what `sotay validate
FILE` does: load_handbook with only that file) in a fresh process, killed
after --timeout seconds.  For the cases whose hostile part is inline text,
the renderer the build uses (render_inline and plain_text) is timed on that
text too.

The goal is each case under one second.  The table shows wall time and CPU
time (steadier on a busy machine), the number of errors and warnings the
file gets, and the first message (located path:line:column).  The
"baseline" row is the valid fixture procedure: the fixed cost of loading.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from generator.content.yamlsource import MAX_FILE_BYTES  # noqa: E402

MINI = ROOT / "tests/fixtures/mini"
BASE = (MINI / "procedures/ho-tich/dang-ky-khai-sinh.yml").read_text(encoding="utf-8")
FILE = "procedures/ho-tich/z-hostile.yml"
LIMIT = MAX_FILE_BYTES - 64  # the whole file stays under the size limit


def _fill(head: str, unit: str, tail: str = "", limit: int = LIMIT) -> str:
    """``head`` + as many ``unit`` as fit + ``tail``, in at most ``limit`` UTF-8 bytes."""
    room = limit - len((head + tail).encode("utf-8"))
    return head + unit * (room // len(unit.encode("utf-8"))) + tail


def _with_summary(value: str) -> str:
    """The base procedure with ``tom_tat`` replaced by a single-quoted ``value``."""
    line = next(x for x in BASE.splitlines() if x.startswith("tom_tat:"))
    head, tail = BASE.split(line)
    return head + "tom_tat: '" + value + "'" + tail


def _summary_case(unit: str) -> tuple[str, str]:
    value = _fill("", unit, limit=LIMIT - 8 - len(_with_summary("").encode("utf-8")))
    return _with_summary(value), value


QUESTION_KINDS = {"so_tre": "so", "so_tre_2": "so"}  # every other question is a yes/no question


def _with_questions(questions: list[str], conditions: list[str]) -> str:
    """The base procedure with these questions and a note per condition."""
    text = BASE + "cau_hoi:\n" + "".join(
        f"  - ma: {q}\n    hoi: Câu {q}?\n    nhan: Câu {q}\n    kieu: {QUESTION_KINDS.get(q, 'co-khong')}\n"
        for q in questions
    )
    return text + "luu_y:\n" + "".join(f'  - noi_dung: Lưu ý.\n    chi_khi: "{c}"\n' for c in conditions)


def _bound(name: str) -> int | None:
    """A bound of the condition language, or None where it has none."""
    from generator.content import conditions

    return getattr(conditions, name, None)


def _condition_case(make, questions=("qua_han",)) -> tuple[str, None]:
    """Conditions made by ``make(room)`` (a condition of at most ``room``
    characters, as long as it can make it): one filling the file where
    conditions have no length limit, else as many of the longest allowed as fit."""
    longest = _bound("MAX_CONDITION_CHARS")
    if longest is None:
        room = LIMIT - len(_with_questions(list(questions), [""]).encode("utf-8"))  # bytes
        condition = make(room)
        while len(condition.encode("utf-8")) > room:  # characters of more than one byte ("không")
            condition = make(len(condition) * room // len(condition.encode("utf-8")) - 16)
        return _with_questions(list(questions), [condition]), None
    return _many_conditions(list(questions), make(longest)), None


def _repeat(first: str, sep: str, unit: str, room: int) -> str:
    """``first`` then ``sep + unit`` as many times as fit in ``room`` characters."""
    n = max(0, (room - len(first)) // len(sep + unit))
    return first + (sep + unit) * n


def _nested(room: int) -> str:
    depth = min(_bound("MAX_DEPTH") or room, (room - len("qua_han")) // 2)
    inner = _repeat("qua_han", " và ", "qua_han", room - 2 * depth)
    return "(" * depth + inner + ")" * depth


def _not_chain(room: int) -> str:
    depth = min(_bound("MAX_DEPTH") or room, (room - len("qua_han")) // len("không "))
    group = "không " * depth + "qua_han"
    return _repeat(group, " và ", group, room)


def _numbers(room: int) -> str:
    """One number as long as allowed (or as the room), else many distinct
    longest numbers: every constant widens the answers the check must try."""
    if _bound("MAX_NUMBER_DIGITS") is None:
        return "so_tre > " + "9" * (room - len("so_tre > "))
    top = _bound("MAX_NUMBER")
    parts, i = [], 0
    while True:
        part = f"so_tre = {top - i}" if i % 2 == 0 else f"so_tre_2 = {top - i}"
        if len(" hoặc ".join(parts + [part])) > room:
            return " hoặc ".join(parts)
        parts.append(part)
        i += 1


def _many_conditions(questions: list[str], condition: str) -> str:
    """As many notes with ``condition`` as fit."""
    head = _with_questions(questions, [])
    note = f'  - noi_dung: Lưu ý.\n    chi_khi: "{condition}"\n'
    return _fill(head, note)


def _max_questions() -> int:
    """The most questions a procedure may have (40 where nothing bounds them)."""
    from generator.content import model

    f = next(f for f in model.schema_fields(model.Procedure) if f.metadata["key"] == "cau_hoi")
    return f.metadata.get("max_items") or 40


def yes_no_never_true() -> tuple[str, None]:
    """As many yes/no questions as allowed, and as many conditions as fit,
    each never true, which shows only once the last question is tried: a
    proof search cannot cut any branch before it (and the enumeration of
    answers goes through its whole budget for each)."""
    qs = [f"q{i:02d}" for i in range(1, _max_questions() + 1)]
    condition = "(" + " hoặc ".join(qs[:-1]) + f") và {qs[-1]} và không {qs[-1]}"
    return _many_conditions(qs, condition), None


def yes_no_late_answer() -> tuple[str, None]:
    """Conditions true for one combination of answers only, the last one an
    enumeration in order reaches: every question answered "không"."""
    qs = [f"q{i:02d}" for i in range(1, _max_questions() + 1)]
    return _many_conditions(qs, " và ".join(f"không {q}" for q in qs)), None


def unknown_keys() -> tuple[str, None]:
    """As many unknown keys as fit, or as the bound on values allows."""
    from generator.content import yamlsource

    most = (getattr(yamlsource, "MAX_NODES", 10**9) - 200) // 2  # a key and its value; the base file holds ~100
    lines, size, i = [], len(BASE.encode("utf-8")), 0
    while i < most:
        line = f"khoa_la_{i}: 1\n"
        if size + len(line) > LIMIT:
            break
        lines.append(line)
        size, i = size + len(line), i + 1
    return BASE + "".join(lines), None


def _keywords(head: str, unit: str, tail: str = "") -> tuple[str, None]:
    """The base procedure with its 'tu_khoa' line written as ``head`` + ``unit`` × as many as fit + ``tail``."""
    line = "tu_khoa: [làm giấy khai sinh]"
    room = LIMIT - len(BASE.replace(line, "").encode("utf-8"))
    return BASE.replace(line, _fill(head, unit, tail, limit=room)), None


def forbidden_characters() -> tuple[str, None]:
    return _with_summary(_fill("", "\u200b", limit=LIMIT - len(_with_summary("").encode("utf-8")))), None


def long_yaml_integer() -> tuple[str, None]:
    item = "  - ten: Tờ khai đăng ký khai sinh\n"
    text = BASE.replace(item, item + "    so_luong: @\n")
    return text.replace("@", "9" * (LIMIT - len(text.encode("utf-8")) + 1)), None


CASES = {
    # name: (what the file holds, generator → (file text, inline text or None))
    "baseline": ("the valid fixture procedure, for comparison", lambda: (BASE, None)),
    "yaml-nesting": ("tu_khoa of '[[[[…' (YAML lists nested)", lambda: _keywords("tu_khoa: ", "[")),
    "yaml-many-values": ("tu_khoa of '[a,a,a,…]' (~250,000 values)", lambda: _keywords("tu_khoa: [", "a,", "a]")),
    "yaml-error-at-end": ("a ~500 KB quoted tom_tat, then an unclosed quote (parsed twice, the second time by the "
                          "pure-Python parser for its error wording)", lambda: (_summary_case("ab ")[0] + 'x: "\n', None)),
    "inline-brackets": ("tom_tat of '[[[[…'", lambda: _summary_case("[")),
    "inline-open-links": ("tom_tat of '[a](b[a](b…' (links never closed)", lambda: _summary_case("[a](b")),
    "inline-open-bold": ("tom_tat of '**a **a …' (bold never closed)", lambda: _summary_case("**a ")),
    "inline-open-italic": ("tom_tat of '*a *a …' (italic never closed)", lambda: _summary_case("*a ")),
    "condition-nesting": ("chi_khi of '((((qua_han và …))))', deepest allowed", lambda: _condition_case(_nested)),
    "condition-not-chain": ("chi_khi of 'không không … qua_han và …', deepest allowed",
                            lambda: _condition_case(_not_chain)),
    "condition-long": ("chi_khi of 'qua_han và qua_han và …', longest allowed",
                       lambda: _condition_case(lambda room: _repeat("qua_han", " và ", "qua_han", room))),
    "condition-numbers": ("chi_khi comparing with the longest numbers allowed, as many as fit",
                          lambda: _condition_case(_numbers, questions=("qua_han", "so_tre", "so_tre_2"))),
    "yes-no-never-true": ("most yes/no questions; conditions never true, found last", yes_no_never_true),
    "yes-no-late-answer": ("most yes/no questions; conditions true for the last answers only", yes_no_late_answer),
    "yaml-long-integer": ("so_luong of ~500,000 digits", long_yaml_integer),
    "forbidden-characters": ("tom_tat of ~170,000 zero-width spaces", forbidden_characters),
    "unknown-keys": ("as many unknown keys as allowed (each gets a did-you-mean hint)", unknown_keys),
}


# --- measuring, one case per process ---------------------------------------------------


def measure(phase: str, name: str, root: Path) -> dict:
    """Time one phase of one case in this process (the parent kills it on timeout)."""
    text, inline = CASES[name][1]()
    if phase == "render":
        from generator.content.inline import plain_text, render_inline

        started, cpu = time.perf_counter(), time.process_time()
        render_inline(inline)
        plain_text(inline)
        return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    from generator.content.handbook import load_handbook

    path = root / FILE
    started, cpu = time.perf_counter(), time.process_time()
    _, sink = load_handbook(root, only=[path])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    mine = [e for e in sink.items if e.path == FILE]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "errors": sum(not e.warning for e in mine),
        "warnings": sum(e.warning for e in mine),
        "first": mine[0].format().splitlines()[0][:110] if mine else "",
    }


def run_case(phase: str, name: str, root: Path, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", phase, name, str(root)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"crash": last[:110]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _seconds(result: dict) -> str:
    if "timeout" in result:
        return f"> {result['timeout']:g} s"
    if "crash" in result:
        return "crash"
    return f"{result['seconds']:.2f} s ({result['cpu']:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a case is stopped (default 60)")
    parser.add_argument("--only", nargs="+", choices=list(CASES), metavar="CASE", help="run these cases only")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--measure", nargs=3, metavar=("PHASE", "CASE", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        phase, name, root = args.measure
        print(json.dumps(measure(phase, name, Path(root))))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kho"
        shutil.copytree(MINI, root)
        print(f"Hostile files of at most {MAX_FILE_BYTES // 1024} KB, validated alone; timeout {args.timeout:g} s.\n")
        print("Times: wall (CPU) seconds.")
        print(f"{'case':24} {'size':>7} {'validate':>15} {'render':>15} {'err':>5} {'warn':>5}  first message")
        for name in args.only or CASES:
            what, make = CASES[name]
            text, inline = make()
            data = text.encode("utf-8")
            assert len(data) <= MAX_FILE_BYTES, name
            (root / FILE).write_bytes(data)
            result = {"what": what, "bytes": len(data), "validate": run_case("validate", name, root, args.timeout)}
            if inline is not None:
                result["render"] = run_case("render", name, root, args.timeout)
            results[name] = result
            v = result["validate"]
            print(f"{name:24} {len(data) // 1024:>4} KB {_seconds(v):>15} "
                  f"{_seconds(result['render']) if 'render' in result else '':>15} "
                  f"{v.get('errors', ''):>5} {v.get('warnings', ''):>5}  {v.get('first') or v.get('crash', '')}", flush=True)
            (root / FILE).unlink()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
