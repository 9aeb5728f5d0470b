"""Parsers that misbehave on purpose, for the library's fault tests (tests/library/test_faults.py).

Import workers run in processes started by multiprocessing's forkserver, so a parser handed to
``Library.open(parse=...)`` must be a module-level function of an importable module: these are.
Each behaves like the real parser (``reader.ingest.load_bytes``) except on the files it is meant to break on.
"""
from __future__ import annotations

import os
import time

from reader.ingest import load_bytes
from reader.model import Paper

HANG_MARK = b"HANG-ME"
CRASH_MARK = b"CRASH-ME"
# A file starting with this, followed by a path and a newline, makes the worker delete that path and die.
DELETE_THEN_CRASH_MARK = b"DELETE-THEN-CRASH:"


def hang_parse(data: bytes, path: str) -> Paper:
    """Never returns on a file holding HANG-ME (a parser stuck in an endless loop)."""
    if HANG_MARK in data:
        time.sleep(3600)
    return load_bytes(data, path)


def crash_parse(data: bytes, path: str) -> Paper:
    """Kills its own process on a file holding CRASH-ME (a segfault in C code, as far as the pool can tell)."""
    if CRASH_MARK in data:
        os._exit(3)
    return load_bytes(data, path)


def delete_then_crash_parse(data: bytes, path: str) -> Paper:
    """On a file starting with DELETE-THEN-CRASH:<path>, deletes <path> and then kills its own process."""
    if data.startswith(DELETE_THEN_CRASH_MARK):
        victim = data[len(DELETE_THEN_CRASH_MARK):].split(b"\n", 1)[0].decode()
        os.unlink(victim)
        os._exit(3)
    return load_bytes(data, path)


def slow_parse(data: bytes, path: str) -> Paper:
    """The real parser, a little slower (so an import is still running when a test interrupts it)."""
    time.sleep(0.2)
    return load_bytes(data, path)


def fsize_limited_parse(limit: int, data: bytes, path: str) -> Paper:
    """The real parser, in a worker that may write no file larger than ``limit`` bytes (RLIMIT_FSIZE, set at
    its first file): every write past it fails with EFBIG, as writes on a full disk fail with ENOSPC. Hand it
    to a library as ``functools.partial(fsize_limited_parse, limit)``."""
    import resource
    import signal

    if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    return load_bytes(data, path)


FLUSH_CRASH_MARK = b"CRASH-MY-SEGMENT"


def segment_crash_parse(data: bytes, path: str) -> Paper:
    """The real parser; but a file holding CRASH-MY-SEGMENT makes its worker die when it next writes its
    segment (as a crash in C code, MemoryError or the OOM killer would), after the file itself was done."""
    if FLUSH_CRASH_MARK in data:
        from reader.library import segments

        def die(self: object) -> None:
            os._exit(5)

        segments.SegmentBuilder.finish = die  # this worker process only: its replacement starts clean
        data = data.replace(FLUSH_CRASH_MARK, b"")
    return load_bytes(data, path)


def slow_segment_parse(data: bytes, path: str) -> Paper:
    """The real parser, 0.5 s slower (so an import lasts past its first commit), in a worker whose segments
    take 10 s more to write (a big segment on a busy machine)."""
    from reader.library import segments

    if not getattr(segments.SegmentBuilder.finish, "slowed", False):
        finish = segments.SegmentBuilder.finish

        def slow(self: object) -> object:
            time.sleep(10)
            return finish(self)

        slow.slowed = True  # type: ignore[attr-defined]
        segments.SegmentBuilder.finish = slow
    time.sleep(0.5)
    return load_bytes(data, path)
