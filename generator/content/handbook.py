"""Load the whole handbook: registries and procedures, validated and cross-checked.

This is the one entry point the CLI, the MkDocs plugin, search and guides use
to get the model.  It never raises on bad content: errors go into the sink.
The checks across files it runs once everything is read are in ``checks.py``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import re
import signal
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode

from . import checks, model, placeholders, provinces, versions
from .catalogue import CATALOGUE_FILE, check_catalogue, load_catalogue
from .edition import Edition, today_in_vietnam
from .errors import ErrorSink
from .markdown import check_pages, is_page
from ..textutil import fold, vi_sort_key
from .sessions import check_training, load_sessions
from .files import content_files, display_path, located
from .ids import check_registry_keys
from .located import Context, Reference, location
from .validate import convert
from .yamlsource import compose, decode_text, read_text

PROCEDURES_DIR = "procedures"
DOCS_DIR = "handbook"  # MkDocs' docs_dir: every file in it is published
FORMS_DIR = "mau/"  # downloadable forms, inside DOCS_DIR
DATA_DIR = "handbook/data"
REGISTRY_FILES = {
    "fields": ("linh-vuc.yml", model.FieldInfo),
    "legal": ("van-ban.yml", model.LegalDocument),
    "glossary": ("thuat-ngu.yml", model.GlossaryEntry),
    "local_fees": ("muc-thu-dia-phuong.yml", model.LocalFeeKind),
}
OLD_LOCAL_FILE = "dia-phuong.yml"  # before provincial editions: now handbook/tinh/<id>/tinh.yml
SYNONYMS_FILE = "tu-dong-nghia.yml"
TRIAGE_FILE = "cong-dan-can-gi.yml"
HOLIDAYS_FILE = "ngay-nghi.yml"
_YEAR = re.compile(r"^(19|20|21)\d\d$")
SLUG = re.compile(model.SLUG)


class ProjectNotFound(Exception):
    pass


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder at or above ``start`` with mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / PROCEDURES_DIR).is_dir():
            return folder
    raise ProjectNotFound(
        "không tìm thấy thư mục sổ tay (nơi có mkdocs.yml và thư mục procedures/); "
        "hãy chạy lệnh trong thư mục kho nội dung hoặc một thư mục con của nó."
    )


@dataclass
class Handbook:
    root: Path
    procedures: dict[str, model.Procedure] = field(default_factory=dict)
    fields: dict[str, model.FieldInfo] = field(default_factory=dict)
    legal: dict[str, model.LegalDocument] = field(default_factory=dict)
    glossary: dict[str, model.GlossaryEntry] = field(default_factory=dict)
    local_fees: dict[str, model.LocalFeeKind] = field(default_factory=dict)  # fees each HĐND sets (muc-thu-dia-phuong.yml)
    provinces: dict[str, model.Province] = field(default_factory=dict)  # every overlay, handbook/tinh/<id>/tinh.yml
    # The edition loaded (provinces.py): its province (None: national) and what its placeholders say.
    edition: Edition = field(default_factory=Edition)
    province: model.Province | None = None
    placeholders: dict[str, str] = field(default_factory=dict)
    placeholder_uses: list[placeholders.Use] = field(default_factory=list)  # where the content writes them
    synonyms: list[model.Synonym] = field(default_factory=list)
    triage: dict[str, model.TriageTree] = field(default_factory=dict)
    catalogue: dict[str, model.CatalogueEntry] = field(default_factory=dict)  # danh-muc-tthc.yml (catalogue.py)
    holidays: dict[int, model.HolidayYear] = field(default_factory=dict)
    sessions: dict[str, model.Session] = field(default_factory=dict)  # training sessions, handbook/dao-tao/
    markdown: list[str] = field(default_factory=list)  # hand-written pages, relative to handbook/
    # Content digest of every registry read (path → sha256): what, beside a
    # procedure's own version, its page is made from (sotay serve's page cache).
    registry_digests: dict[str, str] = field(default_factory=dict)
    # The legal documents each procedure's or session's file names (display path → ids: citations in
    # every version, training) and those the province files name: of the legal registry, all a
    # procedure's pages can show (seen_registries).
    legal_refs: dict[str, frozenset[str]] = field(default_factory=dict)
    shared_legal_refs: frozenset[str] = frozenset()
    legal_file: str = ""  # the legal registry's display path (its key in registry_digests)
    _seen: dict = field(default_factory=dict, repr=False)  # seen_registries by procedure id, worked out once per load
    # The day the handbook describes (versions.apply_edition), and the dated
    # versions of the procedures that have them (procedure id → periods).
    day: dt.date | None = None
    timelines: dict[str, list] = field(default_factory=dict)
    # Each province's fees as written, every dated one (the change calendar).
    fees_written: dict[str, dict[str, model.LocalFee]] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict, repr=False)  # procedures_matching's folded titles
    _matching: dict[str, list[str]] = field(default_factory=dict, repr=False)  # and its answers (ids)
    _all_names: str = field(default="", repr=False)  # the folded names, one per line
    _starts: list[int] = field(default_factory=list, repr=False)  # where each begins there
    _entry_names: dict[str, str] = field(default_factory=dict, repr=False)  # registry_matching's folded names

    def procedures_matching(self, phrase: str) -> list[model.Procedure]:
        """Procedures whose title or keywords contain ``phrase`` as whole words,
        ignoring case and diacritics: where an everyday phrase leads."""
        if list(self._names) != list(self.procedures):  # computed once per catalogue (and order: the answers')
            self._names = {pid: _folded_name(p) for pid, p in self.procedures.items()}
            self._matching = {}
            # Every name on one line of one text: a phrase is looked for in all of them at
            # once (str.find), not name by name (47 phrases x 5,000 names at each rebuild).
            self._all_names = "\n".join(self._names.values())
            self._starts = list(itertools.accumulate((len(n) + 1 for n in self._names.values()), initial=0))
        if phrase not in self._matching:  # (asked by the synonyms' check and by search)
            needle, ids, found = _folded_words(phrase), list(self._names), []
            at = self._all_names.find(needle)
            while at >= 0:
                n = bisect.bisect_right(self._starts, at) - 1
                found.append(ids[n])
                at = self._all_names.find(needle, self._starts[n + 1])  # (the next name)
            self._matching[phrase] = found
        return [self.procedures[pid] for pid in self._matching[phrase]]

    def registry_matching(self, phrase: str) -> list[model.CatalogueEntry]:
        """Registry-only entries (no full page) whose name contains ``phrase``
        as whole words, as ``procedures_matching``: where an everyday phrase
        leads before the full page is written."""
        if self._entry_names.keys() != self.catalogue.keys():  # computed once per registry
            self._entry_names = {key: _folded_words(e.title) for key, e in self.catalogue.items()}
        needle = _folded_words(phrase)
        return [e for key, e in self.catalogue.items() if not e.procedure and needle in self._entry_names[key]]

    def by_field(self) -> dict[str, list[model.Procedure]]:
        """Procedures grouped by field, fields and procedures in display order."""
        groups: dict[str, list[model.Procedure]] = {
            fid: [] for fid, _ in sorted(self.fields.items(), key=lambda kv: (kv[1].order, vi_sort_key(kv[1].name)))
        }
        for p in self.procedures.values():
            groups.setdefault(p.field_id, []).append(p)
        for items in groups.values():
            items.sort(key=lambda p: vi_sort_key(p.title))
        return {k: v for k, v in groups.items() if v}


def _folded_words(text: str) -> str:
    return " " + " ".join(w for w in re.split(r"\W+", fold(text)) if w) + " "


def _folded_name(p: model.Procedure) -> str:
    """``p``'s title and keywords folded (kept on the procedure)."""
    return model.derived(p, "folded name", lambda: _folded_words(" · ".join([p.title, *p.keywords])))


def _display(path: Path, root: Path) -> str:
    return display_path(path, root)


def _load_file(path: Path, root: Path, sink: ErrorSink):
    """(display path, YAML node or None, content digest or None)."""
    display = _display(path, root)
    text = read_text(path, display, sink)
    if text is None:
        return display, None, None
    return display, compose(text, display, sink), digest(text)


def digest(text: str) -> str:
    """A short content version: changes whenever the text does."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _data_file(root: Path, name: str, sink: ErrorSink, digests: dict[str, str], cache: dict | None = None):
    """(display path, YAML node) of handbook/data/<name>, or None when the file
    is absent (optional) or could not be read (the error is in ``sink``).
    ``cache`` (sotay serve): an unchanged file's node is not composed again."""
    path = located(root / DATA_DIR / name)
    if not path.is_relative_to(root.resolve()):  # handbook/ or handbook/data/ links out of the project: reported by the walk
        return None
    if not os.path.lexists(path):  # a symlink, even a broken one, is there: read_text refuses it
        return None
    display = _display(path, root)
    text = read_text(path, display, sink)
    if text is None:
        return None
    version = digests[display] = digest(text)
    # (nodes are only read afterwards: one can serve every later load)
    node = _kept(cache, ("registry", display), version, sink, [], lambda sink, refs: compose(text, display, sink))
    return None if node is None else (display, node)


def _load_registry(root: Path, name: str, cls: type, sink: ErrorSink, refs: list[Reference],
                   digests: dict[str, str], registry: str, cache: dict | None = None) -> dict:
    """``registry``: the Handbook attribute it fills, which says what its keys
    become (see ids.py)."""
    loaded = _data_file(root, name, sink, digests, cache)
    if loaded is None:
        return {}
    display, node = loaded

    def entries(sink: ErrorSink, refs: list[Reference]) -> dict:
        check_registry_keys(registry, node, display, sink)
        result = {}
        for key, entry in (convert(node, dict[str, cls], Context(display, sink, refs)) or {}).items():
            if entry is not None:
                entry.id = key
                result[key] = entry
        return result
    return dict(_kept(cache, ("entries", display), digests[display], sink, refs, entries))


def _kept(cache: dict | None, key, version: str, sink: ErrorSink, refs: list[Reference], make):
    """``make(sink, refs)``: what a data file's text gives (its YAML node, its
    entries).  sotay serve (``cache``) keeps it, with what it said and
    referenced, while the text (``version``) is unchanged: neither is
    changed once loaded."""
    if cache is None:
        return make(sink, refs)
    kept = cache.get(key)
    if kept is None or kept[0] != version:
        scratch, found = ErrorSink(), []
        kept = cache[key] = (version, make(scratch, found), scratch.items, found)
    sink.items.extend(kept[2])
    refs.extend(kept[3])
    return kept[1]


def load_holidays(root: Path, sink: ErrorSink, digests: dict[str, str] | None = None) -> dict[int, model.HolidayYear]:
    """handbook/data/ngay-nghi.yml: one block per year, the key written as the
    year itself (2025:); every day must fall in its block's year.  No file, no
    years: the due-date calculator then says which year is missing."""
    loaded = _data_file(root, HOLIDAYS_FILE, sink, {} if digests is None else digests)
    if loaded is None:
        return {}
    display, node = loaded
    ctx = Context(display, sink)
    if not isinstance(node, MappingNode):
        ctx.error(node, "tệp ngày nghỉ cần các khối theo năm (2025: …, 2026: …)",
                  "xem cấu trúc ở đầu tệp handbook/data/ngay-nghi.yml.")
        return {}
    years: dict[int, model.HolidayYear] = {}
    for key_node, value_node in node.value:
        text = key_node.value.strip() if isinstance(key_node, ScalarNode) else ""
        if not _YEAR.match(text):
            ctx.error(key_node, f"'{text or '…'}' không phải một năm", "khóa của mỗi khối là năm, bốn chữ số, ví dụ 2026:")
            continue
        block = convert(value_node, model.HolidayYear, ctx)
        if block is None:
            continue
        block.year = int(text)
        for d in block.days_off + block.make_up:
            if d.day.year != block.year:
                line, col = location(d, "day")
                sink.add(display, line, col, f"ngày {d.day.isoformat()} không thuộc năm {block.year}",
                         f"chuyển dòng này sang khối {d.day.year}: hoặc sửa lại năm của ngày.")
        years[block.year] = block
    return dict(sorted(years.items()))


def procedure_files(root: Path, sink: ErrorSink | None = None) -> list[Path]:
    """Every procedure file; with ``sink``, what is not a regular file or
    folder under procedures/ is reported there (see ``content_files``)."""
    return content_files(root, PROCEDURES_DIR, (".yml",), sink)


def _load_procedure(path: Path, root: Path, cache: dict | None):
    """(display path, procedure or None, its problems, its references) of one
    file; with ``cache`` (sotay serve), an unchanged file is not read again."""
    try:
        stat = os.lstat(path)
        key = (stat.st_mtime_ns, stat.st_size, stat.st_mode)
    except OSError:  # gone since the folder was listed: read_text reports it
        key = None
    if cache is not None and key is not None and cache.get(path, (None,))[0] == key:
        return cache[path][1]
    file_sink, file_refs = ErrorSink(), []
    display, node, version = _load_file(path, root, file_sink)
    proc = None
    if not SLUG.match(path.stem):
        file_sink.add(display, 1, 1, f"tên tệp '{path.name}' không hợp lệ",
                      "tên tệp là mã định danh của thủ tục: chữ thường không dấu, số và dấu gạch ngang, ví dụ dang-ky-khai-sinh.yml.")
    elif node is not None:
        proc = convert(node, model.Procedure, Context(display, file_sink, file_refs))
        if proc is not None:
            proc.id, proc.path, proc.version = path.stem, display, version
    loaded = (display, proc, file_sink.items, file_refs)
    if cache is not None:
        cache[path] = (key, loaded)
    return loaded


# Keys in a load cache beside the files' paths: placeholder uses, and procedures filled for the edition.
_USES, _FILLED = object(), object()


def _placeholder_uses(proc, path: Path, sink: ErrorSink, cache: dict | None) -> list:
    """placeholders.content_uses, looked up again only for a procedure read
    anew: with ``cache`` (sotay serve), an unchanged file's procedure is the
    same object as last time, and so are its uses and errors."""
    if cache is None:
        return placeholders.content_uses(proc, sink)
    memo = cache.setdefault(_USES, {})
    if path in memo and memo[path][0] is proc:
        _, uses, items = memo[path]
    else:
        own = ErrorSink()
        uses, items = placeholders.content_uses(proc, own), own.items
        memo[path] = (proc, uses, items)
    for item in items:
        sink._keep(item)  # counted against the file's limit as when first found
    return uses


PARALLEL_FROM = 200  # files; below that, starting workers costs more than it saves


def _worker_signals() -> None:
    """In a pool worker: the parent's stop handlers (which raise, to unwind
    the parent's temporary folders) would print a traceback when the pool
    ends its workers with SIGTERM; a worker has nothing to unwind, and Ctrl-C
    is the parent's to handle."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load_procedures(paths: list[Path], root: Path, cache: dict | None) -> list:
    """_load_procedure for each path; a large catalogue is read by forked
    workers, one per core (not with a cache: sotay serve has threads)."""
    workers = min(os.cpu_count() or 1, 4)
    if cache is not None or workers < 2 or len(paths) < PARALLEL_FROM:
        return [_load_procedure(path, root, cache) for path in paths]
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_signals) as pool:
        return pool.starmap(_load_procedure, [(path, root, None) for path in paths], chunksize=32)


def load_handbook(root: Path, only: list[Path] | None = None, sink: ErrorSink | None = None,
                  cache: dict | None = None, today: dt.date | None = None, *,
                  edition: Edition = Edition(), lists: bool = True) -> tuple[Handbook, ErrorSink]:
    """Load and validate everything; ``only`` limits which procedure files are reported on.
    ``cache`` (a dict kept between calls by ``sotay serve``) skips procedure
    files that have not changed since the last call.  ``today`` (default:
    ``today_in_vietnam()``) is what a review or issue date may not be after.
    ``edition`` (edition.py): what the handbook describes.  ``edition.on``
    (default: today in Vietnam) is the day: procedures, legal statuses and
    local fees as in force then (versions.py).  ``edition.province`` names
    the province: its placeholders filled, its figures on ``hb.province``
    (provinces.py).  ``lists=False`` (a command on one procedure of a tree
    known valid) leaves out what only lists and search read: the commune-level
    catalogue registry and the everyday phrases.

    Cross-references are always resolved against the whole catalogue, so a
    single file can be checked without false "missing procedure" errors.
    """
    sink = sink or ErrorSink()
    refs: list[Reference] = []
    hb = Handbook(root=root, edition=edition)
    registries = {}
    digests = hb.registry_digests
    for attr, (name, cls) in REGISTRY_FILES.items():
        registries[attr] = _load_registry(root, name, cls, sink, refs, digests, attr, cache)
    hb.fields, hb.legal, hb.glossary = registries["fields"], registries["legal"], registries["glossary"]
    hb.local_fees = registries["local_fees"]
    if _data_file(root, OLD_LOCAL_FILE, ErrorSink(), {}):
        sink.add(_display(root / DATA_DIR / OLD_LOCAL_FILE, root), 1, 1,
                 f"tệp {OLD_LOCAL_FILE} không còn được dùng: số liệu của tỉnh nay ở {provinces.PROVINCES_DIR}/<mã tỉnh>/"
                 f"{provinces.PROVINCE_FILE}",
                 "chuyển tên tỉnh, giờ làm việc và muc_thu sang tệp tỉnh (xem trang Biên tập nội dung → Ấn bản tỉnh), "
                 "tên chung của mỗi khoản thu sang handbook/data/muc-thu-dia-phuong.yml, rồi xóa tệp này.")
    hb.provinces = provinces.load_provinces(root, sink, refs, digests, digest)
    hb.legal_file = _display(located(root / DATA_DIR / REGISTRY_FILES["legal"][0]), root)  # as _data_file names it
    hb.shared_legal_refs = frozenset(r.value for r in refs if r.kind == "legal" and r.path != hb.legal_file)
    if lists and (loaded := _data_file(root, SYNONYMS_FILE, sink, digests, cache)):
        hb.synonyms = [s for s in convert(loaded[1], list[model.Synonym], Context(loaded[0], sink, refs)) or [] if s]

    hb.holidays = load_holidays(root, sink, digests)
    hb.triage = _load_registry(root, TRIAGE_FILE, model.TriageTree, sink, refs, digests, "triage", cache)
    catalogue_file = lists and _data_file(root, CATALOGUE_FILE, sink, digests, cache)  # optional: no file, no checks
    if catalogue_file:
        display, node = catalogue_file
        hb.catalogue = dict(_kept(cache, ("entries", display), digests[display], sink, refs,
                                  lambda sink, refs: load_catalogue(node, display, sink, refs)))

    # MkDocs publishes all of handbook/: only regular files there (the walk reports the rest).
    published = [p.relative_to(root / DOCS_DIR).as_posix() for p in content_files(root, DOCS_DIR, None, sink)]
    hb.markdown = [rel for rel in published if is_page(rel)]
    all_files = procedure_files(root, sink)
    folders: dict = {}  # each procedures/<field>/ resolved once
    wanted = [located(p, folders) for p in (only or all_files)]  # a symlink is reported where it is
    for path, (display, proc, items, file_refs) in zip(wanted, _load_procedures(wanted, root, cache)):
        sink.items.extend(items)
        refs.extend(file_refs)
        if proc is None:
            continue
        folder = path.parent.name
        if folder != proc.field_id and proc.field_id in hb.fields:
            line, col = location(proc, "field_id")
            sink.add(display, line, col, f"thủ tục thuộc lĩnh vực '{proc.field_id}' nhưng nằm trong thư mục '{folder}'",
                     f"chuyển tệp vào procedures/{proc.field_id}/ hoặc sửa 'linh_vuc'.")
        hb.procedures[proc.id] = proc
        hb.legal_refs[display] = frozenset(r.value for r in file_refs if r.kind == "legal")
        hb.placeholder_uses.extend(_placeholder_uses(proc, path, sink, cache))

    if only is None:
        known = len(refs)
        hb.sessions = load_sessions(root, sink, refs)
        for r in refs[known:]:
            if r.kind == "legal":
                hb.legal_refs[r.path] = hb.legal_refs.get(r.path, frozenset()) | {r.value}
        for session in hb.sessions.values():  # training is content: same wording per edition
            hb.placeholder_uses.extend(placeholders.content_uses(session, sink))
    said: dict[str, list] = {}  # path → what the file's own checks said (serve only)
    if cache is not None:
        for e in sink.items:
            said.setdefault(e.path, []).append(e)
    for proc in hb.procedures.values():
        if cache is None:
            versions.check_procedure(proc, hb.legal, sink)
            continue
        # sotay serve: an unchanged file's version checks say what they said last time.
        # What they read of the registry: the dates of the documents the file names and those they lead to.
        stamp = (proc.version, versions.dates_read(hb.legal, hb.legal_refs[proc.path]))
        key = ("version-checks", proc.id)
        if cache.get(key, (None,))[0] != stamp:
            scratch = ErrorSink()
            scratch.items = list(said.get(proc.path, []))
            known = len(scratch.items)
            versions.check_procedure(proc, hb.legal, scratch)
            cache[key] = (stamp, scratch.items[known:])
        sink.items.extend(cache[key][1])
    versions.check_local_fees(hb.provinces, sink)
    today = today or today_in_vietnam()
    versions.apply_edition(hb, edition.on or today, today)
    legal_file = REGISTRY_FILES["legal"][0]
    checks.check_dates(hb, sink, today, _display(root / DATA_DIR / legal_file, root))
    checks.check_unique(hb, sink)
    checks.check_complete(hb, sink)
    checks.check_references(refs, hb, all_files, {rel for rel in published if rel.startswith(FORMS_DIR)}, sink)
    checks.check_legal_status(hb, sink)
    if only is None:
        checks.check_synonyms(hb, sink, _display(root / DATA_DIR / SYNONYMS_FILE, root))
        checks.check_triage_answers(hb, sink, _display(root / DATA_DIR / TRIAGE_FILE, root))
        check_training(hb.procedures, hb.sessions, sink)
        if catalogue_file:
            check_catalogue(hb.catalogue, hb.procedures, catalogue_file[0], sink)
        hb.placeholder_uses.extend(check_pages(root, hb.markdown, sink))
    provinces.check_provinces(hb.provinces, {p.stem for p in all_files}, set(hb.local_fees), sink)
    provinces.apply_edition(hb, edition, hb.placeholder_uses, sink,
                            memo=cache.setdefault(_FILLED, {}) if cache is not None else None)
    hb.procedures = dict(sorted(hb.procedures.items()))
    return hb, sink


def load_procedure_text(data: bytes | str, display: str, sink: ErrorSink) -> model.Procedure | None:
    """One procedure from the content of its file (an old version from git,
    say), checked like a file on disk: encoding, YAML, schema and the rules
    inside one procedure.  References to the registries (lĩnh vực, văn bản,
    other procedures) are not resolved.  ``display`` names the file in
    errors; its stem is the procedure's id.  Returns None when it cannot be
    built; problems go into ``sink`` (a procedure can come back with errors
    recorded, e.g. a duplicate step name, so check ``sink.errors``)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    text = decode_text(raw, display, sink)
    if text is None:
        return None
    node = compose(text, display, sink)
    if node is None:
        return None
    proc = convert(node, model.Procedure, Context(display, sink))
    if proc is not None:
        proc.id, proc.path = Path(display).stem, display
    return proc


def triage_answers(path: list[model.TriageOption], target: model.Procedure) -> dict[str, str]:
    """The answers a triage path gives the procedure it leads to: every
    option's 'tra_loi' on the way, for the questions that procedure has."""
    keys = {q.key for q in target.questions}
    return {k: str(v) for o in path for k, v in o.answers.items() if k in keys}
