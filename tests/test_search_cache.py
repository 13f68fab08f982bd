"""The search cache can never run code: whoosh reads its index files with
pickle, so no file from disk ever reaches whoosh (the cache holds numbers:
each term's documents and impacts), and a cache file (or an old cache folder)
crafted by someone else is ignored and rebuilt.  A search from the cache
finds exactly what a search that built the index finds."""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
import stat
from array import array
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage, RamStorage

from generator.content.handbook import load_handbook
from generator.search import cache as index_cache, whooshindex
from generator.search.index import fingerprint, search_documents

CACHE_FILE = index_cache.CACHE_FILE

LEGACY_DIR = ".cache/sotay/search"  # where earlier versions kept a whoosh index


class Payload:
    """Unpickling this creates the file ``path``: proof that code ran."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def crafted_whoosh_files(storage, payload: Payload, docs) -> None:
    """A whoosh index (valid in every other respect) whose stored document is the payload."""
    ix = storage.create_index(whooshindex.schema())
    writer = ix.writer()
    for d in docs:
        writer.add_document(id=d.id, field=d.field, doc=payload, title=d.title)
    writer.commit()


def plant_everywhere(root: Path, marker: Path) -> None:
    """A crafted pickle at every place a search cache was or is read from."""
    hb, _ = load_handbook(root)
    docs = search_documents(hb)
    payload = Payload(marker)
    # The folder earlier versions opened with whoosh, with the fingerprint they expected.
    legacy = root / LEGACY_DIR
    legacy.mkdir(parents=True)
    crafted_whoosh_files(FileStorage(str(legacy)), payload, docs)
    (legacy / "fingerprint").write_text(fingerprint(docs), encoding="utf-8")
    # The cache file as earlier versions wrote it (whoosh's files): the same
    # crafted index, framed as they framed it, for these very documents, but
    # authenticated with a key that is not the user's.
    memory = RamStorage()
    crafted_whoosh_files(memory, payload, docs)
    tag = f"{fingerprint(docs)} whoosh {__import__('whoosh').versionstring()}"
    framed = index_cache._pack(tag, memory.files)
    cache = root / CACHE_FILE
    cache.write_bytes(b"sotay search cache 1\n" + index_cache._mac(b"k" * 32, framed) + framed)
    # And a bare pickle at the cache path's neighbours.
    for name in ("search-index.tmp", "search.pickle"):
        (cache.parent / name).write_bytes(pickle.dumps(payload))


def search_ids(run, *query) -> list[str]:
    result = run("search", *query, "--json")
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.output)]


def test_a_crafted_cache_never_runs_code(mini, run, tmp_path):
    marker = tmp_path / "code-ran"
    plant_everywhere(mini, marker)
    assert search_ids(run, "khai", "sinh")[0] == "dang-ky-khai-sinh"
    assert not marker.exists()
    assert search_ids(run, "ket", "hon")[0] == "dang-ky-ket-hon"  # and from the cache it rebuilt
    assert not marker.exists()


def test_a_cache_tampered_after_sotay_wrote_it_is_rebuilt(mini, run):
    """The real cache, every posting pointed at one procedure: the MAC no
    longer matches, so the search is not steered to it."""
    assert search_ids(run, "khai", "sinh")[0] == "dang-ky-khai-sinh"
    cache = mini / CACHE_FILE
    data = cache.read_bytes()
    head = len(index_cache.MAGIC) + index_cache.MAC_SIZE
    tag, files = index_cache._unpack(data[head:])
    other = json.loads(bytes(files["docs.json"])).index("dang-ky-ket-hon")
    files["ids"] = array("i", [other] * (len(files["ids"]) // 4)).tobytes()
    tampered = data[:head] + index_cache._pack(tag, files)
    cache.write_bytes(tampered)
    assert search_ids(run, "khai", "sinh")[0] == "dang-ky-khai-sinh"
    assert cache.read_bytes() not in (tampered, b"")  # rebuilt


def test_a_cache_written_by_an_earlier_version_never_reaches_whoosh(mini, run, user_cache_dir, tmp_path):
    """Earlier versions cached whoosh's own files, which whoosh reads with
    pickle; such a file with a valid MAC under this user's key (as an older
    sotay wrote it, or someone who got hold of the key) is still ignored."""
    marker = tmp_path / "code-ran"
    search_ids(run, "khai", "sinh")  # creates the key and a cache of today's format
    key = (user_cache_dir / "sotay" / index_cache.KEY_NAME).read_bytes()
    data = (mini / CACHE_FILE).read_bytes()
    current_tag, _ = index_cache._unpack(data[len(index_cache.MAGIC) + index_cache.MAC_SIZE:])
    docs = search_documents(load_handbook(mini)[0])
    memory = RamStorage()
    crafted_whoosh_files(memory, Payload(marker), docs)
    for magic in (b"sotay search cache 1\n", index_cache.MAGIC):
        for tag in (f"{fingerprint(docs)} whoosh {__import__('whoosh').versionstring()}", current_tag):
            framed = index_cache._pack(tag, memory.files)
            (mini / CACHE_FILE).write_bytes(magic + hmac.new(key, magic + framed, hashlib.sha256).digest() + framed)
            assert search_ids(run, "khai", "sinh")[0] == "dang-ky-khai-sinh"
            assert not marker.exists()


QUERIES = [("khai", "sinh"), ("ket", "hon"), ("giay", "doc", "than"), ("đăng", "ký"), ("ket", "hno"),
           ("khai", "sin"), ("chung", "thuc", "--field", "ho-tich"), ("qqqq",)]


def test_a_search_from_the_cache_finds_what_a_fresh_index_finds(mini, run, monkeypatch):
    """Same hits, scores and order whether the index is built or read back;
    and read back, no whoosh index is built or opened."""
    fresh = []
    for query in QUERIES:
        (mini / CACHE_FILE).unlink(missing_ok=True)
        fresh.append(run("search", *query, "--json", "--limit", "20").output)
    assert json.loads(fresh[0])[0]["id"] == "dang-ky-khai-sinh"

    def refuse(*args, **kwargs):
        raise AssertionError("a whoosh index was built or opened")

    monkeypatch.setattr(whooshindex, "build", refuse)
    monkeypatch.setattr(RamStorage, "open_index", refuse)
    monkeypatch.setattr(FileStorage, "open_index", refuse)
    assert [run("search", *query, "--json", "--limit", "20").output for query in QUERIES] == fresh


def test_the_cache_is_reused_only_under_this_users_key(mini, run, monkeypatch, tmp_path):
    built = []
    real_build = whooshindex.build
    monkeypatch.setattr(whooshindex, "build", lambda docs: built.append(1) or real_build(docs))
    search_ids(run, "khai", "sinh")
    search_ids(run, "ket", "hon")
    assert len(built) == 1  # the second search used the cache
    # Another user (or this project copied to another machine): another key, so the cache is rebuilt.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))
    assert search_ids(run, "khai", "sinh")[0] == "dang-ky-khai-sinh"
    assert len(built) == 2


@pytest.mark.parametrize("problem", ["readable by others", "symlink", "inside the project"])
def test_no_cache_without_a_private_key(mini, run, monkeypatch, tmp_path, problem):
    home = tmp_path / "home-cache"
    key = home / "sotay" / index_cache.KEY_NAME
    key.parent.mkdir(parents=True)
    if problem == "readable by others":
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)
    elif problem == "symlink":
        (tmp_path / "elsewhere").write_bytes(b"k" * 32)
        (tmp_path / "elsewhere").chmod(0o600)
        key.symlink_to(tmp_path / "elsewhere")
    else:
        home = mini / ".cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert search_ids(run, "khai", "sinh")[0] == "dang-ky-khai-sinh"
    # Nothing of the search index cached that could not be authenticated (the
    # validated catalogue's own cache, cli/cache.py, holds no index).
    assert not (mini / index_cache.CACHE_FILE).exists()


def test_the_key_is_created_private(mini, run, user_cache_dir):
    search_ids(run, "khai", "sinh")
    key = user_cache_dir / "sotay" / index_cache.KEY_NAME
    info = key.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_size == index_cache.KEY_SIZE
    assert not [p for p in key.parent.iterdir() if p.name != key.name]  # no temporary file left
