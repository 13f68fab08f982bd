"""Noticing edits for ``sotay serve``: the system's file events, not polling.

MkDocs' live-reload server looks at every watched file every 0.5 s: an edit
waits up to half a second before its rebuild starts, and at thousands of
procedures each look is thousands of ``stat`` calls competing with the
rebuild.  The system's own notifications (inotify on Linux, FSEvents,
ReadDirectoryChangesW) arrive as the file is written.  Where they cannot be
had (a watch limit reached, a file system without them), polling takes over.
"""

from __future__ import annotations

import logging

from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent,
                             FileMovedEvent)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.sotay")

# Writes only.  Native observers also report a file being opened or read, and
# every rebuild reads the content: those events would start rebuild after rebuild.
CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]


class ChangeObserver:
    """What the live-reload server asks of its observer (schedule, unschedule,
    start, stop, join), with the system's events and polling as a fallback."""

    def __init__(self, polling_interval: float = 0.5, native=Observer) -> None:
        self.polling_interval = polling_interval
        self._observer = native()
        self._scheduled: dict = {}  # our watch → (handler, path, recursive, the observer's watch)

    def schedule(self, handler, path, *, recursive: bool = False):
        key = object()
        self._scheduled[key] = (handler, path, recursive, self._schedule(handler, path, recursive))
        return key

    def _schedule(self, handler, path, recursive):
        return self._observer.schedule(handler, path, recursive=recursive, event_filter=CHANGES)

    def unschedule(self, key) -> None:
        *_, watch = self._scheduled.pop(key)
        self._observer.unschedule(watch)

    def start(self) -> None:
        try:
            self._observer.start()
        except OSError as exc:  # e.g. inotify's watch limit: look at the files instead
            log.info(f"Không nhận được thông báo thay đổi tệp từ hệ thống ({exc}); chuyển sang dò tệp.")
            self._observer = PollingObserver(timeout=self.polling_interval)
            for key, (handler, path, recursive, _) in list(self._scheduled.items()):
                self._scheduled[key] = (handler, path, recursive, self._schedule(handler, path, recursive))
            self._observer.start()

    def stop(self) -> None:
        self._observer.stop()

    def join(self, timeout: float | None = None) -> None:
        if self._observer.is_alive():
            self._observer.join(timeout)
