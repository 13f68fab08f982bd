"""The commune-level catalogue (handbook/data/danh-muc-tthc.yml): its
checks, the coverage counted from it, and `sotay coverage` / `sotay list --all`."""

import json

import pytest

from conftest import write
from generator.cli.cache import CACHE_FILE, cached_catalogue
from generator.cli.catalogue import coverage_report
from generator.content.catalogue import PORTAL_SEARCH, coverage
from generator.content.handbook import load_handbook

REGISTRY = "handbook/data/danh-muc-tthc.yml"
SOURCE = """\
    nguon:
      - ten: Trang thủ tục của một xã
        url: https://example.gov.vn/tthc/1
"""


def entry(key: str, body: str) -> str:
    return f"{key}:\n" + "".join("  " + line + "\n" for line in body.strip("\n").splitlines()) + "  " + SOURCE.strip().replace("\n", "\n  ") + "\n"


def registry(mini, *entries: str):
    write(mini / REGISTRY, "".join(entries))
    return load_handbook(mini)


def located(sink, message_part: str) -> list[str]:
    return [f"{e.path}:{e.line}:{e.column}" for e in sink.errors if message_part in e.message]


KHAI_SINH = entry("khai-sinh", "ten: Đăng ký khai sinh\nlinh_vuc: ho-tich\nma_thu_tuc: \"1.000001\"\nthu_tuc: dang-ky-khai-sinh")
KET_HON = entry("ket-hon", "ten: Đăng ký kết hôn\nlinh_vuc: ho-tich\nthu_tuc: dang-ky-ket-hon")
LE_HOI = entry("le-hoi", "ten: Thông báo tổ chức lễ hội\nlinh_vuc: ho-tich\nma_thu_tuc: \"2.000123\"")


def test_a_valid_registry_loads_into_the_model(mini):
    hb, sink = registry(mini, KHAI_SINH, KET_HON, LE_HOI)
    assert not [e for e in sink.items if not e.note], [e.format() for e in sink.items]
    assert set(hb.catalogue) == {"khai-sinh", "ket-hon", "le-hoi"}
    assert hb.catalogue["khai-sinh"].procedure == "dang-ky-khai-sinh"
    assert hb.catalogue["le-hoi"].sources[0].url == "https://example.gov.vn/tthc/1"


def test_no_registry_file_is_no_error(mini):
    hb, sink = load_handbook(mini)
    assert not sink.errors and hb.catalogue == {}


def test_a_code_written_twice_is_reported_at_the_second_naming_the_first(mini):
    twin = entry("le-hoi-2", "ten: Thông báo lễ hội khác\nlinh_vuc: ho-tich\nma_thu_tuc: \"2.000123\"")
    _, sink = registry(mini, LE_HOI, twin)
    errors = [e for e in sink.errors if "đã có ở mục 'le-hoi'" in e.message]
    assert [(e.path, e.line, e.column) for e in errors] == [(REGISTRY, 11, 15)]
    assert "(dòng 4)" in errors[0].message and errors[0].hint


def test_a_procedure_linked_twice_is_reported(mini):
    twin = entry("khai-sinh-2", "ten: Khai sinh\nlinh_vuc: ho-tich\nthu_tuc: dang-ky-khai-sinh")
    _, sink = registry(mini, KHAI_SINH, twin)
    assert located(sink, "thủ tục 'dang-ky-khai-sinh' đã có ở mục 'khai-sinh'") == [f"{REGISTRY}:12:12"]


@pytest.mark.parametrize("code", ["1.0011", "1.001193.H19", "01.001193", "1,001193", "0.001193"])
def test_a_code_not_in_the_national_format_is_located(mini, code):
    _, sink = registry(mini, entry("x", f"ten: Một thủ tục\nlinh_vuc: ho-tich\nma_thu_tuc: \"{code}\""))
    errors = [e for e in sink.errors if "không đúng dạng mã quốc gia" in e.message]
    assert [(e.line, e.column) for e in errors] == [(4, 15)]
    assert "1.001193" in errors[0].hint


def test_an_unknown_field_a_missing_procedure_and_an_unknown_key_are_located(mini):
    _, sink = registry(
        mini,
        entry("a", "ten: A\nlinh_vuc: khong-co"),
        entry("b", "ten: B\nlinh_vuc: ho-tich\nthu_tuc: dang-ky-khai-sinhh"),
        entry("c", "ten: C\nlinh_vuc: ho-tich\nma_so: \"1.000002\""),
    )
    assert located(sink, "lĩnh vực 'khong-co'") == [f"{REGISTRY}:3:13"]
    missing = [e for e in sink.errors if "không có thủ tục 'dang-ky-khai-sinhh'" in e.message]
    assert [(e.line, e.column) for e in missing] == [(10, 12)]
    assert "dang-ky-khai-sinh'" in missing[0].hint  # the close id is suggested
    assert located(sink, "khóa không hợp lệ 'ma_so'") == [f"{REGISTRY}:17:3"]


def test_an_entry_without_a_source_is_refused(mini):
    write(mini / REGISTRY, "x:\n  ten: A\n  linh_vuc: ho-tich\n")
    _, sink = load_handbook(mini)
    assert located(sink, "thiếu khóa bắt buộc 'nguon'") == [f"{REGISTRY}:2:3"]


def test_a_full_procedure_whose_code_disagrees_is_reported_naming_its_file(mini):
    wrong = entry("khai-sinh", "ten: Đăng ký khai sinh\nlinh_vuc: ho-tich\nma_thu_tuc: \"1.000002\"\nthu_tuc: dang-ky-khai-sinh")
    _, sink = registry(mini, wrong)
    errors = [e for e in sink.errors if "khác mã '1.000001'" in e.message]
    assert [(e.path, e.line, e.column) for e in errors] == [(REGISTRY, 4, 15)]
    assert "procedures/ho-tich/dang-ky-khai-sinh.yml:" in errors[0].message


def test_a_full_procedures_code_on_an_unlinked_entry_is_reported(mini):
    _, sink = registry(mini, entry("ks", "ten: Khai sinh\nlinh_vuc: ho-tich\nma_thu_tuc: \"1.000001\""))
    errors = [e for e in sink.errors if "là mã của thủ tục 'dang-ky-khai-sinh'" in e.message]
    assert len(errors) == 1 and "thu_tuc: dang-ky-khai-sinh" in errors[0].hint


def test_a_bad_key_is_located(mini):
    _, sink = registry(mini, entry("Khai Sinh", "ten: A\nlinh_vuc: ho-tich"))
    assert located(sink, "mã định danh 'Khai Sinh' không hợp lệ") == [f"{REGISTRY}:1:1"]


def test_a_registry_that_is_not_a_mapping_is_one_located_error(mini):
    write(mini / REGISTRY, "- ten: A\n  linh_vuc: ho-tich\n")
    hb, sink = load_handbook(mini)
    assert hb.catalogue == {}
    assert [(e.path, e.line, e.column) for e in sink.errors] == [(REGISTRY, 1, 1)]


def test_a_symlinked_registry_is_refused_and_not_read(mini, tmp_path):
    outside = write(tmp_path / "ngoai.yml", KHAI_SINH)
    (mini / REGISTRY).symlink_to(outside)
    hb, sink = load_handbook(mini)
    assert hb.catalogue == {}
    assert any(e.path == REGISTRY for e in sink.errors), [e.format() for e in sink.errors]


def test_coverage_counts_full_and_registry_only_per_field_in_display_order():
    rows = coverage({"ho-tich": "Hộ tịch", "dat-dai": "Đất đai", "van-hoa": "Văn hóa"},
                    ["ho-tich", "ho-tich", "van-hoa"], ["dat-dai", "dat-dai", "dat-dai", "ho-tich"])
    assert [(r.field, r.full, r.registry_only, r.total) for r in rows] == [
        ("ho-tich", 2, 1, 3), ("dat-dai", 0, 3, 3), ("van-hoa", 1, 0, 1)]


def test_coverage_report_of_a_handbook(mini):
    write(mini / "handbook/data/linh-vuc.yml", "ho-tich:\n  ten: Hộ tịch\n  thu_tu: 1\ndat-dai:\n  ten: Đất đai\n  thu_tu: 2\n")
    so_do = entry("so-do", "ten: Đăng ký đất đai lần đầu\nlinh_vuc: dat-dai")
    registry(mini, KHAI_SINH, LE_HOI, so_do)  # kết hôn has a full page but no registry line
    report = coverage_report(cached_catalogue(mini))
    assert report["fields"] == [
        {"field": "ho-tich", "field_name": "Hộ tịch", "full": 2, "registry_only": 1, "total": 3},
        {"field": "dat-dai", "field_name": "Đất đai", "full": 0, "registry_only": 1, "total": 1},
    ]
    assert report["total"] == {"full": 2, "registry_only": 2, "total": 4}
    assert report["sources"] == [{"title": "Trang thủ tục của một xã", "url": "https://example.gov.vn/tthc/1", "entries": 3}]
    assert report["unlisted"] == ["dang-ky-ket-hon"]


def test_sotay_coverage_json_and_text(mini, run):
    write(mini / REGISTRY, KHAI_SINH + KET_HON + LE_HOI)
    result = run("coverage", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"fields", "total", "registry", "sources", "unlisted"}
    assert data["total"] == {"full": 2, "registry_only": 1, "total": 3}
    text = run("coverage")
    assert "Hộ tịch: 2 / 3 thủ tục có hướng dẫn chi tiết" in text.output
    assert "https://example.gov.vn/tthc/1 (3 mục)" in text.output


def test_sotay_list_all_json_marks_registry_only_entries(mini, run):
    write(mini / REGISTRY, KHAI_SINH + KET_HON + LE_HOI)
    plain = json.loads(run("list", "--json").output)
    assert len(plain) == 2 and all("full" not in r for r in plain)  # the old shape is unchanged
    rows = json.loads(run("list", "--all", "--json").output)
    assert [(r["id"], r["full"]) for r in rows] == [
        ("dang-ky-ket-hon", True), ("dang-ky-khai-sinh", True), ("le-hoi", False)]
    only = rows[2]
    assert only["code"] == "2.000123" and only["url"] == PORTAL_SEARCH  # its source is no portal page
    assert only["path"] == REGISTRY and only["field_name"] == "Hộ tịch"
    assert set(only) == set(rows[0])


def test_the_registry_is_an_input_of_the_cache(mini, run):
    write(mini / REGISTRY, KHAI_SINH + KET_HON)
    assert json.loads(run("coverage", "--json").output)["total"]["registry_only"] == 0
    assert (mini / CACHE_FILE).is_file()
    write(mini / REGISTRY, KHAI_SINH + KET_HON + LE_HOI)  # same size class, new content: a new signature
    assert json.loads(run("coverage", "--json").output)["total"]["registry_only"] == 1
    write(mini / REGISTRY, KHAI_SINH + entry("le-hoi", "ten: X\nlinh_vuc: ho-tich\nma_thu_tuc: \"9\""))
    broken = run("coverage", "--json")
    assert broken.exit_code == 1 and "không đúng dạng mã quốc gia" in broken.output


def test_the_shipped_registry_lists_every_full_procedure_with_its_code():
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    hb, sink = load_handbook(repo)
    assert not sink.errors
    linked = {e.procedure: e for e in hb.catalogue.values() if e.procedure}
    assert set(linked) == set(hb.procedures)
    for pid, p in hb.procedures.items():
        assert linked[pid].code == p.code, pid
    assert all(e.sources for e in hb.catalogue.values())
