"""The Whoosh index of a library: opened only as this user's litreader committed it, committed in batches.

Trust. Whoosh keeps its table of contents and much of its segments as pickles, and unpickling runs code, so
no index file is ever opened unless it is one this user's own writer produced. After each commit the writer
records a *manifest* in the catalog (the generation, and each of its files' size, stat and SHA-256) and signs
it with a key kept outside the library folder (reader.library.trust). A reader verifies the signature, then
each file: a file whose size, mtime, ctime and inode are unchanged since it was hashed is taken as hashed
(as git does for its index; ctime cannot be set back by anyone but root), any other is hashed again. Whoosh
then opens that generation only (never "the newest table of contents in the folder"), through a storage that
opens manifest files only, each checked again when opened. Files the manifest does not list (a commit in
progress, litter from a crash, anything planted) are never read; the next commit deletes them. An index that
fails the check is rebuilt from the stored papers; the user's data is never touched.

Commits as readers see them. A commit writes its new files and table of contents beside the old generation,
records and signs the new manifest in one catalog transaction, and only then deletes the files the new
generation no longer uses. A reader therefore sees the old generation whole or the new one whole: never a
half-made commit it could take for a foreign index. A reader that read a manifest just before a commit
deleted old files finds the manifest changed and checks again.

Parallel indexing. Worker processes build whole segments in their own staging folders
(``index/incoming/<worker>/``, see reader.library.segments); a commit moves those segment files into the
index and writes a new table of contents listing them, the way Whoosh's own multi-process writer does with
``multisegment=True``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.fields import Schema
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, FileIndex
from whoosh.reading import SegmentReader

from reader.library.catalog import Catalog
from reader.library.documents import build_schema
from reader.library.folder import LibraryFolder
from reader.library.trust import FileRecord, Manifest, sign, signing_key, verify

INDEX_NAME = "MAIN"
# Bumped when the schema or what goes into a document changes: an index of another format is rebuilt.
INDEX_FORMAT = "6"  # 5: tags and collections; 6: packed positions, no character offsets, word maps
# What reading damaged index files raises from inside Whoosh: struct, zlib and pickle errors, short reads,
# missing files, and plain Exception ("Block tag error"). Whoosh has no exception of its own for damage, and
# every file it reads passed the trust check, so any error while reading it is damage (rebuild, then answer).
DAMAGE_ERRORS = (Exception,)
# A manifest that changed while it was checked (a commit landed): check the new one, this many times at most.
_CHECK_ATTEMPTS = 4


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


class UntrustedFile(OSError):
    """Whoosh asked for a file that is not in the verified manifest, or that changed since it was checked."""


class TrustedStorage(FileStorage):
    """A FileStorage that opens only the files of a verified manifest, each only if it is still the file that
    was checked (same stat, or the same SHA-256 read through the opened handle), plus the files this
    storage's own writer creates."""

    def __init__(self, path: Path, manifest: Manifest, mmap: bool = False) -> None:
        super().__init__(str(path), supports_mmap=mmap)
        self.manifest = manifest
        self._own: set[str] = set()

    def create_file(self, name: str, excl: bool = False, mode: str = "wb", **kwargs: object) -> StructFile:
        self._own.add(name)
        return super().create_file(name, excl=excl, mode=mode, **kwargs)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        # not ``safe``: a file of that name that the manifest does not list (a crashed commit's table of
        # contents, a planted one) is replaced, never a reason to fail
        super().rename_file(oldname, newname, safe=False)
        if oldname in self._own:
            self._own.add(newname)

    def open_file(self, name: str, **kwargs: object) -> StructFile:
        if name in self._own:
            return super().open_file(name, **kwargs)
        record = self.manifest.files.get(name)
        if record is None:
            raise UntrustedFile(f"{name} is not among the index files this library wrote")
        f = open(self._fpath(name), "rb")
        try:
            st = os.fstat(f.fileno())
            if not record.unchanged(st):
                if st.st_size != record.size or _digest(f) != record.sha256:
                    raise UntrustedFile(f"{name} has changed")
                f.seek(0)
        except BaseException:
            f.close()
            raise
        return StructFile(f, name=name, **kwargs)


class PinnedIndex(FileIndex):
    """A Whoosh index that reads one given generation (the verified one), never the newest file it finds."""

    def __init__(self, storage: FileStorage, generation: int, toc: TOC | None = None) -> None:
        # FileIndex.__init__ would read the newest table of contents in the folder: not called on purpose
        self.storage = storage
        self._schema = None
        self.indexname = INDEX_NAME
        self.generation = generation
        self._toc = toc  # a table of contents known without reading a file (a fresh staging index)

    def _read_toc(self) -> TOC:
        if self._toc is not None:
            return self._toc
        return TOC.read(self.storage, self.indexname, gen=self.generation, schema=self._schema)

    def latest_generation(self) -> int:
        return self.generation


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

    # trust

    def problem(self) -> str | None:
        """Why the index cannot be used as it is (then rebuild it), or None when it can."""
        try:
            self._verified()
        except IndexUnusable as exc:
            return str(exc)
        return None

    def open(self) -> FileIndex:
        """The index as its last recorded commit left it, after the trust check. Raises IndexUnusable."""
        return self._verified()

    def generation(self) -> int:
        """The generation the last commit recorded (-1 when none): cheap, for refreshing searchers."""
        text, _ = self.catalog.index_manifest()
        try:
            return Manifest.from_text(text).generation if text else -1
        except (ValueError, KeyError, TypeError, IndexError):
            return -1

    def _verified(self) -> PinnedIndex:
        """Check the signed manifest and every file of it, and open that generation; a manifest replaced by a
        commit while it was checked is checked again. Raises IndexUnusable."""
        reason = ""
        for _ in range(_CHECK_ATTEMPTS):
            manifest = self._signed_manifest()
            try:
                ix = PinnedIndex(TrustedStorage(self.path, manifest, self.mmap), manifest.generation)
                with ix.reader() as reader:  # opens the table of contents and every segment's files
                    reader.doc_count_all()
                return ix
            except DAMAGE_ERRORS as exc:
                reason = damage_reason(exc)
            if self.catalog.index_manifest()[0] == manifest.to_text():
                break  # not a commit landing: the files themselves are wrong
        raise IndexUnusable(reason)

    def _signed_manifest(self) -> Manifest:
        text, signature = self.catalog.index_manifest()
        if not text or not self.path.is_dir():
            raise IndexUnusable("the search index is missing")
        if not signature or not verify(text, signature, signing_key()):
            raise IndexUnusable("the search index is not trusted (this user's litreader did not write it: a "
                                "library from another user or machine, or changed by someone else)")
        try:
            manifest = Manifest.from_text(text)
        except (ValueError, KeyError, TypeError, IndexError):
            raise IndexUnusable("the search index is not trusted (its manifest is malformed)") from None
        if manifest.index_format != INDEX_FORMAT:
            raise IndexUnusable("the search index was built by another version of litreader")
        return manifest

    # writing (under the writer lock)

    def reset(self) -> None:
        """Replace the index by an empty one and mark every paper as not indexed (a rebuild starts here)."""
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        storage = self.storage_for_writing(Manifest(INDEX_FORMAT, 0, {}))
        TOC(build_schema(), [], 0).write(storage, INDEX_NAME)
        text, signature = self._signed_manifest_of(0, [], {})
        with self.catalog.transaction() as db:
            self.catalog.set_index_manifest(text, signature, db)
            db.execute("UPDATE papers SET indexed = 0")

    def storage_for_writing(self, manifest: Manifest) -> TrustedStorage:
        return TrustedStorage(self.path, manifest)

    def commit(self, segments: list[StagedSegment], delete_ids: Iterable[str] = (),
               indexed_ids: Iterable[str] = (), merge_tiny: bool = True) -> bool:
        """Add finished segments, delete the documents of ``delete_ids``, and record the new generation.

        ``indexed_ids`` are marked as indexed in the catalog in the same transaction that records it. The tiny
        segments of the first commits are merged on the way (see merge_tiny_segments), unless ``merge_tiny``
        is false: an import merges them after its commit, on its own (importer.ImportRun._merge_tiny_segments).
        Returns whether tiny segments that were there before it are left to merge (only with ``merge_tiny``
        false): the ones it would have merged.
        """
        manifest = self._verified_for_writing()
        for path in [path for staged in segments for path in staged.files()]:
            os.replace(path, self.path / path.name)
        storage = self.storage_for_writing(manifest)
        toc = PinnedIndex(storage, manifest.generation)._read_toc()
        kept = _deleted(storage, toc.schema, toc.segments, set(delete_ids))
        tiny = merge_tiny_segments(kept) if merge_tiny else []
        final = [s for s in kept if s not in tiny] + [staged.segment for staged in segments]
        if tiny:
            from reader.library.merging import merge_segments  # it builds on segments, which imports this

            final.append(merge_segments(storage, toc.schema, tiny))
        self._record(storage, toc.schema, manifest, final, indexed_ids)
        return bool(not tiny and merge_tiny_segments(kept))

    def merge(self, choose: Callable[[list[Segment]], list[Segment]], cancel: threading.Event | None = None,
              progress: Callable[[float], None] | None = None) -> int:
        """Merge the segments ``choose`` picks from the index's (2 or more) into one; returns how many papers
        the new segment holds (0: nothing merged). The new segment and table of contents are written beside
        the old ones and recorded in one catalog transaction; only then are the old files deleted, so a kill
        at any moment leaves the old generation whole, and a search meanwhile reads the old or the new one.
        Raises merging.MergeCancelled (nothing changed) when ``cancel`` is set; ``progress`` is told how far the
        merge is (0 to 1) now and then."""
        manifest = self._verified_for_writing()
        storage = self.storage_for_writing(manifest)
        toc = PinnedIndex(storage, manifest.generation)._read_toc()
        chosen = choose(list(toc.segments))
        if len(chosen) < 2:
            return 0
        from reader.library.merging import merge_segments  # it builds on segments, which imports this

        merged = merge_segments(storage, toc.schema, chosen, cancel, progress)
        self._record(storage, toc.schema, manifest, [s for s in toc.segments if s not in chosen] + [merged], ())
        return merged.doc_count_all()

    def segment_sizes(self) -> list[int]:
        """The number of papers in each segment of the recorded generation (deleted ones included)."""
        manifest = self._signed_manifest()
        ix = PinnedIndex(TrustedStorage(self.path, manifest), manifest.generation)
        return [segment.doc_count_all() for segment in ix._read_toc().segments]

    def _record(self, storage: TrustedStorage, schema: Schema, manifest: Manifest, segments: list[Segment],
                indexed_ids: Iterable[str]) -> None:
        """Write the table of contents of the next generation, record and sign its manifest (with
        ``indexed_ids`` marked indexed in the same transaction), then delete what it no longer lists."""
        generation = manifest.generation + 1
        # Not Whoosh's writer._commit_toc: it deletes the old generation's files at once, under readers' feet.
        TOC(schema, segments, generation).write(storage, INDEX_NAME)
        # hashed before the transaction, so the database is locked for a moment only
        text, signature = self._signed_manifest_of(generation, segments, manifest.files)
        with self.catalog.transaction() as db:
            self.catalog.set_index_manifest(text, signature, db)
            self.catalog.set_indexed(indexed_ids, True, db=db)
        self.remove_unlisted()

    def _verified_for_writing(self) -> Manifest:
        self._verified()  # raises IndexUnusable: the caller rebuilds
        return self._signed_manifest()

    def _signed_manifest_of(self, generation: int, segments: list[Segment], known: dict[str, FileRecord]
                            ) -> tuple[str, str]:
        """The manifest of ``generation`` as written on disk, and its signature."""
        names = {TOC._filename(INDEX_NAME, generation)}
        prefixes = tuple(segment.segment_id() + "." for segment in segments)
        if prefixes:
            names |= {p.name for p in self.path.iterdir() if p.name.startswith(prefixes)}
        files = {}
        for name in sorted(names):
            path = self.path / name
            old = known.get(name)
            files[name] = old if old is not None and old.unchanged(path.stat()) else FileRecord.of(path)
        text = Manifest(INDEX_FORMAT, generation, files).to_text()
        return text, sign(text, signing_key())

    def remove_unlisted(self) -> None:
        """Delete what the recorded generation does not use: the old generation's files once no new reader
        can pick it, litter from a crash, anything planted."""
        text, _ = self.catalog.index_manifest()
        if not text or not self.path.is_dir():
            return
        listed = set(Manifest.from_text(text).files)
        for path in self.path.iterdir():
            if path.is_file() and path.name not in listed:
                try:
                    path.unlink()
                except OSError:
                    pass


def damage_reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"the search index is damaged ({Path(exc.filename or '?').name} is missing)"
    if isinstance(exc, UntrustedFile):
        return f"the search index is damaged ({exc})"
    return f"the search index is damaged ({type(exc).__name__}: {exc})"


def _digest(f: object) -> str:
    return hashlib.file_digest(f, "sha256").hexdigest()  # type: ignore[arg-type]


# Segments below this many papers are merged together once there are a few of them (the first seconds of an
# import commit often, in small batches), in the commit itself (reader.library.merging: about 20 ms a paper).
# Larger ones are merged only by SearchIndex.merge, outside commits (see Library.merge_segments).
TINY_SEGMENT = 60


def merge_tiny_segments(segments: list[Segment]) -> list[Segment]:
    """The segments a commit merges: those under TINY_SEGMENT papers, if 3 or more (else none)."""
    tiny = [s for s in segments if s.doc_count_all() < TINY_SEGMENT]
    return tiny if len(tiny) >= 3 else []


def _deleted(storage: TrustedStorage, schema: Schema, segments: list[Segment], paper_ids: set[str]
             ) -> list[Segment]:
    """``segments`` with the documents of ``paper_ids`` marked deleted (as Whoosh's delete_by_term marks them)."""
    if not paper_ids:
        return segments
    field = schema["id"]
    for segment in segments:
        reader = SegmentReader(storage, schema, segment)
        try:
            for paper_id in paper_ids:
                word = field.to_bytes(paper_id)
                if ("id", word) in reader:
                    for docnum in reader.postings("id", word).all_ids():
                        if not segment.is_deleted(docnum):
                            segment.delete_document(docnum)
        finally:
            reader.close()
    return segments
