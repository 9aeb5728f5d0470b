"""Importing files into a library, and (re)indexing stored papers: the loop that drives the worker pool.

The importing process reads each file once, hashes it and drops the ones the library already has (the id of
a paper is the hash of its bytes), then hands the bytes to a worker. Workers parse, store and index into
segments of their own; every few seconds the segments are committed together with the papers' catalog rows
(see reader.library.index for the order that keeps the two in step). So search sees papers while a long
import goes on, and an interrupted import loses at most the last few seconds of work: run it again and it
continues, with every paper once.

Commits run on a thread of their own, so the workers keep getting files while segments are merged.
The caller holds the library's writer lock for the whole run.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import ParseError
from reader.ingest import read_input
from reader.library.catalog import Catalog, CatalogEntry
from reader.library.discover import Found
from reader.library.folder import LibraryFolder, readable_name
from reader.library.index import SearchIndex, StagedSegment, merge_tiny_segments
from reader.library.merging import MergeCancelled, smallest_segments
from reader.library.userdata import UserData
from reader.library.workers import TASK_TIME_LIMIT, Event, InlinePool, Parser, Task, WorkerPool, is_disk_full

INLINE_LIMIT = 4  # stored papers to index again without starting worker processes
# The last commit, which the user waits for after the last file is parsed, holds about this many papers at
# most, where doubling intervals alone made it half the library (4,700 papers at 10,000: minutes of a frozen
# progress bar). 419 papers took 85 s at load 9 on 2 cores (about 25 s quiet), hence 300. See ImportRun._step.
COMMIT_PAPERS = 300
# No commit holds more than about this many papers, anywhere in an import, where the growing intervals alone let
# a middle commit reach 3,812 papers at 10,000 (five minutes of a progress bar standing still). When the papers
# waiting reach it, only the worker with the most of them writes its segment; the others go on parsing.
COMMIT_MAX_PAPERS = 1000
# After the last commit of a run that indexed at least COMMIT_PAPERS papers, the smallest segments that hold at
# most this many papers together are merged into one (reader.library.merging: the cost is per word, so small
# segments cost most, 25-65 ms of CPU a paper measured at load 7-15: some seconds), with the progress saying so: the last commits, shrinking towards the end, leave small segments, and
# every segment slows every search. Merging the whole library is for when it is idle (Library.merge_segments).
MERGE_AT_END_PAPERS = 200
from reader.model import paper_id_for


@dataclass
class FileResult:
    """What became of one file: ``imported``, ``already there``, ``skipped`` or ``failed`` (with ``reason``)."""

    path: str
    status: str
    paper_id: str = ""
    title: str = ""
    reason: str = ""

    def to_json(self) -> dict[str, str]:
        return {"path": readable_name(self.path), "status": self.status, "paper_id": self.paper_id,
                "title": self.title,
                "reason": self.reason}


@dataclass
class Progress:
    """How far a run is, for a progress bar. ``done`` counts files finished (any outcome) out of ``total``."""

    phase: str  # "importing" | "indexing" | "merging segments" (after the last commit; "merging segments 40%")
    total: int
    done: int = 0
    imported: int = 0
    already: int = 0
    failed: int = 0
    skipped: int = 0
    indexed: int = 0
    elapsed: float = 0.0
    uncommitted: int = 0  # papers parsed and indexed by a worker, not yet committed (searchable once they are)

    @property
    def rate(self) -> float:
        """Files per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate (None until there is a rate)."""
        if self.done == 0 or self.rate == 0:
            return None
        return max(0.0, (self.total - self.done) / self.rate)


@dataclass
class ImportReport:
    """The outcome of a run: one result per file met, and whether it was interrupted before the end."""

    results: list[FileResult] = field(default_factory=list)
    indexed: int = 0  # stored papers (re)indexed in the run
    interrupted: bool = False
    elapsed: float = 0.0
    commits: int = 0  # index commits, and the time they took (merging segments is most of it)
    commit_seconds: float = 0.0
    longest_commit: float = 0.0  # seconds
    disk_full: str = ""  # why the run stopped early for want of space (what it left half-written is removed)
    merged: int = 0  # papers in the segment made by merging small ones after the last commit (0: none)
    merge_seconds: float = 0.0
    tiny_merged: int = 0  # papers in segments made by merging the first commits' tiny ones, after their commits
    tiny_merge_seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


@dataclass
class _Batch:
    segments: list[StagedSegment]
    entries: list[tuple[Task, CatalogEntry | None]]


class ImportRun:
    """One import (or reindex) over a worker pool; ``run()`` returns the report."""

    def __init__(self, folder: LibraryFolder, catalog: Catalog, index: SearchIndex, *,
                 files: Iterable[Found] = (), reindex: Iterable[tuple[str, UserData]] = (),
                 workers: int | None = None, parse: Parser | None = None,
                 progress: Callable[[Progress], None] | None = None, cancel: threading.Event | None = None,
                 time_limit: float = TASK_TIME_LIMIT, first_commit: float = 2.0, max_commit_interval: float = 600.0,
                 commit_papers: int | None = None, commit_max_papers: int | None = None,
                 merge_papers: int | None = None, user_data: Callable[[str], UserData] | None = None) -> None:
        self.folder, self.catalog, self.index = folder, catalog, index
        self.report = ImportReport()
        self._files: deque[Found] = deque()
        for found in files:
            if found.status == "file":
                self._files.append(found)
            else:
                self.report.results.append(FileResult(found.path, found.status, reason=found.reason))
        self._reindex = deque(reindex)
        total = len(self._files) + len(self._reindex)
        self.progress = Progress("importing" if self._files else "indexing", total,
                                 failed=len(self.report.failed), skipped=self.report.count("skipped"))
        self._on_progress = progress
        self._cancel = cancel or threading.Event()
        # A handful of stored papers to index again is quicker here than in freshly started processes.
        self._pool: WorkerPool | InlinePool = (
            InlinePool(folder, parse) if not self._files and len(self._reindex) <= INLINE_LIMIT
            else WorkerPool(folder, workers or min(2, os.cpu_count() or 1), parse, time_limit))
        self._first_commit = first_commit
        self._max_commit_interval = max_commit_interval
        self._commit_papers = commit_papers or COMMIT_PAPERS
        self._commit_max_papers = commit_max_papers or COMMIT_MAX_PAPERS
        self._merge_papers = MERGE_AT_END_PAPERS if merge_papers is None else merge_papers
        self._requeue: deque[Task] = deque()
        self._done: dict[str, tuple[Task, CatalogEntry | None]] = {}
        self._flushed: list[StagedSegment] = []
        self._claimed = catalog.ids()  # papers already in the library, or taken by this run
        # a paper removed and imported again comes back with what the reader made of it
        self._user_data = user_data
        # files with the same bytes as one this run is still importing: they share its outcome (a copy of a
        # file that fails is not "already in the library")
        self._same_bytes: dict[str, list[str]] = {}
        self._first_path: dict[str, str] = {}
        self._next_key = 0
        self._started = 0.0
        self._commit_thread: threading.Thread | None = None
        self._commit_error: BaseException | None = None
        self._last_flush = 0.0
        self._last_report = 0.0
        self._in_commit = 0  # papers of the commit under way
        self._disk_full = ""
        self._not_stored: list[Task] = []  # tasks a worker could not write for want of space
        self._full_batch: tuple[_Batch, bool] | None = None  # a commit stopped by a full disk (rows added?)

    # the loop

    def run(self) -> ImportReport:
        start = self._started = time.monotonic()
        self._last_flush = start
        self._pool.start()
        stopping = False
        unfinished: list[Task] = []
        try:
            while True:
                try:
                    if self._cancel.is_set() and not stopping:
                        stopping = True
                        self.report.interrupted = True
                    if not stopping:
                        self._feed()
                    if self._step(start, stopping):
                        break
                except KeyboardInterrupt:
                    # First Ctrl+C: stop taking files, commit what the workers finished. A second one ends
                    # the process; the library stays consistent (the next run picks up the rest).
                    if stopping:
                        raise
                    stopping = True
                    self.report.interrupted = True
        finally:
            unfinished = self._pool.unfinished()
            self._pool.stop()
            self._wait_for_commit()
        if self._commit_error is not None:
            raise self._commit_error
        if self._disk_full:
            self._stop_for_full_disk(unfinished)
        for paper_id, paths in list(self._same_bytes.items()):  # interrupted before their first copy was done
            if self.catalog.get(paper_id) is not None:
                for path in paths:
                    self._finish(FileResult(path, "already there", paper_id, self._title(paper_id)))
        if not (self.report.interrupted or self._disk_full or self._cancel.is_set()) \
                and self.progress.imported + self.progress.indexed >= self._commit_papers:
            self._merge_small_segments(start)
        self.report.elapsed = time.monotonic() - start
        return self.report

    def _merge_small_segments(self, start: float) -> None:
        """Merge the smallest segments (MERGE_AT_END_PAPERS), everything being committed already: a cancel or
        a full disk leaves the index as the last commit made it."""
        began = time.monotonic()
        self.progress.phase = "merging segments"
        self.progress.elapsed = began - start
        self._report(force=True)
        try:
            self.report.merged = self.index.merge(lambda segments: smallest_segments(segments, self._merge_papers),
                                                  self._cancel, self._merge_progress)
        except MergeCancelled:
            pass
        except OSError as exc:
            if not _no_room(exc):
                raise
        self.report.merge_seconds = time.monotonic() - began
        self.progress.phase = "merging segments"
        self.progress.elapsed = time.monotonic() - start
        self._report(force=True)

    def _merge_progress(self, share: float) -> None:
        """The merge at the end says how far it is: the progress moves ("merging segments 40%")."""
        self.progress.phase = f"merging segments {int(100 * share)}%"
        self.progress.elapsed = time.monotonic() - self._started
        self._report()

    def _step(self, start: float, stopping: bool) -> bool:
        """One turn of the loop; True when everything is committed and there is nothing left to do."""
        if self._disk_full:
            return True  # nothing more can be written: stop at once (run() cleans up)
        pool = self._pool
        nothing_left = stopping or not (self._files or self._reindex or self._requeue)
        # Commit what the workers finished (before asking for more: a new request would hold this back).
        if self._flushed and not pool.flushing() and not self._committing():
            self._start_commit()
        # Ask for segments 2 s after the start (so a long import is searchable at once), then at intervals
        # that grow (2, 6, 18, 54 s... from the start): every commit adds a segment per worker, each segment
        # slows searches, and merging them costs as much as indexing again. Towards the end, commits come
        # sooner: as soon as the papers waiting for one are as many as the files left (and COMMIT_PAPERS), so
        # commits shrink by halves (3,000, 1,500, 750 ... papers at 10,000) down to COMMIT_PAPERS, and the last
        # one, which nothing else overlaps, is short. And no commit ever holds much more than COMMIT_MAX_PAPERS
        # (about two thirds of it once it is reached: one worker's segment at a time).
        now = time.monotonic()
        interval = min(self._max_commit_interval, max(self._first_commit, 2 * (self._last_flush - start)))
        if pool.has_unflushed() and not pool.flushing() and not self._committing() and not self._flushed:
            waiting = pool.unflushed_count()
            if waiting >= self._commit_max_papers and not (nothing_left and not pool.busy()):
                # the bound: one worker (the one with the most papers) writes its segment while the others
                # go on parsing, so the progress never stands still and each commit adds one segment
                pool.request_flush(one=True)
                self._last_flush = now
            elif (nothing_left and not pool.busy()) or now - self._last_flush >= interval \
                    or waiting >= max(self._commit_papers, self._left()):
                pool.request_flush()
                self._last_flush = now
        if self._commit_error is not None:
            return True
        if nothing_left and not pool.busy() and not pool.has_unflushed() and not self._flushed \
                and not self._committing():
            self._report(force=True)
            return True
        for event in pool.poll(timeout=0.05):
            self._handle(event)
        self.progress.elapsed = time.monotonic() - start
        self._report()
        return False

    def _left(self) -> int:
        """Files (and stored papers) not finished yet."""
        return self.progress.total - self.progress.done

    def _feed(self) -> None:
        while True:
            if self._requeue and self._requeue[0].deaths:
                # a paper whose worker died: it goes to a worker with an empty segment (see workers.MAX_DEATHS)
                worker = self._pool.clean_worker()
                if worker is None:
                    if not self._pool.flushing():
                        self._pool.request_flush()  # so that a worker becomes clean
                        self._last_flush = time.monotonic()
                    return
            else:
                worker = self._pool.free_worker()
            if worker is None:
                return
            task, data = self._next_task()
            if task is None:
                return
            for event in self._pool.send(worker, task, data):
                self._handle(event)

    def _next_task(self) -> tuple[Task | None, bytes | None]:
        """The next task to hand out (with the file's bytes for an import), or (None, None) when none."""
        if self._requeue:
            task = self._requeue.popleft()
            if task.kind == "index":
                return task, None
            data = self._read(task.path)  # a file gone since is reported by _read, once
            if data is not None and paper_id_for(data) == task.paper_id:
                return task, data
            self._claimed.discard(task.paper_id)
            self._first_path.pop(task.paper_id, None)
            self._files.extendleft(Found(path) for path in self._same_bytes.pop(task.paper_id, []))
            self.folder.remove(task.paper_id)  # what the dead worker stored for it: in no catalog
            if data is not None:  # changed since: a new file
                self._files.appendleft(Found(task.path))
            return self._next_task()
        if self._reindex:
            paper_id, user = self._reindex.popleft()
            return Task(self._key(), "index", paper_id, user=user), None
        while self._files:
            found = self._files.popleft()
            data = self._read(found.path)
            if data is None:
                continue
            paper_id = paper_id_for(data)
            if paper_id in self._first_path:
                self._same_bytes.setdefault(paper_id, []).append(found.path)
                continue
            if paper_id in self._claimed:
                self._finish(FileResult(found.path, "already there", paper_id, self._title(paper_id)))
                continue
            self._claimed.add(paper_id)
            self._first_path[paper_id] = found.path
            user = self._user_data(paper_id) if self._user_data else UserData()
            return Task(self._key(), "import", paper_id, path=found.path, user=user), data
        return None, None

    def _read(self, path: str) -> bytes | None:
        """The file's bytes; None (with the file failed) when it cannot be read or is no candidate."""
        reason = ""
        data = b""
        try:
            with open(path, "rb") as f:
                data = read_input(f)  # refused by its size before it is read whole
        except ParseError as exc:
            reason = str(exc)
        except FileNotFoundError:
            reason = "the file disappeared before it could be read"
        except IsADirectoryError:
            reason = "is a folder, not a file"
        except OSError as exc:
            reason = f"cannot read it: {exc.strerror or exc}"
        if not reason:
            if not data.strip():
                reason = "the file is empty"
            else:
                return data
        self._finish(FileResult(path, "failed", reason=reason))
        return None

    def _handle(self, event: Event) -> None:
        task = event.task
        if event.kind == "done" and task is not None:
            self._done[task.paper_id] = (task, event.entry)
            self.progress.done += 1
        elif event.kind == "failed" and task is not None:
            if self._done.pop(task.paper_id, None) is not None:
                self.progress.done -= 1  # done by a worker that died before its segment was finished
            self._claimed.discard(task.paper_id)
            if task.kind == "import" and self.catalog.get(task.paper_id) is None:
                self.folder.remove(task.paper_id)  # what the dead worker stored for it: in no catalog
            if task.kind == "import":
                self._finish(FileResult(task.path, "failed", reason=event.reason))
                self._first_path.pop(task.paper_id, None)
                for path in self._same_bytes.pop(task.paper_id, []):
                    self._finish(FileResult(path, "failed", reason=f"{event.reason} (the same bytes as "
                                            f"{Path(task.path).name})"))
            else:
                self._finish(FileResult(task.paper_id, "failed", task.paper_id, reason=event.reason))
        elif event.kind == "flushed":
            if event.segment is not None:
                self._flushed.append(event.segment)
        elif event.kind == "full":
            self._disk_full = self._disk_full or event.reason
            self._not_stored += [t for t in ([task] if task is not None else []) + event.tasks]
        elif event.kind == "requeue":
            for task in event.tasks:
                if self._done.pop(task.paper_id, None) is not None:
                    self.progress.done -= 1  # it was counted when the dead worker reported it
                self._requeue.append(task)

    # commits

    def _committing(self) -> bool:
        return self._commit_thread is not None and self._commit_thread.is_alive()

    def _start_commit(self) -> None:
        segments, self._flushed = self._flushed, []
        entries = [self._done.pop(pid) for s in segments for pid in s.paper_ids if pid in self._done]
        batch = _Batch(segments, entries)
        self._in_commit = len(entries)
        self._commit_thread = threading.Thread(target=self._commit, args=(batch,), name="litreader-commit",
                                               daemon=True)
        self._commit_thread.start()

    def _commit(self, batch: _Batch) -> None:
        started = time.monotonic()
        try:
            new_rows = [entry for task, entry in batch.entries if task.kind == "import" and entry is not None]
            reparsed = [(task, entry) for task, entry in batch.entries if task.kind == "index" and entry]
            if reparsed:  # a re-parse keeps the paper's place in the library: its name and the date added
                known = self.catalog.get_many([task.paper_id for task, _ in reparsed])
                for task, entry in reparsed:
                    if entry is not None and task.paper_id in known:
                        entry.added, entry.source_name = known[task.paper_id].added, known[task.paper_id].source_name
                        new_rows.append(entry)
            # Rows first (not yet indexed), then the index, then "indexed": a crash anywhere in between leaves
            # rows the next start indexes again (replacing whatever the index already had of them).
            rows_added = False
            if new_rows:
                self.catalog.add(new_rows)
            rows_added = True
            replaced = [task.paper_id for task, _ in batch.entries if task.kind == "index"]
            ids = [task.paper_id for task, _ in batch.entries]
            tiny_left = self.index.commit(batch.segments, delete_ids=replaced, indexed_ids=ids, merge_tiny=False)
        except BaseException as exc:  # noqa: BLE001 - handed to the loop, which stops and re-raises it
            if _no_room(exc):
                self._disk_full = self._disk_full or f"cannot write the library: {exc}"
                self._full_batch = (batch, rows_added)
            else:
                self._commit_error = exc
            return
        self.report.commits += 1
        self.report.commit_seconds += time.monotonic() - started
        self.report.longest_commit = max(self.report.longest_commit, time.monotonic() - started)
        self._in_commit = 0
        for task, entry in batch.entries:
            if task.kind == "import" and entry is not None:
                self._finish(FileResult(task.path, "imported", task.paper_id, entry.title))
                self.progress.imported += 1
                self._first_path.pop(task.paper_id, None)
                for path in self._same_bytes.pop(task.paper_id, []):
                    self._finish(FileResult(path, "already there", task.paper_id, entry.title))
            else:
                self.report.indexed += 1
                self.progress.indexed += 1
        if tiny_left:
            self._merge_tiny_segments({staged.segment.segment_id() for staged in batch.segments})

    def _merge_tiny_segments(self, committed: set[str]) -> None:
        """After a commit, on the commit thread: the tiny segments of the first commits (index.TINY_SEGMENT)
        merged into one, a step of its own. Why not inside the commit (as SearchIndex.commit does by default):
        that merge was an import's one long commit (66 papers, 2 s of CPU: 15 s of wall clock beside the two
        workers at load 9), the commit's papers neither searchable nor counted as committed meanwhile. Now
        they are, the workers go on, and only the next commit waits for it. The same segments are merged (the
        tiny ones from before the commit, ``committed`` being its own) into the same index."""
        began = time.monotonic()
        try:
            merged = self.index.merge(
                lambda segments: merge_tiny_segments([s for s in segments if s.segment_id() not in committed]),
                self._cancel)
        except MergeCancelled:
            return  # the index is as the commit left it
        except BaseException as exc:  # noqa: BLE001 - handed to the loop, like a commit's
            if not _no_room(exc):  # no room: the index is as the commit left it, and the next write says so
                self._commit_error = exc
            return
        if merged:
            self.report.tiny_merged += merged
            self.report.tiny_merge_seconds += time.monotonic() - began

    def _stop_for_full_disk(self, unfinished: list[Task]) -> None:
        """The disk is full: every paper not committed is taken out again (its stored files removed, so the
        space they took is free), and every file not imported says so."""
        not_imported = "not imported: the disk is full"
        tasks: dict[int, Task] = {}
        if self._full_batch is not None:
            batch, rows_added = self._full_batch
            for task, entry in batch.entries:
                if rows_added and task.kind == "import" and entry is not None:
                    # catalogued (listed, opened, indexed later by catch_up): imported, not yet searchable
                    self._finish(FileResult(task.path, "imported", task.paper_id, entry.title))
                    self.progress.imported += 1
                else:
                    tasks[task.key] = task
        for task in [*unfinished, *self._not_stored, *self._requeue, *(t for t, _ in self._done.values())]:
            tasks.setdefault(task.key, task)
        self._done.clear()
        for task in tasks.values():
            if task.kind != "import":
                continue  # a stored paper to index again stays in the library, unindexed
            if self.catalog.get(task.paper_id) is None:
                self.folder.remove(task.paper_id)
            self._finish(FileResult(task.path, "failed", reason=not_imported))
            for path in self._same_bytes.pop(task.paper_id, []):
                self._finish(FileResult(path, "failed", reason=not_imported))
        while self._files:
            self._finish(FileResult(self._files.popleft().path, "failed", reason=not_imported))
        for paths in self._same_bytes.values():
            for path in paths:
                self._finish(FileResult(path, "failed", reason=not_imported))
        self._same_bytes.clear()
        self.index.remove_unlisted()  # segments moved in by a commit that could not finish
        shutil.rmtree(self.index.staging, ignore_errors=True)
        self.report.disk_full = self._disk_full

    def _wait_for_commit(self) -> None:
        if self._commit_thread is not None:
            self._commit_thread.join()

    # bookkeeping

    def _finish(self, result: FileResult) -> None:
        """Record a file's outcome (``done`` counts a file once: when it fails, is found to be there already,
        or when a worker finishes it, which may be before its commit)."""
        self.report.results.append(result)
        if result.status == "already there":
            self.progress.already += 1
            self.progress.done += 1
        elif result.status == "failed":
            self.progress.failed += 1
            self.progress.done += 1

    def _title(self, paper_id: str) -> str:
        entry = self.catalog.get(paper_id)
        return entry.title if entry else ""

    def _key(self) -> int:
        self._next_key += 1
        return self._next_key

    def _report(self, force: bool = False) -> None:
        now = time.monotonic()
        if self._on_progress is not None and (force or now - self._last_report >= 0.1):
            self._last_report = now
            self.progress.uncommitted = len(self._done) + self._in_commit
            self._on_progress(Progress(**self.progress.__dict__))


def _no_room(exc: BaseException) -> bool:
    """A write failed for want of space: an OSError (ENOSPC, EDQUOT, EFBIG) or SQLite's SQLITE_FULL."""
    return is_disk_full(exc) or "database or disk is full" in str(exc)
