"""Provincial editions: one national handbook, each province's overlay on it.

A province is a folder ``handbook/tinh/<id>/`` with one file, ``tinh.yml``
(``model.Province``): the name of its receiving points, its office hours,
the fees its HĐND sets, its local codes and process decisions, who to tell
about its content.  Everything else is national.  An ``Edition`` names the
province a build or a command describes (None: the national edition, which
carries no local figure).

``load_provinces`` reads and converts every overlay (the files are few, and
an editor's mistake in any of them is reported whatever the edition);
``check_provinces`` cross-checks them once the procedures and the national
list of local fees are read; ``apply_edition`` makes the handbook the
edition's: placeholders filled (``placeholders.py``), the province set on
``Handbook.province`` for the renderer and the due-date calculator.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode

from . import model, placeholders
from .edition import Edition
from .errors import ErrorSink
from .files import content_files, display_path
from .located import Context, Reference, location
from .validate import convert
from .yamlsource import compose, read_text

PROVINCES_DIR = "handbook/tinh"
PROVINCE_FILE = "tinh.yml"
NATIONAL = "toan-quoc"  # what --tinh says for the national edition
_SLUG = re.compile(model.SLUG)
# Text that fills a placeholder is plain: nothing Markdown or the inline markup would read.
_NOT_PLAIN = re.compile(r"[<>\[\]{}*_`\\|#&]")
# Procedure fields (YAML keys) a province may not override: everything but LocalProcedure's.
_LOCAL_KEYS = {f.metadata["key"] for f in model.LocalProcedure.__dataclass_fields__.values() if "key" in f.metadata}


def province_id(value: str | None) -> str | None:
    """An edition's province from what a person wrote (--tinh, mkdocs.yml):
    empty or "toan-quoc" is the national edition."""
    value = (value or "").strip()
    return None if value in ("", NATIONAL) else value


def edition_label(province: model.Province | None) -> str:
    """What every page says about its edition."""
    return f"Ấn bản: {province.name}" if province else "Ấn bản toàn quốc"


def load_provinces(root: Path, sink: ErrorSink, refs: list[Reference], digests: dict[str, str],
                   digest) -> dict[str, model.Province]:
    """Every ``handbook/tinh/<id>/tinh.yml``, converted; ``digest`` makes a
    file's content version (handbook.digest).  What is not a regular file is
    reported by the walk of handbook/, not here."""
    found: dict[str, model.Province] = {}
    for path in content_files(root, PROVINCES_DIR, (".yml",), None):
        display = display_path(path, root)
        rel = path.relative_to(root / PROVINCES_DIR).parts
        if len(rel) != 2 or rel[1] != PROVINCE_FILE:
            sink.add(display, 1, 1, "tệp tỉnh phải nằm đúng chỗ: handbook/tinh/<mã tỉnh>/tinh.yml",
                     "mỗi tỉnh một thư mục, trong đó một tệp tinh.yml; chuyển hoặc đổi tên tệp này.")
            continue
        pid = rel[0]
        if not _SLUG.match(pid):
            sink.add(display, 1, 1, f"mã tỉnh '{pid}' không hợp lệ",
                     "tên thư mục là mã tỉnh: chữ thường không dấu, số và dấu gạch ngang, ví dụ ha-noi.")
            continue
        if pid == NATIONAL:
            sink.add(display, 1, 1, f"'{NATIONAL}' là tên của ấn bản toàn quốc, không dùng làm mã tỉnh",
                     "đặt tên thư mục theo tên tỉnh, ví dụ thanh-hoa.")
            continue
        text = read_text(path, display, sink)
        if text is None:
            continue
        digests[display] = digest(text)
        node = compose(text, display, sink)
        if node is None:
            continue
        ctx = Context(display, sink, refs)
        _check_overrides(node, ctx)
        province = convert(node, model.Province, ctx)
        if province is None:
            continue
        province.id, province.path = pid, display
        province.key_positions = _key_positions(node)
        found[pid] = province
    return found


def _entries(node, key: str):
    """(key node, value node) of the block ``key`` of a mapping node."""
    if not isinstance(node, MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key and isinstance(v, MappingNode):
            return [(kk, vv) for kk, vv in v.value if isinstance(kk, ScalarNode)]
    return []


def _key_positions(node) -> dict[tuple[str, str], tuple[int, int]]:
    return {(block, k.value): (k.start_mark.line + 1, k.start_mark.column + 1)
            for block in ("muc_thu", "thu_tuc_dia_phuong") for k, _ in _entries(node, block)}


def _check_overrides(node, ctx: Context) -> None:
    """A national field written under thu_tuc_dia_phuong is said to be national,
    not merely unknown (the converter reports keys that are neither)."""
    national = {f.metadata["key"]: f.metadata.get("label", "")
                for f in model.Procedure.__dataclass_fields__.values() if "key" in f.metadata}
    for _, entry in _entries(node, "thu_tuc_dia_phuong"):
        if not isinstance(entry, MappingNode):
            continue
        for k, _ in entry.value:
            if isinstance(k, ScalarNode) and k.value in national and k.value not in _LOCAL_KEYS:
                ctx.error(k, f"ấn bản tỉnh không ghi đè được '{k.value}' ({national[k.value]}) của thủ tục",
                          "trường này là của quốc gia; tỉnh chỉ ghi " + ", ".join(sorted(_LOCAL_KEYS))
                          + ". Sửa nội dung quốc gia trong procedures/ nếu nó sai ở mọi tỉnh.")


def check_provinces(provinces: dict[str, model.Province], procedures: set[str], local_fees: set[str],
                    sink: ErrorSink) -> None:
    """What can only be checked once the procedures and the national list
    of local fees are read."""
    for p in provinces.values():
        pos = getattr(p, "key_positions", {})
        for key, fee in p.fees.items():
            line, col = pos.get(("muc_thu", key), location(p, "fees"))
            if key not in local_fees:
                close = difflib.get_close_matches(key, sorted(local_fees), n=1, cutoff=0.8)
                sink.add(p.path, line, col, f"mức thu '{key}' không có trong handbook/data/muc-thu-dia-phuong.yml",
                         (f"có phải ý bạn là '{close[0]}'? " if close else "")
                         + "khóa của muc_thu là khóa của một khoản trong danh sách quốc gia; khoản mới thì thêm vào đó.")
            if fee.amount is not None and not fee.resolution and not fee.unverified:
                line, col = location(fee, "amount")
                sink.add(p.path, line, col, f"mức thu '{key}' có số tiền nhưng không ghi nghị quyết",
                         "ghi số, ký hiệu nghị quyết HĐND tỉnh ở 'can_cu', hoặc lý do ở 'can_xac_minh'.")
        for key in p.procedures:
            if key not in procedures:
                line, col = pos.get(("thu_tuc_dia_phuong", key), location(p, "procedures"))
                close = difflib.get_close_matches(key, sorted(procedures), n=1, cutoff=0.8)
                sink.add(p.path, line, col, f"không có thủ tục '{key}'",
                         (f"có phải ý bạn là '{close[0]}'? " if close else "")
                         + "khóa là tên tệp (không có .yml) của một thủ tục trong procedures/.")
        for obj, attr in ((p, "name"), (p.receiving_unit, "name")):
            text = getattr(obj, attr, None) if obj is not None else None
            if text and (bad := _NOT_PLAIN.search(text)):
                line, col = location(obj, attr)
                sink.add(p.path, line, col, f"tên có ký tự '{bad.group(0)}'",
                         "tên này được điền vào các trang như chữ thường: chỉ dùng chữ, số và dấu câu thông thường.")
        if p.hours:
            _check_hours(p, sink)


def _check_hours(p: model.Province, sink: ErrorSink) -> None:
    last = "00:00"
    for session in p.hours.sessions:
        if not (last <= session.start < session.end):
            line, col = location(session, "start")
            sink.add(p.path, line, col, f"buổi {session.start}–{session.end} không đúng thứ tự",
                     "mỗi buổi bắt đầu trước khi kết thúc, và sau khi buổi trước kết thúc.")
        last = session.end


def hours_text(hours: model.OfficeHours) -> str | None:
    if hours.description:
        return str(hours.description)
    if hours.sessions:
        return "từ " + " và ".join(f"{s.start} đến {s.end}" for s in hours.sessions)
    return None


def values(province: model.Province | None) -> dict[str, str]:
    """The text each placeholder is filled with in an edition; a name
    missing here is a placeholder this edition cannot fill."""
    if province is None:
        return {name: national for name, (_, national) in placeholders.NAMES.items()}
    filled = {"tinh": province.name}
    if province.receiving_unit:
        filled["noi_tiep_nhan"] = province.receiving_unit.name
    if province.hours and (text := hours_text(province.hours)):
        filled["gio_lam_viec"] = text
    return filled


def check_fillable(uses: list[placeholders.Use], province: model.Province | None, sink: ErrorSink) -> None:
    """Each placeholder written in the content that this edition cannot fill, at the place it is written."""
    filled = values(province)
    for use in uses:
        if use.name not in filled:
            what, _ = placeholders.NAMES[use.name]
            sink.add(use.path, use.line, use.column,
                     f"ấn bản {province.name} ({province.path}) không điền được '{{{{{use.name}}}}}'",
                     f"thêm vào tệp tỉnh {what}.")


def unknown_edition(pid: str, provinces: dict[str, model.Province], sink: ErrorSink) -> None:
    known = ", ".join(sorted(provinces)) or "chưa có tỉnh nào"
    sink.add(f"{PROVINCES_DIR}/{pid}/{PROVINCE_FILE}", 1, 1, f"không có ấn bản tỉnh '{pid}'",
             f"các ấn bản tỉnh: {known}; ấn bản toàn quốc là '{NATIONAL}'. Ấn bản mới: tạo "
             f"{PROVINCES_DIR}/{pid}/{PROVINCE_FILE} theo trang Biên tập nội dung → Ấn bản tỉnh.")


def apply_edition(hb, edition: Edition, uses: list[placeholders.Use], sink: ErrorSink,
                  memo: dict | None = None) -> None:
    """Make ``hb`` (a Handbook) the edition's: the province it describes, and
    every placeholder of the procedures and training sessions filled.  Nothing is filled when the
    edition cannot fill a placeholder (the errors are in ``sink``).  ``memo`` (a dict
    kept between builds by sotay serve): a procedure filled last time from the same
    object with the same values is not filled again (filling never changes its input)."""
    pid = edition.province
    province = None
    if pid is not None:
        province = hb.provinces.get(pid)
        if province is None:
            unknown_edition(pid, hb.provinces, sink)
            return
        check_fillable(uses, province, sink)
    hb.province = province
    hb.placeholders = values(province)
    with_placeholders = {use.path for use in uses}
    for proc_id, proc in hb.procedures.items():
        if proc.path in with_placeholders:
            last = memo.get(proc_id) if memo is not None else None
            if last is not None and last[0] is proc and last[1] == hb.placeholders:
                hb.procedures[proc_id] = last[2]
                continue
            hb.procedures[proc_id] = placeholders.fill(proc, hb.placeholders)
            if memo is not None:
                memo[proc_id] = (proc, dict(hb.placeholders), hb.procedures[proc_id])
    for session_id, session in hb.sessions.items():
        if session.path in with_placeholders:
            hb.sessions[session_id] = placeholders.fill(session, hb.placeholders)


def check_all_editions(hb, uses: list[placeholders.Use], sink: ErrorSink) -> None:
    """``sotay validate`` without --tinh: every province can fill every placeholder."""
    for province in hb.provinces.values():
        if province is not hb.province:
            check_fillable(uses, province, sink)


def affected_editions(paths: list[str], provinces: list[str]) -> tuple[list[str], bool]:
    """Which editions a change of these files (paths from the repository
    root) affects: (province ids, True when every edition is).  A file in
    a province's folder affects that edition; any other content file, all."""
    touched: set[str] = set()
    national = False
    prefix = PROVINCES_DIR + "/"
    for path in paths:
        if path.startswith(prefix):
            pid = path[len(prefix):].split("/", 1)[0]
            touched.add(pid)
        else:
            national = True
    return (sorted(provinces) if national else sorted(touched)), national
