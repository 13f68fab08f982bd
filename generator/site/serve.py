"""Live preview: rebuild on every change, keep serving the last good site.

Built on MkDocs' own live-reload server.  Each rebuild goes through the same
atomic ``build_site`` as ``sotay build``; when it fails the previous site stays
in place and every page shows a banner with the errors until they are fixed.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import tempfile
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from markupsafe import escape
from mkdocs.livereload import LiveReloadServer

from . import outputs
from .build import BuildCache, BuildFailed, build_site
from .heap import QuietCollector
from .outputs import OutputRefused
from .watch import ChangeObserver
from ..content.edition import Edition
from ..content.errors import ContentErrors, os_error_message
from .. import tempdirs
from ..crashlog import unexpected_message
from ..content.handbook import DATA_DIR, PROCEDURES_DIR

# The site's own text font (Material's system stack, as mkdocs.yml has `font: false`),
# then common sans-serif fonts that draw Vietnamese: combining marks stay on their
# letters (a monospace fallback often draws them detached).
BANNER_FONTS = ("var(--md-text-font-family,-apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif),"
                "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Noto Sans',Helvetica,Arial,sans-serif")


SERVE_PREFIX = "sotay-serve-"
# What a serve folder holds: the site, and what build.py puts beside it (lock, builds under way).
SERVE_CONTENTS = re.compile(r"site|\.site\.lock|\.site\.(?:building|old)-[^/]+")


class PreviewServer(LiveReloadServer):
    """A live-reload server that overlays the current build error on every page."""

    build_error: str | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.observer = ChangeObserver()  # file events as they happen, not polling every 0.5 s (watch.py)

    def _serve_request(self, environ, start_response):
        # Pages open in a browser are written before a rebuild goes live, the others just after
        # (deferred.py): note what is asked for, or polls for a reload, and write a page still to be.
        cache = getattr(self.builder, "cache", None)
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if cache is not None:
            if path.startswith("/livereload/"):
                rel = self._site_file(urllib.parse.urlsplit(environ.get("HTTP_REFERER", "")).path)
                if rel is not None:
                    cache().seen.saw(rel)
            elif (rel := self._site_file(path)) is not None:
                cache().seen.saw(rel)
                with self._epoch_cond:  # as MkDocs does below: not while a rebuild is under way
                    self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                cache().write_now(rel)
        return super()._serve_request(environ, start_response)

    def _site_file(self, path: str) -> str | None:
        """The site-relative page a request path names (as MkDocs' server reads it), or None.
        A folder's address without its final slash names its index.html (MkDocs redirects it)."""
        if not path or not (path + "/").startswith(self.mount_path):
            return None
        rel = path[len(self.mount_path):]
        if path.endswith("/"):
            rel += "index.html"
        elif "." not in posixpath.basename(rel):
            rel += "/index.html"
        rel = posixpath.normpath("/" + rel).lstrip("/")
        return rel if rel.endswith(".html") else None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if not self.build_error:
            return content
        banner = (
            '<div role="alert" style="position:fixed;z-index:1000;left:0;right:0;bottom:0;max-height:50vh;'
            'overflow:auto;background:#fff3f3;color:#7a0000;border-top:3px solid #c00;padding:1em;'
            f'font:15px/1.5 {BANNER_FONTS};white-space:pre-wrap">'
            "<strong>Bản dựng mới có lỗi — đang hiển thị bản dựng tốt gần nhất.</strong>\n"
            f"{escape(self.build_error)}</div>"
        ).encode()
        end = content.rfind(b"</body>")
        return content[:end] + banner + content[end:] if end >= 0 else content + banner


def make_builder(root: Path, site_dir: Path, report: Callable[[str | None], None],
                 debug: bool = False, edition: Edition | None = None,
                 collector: QuietCollector | None = None) -> Callable[[], None]:
    """The rebuild the server runs on every change.  It never raises (but for
    Ctrl-C): the live-reload server would otherwise hold every request until a
    later rebuild succeeds.  Every failure goes to ``report`` instead, and the
    previous site stays in place (``build_site`` swaps only a complete build).
    ``collector`` (the server's): Python's full collections walk only what the
    last builds made (heap.py); it acts on the whole process, so it is closed
    with the builder."""
    def failed(exc: BaseException) -> None:  # a page written after the site went live (deferred.py)
        message = os_error_message(exc) if isinstance(exc, OSError) else unexpected_message(exc)
        report(f"{message}\n\n{''.join(traceback.format_exception(exc))}" if debug else message)

    cache = BuildCache(failed=failed)  # unchanged procedure files are not read, nor their pages rendered, again
    building = collector.building if collector is not None else contextlib.nullcontext

    def rebuild() -> None:
        nonlocal cache
        try:
            with building():
                build_site(root, site_dir, cache=cache, edition=edition)
        except ContentErrors as exc:
            report(exc.report())
        except (BuildFailed, OutputRefused) as exc:
            cause = exc.__cause__
            report(os_error_message(cause) if isinstance(cause, OSError) else str(exc))
        except Exception as exc:  # a bug, a full disk…: say so in one sentence, keep serving
            with contextlib.suppress(Exception):
                cache.settle()  # the site still served: its pages left to write are written first
                cache.close()
            # Whatever the failed build left in it is not trusted; what browsers showed, and the lock that
            # requests still holding the old cache take, carry over.
            cache = BuildCache(failed=failed, seen=cache.seen, render_lock=cache.render_lock)
            # As the command line says it: an OS error names the path and the cause.
            message = os_error_message(exc) if isinstance(exc, OSError) else unexpected_message(exc)
            report(f"{message}\n\n{traceback.format_exc()}" if debug else message)
        else:
            report(None)

    def close() -> None:
        if collector is not None:
            collector.close()
        cache.close()

    rebuild.close = close  # type: ignore[attr-defined]  # preview() calls it on exit
    rebuild.cache = lambda: cache  # type: ignore[attr-defined]  # PreviewServer: pages asked for, pages to write
    return rebuild


@contextlib.contextmanager
def preview(root: Path, host: str, port: int, echo: Callable[[str], None],
            debug: bool = False, edition: Edition | None = None) -> Iterator[PreviewServer]:
    """A live-reload server for the handbook under ``root``, its first build
    done; ``server.serve()`` runs it.  Its temporary site is removed on exit."""
    tempdirs.sweep_unmarked(Path(tempfile.gettempdir()), SERVE_PREFIX, SERVE_CONTENTS)
    with tempdirs.temporary(SERVE_PREFIX) as workdir:
        site_dir = workdir / "site"
        server: PreviewServer

        def report(error: str | None) -> None:
            server.build_error = error
            if error:
                echo("Bản dựng có lỗi (vẫn phục vụ bản tốt gần nhất):\n" + error)
            else:
                echo("Đã dựng lại sổ tay.")

        builder = make_builder(root, site_dir, report, debug, edition, QuietCollector())
        try:
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
            try:
                yield server
            finally:
                server.shutdown()
        finally:
            builder.close()  # before the temporary folder goes: a spare folder may still be in the making


def serve(root: Path, host: str, port: int, echo: Callable[[str], None], debug: bool = False,
          edition: Edition | None = None) -> None:
    with preview(root, host, port, echo, debug, edition) as server:
        echo(f"Đang phục vụ sổ tay tại {server.url} — nhấn Ctrl+C để dừng.")
        try:
            server.serve()
        except KeyboardInterrupt:
            echo("Đã dừng.")
