"""The search index's cache on disk, which can never run code.

What is cached is the index as ``sotay search`` reads it: the documents'
ids, and each term's documents with their BM25F impacts (``index.py``), as
JSON and flat arrays of numbers, framed here as named byte strings.  Nothing
in it is ever unpickled or handed to whoosh (whoosh reads its own index
files with pickle, so sotay never opens a whoosh index from disk: it builds
one in memory when there is no usable cache).

The file is also authenticated, so a crafted cache (a copied project, an
unpacked archive) cannot change what a search finds: an HMAC-SHA256 whose
key lives outside the project, in this user's own cache folder (created on
first use, readable by this user only).  Only a file whose MAC checks out
under that key (so written by this user's sotay) is used; anything else is
ignored, and the index is rebuilt from the documents.  Without a usable key
(no home folder, a key file others could read or write) nothing is cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import struct
import tempfile
from pathlib import Path

CACHE_FILE = ".cache/sotay/search-index"
KEY_NAME = "search-cache.key"
# Bump when what the files hold changes: an older cache then never matches.
MAGIC = b"sotay search cache 2\n"
MAC_SIZE = hashlib.sha256().digest_size
KEY_SIZE = 32
MAX_BYTES = 1 << 28  # a larger file is not ours: ignored, not read


def key_path() -> Path | None:
    """The key file, in the user's cache folder (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder
            return None
    return Path(base) / "sotay" / KEY_NAME


def _read_file(path: Path, limit: int, private: bool = False) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, a folder or a
    pipe) of at most ``limit`` bytes, and with ``private``, this user's and no
    one else's to read or write; otherwise None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if private and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= limit else None


def _read_private(path: Path, size: int) -> bytes | None:
    data = _read_file(path, size, private=True)
    return data if data is not None and len(data) == size else None


def _key(root: Path) -> bytes | None:
    """This user's key, created if there is none yet; None if it cannot be had
    safely (or would live inside the project, where the cache is)."""
    path = key_path()
    if path is None:
        return None
    try:
        if path.resolve().is_relative_to(root.resolve()):
            return None
        key = _read_private(path, KEY_SIZE)
        if key is not None or path.exists() or path.is_symlink():
            return key
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_NAME}.")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_SIZE))
            with contextlib.suppress(FileExistsError):  # another sotay made one first: use that
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    except OSError:
        return None
    return _read_private(path, KEY_SIZE)


def _cache_path(root: Path) -> Path | None:
    """The cache file, if the folders leading to it are real folders (not
    links to somewhere else) or do not exist yet."""
    path = root / CACHE_FILE
    folder = root
    for part in Path(CACHE_FILE).parent.parts:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return None
    return path


def _pack(tag: str, files: dict[str, bytes]) -> bytes:
    parts = [struct.pack(">I", len(tag.encode())), tag.encode()]
    for name, data in sorted(files.items()):
        raw = name.encode()
        parts += [struct.pack(">HQ", len(raw), len(data)), raw, bytes(data)]
    return b"".join(parts)


def _unpack(payload: bytes | memoryview) -> tuple[str, dict[str, memoryview]]:
    """The tag and the named files; each file a view into ``payload``, not a copy."""
    payload = memoryview(payload)
    (size,) = struct.unpack_from(">I", payload)
    at = 4 + size
    tag = bytes(payload[4:at]).decode()
    files = {}
    while at < len(payload):
        name_size, data_size = struct.unpack_from(">HQ", payload, at)
        at += struct.calcsize(">HQ")
        name = bytes(payload[at:at + name_size]).decode()
        at += name_size
        files[name] = payload[at:at + data_size]
        at += data_size
    return tag, files


def _mac(key: bytes, payload: bytes | memoryview) -> bytes:
    mac = hmac.new(key, MAGIC, hashlib.sha256)
    mac.update(payload)
    return mac.digest()


def load(root: Path, tag: str) -> dict[str, memoryview] | None:
    """The cached index files for ``tag`` (what the index was built from), or
    None when there is no cache, it is for other documents, or it is not one
    this user's sotay wrote."""
    key, path = _key(root), _cache_path(root)
    if key is None or path is None:
        return None
    data = _read_file(path, MAX_BYTES)
    head = len(MAGIC) + MAC_SIZE
    if data is None or len(data) < head or not data.startswith(MAGIC):
        return None
    mac, payload = data[len(MAGIC):head], memoryview(data)[head:]
    if not hmac.compare_digest(mac, _mac(key, payload)):
        return None
    try:
        cached_tag, files = _unpack(payload)
    except (struct.error, UnicodeDecodeError):
        return None
    return files if cached_tag == tag else None


def save(root: Path, tag: str, files: dict[str, bytes]) -> None:
    """Write the index files for ``tag``; silently nothing if that cannot be
    done safely (no key, a folder on the way is a link, a read-only disk)."""
    key, path = _key(root), _cache_path(root)
    if key is None or path is None:
        return
    payload = _pack(tag, files)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + _mac(key, payload) + payload)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return
