"""What a first visit downloads in a real browser, and how soon search answers.

    .venv/bin/python benchmarks/first_visit.py SITE_DIR [PAGE …] [--query "khai sinh"]
    .venv/bin/python benchmarks/first_visit.py --procedures 1000 [--query …]
    make bench-search N=1000

With --procedures N, a throw-away project of N synthetic procedures
(benchmarks/synthetic.py) is written and built with `sotay build` first
(the khai sinh page is then the first procedure page).

SITE_DIR is a built site (`sotay build`); PAGE is a path in it ("" is the home
page; default: the home page and the khai sinh procedure).  The site is served
over HTTP on 127.0.0.1 by a small server that gzips what a web server would
(nginx's gzip_types in docs-dev/nginx.conf: HTML, CSS, JS, JSON, SVG, XML) at
level 9, as the build benchmark counts gzip, and logs the size of every
response body it sends.  Debian's Chromium (Playwright) opens each page in a
fresh context (empty cache):

- first visit: every request of the page load (the page, stylesheets, fonts,
  scripts, workers and whatever they load), until the network has been idle
  for a moment, as bytes sent;
- first search: the search box is focused and the whole query put in at once
  (as a very fast typist would; typing key by key through the browser driver
  is slower than the search); the time from the focus until the first result
  is shown, where it went (the index downloaded and read until the theme
  hands it to its search worker; the worker building the lunr index; the
  search and the first result shown), and what was downloaded for it (the
  search index, the analyser).  Files are compressed once, as a server with
  precompressed files sends them.

benchmarks/bench.py reports the same figures for its synthetic catalogues;
tests/test_first_visit.py asserts the byte budget and that the index waits
for the first search.  Times depend on the machine; they belong here, not in
the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

GZIP_LEVEL = 9
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SEARCH_INPUT = "input.md-search__input"
RESULT = ".md-search-result__item"
SETTLE_MS = 500  # after "network idle": what a worker or a late script still asks for
KHAI_SINH = "thu-tuc/ho-tich/dang-ky-khai-sinh/"


class Log:
    """The responses a server sent: (path, body bytes), in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self._lock:
            self._entries.append((path, size))

    def mark(self) -> int:
        with self._lock:
            return len(self._entries)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self._lock:
            return self._entries[mark:]


@contextlib.contextmanager
def serve(site: Path, headers: dict[str, str] | None = None) -> Iterator[tuple[str, Log]]:
    """``site`` over HTTP, compressed like a production server; yields the
    base URL and the log of what was sent."""
    log = Log()

    # Each file is compressed once, as a server with precompressed files
    # (nginx gzip_static) sends it: compressing 1.4 MB at level 9 on every
    # request is not part of what the visitor waits for.
    @functools.lru_cache(maxsize=None)
    def compressed(file: Path) -> bytes:
        return gzip.compress(file.read_bytes(), GZIP_LEVEL, mtime=0)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            super().end_headers()

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            file = Path(self.translate_path(self.path))
            if file.is_dir() and path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():  # folders without "/" (a redirect) and 404s: the standard handler
                log.add(path, 0)
                return super().do_GET()
            compress = file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
            body = compressed(file) if compress else file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(file)))
            self.send_header("Content-Length", str(len(body)))
            if compress:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(body)
            log.add(path, len(body))

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", log
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settle(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)


def visit(browser, base: str, log: Log, path: str) -> dict:
    """A first visit to ``path``: what it downloaded (``files``: path → bytes)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        start = log.mark()
        page.goto(base + path)
        settle(page)
        files = log.since(start)
    finally:
        context.close()
    return {"bytes": sum(size for _, size in files), "files": files}


# Before the page's scripts: when the theme hands the documents to its search
# worker (setup message) and when the worker says its index is ready.
_WORKER_TIMES = """(() => {
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      this.addEventListener("message", e => { if (e.data && e.data.type === 1) window.__ready = performance.now() });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 0) window.__setup = performance.now();
      return super.postMessage(message, ...rest);
    }
  };
})()"""

# In the page: when the search box gets the focus, and when the first result
# is shown (a MutationObserver on the result list).
_WATCH = """() => {
  const input = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  window.__focused = new Promise(resolve => input.addEventListener("focus", () => resolve(performance.now()), {once: true}));
  window.__firstResult = new Promise(resolve => {
    new MutationObserver((_, observer) => {
      if (list.querySelector(".md-search-result__item")) { observer.disconnect(); resolve(performance.now()); }
    }).observe(list, {childList: true, subtree: true});
  });
}"""


def first_search(browser, base: str, log: Log, path: str, query: str, timeout_ms: float = 30000) -> dict:
    """Open ``path``, then focus the search box and put ``query`` in at once:
    seconds from the focus until the first result shows, where they went
    (``steps``: the index downloaded and read, the index built in the
    worker, the search and its results shown), and what the search
    downloaded."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(_WORKER_TIMES)
        page.goto(base + path)
        settle(page)
        start = log.mark()
        page.evaluate(_WATCH)
        page.focus(SEARCH_INPUT)
        page.fill(SEARCH_INPUT, query)
        page.press(SEARCH_INPUT, "End")  # the theme searches on keyup
        page.wait_for_selector(RESULT, timeout=timeout_ms)
        times = page.evaluate("Promise.all([window.__focused, window.__firstResult])"
                              ".then(([a, b]) => [a, window.__setup, window.__ready, b])")
        settle(page)
        files = log.since(start)
    finally:
        context.close()
    focus, setup, ready, result = times
    steps = {}
    if setup is not None and ready is not None:
        steps = {"index": (setup - focus) / 1000, "build": (ready - setup) / 1000, "search": (result - ready) / 1000}
    return {"seconds": (result - focus) / 1000, "steps": steps, "bytes": sum(size for _, size in files), "files": files}


def measure(site: Path, paths: list[str], query: str, searches: int = 3, timeout_ms: float = 30000) -> dict:
    """First visits to ``paths``, and ``searches`` first searches from the
    first path (each in a fresh context; ``seconds`` is their median)."""
    with serve(site) as (base, log), chromium() as browser:
        visits = {path: visit(browser, base, log, path) for path in paths}
        runs = [first_search(browser, base, log, paths[0], query, timeout_ms) for _ in range(max(1, searches))]
    steps = {k: statistics.median(r["steps"][k] for r in runs) for k in runs[0]["steps"] if all(r["steps"] for r in runs)}
    search = dict(runs[0], seconds=statistics.median(r["seconds"] for r in runs), runs=[r["seconds"] for r in runs],
                  steps=steps)
    return {"visits": visits, "search": search}


def available() -> str | None:
    """Why the browser figures cannot be taken here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def kb(b: float) -> str:
    return f"{b / 1024:,.1f} KB"


def synthetic_site(n: int, dest: Path) -> tuple[Path, str]:
    """A project of ``n`` synthetic procedures under ``dest``, built with
    `sotay build`: its site and its first procedure page."""
    import subprocess

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synthetic

    root = Path(__file__).resolve().parent.parent
    project = dest / "project"
    synthetic.make_project(project, n, 1, False, synthetic.Material(root))
    script = Path(sys.executable).parent / "sotay"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "generator.cli"]
    subprocess.run([*cmd, "build"], cwd=project, check=True, stdout=subprocess.DEVNULL)
    site = project / "site"
    page = min(p.parent for p in site.glob("thu-tuc/*/*/index.html"))
    return site, page.relative_to(site).as_posix() + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", help="a built site")
    parser.add_argument("pages", nargs="*", help="paths in the site ('' = home page; default: home and khai sinh)")
    parser.add_argument("--procedures", "-n", type=int, metavar="N",
                        help="measure a site built from N synthetic procedures instead")
    parser.add_argument("--query", default="khai sinh")
    parser.add_argument("--searches", type=int, default=3, help="first searches to time (median; default 3)")
    parser.add_argument("--files", action="store_true", help="list every file downloaded")
    args = parser.parse_args(argv)
    reason = available()
    if reason:
        print(f"cannot measure: {reason}", file=sys.stderr)
        return 1
    if (args.site is None) == (args.procedures is None):
        parser.error("give a built site or --procedures N")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sotay-first-visit-") as tmp:
        if args.procedures:
            print(f"building a site of {args.procedures:,} synthetic procedures…", flush=True)
            site, page = synthetic_site(args.procedures, Path(tmp))
            args.pages = args.pages or ["", page]
            print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
        else:
            site = args.site.resolve()
            args.pages = args.pages or ["", KHAI_SINH]
        figures = measure(site, args.pages, args.query, args.searches)
    for path, v in figures["visits"].items():
        print(f"first visit /{path}: {kb(v['bytes'])} gzip in {len(v['files'])} requests")
        if args.files:
            for name, size in v["files"]:
                print(f"    {kb(size):>10}  {name}")
    s = figures["search"]
    print(f"first search {args.query!r} on /{args.pages[0]}: first result {s['seconds'] * 1000:.0f} ms after the focus "
          f"(median of {', '.join(f'{t * 1000:.0f}' for t in s['runs'])}); "
          f"downloaded {kb(s['bytes'])} in {len(s['files'])} requests")
    if s["steps"]:
        print("  of which (medians): index downloaded and read {index:.0f} ms, index built in the worker {build:.0f} ms, "
              "search and first result shown {search:.0f} ms".format(**{k: v * 1000 for k, v in s["steps"].items()}))
    if args.files:
        for name, size in s["files"]:
            print(f"    {kb(size):>10}  {name}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"({time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs, load average {load:.1f}: "
          "times grow with what else the machine runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
