"""The fmt command: put procedure files in the one canonical layout."""

from __future__ import annotations

from pathlib import Path

import click

from ..editing.fmt import format_files
from ..content.errors import ErrorSink
from ..content.files import content_files
from ..content.handbook import procedure_files
from . import SotayError, cli, project_root


DIFF_LINES = 60  # of the diff shown per file by --check


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True, path_type=Path))
@click.option("--check", is_flag=True,
              help="Chỉ kiểm tra, không ghi: liệt kê các tệp chưa đúng định dạng, mỗi tệp kèm các dòng sẽ đổi, "
                   "và thoát với mã 1 nếu có.")
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Định dạng tệp thủ tục theo một cách trình bày thống nhất.

    Khóa xếp theo thứ tự của lược đồ, thụt lề 2 dấu cách, danh sách mỗi mục
    một dòng, câu dài gập ở 100 ký tự, dấu nháy chỉ khi cần. Không đổi nội
    dung và giữ mọi chú thích (#): kết quả được nạp lại và so với bản gốc
    trước khi ghi. Tệp có lỗi nội dung không được định dạng. Không chỉ ra
    tệp nào thì định dạng mọi tệp trong procedures/.

    Ví dụ:

        sotay fmt

        sotay fmt procedures/ho-tich/dang-ky-khai-sinh.yml

        sotay fmt --check
    """
    root = project_root()
    files: list[Path] = []
    unreadable = ErrorSink()  # symlinks, FIFOs… met while listing folders
    for p in paths:
        files.extend(content_files(root, p.absolute(), (".yml",), unreadable)
                     if p.is_dir() and not p.is_symlink() else [p])
    if not paths:
        files = procedure_files(root, unreadable)
    results = format_files(root, files, write=not check)

    changed = [r for r in results if r.status == "changed"]
    problems = len(unreadable.errors)
    for e in unreadable.errors:
        click.echo(e.format(), err=True)
    for r in results:
        if r.status == "changed":
            click.echo(f"{'cần định dạng' if check else 'đã định dạng'}: {r.display}")
            if check:  # what would change, so that the editor sees why
                click.echo("\n".join(r.diff(DIFF_LINES)) + "\n")
        elif r.status == "refused":
            problems += 1
            click.echo(f"{r.display}: có lỗi nội dung, không định dạng; sửa lỗi trước: sotay validate {r.display}", err=True)
            for e in r.errors:
                click.echo("  " + e.format().replace("\n", "\n  "), err=True)
        elif r.status == "failed":
            problems += 1
            click.echo(f"{r.display}: không định dạng được, tệp giữ nguyên: {r.message}", err=True)
        elif r.status == "skipped":
            click.echo(f"bỏ qua {r.display}: {r.message}", err=True)

    done = sum(r.status in ("changed", "unchanged") for r in results)
    if check:
        summary = (f"{len(changed)}/{done} tệp cần định dạng; chạy: sotay fmt" if changed
                   else f"Cả {done} tệp đã đúng định dạng.")
    else:
        summary = f"Đã định dạng {len(changed)} tệp; {done - len(changed)} tệp đã đúng định dạng."
    if problems:
        summary += f" {problems} tệp không định dạng được (xem ở trên)."
    if problems or (check and changed):
        raise SotayError(summary)
    click.echo(summary)
