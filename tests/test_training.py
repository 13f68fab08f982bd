"""Training packs: validation of training content and session plans, the
trainer's and trainee's pages, the self-check quiz, `sotay training`."""

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CHROMIUM, require, serve_directory
from generator.site.build import build_site
from generator.content.handbook import load_handbook
from generator.site.pdf import chromium_path
from generator.training.pack import build_pack

KHAI_SINH = "procedures/ho-tich/dang-ky-khai-sinh.yml"
SESSION = "handbook/dao-tao/ho-tich-co-ban.yml"



def errors_of(root):
    _, sink = load_handbook(root)
    return [e.format().splitlines()[0] for e in sink.errors]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- validation -----------------------------------------------------------------


def test_fixture_is_valid(trained):
    assert errors_of(trained) == []


def test_agenda_longer_than_the_session_is_refused_at_the_block_that_overruns(trained):
    edit(trained / SESSION, "thoi_luong: 15\n", "thoi_luong: 25\n")  # 10+20+25 = 55, +10 = 65 > 60
    errors = errors_of(trained)
    assert len(errors) == 1
    text = (trained / SESSION).read_text(encoding="utf-8").splitlines()
    quiz_minutes = next(i for i, l in enumerate(text, 1) if l.strip() == "- loai: kiem-tra") + 1
    assert errors[0] == (f"{SESSION}:{quiz_minutes}:17: chương trình vượt thời lượng: hết khối này đã 65 phút, "
                         "buổi học chỉ 60 phút")


def test_dangling_reference_is_located_at_the_id_with_a_suggestion(trained):
    edit(trained / SESSION, "khai-sinh-uy-quyen]", "khai-sinh-uy-quyn]")
    _, sink = load_handbook(trained)
    [error] = sink.errors
    line = line_of(trained / SESSION, "khai-sinh-uy-quyn")
    col = (trained / SESSION).read_text(encoding="utf-8").splitlines()[line - 1].index("khai-sinh-uy-quyn") + 1
    assert (error.path, error.line, error.column) == (SESSION, line, col)
    assert error.message == "không có tình huống mã 'khai-sinh-uy-quyn'"
    assert "khai-sinh-uy-quyen" in error.hint


def test_answer_outside_the_choices_is_refused_at_the_answer(trained):
    edit(trained / KHAI_SINH, "dap_an: [2]", "dap_an: [4]")
    errors = errors_of(trained)
    line = line_of(trained / KHAI_SINH, "dap_an: [4]")
    col = (trained / KHAI_SINH).read_text(encoding="utf-8").splitlines()[line - 1].index("4") + 1
    # The session's references into the broken procedure are not reported again.
    assert errors == [f"{KHAI_SINH}:{line}:{col}: đáp án 4 không có: câu hỏi chỉ có 3 lựa chọn (A–C)"]


@pytest.mark.parametrize("old, new, message", [
    ("dap_an: [2]", "dap_an: [1, 2]", "câu hỏi một đáp án nhưng 'dap_an' có 2 số"),
    ("dap_an: [1, 2]", "dap_an: [1, 2, 3]", "mọi lựa chọn đều đúng: câu hỏi không kiểm tra được gì"),
    ("dap_an: [2]", "dap_an: [2, 2]", "đáp án bị ghi lặp"),
    ("lua_chon: [30 ngày, 60 ngày, 90 ngày]", "lua_chon: [60 ngày]", "danh sách 'lua_chon' cần ít nhất 2 mục"),
    ("        - giay_to: 2\n", "        - giay_to: 7\n", "giấy tờ số 7 không có: bộ hồ sơ chỉ có 2 giấy tờ"),
    ("    - ma: khai-sinh-uy-quyen", "    - ma: Khai Sinh", "mã tình huống 'Khai Sinh' không hợp lệ"),
    ("      can_cu:\n        van_ban: 60/2014/QH13\n        dieu: Khoản 1 Điều 15\n", "",
     "thiếu khóa bắt buộc 'can_cu' (Căn cứ pháp lý của đáp án)"),
])
def test_bad_training_content_is_refused(trained, old, new, message):
    edit(trained / KHAI_SINH, old, new)
    errors = errors_of(trained)
    assert any(e.startswith(KHAI_SINH + ":") and e.endswith(message) for e in errors), errors


@pytest.mark.parametrize("old, new, message", [
    ("    noi_dung: Học viên kể lỗi mình suýt mắc.\n", "", "khối 'Trao đổi, rút kinh nghiệm' trống: cần 'noi_dung'"),
    ("    tinh_huong: [khai-sinh-qua-han, khai-sinh-uy-quyen]\n", "",
     "khối 'Thực hành tình huống' trống: cần ít nhất một mã trong 'tinh_huong'"),
    ("    cau_hoi: [khai-sinh-thoi-han, khai-sinh-giay-to]\n", "    tinh_huong: [khai-sinh-qua-han]\n",
     "khối 'Trắc nghiệm' không dùng 'tinh_huong'"),
    ("thu_tuc: [dang-ky-khai-sinh, dang-ky-ket-hon]", "thu_tuc: [dang-ky-ket-hon]",
     "tình huống 'khai-sinh-qua-han' thuộc thủ tục 'dang-ky-khai-sinh', không có trong 'thu_tuc' của buổi học"),
    ("thu_tuc: [dang-ky-khai-sinh, dang-ky-ket-hon]", "thu_tuc: [dang-ky-khai-sinh, dang-ky-ket-hn]",
     "không có thủ tục 'dang-ky-ket-hn'"),
    ("loai: kiem-tra", "loai: kiem-tra-nhanh", "giá trị 'kiem-tra-nhanh' không hợp lệ"),
])
def test_bad_session_plans_are_refused(trained, old, new, message):
    edit(trained / SESSION, old, new)
    errors = errors_of(trained)
    assert any(e.startswith(SESSION + ":") and message in e for e in errors), errors


def test_training_ids_are_unique_across_the_handbook(trained):
    ket_hon = trained / "procedures/ho-tich/dang-ky-ket-hon.yml"
    with open(ket_hon, "a", encoding="utf-8") as f:
        f.write("dao_tao:\n  muc_tieu: [Biết kết hôn]\n  tinh_huong:\n"
                "    - ma: khai-sinh-qua-han\n      ten: Trùng mã\n      boi_canh: B\n      yeu_cau: Y\n      cach_xu_ly: [X]\n")
    errors = errors_of(trained)
    assert any(e.startswith("procedures/ho-tich/dang-ky-") and
               "mã tình huống 'khai-sinh-qua-han' đã dùng ở" in e for e in errors), errors


# --- pages ------------------------------------------------------------------------


@pytest.fixture
def trained_site(trained, tmp_path) -> Path:
    return build_site(trained, tmp_path / "site")


def answer_texts(root: Path) -> list[str]:
    """Every piece of the answer key the trainee must not see before submitting."""
    hb, _ = load_handbook(root)
    found = []
    for p in hb.procedures.values():
        if not p.training:
            continue
        for s in p.training.scenarios:
            found += [*s.handling, *s.mistakes]
        for q in p.training.quiz:
            found.append(q.explanation)
        for d in p.training.dossiers:
            found += [x.description for x in d.defects] + [x.fix for x in d.defects if x.fix]
    return [re.sub(r"\*+", "", t) for t in found]


def test_trainer_page_has_the_answers_and_the_trainee_page_none(trained, trained_site):
    trainer = (trained_site / "dao-tao/ho-tich-co-ban/index.html").read_text(encoding="utf-8")
    trainee = (trained_site / "dao-tao/ho-tich-co-ban/hoc-vien/index.html").read_text(encoding="utf-8")
    secrets = answer_texts(trained)
    assert len(secrets) >= 8
    for text in secrets:
        assert text in trainer, text
        assert text not in trainee, text
    assert "✔ Đáp án" in trainer and "✔" not in trainee
    assert "sotay-correct" not in trainee and "sotay-answer" not in trainee
    # Agenda with clock times on both.
    for page in (trainer, trainee):
        assert "08:10–08:30" in page and "Thực hành tình huống" in page
    # The trainee still gets every scenario, document and question to work on.
    assert "Bà nội mang giấy tờ của cháu" in trainee and "Có giá trị đến ngày 01/03/2025" in trainee
    assert trainee.count('class="sotay-quiz-question"') == 2
    # The key lives beside the trainee page, loaded only after submitting.
    key = (trained_site / "dao-tao/ho-tich-co-ban/hoc-vien/dap-an.js").read_text(encoding="utf-8")
    data = json.loads(key.split('["ho-tich-co-ban"]=', 1)[1].rstrip().rstrip(";"))
    assert data["khai-sinh-giay-to"]["answers"] == [1, 2]
    assert "Khoản 1 Điều 15 Luật Hộ tịch số 60/2014/QH13" == data["khai-sinh-thoi-han"]["basis"]
    assert '<script src="dap-an.js"' not in trainee and 'data-key-src="dap-an.js"' in trainee


def test_training_section_in_navigation_and_search_by_title_only(trained, trained_site):
    home = (trained_site / "index.html").read_text(encoding="utf-8")
    assert 'href="dao-tao/"' in home and "Đào tạo" in home
    index = (trained_site / "dao-tao/index.html").read_text(encoding="utf-8")
    assert 'href="ho-tich-co-ban/"' in index and 'href="ho-tich-co-ban/hoc-vien/"' in index
    search = json.loads((trained_site / "search/search_index.json").read_text(encoding="utf-8"))
    training_docs = [d for d in search["docs"] if d["location"].startswith("dao-tao/")]
    assert training_docs and all(d["text"] == "" for d in training_docs)
    assert not any("sáu mươi ngày" in json.dumps(d, ensure_ascii=False) for d in search["docs"])
    assert not list(trained_site.rglob("*.yml"))  # the session plan is content, not a page


# --- the self-check quiz in a real browser --------------------------------------


def take_quiz(page):
    page.check('input[name="cau-khai-sinh-thoi-han"][value="1"]')  # wrong: 30 ngày
    page.check('input[name="cau-khai-sinh-giay-to"][value="1"]')
    page.check('input[name="cau-khai-sinh-giay-to"][value="2"]')  # right: A and B
    assert page.locator(".sotay-quiz-feedback:visible").count() == 0  # nothing shown before submitting
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_selector(".sotay-quiz-result:has-text('Kết quả')")


@pytest.mark.parametrize("over", ["http", "file"])
def test_self_check_quiz_scores_and_explains(chromium, trained_site, over):
    page = chromium.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    with serve_directory(trained_site) as base:
        root = base if over == "http" else trained_site.as_uri() + "/"
        page.goto(root + "dao-tao/ho-tich-co-ban/hoc-vien/" + ("" if over == "http" else "index.html"))
        take_quiz(page)
        assert page.locator(".sotay-quiz-result").inner_text().startswith("Kết quả: đúng 1/2 câu")
        first, second = page.locator("fieldset[data-question]").all()
        assert "Chưa đúng. Đáp án: B." in first.inner_text()
        assert "sáu mươi ngày" in first.inner_text() and "Khoản 1 Điều 15 Luật Hộ tịch" in first.inner_text()
        assert "Đúng. Đáp án: A, B." in second.inner_text()
        assert "sotay-wrong" in first.locator("label", has_text="30 ngày").get_attribute("class")
        assert "sotay-right" in first.locator("label", has_text="60 ngày").get_attribute("class")
        # Try again: everything cleared.
        page.get_by_role("button", name="Làm lại").click()
        assert page.locator(".sotay-quiz-result").inner_text() == ""
        assert page.locator(".sotay-quiz-feedback:visible").count() == 0
        assert not page.locator("input:checked").count()
    assert failed == []
    page.close()


# --- sotay training -----------------------------------------------------------------


def test_training_list_json(trained, run):
    result = run("training", "list", "--json")
    assert result.exit_code == 0, result.output
    [session] = json.loads(result.output)
    assert {"id": "ho-tich-co-ban", "title": "Hộ tịch cơ bản", "duration": 60}.items() <= session.items()
    assert session["procedures"] == ["dang-ky-khai-sinh", "dang-ky-ket-hon"]


def test_training_new_writes_a_valid_session_that_fits(trained, run):
    result = run("training", "new", "khai-sinh-2-gio", "--thu-tuc", "dang-ky-khai-sinh", "--thu-tuc", "dang-ky-ket-hon",
                 "--thoi-luong", "120", "--ten", "Khai sinh và kết hôn")
    assert result.exit_code == 0, result.output
    assert "dang-ky-ket-hon" not in result.output and "Đăng ký kết hôn" in result.output  # has no training yet: said so
    hb, sink = load_handbook(trained)
    assert sink.errors == []
    pack = build_pack(hb.sessions["khai-sinh-2-gio"], hb.procedures)
    assert pack.session.title == "Khai sinh và kết hôn"
    assert sum(b.minutes for b in pack.session.agenda) <= 120 and pack.spare_minutes <= 10
    assert {i.value.key for i in pack.scenarios} == {"khai-sinh-qua-han", "khai-sinh-uy-quyen"}
    assert [i.value.key for i in pack.dossiers] == ["khai-sinh-ho-so-loi"]
    assert len(pack.quiz) == 2
    # A second time: refused, the file is left alone.
    again = run("training", "new", "khai-sinh-2-gio", "--thu-tuc", "dang-ky-khai-sinh")
    assert again.exit_code == 1 and "đã có handbook/dao-tao/khai-sinh-2-gio.yml" in again.output


@pytest.mark.parametrize("args, message", [
    (["x", "--thu-tuc", "dang-ky-khai-snh"], "không có thủ tục 'dang-ky-khai-snh'; có phải ý bạn là 'dang-ky-khai-sinh'?"),
    (["X Y", "--thu-tuc", "dang-ky-khai-sinh"], "mã buổi 'X Y' không hợp lệ"),
    (["x", "--thu-tuc", "dang-ky-khai-sinh", "--thoi-luong", "30"], "quá ngắn"),
])
def test_training_new_refuses_bad_requests(trained, run, args, message):
    result = run("training", "new", *args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert not (trained / "handbook/dao-tao/x.yml").exists()


def test_pack_is_one_self_contained_file(trained, run, tmp_path, chromium):
    out = tmp_path / "usb" / "pack.html"
    result = run("training", "pack", "ho-tich-co-ban", "--output", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"url\(", html.split("</style>")[0].split("<style>")[1])
    for text in answer_texts(trained):
        assert text in html  # the trainer's pack
    page = chromium.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.route("**/*", lambda route: route.continue_() if route.request.url == out.as_uri() else route.abort())
    page.goto(out.as_uri())
    assert requests == [out.as_uri()]
    assert page.locator("h1").inner_text() == "Hộ tịch cơ bản"
    page.close()
    trainee = run("training", "pack", "ho-tich-co-ban", "--ban", "hoc-vien", "--output", str(tmp_path / "hv.html"))
    assert trainee.exit_code == 0
    handout = (tmp_path / "hv.html").read_text(encoding="utf-8")
    for text in answer_texts(trained):
        assert text not in handout
    assert "Danh mục kiểm tra các thủ tục" in handout and "Kiểm tra giấy tờ tùy thân của người đi đăng ký" in handout


def test_pack_pdf_has_one_scenario_card_per_page(trained, run, tmp_path):
    require(chromium_path() is not None and Path(CHROMIUM).exists(), "Chromium", "sudo apt-get install chromium")
    result = run("training", "pack", "ho-tich-co-ban", "--pdf", "--output", str(tmp_path / "pack.html"))
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(tmp_path / "pack.pdf").pages]
    cards = ["Tình huống 1: Khai sinh cho trẻ đã quá 60 ngày", "Tình huống 2: Ông bà đi đăng ký thay",
             "Hồ sơ 1: Hồ sơ khai sinh nộp trực tiếp"]
    where = {card: [i for i, text in enumerate(pages) if card in " ".join(text.split())] for card in cards}
    assert all(len(found) == 1 for found in where.values()), where
    assert len({found[0] for found in where.values()}) == len(cards)  # each on its own page
    for card, [i] in where.items():  # and each card starts its page
        assert " ".join(pages[i].split()).startswith(card), pages[i][:80]


def test_pack_of_unknown_session(trained, run):
    result = run("training", "pack", "ho-tich-co-bn")
    assert result.exit_code == 1 and "có phải ý bạn là 'ho-tich-co-ban'?" in result.output
