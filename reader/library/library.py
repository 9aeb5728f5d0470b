"""A library: the one object the window and the command line use to import, list, open, search and remove.

Reading (list, open, search) never waits for anyone. Writing (import, remove, reindex, rebuilding the index)
takes the library's writer lock first, so a second process on the same library waits its turn (``on_wait``
is told what it is waiting for) instead of corrupting anything.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from reader.errors import LibraryBusy, LibraryError
from reader.ingest import PARSER_VERSION, load_bytes
from reader.library.catalog import Catalog, CatalogEntry
from reader.library.discover import discover
from reader.library.folder import LibraryFolder
from reader.library.importer import ImportReport, ImportRun, Progress
from reader.library.index import IndexUnusable, SearchIndex
from reader.library.locking import WriterLock
from reader.library.search import LibrarySearcher, SearchHit
from reader.library.workers import TASK_TIME_LIMIT, Parser
from reader.model import Paper

ProgressCallback = Callable[[Progress], None]


class Library:
    """One library folder. Open with ``Library.open(path)``; close when done (or use ``with``)."""

    def __init__(self, root: Path, *, read_only: bool = False, mmap: bool = False,
                 workers: int | None = None, parse: Parser | None = None,
                 time_limit: float = TASK_TIME_LIMIT) -> None:
        self.folder = LibraryFolder(root)
        self.root = self.folder.root
        self.read_only = read_only
        self.catalog = Catalog(self.folder.catalog, read_only=read_only)
        self.index = SearchIndex(self.folder, self.catalog, mmap=mmap)
        self.lock = WriterLock(self.folder.lock)
        self.workers = workers
        self.parse = parse  # tests swap the parser (a hang, a crash); None is the real one
        self.time_limit = time_limit  # how long one file may take in a worker
        self._searcher: LibrarySearcher | None = None
        self._searcher_lock = threading.Lock()
        # what a waiting writer says; the CLI prints it, the window shows it
        self.on_wait: Callable[[str], None] | None = None
        self.lock_timeout: float | None = None
        # told when the index is rebuilt: (reason, None) first, then ("", progress) as it goes
        self.on_rebuild: Callable[[str, Progress | None], None] | None = None

    @classmethod
    def open(cls, root: str | os.PathLike[str], **kwargs: object) -> Library:
        """Open the library at ``root``, creating it when the folder has none.

        A library in a folder we cannot write to opens read-only (list, open and search work; anything that
        would change it raises LibraryError). A folder that cannot hold a library raises LibraryError.
        """
        folder = LibraryFolder(Path(root))
        if folder.exists() and not os.access(folder.root, os.W_OK):
            return cls(folder.root, read_only=True, **kwargs)  # type: ignore[arg-type]
        folder.ensure_writable()
        return cls(folder.root, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        with self._searcher_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        self.catalog.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # reading

    def entries(self, sort: str = "added") -> list[CatalogEntry]:
        """Every paper in the library, from the catalog (see Catalog.entries for the sort keys)."""
        return self.catalog.entries(sort)

    def entry(self, paper_id: str) -> CatalogEntry:
        entry = self.catalog.get(paper_id) or self._by_prefix(paper_id)
        if entry is None:
            raise LibraryError(f"{paper_id}: no such paper in the library")
        return entry

    def _by_prefix(self, prefix: str) -> CatalogEntry | None:
        """A paper by the first characters of its id (as people copy them from a list), if unambiguous."""
        if len(prefix) < 4:
            return None
        matches = [pid for pid in self.catalog.ids() if pid.startswith(prefix.lower())]
        if len(matches) > 1:
            raise LibraryError(f"{prefix}: more than one paper's id starts with this; give more of it")
        return self.catalog.get(matches[0]) if matches else None

    def paper(self, paper_id: str) -> Paper:
        """The parsed paper; re-parsed from its stored source when the cache is missing or outdated."""
        entry = self.entry(paper_id)
        paper = self.folder.read_cache(entry.id)
        if paper is not None and paper.parser_version == PARSER_VERSION:
            return paper
        source = self.folder.source_path(entry.id)
        if source is None:
            raise LibraryError(f"{entry.id}: its stored source file is missing from {self.folder.papers}")
        paper = (self.parse or load_bytes)(source.read_bytes(), str(source))
        paper.id = entry.id
        if not self.read_only:
            self.folder.write_cache(paper)
        return paper

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Search the library (see reader.library.search for the query language).

        A missing, foreign or damaged index is rebuilt first (reported to ``self.on_rebuild``).
        Raises QueryError for a query it cannot understand.
        """
        with self._searcher_lock:
            if self._searcher is None:
                self._searcher = self._open_searcher()
            try:
                return self._searcher.search(query, limit)
            except IndexUnusable as exc:
                self._searcher.close()
                self._searcher = None
                self._rebuild(str(exc))
                self._searcher = self._open_searcher()
                return self._searcher.search(query, limit)

    def _open_searcher(self) -> LibrarySearcher:
        if not self.read_only and self.index.problem() is None and self._unindexed():
            # Papers not yet indexed: index them now, unless another process holds the writer lock (an
            # import in progress commits them itself); a search never waits for an import.
            try:
                self.lock.acquire("indexing papers left unindexed", timeout=0)
            except LibraryBusy:
                pass
            else:
                with self.lock:
                    self.ensure_index()
        try:
            return LibrarySearcher(self.index, self.catalog, self.folder)
        except IndexUnusable as exc:
            if self.read_only:
                raise LibraryError(f"{self.root}: {exc}, and the library is read-only, so it cannot be "
                                   "rebuilt") from None
            self._rebuild(str(exc))
            return LibrarySearcher(self.index, self.catalog, self.folder)

    # writing

    def _written(self) -> None:
        """This process changed the index: the open searcher moves to the new generation at its next search."""
        if self._searcher is not None:
            self._searcher.expect_changes()

    def _take_lock(self, purpose: str) -> WriterLock:
        if self.read_only:
            raise LibraryError(f"{self.root}: the library folder is read-only; nothing was changed")
        self.lock.acquire(purpose, timeout=self.lock_timeout, on_wait=self.on_wait)
        return self.lock

    def ensure_index(self, progress: ProgressCallback | None = None) -> None:
        """Make the index whole: rebuild it if unusable; index the papers a past run left unindexed."""
        reason = self.index.problem()
        if reason is None and not self._unindexed():
            return
        with self._take_lock("checking the search index"):
            reason = self.index.problem()
            if reason is not None:
                self._rebuild(reason, progress)
            elif self._unindexed():
                self._run(reindex=self._unindexed(), progress=progress)

    def _rebuild(self, reason: str, progress: ProgressCallback | None = None) -> None:
        with self._take_lock("rebuilding the search index"):
            if self.on_rebuild is not None:
                self.on_rebuild(reason, None)
            self.index.reset()
            self._run(reindex=self._unindexed(), progress=progress or self._rebuild_progress)

    def _rebuild_progress(self, progress: Progress) -> None:
        if self.on_rebuild is not None:
            self.on_rebuild("", progress)

    def import_paths(self, paths: Iterable[str | os.PathLike[str]], progress: ProgressCallback | None = None,
                     cancel: threading.Event | None = None) -> ImportReport:
        """Import files and folders (recursively). Returns one result per file; see ImportRun."""
        paths = list(paths)
        with self._take_lock("importing"):
            found = discover(paths)
            if self.index.problem() is not None:
                self.index.reset()  # every stored paper is indexed again in this run
            report = self._run(files=found, reindex=self._unindexed(), progress=progress, cancel=cancel)
        return report

    def reindex(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None
                ) -> ImportReport:
        """Rebuild the index from the stored papers, re-parsing those an older parser read (a rebuild
        after damage does the same)."""
        with self._take_lock("rebuilding the search index"):
            self.index.reset()
            return self._run(reindex=self._unindexed(), progress=progress, cancel=cancel)

    def remove(self, paper_id: str) -> CatalogEntry:
        """Take a paper out of the library: catalog, index and stored files."""
        with self._take_lock("removing a paper"):
            entry = self.entry(paper_id)
            # not indexed -> out of the index -> out of the catalog: a crash in between leaves the paper in
            # the library (indexed again at the next start), never half removed
            self.catalog.set_indexed([entry.id], False)
            if self.index.problem() is None:
                self.index.commit([], delete_ids=[entry.id])
            self.catalog.remove(entry.id)
            self.folder.remove(entry.id)
            self._written()
        return entry

    def _unindexed(self) -> list[tuple[str, str]]:
        """(id, notes) of papers no committed index holds (a run cut short, a paper whose notes changed).
        Papers read by an older parser are not among them: re-parsing a whole library is ``reindex()``'s
        job, never a side effect of a search or a small import."""
        return [(paper_id, "") for paper_id in self.catalog.unindexed()]

    def outdated(self) -> int:
        """How many papers an older parser read (``reindex()`` parses them again)."""
        return len(self.catalog.outdated(PARSER_VERSION))

    def _run(self, *, files: Iterable = (), reindex: Iterable[tuple[str, str]] = (),
             progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> ImportReport:
        run = ImportRun(self.folder, self.catalog, self.index, files=files, reindex=reindex,
                        workers=self.workers, parse=self.parse, progress=progress, cancel=cancel,
                        time_limit=self.time_limit)
        try:
            return run.run()
        finally:
            self._written()
