"""Build the site atomically: validate, build into a temporary folder, then swap.

A failed or interrupted build never touches the previous ``site/``.  A lock
file keeps two builds of the same site from swapping over each other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import gc
import io
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import yaml_load

from ..content.edition import Edition, today_in_vietnam
from ..content.versions import out_of_date
from . import outputs
from .deferred import Deferred, Seen
from .render import MemoryBytecodeCache
from .. import tempdirs

PLUGIN = "sotay"  # our plugin's name in mkdocs.yml (its entry point in pyproject.toml)


class BuildFailed(Exception):
    """The site could not be built; the message says why, in Vietnamese."""


@contextlib.contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = site_dir.parent / f".{site_dir.name}.lock"
    with open(lock_path, "a") as handle:  # never truncate: the name might be someone else's file
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def quiet_mkdocs() -> Iterator[io.StringIO]:
    """Capture MkDocs' own log lines (banners, INFO) so sotay's output stays ours."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.WARNING)
    try:
        yield buffer
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


@dataclasses.dataclass
class BuildCache:
    """What ``sotay serve`` keeps between rebuilds: loaded procedure files,
    written procedure pages (each reused while its inputs are unchanged) and
    compiled templates."""

    procedures: dict = dataclasses.field(default_factory=dict)
    pages: dict = dataclasses.field(default_factory=dict)  # procedure id → (its inputs, its page)
    # The procedure pages (id → inputs) and open-data records (("open-data", id) → inputs)
    # of the site being served, in ``live_site``: an unchanged one is linked from
    # there (os.link) rather than written again.
    live: dict = dataclasses.field(default_factory=dict)
    live_site: Path | None = None
    written: dict = dataclasses.field(default_factory=dict)  # the build under way's pages; `live` once swapped in
    open_data: dict = dataclasses.field(default_factory=dict)  # procedure id → (its inputs, its record, flags)
    suggestions: tuple = ()  # (what they were computed from, "similar procedures")
    templates: MemoryBytecodeCache = dataclasses.field(default_factory=MemoryBytecodeCache)
    memo: dict = dataclasses.field(default_factory=dict)  # the renderer's reusable work (render.Renderer.memo)
    spare: Spare | None = None  # the next rebuild's build folder, being made ready
    spares: list = dataclasses.field(default_factory=list)  # every Spare's thread (one may still remove an old site)
    # Set while no rebuild runs: the work left in the background (removing an old site) waits
    # for it, so a rebuild has the machine to itself (Python runs one thread at a time).
    idle: threading.Event = dataclasses.field(default_factory=lambda: _set(threading.Event()))
    # Pages written once the site is live (deferred.py): held by a rebuild and by each such page.
    render_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    deferred: Deferred | None = None  # the live site's pages still to write
    building: Deferred | None = None  # the build under way's
    seen: Seen = dataclasses.field(default_factory=Seen)  # what browsers asked for (serve.PreviewServer)
    failed: Callable[[BaseException], None] = lambda exc: None  # writing a deferred page failed

    def write_now(self, rel: str) -> None:
        """A browser asks for ``rel``: written first if it is still to be (after
        the build under way, if any: it may be one of that build's pages)."""
        with self.render_lock:
            if self.deferred is not None:
                self.deferred.write(rel)

    def settle(self) -> None:
        """Wait until every deferred page of the live site is written."""
        if self.deferred is not None:
            self.deferred.finish()

    def take_spare(self) -> tuple[Path, list[str]] | None:
        """The spare folder and the folders made in it (Spare.take), now the build's; None: none."""
        spare, self.spare = self.spare, None
        return spare.take() if spare is not None else None

    def close(self) -> None:
        """Remove the spare folder, once every removal under way is done (sotay serve stops)."""
        if self.deferred is not None:
            self.deferred.halt()
            with self.render_lock:  # a request under way finishes its page; none is written after
                self.deferred.closed = True
        made = self.take_spare()
        for thread in self.spares:
            thread.join()
        self.spares = []
        if made is not None:
            tempdirs.remove(made[0])


def _set(event: threading.Event) -> threading.Event:
    event.set()
    return event


class Spare:
    """sotay serve: the next rebuild's build folder, made in the background
    once a rebuild is live: a new build folder holding every folder of the
    site being served, then the previous site (``old_work``) removed.  Making
    thousands of page folders anew was the largest fixed cost of a rebuild
    (0.2-0.7 s at 1,000 procedures where creating a folder is slow); made
    between two saves, it is off the editor's wait.  A rebuild that starts
    sooner takes the folders made so far (its pages make the rest), and
    removes those it leaves empty (a page gone)."""

    def __init__(self, old_work: Path, site_dir: Path, prefix: str, premake: bool, idle: threading.Event) -> None:
        self.made: tuple[Path, list[str]] | None = None
        self.ready = threading.Event()  # set once ``made`` is final (the old site may still be going)
        self.stop = threading.Event()  # a rebuild wants the folder now
        self.thread = threading.Thread(target=self._run, args=(old_work, site_dir, prefix, premake, idle),
                                       name="sotay-spare")
        self.thread.start()

    def _run(self, old_work: Path, site_dir: Path, prefix: str, premake: bool, idle: threading.Event) -> None:
        try:
            if premake:  # first what the next rebuild waits for
                self.made = self._make(site_dir, prefix)
        finally:
            self.ready.set()
            tempdirs.remove(old_work, pause=idle.wait)  # never during a rebuild

    def _make(self, site_dir: Path, prefix: str) -> tuple[Path, list[str]] | None:
        work, made = None, []
        try:
            work = tempdirs.make(site_dir.parent, prefix)
            (work / "site").mkdir()
            for folder, _, _ in os.walk(site_dir):  # parents first
                if self.stop.is_set():
                    break
                rel = os.path.relpath(folder, site_dir)
                if rel != ".":
                    os.mkdir(work / "site" / rel)  # not makedirs: nothing is made again once serve removed the folder
                    made.append(rel)
            return work, made
        except Exception:  # whatever it is, the rebuild makes its own folder
            if work is not None:
                tempdirs.remove(work)
            return None

    def take(self) -> tuple[Path, list[str]] | None:
        """The folder and the site-relative folders made in it so far, or
        None; the previous site's removal goes on meanwhile."""
        self.stop.set()
        self.ready.wait()
        return self.made


# The iframe-worker shim (theme/assets/…), our copy of the one Material's
# offline plugin would otherwise load from a CDN: under file:// it runs the
# search worker in an iframe, since browsers refuse a Worker from a file.
OFFLINE_WORKER_SHIM = "assets/javascripts/iframe-worker/shim.js"


def offline_overrides(root: Path) -> dict:
    """Config overrides for a site opened from a folder or USB stick (file://).

    Material's offline plugin turns off directory URLs (links end in
    index.html) and writes search/search_index.js, which the theme loads by a
    script tag under file://.  It goes last in the plugin list: its
    on_post_build and ours (the lean index) both have priority -100, and
    MkDocs runs equal priorities in list order, so the file it inlines is our
    rewritten index.  The polyfill naming "iframe-worker" keeps the plugin
    from adding its CDN copy.
    """
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        raw = yaml_load(handle) or {}
    plugins = raw.get("plugins", ["search"]) or []  # MkDocs' default when the key is absent
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    plugins = [p for p in plugins if _plugin_name(p) not in ("offline", "material/offline")]
    extra = dict(raw.get("extra") or {})
    polyfills = [s for s in extra.get("polyfills", []) if "iframe-worker" not in str(s)]
    extra["polyfills"] = [*polyfills, OFFLINE_WORKER_SHIM]
    return {"plugins": [*plugins, "material/offline"], "extra": extra, "use_directory_urls": False}


def _plugin_name(entry) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


@contextlib.contextmanager
def collector_paused(full: bool = True) -> Iterator[None]:
    """Python's cycle collector off while a build allocates millions of
    objects that all live until it ends: full collections kept walking the
    whole model (~12% of a 1,000-procedure build), and in forked workers they
    copied shared memory pages. One collection at the end frees the cycles.

    ``full=False`` (a rebuild of sotay serve) collects only what this build
    allocated: a full collection walks the cache kept between rebuilds too
    (over a second at 5,000 procedures, while the edited page waits); the
    previous build's structures are left to Python's own full collections,
    which run between rebuilds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect() if full else gc.collect(1)


def build_site(root: Path, site_dir: Path | None = None, *, offline: bool = False, cache: BuildCache | None = None,
               edition: Edition | None = None, warn: Callable[[str], None] | None = None, **config_overrides) -> Path:
    """Validate the content under ``root`` and build it into ``site_dir`` atomically.

    ``offline=True`` builds a site that works opened from disk (file://).
    ``cache`` (sotay serve) reuses unchanged work from the previous build and
    writes pages in this process only (the server's threads make forking unsafe).
    ``edition`` (--ngay, --tinh): what the site describes; None: mkdocs.yml's plugin options.
    ``warn``: told when the site is built for a past day and a version has
    started since (versions.out_of_date), so the site is not right for today.
    """
    if cache is None:
        with collector_paused():
            return _build_site(root, site_dir, offline, cache, edition, config_overrides, warn)
    cache.idle.clear()
    try:
        if cache.deferred is not None:  # the live site's pages still to write: this build decides again
            cache.deferred.halt()
        with cache.render_lock, collector_paused(full=False):
            try:
                return _build_site(root, site_dir, offline, cache, edition, config_overrides, warn)
            except BaseException:
                cache.building = None
                if cache.deferred is not None:  # the site still served keeps being completed
                    cache.deferred.start(cache.live_site, cache.failed)
                raise
    finally:
        cache.idle.set()


def _build_site(root: Path, site_dir: Path | None, offline: bool, cache: BuildCache | None,
                edition: Edition | None, config_overrides: dict, warn: Callable[[str], None] | None = None) -> Path:
    site_dir = outputs.site_dir(root, site_dir)  # refuses a folder we did not build, and the project's own
    if offline:
        config_overrides = {**offline_overrides(root), **config_overrides}
    with quiet_mkdocs() as log_output:
        try:
            config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), **config_overrides)
        except (MkDocsException, OSError) as exc:
            raise BuildFailed(f"{exc}\n{log_output.getvalue()}".strip()) from exc
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise BuildFailed(f"mkdocs.yml không bật plugin '{PLUGIN}' (mục plugins:), nên không dựng được sổ tay.")
    # The handbook is loaded with the plugin's options, and checked before anything is written.
    hb, sink = plugin.load(root, cache, edition)
    if sink.errors:
        plugin.handoff = None  # not for a later build in this process
        sink.raise_if_any()
    stale = out_of_date(hb, today_in_vietnam()) if warn else None
    if stale:
        warn(stale)
    with build_lock(site_dir):
        # Our temporary folder beside the site holds the new build, then the
        # previous site; see generator/tempdirs.py for how leftovers are swept.
        prefix = f".{site_dir.name}.building-"
        tempdirs.sweep(site_dir.parent, prefix)
        spare = cache.take_spare() if cache is not None else None
        work, premade = spare if spare is not None else (tempdirs.make(site_dir.parent, prefix), [])
        try:
            tmp = work / "site"
            config["site_dir"] = str(tmp)
            if cache is not None:
                cache.written = {}
                cache.building = Deferred(cache.render_lock)
            with quiet_mkdocs() as log_output:
                try:
                    config.plugins.on_startup(command="serve" if cache else "build", dirty=False)
                    try:
                        # sotay serve: MkDocs' dirty build skips what reuse.py marks unchanged
                        # (not under `strict: true`, where its "dirty build" warning would fail the build).
                        mkdocs_build(config, dirty=cache is not None and not config.strict)
                    finally:
                        config.plugins.on_shutdown()
                except (MkDocsException, OSError) as exc:
                    raise BuildFailed(f"{exc}\n{log_output.getvalue()}".strip()) from exc
            # A spare's folders this build left empty (children first), but those of pages
            # written once the site is live (deferred.py): their page comes.
            coming = _folders(cache.building.pending) if cache is not None else set()
            for rel in reversed(premade):
                if rel not in coming:
                    with contextlib.suppress(OSError):
                        os.rmdir(tmp / rel)
            _swap(tmp, site_dir, work / "old")
            if cache is not None:  # the pages just written are the ones served now
                cache.live, cache.live_site, cache.written = cache.written, site_dir, {}
                cache.deferred, cache.building = cache.building, None  # (the previous site's: gone)
        except BaseException:
            tempdirs.remove(work)
            raise
    if cache is not None:  # sotay serve: the new site is live already; the reload need not wait for this
        # (no folders made ahead under `strict: true`: MkDocs' clean build would empty them)
        cache.spare = Spare(work, site_dir, prefix, premake=not config.strict, idle=cache.idle)
        cache.spares = [t for t in cache.spares if t.is_alive()] + [cache.spare.thread]
        # The pages it left to write (deferred.py), once the next rebuild's folders are made
        # (0.5 s at 5,000 procedures alone, several seconds when the two share the machine).
        cache.deferred.start(site_dir, cache.failed, after=cache.spare.ready)
    else:
        tempdirs.remove(work)
    return site_dir


def _folders(files) -> set[str]:
    """The folders holding site-relative ``files``, and theirs."""
    folders: set[str] = set()
    for rel in files:
        folder = os.path.dirname(rel)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return folders


def _swap(new: Path, target: Path, old: Path) -> None:
    """Put ``new`` in place of ``target`` with two renames, so readers never see a half site.
    The previous site is moved to ``old``; the caller removes it.

    Stop signals (Ctrl-C, SIGTERM, SIGHUP) are held back between the renames,
    so an interrupt cannot leave the site missing.  ``target`` is checked again
    here, under the build lock: only an empty folder or one of our builds is replaced.
    """
    outputs.mark(new)
    outputs.check_replaceable(target)
    blocked = set(tempdirs.STOP_SIGNALS)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        had_old = target.exists()
        if had_old:
            os.rename(target, old)
        try:
            os.rename(new, target)
        except OSError:
            if had_old:
                os.rename(old, target)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
