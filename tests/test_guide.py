"""Guided procedures: questions and conditions in YAML are validated with
their exact position."""

from __future__ import annotations

from pathlib import Path

from test_loader import KHAI_SINH, errors_for, line_of, replace_in

QUESTIONS = """cau_hoi:
  - ma: sinh_o_nuoc_ngoai
    hoi: Trẻ có sinh ra ở nước ngoài không?
    nhan: Trẻ sinh ra ở nước ngoài
  - ma: nguoi_di
    hoi: Ai đi đăng ký?
    nhan: Người đi đăng ký
    kieu: mot-lua-chon
    lua_chon: {cha: Cha, me: Mẹ, ong-ba: Ông hoặc bà}
"""


def with_guide(mini, condition: str) -> int:
    """Add the questions and one conditional dossier item; return its line."""
    replace_in(mini, KHAI_SINH, "ngay_ra_soat:", QUESTIONS + "ngay_ra_soat:")
    replace_in(mini, KHAI_SINH, "  - ten: Giấy chứng sinh\n", f"  - ten: Giấy chứng sinh\n    chi_khi: {condition}\n")
    return line_of(mini, KHAI_SINH, "chi_khi:")


def test_valid_guide_loads(mini):
    with_guide(mini, 'không sinh_o_nuoc_ngoai và nguoi_di trong ["cha", "me"]')
    replace_in(mini, KHAI_SINH, "kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]",
               "kiem_tra:\n      - Ghi Sổ đăng ký khai sinh\n      - viec: Ghi chú việc sinh ở nước ngoài\n        chi_khi: sinh_o_nuoc_ngoai")
    assert errors_for(mini, KHAI_SINH) == []


def test_condition_errors_point_inside_the_condition(mini):
    # (condition as written in YAML, where the error is inside it, message)
    cases = [
        ("sinh_o_nuoc_ngoai và", len("sinh_o_nuoc_ngoai và"), "bị cụt"),
        ('sinh_o_nuoc_ngoai và nguoi_dii = "cha"', len("sinh_o_nuoc_ngoai và "), "không có câu hỏi 'nguoi_dii'"),
        ("'nguoi_di = \"chu\"'", 1, "không có lựa chọn 'chu'"),  # quoted: the text starts one column later
        ("sinh_o_nuoc_ngoai và không sinh_o_nuoc_ngoai", 0, "không bao giờ hiện"),
        ("sinh_o_nuoc_ngoai @ nguoi_di", len("sinh_o_nuoc_ngoai "), "ký tự không hiểu được"),
    ]
    for condition, offset, message in cases:
        import shutil
        from pathlib import Path

        line = with_guide(mini, condition)
        errs = errors_for(mini, KHAI_SINH)
        assert len(errs) == 1 and message in errs[0][3], (condition, errs)
        assert (errs[0][1], errs[0][2]) == (line, len("    chi_khi: ") + 1 + offset), (condition, errs[0][:3])
        shutil.copyfile(Path(__file__).parent / "fixtures/mini" / KHAI_SINH, mini / KHAI_SINH)


def test_question_declarations_are_checked(mini):
    with_guide(mini, "sinh_o_nuoc_ngoai")
    replace_in(mini, KHAI_SINH, "    kieu: mot-lua-chon\n    lua_chon: {cha: Cha, me: Mẹ, ong-ba: Ông hoặc bà}\n",
               "    kieu: mot-lua-chon\n")
    replace_in(mini, KHAI_SINH, "  - ma: sinh_o_nuoc_ngoai", "  - ma: Sinh-O-Nuoc-Ngoai")
    messages = [e[3] for e in errors_for(mini, KHAI_SINH)]
    assert any("mã câu hỏi 'Sinh-O-Nuoc-Ngoai' không hợp lệ" in m for m in messages)
    assert any("cần 'lua_chon'" in m for m in messages)
    assert any("không có câu hỏi 'sinh_o_nuoc_ngoai'" in m for m in messages)


def test_cli_guide_with_answers_and_interactive(mini, run, monkeypatch):
    import json

    with_guide(mini, "không sinh_o_nuoc_ngoai")
    monkeypatch.setattr("generator.cli.guide.can_prompt", lambda: True)  # as if typed at a terminal
    rows = json.loads(run("guide", "dang-ky-khai-sinh", "-a", "sinh_o_nuoc_ngoai=có", "--json").output)
    assert rows["answers"] == {"sinh_o_nuoc_ngoai": True}
    assert "Giấy chứng sinh" not in [d["name"] for d in rows["dossier"]]
    text = run("guide", "dang-ky-khai-sinh", "-a", "sinh_o_nuoc_ngoai=không").output
    assert "[ ] Giấy chứng sinh — Bản chính" in text and "Trẻ sinh ra ở nước ngoài: không" in text
    # Interactive: a wrong answer is asked again; an empty one skips the question.
    result = run("guide", "dang-ky-khai-sinh", input="có lẽ\nkhông\n2\n")
    assert "trả lời 'có' hoặc 'không'" in result.output
    assert "Người đi đăng ký: Mẹ" in result.output and "Giấy chứng sinh" in result.output
    bad = run("guide", "dang-ky-khai-sinh", "-a", "nguoi_di=chu")
    assert bad.exit_code == 1 and "chọn một trong: cha (Cha), me (Mẹ), ong-ba (Ông hoặc bà)" in bad.output
    missing = run("guide", "dang-ky-khai-sinhh")
    assert missing.exit_code == 1 and "có phải ý bạn là 'dang-ky-khai-sinh'" in missing.output


def test_cli_guide_asks_only_at_a_terminal(mini, run):
    """From a script, CI or a pipe (CliRunner's input is not a terminal), or
    with --json, no question is asked: the questions and every item, with its
    condition in words, are printed, and the command succeeds.  At a real
    terminal (a pseudo-terminal here) the questions are asked."""
    import json
    import os
    import pty
    import select
    import subprocess
    import sys

    with_guide(mini, 'không sinh_o_nuoc_ngoai và nguoi_di trong ["cha", "me"]')
    replace_in(mini, KHAI_SINH, "kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]",
               "kiem_tra:\n      - Ghi Sổ đăng ký khai sinh\n      - viec: Ghi chú việc sinh ở nước ngoài\n"
               "        chi_khi: sinh_o_nuoc_ngoai")
    for args, stdin in [(["--json"], None), (["--json"], ""), ([], None), ([], "có\n")]:
        result = run("guide", "dang-ky-khai-sinh", *args, input=stdin)
        assert result.exit_code == 0, (args, result.output)
        for asked in ["Trẻ có sinh ra ở nước ngoài không?:", "[có/không]:", "Đã hủy", "Aborted"]:
            assert asked not in result.output, (args, asked)
    data = json.loads(run("guide", "dang-ky-khai-sinh", "--json").output)
    assert data["tailored"] is False and data["answers"] == {}
    assert [(q["key"], q["text"], q["kind"], q["choices"]) for q in data["questions"]] == [
        ("sinh_o_nuoc_ngoai", "Trẻ có sinh ra ở nước ngoài không?", "co-khong", []),
        ("nguoi_di", "Ai đi đăng ký?", "mot-lua-chon",
         [{"code": "cha", "label": "Cha"}, {"code": "me", "label": "Mẹ"}, {"code": "ong-ba", "label": "Ông hoặc bà"}]),
    ]
    dossier = {d["name"]: d["condition"] for d in data["dossier"]}
    assert dossier["Giấy chứng sinh"] == "không thuộc trường hợp “Trẻ sinh ra ở nước ngoài” và Người đi đăng ký: Cha hoặc Mẹ"
    assert dossier["Tờ khai đăng ký khai sinh"] is None
    checklist = {c["text"]: c["condition"] for s in data["steps"] for c in s["checklist"]}
    assert checklist["Ghi chú việc sinh ở nước ngoài"] == "Trẻ sinh ra ở nước ngoài"
    assert checklist["Ghi Sổ đăng ký khai sinh"] is None
    text = run("guide", "dang-ky-khai-sinh").output
    assert "-a sinh_o_nuoc_ngoai=có|không" in text and "-a nguoi_di=cha|me|ong-ba" in text
    assert "[ ] Giấy chứng sinh — Bản chính (chỉ khi: không thuộc trường hợp “Trẻ sinh ra ở nước ngoài” và " in text
    assert "[ ] Ghi chú việc sinh ở nước ngoài (chỉ khi: Trẻ sinh ra ở nước ngoài)" in text
    # With answers the list is tailored, as before, and says so in JSON with the questions.
    tailored = json.loads(run("guide", "dang-ky-khai-sinh", "-a", "sinh_o_nuoc_ngoai=có", "--json").output)
    assert tailored["tailored"] is True and tailored["questions"] == data["questions"]
    assert "Giấy chứng sinh" not in [d["name"] for d in tailored["dossier"]]

    # At a terminal: asked in turn, the list tailored to the answers.
    sotay = Path(sys.executable).with_name("sotay")
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([str(sotay), "guide", "dang-ky-khai-sinh"], cwd=mini,
                            stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True)
    os.close(terminal)
    os.write(controller, "không\n2\n".encode())
    output = b""
    while select.select([controller], [], [], 60)[0]:  # a command waiting for more input fails the test
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the command has exited and closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert proc.wait(timeout=60) == 0
    text = output.decode("utf-8", "replace")
    assert "Trẻ có sinh ra ở nước ngoài không?" in text and "Người đi đăng ký: Mẹ" in text
    assert "[ ] Giấy chứng sinh — Bản chính\r\n" in text  # applies: born here, the mother goes
    assert "Ghi chú việc sinh ở nước ngoài" not in text and "chỉ khi" not in text


TRIAGE = """
tre-em:
  ten: Làm giấy tờ cho trẻ
  linh_vuc: ho-tich
  cau_hoi:
    hoi: Trẻ đã đăng ký khai sinh chưa?
    lua_chon:
      - nhan: Chưa
        tiep:
          hoi: Sinh ở nước ngoài?
          lua_chon:
            - nhan: Không
              den: dang-ky-khai-sinh
              tra_loi: {sinh_o_nuoc_ngoai: không}
            - nhan: Có
              den: dang-ky-khai-sinh
              tra_loi: {sinh_o_nuoc_ngoai: có, nguoi_di: me}
      - nhan: Đã kết hôn?
        den: dang-ky-ket-hon
"""


def test_triage_tree_page_links_with_answers(mini):
    from generator.site.build import build_site
    from conftest import write

    with_guide(mini, "không sinh_o_nuoc_ngoai")
    write(mini / "handbook/data/cong-dan-can-gi.yml", TRIAGE)
    site = build_site(mini)
    html = (site / "cong-dan-can-gi/index.html").read_text(encoding="utf-8")
    # One question after another, not nested: "Chưa" leads to the next question's anchor.
    assert 'href="#tre-em-cau-1-1" data-triage-next="tre-em-cau-1-1">Chưa</a>' in html
    assert "Sinh ở nước ngoài?" in html and "Đã trả lời: Chưa</p>" in html
    assert "<details" not in html.split('<details class="sotay-feedback"')[0]
    assert 'href="../thu-tuc/ho-tich/dang-ky-khai-sinh/?tra-loi=%7B%22sinh_o_nuoc_ngoai%22%3Atrue%2C%22nguoi_di%22%3A%22me%22%7D"' in html
    assert 'href="../thu-tuc/ho-tich/dang-ky-ket-hon/"' in html


def test_triage_carries_every_answer_given_on_the_way(mini):
    """An answer given higher up the tree reaches the procedure too, for the
    procedures that ask it (dang-ky-ket-hon has no such question)."""
    from generator.site.build import build_site
    from conftest import write

    with_guide(mini, "không sinh_o_nuoc_ngoai")
    write(mini / "handbook/data/cong-dan-can-gi.yml", TRIAGE.replace(
        "      - nhan: Chưa\n", "      - nhan: Chưa\n        tra_loi: {nguoi_di: me}\n").replace(
        "              tra_loi: {sinh_o_nuoc_ngoai: có, nguoi_di: me}\n", "              tra_loi: {sinh_o_nuoc_ngoai: có}\n"))
    html = (build_site(mini) / "cong-dan-can-gi/index.html").read_text(encoding="utf-8")
    assert 'dang-ky-khai-sinh/?tra-loi=%7B%22nguoi_di%22%3A%22me%22%2C%22sinh_o_nuoc_ngoai%22%3Afalse%7D"' in html
    assert 'dang-ky-khai-sinh/?tra-loi=%7B%22nguoi_di%22%3A%22me%22%2C%22sinh_o_nuoc_ngoai%22%3Atrue%7D"' in html


def test_triage_tree_is_checked(mini):
    from conftest import write
    from generator.content.handbook import load_handbook

    with_guide(mini, "không sinh_o_nuoc_ngoai")
    path = mini / "handbook/data/cong-dan-can-gi.yml"
    # Structure: an option needs exactly one of 'tiep' and 'den'; 'den' must exist.
    write(path, TRIAGE.replace("den: dang-ky-ket-hon", "den: dang-ky-ket-hn")
          .replace("              tra_loi: {sinh_o_nuoc_ngoai: có, nguoi_di: me}\n",
                   "              tiep: {hoi: x, lua_chon: [{nhan: a, den: dang-ky-ket-hon}, {nhan: b, den: dang-ky-ket-hon}]}\n"))
    _, sink = load_handbook(mini)
    got = [(e.line, e.message) for e in sink.errors]
    assert any(line == 14 and "'Có' cần đúng một trong hai" in m for line, m in got), got
    assert any(line == 18 and "không có thủ tục 'dang-ky-ket-hn'" in m for line, m in got), got
    # Pre-answers: questions of the target procedure, with values they accept.
    write(path, TRIAGE.replace("tra_loi: {sinh_o_nuoc_ngoai: không}", "tra_loi: {sinh_o_nuoc_ngoai: có lẽ}")
          .replace("tra_loi: {sinh_o_nuoc_ngoai: có, nguoi_di: me}", "tra_loi: {noi_sinh: xa}"))
    _, sink = load_handbook(mini)
    got = [(e.line, e.message) for e in sink.errors]
    assert any(line == 13 and "câu 'sinh_o_nuoc_ngoai'" in m and "'có' hoặc 'không'" in m for line, m in got), got
    assert any(line == 16 and "không có câu hỏi 'noi_sinh'" in m for line, m in got), got
    # Answers higher up: a question of some procedure below, answered once on a branch.
    write(path, TRIAGE.replace("      - nhan: Chưa\n", "      - nhan: Chưa\n        tra_loi: {noi_sinh: xa, sinh_o_nuoc_ngoai: có}\n"))
    _, sink = load_handbook(mini)
    got = [(e.line, e.message) for e in sink.errors]
    assert any(line == 8 and "không thủ tục nào lựa chọn này dẫn tới (dang-ky-khai-sinh) có câu hỏi 'noi_sinh'" in m
               for line, m in got), got
    assert any(line == 14 and "câu 'sinh_o_nuoc_ngoai' đã được trả lời 'có' ở lựa chọn 'Chưa'" in m for line, m in got), got
