"""One writer per library at a time, across processes: an advisory lock on ``<library>/write.lock``.

Why flock: the kernel drops the lock when its holder dies, however it dies, so a lock "left behind" by a
killed process is never a lock at all, and nothing has to guess whether a pid is still alive. The file only
records who holds it (pid and what it is doing), so a waiting process can say what it is waiting for.
Readers (search, list) never take it: SQLite in WAL mode and Whoosh's committed generations let them read
while a writer works.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from reader.errors import LibraryBusy


class WriterLock:
    """The library's writer lock. Use as a context manager after ``acquire()``, or via ``hold()``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._depth = 0
        # Re-entrant for the thread holding it; another thread of this process waits like another process
        # would (the window imports on one thread and searches on another).
        self._thread_lock = threading.RLock()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, purpose: str, timeout: float | None = None,
                on_wait: Callable[[str], None] | None = None, poll: float = 0.2) -> None:
        """Take the lock, waiting up to ``timeout`` seconds (None: as long as it takes).

        ``on_wait(holder)`` is called once if we have to wait, with what the holder wrote (e.g. "pid 123:
        import"). Raises LibraryBusy when the time runs out. Re-entrant within one process.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        told = False
        while not self._thread_lock.acquire(
                timeout=poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic()))):
            if deadline is not None and time.monotonic() >= deadline:
                raise LibraryBusy("this library is being written to (an import is running); try again when it "
                                  "has finished")
            if not told and on_wait is not None:
                on_wait("this window's own import")
                told = True
        if self._fd is not None:
            self._depth += 1
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except BaseException:
            self._thread_lock.release()
            raise
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = _read_holder(fd)
                    if deadline is not None and time.monotonic() >= deadline:
                        raise LibraryBusy(f"another litreader process is writing to this library ({holder}); "
                                          "try again when it has finished") from None
                    if not told and on_wait is not None:
                        on_wait(holder)
                        told = True
                    time.sleep(poll)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}: {purpose}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            self._thread_lock.release()
            raise
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth > 0:
            self._thread_lock.release()
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        self._thread_lock.release()

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "a process that has not said what it is doing"
