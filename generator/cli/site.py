"""Commands that produce or show the site: build, export, serve."""

from __future__ import annotations

from pathlib import Path

import click

from ..site.build import build_site
from ..site.export import default_zip_name, export_zip
from ..site.serve import serve as serve_site
from . import cli, project_root
from .edition import edition_for, ngay_option, tinh_option


def _warn(message: str) -> None:
    """A warning about the build as a whole (a site built for a past day), on stderr."""
    click.echo(message, err=True)


@cli.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục đầu ra (mặc định: site/ trong thư mục kho). Phải là thư mục chưa có, thư mục trống "
                   "hoặc bản dựng trước của sotay.")
@click.option("--offline", is_flag=True,
              help="Dựng bản dùng không cần mạng: mở thẳng index.html từ thư mục hoặc USB, tìm kiếm vẫn chạy.")
@ngay_option
@tinh_option
def build(site_dir: Path | None, offline: bool, ngay, tinh: str | None) -> None:
    """Kiểm tra nội dung rồi dựng trang web tĩnh.

    Dựng vào thư mục tạm rồi mới thay thế; nếu có lỗi, thư mục site/ cũ
    được giữ nguyên.

    Chỉ thay thư mục trống hoặc do sotay dựng (có tệp .sotay-build); thư mục có nội
    dung khác, thư mục dự án, thư mục chứa dự án, procedures/, handbook/…,
    thư mục nhà và điểm gắn ổ đĩa (như /media/usb) đều bị từ chối, không
    xóa gì.

    Ví dụ:

        sotay build

        sotay build --site-dir /tmp/so-tay

        sotay build --offline --site-dir /media/usb/so-tay

        sotay build --ngay 2027-03-01 --site-dir /tmp/so-tay-2027

        sotay build --tinh ha-noi

        sotay build --tinh toan-quoc --site-dir /tmp/so-tay-toan-quoc
    """
    root = project_root()
    out = build_site(root, site_dir, offline=offline, edition=edition_for(root, tinh, ngay), warn=_warn)
    if offline:
        click.echo(f"Đã dựng sổ tay (bản dùng không cần mạng) vào {out}.\n"
                   f"Mở {out / 'index.html'} bằng trình duyệt; chép cả thư mục khi mang sang máy khác.")
    else:
        click.echo(f"Đã dựng sổ tay vào {out}.")


@cli.command()
@click.option("--zip", "zip_path", metavar="[TỆP]", is_flag=False, flag_value="", default="",
              help="Tệp .zip cần tạo, hoặc thư mục để đặt tệp (mặc định: so-tay-<mã tỉnh>-<ngày>.zip ở thư mục hiện tại).")
@ngay_option
@tinh_option
def export(zip_path: str, ngay, tinh: str | None) -> None:
    """Xuất sổ tay thành một tệp .zip dùng không cần mạng.

    Dựng bản dùng không cần mạng rồi nén lại: chép tệp sang USB hoặc máy
    khác, giải nén rồi mở index.html. Nếu dựng lỗi, không tạo tệp nào.

    Tệp đã có chỉ được ghi đè nếu đó là tệp .zip do sotay export tạo ra;
    tệp khác, thư mục, liên kết, thiết bị và chỗ trong nội dung dự án
    (procedures/, handbook/…) đều bị từ chối.

    Ví dụ:

        sotay export --zip

        sotay export --zip /media/usb/so-tay.zip

        sotay export --zip --tinh ha-noi
    """
    root = project_root()
    edition = edition_for(root, tinh, ngay)
    dest = Path(zip_path or ".")
    if dest.is_dir():
        dest = dest / default_zip_name(edition=edition)
    elif dest.suffix.lower() != ".zip":
        dest = dest.with_name(dest.name + ".zip")
    out = export_zip(root, dest, edition=edition, warn=_warn)
    size = f"{out.stat().st_size / 1_000_000:.1f}".replace(".", ",")
    click.echo(f"Đã xuất sổ tay (bản dùng không cần mạng) vào {out} ({size} MB).\n"
               f"Cách dùng: chép tệp sang máy cần dùng hoặc USB, giải nén rồi mở index.html "
               f"trong thư mục {out.stem}. Hướng dẫn có trong tệp MO-TRANG-NAY.txt.")


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Cổng phục vụ.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (mặc định chỉ máy này).")
@ngay_option
@tinh_option
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, ngay, tinh: str | None) -> None:
    """Xem trước sổ tay, tự dựng lại khi sửa tệp YAML hoặc trang.

    Nếu bản sửa có lỗi, lỗi hiện ở cửa sổ lệnh và trên trang; trang vẫn
    hiển thị bản dựng tốt gần nhất.

    Ví dụ:

        sotay serve

        sotay serve --port 8080
    """
    root = project_root()
    serve_site(root, host, port, echo=lambda msg: click.echo(msg, err=True), debug=bool(ctx.obj and ctx.obj.get("debug")),
               edition=edition_for(root, tinh, ngay))
