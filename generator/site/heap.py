"""sotay serve: Python's full garbage collections kept out of the editor's wait.

A full collection walks every container object the process holds.  What a
build leaves for the rest of the session (the loaded handbook, every page's
inputs) is most of them: about 1.2 million at 5,000 procedures, 1.3–2.2 s with
the interpreter stopped.  Python starts one whenever enough new objects have
piled up, often while the editor has just saved and waits for the page.

So after the first build (one full collection longer) everything the process
holds is frozen (``gc.freeze``: collections skip it) and collections walk only
what later rebuilds made (0.2–0.7 s at 5,000).  A frozen object that becomes
garbage in a cycle is not freed while frozen; once the server has been idle
``idle`` seconds after a rebuild, the whole heap is collected and frozen again,
so nothing stays lost.  A rebuild and that sweep never run at once.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Iterator

IDLE_SECONDS = 60.0


class QuietCollector:
    def __init__(self, idle: float = IDLE_SECONDS) -> None:
        self.idle = idle
        self._lock = threading.Lock()  # a build or a sweep
        self._last = time.monotonic()
        self._stale = False  # rebuilds since the last sweep: frozen objects may have become garbage
        self._closed = threading.Event()
        self._sweeper: threading.Thread | None = None

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """Around a build: after the first, the heap is frozen; after the others, a sweep is due."""
        with self._lock:
            try:
                yield
            except Exception:  # a failed build leaves a heap to keep too; Ctrl-C just goes
                self._built()
                raise
            self._built()

    def _built(self) -> None:
        self._last = time.monotonic()
        if self._sweeper is None and not self._closed.is_set():
            self._freeze()
            self._sweeper = threading.Thread(target=self._sweep, name="sotay-heap", daemon=True)
            self._sweeper.start()
        else:
            self._stale = True

    def _freeze(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _sweep(self) -> None:
        while not self._closed.wait(min(self.idle / 4, 5.0)):
            with self._lock:
                if self._stale and not self._closed.is_set() and time.monotonic() - self._last >= self.idle:
                    self._freeze()
                    self._stale = False

    def close(self) -> None:
        """No more sweeps; what was frozen is walked by collections again."""
        self._closed.set()
        if self._sweeper is not None:
            self._sweeper.join()
        with self._lock:
            gc.unfreeze()
