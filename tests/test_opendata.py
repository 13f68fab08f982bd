"""Open data: every build publishes each procedure and the catalogue as files
at stable paths, valid against the JSON Schema it publishes beside them, and
each procedure page carries a schema.org GovernmentService block."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import jsonschema
import pytest

from conftest import REPO
from generator import urls
from generator.content.catalogue import registry_only
from generator.content.edition import today_in_vietnam
from generator.content.handbook import load_handbook
from generator.site.export import _unused_files
from generator.site.opendata import CSV_COLUMNS

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def hb(shipped_site):
    """The shipped handbook as the site was built: for the day its records
    state (the run may cross midnight in Vietnam between the build and here),
    which must be today or yesterday in Vietnam."""
    first = min((shipped_site / urls.procedure_data("x")).parent.glob("*.json"))
    day = dt.date.fromisoformat(json.loads(first.read_text(encoding="utf-8"))["an_ban"]["ngay"])
    assert 0 <= (today_in_vietnam() - day).days <= 1, day
    return load_handbook(REPO, today=day)[0]


def read(site, rel):
    return json.loads((site / rel).read_text(encoding="utf-8"))


def test_paths_are_stable():
    # Other systems link to these: changing one breaks them.
    assert urls.procedure_data("dang-ky-khai-sinh") == "du-lieu/thu-tuc/dang-ky-khai-sinh.json"
    assert (urls.CATALOGUE_JSON, urls.CATALOGUE_CSV, urls.OPEN_DATA_SCHEMA) == (
        "du-lieu/danh-muc.json", "du-lieu/danh-muc.csv", "du-lieu/du-lieu-mo.schema.json")


def test_every_procedure_record_validates_against_the_published_schemas(shipped_site, hb):
    schema = read(shipped_site, urls.OPEN_DATA_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    file_schema = jsonschema.Draft202012Validator(json.loads((REPO / "schema/thu-tuc.schema.json").read_text(encoding="utf-8")))
    records = sorted((shipped_site / urls.procedure_data("x")).parent.glob("*.json"))
    assert {r.stem for r in records} == set(hb.procedures)
    for path in records:
        record = json.loads(path.read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(record)] == [], path.name
        assert [e.message for e in file_schema.iter_errors(record["thu_tuc"])] == [], path.name
        p = hb.procedures[path.stem]
        assert record["thu_tuc"]["ten"] == p.title and record["phien_ban_noi_dung"] == p.version
        assert record["an_ban"]["ngay"] == hb.day.isoformat()
        assert record["trang"] == "/" + urls.procedure_url(p)
    catalogue = read(shipped_site, urls.CATALOGUE_JSON)
    assert [e.message for e in validator.iter_errors(catalogue)] == []


def test_verification_flags_are_carried(shipped_site, hb):
    flagged = [p for p in hb.procedures.values() if p.unverified]
    assert flagged  # the shipped handbook has some: the test can tell
    for p in flagged:
        record = read(shipped_site, urls.procedure_data(p.id))
        assert record["co_can_xac_minh"] and record["so_diem_can_xac_minh"] >= len(p.unverified)
        assert len(record["thu_tuc"]["can_xac_minh"]) == len(p.unverified)
    # A record that does not validate is caught: the schema is closed.
    schema = read(shipped_site, urls.OPEN_DATA_SCHEMA)
    record = read(shipped_site, urls.procedure_data(flagged[0].id))
    record["thu_tuc"]["khoa_la"] = 1
    assert not jsonschema.Draft202012Validator(schema).is_valid(record)


def test_catalogue_csv_has_a_header_and_one_row_per_entry(shipped_site, hb):
    text = (shipped_site / urls.CATALOGUE_CSV).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == len(hb.procedures) + len(registry_only(hb.catalogue))
    ids = [r[0] for r in rows[1:]]
    assert len(set(ids)) == len(ids) and set(hb.procedures) <= set(ids)
    full = {r[0]: r[5] for r in rows[1:]}
    assert all(full[pid] == "1" for pid in hb.procedures)
    assert all(full[e.id] == "0" for e in registry_only(hb.catalogue))
    catalogue = read(shipped_site, urls.CATALOGUE_JSON)
    assert catalogue["tong"]["tong"] == len(rows) - 1


def test_procedure_pages_carry_government_service_json_ld(shipped_site, hb):
    for p in hb.procedures.values():
        html = (shipped_site / urls.output_file(urls.procedure_url(p), True)).read_text(encoding="utf-8")
        blocks = LD.findall(html)
        assert len(blocks) == 1, p.id
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
        assert data["name"] == p.title and data["identifier"] == (p.code or p.id)


def test_open_data_goes_into_the_offline_zip(tmp_path):
    from generator.site.build import build_site

    site = build_site(REPO, tmp_path / "site", offline=True)
    assert (site / urls.CATALOGUE_JSON).is_file() and (site / urls.CATALOGUE_CSV).is_file()
    skipped = _unused_files(site)
    assert not [rel for rel in skipped if rel.startswith(urls.OPEN_DATA)]
