"""Whether some answers make a condition true: the "never true" proof.

A condition no answers satisfy hides its item for good, which is always an
editor's mistake.  The proof searches the answers that can matter: every
choice, yes and no, unanswered, and for numbers and dates each constant the
condition compares the question with and answers inside every interval
between and beyond them, so ranges are decided exactly.

The search is bounded (a content file is read from anyone's pull request): at
most ``CONDITION_CHECK_STEPS`` steps per condition and
``PROCEDURE_CHECK_STEPS`` per procedure; beyond, it stops with
``CheckSkipped``, which says the proof was not completed: a note for the
editor, not a fault of the content, so ``--strict`` does not refuse it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .conditions import Compiled, ConditionError, comparable, compare, question_refs, vi_number

if TYPE_CHECKING:
    from .conditioncheck import QuestionInfo

# One step is one node of a condition looked at under some answers (about a
# microsecond); real conditions need a few hundred.
CONDITION_CHECK_STEPS = 20_000
PROCEDURE_CHECK_STEPS = 100_000


class CheckSkipped(ConditionError):
    """Every check passed but the "never true" proof, which ran out of steps:
    a note, not an error (``check`` raises it last)."""


class CheckBudget:
    """Steps left for the "never true" proofs of one procedure's conditions."""

    def __init__(self, steps: int = PROCEDURE_CHECK_STEPS) -> None:
        self.left = steps


def satisfiable(node: Compiled, questions: dict[str, QuestionInfo], budget: CheckBudget) -> bool:
    """Whether some answers make ``node`` (compiled, without offsets) true;
    CheckSkipped when finding out takes more steps than the condition's share
    of ``budget``.  The steps used are taken from ``budget``."""
    if budget.left <= 0:
        raise _skipped()
    search = _Search(node, min(budget.left, CONDITION_CHECK_STEPS))
    try:
        return search.satisfiable(answer_domains(node, questions))
    except _OutOfSteps:
        raise _skipped() from None
    finally:
        budget.left -= search.used


def _skipped() -> CheckSkipped:
    return CheckSkipped(
        "chưa kiểm tra được điều kiện này có lúc nào đúng không: "
        "thử các tổ hợp câu trả lời cần quá nhiều bước", 0,
        f"kiểm tra dừng sau {vi_number(CONDITION_CHECK_STEPS)} bước cho một điều kiện, "
        f"{vi_number(PROCEDURE_CHECK_STEPS)} bước cho cả thủ tục; viết điều kiện ngắn hơn, với ít câu hỏi hơn, "
        "hoặc bớt số điều kiện. Mục vẫn hiện khi câu trả lời làm điều kiện đúng.")


def answer_domains(node, questions) -> list[tuple[str, list]]:
    """The answers that can matter to ``node``, question by question: each
    choice, yes/no and unanswered; for numbers and dates, answers in every
    interval the constants compared against cut the line into (see
    ``_points``)."""
    names = sorted({r[1] for r in question_refs(node)})
    constants: dict[str, set] = {n: set() for n in names}
    linked: dict[str, str] = {n: n for n in names}  # questions compared with each other share their points
    _collect_constants(node, constants, linked)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_root(linked, name), []).append(name)
    domains = []
    for name in names:
        q = questions[name]
        if q.kind == "co-khong":
            domain = [True, False]
        elif q.kind == "mot-lua-chon":
            domain = list(q.choices)
        else:
            group = groups[_root(linked, name)]
            domain = _points(q.kind, set().union(*(constants[n] for n in group)), len(group))
        domains.append((name, [*domain, None]))
    return domains


def _points(kind: str, constants: set, k: int) -> list:
    """Answers to a number or date question that meet every case the
    ``constants`` make: each constant, and ``k`` answers inside each interval
    between and beyond them (``k``: how many questions are compared with each
    other, so that each can take its own answer in one interval).  A
    comparison with a constant is then true on all of an interval or on none,
    so these answers decide the condition as all answers would.  Numbers may
    be decimals (``so_tre > 1.5 và so_tre < 2`` holds for 1.75); dates are
    whole days, so an interval may hold fewer than ``k`` of them, or none."""
    if kind == "so":
        values = sorted({c for c in constants if not isinstance(c, bool)})
        if not values:
            return list(range(k))
        points = set(values) | {values[0] - j for j in range(1, k + 1)} | {values[-1] + j for j in range(1, k + 1)}
        for a, b in zip(values, values[1:]):
            points |= {a + (b - a) * j / (k + 1) for j in range(1, k + 1)}
        return sorted(points)
    # ngay: ISO strings compare in date order
    values = sorted({c for c in constants if isinstance(c, str)} | {"0000-01-01", "9999-12-31"})
    points = set(values)
    for a, b in zip(values, values[1:]):
        day = a
        for _ in range(k):
            day = _next_day(day)
            if not a < day < b:
                break
            points.add(day)
    return sorted(points)


class _OutOfSteps(Exception):
    pass


_UNKNOWN = object()  # a question not given an answer yet by the search (None is "unanswered")


class _Search:
    """Whether some combination of answers makes a condition true: a
    depth-first search that gives answers one question at a time and drops
    a branch as soon as the answers given so far decide the condition
    (three-valued: true, false, or not decided yet).  Exact over the answer
    domains, like trying every combination, but usually visiting a handful;
    stops with _OutOfSteps after ``steps`` nodes looked at."""

    def __init__(self, node: Compiled, steps: int) -> None:
        self.node, self.steps, self.used = node, steps, 0
        self.given: dict[str, Any] = {}

    def satisfiable(self, domains: list[tuple[str, list]], i: int = 0) -> bool:
        truth = self.truth(self.node)
        if truth is not None:
            return truth
        name, values = domains[i]  # undecided: some question is still without an answer
        for value in values:
            self.given[name] = value
            if self.satisfiable(domains, i + 1):
                return True
        del self.given[name]
        return False

    def truth(self, node) -> bool | None:
        """True or False if every answer still to give agrees, else None."""
        if self.used == self.steps:
            raise _OutOfSteps
        self.used += 1
        kind = node[0]
        if kind in ("or", "and"):
            decisive = kind == "or"  # a true part decides "or", a false one "and"
            result: bool | None = not decisive
            for x in node[1:]:
                t = self.truth(x)
                if t is decisive:
                    return decisive
                if t is None:
                    result = None
            return result
        if kind == "not":
            t = self.truth(node[1])
            return None if t is None else not t
        if kind == "q":
            value = self.given.get(node[1], _UNKNOWN)
            return None if value is _UNKNOWN else value is True
        if kind == "v":
            return node[1] is True
        if kind == "in":
            value = self.value(node[1])
            return None if value is _UNKNOWN else any(comparable(value, v) and value == v for v in node[2])
        if kind == "cmp":
            a, b = self.value(node[2]), self.value(node[3])
            return None if a is _UNKNOWN or b is _UNKNOWN else compare(node[1], a, b)
        raise ValueError(f"unknown node {kind!r}")

    def value(self, node):
        if node[0] == "q":
            return self.given.get(node[1], _UNKNOWN)
        if node[0] == "v":
            return node[1]
        t = self.truth(node)
        return _UNKNOWN if t is None else t


def _collect_constants(node, constants, linked) -> None:
    """The constants each question is compared with (``=``, ``<``…, ``trong``),
    and in ``linked`` which questions are compared with each other."""
    if not isinstance(node, list) or not node:
        return
    if node[0] == "cmp":
        a, b = node[2], node[3]
        for q, other in ((a, b), (b, a)):
            if q[0] == "q" and other[0] == "v" and q[1] in constants:
                constants[q[1]].add(other[1])
        if a[0] == "q" and b[0] == "q":
            linked[_root(linked, a[1])] = _root(linked, b[1])
    if node[0] == "in" and node[1][0] == "q":
        constants[node[1][1]].update(node[2])
    if node[0] in ("q", "v", "in"):
        return
    for x in node[1:]:
        _collect_constants(x, constants, linked)


def _root(linked: dict[str, str], name: str) -> str:
    while linked[name] != name:
        name = linked[name]
    return name


def _next_day(iso: str) -> str:
    try:
        return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()
    except ValueError:
        return iso
