"""Open data: the handbook as files other systems can read, written with
each build beside the pages (paths from ../urls.py).

- one record per procedure (``urls.procedure_data``): the procedure in force
  on the edition's day in the keys of its YAML file, so that it validates
  against the exported JSON Schema of a procedure file (editing/jsonschema.py),
  wrapped with what a reader needs to trust it: content version, the days it
  is in force and its other versions, whether anything in it still needs
  checking (``can_xac_minh``), and the edition (day, province);
- the catalogue (``urls.CATALOGUE_JSON``, ``urls.CATALOGUE_CSV``): one row per
  full procedure and per registry-only entry of the commune-level catalogue;
- the schemas: a procedure file's and the open data's (``open_data_schema``).

Also the schema.org ``GovernmentService`` block of a procedure page
(``json_ld``): a data block, not a script, so the strict CSP is untouched.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import urls
from ..content import model
from ..content.catalogue import portal_link, registry_only
from ..content.inputs import other_registries
from ..content.provinces import edition_label
from ..editing.jsonschema import DRAFT, procedure_schema
from ..textutil import vi_sort_key
from .shell import link, write_file

FORMAT = 1  # the shape of the records below; raised when a key changes meaning or goes away
CSV_COLUMNS = ("id", "ten", "linh_vuc", "ten_linh_vuc", "ma_thu_tuc", "co_huong_dan", "trang", "du_lieu",
               "cong_dich_vu_cong", "co_can_xac_minh", "phien_ban_noi_dung", "hieu_luc_tu")


def file_data(obj: Any) -> Any:
    """A model object as its YAML file writes it: the declared keys, values
    left at their default omitted, dates as YYYY-MM-DD."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in model.schema_fields(type(obj)):
            value = getattr(obj, f.name)
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            else:
                default = f.default  # MISSING for a required key: never equal to a value
            if value is None or value == default:
                continue
            out[f.metadata["key"]] = file_data(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [file_data(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): file_data(v) for k, v in obj.items()}
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, bool | int | float) or obj is None:
        return obj
    return str(obj)


def _flags(data: Any) -> int:
    """How many 'can_xac_minh' entries the procedure's data holds, at any depth."""
    if isinstance(data, dict):
        here = data.get("can_xac_minh")
        own = len(here) if isinstance(here, list) else (1 if here else 0)
        return own + sum(_flags(v) for k, v in data.items() if k != "can_xac_minh")
    if isinstance(data, list):
        return sum(_flags(x) for x in data)
    return 0


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class OpenData:
    """The records of one build.  ``base``: the site's address ("https://…/")
    or "/" when none is configured; links in the data start with it."""

    def __init__(self, hb, base: str = "/"):
        self.hb, self.base = hb, base if base.endswith("/") else base + "/"

    def link(self, path: str) -> str:
        return self.base + path

    def edition(self) -> dict:
        p = self.hb.province
        return {"ngay": _iso(self.hb.day), "tinh": self.hb.edition.province if p else None,
                "ten": edition_label(p)}

    def _periods(self, pid: str) -> tuple[dict, list[dict]]:
        periods = self.hb.timelines.get(pid) or []
        current = None
        out = []
        for i, period in enumerate(periods):
            in_force = period.covers(self.hb.day) if self.hb.day else i == len(periods) - 1
            row = {"tu": _iso(period.start), "den": _iso(period.end), "hien_hanh": in_force}
            if in_force and current is None:
                current = row
            out.append(row)
        return current or {"tu": None, "den": None, "hien_hanh": True}, out

    def procedure(self, p: model.Procedure) -> dict:
        data = file_data(p)
        flags = _flags(data)
        current, versions = self._periods(p.id)
        return {
            "$schema": self.link(urls.OPEN_DATA_SCHEMA),
            "dinh_dang": FORMAT,
            "id": p.id,
            "trang": self.link(urls.procedure_url(p)),
            "linh_vuc": p.field_id,
            "ten_linh_vuc": self.hb.fields[p.field_id].name,
            "phien_ban_noi_dung": p.version,
            "hieu_luc": {"tu": current["tu"], "den": current["den"]},
            "cac_phien_ban": versions,
            "co_can_xac_minh": flags > 0,
            "so_diem_can_xac_minh": flags,
            "an_ban": self.edition(),
            "thu_tuc": data,
        }

    def catalogue_rows(self, flags: dict[str, int] | None = None) -> list[dict]:
        """``flags``: each procedure's count of points to check, where already known."""
        flags = flags or {}
        rows = []
        for p in self.hb.procedures.values():
            current, _ = self._periods(p.id)
            rows.append({"id": p.id, "ten": p.title, "linh_vuc": p.field_id, "ten_linh_vuc": self.hb.fields[p.field_id].name,
                         "ma_thu_tuc": p.code, "co_huong_dan": True, "trang": self.link(urls.procedure_url(p)),
                         "du_lieu": self.link(urls.procedure_data(p.id)), "cong_dich_vu_cong": None,
                         "co_can_xac_minh": (flags[p.id] if p.id in flags else _flags(file_data(p))) > 0, "phien_ban_noi_dung": p.version,
                         "hieu_luc_tu": current["tu"]})
        for e in registry_only(self.hb.catalogue):
            rows.append({"id": e.id, "ten": e.title, "linh_vuc": e.field_id, "ten_linh_vuc": self.hb.fields[e.field_id].name,
                         "ma_thu_tuc": e.code, "co_huong_dan": False, "trang": self.link(urls.registry_entry(e.id)),
                         "du_lieu": None, "cong_dich_vu_cong": portal_link(e), "co_can_xac_minh": bool(e.unverified),
                         "phien_ban_noi_dung": None, "hieu_luc_tu": None})
        rows.sort(key=lambda r: (not r["co_huong_dan"], vi_sort_key(r["ten"])))
        return rows

    def catalogue(self, rows: list[dict]) -> dict:
        full = sum(r["co_huong_dan"] for r in rows)
        return {"$schema": self.link(urls.OPEN_DATA_SCHEMA), "dinh_dang": FORMAT, "an_ban": self.edition(),
                "tong": {"co_huong_dan": full, "chua_co_huong_dan": len(rows) - full, "tong": len(rows)},
                "thu_tuc": rows}


def catalogue_csv(rows: list[dict]) -> str:
    """The catalogue as CSV (UTF-8, a header row, one row per entry; booleans as 1/0)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(["" if r[c] is None else int(r[c]) if isinstance(r[c], bool) else r[c] for c in CSV_COLUMNS])
    return out.getvalue()


def open_data_schema() -> dict:
    """The JSON Schema of a procedure record and of the catalogue file; a
    record's ``thu_tuc`` is a procedure file (its schema's definitions inlined)."""
    proc = procedure_schema()
    defs = dict(proc.pop("$defs"))
    proc.pop("$schema", None)
    proc.pop("$comment", None)
    defs["ThuTuc"] = proc
    date = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    edition = {"type": "object", "required": ["ngay", "tinh", "ten"], "additionalProperties": False, "properties": {
        "ngay": {**date, "description": "Ngày mà ấn bản mô tả (YYYY-MM-DD)."},
        "tinh": {"type": ["string", "null"], "description": "Mã ấn bản tỉnh; null: ấn bản toàn quốc."},
        "ten": {"type": "string"}}}
    period = {"type": "object", "required": ["tu", "den"], "properties": {"tu": date, "den": date,
                                                                         "hien_hanh": {"type": "boolean"}}}
    url = {"type": "string", "minLength": 1}
    defs["AnBan"], defs["HieuLuc"] = edition, period
    record = {"type": "object", "additionalProperties": False,
              "required": ["dinh_dang", "id", "trang", "linh_vuc", "phien_ban_noi_dung", "hieu_luc", "cac_phien_ban",
                           "co_can_xac_minh", "so_diem_can_xac_minh", "an_ban", "thu_tuc"],
              "properties": {
                  "$schema": url, "dinh_dang": {"const": FORMAT}, "id": {"type": "string"}, "trang": url,
                  "linh_vuc": {"type": "string"}, "ten_linh_vuc": {"type": "string"},
                  "phien_ban_noi_dung": {"type": "string", "description": "Thay đổi mỗi khi nội dung thủ tục thay đổi."},
                  "hieu_luc": {"$ref": "#/$defs/HieuLuc"},
                  "cac_phien_ban": {"type": "array", "items": {"$ref": "#/$defs/HieuLuc"}},
                  "co_can_xac_minh": {"type": "boolean"}, "so_diem_can_xac_minh": {"type": "integer", "minimum": 0},
                  "an_ban": {"$ref": "#/$defs/AnBan"}, "thu_tuc": {"$ref": "#/$defs/ThuTuc"}}}
    nullable = {"type": ["string", "null"]}
    row = {"type": "object", "additionalProperties": False, "required": list(CSV_COLUMNS), "properties": {
        "id": {"type": "string"}, "ten": {"type": "string"}, "linh_vuc": {"type": "string"},
        "ten_linh_vuc": {"type": "string"}, "ma_thu_tuc": nullable, "co_huong_dan": {"type": "boolean"},
        "trang": url, "du_lieu": nullable, "cong_dich_vu_cong": nullable, "co_can_xac_minh": {"type": "boolean"},
        "phien_ban_noi_dung": nullable, "hieu_luc_tu": date}}
    defs["BanGhiThuTuc"] = record
    defs["DongDanhMuc"] = row
    catalogue = {"type": "object", "additionalProperties": False,
                 "required": ["dinh_dang", "an_ban", "tong", "thu_tuc"], "properties": {
                     "$schema": url, "dinh_dang": {"const": FORMAT}, "an_ban": {"$ref": "#/$defs/AnBan"},
                     "tong": {"type": "object", "required": ["co_huong_dan", "chua_co_huong_dan", "tong"]},
                     "thu_tuc": {"type": "array", "items": {"$ref": "#/$defs/DongDanhMuc"}}}}
    defs["DanhMuc"] = catalogue
    return {"$schema": DRAFT, "title": "Dữ liệu mở của Sổ tay nghiệp vụ số",
            "description": "Một bản ghi thủ tục (du-lieu/thu-tuc/<mã>.json) hoặc danh mục (du-lieu/danh-muc.json).",
            "oneOf": [{"$ref": "#/$defs/BanGhiThuTuc"}, {"$ref": "#/$defs/DanhMuc"}], "$defs": defs}


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_open_data(hb, site_dir: Path, base: str = "/", cache=None) -> None:
    """Every open-data file of the build under ``site_dir``.  ``cache``
    (build.BuildCache, sotay serve) reuses a procedure's record while what it
    is made of is unchanged: its file's content, the registries but the
    legal one (their digests), the edition and the address; an unchanged record
    of the site being served is linked from there, as procedure pages are."""
    data = OpenData(hb, base)
    (site_dir / urls.procedure_data("x")).parent.mkdir(parents=True, exist_ok=True)
    # A record holds the procedure's file as data (its citations as numbers and articles): nothing
    # of the legal registry (tests/test_page_kinds.py).
    common = (hb.day, hb.edition.province, data.base, other_registries(hb))
    records = cache.open_data if cache is not None else None
    flags = {}
    site, live = os.fspath(site_dir), os.fspath(cache.live_site) if cache is not None and cache.live_site else ""
    for p in hb.procedures.values():
        key = (p.version, p.path, common) if records is not None else None
        rel = urls.procedure_data(p.id)
        out = os.path.join(site, rel)
        if records is None or records.get(p.id, (None,))[0] != key:
            record = data.procedure(p)
            text, flags[p.id] = _dump(record), record["so_diem_can_xac_minh"]
            if records is not None:
                records[p.id] = (key, text, flags[p.id])
        else:
            _, text, flags[p.id] = records[p.id]
        if cache is not None:
            live_key = ("open-data", p.id)  # beside the pages' ids in what the build wrote
            cache.written[live_key] = key
            if cache.live.get(live_key) == key and link(os.path.join(live, rel), out):
                continue
        write_file(out, text)
    if records is not None:  # procedures removed since
        for pid in set(records) - set(hb.procedures):
            del records[pid]
    rows = data.catalogue_rows(flags)
    (site_dir / urls.CATALOGUE_JSON).write_text(_dump(data.catalogue(rows)), encoding="utf-8")
    # With a BOM, so spreadsheet programs read the Vietnamese as UTF-8.
    (site_dir / urls.CATALOGUE_CSV).write_text("\ufeff" + catalogue_csv(rows), encoding="utf-8")
    open_data_text, procedure_text = _schema_texts()
    (site_dir / urls.OPEN_DATA_SCHEMA).write_text(open_data_text, encoding="utf-8")
    (site_dir / urls.PROCEDURE_SCHEMA).write_text(procedure_text, encoding="utf-8")


@functools.cache
def _schema_texts() -> tuple[str, str]:
    """The two schema files: made from the model's declarations (code), the same for every build."""
    return (json.dumps(open_data_schema(), ensure_ascii=False, indent=1),
            json.dumps(procedure_schema(), ensure_ascii=False, indent=1))


def json_ld(hb, p: model.Procedure) -> Markup:
    """The schema.org description of a procedure page, as the body of a
    ``<script type="application/ld+json">`` block ("<" escaped, so no text
    can close the block)."""
    # Kept short: it is in every procedure page's first visit (tests/test_first_visit.py).
    data = {"@context": "https://schema.org", "@type": "GovernmentService", "name": p.title,
            "identifier": p.code or p.id,
            "serviceType": hb.fields[p.field_id].name if p.field_id in hb.fields else p.field_id}
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("&", "\\u0026"))
