"""The MkDocs plugin: MkDocs events only.

Pages are generated in MkDocs' own events (like mkdocs-gen-files), so
``mkdocs build`` and ``mkdocs serve`` work directly.  What the pages are is in
pages.py (one class per kind), where they live in ../urls.py, how procedure
pages are written from one rendered shell in shell.py.

The handbook reaches the plugin one way on every entry point: ``load`` reads
it with this plugin's options.  ``sotay build`` and ``sotay serve``
(build.py) call it after loading mkdocs.yml and before building, so a content
error stops the build before anything is written; plain ``mkdocs build``
gets it from ``on_config``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .. import urls
from ..content import placeholders, provinces
from ..content.catalogue import PORTAL_SEARCH
from ..content.edition import Edition
from ..content.errors import ErrorSink
from ..content.edition import today_in_vietnam
from ..content.handbook import DATA_DIR, PROCEDURES_DIR, Handbook, load_handbook
from ..content.versions import change_dates, out_of_date
from ..content.sessions import SESSIONS_DIR
from ..editing.changes import history
from ..search.index import SimilarProcedures, registry_documents, search_documents
from . import opendata, pages, shell
from .feedback import feedback_address
from .render import MemoryBytecodeCache, Renderer
from .reuse import Reuse
from .themefiles import use_listed_loader

# Theme files of ours that take precedence over Material's: the Vietnamese
# analyser for its search (lunr/min/lunr.vi.min.js), main.html (our scripts:
# sotay/site.js on every page, a page kind's own scripts on its pages), styles.
THEME_DIR = Path(__file__).parent / "theme"
SUGGESTIONS = 3
GUIDE_STYLES = ["assets/stylesheets/sotay-guide.css", "assets/stylesheets/sotay-training.css",
                "assets/stylesheets/sotay-site.css"]
# Procedure pages from one rendered shell (shell.py); False renders each
# through MkDocs like any page (the reference the shell is tested against).
SHELL_PAGES = True

log = logging.getLogger("mkdocs.plugins.sotay")


class SotayConfig(Config):
    nav_title = c.Type(str, default="Thủ tục hành chính")
    # Where "edit this page" points for a procedure: repo_url + this + the YAML path.
    source_edit_uri = c.Type(str, default="edit/main/")
    # "Góp ý về trang này": the address feedback is e-mailed to; empty: copy only (feedback.py).
    feedback_email = c.Optional(c.Type(str))
    # The day the handbook is built for (YYYY-MM-DD); empty: today in Vietnam.
    # `sotay build/serve/export --ngay` overrides it.
    ngay = c.Optional(c.Type((str, dt.date)))
    # The edition built by default: a province overlay's id (handbook/tinh/<id>/), or
    # empty / "toan-quoc" for the national edition; `sotay build --tinh` overrides it.
    tinh = c.Optional(c.Type(str))


class SotayPlugin(BasePlugin[SotayConfig]):
    def __init__(self) -> None:
        # MkDocs keeps one instance of a plugin with on_startup for the whole
        # process (every build of `mkdocs serve`, every build_site), so what
        # belongs to one build is handed over for the next build only.
        self.handoff: tuple[tuple[Handbook, ErrorSink], object | None] | None = None
        self.command = "build"
        self.site: pages.Site | None = None
        self.pages: dict[str, pages.Page] = {}  # src_uri → page, MkDocs' and the shell writer's
        self.shell_pages = SHELL_PAGES
        self.page_cache = None  # sotay serve: build.BuildCache, what the procedure pages reuse
        self.template_cache = MemoryBytecodeCache()  # compiled templates, ours and the theme's
        self.reuse: Reuse | None = None  # sotay serve: this build's unchanged pages (reuse.py)
        self.doc_files: list[File] = []  # this build's Markdown pages, in the order MkDocs builds them

    def load(self, root: Path, cache=None, edition: Edition | None = None) -> tuple[Handbook, ErrorSink]:
        """Load the handbook under ``root`` for the next build.  ``cache``
        (build.BuildCache, from sotay serve) keeps unchanged procedure files,
        pages and compiled templates from the previous build.  ``edition``
        (a command's --ngay and --tinh): what to build; None: this plugin's options."""
        edition = edition if edition is not None else self.edition()
        loaded = load_handbook(root, cache=cache.procedures if cache else None, edition=edition)
        self.handoff = (loaded, cache)
        return loaded

    def edition(self) -> Edition:
        """The edition mkdocs.yml's options ask for (``ngay``, ``tinh``): plain
        ``mkdocs build``, or a command given neither --ngay nor --tinh."""
        day = self.config.ngay
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day.strip())
            except ValueError:
                raise PluginError(f"mkdocs.yml, plugins → sotay: ngay '{day}' không đúng dạng YYYY-MM-DD "
                                  "(ví dụ: ngay: 2027-03-01).") from None
        return Edition(on=day, province=provinces.province_id(self.config.tinh))

    def on_startup(self, command, dirty):
        self.command = command

    def on_config(self, config):
        # The handbook and what is derived from it; every page is rendered from this.
        root = Path(config.config_file_path).resolve().parent
        if self.handoff is None:  # plain `mkdocs build` or `mkdocs serve`
            self.load(root)
        ((handbook, sink), cache), self.handoff = self.handoff, None
        self.page_cache = cache
        self.template_cache = cache.templates if cache else MemoryBytecodeCache()
        for w in sink.warnings:
            log.warning(w.format())
        stale = out_of_date(handbook, today_in_vietnam())
        if stale:
            log.warning(stale)
        for n in sink.notes:  # not a problem of the content: `mkdocs build --strict` must not fail on it
            log.info(n.format())
        if sink.errors:
            raise PluginError("Nội dung sổ tay có lỗi:\n" + "\n".join(e.format() for e in sink.errors))
        try:
            feedback = feedback_address(self.config.feedback_email)
        except ValueError as err:
            raise PluginError(f"mkdocs.yml, plugins → sotay: {err}.") from None
        config.extra["sotay_feedback"] = {"email": feedback, "edition": today_in_vietnam().strftime("%d/%m/%Y")}
        # The day the pages describe and the changes after it (sotay/edition.js warns once one is reached).
        config.extra["sotay_edition"] = {"day": handbook.day.isoformat(),
                                         "changes": [d.isoformat() for d in change_dates(handbook)]}
        config.extra["sotay_portal_search"] = PORTAL_SEARCH  # where the search box points when nothing matches
        config.extra["sotay_edition_label"] = provinces.edition_label(handbook.province)  # in every page's footer
        if not config.repo_url:
            # No repository configured: no "edit this page" links (MkDocs would make
            # them relative to the site from edit_uri alone).
            config.edit_uri = config.edit_uri_template = None
        search_docs = search_documents(handbook)
        suggestions = self._suggestions(search_docs, handbook, cache)
        # Registry-only entries are searched too, but never suggested as similar procedures.
        search_docs = search_docs + registry_documents(handbook)
        self.site = pages.Site(handbook, Renderer(handbook, self.template_cache, cache.memo if cache else None), suggestions, search_docs, history(handbook.root),
                               config.repo_url, self.config.source_edit_uri)
        self.shell_pages = SHELL_PAGES
        self.pages = {p.src_uri: p for p in pages.site_pages(self.site, with_shell=self.shell_pages)}
        config.theme.dirs.insert(0, str(THEME_DIR))
        use_listed_loader(config.theme)  # MkDocs lists its files on every build: not Material's hidden icons
        for sheet in GUIDE_STYLES:
            if sheet not in config.extra_css:
                config.extra_css.append(sheet)
        if config.nav is not None:
            config.nav = pages.navigation(config.nav, list(self.pages.values()), self.config.nav_title)
        return config

    @staticmethod
    def _suggestions(search_docs: list, handbook: Handbook, cache) -> SimilarProcedures:
        """"Similar procedures" for every procedure (each list worked out when
        first asked for); sotay serve reuses the last ones while the texts they
        are computed from are unchanged (an edit of a procedure's steps or
        dossier leaves them as they were)."""
        exclude = {p.id: set(p.related) for p in handbook.procedures.values()}
        key = (SUGGESTIONS, [(d.id, d.title, d.keywords, d.summary, d.boost) for d in search_docs],
               sorted((pid, sorted(ids)) for pid, ids in exclude.items()))
        if cache is not None and cache.suggestions and cache.suggestions[0] == key:
            return cache.suggestions[1]
        # (a summary edited: the last lists' postings serve again but for that summary)
        suggestions = SimilarProcedures(search_docs, SUGGESTIONS, exclude,
                                        previous=cache.suggestions[1] if cache is not None and cache.suggestions else None)
        if cache is not None:
            cache.suggestions = (key, suggestions)
        return suggestions

    def on_env(self, env, config, files):
        env.bytecode_cache = self.template_cache
        self.doc_files = files.documentation_pages()
        if self.reuse is not None:  # every page is read by now: a hand-written one unchanged is not rendered again
            for file in self.doc_files:
                if file.src_uri not in self.pages:
                    self.reuse.consider_written(file)
        return env

    def on_files(self, files: Files, config) -> Files:
        # Session plans are content, not pages: keep the YAML out of the site.
        sessions = SESSIONS_DIR.removeprefix("handbook/") + "/"
        for file in [f for f in files if f.src_uri.startswith(sessions) and f.src_uri.endswith(".yml")]:
            files.remove(file)
        # Province overlays are content too: every edition is built from them, none publishes them.
        overlays = provinces.PROVINCES_DIR.removeprefix("handbook/") + "/"
        for file in [f for f in files if f.src_uri.startswith(overlays) and f.src_uri.endswith(".yml")]:
            files.remove(file)
        # Procedure pages are written from the shell after the build (on_post_build).
        # sotay serve: a page whose output cannot have changed is linked, not rendered (reuse.py).
        self.reuse = Reuse(self.page_cache, config, files) if self.page_cache is not None and not config.strict else None
        for src_uri, page in self.pages.items():
            if not (self.shell_pages and page.from_shell):
                file = File.generated(config, src_uri, content="")
                files.append(file)
                if self.reuse is not None:
                    self.reuse.consider(file, page)
        for session_id in self.site.handbook.sessions:
            files.append(File.generated(config, urls.quiz_key(session_id), content=self.site.renderer.quiz_key(session_id)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:  # a hand-written page: its placeholders in the edition's words
            return placeholders.fill_page(markdown, self.site.handbook.placeholders)
        page.meta["title"] = generated.title
        if generated.search != pages.SEARCH_FULL:
            # Not parsed by Material's search plugin: on_post_build writes these entries.
            page.meta["search"] = {"exclude": True}
        page.edit_url = generated.edit_url()
        if generated.scripts:  # loaded by theme/main.html on this page only
            page.meta["sotay_scripts"] = list(generated.scripts)
        return ""

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html

        def url_for(target: str) -> str:
            return get_relative_url(urls.file_url(target, config.use_directory_urls), page.url)

        html = self.reuse.body(page.file.src_uri) if self.reuse is not None else None
        if html is None:
            html = generated.render(url_for)
        page.toc = get_toc(generated.toc_tokens(html))
        return html

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config):
        # The pages MkDocs never saw (procedures and their other versions), and the two files that list them.
        if self.shell_pages:
            written = [p for p in self.pages.values() if p.from_shell]
            shell.write_procedure_pages(written, self.site.handbook, config, parallel=self.command == "build",
                                        cache=self.page_cache)
            shell.sitemap_with_procedures(written, config)
        if self.reuse is not None:
            self.reuse.link_unchanged(Path(config.site_dir))
        # Open data (opendata.py): every procedure and the catalogue as files, with each build.
        opendata.write_open_data(self.site.handbook, Path(config.site_dir), config.site_url or "/",
                                 cache=self.page_cache)
        path = Path(config.site_dir) / "search" / "search_index.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if self.reuse is not None:  # the entries of pages not rendered again
            docs = self.reuse.search_entries(data["docs"] if data else [], self.doc_files)
            if data:
                data["docs"] = docs
        if data:
            title_only = [p for p in self.pages.values() if p.search == pages.SEARCH_TITLE]
            data = shell.lean_search_index(data, title_only, self.site.search_docs, config.use_directory_urls)
            path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def on_serve(self, server, config, builder):
        root = Path(config.config_file_path).resolve().parent
        server.watch(str(root / PROCEDURES_DIR))
        server.watch(str(root / DATA_DIR))
        return server
