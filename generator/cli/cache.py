"""What the last full validation found, kept so one-procedure commands need
not validate the whole catalogue again.

`sotay due X`, `sotay guide X`, `sotay list` and `sotay search` must refuse to
run when the handbook has errors, which used to mean loading and validating
every procedure (seconds at a province's 1,000–2,000 procedures) to use one.
After a full load without errors, this module records in
``.cache/sotay/handbook.sqlite``:

- the *tree signature*: every content file (procedures/**.yml and everything
  under handbook/, walked by ``content_files``) with its size, mtime, ctime
  and inode, hashed, together with the sotay version, ``FORMAT`` and the
  size and mtime of the package's own source files (so a new release or a
  changed validation rule never trusts an old verdict);
- one catalogue row per procedure (id, title, field, code, path, url), the
  fields' names in display order, the search documents, and the commune-level
  registry's entries that have no full page with the sources it cites
  (``handbook/data/danh-muc-tthc.yml``, under handbook/ and so in the signature).

A command then stats the files (milliseconds), and when the signature is the
cached one it knows the tree is valid: `due`/`guide` load only their
procedure with the registries (``load_handbook(root, only=[path])``), `list`
and `search` use the stored rows.  When anything differs, the command loads
everything as before and, if there are no errors, writes a new cache.

The cache is data, never code: SQLite from the standard library holding
JSON text, read back with every value's type checked.  A file that is not
such a database, has another layout, another format or values of the wrong
shape is ignored (and replaced at the next full load); it can make a command
slower, never wrong.  Only the cache's own file, in the project's
``.cache/sotay/`` folder, is ever written or replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from dataclasses import asdict, dataclass, field, fields as dataclass_fields
from pathlib import Path

from .. import __version__
from ..textutil import vi_sort_key
from ..urls import procedure_url
from ..content.edition import Edition
from ..content.errors import ErrorSink
from ..content.files import content_files
from ..content.catalogue import CATALOGUE_FILE, portal_link, registry_sources, unlisted
from ..content.handbook import DATA_DIR, DOCS_DIR, PROCEDURES_DIR, Handbook, load_handbook

CACHE_FILE = ".cache/sotay/handbook.sqlite"
# Bump when what is stored changes shape or meaning: old caches are then ignored.
FORMAT = "3"
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class Catalogue:
    """What `sotay list` and `sotay search` need of a valid handbook."""
    fields: dict[str, str]  # field id → name, in display order
    rows: list[dict]  # per procedure: id, title, field, field_name, code, url, path; sorted by title
    search_docs: list[dict]  # SearchDoc fields, in catalogue order (read from the cache only for search)
    # Registry-only entries of danh-muc-tthc.yml: id, title, field, field_name, code, url (the
    # national portal: its own portal page, else the portal's search), path (the registry file); sorted by title.
    registry: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # the registry's sources: title, url, entries
    unlisted: list[str] = field(default_factory=list)  # full procedures no registry entry links to


# --- the tree signature -------------------------------------------------------------------


def _code_signature() -> list:
    """Size and mtime of sotay's own source files: a changed rule is a new verdict."""
    out = []
    for path in sorted(_PACKAGE.rglob("*.py")):
        try:
            st = os.stat(path)
        except OSError:
            continue
        out.append([path.relative_to(_PACKAGE).as_posix(), st.st_size, st.st_mtime_ns])
    return out


def tree_signature(root: Path) -> str | None:
    """A hash of what every content file is (path, size, times, inode) and of
    the sotay that reads them; None when the walk itself found a problem
    (a symlink, a FIFO, an unreadable folder…): the full load reports it."""
    found = _tree(root)
    return found[0] if found else None


def _tree(root: Path) -> tuple[str, set[str]] | None:
    """(signature, the content files' paths relative to ``root``)."""
    sink = ErrorSink()
    files = content_files(root, PROCEDURES_DIR, (".yml",), sink) + content_files(root, DOCS_DIR, None, sink)
    if sink.items:
        return None
    entries = []
    for path in files:
        try:
            st = os.lstat(path)
        except OSError:
            return None
        entries.append([path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    blob = json.dumps([FORMAT, __version__, _code_signature(), entries], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest(), {e[0] for e in entries}


# --- reading and writing ------------------------------------------------------------------

_KEYS = ("format", "signature", "fields", "rows", "registry", "sources", "unlisted")
_ROW_KEYS = {"id": str, "title": str, "field": str, "field_name": str, "path": str, "url": str}
_REGISTRY_KEYS = {"id": str, "title": str, "field": str, "field_name": str, "path": str}


def _is_str_dict(value, keys: dict) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), t) for k, t in keys.items())


def _search_doc_types() -> dict:
    from ..search.index import SearchDoc

    return {f.name: (float, int) if f.name == "boost" else str for f in dataclass_fields(SearchDoc)}


def _checked(values: dict) -> Catalogue | None:
    """The catalogue if every stored value has the shape this version writes."""
    fields, rows, docs = values["fields"], values["rows"], values.get("search_docs", [])
    if not (isinstance(fields, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())):
        return None
    if not (isinstance(rows, list) and all(_is_str_dict(r, _ROW_KEYS) and (r.get("code") is None or isinstance(r["code"], str))
                                           and set(r) == {*_ROW_KEYS, "code"} for r in rows)):
        return None
    registry, sources = values["registry"], values["sources"]
    if not (isinstance(registry, list) and all(
            _is_str_dict(r, _REGISTRY_KEYS) and set(r) == {*_REGISTRY_KEYS, "code", "url"}
            and all(r[k] is None or isinstance(r[k], str) for k in ("code", "url")) for r in registry)):
        return None
    if not (isinstance(sources, list) and all(
            isinstance(s, dict) and set(s) == {"title", "url", "entries"} and isinstance(s["title"], str)
            and (s["url"] is None or isinstance(s["url"], str)) and type(s["entries"]) is int for s in sources)):
        return None
    unlisted_ids = values["unlisted"]
    if not (isinstance(unlisted_ids, list) and all(isinstance(u, str) for u in unlisted_ids)):
        return None
    types = _search_doc_types() if docs else {}
    if not (isinstance(docs, list) and all(isinstance(d, dict) and set(d) == set(types) and
                                           all(isinstance(d[k], t) and not isinstance(d[k], bool) for k, t in types.items())
                                           for d in docs)):
        return None
    return Catalogue(fields=fields, rows=rows, search_docs=docs, registry=registry, sources=sources,
                     unlisted=unlisted_ids)


def read_cache(root: Path, tree: tuple[str, set[str]] | None, search: bool = False) -> Catalogue | None:
    """The cached catalogue when it was made from exactly this tree (``_tree``),
    else None (no cache, another tree, another version, or an unreadable
    file); its search documents only with ``search`` (they are the bulk of
    the file).  Its rows must name exactly the procedure files of the tree."""
    if tree is None:
        return None
    signature, files = tree
    path = root / CACHE_FILE
    try:
        if not path.is_file() or path.is_symlink():
            return None
        # Read-only, through a URI so no other file is created or changed.
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            keys = (*_KEYS, "search_docs") if search else _KEYS
            found = dict(con.execute(f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(keys))})",
                                     keys).fetchall())
        finally:
            con.close()
        values = {}
        for key in keys:
            text = found.get(key)
            if not isinstance(text, str):
                return None
            values[key] = json.loads(text)
        if values["format"] != [FORMAT, __version__] or values["signature"] != signature:
            return None
        catalogue = _checked(values)
        if catalogue is None or (search and not catalogue.search_docs and catalogue.rows):
            return None
        procedures = {f for f in files if f.startswith(PROCEDURES_DIR + "/")}
        if sorted(r["path"] for r in catalogue.rows) != sorted(procedures) or \
                any(r["path"] != f"{PROCEDURES_DIR}/{r['field']}/{r['id']}.yml" for r in catalogue.rows):
            return None
        return catalogue
    except (sqlite3.Error, ValueError, TypeError, OSError, RecursionError):
        return None


def write_cache(root: Path, signature: str, catalogue: Catalogue) -> None:
    """Store the catalogue for ``signature``: a new database under a temporary
    name, then renamed over the old one (a reader never sees half of it).
    A cache that cannot be written is not an error: the next command is slower."""
    folder = (root / CACHE_FILE).parent
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".handbook-", suffix=".sqlite", dir=folder)
        os.close(fd)
        con = sqlite3.connect(tmp)
        try:
            con.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            values = {"format": [FORMAT, __version__], "signature": signature, "fields": catalogue.fields,
                      "rows": catalogue.rows, "search_docs": catalogue.search_docs,
                      "registry": catalogue.registry, "sources": catalogue.sources, "unlisted": catalogue.unlisted}
            con.executemany("INSERT INTO entries VALUES (?, ?)",
                            [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()])
            con.commit()
        finally:
            con.close()
        os.replace(tmp, root / CACHE_FILE)
        tmp = None
    except (OSError, sqlite3.Error):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# --- what the commands call ---------------------------------------------------------------


def catalogue_of(hb: Handbook) -> Catalogue:
    """The catalogue of a fully loaded handbook (the same rows, cached or not)."""
    from ..search.index import registry_documents, search_documents

    fields = {fid: f.name for fid, f in sorted(hb.fields.items(), key=lambda kv: (kv[1].order, vi_sort_key(kv[1].name)))}
    rows = [{"id": p.id, "title": p.title, "field": p.field_id, "field_name": hb.fields[p.field_id].name,
             "code": p.code, "url": procedure_url(p), "path": p.path}
            for p in sorted(hb.procedures.values(), key=lambda p: vi_sort_key(p.title))]
    registry = [{"id": e.id, "title": e.title, "field": e.field_id, "field_name": hb.fields[e.field_id].name,
                 "code": e.code, "url": portal_link(e), "path": f"{DATA_DIR}/{CATALOGUE_FILE}"}
                for e in sorted(hb.catalogue.values(), key=lambda e: vi_sort_key(e.title)) if not e.procedure]
    return Catalogue(fields=fields, rows=rows, search_docs=[asdict(d) for d in search_documents(hb) + registry_documents(hb)],
                     registry=registry, sources=registry_sources(hb.catalogue),
                     unlisted=unlisted(hb.catalogue, hb.procedures) if hb.catalogue else [])


def remember(root: Path, signature: str | None, hb: Handbook, sink: ErrorSink) -> None:
    """After a full load of the tree that had ``signature`` (taken before
    loading): cache its catalogue if it has no errors and nothing changed meanwhile."""
    if not sink.errors and signature is not None and tree_signature(root) == signature:
        write_cache(root, signature, catalogue_of(hb))


def full_load(root: Path, signature: str | None = None, edition: Edition = Edition()) -> tuple[Handbook, ErrorSink]:
    """``load_handbook(root)``; when it finds no errors, the cache is written."""
    signature = signature or tree_signature(root)
    hb, sink = load_handbook(root, edition=edition)
    remember(root, signature, hb, sink)
    return hb, sink


def cached_catalogue(root: Path, search: bool = False) -> Catalogue:
    """The catalogue of a valid handbook (with its search documents if
    ``search``): from the cache when the tree is the one it was made from;
    otherwise after a full load, which raises ``ContentErrors`` when the
    handbook has errors."""
    tree = _tree(root)
    catalogue = read_cache(root, tree, search)
    if catalogue is not None:
        return catalogue
    hb, sink = full_load(root, tree[0] if tree else None)
    sink.raise_if_any()
    return catalogue_of(hb)


def fast_handbook(root: Path, procedure: str | None = None, edition: Edition = Edition()) -> tuple[Handbook, ErrorSink]:
    """What a command working on one procedure needs: the registries (but
    for the catalogue registry and everyday phrases, which only lists and
    search read) and that procedure (``hb.procedures`` holds only it) when
    the cache says the unchanged tree is valid; otherwise, or when
    ``procedure`` is not in the catalogue (so the "did you mean" hint sees
    every id), the full load."""
    tree = _tree(root)
    catalogue = read_cache(root, tree)  # its rows are the tree's procedure files
    row = next((r for r in catalogue.rows if r["id"] == procedure), None) if catalogue and procedure else None
    if row is not None:
        path = root / row["path"]
        hb, sink = load_handbook(root, only=[path], edition=edition, lists=False)
        if not sink.errors and procedure in hb.procedures:
            return hb, sink
    return full_load(root, tree[0] if tree else None, edition)
