"""Procedure pages from one page rendered by the theme.

Every procedure page has the same surroundings: the same navigation (no
procedure is in it), the same depth in the site (thu-tuc/<field>/<id>/), so
the same relative links to assets.  MkDocs renders one placeholder page at
that depth (urls.SHELL) with markers for what differs — title, body, table of
contents, "edit" link — and each procedure page is that shell with the
markers replaced.  Material's page template then runs once instead of once
per procedure, and the pages can be written in parallel.  A test builds the
same handbook both ways and compares the pages.

The shell's writer also owns the two files that must list the procedure
pages MkDocs never saw: the sitemap and the search index.
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import traceback
from collections.abc import Callable
from pathlib import Path

from html import escape as html_escape

from markupsafe import Markup, escape
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .. import urls
from ..content.edition import today_in_vietnam
from ..content.inputs import seen_registries
from ..search import analysis
from ..search.index import FIELD_WEIGHTS

TITLE = "SOTAYSHELLTITLE"
CONTENT = "<h1>SOTAYSHELLCONTENT</h1>"  # an h1, so the theme adds none of its own
EDIT = "https://sotay.invalid/SOTAYSHELLEDIT"
TOC_ID = "sotay-shell-toc"
TOC_NAME = "SOTAYSHELLTOC"


class ShellError(Exception):
    """The theme's page no longer has the markers where we expect them."""


class Shell:
    def __init__(self, html: str, toc_item_template, shell_url: str):
        self.toc_item = toc_item_template
        self.shell_url = shell_url
        start = html.find(f'<a href="#{TOC_ID}" class="md-nav__link">')
        li_start = html.rfind('<li class="md-nav__item">', 0, start)
        li_end = html.find("</li>", start)
        missing = [m for m in (TITLE, CONTENT) if m not in html]
        if missing or start < 0 or li_start < 0 or li_end < 0:
            raise ShellError("khung trang thủ tục thiếu dấu " + ", ".join(missing or ["mục lục"]))
        self.before_toc = html[:li_start]
        self.after_toc = html[li_end + len("</li>"):]
        self.fingerprint = hashlib.sha256(html.encode()).hexdigest()

    def page(self, *, title: str, content: str, toc, edit_url: str | None, url: str) -> str:
        """``title`` is HTML-escaped already (as MkDocs page titles are here)."""
        items = "\n".join(self.toc_item.render(toc_item=item) for item in toc)
        # The theme's "skip to content" link goes to the first heading of the table of contents.
        first = next(iter(toc), None)
        skip = f'href="{escape(first.url)}"' if first else 'href="#"'

        def fill(part: str) -> str:
            part = part.replace(f'href="#{TOC_ID}"', skip)
            part = part.replace(f"<title>{TITLE} - ", f"<title>{escape(Markup(title).striptags())} - ")
            part = part.replace(TITLE, title).replace(self.shell_url, url)
            if edit_url is not None:
                part = part.replace(EDIT, str(escape(edit_url)))
            return part.replace(CONTENT, content)

        return fill(self.before_toc) + items + fill(self.after_toc)


# --- writing the procedure pages, and the files that list them ----------------

PARALLEL_FROM = 200  # procedures; below that, forking costs more than it saves
# Procedures per forked writer.  A forked writer shares the parent's memory
# until it touches it: every object a page reads gets its reference count
# updated, so the memory pages holding the procedures it writes (and those the
# parent touches meanwhile) are copied.  Writers that each write a small share
# and exit keep those copies small, whatever the catalogue's size: one writer
# for half of 5,000 procedures copied nearly the whole model (~490 MB).
CHUNK = 250


class PageWriter:
    """Writes procedure pages from the shell; everything a forked worker needs
    (it inherits this object, so nothing is pickled)."""

    def __init__(self, pages: dict, site_dir: Path, directory_urls: bool, shells: dict[str, Shell],
                 cache, inputs: str):
        self.pages, self.site_dir, self.directory_urls = pages, site_dir, directory_urls
        self.shells, self.cache, self.inputs = shells, cache, inputs  # shell url → Shell
        self.later: dict[str, tuple[str, tuple | None]] = {}  # sotay serve: output file → (id, inputs or None: found then), written once live

    def write(self, ids: list[str]) -> None:
        cache = self.cache
        # (paths as strings, folders made only when missing: 6,000 pages at a time under sotay serve)
        site, live = os.fspath(self.site_dir), os.fspath(cache.live_site) if cache and cache.live_site else ""
        for pid in ids:
            page = self.pages[pid]
            url = urls.file_url(page.url, self.directory_urls)
            rel = urls.output_file(page.url, self.directory_urls)
            out = os.path.join(site, rel)
            if cache is None:
                write_file(out, self._page(page, url))
                continue
            # sotay serve: a page is rendered again only when what it is made of changed,
            # and an unchanged page of the site being served is linked, not written again.
            before = cache.pages.get(pid, (None,))[0]
            # Its file unchanged and no browser showing it: if it changed, written once the site is live (deferred.py).
            can_wait = before is not None and before[0] == page.procedure.version and not cache.seen.is_open(rel)
            if can_wait and not page.site.suggestions.known(page.procedure.id):
                # Its similar procedures not worked out yet (a summary changed): found there too.
                self.later[rel] = (pid, None)
                continue
            key = self._key(page)
            if before == key:
                cache.written[pid] = key
                if cache.live.get(pid) == key and link(os.path.join(live, rel), out):
                    continue
                html = cache.pages[pid][1]
            elif can_wait:
                self.later[rel] = (pid, key)
                continue
            else:
                html = self._page(page, url)
                cache.pages[pid] = (key, html)
                cache.written[pid] = key
            write_file(out, html)

    def _key(self, page) -> tuple:
        """What a procedure's page is made of (sotay serve): its file's version, its
        similar procedures, what every page shares, the registry entries it shows."""
        pid = page.procedure.id
        return (page.procedure.version, tuple(page.site.suggestions.get(pid, [])), self.inputs,
                seen_registries(page.site.handbook, pid))

    def write_later(self, rel: str) -> str:
        """A deferred page's text, recorded as written in the served site (deferred.Deferred)."""
        pid, key = self.later[rel]
        page = self.pages[pid]
        if key is None:
            key = self._key(page)
            before = self.cache.pages.get(pid, (None, None))
            if before[0] == key:  # its similar procedures did not change after all
                self.cache.live[pid] = key
                return before[1]
        html = self._page(page, urls.file_url(page.url, self.directory_urls))
        self.cache.pages[pid] = (key, html)
        self.cache.live[pid] = key
        return html

    def _page(self, page, url: str) -> str:
        def url_for(target: str) -> str:
            return get_relative_url(urls.file_url(target, self.directory_urls), url)

        body = page.render(url_for)
        return self.shells[urls.shell_for(page.url)].page(title=page.title, content=body, toc=get_toc(page.toc_tokens(body)),
                                                          edit_url=page.edit_url(), url=url)


def link(source: str | Path, target: str | Path) -> bool:
    """A hard link to an unchanged file (page or record; never written in place, so
    the two sites share it safely), its folder made if missing; False where
    links are not possible."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileNotFoundError:
        if os.path.isdir(os.path.dirname(target)):
            return False  # (the source is gone)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        return link(source, target)
    except OSError:
        return False
    return True


def write_file(path: str, text: str) -> None:
    """``text`` written to ``path`` as UTF-8, its folder made if missing."""
    try:
        f = open(path, "w", encoding="utf-8")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        f = open(path, "w", encoding="utf-8")
    with f:
        f.write(text)


def page_inputs(shells: dict[str, Shell], handbook, config) -> str:
    """What every procedure page is made of besides its own file, its
    suggestions and the registries as it reads them (inputs.seen_registries):
    every procedure's id, title and field, the shells, the settings and
    today's date (the "Cần rà soát" notice)."""
    digest = hashlib.sha256("".join(s.fingerprint for s in shells.values()).encode())
    digest.update(repr((today_in_vietnam(), handbook.day, config.repo_url, config.use_directory_urls, sorted(
        (p.id, p.title, p.field_id, p.path) for p in handbook.procedures.values()))).encode())
    return digest.hexdigest()


def write_procedure_pages(pages: list, handbook, config, *, parallel: bool, cache=None) -> None:
    """Every page written from a shell (procedures, their other versions) from
    the shells MkDocs rendered (then removed); in parallel (forked workers) for
    a one-off build on a machine with several cores.  ``cache``
    (build.BuildCache, sotay serve) keeps pages between rebuilds."""
    site_dir = Path(config.site_dir)
    toc_item = config.theme.get_env().get_template("partials/toc-item.html")
    shells = {}
    for url in sorted({urls.shell_for(p.url) for p in pages}):
        html = (site_dir / urls.output_file(url, config.use_directory_urls)).read_text(encoding="utf-8")
        shells[url] = Shell(html, toc_item, urls.file_url(url, config.use_directory_urls))
    if (site_dir / urls.SHELL_DIR).exists():
        shutil.rmtree(site_dir / urls.SHELL_DIR)
    writer = PageWriter({p.key: p for p in pages}, site_dir, config.use_directory_urls, shells, cache,
                        page_inputs(shells, handbook, config))
    ids = [p.key for p in pages]
    workers = min(os.cpu_count() or 1, 4) if parallel and len(ids) >= PARALLEL_FROM else 1
    if workers == 1:
        writer.write(ids)
        if cache is not None:
            cache.building.defer(writer.later, writer.write_later)
    else:
        _in_forked_workers(writer.write, [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)], workers)


def _in_forked_workers(work: Callable[[list], None], chunks: list[list], workers: int) -> None:
    """``work(chunk)`` for every chunk, ``workers`` at a time: this process
    takes chunks in turn with ``workers - 1`` forked children, each forked for
    one chunk and gone when it is written (see CHUNK)."""
    ctx = multiprocessing.get_context("fork")
    pending = list(reversed(chunks))
    running: dict = {}  # the receiving end of a child's pipe → the child
    failures = []

    def reap(ready) -> None:
        for receive in ready:
            child = running.pop(receive)
            try:
                failure = receive.recv()
            except EOFError:
                failure = RuntimeError(f"tiến trình ghi trang dừng bất thường (mã {child.exitcode})")
            receive.close()
            child.join()
            if failure is not None:
                failures.append(failure)

    try:
        while pending and not failures:
            while pending and len(running) < workers - 1:
                receive, send = ctx.Pipe(duplex=False)
                child = ctx.Process(target=_report, args=(work, pending.pop(), send), daemon=True)
                child.start()
                send.close()
                running[receive] = child
            if pending:
                work(pending.pop())
            reap(multiprocessing.connection.wait(list(running), timeout=0))
    finally:
        while running:
            reap(multiprocessing.connection.wait(list(running)))
    if failures:
        raise failures[0]


def _report(work: Callable[[list], None], chunk: list, send) -> None:
    """In a child: do the work and send back None or what went wrong."""
    try:
        work(chunk)
        send.send(None)
    except BaseException as exc:  # noqa: BLE001 — the parent re-raises it
        try:
            send.send(exc)
        except Exception:  # an exception that cannot be pickled
            send.send(RuntimeError(traceback.format_exc()))
    finally:
        send.close()


def sitemap_with_procedures(pages: list, config) -> None:
    """MkDocs listed the shells in sitemap.xml (when site_url is set): list
    the pages written from them in the first one's place."""
    site_dir = Path(config.site_dir)
    path = site_dir / "sitemap.xml"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    blocks = []  # (begin, end) of each shell's <url> entry
    for url in urls.SHELLS:
        start = text.find(urls.file_url(url, config.use_directory_urls) + "</loc>")
        if start >= 0:
            blocks.append((text.rfind("<url>", 0, start), text.find("</url>", start) + len("</url>")))
    if not blocks:
        return
    blocks.sort()
    begin, end = blocks[0]
    block = text[begin:end]
    shell_loc = block[block.find("<loc>") + 5: block.find("</loc>")]
    base = config.site_url.rstrip("/") + "/"
    entries = [block.replace(shell_loc, html_escape(base + urls.file_url(p.url, config.use_directory_urls))) for p in pages]
    for other_begin, other_end in reversed(blocks[1:]):  # the other shells' entries go
        text = text[:other_begin].rstrip(" ").rstrip("\n") + text[other_end:]
    text = text[:begin] + "\n    ".join(entries) + text[end:]
    path.write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def lean_search_index(data: dict, title_only: list, search_docs: list, directory_urls: bool) -> dict:
    """Material's search index, with each procedure as one entry made of the
    words that help find it (the same documents the CLI searches), and
    ``title_only`` pages by title.  Values are HTML-escaped: the theme shows
    them as HTML."""
    docs = list(data["docs"])  # hand-written and other generated pages, as Material indexed them
    for page in title_only:
        docs.append({"location": urls.file_url(page.url, directory_urls), "title": page.title, "text": page.search_text()})
    for d in search_docs:
        entry = {"location": urls.file_url(d.url, directory_urls), "title": html_escape(d.title),
                 "text": html_escape(d.summary), "keywords": html_escape(d.keywords), "body": html_escape(d.body)}
        if d.boost != 1.0:
            entry["boost"] = d.boost  # Material passes it to lunr as the document boost
        docs.append(entry)
    fields = {name: {"boost": boost} for name, boost in FIELD_WEIGHTS.items()}
    fields["text"] = fields.pop("summary")
    data["config"].update(separator=analysis.SEPARATOR, pipeline=[], fields={**data["config"]["fields"], **fields})
    data["docs"] = docs
    return data
