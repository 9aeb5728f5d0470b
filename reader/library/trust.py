"""Signing the index manifest with a key kept outside the library folder, so a library folder can be untrusted.

Whoosh stores its tables of contents and much of its segments as pickles, and unpickling runs code. The
catalog therefore records which index files this user's litreader wrote (the *manifest*: each file's size,
stat and SHA-256, and the generation they make up), and the manifest carries an HMAC-SHA256 made with a
random key in the user's config folder (``reader.paths.config_dir()``). Anyone who can write the library
folder (a synced or shared library, a copy from a colleague, a restored backup) can change the index files
and the catalog, but cannot make a manifest that verifies without the key: such an index is never opened;
it is rebuilt from the stored papers. See docs/threat-model.md.

A library moved to another machine, or opened by another user, meets a key that did not sign it: its index
is "not trusted" and rebuilt once, with this user's key (never an error).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reader import paths
from reader.errors import LibraryError

KEY_FILE = "index-signing.key"
KEY_BYTES = 32


@dataclass(frozen=True)
class FileRecord:
    """One index file as its writer left it: the content's hash, and the stat that says it is unchanged."""

    size: int
    mtime: int  # st_mtime_ns
    ctime: int  # st_ctime_ns: no user can set it back, so a file rewritten in place cannot pass as unchanged
    inode: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileRecord:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest)

    def unchanged(self, st: os.stat_result) -> bool:
        """True when ``st`` is the stat of the very file hashed (so it need not be hashed again)."""
        return (self.size, self.mtime, self.ctime, self.inode) == (
            st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class Manifest:
    """The index generation the library's writer committed last, and every file it consists of."""

    index_format: str
    generation: int
    files: dict[str, FileRecord]

    def to_text(self) -> str:
        files = {name: [r.size, r.mtime, r.ctime, r.inode, r.sha256] for name, r in sorted(self.files.items())}
        return json.dumps({"format": self.index_format, "generation": self.generation, "files": files},
                          separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> Manifest:
        """Parse a manifest whose signature was checked (raises ValueError, KeyError, TypeError if malformed)."""
        data = json.loads(text)
        files = {str(name): FileRecord(int(v[0]), int(v[1]), int(v[2]), int(v[3]), str(v[4]))
                 for name, v in data["files"].items()}
        return cls(str(data["format"]), int(data["generation"]), files)


def sign(text: str, key: bytes) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(text: str, signature: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(text, key), signature)


_cached: dict[Path, bytes] = {}


def signing_key() -> bytes:
    """This user's key, created on first use (readable by the user alone). Raises LibraryError when the
    config folder can hold none."""
    path = paths.config_dir() / KEY_FILE
    if path in _cached:
        return _cached[path]
    try:
        key = _read_key(path)
        if key is None:
            key = _create_key(path)
    except OSError as exc:
        raise LibraryError(f"{path}: cannot keep the key that signs search indexes: {exc.strerror or exc}"
                           ) from None
    _cached[path] = key
    return key


def _read_key(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) != KEY_BYTES:
        raise OSError(f"the key file is damaged ({len(data)} bytes, not {KEY_BYTES}); delete it to make a new "
                      "one (indexes are then rebuilt once)")
    return data


def _create_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(KEY_BYTES))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another process made meanwhile: that one wins
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    key = _read_key(path)
    if key is None:
        raise OSError("the key file vanished as it was made")
    return key
