"""sotay serve: pages MkDocs need not render again.

Every rebuild goes through MkDocs into a fresh folder (build.py), and MkDocs
renders each page through Material's template: the navigation, header and
footer of ~150 lists, legal documents and training pages, whatever was
edited.  A generated page's output is fixed by its body (our render), its
title, edit link and scripts, and what every page shares: the navigation,
the configuration, the hand-written pages (their titles can reach the
navigation) and the day.  When all of these are as they were for the page
being served, MkDocs is told the page is unchanged (its ``dirty`` build
skips it) and the served file is linked into the new site instead.

A hand-written page is decided once MkDocs has read it (its Markdown made
HTML: placeholders filled, links resolved), from that HTML, its table of
contents and front matter; only the template's work is skipped.

Material's search indexes the pages it renders (``pages.SEARCH_FULL`` and the
hand-written ones): a skipped page's entries are those it gave the last
build, put back in its place (``search_entries``).  The serve-equals-build
tests compare every file with a fresh build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from mkdocs.utils import get_relative_url

from .. import urls
from ..content.edition import today_in_vietnam
from . import pages
from .shell import link


def shared_fingerprint(config, files) -> str:
    """What every generated page's output depends on besides its own parts."""
    digest = hashlib.sha256(json.dumps(
        [config.nav, dict(config.extra), list(config.extra_css), [str(j) for j in config.extra_javascript],
         config.site_name, config.site_url, config.repo_url, config.edit_uri, config.use_directory_urls,
         config.copyright, str(today_in_vietnam())],
        default=str, sort_keys=True, ensure_ascii=False).encode())
    digest.update(Path(config.config_file_path).read_bytes())
    for f in sorted((f for f in files if f.is_documentation_page() and not f.generated_by), key=lambda f: f.src_uri):
        digest.update(f.src_uri.encode())
        digest.update(Path(f.abs_src_path).read_bytes())
    return digest.hexdigest()


class Reuse:
    """One rebuild's decisions: which generated pages are rendered (their
    bodies rendered once, here) and which are linked from the served site."""

    def __init__(self, cache, config, files) -> None:
        self.cache, self.config = cache, config
        self.shared = shared_fingerprint(config, files)
        self.bodies: dict[str, str] = {}  # src_uri → body, for on_page_content
        self.linked: list[str] = []  # output files (site-relative) taken from the served site
        self.skipped: set[str] = set()  # skipped pages Material's search indexes (src_uri)

    def consider(self, file, page: pages.Page) -> None:
        """Render ``page``'s body; if its output cannot differ from the served
        one, mark ``file`` unchanged for MkDocs and remember to link it."""
        directory_urls = self.config.use_directory_urls
        # What the body is made of when the page can say it cheaply (pages.Page.inputs), else the body itself.
        made_of = page.inputs()
        if made_of is None:
            url = urls.file_url(page.url, directory_urls)
            made_of = self.bodies[file.src_uri] = page.render(
                lambda target: get_relative_url(urls.file_url(target, directory_urls), url))
        self._decide(file, [self.shared, file.src_uri, str(page.title), page.edit_url(), list(page.scripts), made_of],
                     urls.output_file(page.url, directory_urls), page.search == pages.SEARCH_FULL)

    def consider_written(self, file) -> None:
        """A hand-written page MkDocs has read (``file.page``: its HTML and
        table of contents): the template's work is skipped if they are as last time."""
        page = file.page
        self._decide(file, [self.shared, file.src_uri, page.url, str(page.title), page.edit_url, page.meta,
                            page.content, _toc(page.toc)], file.dest_uri, indexed=True)

    def _decide(self, file, made_of: list, rel: str, indexed: bool) -> None:
        """``made_of``: everything the page's output is made of; ``indexed``:
        Material's search indexes it (its entries are put back if it is skipped)."""
        key = hashlib.sha256(json.dumps(made_of, ensure_ascii=False, default=str).encode()).hexdigest()
        self.cache.written[("page", file.src_uri)] = key
        live = self.cache.live_site
        if (self.cache.live.get(("page", file.src_uri)) == key and live is not None and (live / rel).is_file()
                and (not indexed or ("search", file.src_uri) in self.cache.live)):
            file.is_modified = lambda: False  # MkDocs' dirty build skips it
            self.linked.append(rel)
            if indexed:
                self.skipped.add(file.src_uri)

    def body(self, src_uri: str) -> str | None:
        return self.bodies.pop(src_uri, None)

    def search_entries(self, docs: list[dict], doc_files) -> list[dict]:
        """Material's search entries (``docs``, from the pages it rendered),
        with those of the skipped pages back in their place: every page's in
        the order MkDocs builds ``doc_files``.  Each page's entries are kept
        for the next rebuild."""
        fresh: dict[str, list[dict]] = {}
        for entry in docs:  # a page's entries are at its url, or an anchor in it
            fresh.setdefault(entry["location"].partition("#")[0], []).append(entry)
        result = []
        for file in doc_files:
            if file.src_uri in self.skipped:
                entries = self.cache.live[("search", file.src_uri)]
            else:
                entries = fresh.pop(file.page.url, [])
            self.cache.written[("search", file.src_uri)] = entries
            result.extend(entries)
        return result + [e for entries in fresh.values() for e in entries]  # (none expected)

    def link_unchanged(self, site_dir: Path) -> None:
        """Put the served copy of every skipped page into the new site."""
        for rel in self.linked:
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not link(self.cache.live_site / rel, target):
                shutil.copyfile(self.cache.live_site / rel, target)


def _toc(items) -> list:
    """A table of contents as plain values (what the template shows of it)."""
    return [[item.level, item.url, item.title, _toc(item.children)] for item in items]
