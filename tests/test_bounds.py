"""Hostile content cannot make validation or the build slow, or crash them:
every scan is linear or bounded, and a bound that is hit is reported where
it is hit, in Vietnamese.

No test here measures speed (benchmarks/hostile.py does).  What used to hang
for minutes runs in a forked process with a generous time limit, so that a
regression fails instead of hanging the suite."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from generator.content import conditions, model, yamlsource
from generator.content.conditions import ConditionError, QuestionInfo, check, parse, parse_answer
from generator.content.handbook import load_handbook

from test_loader import KHAI_SINH, line_of, replace_in

TIME_LIMIT = 20  # seconds; each case takes well under one
SOTAY = Path(sys.executable).with_name("sotay")


def within(fn, *args):
    """``fn(*args)`` in a forked process: its result, or a test failure if it
    raises or is not done in TIME_LIMIT seconds."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def run():
        try:
            send.send(("ok", fn(*args)))
        except BaseException:
            send.send(("error", traceback.format_exc()))

    process = ctx.Process(target=run)
    process.start()
    if not receive.poll(TIME_LIMIT):
        process.kill()
        process.join()
        pytest.fail(f"not done in {TIME_LIMIT} s")
    status, value = receive.recv()
    process.join()
    if status == "error":
        pytest.fail(value)
    return value


def items_of(root: Path, rel: str = KHAI_SINH) -> list[tuple]:
    """(line, column, message, warning) of everything validating one file reports on it."""
    _, sink = load_handbook(root, only=[root / rel])
    return [(e.line, e.column, e.message, e.warning) for e in sink.items if e.path == rel]


def add_to_procedure(root: Path, text: str, rel: str = KHAI_SINH) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def yes_no_questions(n: int) -> str:
    return "cau_hoi:\n" + "".join(f"  - ma: q{i:02d}\n    hoi: Câu {i}?\n    nhan: Câu {i}\n" for i in range(1, n + 1))


def notes(conditions_: list[str]) -> str:
    return "luu_y:\n" + "".join(f'  - noi_dung: Lưu ý {i}.\n    chi_khi: "{c}"\n' for i, c in enumerate(conditions_))


# --- inline markup ----------------------------------------------------------------


@pytest.mark.parametrize("unit", ["[", "[a](b", "**a "], ids=["brackets", "open-links", "open-bold"])
def test_inline_markup_of_half_a_megabyte_renders_in_time(unit):
    from generator.content.inline import plain_text, render_inline

    text = unit * (500_000 // len(unit))
    rendered, plain = within(lambda: (len(render_inline(text)), len(plain_text(text))))
    assert rendered >= len(text) and plain == len(text)  # nothing is markup: every character stays
