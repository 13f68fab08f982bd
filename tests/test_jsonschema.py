"""The JSON Schema for editors (schema/thu-tuc.schema.json): generated from
model.py and committed, a valid draft 2020-12 schema, accepting every shipped
procedure and refusing broken files whose fault is a matter of form."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from jsonschema import Draft202012Validator  # in the test extra: make install (pip install -e '.[test]')

from conftest import FIXTURES, REPO
from generator.editing import jsonschema as export
from generator.content import model, validate
from generator.editing.scaffold import scaffold_procedure

HOSTILE = Path(__file__).parent / "hostile"
PROCEDURES = sorted((REPO / "procedures").glob("*/*.yml"))


class _Loader(yaml.SafeLoader):
    """safe_load, but dates stay the text the editor typed (as the VS Code
    extension sees them), so that the schema's date pattern and format apply."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(export.SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _all_errors(errors):
    """Every error, including those inside anyOf branches."""
    for e in errors:
        yield e
        yield from _all_errors(e.context)


# (a) committed file == fresh export --------------------------------------------------


def test_committed_schema_is_up_to_date():
    assert export.SCHEMA_PATH.exists(), f"chưa có {export.SCHEMA_FILE}; chạy: {export.REGENERATE}"
    committed = export.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == export.render(), (
        f"{export.SCHEMA_FILE} không còn khớp với generator/content/model.py; "
        f"chạy lệnh sau rồi commit tệp đó: {export.REGENERATE}"
    )


def test_regenerate_command_check_mode(capsys):
    assert export.main(["--check"]) == 0
    assert export.main(["--stdout"]) == 0
    assert capsys.readouterr().out.endswith(export.render())


# (b) a valid JSON Schema that says what editors need ---------------------------------------


def test_schema_is_valid_draft_2020_12(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_patterns_compile_as_ecma_unicode_regexes(schema):
    """Editors compile patterns as JavaScript regexes with the u flag: no
    inline flags, no escaped punctuation such as \\"."""
    patterns = set(re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', json.dumps(schema)))
    assert patterns
    for pattern in map(json.loads, patterns):
        assert "(?" not in pattern, pattern
        assert not re.search(r'\\["\'<>/]', pattern), pattern


def _objects(schema):
    yield "thu_tuc", schema
    for name, d in schema["$defs"].items():
        yield name, d


def test_every_field_has_vietnamese_title_description_and_example(schema):
    for name, obj in _objects(schema):
        assert obj["additionalProperties"] is False, name
        for key, prop in obj["properties"].items():
            assert prop["title"] == key, (name, key)
            assert prop["description"].strip(), (name, key)
            assert prop.get("examples"), f"{name}.{key} chưa có ví dụ (thêm example= trong generator/content/model.py)"


def test_required_and_keys_follow_the_model(schema):
    classes = {c.__name__: c for c in [model.Procedure, model.Channel, model.Deadline, model.Fee, model.DossierItem,
                                      model.Step, model.CheckItem, model.Question, model.Note, model.LegalRef,
                                      model.Source, model.Verification, model.Training, model.Scenario,
                                      model.QuizQuestion, model.PracticeDossier, model.PracticeDocument, model.Defect,
                                      model.Version]}
    assert set(schema["$defs"]) == set(classes) - {"Procedure"}
    for name, cls in classes.items():
        obj = schema if cls is model.Procedure else schema["$defs"][name]
        fields = model.schema_fields(cls)
        assert list(obj["properties"]) == sorted(f.metadata["key"] for f in fields)
        required = {f.metadata["key"] for f in fields if export._is_required(f)}
        assert set(obj.get("required", [])) == required, name


def test_choices_are_enums_with_labels(schema):
    level = schema["properties"]["cap_thuc_hien"]
    assert level["items"]["enum"] == list(model.LEVELS)
    assert level["items"]["markdownEnumDescriptions"] == list(model.LEVELS.values())
    assert "Cấp xã" in level["description"]
    kind = schema["$defs"]["Deadline"]["properties"]["loai"]
    assert kind["enum"] == list(model.DEADLINE_KINDS) and kind["markdownEnumDescriptions"][0] == "ngày làm việc"


def test_refs_are_plain_strings_pointing_at_their_registry(schema):
    """The schema describes the file, not the registries: it must not change
    when content (fields, legal documents, procedures, local fees) changes."""
    refs = {
        ("thu_tuc", "linh_vuc"): "handbook/data/linh-vuc.yml",
        ("LegalRef", "van_ban"): "handbook/data/van-ban.yml",
        ("Fee", "theo_dia_phuong"): "handbook/data/muc-thu-dia-phuong.yml",
    }
    objects = dict(_objects(schema))
    for (name, key), registry in refs.items():
        prop = objects[name]["properties"][key]
        assert "enum" not in prop and registry in prop["description"], (name, key)
    related = schema["properties"]["lien_quan"]
    assert "enum" not in related["items"] and "procedures/" in related["description"]


def test_every_example_is_valid_for_its_own_field(schema):
    for name, obj in _objects(schema):
        for key, prop in obj["properties"].items():
            sub = {**prop, "$defs": schema["$defs"]}
            for example in prop["examples"]:
                errors = list(Draft202012Validator(sub).iter_errors(example))
                assert not errors, (name, key, example, errors[0].message)


@pytest.mark.parametrize("regex,samples", [
    (validate._URL, ["https://dichvucong.gov.vn", "HTTP://A.VN/x", "mailto:a@b.vn", "TEL:+84 24 3825 3536",
                     "javascript:alert(1)", "data:text/html,x", "ftp://a", "https://a b", "tel:abc", "//a.vn"]),
    (validate._TIME, ["00:00", "15:00", "23:59", "24:00", "9:00", "15:60", "15h00"]),
    (validate._FORM_FILE, ["mau/a.pdf", "mau/x/to-khai.docx", "mau/a.doc", "mau/a.odt", "mau/../a.pdf",
                           "mau/A.pdf", "a.pdf", "mau/a.exe", "mau/a--b.pdf"]),
])
def test_patterns_agree_with_the_validator(regex, samples):
    pattern = export.ecma_pattern(regex)
    for s in samples:
        assert bool(re.search(pattern, s)) == bool(regex.match(s)), (pattern, s)


# (c) every shipped procedure validates ----------------------------------------------------


@pytest.mark.parametrize("path", PROCEDURES, ids=[p.stem for p in PROCEDURES])
def test_shipped_procedure_matches_schema(validator, path):
    errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_fixture_and_new_skeleton_match_schema(validator):
    for path in sorted((FIXTURES / "mini/procedures").glob("*/*.yml")):
        assert not list(validator.iter_errors(load(path))), path
    text = scaffold_procedure(title="Thủ tục mới", field_id="ho-tich", code="1.000001", level="xa",
                              today=dt.date(2025, 11, 20))
    assert text.splitlines()[0] == export.MODELINE
    assert not list(validator.iter_errors(yaml.load(text, Loader=_Loader)))


# (d) broken files whose fault is a matter of form are refused ---------------------------------

# file in tests/hostile → (JSON Schema keyword that must fail, where)
REFUSED = {
    "z-khoa-la.yml": ("additionalProperties", ""),  # unknown key mat_khau
    "z-khoa-sai-chinh-ta.yml": ("additionalProperties", ""),  # tom_tac
    "z-thieu-khoa-bat-buoc.yml": ("required", ""),  # no phu_trach
    "z-so-nguyen-thay-chuoi.yml": ("type", "co_quan_thuc_hien"),  # 123 for a string
    "z-yes-la-chuoi.yml": ("type", "phu_trach"),  # yes is a boolean in YAML 1.1
    "z-on-la-chuoi.yml": ("type", "quy_trinh/0/vai_tro"),
    "z-so-thap-phan-ma.yml": ("type", "ma_thu_tuc"),  # 1.10 is a number
    "z-sai-kieu-danh-sach.yml": ("type", "cap_thuc_hien"),  # a string for a list
    "z-sai-kieu-so.yml": ("type", "phi/0/so_tien"),  # text for a number
    "z-lua-chon-sai.yml": ("enum", "cach_thuc/0/hinh_thuc"),  # truc-tep
    "z-truong-xac-minh-sai.yml": ("enum", "can_xac_minh/0/truong"),  # phii
    "z-phi-am.yml": ("minimum", "phi/0/so_tien"),  # negative fee
    "z-so-qua-lon.yml": ("maximum", "ho_so/0/so_luong"),  # 500 copies
    "z-gio-sai.yml": ("pattern", "thoi_han/gio_cat"),  # 25:00
    "z-ngay-sai-dang.yml": ("pattern", "ngay_ra_soat"),  # 20/11/2025
    "z-ngay-khong-ton-tai.yml": ("format", "ngay_ra_soat"),  # 2025-02-29
    "z-gia-tri-rong.yml": ("pattern", "co_quan_thuc_hien"),  # ''
    "z-url-javascript.yml": ("pattern", "cach_thuc/1/cong_truc_tuyen"),
    "z-url-data.yml": ("pattern", "cach_thuc/1/cong_truc_tuyen"),
    "z-tep-mau-thoat-ra.yml": ("pattern", "ho_so/0/tep_mau"),  # mau/../../../etc/shadow.pdf
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_broken_file_is_refused(validator, name):
    keyword, where = REFUSED[name]
    data = load(HOSTILE / name)
    assert isinstance(data, dict), "chọn tệp vẫn là YAML hợp lệ có khối khóa ở gốc"
    errors = [(e.validator, "/".join(map(str, e.absolute_path))) for e in _all_errors(validator.iter_errors(data))]
    assert (keyword, where) in errors, errors


# Faults that need the registries, the other files or several keys at once:
# the schema accepts them (sotay validate refuses them). This keeps registry
# values out of the schema.
ACCEPTED = ["z-linh-vuc-khong-co.yml", "z-van-ban-khong-co.yml", "z-muc-thu-khong-co.yml", "z-thu-tuc-khong-co.yml",
            "z-tep-mau-khong-co.yml", "z-ma-trung.yml", "z-ten-trung.yml", "z-truc-tuyen-thieu-cong.yml"]


@pytest.mark.parametrize("name", ACCEPTED)
def test_faults_beyond_the_file_are_left_to_sotay_validate(validator, name):
    assert not list(validator.iter_errors(load(HOSTILE / name)))


# (e) every procedure file names the schema on its first line -------------------------------


def test_every_procedure_file_starts_with_the_schema_line():
    assert PROCEDURES
    missing = [str(p.relative_to(REPO)) for p in PROCEDURES
               if p.read_text(encoding="utf-8").split("\n", 1)[0] != export.MODELINE]
    assert not missing, f"thiếu dòng đầu '{export.MODELINE}' trong: {', '.join(missing)}"
    assert (REPO / "procedures").joinpath("..", export.SCHEMA_FILE).resolve() == export.SCHEMA_PATH


def test_vscode_settings_point_at_the_schema():
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {"./" + export.SCHEMA_FILE: ["procedures/**/*.yml"]}
    assert settings["yaml.yamlVersion"] == "1.1"  # as PyYAML reads the files: yes/on are booleans
    assert settings["files.encoding"] == "utf8" and settings["files.eol"] == "\n"
    assert settings["[yaml]"]["editor.tabSize"] == 2 and settings["[yaml]"]["editor.insertSpaces"] is True
    extensions = json.loads((REPO / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
