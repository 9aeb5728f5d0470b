"""Merging the search index's segments while the reader does nothing, so later searches read fewer segments.

A merge step (``Library.merge_segments``) runs in its own thread once the window has been idle for
IDLE_MS: no search typed, no import or indexing running. Typing a search, starting an import or closing
the window cancels it at once (the core checks between words and leaves the index as it was); searches
meanwhile keep reading the old segments. When another process holds the library's writer lock, the step
is simply tried again after the next idle spell. The status bar says so while a step runs; nothing else
shows.
"""
from __future__ import annotations

import threading
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from reader.app.tasks import Background
from reader.errors import LibraryBusy
from reader.library import Library

# How long the window must be left alone before a step starts: longer than the pauses of someone searching
# (a few seconds between queries), so a step rarely starts only to be cancelled by the next query.
IDLE_MS = 30_000
# The most papers one step writes: the core merges about 20-25 papers a second on one core (22 s of CPU for
# 420 papers of a 10,000-paper library), so a step takes about 10-15 s of CPU on a quiet machine and a step
# cancelled at its end throws little away. Steps merge the smallest segments first.
STEP_PAPERS = 300
# A step that has run this long is worth a word in the status bar (a quick one is not).
SAY_AFTER_MS = 1_000
# How long closing the window waits for a cancelled step to stop (it checks between words: milliseconds).
STOP_WAIT_MS = 3_000
WORKING = "Tidying the search index while you read (searches work as ever)…"


class IdleMerge(QObject):
    """Runs merge steps while the window is idle. The window calls ``poke()`` on every search typed,
    ``hold()`` / ``release()`` around imports and indexing, ``library_changed()`` when papers came or went,
    and ``stop()`` when it closes."""

    def __init__(self, library: Library, status: QStatusBar, parent: QObject | None = None,
                 background: Background | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.status = status
        # its own thread, so a step never takes the thread a search or an opening paper needs
        self.background = background or Background(threads=1)
        self._cancel: threading.Event | None = None  # set while a step runs
        self._held = 0  # imports and indexing running
        self._nothing_to_merge = False  # the last step found nothing: wait for papers to come or go
        self._stopped = False
        self.steps = 0  # steps that merged something (for tests and the curious)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_MS)
        self.timer.timeout.connect(self._step)
        self._say_timer = QTimer(self)
        self._say_timer.setSingleShot(True)
        self._say_timer.setInterval(SAY_AFTER_MS)
        self._say_timer.timeout.connect(lambda: self.status.showMessage(WORKING))
        self.timer.start()

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def poke(self) -> None:
        """The reader searched: a running step stops at once, and the idle clock starts again."""
        self._cancel_step()
        self._idle_again()

    def activity(self) -> None:
        """The reader pressed a key, clicked or scrolled: not idle yet (a running step goes on)."""
        if self.timer.isActive():
            self.timer.start()

    def hold(self) -> None:
        """An import or indexing starts: no step until ``release()`` (a running one stops at once)."""
        self._held += 1
        self._cancel_step()
        self.timer.stop()

    def release(self) -> None:
        self._held = max(0, self._held - 1)
        self.library_changed()

    def library_changed(self) -> None:
        """Papers came or went (new segments, perhaps): worth looking again when idle."""
        self._nothing_to_merge = False
        self._idle_again()

    def stop(self) -> None:
        """The window closes: cancel a running step and wait a moment for it to stop."""
        self._stopped = True
        self.timer.stop()
        self._say_timer.stop()
        self._cancel_step()
        if self.background.wait(STOP_WAIT_MS):
            self._cancel = None

    def _idle_again(self) -> None:
        if not self._stopped and not self._held and not self._nothing_to_merge and not self.running:
            self.timer.start()

    def _cancel_step(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _step(self) -> None:
        if self._stopped or self._held or self.running or self._nothing_to_merge:
            return
        cancel = threading.Event()
        self._cancel = cancel
        self._say_timer.start()
        self.background.run(lambda: self.library.merge_segments(cancel, STEP_PAPERS),
                            lambda merged: self._finished(cancel, merged), lambda error: self._failed(cancel, error))

    def _end(self, cancel: threading.Event) -> bool:
        """The step is over; False when the window closed meanwhile (nothing more to show or start)."""
        self._cancel = None
        self._say_timer.stop()
        if self._stopped:
            return False
        if self.status.currentMessage() == WORKING:
            self.status.clearMessage()
        return True

    def _finished(self, cancel: threading.Event, merged: int) -> None:
        if not self._end(cancel):
            return
        if merged:
            self.steps += 1
            self.status.showMessage(f"Search index tidied: {merged:,} papers merged into one segment", 5000)
            # the next step (if any) after another idle spell; a busy reader is never kept waiting
        elif not cancel.is_set():
            self._nothing_to_merge = True  # merged nothing and was not cancelled: nothing left to merge
        self._idle_again()

    def _failed(self, cancel: threading.Event, error: BaseException) -> None:
        if not self._end(cancel):
            return
        if not isinstance(error, LibraryBusy):  # another process writing: simply try again later
            self._nothing_to_merge = True  # e.g. the index needs a rebuild (the next search does it)
            self.status.showMessage(f"The search index was not tidied: {error}", 10000)
        self._idle_again()
