"""The condition language: parsing, errors with their position, static
checks, evaluation, and Python/JavaScript agreement on generated cases."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from generator.content.conditioncheck import QuestionInfo, check
from generator.content.conditions import ConditionError, compile_condition, describe, evaluate, parse
from generator.site.plugin import THEME_DIR

from conftest import require

JS = THEME_DIR / "assets/javascripts/sotay/conditions.js"
QUESTIONS = {
    "sinh_o_nuoc_ngoai": QuestionInfo("co-khong"),
    "qua_han": QuestionInfo("co-khong"),
    "nguoi_di": QuestionInfo("mot-lua-chon", ("cha", "me", "ong-ba")),
    "so_tre": QuestionInfo("so"),
    "ngay_sinh": QuestionInfo("ngay"),
}


@pytest.mark.parametrize("text,answers,expected", [
    ("sinh_o_nuoc_ngoai", {"sinh_o_nuoc_ngoai": True}, True),
    ("sinh_o_nuoc_ngoai", {}, False),
    ("không sinh_o_nuoc_ngoai", {}, True),
    ('qua_han và nguoi_di = "ong-ba"', {"qua_han": True, "nguoi_di": "ong-ba"}, True),
    ('qua_han và nguoi_di = "ong-ba"', {"qua_han": True, "nguoi_di": "cha"}, False),
    ('so_tre >= 2 hoặc nguoi_di trong ["cha", "me"]', {"so_tre": 1, "nguoi_di": "me"}, True),
    ("so_tre >= 2", {}, False),  # unanswered: no comparison holds
    ("không (so_tre < 2)", {}, True),
    ('ngay_sinh < "2016-01-01"', {"ngay_sinh": "2015-12-31"}, True),
    ("qua_han = sai", {"qua_han": False}, True),
    ("qua_han ≠ đúng và so_tre > 1.5", {"qua_han": False, "so_tre": 2}, True),
])
def test_evaluation(text, answers, expected):
    check(parse(text), QUESTIONS)
    assert evaluate(compile_condition(text), answers) is expected


@pytest.mark.parametrize("text,offset,message", [
    ("qua_han và", 10, "bị cụt"),
    ("qua_han hoặc (so_tre > 1", 24, "thiếu ')'"),
    ("qua_han @ so_tre", 8, "ký tự không hiểu được '@'"),
    ("sinh_o_nuoc_ngoai và qua_hn", 21, "không có câu hỏi 'qua_hn'"),
    ('nguoi_di = "chu"', 0, "không có lựa chọn 'chu'"),
    ("nguoi_di", 0, "không phải câu có/không"),
    ('so_tre > "hai"', 0, "cần so với một số"),
    ("qua_han và không qua_han", 0, "không bao giờ hiện"),
    ("so_tre > 3 và so_tre < 2", 0, "không bao giờ hiện"),
    ('nguoi_di > "cha"', 0, "lớn/nhỏ"),
    ("", 0, "trống"),
    ("qua_han qua_han", 8, "không hiểu 'qua_han' ở đây"),
])
def test_errors_are_located(text, offset, message):
    with pytest.raises(ConditionError) as err:
        check(parse(text), QUESTIONS)
    assert message in err.value.message and err.value.offset == offset


NUMBERS_AND_DATES = {"so_tre": QuestionInfo("so"), "so_con": QuestionInfo("so"),
                     "ngay_sinh": QuestionInfo("ngay"), "ngay_nop": QuestionInfo("ngay")}


@pytest.mark.parametrize("text", [
    "so_tre > 1.5 và so_tre < 2",  # open interval of decimals
    "so_tre > 1 và so_tre < 2",  # between two integers: 1.5 is an answer
    "so_tre > 0.1 và so_tre < 0.2",
    "so_tre >= 1.5 và so_tre <= 1.5",  # closed, one point
    "so_tre > 1.5 và so_tre <= 2",
    "so_tre >= 1.5 và so_tre < 1.6",
    "so_tre > 2 và so_tre ≠ 3 và so_tre < 4 và so_tre != 2.5",  # holes in an interval
    "so_tre = 2.25 và so_tre > 2 và so_tre < 3",
    "so_tre < -5 và so_tre > -6",
    "so_tre > 1000000000000",  # beyond the largest constant
    "so_tre trong [1.5, 7]",
    "so_tre trong [7] và so_tre > 6.5",
    "so_tre > so_con",  # two questions, no constant
    "so_tre > so_con và so_tre < 2 và so_con > 1",  # both in the same gap
    "so_tre = so_con và so_tre > 1 và so_con < 2",
    'ngay_sinh trong ["2020-01-01"]',
    'ngay_sinh > "2020-01-01" và ngay_sinh < "2020-01-03"',
    'ngay_sinh > ngay_nop và ngay_nop > "2020-01-01" và ngay_sinh < "2020-01-04"',
])
def test_ranges_some_answer_satisfies_are_accepted(text):
    check(parse(text), NUMBERS_AND_DATES)


@pytest.mark.parametrize("text", [
    "so_tre > 2 và so_tre < 1.5",
    "so_tre > 1.5 và so_tre < 1.5",
    "so_tre >= 1.5 và so_tre < 1.5",
    "so_tre > 1.5 và so_tre <= 1.5",
    "so_tre >= 2 và so_tre <= 2 và so_tre ≠ 2",
    "so_tre = 2.5 và so_tre > 3",
    "so_tre trong [1, 2] và so_tre > 2",
    "so_tre > so_con và so_con > so_tre",
    "so_tre > so_con và so_tre < 2 và so_con > 2",
    'ngay_sinh > "2020-01-01" và ngay_sinh < "2020-01-02"',  # no day between two consecutive days
    'ngay_sinh > ngay_nop và ngay_nop > "2020-01-01" và ngay_sinh < "2020-01-03"',
])
def test_ranges_no_answer_satisfies_are_never_true(text):
    with pytest.raises(ConditionError) as err:
        check(parse(text), NUMBERS_AND_DATES)
    assert "không bao giờ hiện" in err.value.message


# Constants on a grid of halves: every interval they leave holds a multiple of
# 1/8 (two of them where two questions are compared), so trying those answers
# is the ground truth the checker must agree with.
_GRID = [n / 8 for n in range(-3 * 8, 8 * 8 + 1)]
_constants = st.integers(0, 10).map(lambda n: n / 2 if n % 2 else n // 2)
_ops = st.sampled_from(["=", "!=", "<", "<=", ">", ">="])
_atoms = st.one_of(
    st.builds(lambda q, op, c: f"{q} {op} {c}", st.sampled_from(["so_tre", "so_con"]), _ops, _constants),
    st.builds(lambda op: f"so_tre {op} so_con", _ops),
    st.builds(lambda cs: "so_tre trong [" + ", ".join(map(str, cs)) + "]", st.lists(_constants, min_size=1, max_size=3)),
)
_ranges = st.builds(lambda parts, joins: parts[0] + "".join(f" {j} {p}" for j, p in zip(joins, parts[1:])),
                    st.lists(_atoms, min_size=1, max_size=4), st.lists(st.sampled_from(["và", "và", "hoặc"]), max_size=3))


@settings(max_examples=300, deadline=None)
@given(_ranges)
def test_never_true_verdict_on_numbers_matches_trying_every_answer(text):
    compiled = compile_condition(text)
    answers = [None, *_GRID]
    truly = any(evaluate(compiled, {"so_tre": a, "so_con": b}) for a in answers for b in answers)
    try:
        check(parse(text), NUMBERS_AND_DATES)
        judged = True
    except ConditionError as err:
        assert "không bao giờ hiện" in err.message
        judged = False
    assert judged == truly, text


def test_unknown_question_suggests_the_closest():
    with pytest.raises(ConditionError) as err:
        check(parse("qua_hn"), QUESTIONS)
    assert "qua_han" in err.value.hint


def test_condition_in_words():
    text = describe(compile_condition('sinh_o_nuoc_ngoai và nguoi_di trong ["cha", "me"]'),
                    {"sinh_o_nuoc_ngoai": "Trẻ sinh ra ở nước ngoài", "nguoi_di": "Người đi đăng ký"},
                    {"nguoi_di": {"cha": "Cha", "me": "Mẹ"}})
    assert text == "Trẻ sinh ra ở nước ngoài và Người đi đăng ký: Cha hoặc Mẹ"


# --- Python and JavaScript agree -------------------------------------------------

NAMES = list(QUESTIONS)
values = st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from(["cha", "me", "ong-ba", "2016-01-01", "x"]),
                   st.floats(-3, 3, allow_nan=False).map(lambda f: round(f, 1)))
leaf = st.one_of(
    st.sampled_from(NAMES).map(lambda n: ["q", n]),
    st.builds(lambda op, n, v: ["cmp", op, ["q", n], ["v", v]], st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
              st.sampled_from(NAMES), values),
    st.builds(lambda n, vs: ["in", ["q", n], vs], st.sampled_from(NAMES), st.lists(values, min_size=1, max_size=3)),
    values.map(lambda v: ["v", v]),
)
trees = st.recursive(leaf, lambda inner: st.one_of(
    inner.map(lambda x: ["not", x]),
    st.lists(inner, min_size=2, max_size=3).map(lambda xs: ["and", *xs]),
    st.lists(inner, min_size=2, max_size=3).map(lambda xs: ["or", *xs]),
), max_leaves=8)
answer_sets = st.dictionaries(st.sampled_from(NAMES), values, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(trees, answer_sets), min_size=20, max_size=20))
def test_python_and_javascript_agree(cases):
    require(shutil.which("node") is not None, "Node.js", "sudo apt-get install nodejs")
    script = ("const c = require(process.argv[1]); const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(cases.map(([t, a]) => c.evaluate(t, a))))")
    out = subprocess.run(["node", "-e", script, str(JS)], input=json.dumps(cases), capture_output=True, text=True,
                         check=True, timeout=60)
    assert json.loads(out.stdout) == [evaluate(t, a) for t, a in cases]
