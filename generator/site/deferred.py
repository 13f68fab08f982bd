"""sotay serve: procedure pages written once the new site is live.

Some edits change many procedure pages without touching their files: a
legal document's title shows on every page citing it (1,354 of 5,000 in the
synthetic benchmark), a summary moves other procedures' "similar
procedures".  Rendering them all before the reload kept the editor waiting
for pages nobody was looking at.  So a rebuild writes before it goes live
the pages of the files that changed and the pages open in a browser (asked
for, or polling for a reload, in the last ``OPEN_FOR`` seconds; as Hugo's
"fast render mode" does), and lists the others here; a background thread
writes them once the site is live.  A request for one not written yet
writes it first (serve.PreviewServer), so no request is ever answered with
an old page or a missing one.  The next rebuild stops the thread and decides
again from what is written.

One lock (``BuildCache.render_lock``) is held by a rebuild from start to end
and by each page written here: a page is never rendered while a build uses
the same caches.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

# A page asked for, or whose tab asked for a reload, this recently is open: MkDocs'
# live-reload script polls at least once a minute.
OPEN_FOR = 120.0
KEPT = 256  # pages remembered as seen (the oldest forgotten first)


class Seen:
    """Site-relative files browsers asked for, and when."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.lock = threading.Lock()  # the server answers requests in threads

    def saw(self, rel: str) -> None:
        with self.lock:
            self.times.pop(rel, None)
            self.times[rel] = time.monotonic()
            while len(self.times) > KEPT:
                del self.times[next(iter(self.times))]

    def is_open(self, rel: str) -> bool:
        return time.monotonic() - self.times.get(rel, float("-inf")) <= OPEN_FOR


class Deferred:
    """One build's pages still to write (``defer``); ``site`` is the live
    site once the build is swapped in (``start``)."""

    def __init__(self, lock: threading.Lock) -> None:
        self.pending: dict[str, None] = {}  # site-relative files, in the build's order
        self.render: Callable[[str], str] = str
        self.lock = lock
        self.site: Path | None = None
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.closed = False  # serve stopped: nothing more is written (set under the lock)

    def defer(self, rels, render: Callable[[str], str]) -> None:
        """``rels`` are written later by ``render(rel)``, which gives a page's
        text and records it as written in the caller's caches."""
        self.pending.update(dict.fromkeys(rels))
        self.render = render

    def start(self, site: Path | None, failed: Callable[[BaseException], None],
              after: threading.Event | None = None) -> None:
        """Write the pages in the background into ``site`` (again after ``halt``),
        once ``after`` is set if given (a request writes its page at once still)."""
        if self.thread is not None and self.thread.is_alive():
            return  # (still writing: one thread at a time)
        self.site = site
        self.stop.clear()
        if self.pending and site is not None:
            self.thread = threading.Thread(target=self._run, args=(failed, after), name="sotay-deferred", daemon=True)
            self.thread.start()

    def _run(self, failed: Callable[[BaseException], None], after: threading.Event | None) -> None:
        while after is not None and not after.wait(0.05):
            if self.stop.is_set():  # (halt() waits for this thread)
                return
        said = False
        for rel in list(self.pending):
            with self.lock:
                if self.stop.is_set():
                    return
                try:
                    self.write(rel)
                    continue
                except Exception as exc:  # a bug or a full disk: the page stays to write (a request tries again)
                    error = exc
            if not said:  # once, and not under the lock: the other pages are still written
                failed(error)
                said = True

    def write(self, rel: str) -> None:
        """Write ``rel`` if it is still to be written (the caller holds the lock)."""
        if rel not in self.pending or self.site is None or self.closed:
            return
        text = self.render(rel)
        out = self.site / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        # A request reads the whole file or none of it; the next rebuild may link it (never written in place).
        tmp = out.with_name(f".{out.name}.sotay-tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
        del self.pending[rel]

    def halt(self) -> None:
        """Stop writing (the next rebuild decides again); waits for the page being written."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join()

    def finish(self) -> None:
        """Wait until every page is written (or writing failed)."""
        if self.thread is not None:
            self.thread.join()
