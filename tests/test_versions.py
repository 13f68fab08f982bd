"""Dated versions of a procedure (content/versions.py): the handbook of a
given day, guides and due dates by the received date, located errors for
versions written wrong, the offline copy's warning once a change it lacks
has begun.  The legal document here (01/2025/QH99) is a test fixture, not law."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import pytest

from generator.content import versions
from generator.content.checks import apply_strict
from generator.content.edition import Edition
from generator.content.handbook import load_handbook
from generator.site.build import build_site

from test_loader import errors_for, line_of, replace_in

KET_HON = "procedures/ho-tich/dang-ky-ket-hon.yml"
VERSION = """\
phien_ban:
  - hieu_luc_tu: 2025-03-01
    ghi_chu: Luật thử nghiệm rút thời hạn và thêm giấy tờ.
    can_cu:
      - van_ban: 01/2025/QH99
    thoi_han:
      loai: ngay-lam-viec
      so: 3
    ho_so:
      - ten: Tờ khai đăng ký kết hôn
      - ten: Giấy xác nhận tình trạng hôn nhân
"""
TEST_LAW = """\
01/2025/QH99:
  loai: luat
  trich_yeu: Luật thử nghiệm (dữ liệu kiểm thử)
  co_quan_ban_hanh: Quốc hội
  ngay_ban_hanh: 2024-11-01
  ngay_hieu_luc: 2025-03-01
"""


def append(root, rel, text):
    with open(root / rel, "a", encoding="utf-8") as f:
        f.write(text)


@pytest.fixture
def dated(mini):
    """The mini handbook where marriage registration changes on 01/03/2025."""
    append(mini, KET_HON, VERSION)
    append(mini, "handbook/data/van-ban.yml", TEST_LAW)
    return mini


def on(root, day):
    hb, sink = load_handbook(root, edition=Edition(on=day))
    assert sink.errors == []
    return hb


# --- resolution ----------------------------------------------------------------------


def test_without_versions_every_day_is_the_file_as_written(mini):
    early, late = on(mini, dt.date(2000, 1, 1)), on(mini, dt.date(2100, 1, 1))
    assert early.procedures == late.procedures and early.timelines == {}
    for p in early.procedures.values():
        assert versions.on(p, dt.date(2100, 1, 1)) is p


def test_the_version_in_force_on_each_day(dated):
    before, after = on(dated, dt.date(2025, 2, 28)), on(dated, dt.date(2025, 3, 1))
    old, new = before.procedures["dang-ky-ket-hon"], after.procedures["dang-ky-ket-hon"]
    assert (old.deadline.amount, len(old.dossier)) == (5, 1)
    assert (new.deadline.amount, [d.name for d in new.dossier]) == (3, ["Tờ khai đăng ký kết hôn",
                                                                        "Giấy xác nhận tình trạng hôn nhân"])
    assert new.fees == old.fees and new.title == old.title  # keys a version does not write stay
    # Positions follow the values: the deadline in force from 01/03 is the one written in the version.
    assert versions.location(new.deadline, "amount")[0] == line_of(dated, KET_HON, "      so: 3")
    periods = after.timelines["dang-ky-ket-hon"]
    assert [(x.start, x.end) for x in periods] == [(None, dt.date(2025, 3, 1)), (dt.date(2025, 3, 1), None)]


def test_versions_apply_cumulatively(dated):
    append(dated, KET_HON, """\
  - hieu_luc_tu: 2025-06-01
    ghi_chu: Thay đổi thứ hai.
    ket_qua: [Giấy chứng nhận kết hôn (bản điện tử)]
""")
    p = on(dated, dt.date(2025, 7, 1)).procedures["dang-ky-ket-hon"]
    assert p.deadline.amount == 3 and p.results == ["Giấy chứng nhận kết hôn (bản điện tử)"]


def test_local_fee_in_force_on_the_day(mini):
    replace_in(mini, "handbook/tinh/thu-nghiem/tinh.yml", "    so_tien: 0\n", """\
    so_tien: 0
    het_hieu_luc: 2025-09-01
    phien_ban:
      - hieu_luc_tu: 2025-03-01
        so_tien: 10000
""")
    def fee(day):
        hb, sink = load_handbook(mini, edition=Edition(on=day, province="thu-nghiem"))
        assert sink.errors == []
        return hb.province.fees["le-phi-ho-tich.ket-hon"]

    assert fee(dt.date(2025, 2, 28)).amount == 0
    assert fee(dt.date(2025, 3, 1)).amount == 10000
    gone = fee(dt.date(2025, 9, 1))
    assert gone.amount is None and "hết hiệu lực từ 01/09/2025" in gone.unverified


def test_legal_status_follows_the_day(dated):
    assert on(dated, dt.date(2025, 2, 28)).legal["01/2025/QH99"].status == "chua-co-hieu-luc"
    assert on(dated, dt.date(2025, 3, 1)).legal["01/2025/QH99"].status == "con-hieu-luc"


def test_current_version_citing_an_expired_document_is_an_error_with_strict(dated):
    replace_in(dated, "handbook/data/van-ban.yml", "  ngay_hieu_luc: 2016-01-01\n",
               "  ngay_hieu_luc: 2016-01-01\n  ngay_het_hieu_luc: 2025-04-01\n")
    cited = line_of(dated, KET_HON, "van_ban: 60/2014/QH13")

    def strict_on(day):
        hb, sink = load_handbook(dated, edition=Edition(on=day))
        assert sink.errors == []  # valid when the version started; expired since
        return [e for e in apply_strict(hb, sink).errors
                if e.path == KET_HON and e.line == cited and "60/2014/QH13" in e.message]

    assert strict_on(dt.date(2025, 3, 15)) == []
    assert [e for e in strict_on(dt.date(2025, 4, 1)) if "hết hiệu lực" in e.message]


# --- versions written wrong: located errors, nothing built ---------------------------


HOSTILE = {
    "same start": ("  - hieu_luc_tu: 2025-03-01\n    ghi_chu: Lần hai.\n    ket_qua: [Khác]\n",
                   "  - hieu_luc_tu: 2025-03-01\n    ghi_chu: Lần hai.", "trùng ngày bắt đầu 01/03/2025"),
    "inverted": ("  - hieu_luc_tu: 2025-02-01\n    ghi_chu: Lùi ngày.\n    ket_qua: [Khác]\n",
                 "  - hieu_luc_tu: 2025-02-01", "không sau phiên bản ở dòng"),
    "unknown key": ("  - hieu_luc_tu: 2025-06-01\n    ghi_chu: Khóa lạ.\n    thoi_gian_moi: 3\n",
                    "    thoi_gian_moi: 3", "khóa không hợp lệ 'thoi_gian_moi'"),
    "field may not change": ("  - hieu_luc_tu: 2025-06-01\n    ghi_chu: Đổi lĩnh vực.\n    linh_vuc: chung-thuc\n",
                             "    linh_vuc: chung-thuc", "khóa 'linh_vuc' không được đổi trong một phiên bản"),
    "changes nothing": ("  - hieu_luc_tu: 2025-06-01\n    ghi_chu: Không đổi gì.\n",
                        "  - hieu_luc_tu: 2025-06-01", "phiên bản không thay đổi khóa nào"),
    "bad value in a version": ("  - hieu_luc_tu: 2025-06-01\n    ghi_chu: Số âm.\n    thoi_han:\n      loai: ngay-lam-viec\n"
                               "      so: -2\n", "      so: -2", "không được nhỏ hơn 1"),
    "rules on the resolved version": ("  - hieu_luc_tu: 2025-06-01\n    ghi_chu: Hai bước trùng tên.\n    quy_trinh:\n"
                                      "      - {ten: Tiếp nhận, vai_tro: A, kiem_tra: [x]}\n"
                                      "      - {ten: Tiếp nhận, vai_tro: B, kiem_tra: [y]}\n",
                                      "      - {ten: Tiếp nhận, vai_tro: B", "bị trùng tên (trong bản áp dụng từ 01/06/2025)"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_version_written_wrong_is_located(dated, case):
    text, at, message = HOSTILE[case]
    append(dated, KET_HON, text)
    errors = errors_for(dated, KET_HON)
    lines = at.split("\n")  # a needle of several lines: the error is at its first
    line = line_of(dated, KET_HON, lines[-1]) - (len(lines) - 1)
    found = [e for e in errors if e[1] == line and message in e[3]]
    assert found, errors
    assert found[0][4] or case == "bad value in a version"  # the schema's own bound message has no hint


def test_a_version_citing_a_document_not_yet_in_force_on_its_start(dated):
    replace_in(dated, "handbook/data/van-ban.yml", "  ngay_hieu_luc: 2025-03-01\n", "  ngay_hieu_luc: 2025-04-01\n")
    errors = errors_for(dated, KET_HON)
    line = line_of(dated, KET_HON, "- van_ban: 01/2025/QH99")
    assert [e for e in errors if e[1] == line and "có hiệu lực từ 01/04/2025" in e[3]
            and "bản áp dụng từ 01/03/2025" in e[3]], errors


def test_serve_checks_versions_again_when_a_cited_documents_dates_change_not_its_title(dated, monkeypatch):
    """`sotay serve` keeps a file's version checks between rebuilds: a title
    edit in the legal registry leaves them as they were (thousands of files
    cite one law), a date edit checks again and says what is now wrong."""
    checked = []
    real = versions.check_procedure
    monkeypatch.setattr(versions, "check_procedure", lambda p, *a: (checked.append(p.id), real(p, *a))[1])
    cache: dict = {}
    assert load_handbook(dated, cache=cache)[1].errors == []
    assert "dang-ky-ket-hon" in checked
    checked.clear()
    replace_in(dated, "handbook/data/van-ban.yml", "Luật thử nghiệm (dữ liệu kiểm thử)", "Luật thử nghiệm, tên mới")
    hb, sink = load_handbook(dated, cache=cache)
    assert sink.errors == [] and hb.legal["01/2025/QH99"].title == "Luật thử nghiệm, tên mới" and checked == []
    replace_in(dated, "handbook/data/van-ban.yml", "  ngay_hieu_luc: 2025-03-01\n", "  ngay_hieu_luc: 2025-04-01\n")
    sink = load_handbook(dated, cache=cache)[1]
    assert checked == ["dang-ky-ket-hon"]
    assert [e for e in sink.errors if e.path == KET_HON and "có hiệu lực từ 01/04/2025" in e.message], sink.errors


def test_a_version_starting_before_the_base_is_located(dated):
    replace_in(dated, KET_HON, "phu_trach:", "hieu_luc_tu: 2025-05-01\nphu_trach:")
    errors = errors_for(dated, KET_HON)
    line = line_of(dated, KET_HON, "  - hieu_luc_tu: 2025-03-01")
    assert [e for e in errors if e[1] == line and "không sau nội dung chính" in e[3]], errors


def test_hostile_versions_build_nothing(dated, run, tmp_path):
    append(dated, KET_HON, HOSTILE["same start"][0])
    result = run("build", "--site-dir", str(tmp_path / "site"))
    assert result.exit_code != 0
    second = line_of(dated, KET_HON, "    ghi_chu: Lần hai.") - 1
    assert f"{KET_HON}:{second}:18: phiên bản trùng ngày bắt đầu 01/03/2025" in result.output, result.output
    assert not (tmp_path / "site").exists()


# --- dated builds ----------------------------------------------------------------------


def page(site, rel="thu-tuc/ho-tich/dang-ky-ket-hon/"):
    return " ".join((site / rel / "index.html").read_text(encoding="utf-8").split())


def test_dated_build_before_and_after_the_change(dated, run, tmp_path):
    for day in ("2025-02-28", "2025-03-01"):
        result = run("build", "--ngay", day, "--site-dir", str(tmp_path / day))
        assert result.exit_code == 0, result.output
    before, after = tmp_path / "2025-02-28", tmp_path / "2025-03-01"
    assert "5 ngày làm việc" in page(before) and "Giấy xác nhận tình trạng hôn nhân" not in page(before)
    assert ('Từ 01/03/2025 áp dụng quy định mới — <a href="ap-dung-tu-2025-03-01/">xem trước</a>') in page(before)
    assert "<summary>Thay đổi gì</summary><p>Luật thử nghiệm rút thời hạn và thêm giấy tờ.</p>" in page(before)
    preview = page(before, "thu-tuc/ho-tich/dang-ky-ket-hon/ap-dung-tu-2025-03-01/")
    assert "Bản áp dụng từ 01/03/2025 (xem trước)" in preview and "3 ngày làm việc" in preview
    assert "ap-dung" not in (before / "search/search_index.json").read_text(encoding="utf-8")  # out of search
    assert "3 ngày làm việc" in page(after) and "Giấy xác nhận tình trạng hôn nhân" in page(after)
    assert "áp dụng quy định mới" not in page(after)
    assert '<a href="ap-dung-truoc-2025-03-01/">Xem bản áp dụng trước 01/03/2025</a>' in page(after)
    assert "5 ngày làm việc" in page(after, "thu-tuc/ho-tich/dang-ky-ket-hon/ap-dung-truoc-2025-03-01/")
    assert not (after / "thu-tuc/ho-tich/dang-ky-ket-hon/ap-dung-tu-2025-03-01").exists()


def test_the_plugin_option_and_a_bad_day(dated, run, tmp_path):
    replace_in(dated, "mkdocs.yml", "  - sotay\n", "  - sotay:\n      ngay: 2025-02-28\n")
    assert "5 ngày làm việc" in page(build_site(dated, tmp_path / "site"))
    result = run("build", "--ngay", "2025-02-30", "--site-dir", str(tmp_path / "x"))
    assert result.exit_code != 0 and "--ngay" in result.output and "YYYY-MM-DD" in result.output


# --- guides and due dates by the received date ------------------------------------------


def test_due_date_for_a_dossier_received_the_day_before_the_change(dated, run):
    old = json.loads(run("due", "dang-ky-ket-hon", "--received", "2025-02-28 09:00", "--json").output)
    new = json.loads(run("due", "dang-ky-ket-hon", "--received", "2025-03-03 09:00", "--json").output)
    assert old["deadline"]["amount"] == 5 and old["version"]["start"] is None and old["version"]["end"] == "2025-03-01"
    assert new["deadline"]["amount"] == 3 and new["version"]["start"] == "2025-03-01"
    text = run("due", "dang-ky-ket-hon", "--received", "2025-02-28 09:00").output
    assert "Theo bản áp dụng trước 01/03/2025 (hồ sơ nhận ngày 28/02/2025)" in text


def test_guide_for_a_dossier_received_the_day_before_the_change(dated, run):
    old = json.loads(run("guide", "dang-ky-ket-hon", "--received", "2025-02-28", "--json").output)
    new = json.loads(run("guide", "dang-ky-ket-hon", "--received", "2025-03-01", "--json").output)
    assert [d["name"] for d in old["dossier"]] == ["Tờ khai đăng ký kết hôn"]
    assert "Giấy xác nhận tình trạng hôn nhân" in [d["name"] for d in new["dossier"]]
    assert new["version"]["label"] == "bản áp dụng từ 01/03/2025"
    # A procedure without versions says nothing about versions.
    assert "version" not in json.loads(run("guide", "dang-ky-khai-sinh", "--json").output)


# --- the case view in the browser: the version of the received date -----------------------


@pytest.fixture
def dated_site(dated, tmp_path):
    """The dated handbook built on 28/02/2025 (the old version in force), served."""
    from conftest import serve_directory

    site = build_site(dated, tmp_path / "site", edition=Edition(on=dt.date(2025, 2, 28)))
    with serve_directory(site) as url:
        yield url


def receive(tab, day, time="09:00"):
    tab.fill("#sotay-received", day)
    tab.fill("#sotay-received-time", time)
    tab.locator("#sotay-received-time").dispatch_event("change")
    return tab.locator(".sotay-due-result")


def due_text(run, received):
    return json.loads(run("due", "dang-ky-ket-hon", "--received", received, "--json").output)["due_text"]


def test_case_view_follows_the_received_date(dated, dated_site, run, chromium):
    old_due, new_due = due_text(run, "2025-02-28 09:00"), due_text(run, "2025-03-03 09:00")
    context = chromium.new_context()
    try:
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(dated_site + "thu-tuc/ho-tich/dang-ky-ket-hon/")
        tab.wait_for_load_state("load")
        # versions.js waits for a received day: a first visit does not pay for it.
        assert tab.locator("script[data-sotay-script='versions.js']").count() == 0
        # The day before the change: the page's own (old) version, and it says so.
        result = receive(tab, "28/02/2025")
        result.locator(".sotay-due-version").wait_for()
        assert tab.locator("script[data-sotay-script='versions.js']").count() == 1
        text = " ".join(result.inner_text().split())
        assert "Theo bản áp dụng trước 01/03/2025 (hồ sơ nhận ngày 28/02/2025)" in text
        assert f"Ngày hẹn trả kết quả: {old_due}" in text
        # On the day of the change and after: the new version's deadline, said plainly, with its page.
        tab.fill("#sotay-case-label", "BN-7")
        tab.get_by_role("button", name="Bắt đầu hồ sơ mới").click()
        result = receive(tab, "03/03/2025")
        text = " ".join(result.inner_text().split())
        assert ("Hồ sơ nhận ngày 03/03/2025: theo bản áp dụng từ 01/03/2025, không phải bản trang này đang hiển thị "
                "— thời hạn, hồ sơ và phí theo bản đó") in text
        assert "tính theo thời hạn của bản đó: 3 ngày làm việc" in text and f"Ngày hẹn trả kết quả: {new_due}" in text
        assert "Hồ sơ nhận ngày 01/03/2025: theo bản áp dụng từ 01/03/2025" in " ".join(
            receive(tab, "01/03/2025").inner_text().split())
        # Its page opens with the case: label, received time, the same due date, no warning.
        receive(tab, "03/03/2025").get_by_role("link", name="Mở bản áp dụng từ 01/03/2025 với hồ sơ này").click()
        tab.wait_for_url("**/ap-dung-tu-2025-03-01/")
        assert "Giấy xác nhận tình trạng hôn nhân" in tab.locator("#ho-so ~ ul, #ho-so ~ ol").first.inner_text()
        assert tab.input_value("#sotay-case-select") == "BN-7"
        assert (tab.input_value("#sotay-received"), tab.input_value("#sotay-received-time")) == ("03/03/2025", "09:00")
        result = tab.locator(".sotay-due-result")
        result.locator(".sotay-due-version").wait_for()
        text = " ".join(result.inner_text().split())
        assert "Theo bản áp dụng từ 01/03/2025 (hồ sơ nhận ngày 03/03/2025)" in text
        assert f"Ngày hẹn trả kết quả: {new_due}" in text and "không phải bản trang này" not in text
        # From the new version's page, a dossier received before the change is sent back to the old one.
        assert "theo bản áp dụng trước 01/03/2025" in " ".join(receive(tab, "27/02/2025").inner_text().split())
        assert errors == []
    finally:
        context.close()


def test_case_view_version_notice_is_accessible(dated_site, chromium):
    """axe on the case view saying another version applies, in both colour schemes."""
    from conftest import require
    from test_accessibility import AXE_JS, REPO, report, run_axe

    require(AXE_JS.is_file(), f"axe-core ({AXE_JS.relative_to(REPO)})", "scripts/system-deps.sh (cần npm) hoặc make test")
    for scheme in ("light", "dark"):
        context = chromium.new_context(color_scheme=scheme)
        try:
            tab = context.new_page()
            tab.goto(dated_site + "thu-tuc/ho-tich/dang-ky-ket-hon/")
            receive(tab, "03/03/2025").locator(".sotay-due-version-other").wait_for()
            violations = run_axe(tab, f"phiên bản khác, {scheme}")
            assert not violations, report(violations)
        finally:
            context.close()


def test_case_view_of_a_procedure_without_versions_is_unchanged(dated_site, chromium):
    context = chromium.new_context()
    try:
        tab = context.new_page()
        tab.goto(dated_site + "thu-tuc/ho-tich/dang-ky-khai-sinh/")
        tab.wait_for_load_state("load")
        result = receive(tab, "28/02/2025")
        assert "Ngày hẹn trả kết quả:" in result.inner_text()
        assert result.locator(".sotay-due-version").count() == 0
        assert tab.locator("script[data-sotay-script='versions.js']").count() == 0
    finally:
        context.close()


# --- the offline copy ----------------------------------------------------------------------


def test_export_records_its_day_and_warns_in_the_browser_after_a_change(dated, run, tmp_path, chromium):
    dest = tmp_path / "so-tay.zip"
    assert run("export", "--zip", str(dest), "--ngay", "2025-02-01").exit_code == 0
    with zipfile.ZipFile(dest) as archive:
        readme = archive.read("so-tay/MO-TRANG-NAY.txt").decode("utf-8-sig")
        archive.extractall(tmp_path / "x")
    assert "quy định áp dụng ngày 01/02/2025" in readme and "01/03/2025" in readme
    context = chromium.new_context()
    try:
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto((tmp_path / "x/so-tay/thu-tuc/ho-tich/dang-ky-khai-sinh/index.html").as_uri())
        note = tab.wait_for_selector(".sotay-edition-stale", timeout=10000)
        assert re.search(r"áp dụng ngày 01/02/2025\. Từ 01/03/2025 đã có quy định mới", note.inner_text())
        assert errors == []
    finally:
        context.close()


def test_a_copy_with_no_change_ahead_does_not_warn(dated, tmp_path, chromium):
    site = build_site(dated, tmp_path / "site", offline=True, edition=Edition(on=dt.date(2025, 3, 1)))
    context = chromium.new_context()
    try:
        tab = context.new_page()
        tab.goto((site / "index.html").as_uri())
        tab.wait_for_load_state("load")
        assert tab.query_selector(".sotay-edition-stale") is None
        assert json.loads(tab.text_content("#sotay-edition")) == {"day": "2025-03-01", "changes": []}
    finally:
        context.close()


# --- sotay diff ----------------------------------------------------------------------------


def test_diff_shows_a_new_version_field_by_field(mini, run):
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=mini, check=True,
                       capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "base")
    append(mini, KET_HON, VERSION)
    append(mini, "handbook/data/van-ban.yml", TEST_LAW)
    out = run("diff").output
    assert "Thêm phiên bản áp dụng từ 01/03/2025: Luật thử nghiệm rút thời hạn và thêm giấy tờ." in out
    assert "Từ 01/03/2025 — Thời hạn: 5 ngày làm việc → 3 ngày làm việc" in out
    assert "Từ 01/03/2025 — Thêm giấy tờ: Giấy xác nhận tình trạng hôn nhân" in out
    git("add", "-A")
    git("commit", "-qm", "version")
    replace_in(mini, KET_HON, "      so: 3\n", "      so: 4\n")
    out = run("diff", "HEAD").output
    assert "Sửa phiên bản áp dụng từ 01/03/2025" in out and "5 ngày làm việc → 4 ngày làm việc" in out
