"""The Whoosh index of a library: opened only when this library's own writer produced it, committed in batches.

Trust. Whoosh keeps its table of contents and stored fields as pickles, and unpickling runs code, so an index
folder that came from anywhere else (copied in, left by another program, damaged) must never be opened.
After each commit we record every index file's size and SHA-256 in the catalog (the *manifest*); before
opening, each file must match. Re-hashing a large index on every start would cost seconds, so a file whose
size, mtime and inode are unchanged since it was hashed is taken as hashed (as git does for its index).
An index that fails the check is rebuilt from the stored papers; the user's data is never touched.

Parallel indexing. Worker processes build whole segments in their own staging folders
(``index/incoming/<worker>/``, see reader.library.segments); a commit moves those segment files into the
index and writes a new table of contents listing them, the way Whoosh's own multi-process writer does with
``multisegment=True``. Staging outside the index folder matters: a commit deletes every segment file that
its table of contents does not list, which would include segments still being written.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.index import IndexError as WhooshIndexError
from whoosh.writing import SegmentWriter

from reader.library.catalog import Catalog, IndexFile
from reader.library.documents import build_schema
from reader.library.folder import LibraryFolder

INDEX_NAME = "MAIN"
# Bumped when the schema or what goes into a document changes: an index of another format is rebuilt.
INDEX_FORMAT = "4"  # 4: tags and collections
# The files Whoosh reads: tables of contents (_MAIN_<generation>.toc) and segment files (MAIN_<id>.<ext>).
_WHOOSH_FILE = re.compile(rf"^_?{INDEX_NAME}_\w+\.\w+$")
# What a failed read of damaged index files raises from inside Whoosh: struct and pickle errors, short reads,
# missing files. Whoosh has no exception of its own for this.
DAMAGE_ERRORS = (OSError, EOFError, ValueError, KeyError, IndexError, TypeError, AttributeError,
                 ImportError, MemoryError, struct.error, pickle.UnpicklingError, WhooshIndexError)


class IndexUnusable(Exception):
    """The index is missing, not this library's, or damaged; ``str()`` says which. Rebuild it."""


@dataclass
class StagedSegment:
    """A segment a worker finished: its Whoosh descriptor, where its files are, and the papers in it."""

    segment: Segment
    folder: Path
    paper_ids: list[str]

    def files(self) -> list[Path]:
        prefix = self.segment.segment_id() + "."
        return [p for p in self.folder.iterdir() if p.name.startswith(prefix)]


class SearchIndex:
    """The index folder of one library. Writing methods expect the caller to hold the writer lock."""

    def __init__(self, folder: LibraryFolder, catalog: Catalog, mmap: bool = False) -> None:
        self.folder = folder
        self.catalog = catalog
        # Without mmap an open searcher reads through file handles instead of mapping (and touching) the whole
        # index: a few MB of memory instead of the index's size, for slightly slower common-term queries.
        self.mmap = mmap
        self.path = folder.index
        self.staging = folder.index / "incoming"

    def storage(self) -> FileStorage:
        return FileStorage(str(self.path), supports_mmap=self.mmap)

    # trust

    def problem(self) -> str | None:
        """Why the index cannot be used as it is (then rebuild it), or None when it can."""
        if not self.path.is_dir() or not any(_is_toc(p.name) for p in self.path.iterdir()):
            return "the search index is missing"
        if self.catalog.meta("index_format") != INDEX_FORMAT:
            return "the search index was built by another version of litreader"
        manifest = self.catalog.index_files()
        for path in self._whoosh_files():
            recorded = manifest.get(path.name)
            if recorded is None:
                return "the search index holds files this library did not write"
            try:
                st = path.stat()
            except OSError:
                return "the search index changed while it was checked"
            if st.st_size != recorded.size:
                return f"the search index is damaged ({path.name} has changed size)"
            if (st.st_mtime_ns, st.st_ino) != (recorded.mtime, recorded.inode) and _sha256(path) != recorded.sha256:
                return f"the search index is damaged ({path.name} has changed)"
        try:
            ix = FileIndex(self.storage(), schema=None, indexname=INDEX_NAME)
            with ix.reader() as reader:  # opens every segment's files
                reader.doc_count_all()
        except DAMAGE_ERRORS as exc:
            return f"the search index is damaged ({type(exc).__name__}: {exc})"
        return None

    def open(self) -> FileIndex:
        """The index, after the trust check. Raises IndexUnusable."""
        reason = self.problem()
        if reason:
            raise IndexUnusable(reason)
        return FileIndex(self.storage(), schema=None, indexname=INDEX_NAME)

    def generation(self) -> int:
        """The latest committed generation on disk (-1 when there is none): cheap, for refreshing searchers."""
        return FileIndex(self.storage(), schema=None, indexname=INDEX_NAME).latest_generation()

    # writing (under the writer lock)

    def reset(self) -> None:
        """Replace the index by an empty one and mark every paper as not indexed (a rebuild starts here)."""
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self.storage().create_index(build_schema(), indexname=INDEX_NAME)
        files = self._hash_files({})
        with self.catalog.transaction() as db:
            self.catalog.replace_index_files(files, db)
            self.catalog.set_meta("index_format", INDEX_FORMAT, db)
            db.execute("UPDATE papers SET indexed = 0")

    def commit(self, segments: list[StagedSegment], delete_ids: Iterable[str] = (),
               indexed_ids: Iterable[str] = ()) -> None:
        """Add finished segments, delete the documents of ``delete_ids``, and record the new generation.

        ``indexed_ids`` are marked as indexed in the catalog once the generation is committed.
        """
        # Recorded before they move in (rename keeps size, mtime and inode): a crash after the move leaves
        # only files the manifest knows, which the next commit cleans up.
        staged_files = [path for staged in segments for path in staged.files()]
        with self.catalog.transaction() as db:
            self.catalog.add_index_files([_describe(path) for path in staged_files], db)
        for path in staged_files:
            os.replace(path, self.path / path.name)
        ix = FileIndex(self.storage(), schema=None, indexname=INDEX_NAME)
        # The writer lock is ours (reader.library.locking), so Whoosh's own lock file is not used (_lk=False).
        writer = SegmentWriter(ix, _lk=False, limitmb=64)
        try:
            for paper_id in set(delete_ids):
                writer.delete_by_term("id", paper_id)
            # Merge only tiny segments (see merge_tiny_segments), then list the workers' segments as they are.
            final = writer._merge_segments(merge_tiny_segments, False, True)
            final += [staged.segment for staged in segments]
            if writer._added:
                final.append(writer._finalize_segment())
            else:
                writer._close_segment()
            writer._commit_toc(final)
        except BaseException:
            writer.cancel()
            raise
        writer._finish()
        self.record(indexed_ids)

    def record(self, indexed_ids: Iterable[str] = ()) -> None:
        """Write the manifest of the index as it now is, and mark ``indexed_ids`` as indexed."""
        files = self._hash_files(self.catalog.index_files())
        with self.catalog.transaction() as db:
            self.catalog.replace_index_files(files, db)
            self.catalog.set_indexed(indexed_ids, True, db=db)

    def _whoosh_files(self) -> list[Path]:
        return sorted(p for p in self.path.iterdir() if _WHOOSH_FILE.match(p.name) and p.is_file())

    def _hash_files(self, known: dict[str, IndexFile]) -> list[IndexFile]:
        files = []
        for path in self._whoosh_files():
            st = path.stat()
            old = known.get(path.name)
            if old and (old.size, old.mtime, old.inode) == (st.st_size, st.st_mtime_ns, st.st_ino):
                files.append(old)
            else:
                files.append(_describe(path))
        return files


def _describe(path: Path) -> IndexFile:
    st = path.stat()
    return IndexFile(path.name, st.st_size, st.st_mtime_ns, st.st_ino, _sha256(path))


# Segments below this many papers are merged together once there are a few of them (the first seconds of an
# import commit often, in small batches). Larger ones are never merged: Whoosh merges in one thread at about
# the cost of indexing again (~60 ms a paper), and its own policy (MERGE_SMALL) merges *every* segment at
# once when there are many, which took minutes into a 10,000-paper import. The number of segments is kept
# down instead by committing less often as an import goes on (reader.library.importer).
TINY_SEGMENT = 60


def merge_tiny_segments(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
    """A Whoosh merge policy: fold the segments under TINY_SEGMENT papers into the new one, if 3 or more."""
    from whoosh.reading import SegmentReader

    tiny = [s for s in segments if s.doc_count_all() < TINY_SEGMENT]
    if len(tiny) < 3:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in tiny]


def _is_toc(name: str) -> bool:
    return name.startswith(f"_{INDEX_NAME}_") and name.endswith(".toc")


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
