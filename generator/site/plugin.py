"""The MkDocs plugin: adds one page per procedure, per field and the catalogue.

Pages are generated in MkDocs' own events (like mkdocs-gen-files), so
``mkdocs build`` and ``mkdocs serve`` work directly.  Procedure pages are
rendered straight to HTML from the model with Jinja; their Markdown source is
empty, and the "edit this page" link opens the YAML file that made the page.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from html import escape
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from ..search import analysis
from ..content.handbook import DATA_DIR, PROCEDURES_DIR, Handbook, load_handbook
from ..editing.changes import history
from .render import (TEMPLATE_CACHE, CATALOGUE_URL, CHANGES_URL, LEGAL_INDEX_URL, QUIZ_KEY_FILE, TRAINING_URL, TRIAGE_URL, Renderer,
                     field_url, legal_url, procedure_url, toc_tokens, trainee_url, training_url)
from . import shell
from .shell import SHELL_URL
from ..content.sessions import SESSIONS_DIR
from ..search.index import FIELD_WEIGHTS, SearchDoc, search_documents, similar_procedures

# Theme files of ours that take precedence over Material's: the Vietnamese
# analyser for its search (lunr/min/lunr.vi.min.js).
THEME_DIR = Path(__file__).parent / "theme"
SUGGESTIONS = 3
GUIDE_STYLES = ["assets/stylesheets/sotay-guide.css", "assets/stylesheets/sotay-training.css"]
GUIDE_SCRIPTS = ["assets/javascripts/sotay/conditions.js", "assets/javascripts/sotay/duedate.js",
                 "assets/javascripts/sotay/guide.js", "assets/javascripts/sotay/quiz.js"]
# Pages found in search by their title only: lists, and training pages (whose
# text would otherwise put the answer key into the site-wide search index).
TITLE_ONLY = ("field", "catalogue", "legal", "legal-index", "changes", "training-index", "training", "training-trainee")

log = logging.getLogger("mkdocs.plugins.sotay")


class SotayConfig(Config):
    nav_title = c.Type(str, default="Thủ tục hành chính")
    # Where "edit this page" points for a procedure: repo_url + this + the YAML path.
    source_edit_uri = c.Type(str, default="edit/main/")


@dataclass
class GeneratedPage:
    kind: str  # "procedure", "field" or "catalogue"
    key: str
    title: str


GLOSSARY_SRC = "thuat-ngu.md"
SCHEMA_SRC = "bien-tap/luoc-do.md"


def _src_uri(url: str) -> str:
    return url + "index.md"


def _file_url(url: str, directory_urls: bool) -> str:
    """"thu-tuc/x/" as MkDocs writes that page: the same with directory URLs,
    "thu-tuc/x/index.html" without them (offline builds, opened from disk)."""
    if directory_urls or not (url == "" or url.endswith("/")):
        return url
    return url + "index.html"


# Procedure pages from one rendered shell (shell.py); False renders each
# through MkDocs like any page (the reference the shell is tested against).
SHELL_PAGES = True
PARALLEL_FROM = 200  # procedures; below that, forking costs more than it saves


class _PageJob:
    """What a worker needs to write procedure pages (inherited by fork)."""

    def __init__(self, plugin: "SotayPlugin", config, page_shell: shell.Shell):
        self.plugin, self.config, self.shell = plugin, config, page_shell

    def write(self, ids: list[str]) -> None:
        site = Path(self.config.site_dir)
        directory_urls = self.config.use_directory_urls
        cache = self.plugin.page_cache
        for pid in ids:
            proc = self.plugin.handbook.procedures[pid]
            url = _file_url(procedure_url(proc), directory_urls)
            key = self._cache_key(proc) if cache is not None else None
            if key is not None and cache.get(pid, (None,))[0] == key:
                html = cache[pid][1]
            else:
                html = self._page(proc, url)
                if key is not None:
                    cache[pid] = (key, html)
            out = site / (url + "index.html" if url.endswith("/") else url)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html, encoding="utf-8")


    def _page(self, proc, url: str) -> str:
        directory_urls = self.config.use_directory_urls
        edit_url = self.plugin._edit_url(proc, self.config)

        def url_for(target: str) -> str:
            return get_relative_url(_file_url(target, directory_urls), url)

        body = self.plugin._procedure_body(proc, url_for, edit_url, self.config)
        return self.shell.page(title=escape(proc.title), content=body, toc=get_toc(toc_tokens(body)),
                               edit_url=edit_url, url=url)

    def _cache_key(self, proc) -> tuple | None:
        """Everything a procedure page is made from: its file, its suggested
        procedures, and (in ``inputs``) the registries, every procedure's
        id, title and field, the shell, the settings and today's date (the
        "Cần rà soát" notice)."""
        try:
            stat = (Path(self.plugin.handbook.root) / proc.path).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, tuple(self.plugin.suggestions.get(proc.id, [])), self.inputs)

    @functools.cached_property
    def inputs(self) -> str:
        hb = self.plugin.handbook
        digest = hashlib.sha256(self.shell.fingerprint.encode())
        digest.update(repr((dt.date.today(), self.config.repo_url, self.config.use_directory_urls, sorted(
            (p.id, p.title, p.field_id, p.path) for p in hb.procedures.values()))).encode())
        for path in sorted((Path(hb.root) / DATA_DIR).glob("*.yml")):
            digest.update(path.read_bytes())
        return digest.hexdigest()


_JOB: _PageJob | None = None


def _write_chunk(ids: list[str]) -> None:
    _JOB.write(ids)


# build.py has already loaded and validated the handbook: it hands it over
# here instead of the plugin reading every file a second time.
# With it may come the page cache of ``sotay serve`` (see _PageJob).
_PRELOADED: dict[Path, tuple[Handbook, object]] = {}
_PAGE_CACHES: dict[Path, dict] = {}


def preload(root: Path, loaded: tuple[Handbook, object] | None, page_cache: dict | None) -> None:
    for store, value in ((_PRELOADED, loaded), (_PAGE_CACHES, page_cache)):
        if value is None:
            store.pop(root.resolve(), None)
        else:
            store[root.resolve()] = value


class SotayPlugin(BasePlugin[SotayConfig]):
    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.renderer: Renderer | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.groups: dict[str, list] = {}  # procedures by field, in display order
        self.search_docs: list[SearchDoc] = []
        self.suggestions: dict[str, list[str]] = {}
        self.procedure_pages: dict[str, GeneratedPage] = {}  # written from the shell (shell.py)
        self.page_cache: dict | None = None  # sotay serve: procedure id → (inputs, page)
        self.command = "build"

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        handbook, sink = _PRELOADED.pop(root, None) or load_handbook(root)
        self.page_cache = _PAGE_CACHES.pop(root, None)
        for w in sink.warnings:
            log.warning(w.format())
        if sink.errors:
            raise PluginError("Nội dung sổ tay có lỗi:\n" + "\n".join(e.format() for e in sink.errors))
        self.handbook, self.renderer = handbook, Renderer(handbook)
        config.theme.dirs.insert(0, str(THEME_DIR))
        # Guided checklists (progressive enhancement; files come from THEME_DIR).
        for script in GUIDE_SCRIPTS:
            if script not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(script)
        for sheet in GUIDE_STYLES:
            if sheet not in config.extra_css:
                config.extra_css.append(sheet)
        self.search_docs = search_documents(handbook)
        self.suggestions = similar_procedures(
            self.search_docs, SUGGESTIONS, {p.id: set(p.related) for p in handbook.procedures.values()})
        self.pages = {
            _src_uri(CATALOGUE_URL): GeneratedPage("catalogue", "", "Danh mục thủ tục"),
            GLOSSARY_SRC: GeneratedPage("glossary", "", "Thuật ngữ viết tắt"),
            SCHEMA_SRC: GeneratedPage("schema", "", "Lược đồ tệp thủ tục"),
        }
        if handbook.triage:
            self.pages[_src_uri(TRIAGE_URL)] = GeneratedPage("triage", "", "Công dân cần gì?")
        # One page per legal document (not in the navigation: reached from the index and procedures).
        self.pages[_src_uri(LEGAL_INDEX_URL)] = GeneratedPage("legal-index", "", "Văn bản pháp luật")
        for doc_id in handbook.legal:
            src = _src_uri(legal_url(doc_id))
            if src in self.pages:
                raise PluginError(f"hai văn bản có cùng đường dẫn trang {legal_url(doc_id)}: {self.pages[src].key} và {doc_id}")
            self.pages[src] = GeneratedPage("legal", doc_id, escape(doc_id))
        self.pages[_src_uri(CHANGES_URL)] = GeneratedPage("changes", "", "Có gì mới")
        self.pages[_src_uri(TRAINING_URL)] = GeneratedPage("training-index", "", "Đào tạo")
        training_nav: list = [_src_uri(TRAINING_URL)]
        for session in handbook.sessions.values():
            title = escape(session.title)
            self.pages[_src_uri(training_url(session.id))] = GeneratedPage("training", session.id, title)
            self.pages[_src_uri(trainee_url(session.id))] = GeneratedPage("training-trainee", session.id, f"{title} — bản học viên")
            training_nav.append({title: _src_uri(training_url(session.id))})
        section: list = [{"Danh mục thủ tục": _src_uri(CATALOGUE_URL)}]
        # MkDocs treats page and nav titles as HTML (and Material prints
        # page.meta.title unescaped), so content titles are escaped here.
        self.groups = handbook.by_field()
        self.procedure_pages = {}
        if SHELL_PAGES:
            self.pages[_src_uri(SHELL_URL)] = GeneratedPage("shell", "", shell.TITLE)
        for field_id, procedures in self.groups.items():
            name = escape(handbook.fields[field_id].name)
            self.pages[_src_uri(field_url(field_id))] = GeneratedPage("field", field_id, name)
            # Procedures are reached from their field's page, the catalogue and
            # search, not the navigation: every page carries the navigation, so
            # listing thousands of procedures there makes the site quadratic.
            for p in procedures:
                self.procedure_pages[_src_uri(procedure_url(p))] = GeneratedPage("procedure", p.id, escape(p.title))
            section.append({name: _src_uri(field_url(field_id))})
        if config.nav is not None:
            config.nav = [item for item in config.nav if not (isinstance(item, dict) and self.config.nav_title in item)]
            config.nav.append({self.config.nav_title: section})
            config.nav.append({"Đào tạo": training_nav})
            config.nav.append({"Văn bản pháp luật": _src_uri(LEGAL_INDEX_URL)})
            config.nav.append({"Có gì mới": _src_uri(CHANGES_URL)})
            if handbook.triage:  # right after the home page: where a desk officer starts
                triage = {"Công dân cần gì?": _src_uri(TRIAGE_URL)}
                config.nav = [item for item in config.nav if item != triage]
                config.nav.insert(1 if config.nav else 0, triage)
        return config

    def on_startup(self, command, dirty):
        self.command = command

    def on_env(self, env, config, files):
        env.bytecode_cache = TEMPLATE_CACHE
        return env

    def on_files(self, files: Files, config) -> Files:
        # Session plans are content, not pages: keep the YAML out of the site.
        for file in [f for f in files if f.src_uri.startswith(SESSIONS_DIR.removeprefix("handbook/") + "/") and f.src_uri.endswith(".yml")]:
            files.remove(file)
        for src_uri in self.pages if SHELL_PAGES else {**self.pages, **self.procedure_pages}:
            files.append(File.generated(config, src_uri, content=""))
        for session_id in self.handbook.sessions:
            files.append(File.generated(config, trainee_url(session_id) + QUIZ_KEY_FILE,
                                        content=self.renderer.quiz_key(session_id)))
        return files

    def _generated(self, page) -> GeneratedPage | None:
        return self.pages.get(page.file.src_uri) or self.procedure_pages.get(page.file.src_uri)

    def _edit_url(self, proc, config) -> str | None:
        if not config.repo_url:
            return None
        return config.repo_url.rstrip("/") + "/" + self.config.source_edit_uri.strip("/") + "/" + proc.path

    def on_page_markdown(self, markdown, page, config, files):
        generated = self._generated(page)
        if generated is None:
            return markdown
        page.meta["title"] = generated.title
        if generated.kind in ("procedure", "shell") or generated.kind in TITLE_ONLY:
            # Not parsed by Material's search plugin: _lean_index writes these entries.
            page.meta["search"] = {"exclude": True}
        if generated.kind == "procedure":
            page.edit_url = self._edit_url(self.handbook.procedures[generated.key], config)
        elif generated.kind == "shell":
            page.edit_url = shell.EDIT if config.repo_url else None
        else:
            page.edit_url = None
        return ""

    def on_page_content(self, html, page, config, files):
        generated = self._generated(page)
        if generated is None:
            return html
        if generated.kind == "shell":
            page.toc = get_toc([{"level": 2, "id": shell.TOC_ID, "name": shell.TOC_NAME, "children": []}])
            return shell.CONTENT

        def url_for(target: str) -> str:
            return get_relative_url(_file_url(target, config.use_directory_urls), page.url)

        if generated.kind == "procedure":
            html = self._procedure_body(self.handbook.procedures[generated.key], url_for, page.edit_url, config)
        elif generated.kind == "field":
            html = self.renderer.render_field(generated.key, self.groups[generated.key], url_for)
        elif generated.kind == "schema":
            html = self.renderer.render_schema()
        elif generated.kind == "changes":
            html = self.renderer.render_changes(history(self.handbook.root), url_for)
        elif generated.kind == "legal":
            html = self.renderer.render_legal(generated.key, url_for)
        elif generated.kind == "legal-index":
            html = self.renderer.render_legal_index(url_for)
        elif generated.kind == "triage":
            html = self.renderer.render_triage(url_for)
        elif generated.kind == "training-index":
            html = self.renderer.render_training_index(url_for)
        elif generated.kind in ("training", "training-trainee"):
            html = self.renderer.render_training(generated.key, generated.kind == "training", url_for)
        elif generated.kind == "glossary":
            html = self.renderer.render_glossary()
        else:
            html = self.renderer.render_catalogue(url_for)
        # Legal pages (many, short) and the training section's index page (the
        # section's link in the navigation, where Material has no TOC toggle) get no table of contents.
        page.toc = get_toc([] if generated.kind in ("legal", "training-index") else toc_tokens(html))
        return html

    def _procedure_body(self, proc, url_for, edit_url, config) -> str:
        return self.renderer.render_procedure(proc, url_for, self.suggestions.get(proc.id, []),
                                              edit_url=edit_url, report_url=self._report_url(proc, config))

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config):
        if SHELL_PAGES:
            self._write_procedure_pages(config)
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(self._lean_index(data, config.use_directory_urls), ensure_ascii=False,
                                       separators=(",", ":")), encoding="utf-8")

    def _write_procedure_pages(self, config) -> None:
        """Every procedure page from the shell MkDocs rendered; in parallel
        (forked workers) for a one-off build on a machine with several cores."""
        site = Path(config.site_dir)
        shell_file = site / _file_url(SHELL_URL, config.use_directory_urls)
        if not shell_file.name.endswith(".html"):
            shell_file = shell_file / "index.html"
        env = config.theme.get_env()
        job = _PageJob(self, config, shell.Shell(shell_file.read_text(encoding="utf-8"),
                                                 env.get_template("partials/toc-item.html"),
                                                 _file_url(SHELL_URL, config.use_directory_urls)))
        shutil.rmtree(site / SHELL_URL.split("/")[0] / SHELL_URL.split("/")[1])
        self._sitemap_with_procedures(site, config)
        ids = [g.key for g in self.procedure_pages.values()]
        workers = min(os.cpu_count() or 1, 4) if self.command == "build" and len(ids) >= PARALLEL_FROM else 1
        if workers == 1:
            job.write(ids)
            return
        global _JOB
        _JOB = job
        chunks = [ids[i::workers] for i in range(workers)]
        try:
            # This process writes a share too: one fewer forked copy of the model in memory.
            with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
                others = pool.map_async(_write_chunk, chunks[1:])
                job.write(chunks[0])
                others.get()
        finally:
            _JOB = None

    def _sitemap_with_procedures(self, site: Path, config) -> None:
        """MkDocs listed the shell in sitemap.xml (when site_url is set): list
        the procedure pages in its place."""
        path = site / "sitemap.xml"
        if not path.exists():
            return
        text = path.read_text(encoding="utf-8")
        start = text.find(_file_url(SHELL_URL, config.use_directory_urls) + "</loc>")
        if start < 0:
            return
        begin, end = text.rfind("<url>", 0, start), text.find("</url>", start) + len("</url>")
        block = text[begin:end]
        shell_loc = block[block.find("<loc>") + 5: block.find("</loc>")]
        entries = [block.replace(shell_loc, escape(config.site_url.rstrip("/") + "/" + _file_url(procedure_url(p), config.use_directory_urls)))
                   for p in self.handbook.procedures.values()]
        text = text[:begin] + "\n    ".join(entries) + text[end:]
        path.write_text(text, encoding="utf-8")
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))

    def _lean_index(self, data: dict, directory_urls: bool = True) -> dict:
        """Material's search index, with each procedure as one entry made of
        the words that help find it (the same documents the CLI searches),
        and navigation pages by title only.  Values are HTML-escaped: the
        theme shows them as HTML."""
        def url(src: str) -> str:
            return _file_url(src[: -len("index.md")], directory_urls)

        docs = list(data["docs"])  # hand-written and other generated pages, as Material indexed them
        for src, g in self.pages.items():
            if g.kind in TITLE_ONLY:
                # A legal document is found by its number and name, e.g. "60/2014/QH13" or "Luật Hộ tịch".
                text = escape(self.handbook.legal[g.key].title) if g.kind == "legal" else ""
                docs.append({"location": url(src), "title": g.title, "text": text})
        for d in self.search_docs:
            entry = {"location": _file_url(d.url, directory_urls), "title": escape(d.title), "text": escape(d.summary),
                     "keywords": escape(d.keywords), "body": escape(d.body)}
            if d.boost != 1.0:
                entry["boost"] = d.boost  # Material passes it to lunr as the document boost
            docs.append(entry)
        fields = {name: {"boost": boost} for name, boost in FIELD_WEIGHTS.items()}
        fields["text"] = fields.pop("summary")
        data["config"].update(separator=analysis.SEPARATOR, pipeline=[], fields={**data["config"]["fields"], **fields})
        data["docs"] = docs
        return data

    def _report_url(self, proc, config) -> str | None:
        """A new issue in the repository, from the "báo lỗi nội dung" form,
        naming the procedure (GitHub issue forms take field values from the URL)."""
        if not config.repo_url or "github.com" not in config.repo_url:
            return None
        query = urlencode({"template": "bao-loi-noi-dung.yml", "title": f"[Lỗi nội dung] {proc.title}",
                           "thu_tuc": f"{proc.title} ({proc.path})"})
        return f"{config.repo_url.rstrip('/')}/issues/new?{query}"

    def on_serve(self, server, config, builder):
        root = Path(config.config_file_path).resolve().parent
        server.watch(str(root / PROCEDURES_DIR))
        server.watch(str(root / DATA_DIR))
        return server
