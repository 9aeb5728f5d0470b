"""The library folder on disk: where each paper's files live, written so that a crash never leaves half a file.

    <library>/papers/<id>/source.<ext>   the imported file, copied byte for byte, never modified
    <library>/papers/<id>/paper.json     the parsed Paper (with its parser version): a cache of the source
    <library>/papers/<id>/text.txt       Paper.text alone, so search snippets read a few KB, not the JSON
    <library>/index/                     the Whoosh index (reader.library.index)
    <library>/library.sqlite             the catalog and the user's own data (reader.library.catalog)
    <library>/write.lock                 held by the one process writing (reader.library.locking)

Everything under ``papers/<id>/`` except the source can be re-created from the source.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from reader.errors import LibraryError
# Ids are read back from the catalog and the folder, which whoever can write the library folder can change: one
# becomes a path only if it matches PAPER_ID (the shape of reader.model.paper_id_for).
from reader.model import PAPER_ID, Paper

# The extension a stored source gets, by sniffed format; a text file keeps ".md" if it had it.
_SOURCE_EXTENSIONS = {"pdf": ".pdf", "xml": ".xml", "text": ".txt"}


class LibraryFolder:
    """Paths and file operations for one library folder. Creates nothing until asked to write."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.papers = self.root / "papers"
        self.index = self.root / "index"
        self.catalog = self.root / "library.sqlite"
        self.lock = self.root / "write.lock"

    def exists(self) -> bool:
        """True when this folder already holds a library (its catalog)."""
        return self.catalog.is_file()

    def ensure_writable(self) -> None:
        """Create the folder if needed; raise LibraryError (saying why) if we cannot write to it."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{self.root}: cannot create the library folder: {exc.strerror or exc}") from None
        if not self.root.is_dir():
            raise LibraryError(f"{self.root}: not a folder")
        # access() says no for a read-only mount too; a probe file would leave litter when it says yes
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise LibraryError(f"{self.root}: the library folder is read-only; nothing was changed")
        self.papers.mkdir(exist_ok=True)

    def paper_dir(self, paper_id: str) -> Path:
        """The folder of a paper; LibraryError for anything that is not a paper id (``../..``, a name)."""
        if not isinstance(paper_id, str) or not PAPER_ID.fullmatch(paper_id):
            raise LibraryError(f"{paper_id!r}: not a paper id (the library's catalog or folder was changed "
                               "by something other than litreader); nothing was done with it")
        return self.papers / paper_id

    def stored_ids(self) -> set[str]:
        """The paper folders under papers/ (names that are paper ids only)."""
        return {p.name for p in self.papers.iterdir() if PAPER_ID.fullmatch(p.name) and p.is_dir()}

    def source_path(self, paper_id: str) -> Path | None:
        """The stored source of a paper, or None when it is missing."""
        folder = self.paper_dir(paper_id)
        try:
            for entry in folder.iterdir():
                # a link would make a file from elsewhere the paper's source (and export it)
                if entry.name.startswith("source.") and not entry.is_symlink():
                    return entry
        except OSError:
            return None
        return None

    def store(self, paper: Paper, data: bytes, original_name: str, syncer: BackgroundSync | None = None) -> None:
        """Write a paper's source (unless already there), its parsed cache and its text. With ``syncer``, the
        source is flushed to disk and put in place on that thread (see BackgroundSync): it is durable and
        in place once ``syncer.wait()`` returns, which must come before the paper is committed."""
        folder = self.paper_dir(paper.id)
        folder.mkdir(parents=True, exist_ok=True)
        if self.source_path(paper.id) is None:
            write_atomically(folder / ("source" + source_extension(paper.format, original_name)), data, durable=True,
                             syncer=syncer)
        self.write_cache(paper)

    def write_cache(self, paper: Paper) -> None:
        """(Re)write the parsed paper and its text next to the source."""
        folder = self.paper_dir(paper.id)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / "paper.json", _paper_json(paper))
        write_atomically(folder / "text.txt", paper.text)

    def read_cache(self, paper_id: str) -> Paper | None:
        """The cached parse of a paper, or None when it is missing or unreadable (then re-parse the source)."""
        try:
            with open(self.paper_dir(paper_id) / "paper.json", encoding="utf-8") as f:
                return Paper.from_json(json.load(f))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def read_text(self, paper_id: str) -> str | None:
        """Paper.text as cached beside the paper, or None when missing."""
        try:
            return (self.paper_dir(paper_id) / "text.txt").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def remove(self, paper_id: str) -> None:
        """Delete a paper's folder (after it left the catalog and the index)."""
        shutil.rmtree(self.paper_dir(paper_id), ignore_errors=True)


def readable_name(name: str) -> str:
    """A file name as text that can be stored: the bytes of a name that is not UTF-8 become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def source_extension(fmt: str, original_name: str) -> str:
    """The extension for a stored source: by format; markdown keeps its own."""
    suffix = Path(original_name).suffix.lower()
    if fmt == "text" and suffix in (".md", ".markdown"):
        return suffix
    return _SOURCE_EXTENSIONS.get(fmt, ".bin")


_TEXT_PIECE = 1 << 20  # characters


def _paper_json(paper: Paper) -> Iterator[str]:
    """``json.dumps(paper.to_json())`` in pieces, with the text last and escaped a piece at a time (a 50 MB text
    made into one JSON string, then bytes, took three copies of it at once)."""
    fields = paper.to_json()
    text = fields.pop("text")
    head = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    yield head[:-1] + ',"text":"'
    for start in range(0, len(text), _TEXT_PIECE):
        yield json.dumps(text[start:start + _TEXT_PIECE], ensure_ascii=False)[1:-1]
    yield '"}'


class BackgroundSync:
    """Flushes written files to disk and renames them into place on a thread of its own, for an import worker.

    Why: an fsync waits about 6 ms for the disk on this kind of machine, and a worker's core sat idle for it
    once per paper (its source file), about 6% of a worker's time. Here the wait overlaps the parsing of the
    next paper (fsync releases the GIL). The guarantee is the same, moved: a worker calls ``wait()`` before it
    hands over the segment holding those papers, and only a handed-over segment is committed, so no catalog
    row ever names a source that is not on disk. The thread runs only while there are files to flush (a
    worker forks to count a long text's words only with no other thread: see documents._may_fork).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[tuple[str, Path]] = []  # (temporary file, its final name), in the order written
        self._thread: threading.Thread | None = None
        self._error: OSError | None = None

    def submit(self, tmp: str, path: Path) -> None:
        with self._lock:
            self._pending.append((tmp, path))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="litreader-fsync", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
                tmp, path = self._pending.pop(0)
            try:
                fd = os.open(tmp, os.O_RDONLY)
            except FileNotFoundError:
                continue  # the paper's folder was removed (it failed after it was stored): nothing to keep
            except OSError as exc:
                self._failed(exc, tmp)
                continue
            try:
                os.fsync(fd)
                os.replace(tmp, path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                self._failed(exc, tmp)
            finally:
                os.close(fd)

    def _failed(self, exc: OSError, tmp: str) -> None:
        if self._error is None:
            self._error = exc
        try:
            os.unlink(tmp)
        except OSError:
            pass

    def settle(self) -> None:
        """Return once the thread is done with every file submitted (an error stays for ``wait``)."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()

    def wait(self) -> None:
        """Return once every file submitted is on disk and in place; raise the first OSError met (a file that
        failed is not in place)."""
        self.settle()
        error, self._error = self._error, None
        if error is not None:
            raise error


def write_atomically(path: Path, data: bytes | str | Iterable[str], durable: bool = False,
                     syncer: BackgroundSync | None = None) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old file or the new one, never half of one.

    Text (a string, or strings in order) is written as UTF-8 a piece at a time: a 50 MB paper's text is not
    copied whole into bytes first.

    ``durable`` also flushes the data to disk before the rename (for the user's own files); with ``syncer``
    the flush and the rename happen on the syncer's thread (see BackgroundSync). The temporary
    file's name is unpredictable and it is created exclusively, so a link planted beside ``path`` is never
    followed. The file gets the mode a plain ``open()`` would give it (or the mode of the file it replaces),
    not the temporary file's 0600.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            os.fchmod(fd, _mode_for(path))
        except OSError:
            pass  # a file system without modes (FAT on a stick): the file is written all the same
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                for text in [data] if isinstance(data, str) else data:
                    for start in range(0, len(text), _TEXT_PIECE):
                        f.write(text[start:start + _TEXT_PIECE].encode("utf-8"))
            if durable and syncer is None:
                f.flush()
                os.fsync(f.fileno())
        if durable and syncer is not None:
            syncer.submit(tmp, path)
        else:
            os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: read it by setting it, and put it back at once
    os.umask(mask)
    return mask
