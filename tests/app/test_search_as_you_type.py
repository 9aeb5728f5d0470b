"""Search as you type in the window: the rows that show come with their snippets and nothing moves when the
others' arrive; one search runs at a time and a query typed meanwhile waits, the newest only."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reader.app.main_window import MainWindow
from reader.app.tasks import Background
from reader.library import Library

SENTENCE = ("Meltwater from the glacier {n} fed the valley lakes through the summer, and the survey teams measured "
            "how far the glacier front retreated each year against the old photographs of the station. ")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve papers that all match "glacier", each with a long text (snippets of full length)."""
    folder = tmp_path_factory.mktemp("typing")
    files = []
    for n in range(12):
        path = folder / f"glacier{n}.txt"
        path.write_text(f"Glacier survey number {n} of the northern valleys\n\n" + SENTENCE.format(n=n) * 12,
                        encoding="utf-8")
        files.append(path)
    with Library.open(folder / "lib", workers=1) as lib:
        assert lib.import_paths(files).count("imported") == 12
    return folder / "lib"


@pytest.fixture
def library(template: Path, tmp_path: Path) -> Iterator[Library]:
    import shutil

    shutil.copytree(template, tmp_path / "lib")
    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()


def _window(qtbot, library: Library, tmp_path: Path, background: Background) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(library, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), background)
    qtbot.addWidget(window)
    window.idle_merge.stop()
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    return window


def _rows_on_screen(panel) -> list[int]:  # type: ignore[no-untyped-def]
    view = panel.results
    shown = view.viewport().rect()
    return [row for row in range(panel.results_model.rowCount())
            if view.visualRect(panel.results_model.index(row)).intersects(shown)]


def test_the_rows_that_show_come_with_their_snippets_and_stay_put(qtbot, library: Library, tmp_path: Path  # type: ignore[no-untyped-def]
                                                                  ) -> None:
    window = _window(qtbot, library, tmp_path, Background(synchronous=True))
    panel = window.library_panel
    panel.search_box.setText("glacier")
    panel._search_now()
    assert panel.status.text() == "12 results"
    hits = panel.results_model.hits  # the rows that show first, with their snippets
    shown = _rows_on_screen(panel)
    assert shown and all(hit.snippet for hit in hits)
    assert shown[-1] < len(hits) - 1  # the list is full: the last row there is below the view
    # rows are about 8 lines here (title, byline, snippet wrapped), not 3: few more read than show
    assert len(shown) < len(hits) <= len(shown) + 3, (len(shown), len(hits))
    places = [panel.results.visualRect(panel.results_model.index(row)) for row in shown]
    texts = [hit.snippet for hit in hits]
    qtbot.waitUntil(lambda: len(panel.results_model.hits) == 12)  # the others below, after the first paint
    assert all(hit.snippet for hit in panel.results_model.hits)
    assert [hit.snippet for hit in panel.results_model.hits[:len(texts)]] == texts
    assert [panel.results.visualRect(panel.results_model.index(row)) for row in shown] == places


def test_one_search_at_a_time_and_only_the_newest_waiting(qtbot, library: Library, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, library, tmp_path, Background())
    panel = window.library_panel
    searched: list[str] = []
    running = threading.Lock()
    typed = threading.Event()
    search = library.search

    def slow(query: str, **kwargs):  # type: ignore[no-untyped-def]
        assert running.acquire(blocking=False), "two searches at once"
        try:
            searched.append(query)
            typed.wait(10)  # the first search runs until all is typed, however slow the machine
            return search(query, **kwargs)
        finally:
            running.release()

    monkeypatch.setattr(library, "search", slow)
    for text in ["gla", "glac", "glaci", "glacie", "glacier"]:  # typed while the first search runs
        panel.search_box.setText(text)
        panel._search_now()
        qtbot.wait(20)
    qtbot.waitUntil(lambda: searched == ["gla"], timeout=10000)
    typed.set()
    qtbot.waitUntil(lambda: panel.status.text() == "12 results", timeout=10000)
    assert searched == ["gla", "glacier"]
    qtbot.waitUntil(lambda: len(panel.results_model.hits) == 12, timeout=10000)
    assert all("glacier" in hit.snippet.lower() for hit in panel.results_model.hits)
    window.background.wait()
