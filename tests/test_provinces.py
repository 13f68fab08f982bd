"""Provincial editions: one national handbook, each province's names, hours
and fees; the national edition carries no local figure; a broken overlay
is a located error and nothing is built."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content import model
from generator.content.edition import Edition
from generator.content.errors import ContentErrors
from generator.content.handbook import load_handbook
from generator.content.provinces import affected_editions
from generator.guided import duedate
from generator.guided.guide import calendar_data
from generator.cli.edition import edition_for
from generator.site.build import build_site
from generator.site.export import default_zip_name
from generator.site.plugin import THEME_DIR
from generator.site.render import Renderer

from conftest import FIXTURES, REPO, require

PROCEDURE = "xac-nhan-tinh-trang-hon-nhan"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
FEE_KEY = "le-phi-ho-tich.xac-nhan-tinh-trang-hon-nhan"


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """The shipped handbook with the test province (commune centres, other hours and fees) beside Hà Nội."""
    root = tmp_path_factory.mktemp("kho") / "kho"
    root.mkdir()
    shutil.copytree(REPO / "procedures", root / "procedures")
    shutil.copytree(REPO / "handbook", root / "handbook")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(FIXTURES / "provinces/tinh-mau", root / "handbook/tinh/tinh-mau")
    return root


def page(root, province: str | None, pid: str = PROCEDURE) -> tuple[str, object]:
    hb, sink = load_handbook(root, edition=Edition(province=province))
    assert not sink.errors, [e.format() for e in sink.errors]
    return Renderer(hb).render_procedure(hb.procedures[pid], lambda url: url), hb


def guide_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="sotay-data"[^>]*>(.*?)</script>', html, re.S).group(1))


def test_the_same_procedure_in_two_editions_names_each_provinces_unit_fee_and_hours(repo_copy):
    hanoi, _ = page(repo_copy, "ha-noi")
    other, _ = page(repo_copy, "tinh-mau")
    # The receiving unit, where the national text writes {{noi_tiep_nhan}}.
    assert "Công chức tiếp nhận tại Điểm phục vụ hành chính công" in hanoi
    assert "Trung tâm Phục vụ hành chính công" not in hanoi  # one-level model: no commune centre
    assert "Công chức tiếp nhận tại Trung tâm Phục vụ hành chính công xã, phường" in other
    assert "{{noi_tiep_nhan}}" not in hanoi + other
    # The fee, each with its own resolution.
    assert "3.000 đồng/việc</strong> <small class=\"sotay-province\">(mức của Thành phố Hà Nội, theo Nghị quyết " \
           "06/2020/NQ-HĐND của HĐND Thành phố Hà Nội)" in hanoi
    assert "10.000 đồng/việc</strong> <small class=\"sotay-province\">(mức của Tỉnh Mẫu, theo Nghị quyết " \
           "99/2025/NQ-HĐND của HĐND Tỉnh Mẫu)" in other
    # Hours: Hà Nội gives none (assumed hours, said so); the test province its own.
    assert guide_data(hanoi)["due"]["calendar"]["hours"] == [[450, 690], [810, 1020]]
    assert guide_data(hanoi)["due"]["calendar"]["hours_text"].startswith("giờ làm việc giả định")
    assert guide_data(other)["due"]["calendar"]["hours"] == [[480, 720], [810, 1050]]
    assert guide_data(other)["due"]["calendar"]["hours_text"] == "giờ làm việc của Tỉnh Mẫu: 08:00–12:00 và 13:30–17:30"
    # Its local code and note, only in its own edition.
    assert "Mã thủ tục của Tỉnh Mẫu: 1.004873.000.00.00.H99" in other and "H99" not in hanoi


def test_national_edition_shows_no_local_figure(repo_copy):
    hb, sink = load_handbook(repo_copy, edition=Edition())
    assert not sink.errors
    renderer = Renderer(hb)
    local = [(p, f) for p in hb.procedures.values() for f in p.fees if f.local_key]
    assert len(local) >= 10, "the shipped procedures reference local fees; else this proves nothing"
    for p, fee in local:
        (line,) = renderer.fee_lines([fee])
        assert line.amount == "Mức do HĐND tỉnh quy định" and line.province is None and line.resolution is None
    html, _ = page(repo_copy, None)
    assert "Mức do HĐND tỉnh quy định" in html and 'class="sotay-province"' not in html and "3.000 đồng" not in html
    assert "Công chức tiếp nhận tại Bộ phận Một cửa cấp xã" in html


def test_shipped_hanoi_edition_keeps_todays_fees():
    """The figures dia-phuong.yml carried before editions, now in Hà Nội's overlay, on the pages by default."""
    assert edition_for(REPO) == Edition(province="ha-noi")  # mkdocs.yml's default: nothing lost for current users
    hb, sink = load_handbook(REPO, edition=edition_for(REPO))
    assert not sink.errors
    renderer = Renderer(hb)
    shown = {f.local_key: line.amount for p in hb.procedures.values() for f in p.fees if f.local_key
             for line in renderer.fee_lines([f])}
    assert shown["le-phi-ho-tich.khai-sinh-qua-han"] == "5.000 đồng/việc"
    assert shown["le-phi-ho-tich.khai-tu-qua-han"] == "5.000 đồng/việc"
    assert shown[FEE_KEY] == "3.000 đồng/việc"
    assert shown["le-phi-ho-tich.thay-doi-cai-chinh-tu-du-14-tuoi"] == "25.000 đồng/việc"
    assert hb.province.fees[FEE_KEY].unverified  # the flag came along too


def test_due_date_of_an_hour_based_deadline_follows_the_provinces_hours(repo_copy):
    hb, _ = load_handbook(repo_copy, edition=Edition(province="tinh-mau"))
    deadline = model.Deadline(kind="gio-lam-viec", amount=4)
    received = dt.datetime(2025, 3, 6, 11, 0)  # Thursday
    national = duedate.due(deadline, received, duedate.WorkCalendar.from_registry(hb.holidays))
    local = duedate.due(deadline, received, duedate.WorkCalendar.from_registry(hb.holidays, hb.province))
    assert national.result == dt.datetime(2025, 3, 6, 17, 0)  # 30 min before 11:30, 3 h 30 from 13:30
    assert local.result == dt.datetime(2025, 3, 6, 16, 30)  # 1 h before noon, 3 h from 13:30
    assert any(s.startswith("Giờ làm việc của Tỉnh Mẫu: 08:00–12:00 và 13:30–17:30") for s in local.steps)

    require(shutil.which("node") is not None, "Node.js", "sudo apt-get install nodejs")
    script = ("const d = require(process.argv[1]); const [cal, dl, r] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(d.due(dl, r, cal).result)")
    js = THEME_DIR / "assets/javascripts/sotay/duedate.js"
    for province, expected in ((None, "2025-03-06T17:00"), (hb.province, "2025-03-06T16:30")):
        payload = [calendar_data(hb.holidays, province), {"kind": "gio-lam-viec", "amount": 4, "cutoff": None},
                   "2025-03-06T11:00"]
        out = subprocess.run(["node", "-e", script, str(js)], input=json.dumps(payload), capture_output=True,
                             text=True, check=True, timeout=60)
        assert out.stdout.strip() == expected


def test_sotay_due_reads_the_edition(mini, runner):
    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('thoi_han:\n  loai: trong-ngay\n  gio_cat: "15:00"', "thoi_han:\n  loai: gio-lam-viec\n  so: 8"),
                    encoding="utf-8")
    assert "gio-lam-viec" in path.read_text(encoding="utf-8")
    args = ["due", "dang-ky-khai-sinh", "--received", "2025-03-06 09:00", "--json"]
    national = json.loads(runner.invoke(cli, args).output)
    local = json.loads(runner.invoke(cli, [*args, "--tinh", "thu-nghiem"]).output)
    # 6 h on Thursday either way; the last 2 h from Friday's opening: 07:30 nationally, 07:00 in the province.
    assert (national["edition"], national["due"]) == ("toan-quoc", "2025-03-07T09:30")
    assert (local["edition"], local["due"]) == ("thu-nghiem", "2025-03-07T09:00")  # 07:00–11:00, 13:00–17:00


BROKEN = {
    "override of a national field": (
        "thu_tuc_dia_phuong:\n  dang-ky-khai-sinh:\n    thoi_han: 3\n", 3, 5, "không ghi đè được 'thoi_han'"),
    "unknown field": (
        "thu_tuc_dia_phuong:\n  dang-ky-khai-sinh:\n    ma_dia_phuong_moi: x\n", 3, 5, "ma_dia_phuong_moi"),
    "unknown procedure": (
        "thu_tuc_dia_phuong:\n  dang-ky-khai-sinh-moi:\n    ghi_chu: x\n", 2, 3, "không có thủ tục 'dang-ky-khai-sinh-moi'"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_overlay_is_a_located_error_and_nothing_is_built(mini, case):
    text, line, column, message = BROKEN[case]  # line: within the text appended
    overlay = mini / "handbook/tinh/thu-nghiem/tinh.yml"
    line += len(overlay.read_text(encoding="utf-8").splitlines())
    overlay.write_text(overlay.read_text(encoding="utf-8") + text, encoding="utf-8")
    assert overlay.read_text(encoding="utf-8").splitlines()[line - 1].strip()  # the line the error names
    with pytest.raises(ContentErrors) as exc:
        build_site(mini, edition=Edition(province="thu-nghiem"))
    found = [e for e in exc.value.errors if message in e.message]
    assert found and (found[0].path, found[0].line, found[0].column) == ("handbook/tinh/thu-nghiem/tinh.yml", line, column)
    assert not (mini / "site").exists()


def test_a_placeholder_an_edition_cannot_fill_is_located_and_nothing_is_built(mini):
    overlay = mini / "handbook/tinh/thu-nghiem/tinh.yml"
    overlay.write_text(re.sub(r"don_vi_tiep_nhan:\n(  .*\n)+", "", overlay.read_text(encoding="utf-8")), encoding="utf-8")
    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận tại {{noi_tiep_nhan}}", 1),
                    encoding="utf-8")
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "{{noi_tiep_nhan}}" in t)
    build_site(mini, mini / "site-toan-quoc", edition=Edition())  # the national edition fills it
    assert "Tiếp nhận tại Bộ phận Một cửa cấp xã" in (mini / "site-toan-quoc/thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    with pytest.raises(ContentErrors) as exc:
        build_site(mini, edition=Edition(province="thu-nghiem"))
    (error,) = exc.value.errors
    assert (error.path, error.line) == ("procedures/ho-tich/dang-ky-khai-sinh.yml", line)
    assert "không điền được '{{noi_tiep_nhan}}'" in error.message and "don_vi_tiep_nhan" in error.hint
    assert not (mini / "site").exists()


def test_an_unknown_placeholder_is_located_in_procedures_and_pages(mini):
    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận tại {{noi_nhan}}", 1),
                    encoding="utf-8")
    index = mini / "handbook/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nLiên hệ {{tinh_thanh}}; viết `{{tinh}}` trong mã thì giữ nguyên.\n",
                     encoding="utf-8")
    _, sink = load_handbook(mini)
    messages = {(e.path, e.message) for e in sink.errors}
    assert ("procedures/ho-tich/dang-ky-khai-sinh.yml", "không có chỗ điền '{{noi_nhan}}'") in messages
    assert ("handbook/index.md", "không có chỗ điền '{{tinh_thanh}}'") in messages
    assert len(sink.errors) == 2  # `{{tinh}}` in code is text, and "{{ 7*7 }}"-like text is not a placeholder


def test_hand_written_pages_and_the_footer_name_the_edition(mini):
    index = mini / "handbook/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nNộp tại {{noi_tiep_nhan}}; cú pháp: `{{noi_tiep_nhan}}`.\n",
                     encoding="utf-8")
    local = build_site(mini, mini / "site-tinh", edition=Edition(province="thu-nghiem"))
    html = (local / "index.html").read_text(encoding="utf-8")
    assert "Nộp tại Trung tâm Phục vụ hành chính công xã, phường; cú pháp: <code>{{noi_tiep_nhan}}</code>" in html
    assert "Ấn bản: Tỉnh Thử Nghiệm" in html
    assert "Ấn bản: Tỉnh Thử Nghiệm" in (local / "thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    assert not list(local.rglob("tinh.yml"))  # overlays are content, not published
    national = build_site(mini, mini / "site-toan-quoc", edition=Edition())
    assert "Ấn bản toàn quốc" in (national / "index.html").read_text(encoding="utf-8")
    assert "Nộp tại Bộ phận Một cửa cấp xã" in (national / "index.html").read_text(encoding="utf-8")


def test_an_unknown_edition_is_an_error(mini, runner):
    result = runner.invoke(cli, ["validate", "--tinh", "khong-co"])
    assert result.exit_code == 1 and "không có ấn bản tỉnh 'khong-co'" in result.output
    assert "thu-nghiem" in result.output  # the editions there are


def test_zip_name_and_diff_say_the_edition():
    assert default_zip_name(dt.date(2026, 3, 2), Edition(province="ha-noi")) == "so-tay-ha-noi-2026-03-02.zip"
    assert default_zip_name(dt.date(2026, 3, 2), Edition()) == "so-tay-toan-quoc-2026-03-02.zip"
    assert affected_editions(["handbook/tinh/ha-noi/tinh.yml"], ["ha-noi", "thanh-hoa"]) == (["ha-noi"], False)
    assert affected_editions(["handbook/tinh/ha-noi/tinh.yml", "procedures/ho-tich/dang-ky-khai-sinh.yml"],
                             ["ha-noi", "thanh-hoa"]) == (["ha-noi", "thanh-hoa"], True)


def test_sotay_diff_says_which_editions_a_change_affects(mini, runner):
    def git(*args):
        subprocess.run(["git", *args], cwd=mini, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "gốc")
    git("checkout", "-qb", "sua")
    def json_editions():
        return json.loads(runner.invoke(cli, ["diff", "--json"]).output)["editions"]

    assert "**Ấn bản bị ảnh hưởng:** không có (không sửa nội dung)." in runner.invoke(cli, ["diff"]).output
    assert json_editions() == {"affected": [], "all": False, "reason": "none"}
    overlay = mini / "handbook/tinh/thu-nghiem/tinh.yml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("so_tien: 0", "so_tien: 10000"), encoding="utf-8")
    assert "**Ấn bản bị ảnh hưởng:** chỉ `thu-nghiem` (chỉ sửa tệp tỉnh)." in runner.invoke(cli, ["diff"]).output
    assert json_editions() == {"affected": ["thu-nghiem"], "all": False, "reason": "province"}
    path = mini / "procedures/ho-tich/dang-ky-khai-sinh.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ten: Tiếp nhận hồ sơ", "ten: Tiếp nhận", 1), encoding="utf-8")
    assert "mọi ấn bản (toan-quoc, thu-nghiem)" in runner.invoke(cli, ["diff"]).output
    assert json_editions() == {"affected": ["toan-quoc", "thu-nghiem"], "all": True, "reason": "national"}
    assert [d["path"] for d in json.loads(runner.invoke(cli, ["diff", "--json"]).output)["procedures"]] == \
        ["procedures/ho-tich/dang-ky-khai-sinh.yml"]


def test_training_sessions_name_each_editions_unit(trained):
    session = trained / "handbook/dao-tao/ho-tich-co-ban.yml"
    session.write_text(session.read_text(encoding="utf-8").replace(
        "  - Nắm quy trình một cửa cho việc hộ tịch.", "  - Tiếp nhận đúng quy trình tại {{noi_tiep_nhan}}."), encoding="utf-8")
    line = next(n for n, t in enumerate(session.read_text(encoding="utf-8").splitlines(), 1) if "{{noi_tiep_nhan}}" in t)
    for province, unit in (("thu-nghiem", "Trung tâm Phục vụ hành chính công xã, phường"), (None, "Bộ phận Một cửa cấp xã")):
        hb, sink = load_handbook(trained, edition=Edition(province=province))
        assert not sink.errors, [e.format() for e in sink.errors]
        for trainer in (True, False):
            html = Renderer(hb).render_training("ho-tich-co-ban", trainer, lambda url: url)
            assert f"Tiếp nhận đúng quy trình tại {unit}." in html and "{{noi_tiep_nhan}}" not in html
    # An edition that cannot fill it: located in the session file, nothing built.
    overlay = trained / "handbook/tinh/thu-nghiem/tinh.yml"
    overlay.write_text(re.sub(r"don_vi_tiep_nhan:\n(  .*\n)+", "", overlay.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentErrors) as exc:
        build_site(trained, edition=Edition(province="thu-nghiem"))
    assert [(e.path, e.line) for e in exc.value.errors if "không điền được '{{noi_tiep_nhan}}'" in e.message] == \
        [("handbook/dao-tao/ho-tich-co-ban.yml", line)]
    assert not (trained / "site").exists()


def test_an_unknown_placeholder_in_a_training_session_is_located(trained):
    session = trained / "handbook/dao-tao/ho-tich-co-ban.yml"
    session.write_text(session.read_text(encoding="utf-8").replace("  - Máy chiếu", "  - Sơ đồ {{noi_nhan}}"), encoding="utf-8")
    line = next(n for n, t in enumerate(session.read_text(encoding="utf-8").splitlines(), 1) if "{{noi_nhan}}" in t)
    _, sink = load_handbook(trained)
    assert [(e.path, e.line, e.message) for e in sink.errors] == \
        [("handbook/dao-tao/ho-tich-co-ban.yml", line, "không có chỗ điền '{{noi_nhan}}'")]


def test_every_province_folder_has_its_reviewers():
    owners = {line.split()[0] for line in (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    provinces = sorted(p.name for p in (REPO / "handbook/tinh").iterdir() if p.is_dir())
    assert len(provinces) >= 2
    assert [p for p in provinces if f"/handbook/tinh/{p}/" not in owners] == []


def test_the_pull_requests_summary_is_the_diff_that_names_the_editions():
    """CI writes `sotay diff`'s Markdown, whose last line names the editions, into the pull request's summary."""
    import yaml
    workflow = yaml.safe_load((REPO / ".github/workflows/kiem-tra.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job.get("steps", [])]
    (summary,) = [s for s in steps if "GITHUB_STEP_SUMMARY" in s]
    assert "sotay diff" in summary and "--json" not in summary


def test_a_filled_copy_carries_no_work_done_on_the_unfilled_procedure(mini):
    """Facts worked out from a procedure and kept on it (its folded name for
    synonyms, its citations for the legal pages) are worked out again on an
    edition's filled copy: a copy with the original's would show the unfilled
    text (or point back to the original); its positions are kept."""
    from generator.content.errors import ErrorSink
    from generator.content.handbook import _folded_name, load_procedure_text
    from generator.content.legal import citation_index
    from generator.content.located import location
    from generator.content.placeholders import fill

    text = (mini / "procedures/ho-tich/dang-ky-khai-sinh.yml").read_text(encoding="utf-8")
    text = text.replace("ten: Đăng ký khai sinh\n", "ten: Đăng ký khai sinh tại {{noi_tiep_nhan}}\n", 1)
    original = load_procedure_text(text, "procedures/ho-tich/dang-ky-khai-sinh.yml", ErrorSink())
    assert "{{noi_tiep_nhan}}" in original.title
    assert "noi_tiep_nhan" in _folded_name(original)
    cited = citation_index([original])
    filled = fill(original, {"noi_tiep_nhan": "Bộ phận Một cửa"})
    assert filled is not original and filled.title == "Đăng ký khai sinh tại Bộ phận Một cửa"
    assert "noi_tiep_nhan" not in _folded_name(filled) and "mot cua" in _folded_name(filled)
    assert {c.procedure.title for cs in citation_index([filled]).values() for c in cs} == {filled.title}
    assert {c.procedure.title for cs in cited.values() for c in cs} == {original.title}  # the original's own
    assert location(filled, "title") == location(original, "title") != (0, 0)
