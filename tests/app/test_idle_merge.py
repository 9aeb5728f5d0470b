"""The window merges the search index's segments while the reader does nothing (reader.app.idle_merge): it runs
when idle, stops at once for a search typed, an import or closing, waits its turn when another process writes,
and searches give the same results before, during and after."""
from __future__ import annotations

import gc
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from reader.app import idle_merge
from reader.app.main_window import MainWindow
from reader.app.tasks import Background
from reader.errors import LibraryBusy
from reader.library import Library
from reader.library.index import SearchIndex

QUERIES = ["word0x", "word3x", "plain results", '"results are plain"', "paper"]


def _paper(folder: Path, n: int) -> Path:
    path = folder / f"paper{n}.txt"
    path.write_text(f"Paper {n}\n\n" + f"The word{n}x results are plain. " * 20, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of 5 papers in 3 segments (1, 1 and 3 papers: three imports)."""
    folder = tmp_path_factory.mktemp("idle")
    files = [_paper(folder, n) for n in range(6)]
    with Library.open(folder / "lib", workers=1) as lib:
        lib.import_paths([files[0]])
        lib.import_paths([files[1]])
        lib.import_paths(files[2:5])
        assert sorted(lib.index.segment_sizes()) == [1, 1, 3]
    return folder


@pytest.fixture
def library(template: Path, tmp_path: Path) -> Iterator[Library]:
    shutil.copytree(template, tmp_path / "t")
    lib = Library.open(tmp_path / "t" / "lib")
    yield lib
    lib.close()


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle_merge, "IDLE_MS", 200)
    monkeypatch.setattr(idle_merge, "SAY_AFTER_MS", 50)


def _window(qtbot, library: Library, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(library, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
                        Background(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _results(library: Library) -> dict[str, list]:
    return {q: library.search(q, limit=30) for q in QUERIES}


def _held_merge(monkeypatch: pytest.MonkeyPatch, library: Library
                ) -> tuple[threading.Event, list[float], list[int]]:
    """The library's merge, held at its start until its cancel is set (then the core's merge runs with it,
    and stops): a merge long enough to be cancelled. Returns 'started', when each merge ended and what each
    merged."""
    started, ended, merged = threading.Event(), [], []
    merge = library.merge_segments

    def held(cancel: threading.Event, most_papers: int | None = None) -> int:
        started.set()
        cancel.wait(20)
        try:
            merged.append(merge(cancel, most_papers))
            return merged[-1]
        except LibraryBusy:
            merged.append("busy")
            raise
        finally:
            ended.append(time.monotonic())

    monkeypatch.setattr(library, "merge_segments", held)
    return started, ended, merged


def test_the_segments_are_merged_when_the_window_is_idle(qtbot, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = _results(library)
    said: list[str] = []
    window = _window(qtbot, library, tmp_path)
    window.statusBar().messageChanged.connect(said.append)
    qtbot.waitUntil(lambda: library.index.segment_sizes() == [5], timeout=20000)
    qtbot.waitUntil(lambda: not window.idle_merge.running, timeout=20000)
    assert _results(library) == before
    assert window.idle_merge.steps == 1
    assert "Search index tidied: 5 papers merged into one segment" in said
    # idle again: the next step finds nothing left to merge, and no step is planned after it
    qtbot.waitUntil(lambda: not window.idle_merge.timer.isActive() and not window.idle_merge.running, timeout=10000)
    assert window.idle_merge.steps == 1
    panel = window.library_panel
    panel.search_box.setText("word3x")
    panel._search_now()
    assert [h.paper_id for h in panel.results_model.hits] == [h.paper_id for h in before["word3x"]]


def test_a_search_during_and_after_the_merge_gives_the_same_results(qtbot, library: Library, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    before = _results(library)
    written, go_on = threading.Event(), threading.Event()
    record = SearchIndex._record

    def paused(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        written.set()  # the new segment is written, not yet recorded
        go_on.wait(20)
        return record(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "_record", paused)
    window = _window(qtbot, library, tmp_path)
    qtbot.waitUntil(written.is_set, timeout=20000)
    assert window.idle_merge.running
    assert _results(library) == before  # during: the old segments
    go_on.set()
    qtbot.waitUntil(lambda: not window.idle_merge.running, timeout=20000)
    assert library.index.segment_sizes() == [5]
    assert _results(library) == before  # after: the new one


@pytest.mark.parametrize("how", ["typing a search", "an import", "removing a paper", "closing the window"])
def test_the_merge_stops_at_once(qtbot, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                 how: str) -> None:
    started, ended, merged = _held_merge(monkeypatch, library)
    said: list[str] = []
    window = _window(qtbot, library, tmp_path)
    window.statusBar().messageChanged.connect(said.append)
    qtbot.waitUntil(started.is_set, timeout=20000)
    qtbot.waitUntil(lambda: idle_merge.WORKING in said, timeout=5000)  # a long merge says so, calmly
    at = time.monotonic()
    if how == "typing a search":
        window.library_panel.search_box.setText("word")
    elif how == "an import":
        window.import_paths([str(_paper(tmp_path, 7))])  # waits for the writer lock the merge gives back
        assert len(library.entries()) == 6
    elif how == "removing a paper":
        window.remove_paper(library.entries()[0], confirm=False)  # on this thread: it needs the writer lock
        assert len(library.entries()) == 4
        assert time.monotonic() - at < 2.0
    else:
        window.close()
        assert not window.idle_merge.running
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert ended[0] - at < 2.0  # at once (the import itself may take longer)
    # cancelled: nothing merged (an import or removal, on this thread here, may take the writer lock first)
    assert merged == [0] or (how in ("an import", "removing a paper") and merged == ["busy"])
    if how not in ("an import", "removing a paper"):  # (their commits merge tiny segments themselves)
        assert sorted(library.index.segment_sizes()) == [1, 1, 3]
    if how != "closing the window":
        qtbot.waitUntil(lambda: not window.idle_merge.running, timeout=5000)
        assert window.statusBar().currentMessage() != idle_merge.WORKING
        monkeypatch.undo()  # the real merge from now on, after the next idle spell
        qtbot.waitUntil(lambda: len(library.index.segment_sizes()) == 1, timeout=20000)


def test_another_writer_holding_the_lock_means_later(qtbot, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = Library.open(library.root)  # another process's lock (flock is per open file)
    other.lock.acquire("importing elsewhere", timeout=0)
    said: list[str] = []
    window = _window(qtbot, library, tmp_path)
    window.statusBar().messageChanged.connect(said.append)
    qtbot.wait(1000)  # several idle spells: each step finds the lock taken
    assert sorted(library.index.segment_sizes()) == [1, 1, 3]
    assert not any("not tidied" in m for m in said)
    assert window.isVisible()
    other.lock.release()
    other.close()
    qtbot.waitUntil(lambda: library.index.segment_sizes() == [5], timeout=20000)


def test_merging_again_and_again_in_one_process(qtbot, template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Windows made, merged, searched and closed one after the other: no object outlives its owner."""
    for round_ in range(6):
        shutil.copytree(template, tmp_path / f"r{round_}")
        library = Library.open(tmp_path / f"r{round_}" / "lib")
        window = MainWindow(library, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                            Background(synchronous=True))
        window.show()
        if round_ % 2:  # half of them closed in the middle of a merge
            qtbot.waitUntil(lambda: window.idle_merge.running, timeout=20000)  # noqa: B023
        else:
            qtbot.waitUntil(lambda: library.index.segment_sizes() == [5], timeout=20000)  # noqa: B023
            window.library_panel.search_box.setText("word2x")
            window.library_panel._search_now()
            assert len(window.library_panel.results_model.hits) == 1
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        library.close()
        del window
        gc.collect()
