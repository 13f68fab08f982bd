"""The commune-level catalogue: every procedure a ward or commune handles,
whether or not the handbook has a full page for it.

``handbook/data/danh-muc-tthc.yml`` maps an id (a slug) to a
``model.CatalogueEntry``: name, field, national code, the decree or
announcing decision, where it was found, and the full procedure it links to.
This module reads and checks it (``load_catalogue``, ``check_catalogue``)
and counts coverage (``coverage``); the handbook loader calls the first two,
the CLI and the site read the third.  The file is optional: without it the
handbook has no registry-only entries and no coverage checks run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import model
from .errors import ErrorSink
from .ids import check_registry_keys
from .located import Context, Reference, location
from .validate import convert

CATALOGUE_FILE = "danh-muc-tthc.yml"  # in handbook/data/
_CODE = re.compile(model.NATIONAL_CODE)
# The national portal's page of a procedure, by its national code.  Not a
# link the handbook shows: this form is not known to resolve (the portal's
# procedure pages are /thu-tuc-hanh-chinh/<id>, see ``portal_link``).
PORTAL_BY_CODE = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc={}"
# Where to look for a procedure the handbook does not describe: the national
# portal, whose home page holds its procedure search.
PORTAL_SEARCH = "https://dichvucong.gov.vn"
PORTAL_PAGE = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/"


def portal_url(code: str | None) -> str | None:
    """The national portal's page of the procedure with ``code``, or None."""
    return PORTAL_BY_CODE.format(code) if code and _CODE.match(code) else None


def portal_link(entry: model.CatalogueEntry) -> str:
    """The link shown for a registry entry: its own source when that is a
    procedure page of the national portal (found there, so it resolves),
    else the portal, where its search finds the procedure by name or code."""
    for s in entry.sources:
        if s.url and s.url.startswith(PORTAL_PAGE):
            return s.url
    return PORTAL_SEARCH


def registry_only(catalogue: dict[str, model.CatalogueEntry]) -> list[model.CatalogueEntry]:
    """The entries with no full page, in file order."""
    return [e for e in catalogue.values() if not e.procedure]


def load_catalogue(node, display: str, sink: ErrorSink, refs: list[Reference]) -> dict[str, model.CatalogueEntry]:
    """The entries of the registry's YAML ``node`` (read by the handbook
    loader), each code's format checked where it is written.  References
    (field, procedure) go to ``refs``, resolved with every other registry's."""
    check_registry_keys("catalogue", node, display, sink)
    entries = convert(node, dict[str, model.CatalogueEntry], Context(display, sink, refs)) or {}
    result: dict[str, model.CatalogueEntry] = {}
    for key, entry in entries.items():
        if entry is None:
            continue
        entry.id = key
        if entry.code is not None and not _CODE.match(entry.code):
            line, col = location(entry, "code")
            sink.add(display, line, col, f"mã thủ tục '{entry.code}' không đúng dạng mã quốc gia",
                     "mã trên Cơ sở dữ liệu quốc gia về TTHC là một chữ số, dấu chấm và sáu chữ số, ví dụ \"1.001193\" "
                     "(bỏ phần đuôi địa phương như .H19); chưa chắc thì bỏ trống và ghi can_xac_minh.")
        result[key] = entry
    return result


def check_catalogue(catalogue: dict[str, model.CatalogueEntry], procedures: dict[str, model.Procedure],
                    display: str, sink: ErrorSink) -> None:
    """Cross-checks between the registry and the full procedures:

    - a national code or a linked procedure written in two entries (each
      entry names the other's line);
    - an entry whose code differs from its linked procedure's, or whose code
      belongs to a full procedure it does not link to.

    A full procedure that no entry links to is not an error (a new page must
    not wait for its registry line): coverage counts it as full, and
    ``sotay coverage`` lists it (``unlisted``) so the registry can catch up.
    """
    for attr, what in (("code", "mã thủ tục"), ("procedure", "thủ tục")):
        seen: dict[str, model.CatalogueEntry] = {}
        for entry in catalogue.values():
            value = getattr(entry, attr)
            if not value:
                continue
            first = seen.setdefault(value, entry)
            if first is not entry:
                line, col = location(entry, attr)
                sink.add(display, line, col,
                         f"{what} '{value}' đã có ở mục '{first.id}' (dòng {location(first, attr)[0]})",
                         "mỗi thủ tục chỉ ghi một lần trong danh mục; gộp hai mục hoặc sửa lại.")
    by_code = {p.code: p for p in procedures.values() if p.code}
    for entry in catalogue.values():
        target = procedures.get(entry.procedure or "")
        if target is not None and entry.code and target.code and entry.code != target.code:
            line, col = location(entry, "code")
            tline = location(target, "code")[0]
            sink.add(display, line, col,
                     f"mã thủ tục '{entry.code}' khác mã '{target.code}' của thủ tục '{target.id}' ({target.path}:{tline})",
                     "đối chiếu với quyết định công bố hoặc Cổng Dịch vụ công quốc gia rồi sửa bên sai.")
        owner = by_code.get(entry.code or "")
        if owner is not None and owner.id != entry.procedure:
            line, col = location(entry, "code")
            sink.add(display, line, col,
                     f"mã thủ tục '{entry.code}' là mã của thủ tục '{owner.id}' đã có hướng dẫn chi tiết",
                     f"thêm dòng 'thu_tuc: {owner.id}' vào mục này (hoặc sửa mã nếu ghi nhầm).")


# --- coverage ------------------------------------------------------------------------------


@dataclass
class FieldCoverage:
    field: str  # field id
    name: str
    full: int  # procedures with a full page
    registry_only: int  # registry entries without one

    @property
    def total(self) -> int:
        return self.full + self.registry_only


def coverage(fields: dict[str, str], full_fields: list[str], registry_fields: list[str]) -> list[FieldCoverage]:
    """Per field, in ``fields``' order (id → name, display order): how many
    procedures have a full page (``full_fields``: one field id per full
    procedure) and how many are in the registry only (``registry_fields``:
    one per registry entry that links to none).  Fields with neither are left out."""
    rows = []
    for fid, name in fields.items():
        full, only = full_fields.count(fid), registry_fields.count(fid)
        if full or only:
            rows.append(FieldCoverage(fid, name, full, only))
    return rows


def unlisted(catalogue: dict[str, model.CatalogueEntry], procedure_ids) -> list[str]:
    """The full procedures (ids) that no registry entry links to."""
    linked = {e.procedure for e in catalogue.values() if e.procedure}
    return sorted(pid for pid in procedure_ids if pid not in linked)


def registry_sources(catalogue: dict[str, model.CatalogueEntry]) -> list[dict]:
    """Every source the registry cites, once, with how many entries cite it
    (most cited first): the list ``sotay coverage`` shows."""
    counts: dict[tuple[str, str | None], int] = {}
    for entry in catalogue.values():
        for s in entry.sources:
            key = (s.title, s.url)
            counts[key] = counts.get(key, 0) + 1
    return [{"title": t, "url": u, "entries": n}
            for (t, u), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))]

