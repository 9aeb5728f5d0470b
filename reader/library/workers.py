"""Worker processes for imports: each parses papers, stores their files and indexes them into its own segment.

Why processes: parsing and indexing are pure Python and hold the GIL, so only processes use both cores; and
a file that hangs or crashes a parser must fail alone. Each worker runs tasks one at a time, in the order
sent. The pool (in the importing process) knows which task a worker is on, so when a worker dies or runs
past the time limit it is killed and replaced: the file it was on fails with the reason, and the papers it
had indexed since its last finished segment are handed out again (they were not committed anywhere).

A full disk is not one file's failure: a worker that cannot write says so ("full") and the run stops (see
reader.library.importer), instead of dying, having its papers handed out again, and dying again.

Messages (pickled over a pipe):
    to a worker      ("import", key, paper_id, data, path, UserData) | ("index", key, paper_id, UserData) | ("flush",) | ("stop",)
    from a worker    ("done", key, CatalogEntry) | ("failed", key, reason) | ("flushed", StagedSegment | None)
                     | ("full", key | None, reason)
"""
from __future__ import annotations

import errno
import gc
import itertools
import multiprocessing
import os
import re
import signal
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from reader.errors import LibraryError, ParseError
from reader.ingest import PARSER_VERSION, PDF_TIMEOUT_SECONDS, load_bytes
from reader.ingest.sandbox import process_context
from reader.library.catalog import CatalogEntry
from reader.library.corrections import apply_corrections
from reader.library.documents import TWO_PROCESSES_FROM
from reader.library.folder import BackgroundSync, LibraryFolder, readable_name
from reader.library.records import RECORD_FORMAT
from reader.library.index import StagedSegment
from reader.library.userdata import UserData
from reader.model import Paper

# How long one file may keep a worker busy before the worker is killed: the PDF parser's own limit (it runs
# in a sandbox of its own inside the worker) plus time for indexing a very long paper.
TASK_TIME_LIMIT = PDF_TIMEOUT_SECONDS + 60.0
# Tasks queued per worker: enough that a worker never waits for the next file, few enough to hand out again.
QUEUE_DEPTH = 3
MEMORY_LIMIT = 4 * 2**30
# A text file with fewer words is a note or a stray file, not a paper (a PDF is kept: it may be a scan).
MIN_WORDS = 50
_NOT_SPACE = re.compile(r"\S+")  # a word as str.split() counts them

Parser = Callable[[bytes, str], Paper]
# A paper that was in the unfinished work of this many dead workers fails: a worker may die while writing its
# segment (a crash in C code, MemoryError, the kernel's OOM killer), and handing the same papers out again and
# again would never end. A paper handed out again after one death is indexed into a segment of its own (a
# "suspect"), so an innocent paper from the same segment survives the second round.
MAX_DEATHS = 2
# An import worker's cycle collector passes over its young objects every this many new ones (Python's default:
# 700). Why: a worker makes millions of objects (a paper's words, tokens, references), nearly none of them in a
# cycle (reference counting frees them), and the default made a pass every few hundred microseconds: 8% of a
# worker's CPU (300 papers parsed and indexed in one process: 1.03 s of 13.3 s in 1,687 passes; 0.08 s in 4
# with this). Cycles are still freed, some MB of young objects later.
WORKER_COLLECT_EVERY = 50_000
# What a write raises when there is no room: a full disk, a full quota, or a file-size limit (RLIMIT_FSIZE).
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@dataclass
class Task:
    """One file to import, or one stored paper to (re)index."""

    key: int
    kind: str  # "import" | "index"
    paper_id: str
    path: str = ""  # the file, for an import
    user: UserData = field(default_factory=UserData)  # what the reader added to the paper, for the index
    started: float = 0.0
    deaths: int = 0  # workers that died with this task unfinished or in their unfinished segment


# --- in the worker process ---


def worker_main(conn: Connection, library_root: str, name: str, parse: Parser | None) -> None:
    """A worker's loop: take tasks until told to stop or the importing process goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the importing process to handle
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past a file-size limit: an OSError (EFBIG), not a death
    _limit_memory()
    _collect_cycles_rarely()
    from reader.library.documents import count_long_texts_in_two_processes
    from reader.library.segments import SegmentBuilder, keep_freed_memory

    keep_freed_memory()  # zlib's state for every posting block, parsing's lists: freed and taken again

    count_long_texts_in_two_processes()  # this process has one thread: a 50 MB text's words use both cores

    folder = LibraryFolder(Path(library_root))
    staging = folder.index / "incoming"
    builder = SegmentBuilder(staging / name, staging / "ready")
    syncer = BackgroundSync()  # sources flushed to disk while the next paper is parsed
    parse = parse or load_bytes
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break  # the importing process is gone: nothing here was committed, so nothing to keep
            kind = message[0]
            if kind == "stop":
                break
            if kind == "flush":
                try:
                    syncer.wait()  # the segment's papers' sources on disk before the segment can be committed
                    segment = builder.finish()
                except OSError as exc:
                    if not is_disk_full(exc):
                        raise
                    builder.discard()
                    conn.send(("full", None, f"cannot write the index: {exc.strerror or exc}"))
                    segment = None
                conn.send(("flushed", segment))
                continue
            key = message[1]
            try:
                if kind == "import":
                    task = list(message[2:])
                    message = message[:3]  # kind, key, paper id: the bytes are in ``task`` alone (_import empties it)
                    entry = _import(folder, builder, parse, task, syncer)
                else:
                    entry = _reindex(folder, builder, parse, *message[2:])
                reply: tuple[Any, ...] = ("done", key, entry)
            except (ParseError, LibraryError) as exc:  # a file we cannot read; a catalog row that is no paper id
                reply = ("failed", key, str(exc))
            except OSError as exc:
                if is_disk_full(exc):
                    reply = ("full", key, f"cannot store it: {exc.strerror or exc}")
                else:
                    reply = ("failed", key, f"cannot read or store it: {exc.strerror or exc}")
            except MemoryError:
                reply = ("failed", key, "it needs more memory than a parser may use")
            except Exception as exc:  # noqa: BLE001 - a bug must cost one file, not the import
                reply = ("failed", key, f"internal error ({type(exc).__name__}: {exc}); see the log")
                _log_traceback(message)
            conn.send(reply)
    finally:
        syncer.settle()
        builder.discard()


def _import(folder: LibraryFolder, builder: Any, parse: Parser, task: list[Any],
            syncer: BackgroundSync | None = None) -> CatalogEntry:
    """Parse, store and index one file; ``task`` is [paper id, the file's bytes, its path, the user's data].
    The bytes are taken out of ``task`` and let go once stored: a 50 MB file's bytes are not held while its
    text is indexed. With ``syncer``, the source reaches the disk on its thread (see BackgroundSync)."""
    paper_id, data, path, user = task
    task[1] = None
    paper = parse(data, path)
    if paper.format == "text":
        # counted up to MIN_WORDS only: a 50 MB text split whole would be millions of strings
        words = sum(1 for _ in itertools.islice(_NOT_SPACE.finditer(paper.text), MIN_WORDS))
        if words < MIN_WORDS:
            raise ParseError(f"too little text to be a paper ({words} words)")
    paper.id = paper_id  # the id is the hash of the bytes the importing process read and checked
    # a name that is not UTF-8 (os.fsdecode's stand-ins for its bytes) cannot go into JSON or SQLite text
    paper.source_path = readable_name(paper.source_path)
    folder.store(paper, data, path, syncer)
    size = len(data)
    del data
    apply_corrections(paper, user.corrections)  # a paper removed and imported again keeps the reader's work
    if syncer is not None and len(paper.text) >= TWO_PROCESSES_FROM:
        syncer.settle()  # a long text's words are counted in a forked child: no other thread then
    try:
        builder.add(paper, user)
    except BaseException:
        if syncer is not None:
            syncer.settle()  # the paper fails and its folder is removed: not while its source is being put in place
        raise
    return CatalogEntry.for_paper(paper, readable_name(Path(path).name), size)


def _reindex(folder: LibraryFolder, builder: Any, parse: Parser, paper_id: str, user: UserData) -> CatalogEntry:
    """Index a stored paper; re-parse its source first when the cache is missing or from another parser."""
    source = folder.source_path(paper_id)
    paper = folder.read_cache(paper_id)
    if paper is not None and paper.format == RECORD_FORMAT:  # metadata only: the record is all there is
        apply_corrections(paper, user.corrections)
        builder.add(paper, user)
        return CatalogEntry.for_paper(paper, paper.source_path, 0)
    if source is None:
        raise ParseError("its stored source file is missing from the library folder")
    if paper is None or paper.parser_version != PARSER_VERSION:
        paper = parse(source.read_bytes(), str(source))
        paper.id = paper_id
        folder.write_cache(paper)  # what the parser read: the cache never holds corrections
    apply_corrections(paper, user.corrections)
    builder.add(paper, user)
    # the catalog row is refreshed from the paper; the caller keeps its name and date added
    return CatalogEntry.for_paper(paper, source.name, source.stat().st_size)


def is_disk_full(exc: BaseException) -> bool:
    """True for an error that means "no room to write" (a full disk, quota or file-size limit)."""
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


def _collect_cycles_rarely() -> None:
    """The worker's cycle collector: rare passes (WORKER_COLLECT_EVERY), and what is there at the start (the
    modules, the forkserver's own objects) moved out of its sight for good: it is never garbage."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(WORKER_COLLECT_EVERY, older, oldest)


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


def _log_traceback(message: tuple[Any, ...]) -> None:
    try:
        from reader.paths import log_dir

        with open(log_dir() / "import-errors.log", "a", encoding="utf-8") as f:
            f.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {message[0]} {message[2:3]}\n")
            f.write(traceback.format_exc())
    except OSError:
        pass


# --- in the importing process ---


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    name: str
    inflight: deque[Task] = field(default_factory=deque)  # sent, not answered; the first is running
    unflushed: list[Task] = field(default_factory=list)  # done, in the segment being built
    flushing: bool = False
    before_flush: int = 0  # tasks of ``inflight`` sent before the flush being waited for


@dataclass
class Event:
    """What happened in the pool: a task done or failed, a segment finished, tasks to hand out again."""

    kind: str  # "done" | "failed" | "flushed" | "requeue" | "full"
    task: Task | None = None
    entry: CatalogEntry | None = None
    reason: str = ""
    segment: StagedSegment | None = None
    tasks: list[Task] = field(default_factory=list)


class WorkerPool:
    """``size`` worker processes fed with tasks; ``poll()`` reports what they did."""

    def __init__(self, folder: LibraryFolder, size: int, parse: Parser | None = None,
                 time_limit: float = TASK_TIME_LIMIT) -> None:
        self.folder = folder
        self.size = max(1, size)
        self.parse = parse
        self.time_limit = time_limit
        self._ctx = process_context()  # forkserver: quick to start, never a fork of a process with Qt threads
        self.workers: list[_Worker] = []

    def start(self) -> None:
        # Whatever is in the staging folder is left over from a run that was killed (only the writer lock's
        # holder runs workers): half-built segments, and finished ones that were never committed.
        _remove_tree(self.folder.index / "incoming")
        for _ in range(self.size):
            self.workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        here, there = self._ctx.Pipe()
        name = f"w{os.getpid()}-{uuid.uuid4().hex[:8]}"
        process = self._ctx.Process(target=worker_main, args=(there, str(self.folder.root), name, self.parse),
                                    name=f"litreader-import-{name}")
        process.start()
        there.close()
        return _Worker(process, here, name)

    def free_worker(self) -> _Worker | None:
        """The worker with the shortest queue, if it has room."""
        ready = [w for w in self.workers if len(w.inflight) < QUEUE_DEPTH]
        return min(ready, key=lambda w: len(w.inflight)) if ready else None

    def clean_worker(self) -> _Worker | None:
        """A worker with nothing queued and nothing in its segment: for a suspect, which gets a segment alone."""
        return next((w for w in self.workers if not (w.inflight or w.unflushed or w.flushing)), None)

    def send(self, worker: _Worker, task: Task, data: bytes | None = None) -> list[Event]:
        """Queue a task on a worker. If the worker turns out to be dead, it is replaced and the events say
        what to do about its tasks (this one among those handed out again)."""
        try:
            if task.kind == "import":
                worker.conn.send(("import", task.key, task.paper_id, data, task.path, task.user))
            else:
                worker.conn.send(("index", task.key, task.paper_id, task.user))
        except OSError:
            return self._replace(worker, "") + [Event("requeue", tasks=[task])]
        if not worker.inflight:
            task.started = time.monotonic()
        worker.inflight.append(task)
        if task.deaths and not worker.flushing:
            # a suspect (sent to a clean worker): its segment is finished right after it, so a death there
            # blames it alone
            try:
                worker.conn.send(("flush",))
            except OSError:
                return self._replace(worker, "")
            worker.flushing = True
            worker.before_flush = len(worker.inflight)
        return []

    def busy(self) -> bool:
        return any(w.inflight or w.flushing for w in self.workers)

    def has_unflushed(self) -> bool:
        return any(w.unflushed for w in self.workers)

    def unflushed_count(self) -> int:
        """Papers done and in segments not yet finished."""
        return sum(len(w.unflushed) for w in self.workers)

    def request_flush(self, one: bool = False) -> int:
        """Ask every worker with indexed papers to finish its segment (``one``: only the worker with the most
        papers in its segment, while the others go on parsing); returns how many were asked."""
        asked = 0
        workers = self.workers
        if one:
            workers = sorted(workers, key=lambda w: len(w.unflushed), reverse=True)[:1]
        for worker in workers:
            if worker.unflushed and not worker.flushing:
                worker.conn.send(("flush",))
                worker.flushing = True
                worker.before_flush = len(worker.inflight)
                asked += 1
        return asked

    def flushing(self) -> bool:
        return any(w.flushing for w in self.workers)

    def poll(self, timeout: float) -> list[Event]:
        """Wait up to ``timeout`` seconds for workers to report; handle deaths and overruns."""
        events: list[Event] = []
        by_conn = {w.conn: w for w in self.workers}
        by_sentinel = {w.process.sentinel: w for w in self.workers}
        ready = wait(list(by_conn) + list(by_sentinel), timeout=max(0.0, timeout))
        dead: dict[str, tuple[_Worker, str]] = {}
        for obj in ready:
            worker = by_conn.get(obj)  # type: ignore[call-overload]
            if worker is None:
                continue
            while worker.name not in dead and worker.conn.poll():
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    dead[worker.name] = (worker, "")
                    break
                events.extend(self._handle(worker, message))
        for obj in ready:
            worker = by_sentinel.get(obj)  # type: ignore[call-overload]
            if worker is not None and worker.name not in dead and not worker.conn.poll():
                dead[worker.name] = (worker, "")
        now = time.monotonic()
        for worker in self.workers:
            if worker.flushing and worker.before_flush == 0:
                continue  # writing its segment, not on a file: the file's time starts when the segment is done
            if worker.inflight and worker.name not in dead and now - worker.inflight[0].started > self.time_limit:
                dead[worker.name] = (worker, f"parsing took longer than {self.time_limit:g} s; it was stopped")
        for worker, reason in dead.values():
            events.extend(self._replace(worker, reason))
        return events

    def _handle(self, worker: _Worker, message: tuple[Any, ...]) -> list[Event]:
        kind = message[0]
        if kind == "flushed":
            worker.flushing = False
            worker.unflushed = []
            if worker.inflight:
                worker.inflight[0].started = time.monotonic()
            return [Event("flushed", segment=message[1])]
        if kind == "full" and message[1] is None:  # writing its segment
            return [Event("full", reason=message[2], tasks=list(worker.unflushed))]
        task = worker.inflight.popleft()
        worker.before_flush = max(0, worker.before_flush - 1)
        assert task.key == message[1], "worker replies arrive in the order tasks were sent"
        if worker.inflight:
            worker.inflight[0].started = time.monotonic()
        if kind == "done":
            worker.unflushed.append(task)
            return [Event("done", task=task, entry=message[2])]
        if kind == "full":
            return [Event("full", task=task, reason=message[2])]
        return [Event("failed", task=task, reason=message[2])]

    def unfinished(self) -> list[Task]:
        """Tasks sent and not answered, and tasks done but in no finished segment (for cleaning up)."""
        return [task for w in self.workers for task in [*w.inflight, *w.unflushed]]

    def _replace(self, worker: _Worker, reason: str) -> list[Event]:
        """Kill a worker (if alive) and start another; fail its current file, hand out the rest again."""
        _kill(worker.process)
        exitcode = worker.process.exitcode
        worker.conn.close()
        events: list[Event] = []
        # A worker that dies writing its segment was on no task: every paper in the segment shares the blame.
        if worker.inflight and not (worker.flushing and worker.before_flush == 0):
            culprit = worker.inflight.popleft()
            why = reason or f"the parser crashed on this file (exit code {exitcode})"
            events.append(Event("failed", task=culprit, reason=why))
        lost = worker.unflushed + list(worker.inflight)
        for task in lost:
            task.deaths += 1
        again = [task for task in lost if task.deaths < MAX_DEATHS]
        for task in lost:
            if task.deaths >= MAX_DEATHS:
                events.append(Event("failed", task=task, reason=f"its import process died twice while indexing "
                                    f"it (exit code {exitcode}); it was not imported"))
        if again:
            events.append(Event("requeue", tasks=again))
        if worker.flushing:
            events.append(Event("flushed", segment=None))
        self.workers[self.workers.index(worker)] = self._spawn()
        _remove_tree(self.folder.index / "incoming" / worker.name)
        return events

    def stop(self) -> None:
        """Tell every worker to stop (dropping unfinished segments) and wait for them."""
        for worker in self.workers:
            try:
                worker.conn.send(("stop",))
            except OSError:
                pass
        deadline = time.monotonic() + 10
        for worker in self.workers:
            worker.process.join(timeout=max(0.1, deadline - time.monotonic()))
            _kill(worker.process)
            worker.conn.close()
            _remove_tree(self.folder.index / "incoming" / worker.name)
        self.workers = []


def _kill(process: multiprocessing.process.BaseProcess) -> None:
    if process.is_alive():
        process.kill()
    process.join(timeout=5)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


class InlinePool:
    """The pool's interface, doing the work in this process, in order.

    For re-indexing a handful of stored papers (notes that changed, a run cut short), where starting
    worker processes would take longer than the work. Not for imports: a file that hangs a parser would
    hang the caller.
    """

    def __init__(self, folder: LibraryFolder, parse: Parser | None = None) -> None:
        self.folder = folder
        self.parse = parse or load_bytes
        self._events: list[Event] = []
        self._unflushed = False
        self._builder: Any = None

    def start(self) -> None:
        from reader.library.segments import SegmentBuilder

        staging = self.folder.index / "incoming"
        _remove_tree(staging)
        self._builder = SegmentBuilder(staging / f"inline-{os.getpid()}-{uuid.uuid4().hex[:8]}", staging / "ready")

    def free_worker(self) -> InlinePool:
        return self

    def clean_worker(self) -> InlinePool:
        return self

    def send(self, worker: object, task: Task, data: bytes | None = None) -> list[Event]:
        try:
            if task.kind == "import":
                entry = _import(self.folder, self._builder, self.parse,
                                [task.paper_id, data or b"", task.path, task.user])
            else:
                entry = _reindex(self.folder, self._builder, self.parse, task.paper_id, task.user)
        except (ParseError, LibraryError) as exc:
            self._events.append(Event("failed", task=task, reason=str(exc)))
        except OSError as exc:
            if is_disk_full(exc):
                self._events.append(Event("full", task=task, reason=f"cannot store it: {exc.strerror or exc}"))
            else:
                self._events.append(Event("failed", task=task,
                                          reason=f"cannot read or store it: {exc.strerror or exc}"))
        else:
            self._events.append(Event("done", task=task, entry=entry))
            self._unflushed = True
        return []

    def busy(self) -> bool:
        return bool(self._events)  # results not yet collected by poll()

    def has_unflushed(self) -> bool:
        return self._unflushed

    def unflushed_count(self) -> int:
        return int(self._unflushed)

    def flushing(self) -> bool:
        return False

    def request_flush(self, one: bool = False) -> int:
        try:
            segment = self._builder.finish()
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            self._events.append(Event("full", reason=f"cannot write the index: {exc.strerror or exc}"))
            segment = None
        self._events.append(Event("flushed", segment=segment))
        self._unflushed = False
        return 1

    def unfinished(self) -> list[Task]:
        return []

    def poll(self, timeout: float) -> list[Event]:
        events, self._events = self._events, []
        if not events and timeout > 0:
            # wait, as the worker pool does: a caller looping on poll() while its commit thread works would
            # otherwise take the GIL back at every one of that thread's reads (a one-paper commit took 110 s)
            time.sleep(timeout)
        return events

    def stop(self) -> None:
        if self._builder is not None:
            self._builder.discard()
