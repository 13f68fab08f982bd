"""The sotay CLI as a user meets it, through click's CliRunner."""

import json
import shutil

import click
import yaml

from generator import __version__
from generator.content.edition import today_in_vietnam
from generator.content.handbook import load_handbook

from test_loader import KHAI_SINH, line_of, replace_in


def test_help_lists_every_command_in_vietnamese(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "Cách dùng: sotay" in result.output
    for command in ("build", "serve", "validate", "new", "list"):
        assert f"  {command}" in result.output


def test_every_command_help_has_an_example(run):
    for command in ("build", "serve", "validate", "new", "list"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Ví dụ:" in result.output and "Tùy chọn:" in result.output


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"sotay {__version__}"


def test_validate_ok_prints_one_line_summary(mini, run):
    result = run("validate")
    assert result.exit_code == 0
    # The fixture is a draft by the shipped handbook's standard: only located notes ("lưu ý") before the summary.
    *notes, summary = [line for line in result.output.splitlines() if not line.startswith("    gợi ý: ")]
    assert summary == "Hợp lệ: 2 thủ tục, 1 lĩnh vực, 1 văn bản pháp luật, 1 thuật ngữ."
    assert notes and all(": lưu ý: " in line for line in notes)


def test_validate_reports_each_problem_on_its_line_and_exits_1(mini, run):
    replace_in(mini, KHAI_SINH, "linh_vuc: ho-tich\n", "linh_vuc: ho-tich\nten: Lặp\n")    # duplicate key
    replace_in(mini, KHAI_SINH, "tom_tat:", "tom_tac:")                                    # misspelt key
    replace_in(mini, KHAI_SINH, "  so_tien: 0", "  so_tien: không đồng")                   # wrong type
    replace_in(mini, KHAI_SINH, "lien_quan: [dang-ky-ket-hon]", "lien_quan: [dang-ky-ket-hom]")  # dangling
    result = run("validate", KHAI_SINH)
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if l.startswith(KHAI_SINH)]
    assert lines == [
        f"{KHAI_SINH}:{line_of(mini, KHAI_SINH, 'ten: Lặp')}:1: khóa 'ten' bị lặp (đã có ở dòng 1)",
        f"{KHAI_SINH}:{line_of(mini, KHAI_SINH, 'tom_tac')}:1: khóa không hợp lệ 'tom_tac'",
        f"{KHAI_SINH}:{line_of(mini, KHAI_SINH, 'so_tien')}:14: 'so_tien' cần một số nguyên, nhưng gặp một chuỗi",
        f"{KHAI_SINH}:{line_of(mini, KHAI_SINH, 'lien_quan')}:13: không có thủ tục 'dang-ky-ket-hom'",
    ]
    assert "Traceback" not in result.output
    assert "gợi ý: có phải ý bạn là 'tom_tat'?" in result.output
    assert "gợi ý: có phải ý bạn là 'dang-ky-ket-hon'?" in result.output
    assert result.output.rstrip().endswith("Có 4 lỗi trong 1 tệp.")


def test_list_json_and_field_filter(mini, run):
    result = run("list", "--json")
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["dang-ky-ket-hon", "dang-ky-khai-sinh"]
    assert rows[1] == {
        "id": "dang-ky-khai-sinh", "title": "Đăng ký khai sinh", "field": "ho-tich", "field_name": "Hộ tịch",
        "code": "1.000001", "url": "thu-tuc/ho-tich/dang-ky-khai-sinh/", "path": KHAI_SINH,
    }
    assert run("list", "--field", "khong-co").exit_code == 1


def test_works_from_a_subfolder(mini, run, monkeypatch):
    monkeypatch.chdir(mini / "procedures" / "ho-tich")
    assert run("validate").exit_code == 0


def test_outside_a_handbook_says_where_to_run(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 1 and "không tìm thấy thư mục sổ tay" in result.output


def test_new_with_flags_writes_a_valid_file(mini, run):
    result = run("new", "--field", "ho-tich", "--title", "Đăng ký lại khai sinh", "--code", "1.004884")
    assert result.exit_code == 0, result.output
    path = mini / "procedures/ho-tich/dang-ky-lai-khai-sinh.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["ten"] == "Đăng ký lại khai sinh" and data["ma_thu_tuc"] == "1.004884"
    hb, sink = load_handbook(mini)
    assert sink.errors == [] and "dang-ky-lai-khai-sinh" in hb.procedures
    again = run("new", "--field", "ho-tich", "--title", "Đăng ký lại khai sinh")
    assert again.exit_code == 1 and "đã có; chọn tên khác bằng --id" in again.output  # never overwrites


def test_new_interactive_asks_the_essentials(mini, run, monkeypatch):
    monkeypatch.setattr("generator.cli.content.can_prompt", lambda: True)  # as if typed at a terminal
    result = run("new", input="ho-tich\nCấp bản sao trích lục hộ tịch\n\nxa\n")
    assert result.exit_code == 0, result.output
    assert "Lĩnh vực" in result.output and "Tên thủ tục" in result.output
    assert (mini / "procedures/ho-tich/cap-ban-sao-trich-luc-ho-tich.yml").exists()
    assert run("validate").exit_code == 0


PROMPTS = ["Lĩnh vực:", "Tên thủ tục:", "Mã thủ tục quốc gia", "Cấp thực hiện"]


def test_new_never_asks_without_a_terminal(mini, run, monkeypatch):
    # CliRunner's input is not a terminal, like a script's, CI's or an editor task's.
    for stdin in [None, "", "1.000999\ntinh\n"]:  # typed-ahead input is not read either
        result = run("new", "--field", "ho-tich", "--title", "Đăng ký khai tử có yếu tố nước ngoài", input=stdin)
        assert result.exit_code == 0, result.output
        assert not any(p in result.output for p in PROMPTS), result.output
        path = mini / "procedures/ho-tich/dang-ky-khai-tu-co-yeu-to-nuoc-ngoai.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["cap_thuc_hien"] == ["xa"] and "ma_thu_tuc" not in data  # the defaults
        path.unlink()
    # Every value has a flag, and the flags are used as given.
    result = run("new", "--field", "ho-tich", "--title", "Đăng ký giám hộ có yếu tố nước ngoài", "--code", "1.000999",
                 "--level", "tinh", "--id", "giam-ho-nuoc-ngoai")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((mini / "procedures/ho-tich/giam-ho-nuoc-ngoai.yml").read_text(encoding="utf-8"))
    assert (data["ma_thu_tuc"], data["cap_thuc_hien"]) == ("1.000999", ["tinh"])
    # Missing required values: one Vietnamese error naming the flags to pass, nothing asked, nothing written.
    for args, flags in [((), ["--field", "--title"]), (("--title", "Đăng ký nhận cha, mẹ, con"), ["--field"]),
                        (("--field", "ho-tich"), ["--title"]), (("--field", "ho-tich", "--title", "  "), ["--title"])]:
        before = sorted(p.name for p in (mini / "procedures/ho-tich").iterdir())
        result = run("new", *args, input="ho-tich\nTên\n")
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Lỗi: ") and all(flag in result.output for flag in flags), result.output
        assert not any(p in result.output for p in PROMPTS) and "Đã hủy" not in result.output, result.output
        assert sorted(p.name for p in (mini / "procedures/ho-tich").iterdir()) == before
    # At a terminal, flags given on the command line are not asked again.
    monkeypatch.setattr("generator.cli.content.can_prompt", lambda: True)
    result = run("new", "--field", "ho-tich", "--title", "Đăng ký khai tử có yếu tố nước ngoài")
    assert result.exit_code == 0 and not any(p in result.output for p in PROMPTS), result.output


def test_contributing_new_command_works_as_written(tmp_path, run, monkeypatch):
    """The `sotay new …` line in CONTRIBUTING.md, run as written on a copy of the
    shipped handbook: it creates the file without asking, and validation then
    reports exactly the file's "CẦN ĐIỀN" places (reminders locally, errors in
    strict mode, as the guide's next steps say)."""
    import re
    import shlex

    from conftest import REPO

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = re.findall(r"`(sotay new --[^`]*)`", text)
    assert len(commands) == 1, commands
    root = tmp_path / "kho"
    for name in ["procedures", "handbook", "schema"]:
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    monkeypatch.chdir(root)
    before = set(root.glob("procedures/*/*.yml"))
    result = run(*shlex.split(commands[0])[1:])
    assert result.exit_code == 0, result.output
    (created,) = set(root.glob("procedures/*/*.yml")) - before
    rel = created.relative_to(root).as_posix()
    assert f"Đã tạo {rel}" in result.output
    placeholders = created.read_text(encoding="utf-8").count('"CẦN ĐIỀN:')
    assert placeholders >= 5
    local = run("validate")
    assert local.exit_code == 0, local.output
    strict = run("validate", "--strict")
    assert strict.exit_code == 1
    for output, label in [(local.output, "cảnh báo: còn chỗ chưa điền"), (strict.output, "còn chỗ chưa điền")]:
        reports = [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: ", line) and ": lưu ý: " not in line]
        assert len(reports) == placeholders, output
        assert all(line.startswith(rel + ":") and f": {label}: " in line for line in reports), output


def test_click_messages_at_prompts_are_vietnamese(mini, run, monkeypatch):
    """A wrong answer at a prompt, or input ending (Ctrl+D), in Vietnamese: no
    click English reaches the user."""
    from click.testing import CliRunner

    english = ["Error", "Aborted", "is not", "one of", "invalid", "Repeat", "match", "valid", "Choose"]
    monkeypatch.setattr("generator.cli.content.can_prompt", lambda: True)
    for stdin in ["khong-co\n", "ho-tich\nĐăng ký giám hộ có yếu tố nước ngoài\n\nxaa\n", "ho-tich\n", ""]:
        result = run("new", input=stdin)
        assert result.exit_code == 1, result.output
        assert "Đã hủy." in result.output and not [w for w in english if w in result.output], result.output
        if stdin.startswith(("khong-co", "ho-tich\nĐăng")):
            assert "Lỗi: " in result.output and "không" in result.output, result.output
    # Every kind of prompt click offers (the commands may use any), with a wrong
    # answer, then end of input.
    @click.command()
    @click.argument("kind")
    def ask(kind):
        if kind == "confirm":
            click.confirm("Tiếp tục?")
        elif kind == "twice":
            click.prompt("Mật khẩu", confirmation_prompt=True)
        else:
            types = {"choice": click.Choice(["a", "b"]), "one-choice": click.Choice(["a"]), "int": click.INT,
                     "range": click.IntRange(1, 5), "float": click.FLOAT, "bool": click.BOOL,
                     "date": click.DateTime(["%Y-%m-%d"]), "uuid": click.UUID, "file": click.Path(exists=True)}
            click.prompt("Giá trị", type=types[kind])

    for kind, bad in [("choice", "c"), ("one-choice", "c"), ("int", "x"), ("range", "9"), ("float", "x"),
                      ("bool", "x"), ("date", "x"), ("uuid", "x"), ("file", "khong-co.txt"), ("confirm", "x"),
                      ("twice", "1\n2")]:
        result = CliRunner().invoke(ask, [kind], input=bad + "\n")
        assert result.exit_code == 1, (kind, result.output)
        assert "Lỗi: " in result.output and "Đã hủy." in result.output, (kind, result.output)
        assert not [w for w in english if w in result.output], (kind, result.output)


def test_new_refuses_a_title_that_gives_no_id_and_asks_for_one(mini, run, monkeypatch):
    before = sorted(p.name for p in (mini / "procedures/ho-tich").iterdir())
    for title in ("!!!", "  ?? — …  ", "“”", "中文"):
        result = run("new", "--field", "ho-tich", "--title", title, "--code", "", "--level", "xa")
        assert result.exit_code == 1, (title, result.output)
        assert "không có chữ hay chữ số nào để tạo mã định danh" in result.output and "--id" in result.output
        assert "Traceback" not in result.output
    monkeypatch.setattr("generator.cli.content.can_prompt", lambda: True)  # as at a terminal
    result = run("new", input="ho-tich\n!!!\n")  # the same when the title is typed at the prompt
    assert result.exit_code == 1 and "đặt mã bằng --id" in result.output
    assert sorted(p.name for p in (mini / "procedures/ho-tich").iterdir()) == before  # no ".yml", nothing
    result = run("new", "--field", "ho-tich", "--title", "!!!", "--id", "thu-tuc-dac-biet", "--code", "", "--level", "xa")
    assert result.exit_code == 0 and (mini / "procedures/ho-tich/thu-tuc-dac-biet.yml").exists()


def test_new_cuts_a_long_title_into_a_bounded_id_at_a_word(mini, run):
    title = "Đăng ký khai sinh " * 20
    result = run("new", "--field", "ho-tich", "--title", title, "--code", "", "--level", "xa")
    assert result.exit_code == 0, result.output
    [made] = [p for p in (mini / "procedures/ho-tich").iterdir() if p.stem.startswith("dang-ky-khai-sinh-dang")]
    assert 70 < len(made.stem) <= 80 and ("dang-ky-khai-sinh-" * 20).startswith(made.stem + "-")  # whole words
    assert run("validate", str(made)).exit_code == 0
    # one word longer than the limit is cut at the limit
    result = run("new", "--field", "ho-tich", "--title", "a" * 300, "--code", "", "--level", "xa")
    assert result.exit_code == 0 and (mini / f"procedures/ho-tich/{'a' * 80}.yml").exists()
    # an id given with --id is held to the same bound
    result = run("new", "--field", "ho-tich", "--title", "Thủ tục", "--id", "x-" * 50 + "y", "--code", "", "--level", "xa")
    assert result.exit_code == 1 and "tối đa 80" in result.output and "--id" in result.output


def test_build_command_and_broken_build(mini, run):
    result = run("build")
    assert result.exit_code == 0 and (mini / "site/index.html").exists()
    replace_in(mini, KHAI_SINH, "tom_tat:", "tomtat:")
    result = run("build")
    assert result.exit_code == 1 and "tomtat" in result.output
    assert (mini / "site/thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").exists()


def test_unexpected_error_is_one_sentence_and_debug_shows_traceback(mini, run, monkeypatch):
    import generator.cli.content as content

    def boom(*a, **k):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(content, "load_handbook", boom)
    result = run("validate")
    assert result.exit_code == 1 and "Lỗi không mong muốn: hỏng" in result.output and "Traceback" not in result.output
    from click.testing import CliRunner
    from generator.cli import cli
    debug = CliRunner().invoke(cli, ["--debug", "validate"])
    assert isinstance(debug.exception, RuntimeError)


def test_validate_refuses_a_review_date_after_today(mini, run):
    import datetime as dt

    ahead = today_in_vietnam() + dt.timedelta(days=30)
    replace_in(mini, KHAI_SINH, "ngay_ra_soat: 2025-11-20", f"ngay_ra_soat: {ahead.isoformat()}")
    for args in (("validate",), ("validate", KHAI_SINH)):
        result = run(*args)
        assert result.exit_code == 1
        line = line_of(mini, KHAI_SINH, "ngay_ra_soat")
        assert f"{KHAI_SINH}:{line}:15: ngày rà soát {ahead:%d/%m/%Y} ở tương lai" in result.output
        assert "gợi ý: ghi ngày đã rà soát xong" in result.output
    replace_in(mini, KHAI_SINH, f"ngay_ra_soat: {ahead.isoformat()}", f"ngay_ra_soat: {today_in_vietnam().isoformat()}")
    assert run("validate").exit_code == 0


def test_every_command_is_found_by_its_lazy_import():
    """Commands are imported only when they run (generator/cli/__init__.py
    COMMANDS): every command module's commands must be listed there, under
    the module that defines them."""
    import importlib
    import pkgutil

    import generator.cli as cli_package
    from generator.cli import COMMANDS, cli

    for info in pkgutil.iter_modules(cli_package.__path__):
        if info.name not in ("__main__", "messages"):
            importlib.import_module(f"generator.cli.{info.name}")
    defined = {name: command.callback.__module__.rsplit(".", 1)[1] for name, command in cli.commands.items()}
    assert defined == COMMANDS
