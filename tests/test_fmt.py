"""sotay fmt: one canonical layout for procedure files, never a change of content.

* the shipped procedures are in canonical layout, and fmt twice = fmt once;
* any layout of the same content gives the same text;
* generated valid procedures (hypothesis), with comments sprinkled in, load to
  the same model after fmt, keep every comment, and format idempotently;
* comments stay with their entries when keys move; tricky values stay quoted;
* ``--check`` exits 1 on an unformatted file and 0 after fmt; a broken file is
  refused with its location and left untouched; a formatted text that would
  not load back the same is never written.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, note, settings, strategies as st

import generator.cli.fmt  # noqa: F401  (registers `sotay fmt` until generator/cli/__init__.py imports it)
from generator.editing import fmt as fmtlib
from generator.editing.comments import scanned_comments
from generator.editing.fmt import WIDTH, canonical_data, fold_positions, format_files, format_text
from generator.content.handbook import load_handbook, procedure_files
from generator.content.legacyencoding import legacy_encoding

from conftest import REPO
from test_loader import KHAI_SINH, line_of, replace_in
from test_properties import ATOM, NEW_ID, TEXT, fresh_handbook, rel_path, valid_procedures

SHIPPED = procedure_files(REPO)
HEADER = "# yaml-language-server: $schema=../../schema/thu-tuc.schema.json\n"
KET_HON = "procedures/ho-tich/dang-ky-ket-hon.yml"


def _id(path: Path) -> str:
    return path.stem


def _reversed_keys(value, key=None):
    """The same content with the keys of every schema object in reverse order
    (the choices of a question are data: their order stays)."""
    if isinstance(value, dict):
        items = list(value.items()) if key == "lua_chon" else list(reversed(value.items()))
        return {k: _reversed_keys(v, k) for k, v in items}
    if isinstance(value, list):
        return [_reversed_keys(v) for v in value]
    return value


# --- the shipped procedures -------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=_id)
def test_shipped_procedure_is_canonical_and_fmt_is_idempotent(path):
    text = path.read_text(encoding="utf-8")
    once = format_text(text)
    assert format_text(once) == once
    assert once == text, "chạy: sotay fmt " + path.relative_to(REPO).as_posix()
    assert text.startswith(HEADER)


@pytest.mark.parametrize("path", SHIPPED, ids=_id)
def test_any_layout_of_the_same_content_gives_the_same_text(path):
    """PyYAML's own layout (keys sorted, flow lists, narrow width) formats back to the shipped text."""
    text = path.read_text(encoding="utf-8")
    data = _reversed_keys(yaml.safe_load(text))
    relaid = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=50)
    assert relaid != text
    assert format_text(relaid) == text


def test_shipped_lines_fit_the_width_unless_one_word_or_a_condition():
    for path in SHIPPED:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if len(line) > WIDTH:
                content = line.strip().removeprefix("- ")
                key, _, value = content.partition(": ")
                assert key == "chi_khi" or " " not in value.strip(), f"{path}:{number}: {line}"


def test_fmt_over_the_shipped_handbook_changes_nothing():
    results = format_files(REPO, SHIPPED, write=False)
    assert [(r.display, r.status) for r in results if r.status != "unchanged"] == []


# --- generated procedures (hypothesis) ----------------------------------------------------

LONG_TEXT = st.lists(ATOM, min_size=12, max_size=45).map(" ".join).map(str.strip).filter(bool)
MULTILINE = st.lists(TEXT, min_size=2, max_size=3).map("\n".join)
CHOICE_KEYS = ["yes", "no", "on", "1.5", "15:00", "2025-11-20", "null", "truc-tiep", "~", "0x1F", "Có"]
COMMENTS = ["# ghi chú", "# a: b 'x' \"y\" #z", "#không cách", "# 1.000001 yes 15:00", "# - mục", "#"]


@st.composite
def rich_procedures(draw) -> dict:
    """A valid procedure with long, multi-line and tricky texts, questions with
    conditions, and its keys in a random order."""
    p = draw(valid_procedures())
    if draw(st.booleans()):
        p["tom_tat"] = draw(LONG_TEXT)
    if draw(st.booleans()):
        p["dieu_kien"] = draw(st.lists(st.one_of(TEXT, LONG_TEXT, MULTILINE), min_size=1, max_size=3))
    if draw(st.booleans()):
        p["ho_so"][0]["ghi_chu"] = draw(st.one_of(LONG_TEXT, MULTILINE))
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(CHOICE_KEYS), min_size=2, max_size=4, unique=True))
        p["cau_hoi"] = [
            {"ma": "da_ket_hon", "hoi": draw(TEXT), "nhan": draw(TEXT)},
            {"ma": "cach_nop", "hoi": draw(TEXT), "nhan": draw(TEXT), "kieu": "mot-lua-chon",
             "lua_chon": {k: draw(TEXT) for k in keys}},
        ]
        p["luu_y"] = [
            {"chi_khi": "không da_ket_hon", "noi_dung": draw(st.one_of(TEXT, LONG_TEXT))},
            {"noi_dung": draw(TEXT), "chi_khi": f'cach_nop = "{keys[0]}"'},
        ]
        p["ho_so"][0]["chi_khi"] = "da_ket_hon"
    order = draw(st.permutations(list(p)))
    return {k: p[k] for k in order}


def _comment_lines(text: str) -> tuple[set[int], set[int]]:
    """Lines where a comment can go without touching a value: before a line that
    starts a key or item of a block; at the end of such a line unless a value
    (a text, a flow list or block) runs on past it."""
    starts, spans = set(), []

    def walk(node):
        if node.end_mark.line > node.start_mark.line and (isinstance(node, yaml.ScalarNode) or node.flow_style):
            spans.append((node.start_mark.line, node.end_mark.line))
        if isinstance(node, yaml.ScalarNode) or node.flow_style:
            return
        for key, value in node.value if isinstance(node, yaml.MappingNode) else ((v, v) for v in node.value):
            starts.add(key.start_mark.line)
            walk(value)

    walk(yaml.compose(text))
    before = {n for n in starts if not any(a < n <= b for a, b in spans)}
    eol = {n for n in starts if not any(a <= n < b for a, b in spans)}
    return before, eol


def sprinkle_comments(text: str, seed: int) -> str:
    rng = random.Random(seed)
    before, eol = _comment_lines(text)
    out = []
    for i, line in enumerate(text.splitlines()):
        if i in before and rng.random() < 0.3:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + rng.choice(COMMENTS) + f" {i}")
        out.append(line + (f"  {rng.choice(COMMENTS)} cuối {i}" if i in eol and rng.random() < 0.3 else ""))
    return "\n".join(out) + "\n"


def dump_any(data: dict, flow: bool) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None if flow else False,
                          width=1_000_000)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_procedures(), st.booleans(), st.integers(0, 2**32))
def test_generated_procedure_keeps_its_model_and_comments_through_fmt(data, flow, seed):
    text = HEADER + sprinkle_comments(dump_any(data, flow), seed)
    note(text)
    # Random letters can look like Vietnamese typed in a legacy encoding ("aÓ … eÁ"),
    # which the loader rightly refuses: fmt's promise is for files the loader accepts.
    assume(legacy_encoding(text) is None)
    assert yaml.safe_load(text) == data  # the comments went where they change nothing
    with fresh_handbook() as root:
        path = root / rel_path(data["linh_vuc"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        before, sink = load_handbook(root)
        assert [e.format() for e in sink.errors] == []

        [result] = format_files(root, [path], write=True)
        assert result.status in ("changed", "unchanged"), result.message
        formatted = path.read_text(encoding="utf-8")
        note(formatted)

        after, sink = load_handbook(root)
        assert [e.format() for e in sink.errors] == []
        assert after.procedures[NEW_ID] == before.procedures[NEW_ID]
        assert canonical_data(formatted) == canonical_data(text)  # texts exactly, not only after trimming
        assert Counter(scanned_comments(formatted)) == Counter(scanned_comments(text))
        assert format_text(formatted) == formatted
        assert formatted.startswith(HEADER) and formatted.endswith("\n") and not formatted.endswith("\n\n")
        assert unicodedata.is_normalized("NFC", formatted)


@settings(max_examples=40, deadline=None)
@given(rich_procedures())
def test_layout_does_not_depend_on_how_the_file_was_written(data):
    block = format_text(HEADER + dump_any(data, flow=False))
    narrow = HEADER + yaml.safe_dump(_reversed_keys(data), allow_unicode=True, sort_keys=False, default_flow_style=True, width=30)
    assert format_text(narrow) == block


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "ccc", "Đăng", "ký", "x" * 30, " ", "  "]), min_size=1, max_size=60)
       .map("".join).map(str.strip).filter(bool), st.integers(0, 120))
def test_fold_positions_only_break_single_spaces_and_keep_lines_short(value, avail):
    def breakable(i):
        return value[i] == " " and value[i - 1] != " " and value[i + 1] != " "

    folds = fold_positions(value, avail)
    assert folds == sorted(set(folds)) and all(breakable(i) for i in folds)
    bounds = [-1, *folds, len(value)]
    for a, b in zip(bounds, bounds[1:]):
        # A line is short enough, or is one run of text that cannot be broken.
        assert b - a - 1 <= max(avail, 40) or not any(breakable(i) for i in range(a + 2, b - 1))


# --- comments --------------------------------------------------------------------------

COMMENTED = """\
# yaml-language-server: $schema=../../schema/thu-tuc.schema.json
ten: Đăng ký khai sinh  # tên như trên Cổng
# Mã quốc gia: đặt trong dấu nháy
ma_thu_tuc: '1.000001'
linh_vuc: ho-tich
cap_thuc_hien: [xa]
co_quan_thuc_hien: UBND cấp xã
doi_tuong: [Cha, mẹ của trẻ]
tom_tat: >-   # một câu
  Đăng ký khai sinh cho trẻ em, **đúng hạn** miễn lệ phí.
cach_thuc:
  # trực tiếp trước
  - hinh_thuc: truc-tiep
  - cong_truc_tuyen: https://dichvucong.gov.vn   # cổng quốc gia
    hinh_thuc: truc-tuyen
thoi_han:
  gio_cat: '15:00'  # giờ cắt
  loai: trong-ngay
phi:
  - ten: Lệ phí đăng ký khai sinh
    so_tien: 0
    mien_giam: [Miễn khi đăng ký đúng hạn.]
ho_so:
  - ten: Tờ khai đăng ký khai sinh
  - ten: Giấy chứng sinh
    loai: ban-chinh
ket_qua: [Giấy khai sinh bản chính]
quy_trinh:
  - ten: Tiếp nhận hồ sơ
    vai_tro: Công chức Bộ phận Một cửa
    kiem_tra:
      - Kiểm tra giấy tờ tùy thân của người đi đăng ký
      # rồi mới tới giấy chứng sinh
      - Kiểm tra Giấy chứng sinh
    loi_thuong_gap: [Quên kiểm tra thời hạn 60 ngày]
  - ten: Ghi sổ và trình ký
    vai_tro: Công chức Tư pháp - Hộ tịch
    kiem_tra: [Ghi Sổ đăng ký khai sinh, Trình Chủ tịch UBND ký]
can_cu_phap_ly:
  - van_ban: 60/2014/QH13
    dieu: Điều 16
lien_quan: [dang-ky-ket-hon]
tu_khoa: [làm giấy khai sinh]
ngay_ra_soat: 2025-11-20
phu_trach: Công chức Tư pháp - Hộ tịch
# hết
"""

COMMENTED_FORMATTED = """\
# yaml-language-server: $schema=../../schema/thu-tuc.schema.json
ten: Đăng ký khai sinh  # tên như trên Cổng
linh_vuc: ho-tich
cap_thuc_hien:
  - xa
co_quan_thuc_hien: UBND cấp xã
tom_tat: Đăng ký khai sinh cho trẻ em, **đúng hạn** miễn lệ phí.  # một câu
doi_tuong:
  - Cha
  - mẹ của trẻ
cach_thuc:
  # trực tiếp trước
  - hinh_thuc: truc-tiep
  - hinh_thuc: truc-tuyen
    cong_truc_tuyen: https://dichvucong.gov.vn  # cổng quốc gia
thoi_han:
  loai: trong-ngay
  gio_cat: "15:00"  # giờ cắt
ho_so:
  - ten: Tờ khai đăng ký khai sinh
  - ten: Giấy chứng sinh
    loai: ban-chinh
ket_qua:
  - Giấy khai sinh bản chính
quy_trinh:
  - ten: Tiếp nhận hồ sơ
    vai_tro: Công chức Bộ phận Một cửa
    kiem_tra:
      - Kiểm tra giấy tờ tùy thân của người đi đăng ký
      # rồi mới tới giấy chứng sinh
      - Kiểm tra Giấy chứng sinh
    loi_thuong_gap:
      - Quên kiểm tra thời hạn 60 ngày
  - ten: Ghi sổ và trình ký
    vai_tro: Công chức Tư pháp - Hộ tịch
    kiem_tra:
      - Ghi Sổ đăng ký khai sinh
      - Trình Chủ tịch UBND ký
can_cu_phap_ly:
  - van_ban: 60/2014/QH13
    dieu: Điều 16
ngay_ra_soat: 2025-11-20
phu_trach: Công chức Tư pháp - Hộ tịch
# Mã quốc gia: đặt trong dấu nháy
ma_thu_tuc: "1.000001"
phi:
  - ten: Lệ phí đăng ký khai sinh
    so_tien: 0
    mien_giam:
      - Miễn khi đăng ký đúng hạn.
lien_quan:
  - dang-ky-ket-hon
tu_khoa:
  - làm giấy khai sinh
# hết
"""


def test_comments_move_with_their_entries(mini, run):
    (mini / KHAI_SINH).write_text(COMMENTED, encoding="utf-8")
    result = run("fmt", KHAI_SINH)
    assert result.exit_code == 0, result.output
    assert (mini / KHAI_SINH).read_text(encoding="utf-8") == COMMENTED_FORMATTED
    assert run("validate").exit_code == 0


def test_comment_inside_a_value_and_blank_lines(mini):
    text = (
        "# đầu tệp\n\n# về tên\nten:\n  # giữa khóa và giá trị\n  Đăng ký khai sinh\n\n\nlinh_vuc: ho-tich\n"
        + (mini / KHAI_SINH).read_text(encoding="utf-8").split("linh_vuc: ho-tich\n", 1)[1]
        + "\n\n# cuối 1\n\n# cuối 2\n"
    )
    out = format_text(text)
    assert out.startswith("# đầu tệp\n\n# về tên\n# giữa khóa và giá trị\nten: Đăng ký khai sinh\nlinh_vuc: ho-tich\n")
    assert out.endswith("\n# cuối 1\n# cuối 2\n")
    assert "\n\n" not in out.split("\n\n", 1)[1]  # one blank line, after the opening block, none elsewhere
    assert format_text(out) == out


def test_comment_that_ruamel_yaml_alone_would_lose_is_kept():
    """ruamel.yaml's round trip drops a comment line between two items written as
    {…} when the second has an end-of-line comment; fmt finds comments itself."""
    text = HEADER + "ho_so:\n- {ten: A}\n# về giấy B\n- {ten: B}  # bản chính\n"
    assert "# về giấy B" not in fmtlib.ruamel_comments(text)
    out = format_text(text)
    assert out == HEADER + "ho_so:\n  - ten: A\n  # về giấy B\n  - ten: B  # bản chính\n"


def test_hash_inside_text_is_not_a_comment():
    text = HEADER + "ten: 'Mục #1: a # b'\nghi_chu: >-\n  dòng # không phải chú thích\n"
    assert scanned_comments(text) == [HEADER.strip()]
    out = format_text(text)
    assert yaml.safe_load(out) == yaml.safe_load(text)
    assert scanned_comments(out) == [HEADER.strip()]


# --- values ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, written", [
    ("1.000001", '"1.000001"'),
    ("yes", '"yes"'), ("No", '"No"'), ("on", '"on"'), ("off", '"off"'), ("null", '"null"'), ("~", '"~"'),
    ("15:00", '"15:00"'), ("1:30", '"1:30"'), ("2025-11-20", '"2025-11-20"'), ("1_000", '"1_000"'),
    ("0x1F", '"0x1F"'), ("1e3", '"1e3"'), ("=", '"="'), ("<<", '"<<"'), ("- mục", '"- mục"'),
    ("a: b", '"a: b"'), ("a #b", '"a #b"'), ("@at", '"@at"'), ("'x'", "\"'x'\""),
    ('cach_nop = "truc-tuyen"', 'cach_nop = "truc-tuyen"'), ('"nháy" đầu', "'\"nháy\" đầu'"),
    ("Điều 16, khoản 2", "Điều 16, khoản 2"), ("100%", "100%"), ("a#b", "a#b"), ("y", "y"),
])
def test_text_is_quoted_only_when_yaml_would_misread_it(value, written):
    out = format_text(HEADER + yaml.safe_dump({"ten": value, "so": 3}, allow_unicode=True), dict)
    assert f"ten: {written}\n" in out
    assert yaml.safe_load(out)["ten"] == value  # PyYAML reads YAML 1.1, as the loader does
    from ruamel.yaml import YAML
    assert YAML(typ="safe", pure=True).load(out)["ten"] == value  # and YAML 1.2


def test_tricky_values_survive_in_a_real_procedure(mini, run):
    replace_in(mini, KHAI_SINH, "tu_khoa: [làm giấy khai sinh]",
               "tu_khoa: [làm giấy khai sinh, 'yes', 'no', '15:00', '1.000001', '2025-11-20', 'on', '1:30']")
    before, _ = load_handbook(mini)
    assert run("fmt").exit_code == 0
    text = (mini / KHAI_SINH).read_text(encoding="utf-8")
    for quoted in ['ma_thu_tuc: "1.000001"', 'gio_cat: "15:00"', '- "yes"', '- "no"', '- "15:00"', '- "1.000001"',
                   '- "2025-11-20"', '- "on"', '- "1:30"', "ngay_ra_soat: 2025-11-20\n"]:
        assert quoted in text
    after, sink = load_handbook(mini)
    assert not sink.errors and after.procedures == before.procedures


def test_long_text_is_folded_without_changing_it():
    long = " ".join(["Đăng ký khai sinh cho trẻ em"] * 12) + "  hai  dấu cách"
    text = HEADER + yaml.safe_dump({"tom_tat": long, "ho_so": [{"ten": long}]}, allow_unicode=True, width=1_000_000)
    out = format_text(text)
    assert "tom_tat: >-\n" in out and "  - ten: >-\n" in out
    assert all(len(line) <= WIDTH for line in out.splitlines())
    assert yaml.safe_load(out) == yaml.safe_load(text)
    assert format_text(out) == out


def test_text_with_line_breaks_is_a_literal_block():
    text = HEADER + yaml.safe_dump({"ghi_chu": "dòng 1\ndòng 2: có dấu hai chấm\n# không phải chú thích"}, allow_unicode=True)
    out = format_text(text, dict)
    assert "ghi_chu: |-\n  dòng 1\n  dòng 2: có dấu hai chấm\n  # không phải chú thích\n" in out
    assert yaml.safe_load(out) == yaml.safe_load(text)


def test_unknown_keys_are_kept_after_the_known_ones_in_their_order():
    text = "zeta: 1\nten: A\nalpha: [x]\nlinh_vuc: b\nthoi_han: {zz: 1, loai: ngay, aa: 2}\n"
    out = format_text(text)
    assert out == "ten: A\nlinh_vuc: b\nthoi_han:\n  loai: ngay\n  zz: 1\n  aa: 2\nzeta: 1\nalpha:\n  - x\n"


def test_encoding_is_normalised(mini, run):
    text = (mini / KHAI_SINH).read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", text).replace("\n", "\r\n")
    (mini / KHAI_SINH).write_bytes(b"\xef\xbb\xbf" + nfd.encode("utf-8"))
    before, _ = load_handbook(mini)
    assert run("fmt", KHAI_SINH).exit_code == 0
    raw = (mini / KHAI_SINH).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert unicodedata.is_normalized("NFC", raw.decode("utf-8"))
    assert load_handbook(mini)[0].procedures == before.procedures


# --- the command -----------------------------------------------------------------------


def test_check_exits_1_on_unformatted_files_and_0_after_fmt(mini, run):
    original = {rel: (mini / rel).read_bytes() for rel in (KHAI_SINH, KET_HON)}
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert f"cần định dạng: {KET_HON}" in result.output and f"cần định dạng: {KHAI_SINH}" in result.output
    assert "2/2 tệp cần định dạng; chạy: sotay fmt" in result.output
    assert {rel: (mini / rel).read_bytes() for rel in original} == original  # --check writes nothing

    result = run("fmt")
    assert result.exit_code == 0
    assert f"đã định dạng: {KHAI_SINH}" in result.output
    assert result.output.rstrip().endswith("Đã định dạng 2 tệp; 0 tệp đã đúng định dạng.")
    assert run("fmt", "--check").exit_code == 0
    assert run("fmt", "--check", KHAI_SINH).output == "Cả 1 tệp đã đúng định dạng.\n"
    assert run("validate").exit_code == 0


def test_check_shows_what_would_change_as_a_diff(mini, run):
    result = run("fmt", "--check", KHAI_SINH)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    start = lines.index(f"cần định dạng: {KHAI_SINH}")
    assert lines[start + 1:start + 3] == [f"--- {KHAI_SINH} (hiện tại)", f"+++ {KHAI_SINH} (sau khi định dạng)"]
    shown = lines[start + 3:lines.index("", start)]
    assert shown[0].startswith("@@ ")
    assert "-cap_thuc_hien: [xa]" in shown and "+cap_thuc_hien:" in shown and "+  - xa" in shown
    assert all(line[:1] in " +-@…" for line in shown)
    assert (mini / KHAI_SINH).read_text(encoding="utf-8").startswith("ten: Đăng ký khai sinh\nma_thu_tuc")  # untouched


def test_check_cuts_a_long_diff_and_says_so(mini, run):
    words = ", ".join(f"từ khóa {i}" for i in range(120))
    replace_in(mini, KHAI_SINH, "tu_khoa: [làm giấy khai sinh]", f"tu_khoa: [{words}]")
    lines = run("fmt", "--check", KHAI_SINH).output.splitlines()
    start = lines.index(f"cần định dạng: {KHAI_SINH}")
    shown = lines[start + 1:lines.index("", start)]
    assert len(shown) == 61  # 60 lines of the diff, then how many more
    assert shown[-1].startswith("… còn ") and "dòng khác biệt nữa" in shown[-1]
    assert f"sotay fmt {KHAI_SINH}" in shown[-1]


def test_check_says_when_only_the_way_the_file_is_saved_differs(mini, run):
    assert run("fmt", KHAI_SINH).exit_code == 0
    path = mini / KHAI_SINH
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # a byte order mark, as some editors save
    result = run("fmt", "--check", KHAI_SINH)
    assert result.exit_code == 1
    assert f"{KHAI_SINH}: chỉ khác ở cách lưu tệp (dấu BOM" in result.output and "@@" not in result.output


def test_broken_file_is_refused_with_its_location_and_left_untouched(mini, run):
    replace_in(mini, KHAI_SINH, "    so_tien: 0", "    so_tien: không đồng")
    broken = (mini / KHAI_SINH).read_bytes()
    result = run("fmt")
    assert result.exit_code == 1
    line = line_of(mini, KHAI_SINH, "so_tien")
    assert f"{KHAI_SINH}: có lỗi nội dung, không định dạng; sửa lỗi trước: sotay validate {KHAI_SINH}" in result.output
    assert f"{KHAI_SINH}:{line}:14: 'so_tien' cần một số nguyên" in result.output
    assert "Traceback" not in result.output
    assert (mini / KHAI_SINH).read_bytes() == broken
    assert f"đã định dạng: {KET_HON}" in result.output  # the other file is still formatted


@pytest.mark.parametrize("garbage", ["ten: [\n", "ten: a\n\tlinh_vuc: b\n", "- một\n- danh sách\n", "", "\xff"])
def test_unreadable_file_is_refused_not_crashed_on(mini, run, garbage):
    path = mini / KHAI_SINH
    path.write_bytes(garbage.encode("latin-1") if garbage == "\xff" else garbage.encode("utf-8"))
    result = run("fmt", KHAI_SINH)
    assert result.exit_code == 1
    assert f"sửa lỗi trước: sotay validate {KHAI_SINH}" in result.output
    assert f"{KHAI_SINH}:1:" in result.output or f"{KHAI_SINH}:2:" in result.output
    assert path.read_bytes() == (garbage.encode("latin-1") if garbage == "\xff" else garbage.encode("utf-8"))


@pytest.mark.parametrize("corrupt, message", [
    (lambda t: t.replace("UBND cấp xã", "UBND cấp huyện"), "nạp lại cho nội dung khác bản gốc"),
    (lambda t: t.replace("tom_tat: Đăng ký", 'tom_tat: " Đăng ký', 1).replace("lệ phí.\n", 'lệ phí."\n', 1),
     "đổi một giá trị"),  # the loader trims the space: same model, but not the same text
    (lambda t: t + "# thêm\n", "mất hoặc đổi một chú thích"),
    (lambda t: t.replace("ten:", "ten: [", 1), "không nạp lại được"),
])
def test_a_result_that_does_not_load_back_the_same_is_never_written(mini, run, monkeypatch, corrupt, message):
    real = fmtlib._format
    monkeypatch.setattr(fmtlib, "_format", lambda *a: (corrupt(real(*a)[0]), real(*a)[1]))
    original = (mini / KHAI_SINH).read_bytes()
    result = run("fmt", KHAI_SINH)
    assert result.exit_code == 1
    assert f"{KHAI_SINH}: không định dạng được, tệp giữ nguyên" in result.output and message in result.output
    assert (mini / KHAI_SINH).read_bytes() == original


def test_files_outside_procedures_are_skipped(mini, run):
    data = mini / "handbook/data/van-ban.yml"
    original = data.read_bytes()
    result = run("fmt", "handbook/data/van-ban.yml")
    assert result.exit_code == 0 and "bỏ qua handbook/data/van-ban.yml: không phải tệp thủ tục" in result.output
    assert data.read_bytes() == original


def test_directory_argument_and_help(mini, run):
    assert run("fmt", "procedures/ho-tich").exit_code == 0
    assert run("fmt", "--check", "procedures").exit_code == 0
    help_text = run("fmt", "--help").output
    assert "Ví dụ:" in help_text and "--check" in help_text and "Tùy chọn:" in help_text


def test_fmt_keeps_file_mode_and_leaves_no_temporary_files(mini, run):
    path = mini / KHAI_SINH
    path.chmod(0o640)
    assert run("fmt").exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["dang-ky-ket-hon.yml", "dang-ky-khai-sinh.yml"]
