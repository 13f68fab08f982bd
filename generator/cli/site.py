"""Commands that produce or show the site: build, serve."""

from __future__ import annotations

from pathlib import Path

import click

from ..build import build_site
from ..serve import serve as serve_site
from . import cli, project_root


@cli.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục đầu ra (mặc định: site/ trong thư mục kho).")
def build(site_dir: Path | None) -> None:
    """Kiểm tra nội dung rồi dựng trang web tĩnh.

    Dựng vào thư mục tạm rồi mới thay thế; nếu có lỗi, thư mục site/ cũ
    được giữ nguyên.

    Ví dụ:

        sotay build

        sotay build --site-dir /tmp/so-tay
    """
    root = project_root()
    out = build_site(root, site_dir)
    click.echo(f"Đã dựng sổ tay vào {out}.")


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Cổng phục vụ.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (mặc định chỉ máy này).")
def serve(port: int, host: str) -> None:
    """Xem trước sổ tay, tự dựng lại khi sửa tệp YAML hoặc trang.

    Nếu bản sửa có lỗi, lỗi hiện ở cửa sổ lệnh và trên trang; trang vẫn
    hiển thị bản dựng tốt gần nhất.

    Ví dụ:

        sotay serve

        sotay serve --port 8080
    """
    root = project_root()
    serve_site(root, host, port, echo=lambda msg: click.echo(msg, err=True))
