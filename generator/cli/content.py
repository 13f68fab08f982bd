"""Commands about content: validate, list, new."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..content import model
from .cache import cached_catalogue, remember, tree_signature
from ..content.errors import ErrorSink
from ..content.files import content_files
from ..content.checks import apply_strict, placeholder_errors
from ..content.handbook import PROCEDURES_DIR, load_handbook
from ..content.edition import today_in_vietnam
from ..content.provinces import check_all_editions
from .edition import edition_for
from ..content.markdown import MARKDOWN_SUFFIXES, PAGES_DIR, check_pages, is_page
from ..editing.scaffold import new_procedure_id
from ..editing.review import uncommitted_review_warnings
from ..textutil import vi_sort_key
from . import SotayError, can_prompt, cli, project_root


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True, path_type=Path))
@click.option("--strict", is_flag=True,
              help='Chế độ nghiêm ngặt (dùng khi duyệt yêu cầu hợp nhất): cảnh báo cũng là lỗi — trích dẫn văn bản '
                   'hết hiệu lực, bị thay thế, chưa có hiệu lực — và chỗ "CẦN ĐIỀN" còn sót là lỗi.')
@click.option("--tinh", metavar="MÃ_TỈNH", default=None,
              help="Chỉ kiểm tra ấn bản này (mã tỉnh trong handbook/tinh/, hoặc toan-quoc); mặc định: mọi ấn bản.")
def validate(paths: tuple[Path, ...], strict: bool, tinh: str | None) -> None:
    """Kiểm tra nội dung: toàn bộ sổ tay, hoặc chỉ các tệp/thư mục được chỉ ra.

    Mỗi lỗi in trên một dòng dạng tệp:dòng:cột: thông báo, kèm gợi ý sửa.
    Thoát với mã 1 nếu có lỗi.

    Ví dụ:

        sotay validate

        sotay validate procedures/ho-tich/dang-ky-khai-sinh.yml

        sotay validate --strict

        sotay validate --tinh ha-noi
    """
    root = project_root()
    only = None
    sink = ErrorSink()
    pages: list[str] = []
    if paths:
        only, pages = _procedures_and_pages(root, paths, sink)
    if only == [] and pages:  # hand-written pages only: no procedure to load
        check_pages(root, pages, sink)
        for w in sink.warnings:
            click.echo(w.format(), err=True)
        sink.raise_if_any()
        click.echo(f"Hợp lệ: {len(pages)} trang viết tay.")
        return
    signature = tree_signature(root) if only is None else None
    hb, sink = load_handbook(root, only=only, sink=sink, edition=edition_for(root, tinh))
    if tinh is None:  # every edition can fill what the content writes
        check_all_editions(hb, hb.placeholder_uses, sink)
    if pages:
        check_pages(root, pages, sink)
    if only is None:  # the whole tree was checked: one-procedure commands may trust it
        remember(root, signature, hb, sink)
    if strict:
        apply_strict(hb, sink)
    else:  # locally a reminder; in the pull request's strict check, an error
        for e in placeholder_errors(hb):  # hb holds only the files asked for
            sink.warn(e.path, e.line, e.column, e.message, e.hint)
    # A deadline or fee edited since the last commit under an old review date: a reminder, even with --strict.
    sink.items += uncommitted_review_warnings(root, hb.procedures.values())
    for w in (e for e in sink.items if e.warning):  # warnings and notes, in the order found
        click.echo(w.format(), err=True)
    sink.raise_if_any()
    checked = len(only) if only is not None else len(hb.procedures)
    click.echo(
        f"Hợp lệ: {checked} thủ tục, " + (f"{len(pages)} trang viết tay, " if pages else "") +
        f"{len(hb.fields)} lĩnh vực, {len(hb.legal)} văn bản pháp luật, {len(hb.glossary)} thuật ngữ."
    )


ACCEPTED = ("sotay validate nhận tệp thủ tục (procedures/<lĩnh vực>/<mã>.yml), thư mục trong procedures/, "
            "trang viết tay (handbook/…/*.md) hoặc thư mục chứa chúng trong handbook/. "
            "Để kiểm tra sổ đăng ký (handbook/data/), buổi đào tạo (handbook/dao-tao/) hay cả sổ tay, "
            "chạy sotay validate không kèm đường dẫn.")


def _procedures_and_pages(root: Path, paths, sink: ErrorSink) -> tuple[list[Path], list[str]]:
    """The procedure files and the hand-written pages (relative to handbook/)
    named by ``paths`` (files or folders); anything else is refused, saying
    what the command accepts."""
    procedures, pages = [], []
    for p in paths:
        path = Path(os.path.abspath(p))  # not resolved: a symlink is reported where it is
        try:
            rel = path.relative_to(root)
        except ValueError:
            rel = None
        folder = p.is_dir() and not p.is_symlink()
        if rel is not None and rel.parts[:1] == (PROCEDURES_DIR,):
            procedures.extend(content_files(root, path, (".yml",), sink) if folder else [p])
        elif rel is not None and rel.parts[:1] == (PAGES_DIR,) and (folder or is_page(rel.as_posix())):
            found = content_files(root, path, MARKDOWN_SUFFIXES, sink) if folder else [path]
            pages.extend(f.relative_to(root / PAGES_DIR).as_posix() for f in found)
        else:
            raise SotayError(f"'{p}' không phải tệp thủ tục hay trang viết tay. {ACCEPTED}")
    if not procedures and not pages and not sink.items:
        raise SotayError(f"Không có tệp thủ tục hay trang viết tay nào trong {', '.join(map(str, paths))}. {ACCEPTED}")
    return procedures, pages


@cli.command(name="list")
@click.option("--field", "field_id", metavar="LĨNH_VỰC", help="Chỉ liệt kê thủ tục của một lĩnh vực (mã lĩnh vực, ví dụ ho-tich).")
@click.option("--all", "with_registry", is_flag=True,
              help="Kể cả các thủ tục mới có trong danh mục cấp xã (handbook/data/danh-muc-tthc.yml), "
                   "chưa có hướng dẫn chi tiết.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON cho máy đọc.")
def list_procedures(field_id: str | None, with_registry: bool, as_json: bool) -> None:
    """Liệt kê các thủ tục trong sổ tay, xếp theo thứ tự chữ cái tiếng Việt.

    Với --all, danh sách gồm cả thủ tục chưa có hướng dẫn chi tiết; trong
    JSON mỗi mục có thêm "full": true (có hướng dẫn chi tiết) hoặc false.

    Ví dụ:

        sotay list --field ho-tich

        sotay list --all --json
    """
    root = project_root()
    catalogue = cached_catalogue(root)  # refuses a handbook with errors
    if field_id and field_id not in catalogue.fields:
        raise SotayError(f"Lỗi: không có lĩnh vực '{field_id}'. Các lĩnh vực: {', '.join(catalogue.fields)}")
    items = [r for r in catalogue.rows if not field_id or r["field"] == field_id]  # sorted by title
    if with_registry:
        only = [{**r, "full": False} for r in catalogue.registry if not field_id or r["field"] == field_id]
        items = sorted([{**r, "full": True} for r in items] + only, key=lambda r: vi_sort_key(r["title"]))
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    for r in items:
        mark = "" if r.get("full", True) else "  — chưa có hướng dẫn chi tiết"
        click.echo(f"{r['code'] or '—':<10} {r['title']}  [{r['field_name']}]  ({r['id']}){mark}")
    full = sum(1 for r in items if r.get("full", True))
    click.echo(f"\nTổng cộng {len(items)} thủ tục" + (f", {full} có hướng dẫn chi tiết." if with_registry else "."))


@cli.command()
@click.option("--field", "field_id", metavar="LĨNH_VỰC", help="Mã lĩnh vực, ví dụ ho-tich (bắt buộc).")
@click.option("--title", help="Tên thủ tục, ví dụ \"Đăng ký khai tử có yếu tố nước ngoài\" (bắt buộc).")
@click.option("--code", default=None, help="Mã thủ tục quốc gia (bỏ trống nếu chưa biết).")
@click.option("--level", type=click.Choice(list(model.LEVELS)), default=None, help="Cấp thực hiện (mặc định: xa).")
@click.option("--id", "proc_id", default=None, help="Mã định danh (tên tệp); mặc định tạo từ tên thủ tục.")
def new(field_id: str | None, title: str | None, code: str | None, level: str | None, proc_id: str | None) -> None:
    """Tạo tệp thủ tục mới từ mẫu.

    Tệp tạo ra hợp lệ ngay; các chỗ cần điền có chữ "CẦN ĐIỀN". Chạy
    không tham số ở cửa sổ lệnh thì lệnh hỏi lần lượt lĩnh vực, tên, mã
    thủ tục, cấp thực hiện. Có --field và --title thì lệnh không hỏi gì
    (mã để trống, cấp là xa nếu không ghi); chạy trong tập lệnh thì
    không bao giờ hỏi, thiếu --field hoặc --title là lỗi.

    Ví dụ:

        sotay new

        sotay new --field ho-tich --title "Đăng ký khai tử có yếu tố nước ngoài"
    """
    from ..editing.fmt import format_files  # here: ruamel.yaml is slow to import
    from ..editing.scaffold import scaffold_procedure

    root = project_root()
    hb, _ = load_handbook(root, only=[])
    if not hb.fields:
        raise SotayError("Lỗi: chưa có lĩnh vực nào trong handbook/data/linh-vuc.yml.")
    fields = ", ".join(f"{k} ({v.name})" for k, v in hb.fields.items())
    missing = [flag for flag, value in (("--field", field_id), ("--title", title)) if value is None]
    asking = bool(missing) and can_prompt()  # the step-by-step form, only at a terminal
    if missing and not asking:
        raise SotayError(
            f"Lỗi: thiếu {' và '.join(missing)} (lệnh chỉ hỏi khi chạy ở cửa sổ lệnh). Ghi đủ tham số, "
            f"ví dụ: sotay new --field ho-tich --title \"Tên thủ tục\"\nCác lĩnh vực: {fields}"
        )
    if field_id is None:
        click.echo("Các lĩnh vực: " + fields)
        field_id = click.prompt("Lĩnh vực", type=click.Choice(list(hb.fields)), show_choices=False)
    elif field_id not in hb.fields:
        raise SotayError(f"Lỗi: không có lĩnh vực '{field_id}'. Các lĩnh vực: {fields}")
    if title is None:
        title = click.prompt("Tên thủ tục")
    title = " ".join(title.split())
    if not title:
        raise SotayError("Lỗi: tên thủ tục (--title) không được để trống.")
    try:
        proc_id = new_procedure_id(title, proc_id)
    except ValueError as err:
        raise SotayError(f"Lỗi: {err}") from None
    target = root / PROCEDURES_DIR / field_id / f"{proc_id}.yml"
    exists = SotayError(f"Lỗi: tệp {target.relative_to(root)} đã có; chọn tên khác bằng --id.")
    if os.path.lexists(target):
        raise exists
    if asking and code is None:
        code = click.prompt("Mã thủ tục quốc gia (Enter để bỏ qua)", default="", show_default=False).strip() or None
    if asking and level is None:
        level = click.prompt("Cấp thực hiện", type=click.Choice(list(model.LEVELS)), default="xa")
    target.parent.mkdir(parents=True, exist_ok=True)
    text = scaffold_procedure(title=title, field_id=field_id, code=code, level=level or "xa", today=today_in_vietnam())
    try:
        with open(target, "x", encoding="utf-8") as handle:  # never over a file or through a link
            handle.write(text)
    except FileExistsError:
        raise exists from None
    format_files(root, [target], write=True)  # born in the canonical layout, so `sotay fmt --check` passes
    click.echo(f"Đã tạo {target.relative_to(root)}. Mở tệp, thay các chỗ \"CẦN ĐIỀN\", rồi chạy: sotay validate {target.relative_to(root)}")
