"""Work off the GUI thread: run a function in the thread pool, get its result (or error) back on the GUI thread.

One small helper, used for everything slow (searching, opening a paper, importing), so the window never
freezes. Tests can make it synchronous.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread; its signals carry the outcome back there (queued connections)."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - delivered to the caller's error handler
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Background:
    """Runs jobs in a thread pool (``synchronous`` for tests: run at once, on the caller's thread)."""

    def __init__(self, synchronous: bool = False, threads: int = 2) -> None:
        self.synchronous = synchronous
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        if self.synchronous:
            try:
                result = fn()
            except Exception as exc:  # noqa: BLE001
                on_error(exc)
            else:
                on_done(result)
            return
        relay = _Relay()
        self._relays.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            callback(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        self.pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for running jobs (closing the window, tests)."""
        return self.pool.waitForDone(msecs)
