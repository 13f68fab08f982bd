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

from generator.content import conditions, model, satisfiability, yamlsource
from generator.content.conditioncheck import QuestionInfo, check
from generator.content.conditions import ConditionError, parse, parse_answer
from generator.content.checks import is_completeness_note
from generator.content.errors import MAX_ERRORS_PER_FILE
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
    return [(e.line, e.column, e.message, e.warning) for e in sink.items if e.path == rel and not is_completeness_note(e)]


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


# --- the condition language ----------------------------------------------------------

QUESTIONS = {"qua_han": QuestionInfo("co-khong"), "so_tre": QuestionInfo("so")}


@pytest.mark.parametrize("text,offset,message", [
    ("(" * 21 + "qua_han" + ")" * 21, 20, "lồng nhau quá sâu"),
    ("(" * 400 + "qua_han" + ")" * 400, 20, "lồng nhau quá sâu"),
    ("không " * 21 + "qua_han", 6 * 20, "lồng nhau quá sâu"),
    ("không " * 160 + "qua_han", 6 * 20, "lồng nhau quá sâu"),
    ("qua_han và " * 100 + "qua_han", 0, "điều kiện quá dài"),
    ("so_tre > " + "9" * 5000, 0, "điều kiện quá dài"),
    ("so_tre > " + "9" * 16, 9, "số quá dài"),
    ("so_tre > 1" + "0" * 400 + ".5", 9, "số quá dài"),
    ("qua_han và so_tre < 10000000000001", 20, "quá lớn"),
    ("so_tre > -2000000000000", 9, "quá lớn"),
])
def test_condition_bounds_are_located_errors(text, offset, message):
    with pytest.raises(ConditionError) as err:
        check(parse(text), QUESTIONS)
    assert message in err.value.message and err.value.offset == offset
    assert err.value.hint


def test_condition_true_only_for_the_last_answers_tried_is_accepted():
    # 14 yes/no questions: 3^14 combinations; "every answer is no" comes late in order.
    questions = {f"q{i:02d}": QuestionInfo("co-khong") for i in range(1, 15)}
    check(parse(" và ".join(f"không {q}" for q in questions)), questions)
    check(parse(" và ".join(questions) + ' và không (q01 = sai)'), questions)


def test_check_that_needs_too_many_steps_is_skipped_not_an_error():
    from generator.content.satisfiability import CheckBudget, CheckSkipped

    questions = {f"q{i:02d}": QuestionInfo("co-khong") for i in range(1, 21)}
    hard = "(" + " hoặc ".join(list(questions)[:-1]) + ") và q20 và không q20"  # never true, seen only at q20
    with pytest.raises(CheckSkipped) as err:
        check(parse(hard), questions)
    assert "quá nhiều bước" in err.value.message and err.value.offset == 0 and err.value.hint
    # The steps a procedure has are shared: once spent, the proof is skipped even for easy conditions.
    budget = CheckBudget()
    for _ in range(satisfiability.PROCEDURE_CHECK_STEPS // satisfiability.CONDITION_CHECK_STEPS):
        with pytest.raises(CheckSkipped):
            check(parse(hard), questions, budget)
    assert budget.left == 0
    with pytest.raises(CheckSkipped):
        check(parse("q01"), questions, budget)
    # Errors other than "never true" are still found when the steps are spent.
    with pytest.raises(ConditionError) as err:
        check(parse("q01 và q99"), questions, budget)
    assert not isinstance(err.value, CheckSkipped) and "không có câu hỏi 'q99'" in err.value.message


def test_many_yes_no_questions_and_conditions_validate_in_time(mini):
    hard = "(" + " hoặc ".join(f"q{i:02d}" for i in range(1, 17)) + ") và q17 và không q17"
    late = " và ".join(f"không q{i:02d}" for i in range(1, 18))
    add_to_procedure(mini, yes_no_questions(17) + notes([late, hard] + [late, hard] * 30))
    found = within(items_of, mini)
    assert [f for f in found if not f[3]] == []  # warnings only: the file is valid
    first = line_of(mini, KHAI_SINH, hard)
    assert found[0][:2] == (first, len('    chi_khi: "') + 1)
    assert "chưa kiểm tra được điều kiện này" in found[0][2]
    # `sotay validate` says so, and succeeds.
    cmd = [str(SOTAY)] if SOTAY.exists() else [sys.executable, "-m", "generator.cli"]
    done = subprocess.run([*cmd, "validate", KHAI_SINH], cwd=mini, capture_output=True, text=True, timeout=TIME_LIMIT)
    assert done.returncode == 0, done.stderr
    assert f"{KHAI_SINH}:{first}:15: lưu ý: điều kiện: chưa kiểm tra được" in done.stderr


def test_strict_validation_passes_when_a_never_true_proof_was_cut_short(mini):
    """The proof running out of steps says nothing wrong about the content: the
    pull request's `sotay validate --strict` passes, and still tells the editor
    which condition was not fully checked; a real warning still fails it."""
    hard = "(" + " hoặc ".join(f"q{i:02d}" for i in range(1, 17)) + ") và q17 và không q17"
    add_to_procedure(mini, yes_no_questions(17) + notes([hard] * 6))
    cmd = [str(SOTAY)] if SOTAY.exists() else [sys.executable, "-m", "generator.cli"]
    done = subprocess.run([*cmd, "validate", "--strict"], cwd=mini, capture_output=True, text=True, timeout=TIME_LIMIT * 3)
    assert done.returncode == 0, done.stderr
    first = line_of(mini, KHAI_SINH, hard)
    assert f"{KHAI_SINH}:{first}:15: lưu ý: điều kiện: chưa kiểm tra được điều kiện này" in done.stderr
    assert "cảnh báo" not in done.stderr
    # A real warning beside the notes: --strict refuses it, and only it.
    from generator.content.checks import apply_strict

    hb, sink = load_handbook(mini)
    sink.warn(KHAI_SINH, 1, 1, "a warning")
    strict = apply_strict(hb, sink)
    assert [e.message for e in strict.errors] == ["a warning"]
    kept = [n for n in strict.notes if not is_completeness_note(n)]
    assert kept and all("chưa kiểm tra được" in n.message for n in kept)


# --- answers typed by a person ---------------------------------------------------------


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e400", "10000000000000",
                                 "1" * 300, "1" * 5000])
def test_numeric_answers_are_finite_and_bounded(raw):
    question = model.Question(key="so_tre", text="Mấy trẻ?", label="Số trẻ", kind="so")
    with pytest.raises(ValueError) as err:
        parse_answer(question, raw)
    assert "cần một số từ" in str(err.value) or "quá dài" in str(err.value)


def test_choice_by_number_takes_ascii_digits_only():
    question = model.Question(key="nguoi_di", text="Ai đi?", label="Người đi", kind="mot-lua-chon",
                              choices={"cha": "Cha", "me": "Mẹ"})
    assert parse_answer(question, "2") == "me"
    for raw in ("²", "٢", "1" * 5000):
        with pytest.raises(ValueError, match="chọn một trong|quá dài"):
            parse_answer(question, raw)


def test_cli_guide_refuses_non_finite_numbers(mini, run):
    add_to_procedure(mini, "cau_hoi:\n  - ma: so_tre\n    hoi: Mấy trẻ?\n    nhan: Số trẻ\n    kieu: so\n"
                     + notes(["so_tre >= 2"]))
    assert run("guide", "dang-ky-khai-sinh", "-a", "so_tre=3").exit_code == 0
    for raw in ("nan", "inf", "-inf", "1e999"):
        result = run("guide", "dang-ky-khai-sinh", "-a", f"so_tre={raw}")
        assert result.exit_code == 1 and "câu 'so_tre': cần một số từ -1.000.000.000.000 đến 1.000.000.000.000" in result.output


# --- content files ---------------------------------------------------------------------


def test_integer_with_thousands_of_digits_is_a_located_error(mini):
    for digits in (16, 5000):
        replace_in(mini, KHAI_SINH, "  - ten: Giấy chứng sinh\n", f"  - ten: Giấy chứng sinh\n    so_luong: {'9' * digits}\n")
        line = line_of(mini, KHAI_SINH, "so_luong:")
        assert items_of(mini) == [(line, 15, f"'so_luong' có số quá dài ({digits} chữ số, tối đa 15)", False)]
        replace_in(mini, KHAI_SINH, f"    so_luong: {'9' * digits}\n", "")


def test_thousands_of_forbidden_characters_are_reported_up_to_a_cap(mini):
    replace_in(mini, KHAI_SINH, "tom_tat: Đăng ký", "tom_tat: Đăng ký" + "\u200b" * 150_000)
    found = within(items_of, mini)
    assert len(found) == MAX_ERRORS_PER_FILE + 1
    line = line_of(mini, KHAI_SINH, "tom_tat:")
    start = len("tom_tat: Đăng ký") + 1
    assert found[0] == (line, start, "ký tự rộng bằng 0 (zero-width space) U+200B không được phép", False)
    assert found[-1][:3] == (line, start + MAX_ERRORS_PER_FILE,
                             f"quá nhiều lỗi trong tệp: chỉ báo {MAX_ERRORS_PER_FILE} lỗi đầu tiên")


def test_thousands_of_unknown_keys_are_reported_up_to_a_cap(mini):
    add_to_procedure(mini, "".join(f"khoa_la_{i}: 1\n" for i in range(9_000)))
    found = within(items_of, mini)
    assert len(found) == MAX_ERRORS_PER_FILE + 1
    assert found[0][2] == "khóa không hợp lệ 'khoa_la_0'"
    assert found[-1][2] == f"quá nhiều lỗi trong tệp: chỉ báo {MAX_ERRORS_PER_FILE} lỗi đầu tiên"


def test_file_with_too_many_values_is_refused_where_the_bound_is_hit(mini):
    replace_in(mini, KHAI_SINH, "tu_khoa: [làm giấy khai sinh]", "tu_khoa: [" + "a, " * 30_000 + "a]")
    found = within(items_of, mini)
    line = line_of(mini, KHAI_SINH, "tu_khoa:")
    assert len(found) == 1 and found[0][0] == line and found[0][3] is False
    assert found[0][2].startswith(f"tệp có quá nhiều giá trị (tối đa {conditions.vi_number(yamlsource.MAX_NODES)}")
    column = found[0][1]
    assert (column - len("tu_khoa: [") - 1) % 3 == 0  # at an item of the list


# --- lists that code reads with a hard limit ------------------------------------------

QUIZ = """dao_tao:
  muc_tieu: [Biết thời hạn.]
  cau_hoi_kiem_tra:
    - ma: thoi-han
      hoi: Thời hạn?
      lua_chon: [{choices}]
      dap_an: [1]
      giai_thich: Vì luật.
      can_cu: {{van_ban: 60/2014/QH13}}
"""


def test_quiz_question_with_more_choices_than_letters_is_refused_not_a_crash(mini):
    from generator.content.errors import ContentErrors
    from generator.site.build import build_site

    choices = [f"Lựa chọn {i}" for i in range(1, 28)]
    add_to_procedure(mini, QUIZ.format(choices=", ".join(choices)))
    line = line_of(mini, KHAI_SINH, "lua_chon:")
    text = (mini / KHAI_SINH).read_text(encoding="utf-8").splitlines()[line - 1]
    found = items_of(mini)
    assert found == [(line, text.index("Lựa chọn 27") + 1,
                      "'lua_chon' có 27 mục, tối đa 26: mục này là mục thứ 27", False)]
    with pytest.raises(ContentErrors):
        build_site(mini)
    # 26 choices (A–Z) are fine, and build.
    replace_in(mini, KHAI_SINH, ", Lựa chọn 27]", "]")
    assert items_of(mini) == []


@pytest.mark.parametrize("text,key,maximum", [
    (yes_no_questions(model.MAX_QUESTIONS + 1) + notes(["q01"]), "cau_hoi", model.MAX_QUESTIONS),
    ("cau_hoi:\n  - ma: chon\n    hoi: Chọn?\n    nhan: Chọn\n    kieu: mot-lua-chon\n    lua_chon: {"
     + ", ".join(f"c{i}: C{i}" for i in range(model.MAX_CHOICES + 1)) + "}\n" + notes(['chon = \\"c0\\"']),
     "lua_chon", model.MAX_CHOICES),
    (QUIZ.format(choices="Có, Không").replace("  cau_hoi_kiem_tra:", "  ho_so_thuc_hanh:\n    - ma: ho-so\n      ten: Hồ sơ\n"
     "      boi_canh: Nộp.\n      giay_to:\n" + "        - {ten: Tờ khai, mo_ta: Đủ.}\n" * (model.MAX_PRACTICE_DOCUMENTS + 1)
     + "      loi:\n        - {loai: thieu-chu-ky, mo_ta: Thiếu chữ ký.}\n  cau_hoi_kiem_tra:"), "giay_to",
     model.MAX_PRACTICE_DOCUMENTS),
], ids=["questions", "choices", "practice-documents"])
def test_lists_are_bounded(mini, text, key, maximum):
    add_to_procedure(mini, text)
    found = items_of(mini)
    assert len(found) == 1, found
    assert found[0][2] == f"'{key}' có {maximum + 1} mục, tối đa {maximum}: mục này là mục thứ {maximum + 1}"


def test_json_schema_bounds_the_same_lists():
    from generator.editing.jsonschema import procedure_schema

    defs = procedure_schema()["$defs"]
    assert defs["QuizQuestion"]["properties"]["lua_chon"]["maxItems"] == len(model.QUIZ_LETTERS)
    assert defs["QuizQuestion"]["properties"]["dap_an"]["maxItems"] == len(model.QUIZ_LETTERS)
    assert defs["Question"]["properties"]["lua_chon"]["maxProperties"] == model.MAX_CHOICES
    assert defs["PracticeDossier"]["properties"]["giay_to"]["maxItems"] == model.MAX_PRACTICE_DOCUMENTS
    assert procedure_schema()["properties"]["cau_hoi"]["maxItems"] == model.MAX_QUESTIONS


# --- the editors' schema page ------------------------------------------------------------


def test_schema_page_states_the_limits(mini):
    from generator.site.build import build_site

    site = build_site(mini)
    html = (site / "bien-tap/luoc-do/index.html").read_text(encoding="utf-8")
    limits = html[html.index('id="gioi-han"'):]
    limits = limits[: limits.index("</table>")]
    vi = conditions.vi_number
    for text in (f"tối đa {yamlsource.MAX_FILE_BYTES // 1024} KB", f"tối đa {yamlsource.MAX_DEPTH} mức",
                 f"tối đa {vi(conditions.MAX_CONDITION_CHARS)} ký tự", f"tối đa {conditions.MAX_DEPTH} mức ngoặc",
                 f"tối đa {conditions.MAX_NUMBER_DIGITS} chữ số", vi(conditions.MAX_NUMBER),
                 f"{vi(satisfiability.CONDITION_CHECK_STEPS)} bước cho mỗi điều kiện",
                 f"{vi(satisfiability.PROCEDURE_CHECK_STEPS)} bước cho cả thủ tục",
                 f"tối đa {vi(yamlsource.MAX_NODES)}", f"tối đa {len(model.QUIZ_LETTERS)} mục"):
        assert text in limits, text
