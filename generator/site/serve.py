"""Live preview: rebuild on every change, keep serving the last good site.

Built on MkDocs' own live-reload server.  Each rebuild goes through the same
atomic ``build_site`` as ``sotay build``; when it fails the previous site stays
in place and every page shows a banner with the errors until they are fixed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from mkdocs.livereload import LiveReloadServer

from . import outputs
from .build import BuildCache, BuildFailed, build_site
from ..content.errors import ContentErrors
from ..content.handbook import DATA_DIR, PROCEDURES_DIR

class PreviewServer(LiveReloadServer):
    """A live-reload server that overlays the current build error on every page."""

    build_error: str | None = None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if not self.build_error:
            return content
        banner = (
            '<div role="alert" style="position:fixed;z-index:1000;left:0;right:0;bottom:0;max-height:50vh;'
            'overflow:auto;background:#fff3f3;color:#7a0000;border-top:3px solid #c00;padding:1em;'
            'font:14px/1.5 monospace;white-space:pre-wrap">'
            "<strong>Bản dựng mới có lỗi — đang hiển thị bản dựng tốt gần nhất.</strong>\n"
            f"{escape(self.build_error)}</div>"
        ).encode()
        end = content.rfind(b"</body>")
        return content[:end] + banner + content[end:] if end >= 0 else content + banner


def make_builder(root: Path, site_dir: Path, report: Callable[[str | None], None]) -> Callable[[], None]:
    cache = BuildCache()  # unchanged procedure files are not read, nor their pages rendered, again

    def rebuild() -> None:
        try:
            build_site(root, site_dir, cache=cache)
        except ContentErrors as exc:
            report(exc.report())
        except BuildFailed as exc:
            report(str(exc))
        else:
            report(None)

    return rebuild


def serve(root: Path, host: str, port: int, echo: Callable[[str], None]) -> None:
    site_dir = Path(tempfile.mkdtemp(prefix="sotay-serve-")) / "site"
    server: PreviewServer

    def report(error: str | None) -> None:
        server.build_error = error
        if error:
            echo("Bản dựng có lỗi (vẫn phục vụ bản tốt gần nhất):\n" + error)
        else:
            echo("Đã dựng lại sổ tay.")

    builder = make_builder(root, site_dir, report)
    server = PreviewServer(builder=builder, host=host, port=port, root=str(site_dir))
    builder()
    if not site_dir.exists():
        site_dir.mkdir(parents=True)
        (site_dir / "index.html").write_text(
            "<!doctype html><html lang=vi><meta charset=utf-8><title>Sổ tay</title><body>"
            "<p>Chưa dựng được sổ tay; sửa lỗi trong nội dung, trang sẽ tự tải lại.</p></body></html>",
            encoding="utf-8",
        )
        outputs.mark(site_dir)  # ours: the first good build replaces it
    for folder in (PROCEDURES_DIR, "handbook", DATA_DIR, "mkdocs.yml"):
        if (root / folder).exists():
            server.watch(str(root / folder))
    echo(f"Đang phục vụ sổ tay tại {server.url} — nhấn Ctrl+C để dừng.")
    try:
        server.serve()
    except KeyboardInterrupt:
        echo("Đã dừng.")
    finally:
        server.shutdown()
        shutil.rmtree(site_dir.parent, ignore_errors=True)
