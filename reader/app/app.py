"""Start the window: one place that creates the application, the library, the settings and the window."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from reader.app.main_window import MainWindow
from reader.app.theme import apply_theme
from reader.ingest.sandbox import start_worker_server
from reader.library import Library
from reader.library.default import open_library


def settings() -> QSettings:
    """The window's settings (geometry, panes, theme, last paper), in the user's config folder."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "litreader", "window")


def run(library: Library, open_file: str | None = None) -> int:
    """Show the window on ``library`` (importing and opening ``open_file`` if given); returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("litreader")
    app.setOrganizationName("litreader")
    store = settings()
    apply_theme(str(store.value("view/theme", "system")))
    window = MainWindow(library, store)
    window.show()
    QTimer.singleShot(0, start_worker_server)  # the PDF parser's process, ready before the first PDF opens
    if open_file:
        window.import_paths([str(Path(open_file).resolve())], open_first=True)
    else:
        open_start_paper(window, store)
    code = app.exec()
    # Widgets go before the application object, explicitly: left to the interpreter's exit, PySide6 may
    # delete them in an order that crashes.
    window.deleteLater()
    app.processEvents()
    del window
    return code


def open_start_paper(window: MainWindow, store: QSettings) -> None:
    """The last paper read, where it was left; on a first start, a sample paper, with its references."""
    last = str(store.value("reading/last_paper", "") or "")
    scroll = int(store.value("reading/last_scroll", 0) or 0)
    ids = {e.id for e in window.library_panel.model.entries}
    if last in ids:
        window.open_paper(last, then=lambda: window.document.set_scroll_position(scroll))
        return
    samples = [e for e in window.library_panel.model.entries if e.format == "text"] or \
        window.library_panel.model.entries
    if samples:
        window.open_paper(samples[0].id)
        window.tabs.setCurrentWidget(window.references)


def library_for_window(library_arg: str | None) -> Library:
    """The library the window opens (a new default library starts with the sample papers)."""
    library, _ = open_library(library_arg)
    return library
