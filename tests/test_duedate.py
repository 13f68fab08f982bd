"""The due-date calculator (ngày hẹn trả kết quả): working days over the real
holiday registry (handbook/data/ngay-nghi.yml), the registry's validation, and
`sotay due` on the fixture handbook."""

import datetime as dt
import json

import pytest

from generator.guided import duedate

from generator.content import model
from generator.content.errors import ErrorSink
from generator.content.handbook import load_handbook, load_holidays

from conftest import REPO, write
from test_loader import line_of, replace_in

D = dt.date
HOLIDAYS = "handbook/data/ngay-nghi.yml"


@pytest.fixture(scope="module")
def cal():
    sink = ErrorSink()
    years = load_holidays(REPO, sink)
    assert [e for e in sink.items if not e.note] == []
    return duedate.WorkCalendar.from_registry(years)


def due(cal, kind, amount, received, cutoff=None):
    deadline = model.Deadline(kind=kind, amount=amount, cutoff=model.Time(cutoff) if cutoff else None)
    return duedate.due(deadline, dt.datetime.fromisoformat(received), cal)


def counted(result):
    """The working days counted, as dates, in order."""
    return [s.split(": ", 1)[1].split(" ", 1)[0] for s in result.steps if s.startswith("ngày làm việc thứ")]


# --- the registry ------------------------------------------------------------------


def test_real_registry_loads_every_year_with_its_make_up_days():
    sink = ErrorSink()
    years = load_holidays(REPO, sink)
    assert [e for e in sink.items if not e.note] == []
    assert sorted(years) == [2025, 2026, 2027]
    assert [d.day for d in years[2025].make_up] == [D(2025, 4, 26)]
    assert [d.day for d in years[2026].make_up] == [D(2026, 1, 10), D(2026, 8, 22)]
    assert years[2025].unverified is None and years[2026].unverified and years[2027].unverified
    assert "6150/TB-LĐTBXH" in years[2025].legal_basis


def test_handbook_and_fixture_carry_holidays(mini):
    hb, sink = load_handbook(mini)
    assert sink.errors == []
    assert sorted(hb.holidays) == [2025]
    assert D(2025, 1, 31) in {d.day for d in hb.holidays[2025].days_off}


BAD_REGISTRY = """
2025:
  nghi:
    - ngay: 2025-01-01
      ten: Tết Dương lịch
    - ngay: 2024-12-31
      ten: Sai năm
    - ngay: 2025-01-01
      ten: Ghi lại lần hai
  lam_bu:
    - ngay: 2025-04-25
      ten: Thứ Sáu không phải ngày làm bù
    - ngay: 2025-04-26
      ten: Làm bù đúng
  can_cu: Thử nghiệm
sau-nay:
  nghi:
    - ngay: 2026-01-01
      ten: Tết Dương lịch
  can_cu: Thử nghiệm
"""


def test_registry_errors_are_located(mini):
    write(mini / HOLIDAYS, BAD_REGISTRY)
    _, sink = load_handbook(mini)
    found = sorted((e.path, e.line, e.column, e.message) for e in sink.errors)
    assert found == [
        (HOLIDAYS, 5, 13, "ngày 2024-12-31 không thuộc năm 2025"),
        (HOLIDAYS, 7, 13, "ngày 2025-01-01 bị ghi hai lần (đã có trong 'nghi')"),
        (HOLIDAYS, 10, 13, "ngày làm bù 2025-04-25 là thứ Sáu, không phải thứ Bảy hay Chủ nhật"),
        (HOLIDAYS, 15, 1, "'sau-nay' không phải một năm"),
    ]


def test_registry_errors_fail_validate_with_file_line_column(mini, run):
    write(mini / HOLIDAYS, BAD_REGISTRY)
    result = run("validate")
    assert result.exit_code == 1
    assert f"{HOLIDAYS}:5:13: ngày 2024-12-31 không thuộc năm 2025" in result.output
    assert f"{HOLIDAYS}:10:13: ngày làm bù 2025-04-25 là thứ Sáu" in result.output


def test_a_day_both_off_and_made_up_is_refused(mini):
    replace_in(mini, HOLIDAYS, "    - ngay: 2025-04-26\n", "    - ngay: 2025-01-25\n")
    _, sink = load_handbook(mini)
    line = line_of(mini, HOLIDAYS, "- ngay: 2025-01-25")  # the first: in nghi
    lines = [e.line for e in sink.errors]
    assert len(lines) == 1 and lines[0] > line
    assert sink.errors[0].message == "ngày 2025-01-25 bị ghi hai lần (đã có trong 'nghi')"


# --- working days --------------------------------------------------------------------


def test_weekend_is_skipped_and_receipt_day_not_counted(cal):
    r = due(cal, "ngay-lam-viec", 2, "2025-03-06 09:00")  # Thursday
    assert r.result == D(2025, 3, 10)
    assert counted(r) == ["07/03/2025", "10/03/2025"]
    assert r.skipped == [(D(2025, 3, 8), "nghỉ hằng tuần"), (D(2025, 3, 9), "nghỉ hằng tuần")]
    assert "bỏ qua 08/03/2025 (thứ Bảy): nghỉ hằng tuần" in r.steps
    assert r.warnings == []


def test_tet_2025(cal):
    r = due(cal, "ngay-lam-viec", 3, "2025-01-24 09:00")  # Friday before the Tết break 25/01–02/02
    assert r.result == D(2025, 2, 5)
    assert [d for d, _ in r.skipped] == [D(2025, 1, 25) + dt.timedelta(days=i) for i in range(9)]
    assert "bỏ qua 31/01/2025 (thứ Sáu): Tết Nguyên đán Ất Tỵ (mùng 3 tháng Giêng)" in r.steps
    assert counted(r) == ["03/02/2025", "04/02/2025", "05/02/2025"]
    assert r.steps[-1] == "→ Hẹn trả kết quả: thứ Tư, 05/02/2025."


def test_make_up_saturday_counts_as_a_working_day(cal):
    r = due(cal, "ngay-lam-viec", 2, "2025-04-24 09:00")  # Thursday
    assert r.result == D(2025, 4, 26)  # Saturday made up for Friday 02/05
    assert r.steps[-2] == "ngày làm việc thứ 2: 26/04/2025 (thứ Bảy) – ngày làm bù: Làm bù cho ngày nghỉ thứ Sáu 02/5/2025"


def test_30_4_1_5_and_the_swapped_friday_are_off(cal):
    r = due(cal, "ngay-lam-viec", 1, "2025-04-29 09:00")
    assert r.result == D(2025, 5, 5)
    assert [d for d, _ in r.skipped] == [D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2), D(2025, 5, 3), D(2025, 5, 4)]


def test_gio_to_hung_vuong(cal):
    r = due(cal, "ngay-lam-viec", 1, "2025-04-04 10:00")  # Friday; Monday 07/04 is Giỗ Tổ
    assert r.result == D(2025, 4, 8)
    assert (D(2025, 4, 7), "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)") in r.skipped


def test_received_on_a_sunday_counts_from_the_day_after_the_next_working_day(cal):
    r = due(cal, "ngay-lam-viec", 1, "2025-03-09 10:00")
    assert r.result == D(2025, 3, 11)
    assert r.steps[1] == "Nhận hồ sơ Chủ nhật, 09/03/2025 – ngày nghỉ: nghỉ hằng tuần. Coi như nhận vào ngày làm việc tiếp theo."
    assert "Coi như nhận hồ sơ thứ Hai, 10/03/2025: ngày này không tính." in r.steps


def test_year_boundary_2025_to_2026(cal):
    r = due(cal, "ngay-lam-viec", 3, "2025-12-31 09:00")
    assert r.result == D(2026, 1, 7)
    assert [d for d, _ in r.skipped] == [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3), D(2026, 1, 4)]
    assert r.skipped[1][1].startswith("Nghỉ hoán đổi dịp Tết Dương lịch")
    # 2026 has a day still to confirm (24/11): the result says so; 2025 alone does not.
    assert len(r.warnings) == 1 and "Lịch nghỉ năm 2026 còn ngày chưa xác minh" in r.warnings[0]
    assert due(cal, "ngay-lam-viec", 3, "2025-12-01 09:00").warnings == []


def test_make_up_saturday_10_01_2026(cal):
    r = due(cal, "ngay-lam-viec", 2, "2026-01-08 09:00")  # Thursday
    assert r.result == D(2026, 1, 10)
    assert counted(r) == ["09/01/2026", "10/01/2026"]


def test_missing_year_is_a_clear_error(cal):
    with pytest.raises(duedate.MissingYear) as exc:
        due(cal, "ngay-lam-viec", 5, "2027-12-29 09:00")
    assert exc.value.year == 2028
    assert "thiếu lịch nghỉ năm 2028 trong handbook/data/ngay-nghi.yml" in str(exc.value)
    with pytest.raises(duedate.MissingYear) as exc:
        due(cal, "trong-ngay", None, "2024-12-31 09:00")
    assert exc.value.year == 2024


# --- working hours ---------------------------------------------------------------------


def test_hours_across_lunch(cal):
    r = due(cal, "gio-lam-viec", 4, "2025-03-10 10:30")
    assert r.result == dt.datetime(2025, 3, 10, 16, 30)
    assert "10/03/2025 (thứ Hai) 10:30–11:30: tính 1 giờ, còn 3 giờ" in r.steps
    assert "10/03/2025 (thứ Hai) 13:30–16:30: tính 3 giờ, đủ 4 giờ" in r.steps
    assert any("Giờ làm việc giả định: 07:30–11:30 và 13:30–17:00" in s for s in r.steps)


def test_hours_overnight_and_over_a_weekend(cal):
    assert due(cal, "gio-lam-viec", 4, "2025-03-10 16:00").result == dt.datetime(2025, 3, 11, 10, 30)
    r = due(cal, "gio-lam-viec", 2, "2025-03-07 16:00")  # Friday
    assert r.result == dt.datetime(2025, 3, 10, 8, 30)
    assert [d for d, _ in r.skipped] == [D(2025, 3, 8), D(2025, 3, 9)]


def test_hours_received_outside_office_hours(cal):
    assert due(cal, "gio-lam-viec", 1, "2025-03-10 06:00").result == dt.datetime(2025, 3, 10, 8, 30)
    assert due(cal, "gio-lam-viec", 1, "2025-03-10 12:00").result == dt.datetime(2025, 3, 10, 14, 30)
    r = due(cal, "gio-lam-viec", 4, "2025-03-10 17:30")
    assert r.result == dt.datetime(2025, 3, 11, 11, 30)  # ends exactly at the lunch break
    assert "Nhận ngoài giờ làm việc: bắt đầu tính từ thứ Ba, 11/03/2025 lúc 07:30." in r.steps


def test_hours_across_tet(cal):
    r = due(cal, "gio-lam-viec", 8, "2025-01-24 15:00")
    assert r.result == dt.datetime(2025, 2, 3, 15, 30)
    assert duedate.fmt_moment(r.result) == "thứ Hai, 03/02/2025 lúc 15:30"


# --- same day ---------------------------------------------------------------------------


@pytest.mark.parametrize("received, expected", [
    ("2025-03-07 14:59", D(2025, 3, 7)),
    ("2025-03-07 15:00", D(2025, 3, 7)),  # "sau 15 giờ": at 15:00 is not after
    ("2025-03-07 15:01", D(2025, 3, 10)),  # Friday after the cut-off → Monday
    ("2025-01-24 16:00", D(2025, 2, 3)),  # after the cut-off before Tết → after Tết
    ("2025-03-09 08:00", D(2025, 3, 10)),  # Sunday → Monday, whatever the hour
])
def test_cut_off(cal, received, expected):
    assert due(cal, "trong-ngay", None, received, cutoff="15:00").result == expected


def test_same_day_without_cut_off(cal):
    assert due(cal, "trong-ngay", None, "2025-03-07 16:45").result == D(2025, 3, 7)
    assert due(cal, "trong-ngay", None, "2025-04-26 16:45").result == D(2025, 4, 26)  # make-up Saturday
    assert due(cal, "trong-ngay", None, "2025-04-07 09:00").result == D(2025, 4, 8)  # Giỗ Tổ


# --- calendar days and unverified deadlines ------------------------------------------------


def test_calendar_days_landing_on_a_holiday_warn_without_moving(cal):
    r = due(cal, "ngay", 5, "2025-04-25 10:00")
    assert r.result == D(2025, 4, 30)
    assert len(r.warnings) == 1
    assert r.warnings[0].startswith("Ngày hẹn thứ Tư, 30/04/2025 rơi vào ngày nghỉ: Ngày Chiến thắng (30/4).")
    assert "Ngày làm việc tiếp theo là thứ Hai, 05/05/2025." in r.warnings[0]


def test_calendar_days_count_days_off(cal):
    r = due(cal, "ngay", 10, "2025-01-24 10:00")  # through Tết, lands on a Monday
    assert r.result == D(2025, 2, 3)
    assert r.warnings == [] and r.skipped == []


def test_unverified_deadline_gives_no_date(cal):
    r = due(cal, "chua-xac-minh", None, "2025-03-10 10:00")
    assert r.result is None
    assert "chưa xác minh" in r.steps[0]


# --- sotay due -----------------------------------------------------------------------------


def test_cli_text(mini, run):
    result = run("due", "dang-ky-ket-hon", "--received", "2025-01-24 09:30")  # 5 ngày làm việc
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Thời hạn: 5 ngày làm việc — thời hạn chung của thủ tục" in lines
    assert "Nhận hồ sơ: thứ Sáu, 24/01/2025 lúc 09:30" in lines
    assert "Ngày hẹn trả kết quả: thứ Sáu, 07/02/2025" in lines
    assert "  - bỏ qua 31/01/2025 (thứ Sáu): Tết Nguyên đán Ất Tỵ (mùng 3 tháng Giêng)" in lines
    assert "  - bỏ qua 26/01/2025 (Chủ nhật): Tết Nguyên đán Ất Tỵ – nghỉ hằng tuần (27 tháng Chạp)" in lines
    assert "Cảnh báo:" not in lines


def test_cli_json(mini, run):
    result = run("due", "dang-ky-khai-sinh", "--received", "2025-01-24 15:30", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["procedure"] == "dang-ky-khai-sinh" and data["channel"] is None
    assert data["deadline"]["kind"] == "trong-ngay" and data["deadline"]["cutoff"] == "15:00"
    assert data["received"] == "2025-01-24T15:30"
    assert data["due"] == "2025-02-03" and data["due_text"] == "thứ Hai, 03/02/2025"
    assert data["skipped"][0] == {"date": "2025-01-25", "reason": "Tết Nguyên đán Ất Tỵ – nghỉ hằng tuần (26 tháng Chạp)"}
    assert len(data["skipped"]) == 9 and data["warnings"] == []


def test_cli_channel_deadline_overrides_the_procedure(mini, run):
    replace_in(mini, "procedures/ho-tich/dang-ky-khai-sinh.yml", "    cong_truc_tuyen: https://dichvucong.gov.vn\n",
               "    cong_truc_tuyen: https://dichvucong.gov.vn\n    thoi_han:\n      loai: gio-lam-viec\n      so: 4\n")
    result = run("due", "dang-ky-khai-sinh", "--received", "2025-03-10 16:00", "--channel", "truc-tuyen", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["due"] == "2025-03-11T10:30" and data["due_text"] == "thứ Ba, 11/03/2025 lúc 10:30"
    assert data["deadline"]["source"] == "thời hạn riêng của cách thức trực tuyến"
    direct = json.loads(run("due", "dang-ky-khai-sinh", "--received", "2025-03-10 16:00", "--channel", "truc-tiep",
                            "--json").output)
    assert direct["due"] == "2025-03-11" and direct["deadline"]["kind"] == "trong-ngay"


def test_cli_bad_input(mini, run):
    result = run("due", "dang-ky-ket-hom", "--received", "2025-01-24 09:30")
    assert result.exit_code == 1  # the one "unknown procedure" error of every command
    assert "không có thủ tục 'dang-ky-ket-hom'; có phải ý bạn là 'dang-ky-ket-hon'?" in result.output
    result = run("due", "dang-ky-ket-hon", "--received", "24/01/2025 9h30")
    assert result.exit_code == 2
    assert "'24/01/2025 9h30' không đúng dạng \"YYYY-MM-DD HH:MM\"" in result.output
    result = run("due", "dang-ky-ket-hon", "--received", "2025-02-30 09:00")
    assert result.exit_code == 2 and "ngày '2025-02-30' không tồn tại" in result.output
    result = run("due", "dang-ky-khai-sinh", "--received", "2025-01-24")  # a cut-off needs the hour
    assert result.exit_code == 2 and "ghi cả giờ" in result.output
    result = run("due", "dang-ky-ket-hon", "--received", "2025-01-24 09:30", "--channel", "buu-chinh")
    assert result.exit_code == 2 and "không nhận hồ sơ qua dịch vụ bưu chính" in result.output
    assert "Traceback" not in result.output


def test_cli_date_without_hour_is_enough_for_working_days(mini, run):
    result = run("due", "dang-ky-ket-hon", "--received", "2025-04-24")
    assert result.exit_code == 0, result.output
    assert "Nhận hồ sơ: thứ Năm, 24/04/2025" in result.output.splitlines()
    # 25/4, 26/4 (thứ Bảy làm bù), 28/4, 29/4, then 30/4–4/5 off → the fifth is Monday 5/5
    assert "Ngày hẹn trả kết quả: thứ Hai, 05/05/2025" in result.output


def test_cli_missing_year_exits_1(mini, run):
    result = run("due", "dang-ky-ket-hon", "--received", "2025-12-29 09:00")
    assert result.exit_code == 1
    assert "thiếu lịch nghỉ năm 2026 trong handbook/data/ngay-nghi.yml" in result.output


def test_cli_help_is_vietnamese_with_examples(run):
    result = run("due", "--help")
    assert result.exit_code == 0
    words = " ".join(result.output.split())
    assert "Ví dụ:" in words and "Tùy chọn:" in words and "[bắt buộc]" in words
    assert "  due" in run("--help").output
