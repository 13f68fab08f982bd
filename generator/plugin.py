"""The MkDocs plugin: adds one page per procedure, per field and the catalogue.

Pages are generated in MkDocs' own events (like mkdocs-gen-files), so
``mkdocs build`` and ``mkdocs serve`` work directly.  Procedure pages are
rendered straight to HTML from the model with Jinja; their Markdown source is
empty, and the "edit this page" link opens the YAML file that made the page.
"""

from __future__ import annotations

import json
import logging
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

from . import analysis
from .handbook import DATA_DIR, PROCEDURES_DIR, Handbook, load_handbook
from .changes import history
from .render import (CATALOGUE_URL, CHANGES_URL, LEGAL_INDEX_URL, QUIZ_KEY_FILE, TRAINING_URL, TRIAGE_URL, Renderer,
                     field_url, legal_url, procedure_url, toc_tokens, trainee_url, training_url)
from .training import SESSIONS_DIR
from .search import FIELD_WEIGHTS, SearchDoc, SearchIndex, search_documents

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


class SotayPlugin(BasePlugin[SotayConfig]):
    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.renderer: Renderer | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.groups: dict[str, list] = {}  # procedures by field, in display order
        self.search_docs: list[SearchDoc] = []
        self.suggestions: dict[str, list[str]] = {}

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        handbook, sink = load_handbook(root)
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
        self.suggestions = self._suggest(root)
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
        for field_id, procedures in self.groups.items():
            name = escape(handbook.fields[field_id].name)
            self.pages[_src_uri(field_url(field_id))] = GeneratedPage("field", field_id, name)
            entries: list = [_src_uri(field_url(field_id))]
            for p in procedures:
                title = escape(p.title)
                self.pages[_src_uri(procedure_url(p))] = GeneratedPage("procedure", p.id, title)
                entries.append({title: _src_uri(procedure_url(p))})
            section.append({name: entries})
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

    def _suggest(self, root: Path) -> dict[str, list[str]]:
        """Similar procedures for each page, besides the ones editors listed."""
        index = SearchIndex.open(root, self.search_docs)
        try:
            return {
                d.id: [s.id for s in index.more_like(d, SUGGESTIONS, exclude=set(self.handbook.procedures[d.id].related))]
                for d in self.search_docs
            }
        finally:
            index.close()

    def on_files(self, files: Files, config) -> Files:
        # Session plans are content, not pages: keep the YAML out of the site.
        for file in [f for f in files if f.src_uri.startswith(SESSIONS_DIR.removeprefix("handbook/") + "/") and f.src_uri.endswith(".yml")]:
            files.remove(file)
        for src_uri in self.pages:
            files.append(File.generated(config, src_uri, content=""))
        for session_id in self.handbook.sessions:
            files.append(File.generated(config, trainee_url(session_id) + QUIZ_KEY_FILE,
                                        content=self.renderer.quiz_key(session_id)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return markdown
        page.meta["title"] = generated.title
        if generated.kind == "procedure":
            proc = self.handbook.procedures[generated.key]
            page.edit_url = (
                config.repo_url.rstrip("/") + "/" + self.config.source_edit_uri.strip("/") + "/" + proc.path
                if config.repo_url
                else None
            )
        else:
            page.edit_url = None
        return ""

    def on_page_content(self, html, page, config, files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html

        def url_for(target: str) -> str:
            return get_relative_url(_file_url(target, config.use_directory_urls), page.url)

        if generated.kind == "procedure":
            proc = self.handbook.procedures[generated.key]
            html = self.renderer.render_procedure(
                proc, url_for, self.suggestions.get(generated.key, []),
                edit_url=page.edit_url, report_url=self._report_url(proc, config),
            )
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
        # Pages outside the navigation get no table of contents: Material's TOC
        # label points at a toggle that only pages in the navigation have.
        page.toc = get_toc([] if generated.kind == "legal" else toc_tokens(html))
        return html

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config):
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(self._lean_index(data, config.use_directory_urls), ensure_ascii=False,
                                       separators=(",", ":")), encoding="utf-8")

    def _lean_index(self, data: dict, directory_urls: bool = True) -> dict:
        """Material's search index, with each procedure as one entry made of
        the words that help find it (the same documents the CLI searches),
        and navigation pages by title only.  Values are HTML-escaped: the
        theme shows them as HTML."""
        def url(src: str) -> str:
            return _file_url(src[: -len("index.md")], directory_urls)

        kinds = {url(src): g.kind for src, g in self.pages.items() if src.endswith("index.md")}
        legal_by_url = {url(src): g.key for src, g in self.pages.items() if g.kind == "legal"}
        docs = []
        for doc in data["docs"]:
            page, _, anchor = doc["location"].partition("#")
            kind = kinds.get(page)
            title_only = TITLE_ONLY
            if kind == "procedure" or (kind in title_only and anchor):
                continue
            if kind == "legal":  # found by its number and name, e.g. "60/2014/QH13" or "Luật Hộ tịch"
                doc = {**doc, "text": escape(self.handbook.legal[legal_by_url[page]].title)}
            elif kind in title_only:
                doc = {**doc, "text": ""}
            docs.append(doc)
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
