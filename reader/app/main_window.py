"""The main window: builds the parts, wires their signals, and keeps the reader's place.

Left: library and search. Centre: the paper. Right: Highlights and References. The window holds no
parsing or searching logic: it asks the library (on a background thread when it may take time) and shows
what comes back.
"""
from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (QAction, QActionGroup, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent,
                           QGuiApplication, QKeySequence)
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QMessageBox,
                               QProgressBar, QPushButton, QSplitter, QStackedWidget, QTabWidget, QToolButton,
                               QVBoxLayout, QWidget)

from reader import __version__
from reader.app import plain
from reader.app.details_dialog import DetailsDialog
from reader.app.document_view import DocumentView
from reader.app.figures import figure_images, has_pictures
from reader.app.outline_panel import OutlinePanel
from reader.app.highlights_panel import HighlightsPanel
from reader.app.idle_merge import IdleMerge
from reader.app.history import History
from reader.app.library_panel import LibraryPanel
from reader.app.page_view import PageView
from reader.app.reference_panel import ReferencePanel
from reader.app.tasks import Background
from reader.app.theme import apply_theme, icon
from reader.errors import LibraryBusy
from reader.highlights import Highlight
from reader.highlights.export import page_of
from reader.library.folder import write_atomically
from reader.app.paper_citation import paper_bibtex, paper_citation
from reader.app.reference_panel import doi_url
from reader.library import CatalogEntry, ImportReport, Library, Progress, SearchHit
from reader.library.external import (BringInReport, import_bibliography, import_zotero,
                                     looks_like_bibliography)
from reader.model import Paper, Reference

CATCH_UP_RETRY_MS = 5000  # another process holds the writer lock: look again this much later

# Keys that are not menu actions (the menus list their own): shown in Help › Keyboard shortcuts with them.
OTHER_KEYS = [
    ("H", "Highlight the selected words (the selection grows to whole words)"),
    ("Shift+arrows", "Select words in the text with the keyboard"),
    ("Enter (Shift+Enter)", "In Find: next (previous) match; Esc closes it"),
    ("Tab / Shift+Tab", "Move between the library, the text and the side panes"),
    ("Enter, Ctrl+C, Ctrl+Shift+C, Ctrl+D, Ctrl+Shift+F, F2, Delete",
     "On a library row: open, copy its citation, copy its BibTeX, open its DOI, show its file, edit its "
     "details, remove it (also its right-click menu, or the Menu key)"),
    ("Delete", "In Highlights: delete the selected highlight (Ctrl+Z brings it back)"),
    ("Ctrl+wheel", "Text size (or the zoom of the original pages)"),
    ("Page Up / Page Down", "In Original pages: the previous / next page"),
    ("Mouse back / forward", "Back / Forward"),
]

@dataclass
class Place:
    """Where the reader is: a paper and how far down it."""

    paper_id: str
    scroll: int


class FindBar(QWidget):
    """Ctrl+F: incremental find in the open paper, with the number of matches."""

    closed = Signal()

    def __init__(self, view: DocumentView) -> None:
        super().__init__()
        self.view = view
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in this paper")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("muted")
        previous, following, close = QToolButton(), QToolButton(), QToolButton()
        previous.setText("↑")
        following.setText("↓")
        close.setText("✕")
        previous.setToolTip("Previous match (Shift+Enter)")
        following.setToolTip("Next match (Enter)")
        close.setToolTip("Close (Esc)")
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.close_bar)
        self.edit.textChanged.connect(self._changed)
        self.edit.returnPressed.connect(lambda: self.step(-1 if QGuiApplication.keyboardModifiers()
                                                          & Qt.KeyboardModifier.ShiftModifier else 1))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.total = 0

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._changed(self.edit.text())

    def close_bar(self) -> None:
        self.view.clear_found()
        self.hide()
        self.closed.emit()

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
            self.close_bar()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _changed(self, text: str) -> None:
        self.total = self.view.find(text)
        self.count.setText("" if not text else f"1 of {self.total}" if self.total else "no matches")

    def step(self, direction: int) -> None:
        if self.total:
            self.count.setText(f"{self.view.step_found(direction)} of {self.total}")


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings, background: Background | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.background = background or Background()
        self.history: History[Place] = History()
        self.paper: Paper | None = None
        self.undo: list[tuple[str, Highlight]] = []  # ("added" | "removed" | "edited", highlight as before)
        self._import_cancel: threading.Event | None = None
        self._catching_up: threading.Event | None = None  # set while a catch-up runs (set() it to stop)
        self._catch_up_again = False
        self._entries_by_doi: dict[str, CatalogEntry] = {}
        self._all_ids: set[str] = set()  # every paper of the library (the list may show one collection)
        self._entries_by_key: dict[tuple[str, int | None], list[CatalogEntry]] = {}
        self.setWindowTitle("litreader")
        self.setWindowIcon(icon("litreader"))
        self.setAcceptDrops(True)

        self.library_panel = LibraryPanel(self._search_in_background, self._snippets_in_background)
        self.document = DocumentView()
        self.find_bar = FindBar(self.document)
        self.find_bar.hide()
        self.references = ReferencePanel()
        self.references.find_in_library = self._library_entry_for
        self.highlights = HighlightsPanel()
        self.outline = OutlinePanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.outline, "Outline")
        self.tabs.addTab(self.highlights, "Highlights")
        self.tabs.addTab(self.references, "References")
        self.tabs.setCurrentWidget(self.references)
        self._follow_timer = QTimer(self)  # the outline follows the scroll, a moment after it stops
        self._follow_timer.setSingleShot(True)
        self._follow_timer.setInterval(120)
        self._follow_timer.timeout.connect(self._scrolled)

        self.pages = PageView(self.background)
        self.centre_stack = QStackedWidget()
        self.centre_stack.addWidget(self.document)
        self.centre_stack.addWidget(self.pages)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.centre_stack, 1)
        centre_layout.addWidget(self.find_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.library_panel)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setChildrenCollapsible(False)
        self.library_panel.setMinimumWidth(200)
        self.tabs.setMinimumWidth(240)
        self.document.setMinimumWidth(320)
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_status_bar()
        # the search index's segments merged while the reader does nothing (searches get faster)
        self.idle_merge = IdleMerge(library, self.statusBar(), self)
        self._wire()
        self._restore_state()
        self.document.text_scale = float(self.settings.value("view/text_scale", 1.0) or 1.0)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.reload_library()
        # another process (the command line) may import or remove papers: notice it without a restart
        self._catalog_stamp = self._catalog_signature()
        self._watch = QTimer(self)
        self._watch.setInterval(2000)
        self._watch.timeout.connect(self._check_catalog)
        self._watch.start()
        # the place read is saved as it changes, so even a crash cannot lose it
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(800)
        self._place_timer.timeout.connect(self._save_place)
        QTimer.singleShot(0, self.catch_up)  # papers a run cut short: indexed in the background

    # building

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:  # type: ignore[no-untyped-def]
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.back_action = action("Back", self.go_back, "Alt+Left")
        self.forward_action = action("Forward", self.go_forward, "Alt+Right")
        self.back_action.setToolTip("Back to where you were before the last jump (Alt+Left)")
        self.forward_action.setToolTip("Forward again (Alt+Right)")
        import_files = action("Import files…", self.import_files_dialog, "Ctrl+O")
        import_folder = action("Import a folder…", self.import_folder_dialog)
        import_zotero = action("Import from Zotero…", self.import_zotero_dialog)
        self.export_action = action("Export highlights…", self.export_highlights_dialog, "Ctrl+E")
        self.export_action.setEnabled(False)
        quit_action = action("Quit", self.close, "Ctrl+Q")
        self.undo_action = action("Undo", self.undo_last, QKeySequence.StandardKey.Undo)
        find = action("Find in paper", self.find_bar.open_bar, QKeySequence.StandardKey.Find)
        search = action("Search library", self.focus_search, "Ctrl+K")
        highlight = action("Highlight selection", lambda: self._highlight_selection("yellow"))
        next_citation = action("Next citation in the text", lambda: self.document.step_citation(1), "Ctrl+.")
        previous_citation = action("Previous citation in the text", lambda: self.document.step_citation(-1),
                                   "Ctrl+,")
        next_place = action("Next place citing this entry", lambda: self.references.step(1), "Ctrl+]")
        previous_place = action("Previous place citing this entry", lambda: self.references.step(-1), "Ctrl+[")
        zoom_in = action("Larger text", lambda: self.zoom(1), QKeySequence.StandardKey.ZoomIn)
        zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        zoom_out = action("Smaller text", lambda: self.zoom(-1), QKeySequence.StandardKey.ZoomOut)
        zoom_out.setShortcuts([QKeySequence("Ctrl+-")])
        zoom_reset = action("Default text size (pages: fit to width)", lambda: self.zoom(0), "Ctrl+0")
        go_library = action("Go to the library list", lambda: self._focus(self.library_panel.table), "Ctrl+1")
        go_text = action("Go to the text", lambda: self._focus(self.document), "Ctrl+2")
        go_outline = action("Outline", lambda: self._show_tab(self.outline, self.outline.list), "Ctrl+3")
        go_highlights = action("Highlights", lambda: self._show_tab(self.highlights, self.highlights.list), "Ctrl+4")
        go_references = action("References", lambda: self._show_tab(self.references, self.references.list),
                               "Ctrl+5")
        themes = QActionGroup(self)
        self.theme_actions = {}
        for name, label in (("system", "Theme of the system"), ("light", "Light theme"), ("dark", "Dark theme")):
            act = action(label, lambda _=False, n=name: self.set_theme(n))
            act.setCheckable(True)
            themes.addAction(act)
            self.theme_actions[name] = act
        current_theme = str(self.settings.value("view/theme", "system"))
        self.theme_actions.get(current_theme, self.theme_actions["system"]).setChecked(True)
        self.pages_action = action("Original pages", self.toggle_pages, "Ctrl+P")
        self.pages_action.setCheckable(True)
        self.pages_action.setEnabled(False)
        self.pages_action.setToolTip("Show the PDF's own pages, with your highlights (Ctrl+P)")
        shortcuts = action("Keyboard shortcuts", self.show_shortcuts, "F1")
        about = action("About litreader", self.show_about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([import_files, import_folder, import_zotero, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, find, search, highlight])
        go_menu = menu.addMenu("&Go")
        go_menu.addActions([self.back_action, self.forward_action])
        go_menu.addSeparator()
        go_menu.addActions([next_citation, previous_citation, next_place, previous_place])
        go_menu.addSeparator()
        go_menu.addActions([go_library, go_text, go_outline, go_highlights, go_references])
        view_menu = menu.addMenu("&View")
        view_menu.addActions([self.pages_action, zoom_in, zoom_out, zoom_reset])
        view_menu.addSeparator()
        view_menu.addActions(list(self.theme_actions.values()))
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([shortcuts, about])
        self.menus = [file_menu, edit_menu, go_menu, view_menu, help_menu]

        toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        self.back_action.setIcon(icon("back"))
        self.forward_action.setIcon(icon("forward"))
        import_files.setIcon(icon("import"))
        import_files.setToolTip("Import papers (Ctrl+O), or drop files on the window")
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        toolbar.addSeparator()
        toolbar.addAction(import_files)
        toolbar.addAction(self.pages_action)
        self._update_navigation()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_import)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    def _wire(self) -> None:
        self.library_panel.paper_requested.connect(lambda pid: self.open_paper(pid, remember=True))
        self.library_panel.hit_requested.connect(self.open_hit)
        self.document.citation_clicked.connect(self.follow_citation)
        self.document.note_clicked.connect(lambda start, end: self.jump_to(start, end - start))
        self.document.citation_tooltip = self.references.tooltip_for
        self.document.highlight_requested.connect(self.add_highlight)
        self.references.place_requested.connect(self.jump_to)
        self.references.open_paper_requested.connect(lambda pid: self.open_paper(pid, remember=True))
        self.highlights.highlight_clicked.connect(lambda h: self.jump_to(h.start, h.end - h.start))
        self.highlights.delete_requested.connect(self.delete_highlight)
        self.highlights.edit_requested.connect(self.edit_highlight)
        self.highlights.note.textChanged.connect(self._keep_note_draft)
        self.highlights.draft_for = self.note_draft
        self.outline.place_requested.connect(lambda offset: self.jump_to(offset, 0, at_top=True))
        self.document.verticalScrollBar().valueChanged.connect(lambda _: self._follow_timer.start())
        self.document.text_scale_changed.connect(lambda scale: self.settings.setValue("view/text_scale", scale))
        self.library_panel.entry_action.connect(self.entry_action)
        self.library_panel.search_box.textChanged.connect(lambda _: self.idle_merge.poke())
        self.library_panel.shelf_changed.connect(self.reload_library)

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        available = self._available_geometry()
        if not isinstance(geometry, QByteArray) or not available.contains(self.frameGeometry().center()):
            self.fit_screen(available)
        splitter = self.settings.value("window/splitter")
        if not (isinstance(splitter, QByteArray) and self.splitter.restoreState(splitter)):
            width = self.width()
            self.splitter.setSizes([int(width * 0.24), int(width * 0.50), int(width * 0.26)])

    def _available_geometry(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1400, 880)

    def fit_screen(self, available: QRect) -> None:
        """The first window: 1400x880 where it fits, else the screen's free area less a margin, centred."""
        frame = self.frameGeometry().size() - self.size()  # the title bar and borders around the window
        width = min(1400, available.width() - frame.width() - 16)
        height = min(880, available.height() - frame.height() - 16)
        self.resize(max(width, 640), max(height, 480))
        box = self.frameGeometry()
        box.moveCenter(available.center())
        self.move(box.topLeft())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.idle_merge.stop()
        self.cancel_import()
        if self._catching_up is not None:
            self._catching_up.set()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self._save_place()
        self._watch.stop()
        self.background.wait(10000)
        super().closeEvent(event)

    # the library

    def _catalog_signature(self) -> tuple[tuple[int, int], ...]:
        """Size and time of the catalog's files: cheap to read every few seconds, changed by any write."""
        files = [self.library.folder.catalog, Path(str(self.library.folder.catalog) + "-wal")]
        stamps = []
        for path in files:
            try:
                st = path.stat()
                stamps.append((st.st_size, st.st_mtime_ns))
            except OSError:
                stamps.append((0, 0))
        return tuple(stamps)

    def _check_catalog(self) -> None:
        """Papers imported or removed by another process show up (our own import reloads when done)."""
        stamp = self._catalog_signature()
        if stamp == self._catalog_stamp or self._import_cancel is not None:
            return
        self._catalog_stamp = stamp
        try:
            ids = self.library.catalog.ids()
        except Exception:  # noqa: BLE001 - a write in progress elsewhere: look again next time
            return
        if ids != self._all_ids:
            self.reload_library()
            self.idle_merge.library_changed()  # another process imported: its segments may be merged

    def reload_library(self) -> None:
        entries = self.library.entries("added")
        self._all_ids = {e.id for e in entries}
        self.library_panel.set_shelves(self.library.all_collections(), self.library.all_tags())
        shelf = self.library_panel.shelf()
        shown = self.library.entries("added", **{shelf[0]: shelf[1]}) if shelf else entries
        self.library_panel.set_entries(shown)
        self.document.setPlaceholderText(
            "Open a paper from the library on the left." if entries else
            "Your library is empty.\n\nImport papers with File › Import files… (Ctrl+O), or drop PDF, text or "
            "XML files on this window.")
        self._entries_by_doi = {e.doi.lower(): e for e in entries if e.doi}
        self._entries_by_key = {}
        for e in entries:
            self._entries_by_key.setdefault((e.first_author, e.year), []).append(e)

    def _library_entry_for(self, ref: Reference) -> CatalogEntry | None:
        """The library's copy of a reference entry: same DOI, or same first author, year and title."""
        if ref.DOI and ref.DOI.lower() in self._entries_by_doi:
            return self._entries_by_doi[ref.DOI.lower()]
        if not ref.author or not ref.issued or not ref.title:
            return None
        first = ref.author[0]
        family = (first.family or first.literal).lower()
        for e in self._entries_by_key.get((family, ref.issued[0]), []):
            if " ".join(e.title.lower().split())[:60] == " ".join(ref.title.lower().split())[:60]:
                return e
        return None

    def entry_action(self, name: str, entry: CatalogEntry) -> None:
        """A library row's menu or key: open, copy its citation or BibTeX, open its DOI, show its file,
        edit its details, remove it."""
        if name == "open":
            self.open_paper(entry.id, remember=True)
        elif name in ("copy_citation", "copy_bibtex"):
            try:
                paper = self.library.paper(entry.id)
            except Exception as exc:  # noqa: BLE001 - a damaged stored file: say so
                self._error("Cannot read the paper")(exc)
                return
            text = paper_citation(paper) if name == "copy_citation" else paper_bibtex(paper)
            QGuiApplication.clipboard().setText(text)
            self.statusBar().showMessage("Citation copied" if name == "copy_citation" else "BibTeX copied", 4000)
        elif name == "open_doi" and entry.doi:
            QDesktopServices.openUrl(QUrl(doi_url(entry.doi)))
        elif name == "show_file":
            source = self.library.folder.source_path(entry.id)
            if source is not None:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(source.parent)))
                self.statusBar().showMessage(f"{entry.source_name} is kept in {source.parent}", 10000)
        elif name == "edit":
            self.edit_details(entry)
        elif name == "remove":
            self.remove_paper(entry)

    def remove_paper(self, entry: CatalogEntry, confirm: bool = True) -> None:
        """Remove a paper after asking (its stored file goes with it; its highlights stay in the database)."""
        if confirm:
            box = QMessageBox(QMessageBox.Icon.Question, "Remove from the library",
                              f"Remove “{entry.title or entry.source_name}” from the library?\n\nIts stored copy "
                              "and its place in the search go; the file you imported it from is not touched, "
                              "and importing it again brings back its highlights.",
                              QMessageBox.StandardButton.Cancel, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is not remove:
                return
        self.idle_merge.hold()  # a merge step holds the writer lock: it stops at once and gives it back
        try:
            self.library.remove(entry.id)
        except Exception as exc:  # noqa: BLE001 - another process holds the library, a read-only folder
            self._error("The paper was not removed")(exc)
            return
        finally:
            self.idle_merge.release()
        if self.paper is not None and self.paper.id == entry.id:
            self._close_paper()
        self.reload_library()
        self.statusBar().showMessage(f"Removed “{entry.title or entry.source_name}”", 8000)

    def _close_paper(self) -> None:
        self.paper = None
        self.document.clear()
        self.document.layout_ = None
        self.document.paper = None
        self.export_action.setEnabled(False)
        self.pages_action.setEnabled(False)
        self.centre_stack.setCurrentWidget(self.document)
        self.outline.list.clear()
        self.highlights.set_highlights([], {})
        self.setWindowTitle("litreader")

    def edit_details(self, entry: CatalogEntry) -> None:
        """The paper's details dialog; a correction shows at once in the list and the text, and in search
        after the catch-up it starts."""
        try:
            dialog = DetailsDialog(self.library, entry, self)
        except Exception as exc:  # noqa: BLE001 - a damaged stored file: say so
            self._error("Cannot read the paper")(exc)
            return
        if dialog.exec() and dialog.saved is not None:
            self.details_saved(dialog.saved)

    def details_saved(self, entry: CatalogEntry) -> None:
        self.reload_library()
        if self.paper is not None and self.paper.id == entry.id:  # show the corrected title and byline
            scroll = self.document.scroll_position()
            self.paper = None
            self.open_paper(entry.id, then=lambda: self.document.set_scroll_position(scroll))
        self.statusBar().showMessage(f"Details of “{entry.title}” saved", 6000)
        self.catch_up()

    # indexing left over (a run cut short, notes or details changed): in the background, with progress

    def catch_up(self) -> None:
        """Index what the index does not hold yet, off the GUI thread; searches answer meanwhile from what is
        indexed. Another process writing the library: try again in a few seconds."""
        if self._import_cancel is not None or self._catching_up is not None:
            self._catch_up_again = self._catching_up is not None
            return
        try:
            waiting = self.library.unindexed_count()
        except Exception:  # noqa: BLE001 - a library we cannot read: the search says so itself
            return
        if not waiting:
            return
        cancel = threading.Event()
        self._catching_up = cancel
        self._catch_up_again = False
        self.idle_merge.hold()
        self.progress.setRange(0, 0)
        self.progress.show()
        relay = _ProgressRelay()
        relay.progress.connect(lambda p: self._show_progress(p, "Indexing"))
        self._catch_up_relay = relay

        def done(indexed: int) -> None:
            self._catching_up = None
            self.idle_merge.release()
            self.progress.hide()
            if indexed:
                self.statusBar().showMessage(f"{indexed:,} {'paper' if indexed == 1 else 'papers'} indexed: search finds them now", 6000)
            if self._catch_up_again:
                self.catch_up()

        def failed(error: BaseException) -> None:
            self._catching_up = None
            self.idle_merge.release()
            self.progress.hide()
            if isinstance(error, LibraryBusy):  # another process is writing: its turn first
                QTimer.singleShot(CATCH_UP_RETRY_MS, self.catch_up)
                return
            self.statusBar().showMessage(f"Indexing stopped: {error}", 10000)

        self.background.run(lambda: self.library.catch_up(progress=relay.progress.emit, cancel=cancel),
                            done, failed)

    def _search_in_background(self, query: str, on_done, on_error,  # type: ignore[no-untyped-def]
                              snippets: int | None = None) -> None:
        self.background.run(lambda: self.library.search(query, limit=30, snippets=snippets), on_done, on_error)

    def _snippets_in_background(self, query: str, hits, on_done, on_error) -> None:  # type: ignore[no-untyped-def]
        self.background.run(lambda: self.library.add_snippets(query, hits), on_done, on_error)

    def focus_search(self) -> None:
        self.library_panel.search_box.setFocus()
        self.library_panel.search_box.selectAll()

    # opening and jumping

    def here(self) -> Place | None:
        return Place(self.paper.id, self.document.scroll_position()) if self.paper else None

    def open_paper(self, paper_id: str, remember: bool = False, then=None) -> None:  # type: ignore[no-untyped-def]
        """Open a paper (parsed off the GUI thread); ``then()`` runs once it is shown."""
        if self.paper is not None and self.paper.id == paper_id:
            if then:
                then()
            return
        if remember and self.here() is not None:
            self.history.visit(self.here())  # type: ignore[arg-type]
            self._update_navigation()
        self.statusBar().showMessage("Opening…")

        def load() -> tuple[Paper, list[Highlight], dict]:
            paper = self.library.paper(paper_id)
            images = {}
            if has_pictures(paper):
                try:
                    images = figure_images(paper, self.library.folder.source_path(paper.id))
                except Exception:  # noqa: BLE001 - a damaged page: the captions still show
                    pass
            return paper, self.library.highlights_for(paper.id, paper), images

        def shown(result: tuple[Paper, list[Highlight], dict]) -> None:
            paper, highlights, images = result
            self.paper = paper
            self.export_action.setEnabled(True)
            self.document.show_paper(paper, images)
            self.outline.show_paper(paper)
            self._show_pages_if_wanted(paper, highlights)
            self.references.show_paper(paper)
            self._show_highlights(highlights)
            self.library_panel.select_paper(paper.id)
            self.setWindowTitle(f"{paper.title or 'Untitled'} — litreader")
            self.settings.setValue("reading/last_paper", paper.id)
            self.statusBar().showMessage(self._paper_status(paper), 6000)
            if then:
                then()

        self.background.run(load, shown, self._error("Cannot open the paper"))

    def _paper_status(self, paper: Paper) -> str:
        items = [i for c in paper.citations for i in c.items]
        unresolved = sum(1 for i in items if i.status == "unresolved")
        return (f"{len(paper.references)} references · {len(paper.citations)} citations"
                + (f" · {unresolved} without an entry" if unresolved else ""))

    def open_hit(self, hit: SearchHit) -> None:
        length = (hit.marks[0][1] - hit.marks[0][0]) if hit.marks else 0
        if self.here() is not None:
            self.history.visit(self.here())  # type: ignore[arg-type]
            self._update_navigation()

        def at_hit() -> None:
            if hit.offset is not None:
                self.document.scroll_to_offset(hit.offset, length)

        self.open_paper(hit.paper_id, then=at_hit)

    def follow_citation(self, index: int) -> None:
        self.tabs.setCurrentWidget(self.references)
        self.references.show_citation(index)

    def jump_to(self, offset: int, length: int, at_top: bool = False) -> None:
        """Show a place in the open paper, remembering where the reader was."""
        if self.here() is not None:
            self.history.visit(self.here())  # type: ignore[arg-type]
            self._update_navigation()
        self.document.scroll_to_offset(offset, length, at_top=at_top)
        if self.centre_stack.currentWidget() is self.pages:
            self.pages.scroll_to_offset(offset)

    def go_back(self) -> None:
        if self.here() is None:
            return
        place = self.history.back(self.here())  # type: ignore[arg-type]
        self._go(place)

    def go_forward(self) -> None:
        if self.here() is None:
            return
        place = self.history.forward(self.here())  # type: ignore[arg-type]
        self._go(place)

    def _go(self, place: Place | None) -> None:
        self._update_navigation()
        if place is None:
            return
        self.open_paper(place.paper_id, then=lambda: self.document.set_scroll_position(place.scroll))

    def _update_navigation(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back)
        self.forward_action.setEnabled(self.history.can_go_forward)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The mouse's own back/forward buttons, wherever the pointer is in the window; any key, click or
        wheel turn keeps the idle merge waiting."""
        kind = event.type()
        if kind in _READER_INPUT:
            self.idle_merge.activity()
        if kind == QEvent.Type.MouseButtonPress:
            button = event.button()  # type: ignore[attr-defined]
            if button == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if button == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return super().eventFilter(watched, event)

    # highlights

    # the PDF's own pages

    def _show_pages_if_wanted(self, paper: Paper, highlights: list[Highlight]) -> None:
        is_pdf = paper.format == "pdf" and bool(paper.pages)
        self.pages_action.setEnabled(is_pdf)
        if not is_pdf:
            self.pages_action.setChecked(False)
            self.centre_stack.setCurrentWidget(self.document)
            return
        if self.pages_action.isChecked():
            source = self.library.folder.source_path(paper.id)
            if source is not None:
                self.centre_stack.setCurrentWidget(self.pages)  # first: the pages fit the pane's real width
                self.pages.show_pdf(source.read_bytes(), paper, highlights)

    def toggle_pages(self) -> None:
        if self.paper is None:
            return
        if self.pages_action.isChecked():
            self._show_pages_if_wanted(self.paper, self.library.highlights_for(self.paper.id, self.paper))
            start = self.document.layout_.text_map.to_text(self.document.cursorForPosition(  # type: ignore[union-attr]
                self.document.viewport().rect().topLeft()).position()) if self.document.layout_ else None
            if start is not None:
                self.pages.scroll_to_offset(start)
        else:
            self.centre_stack.setCurrentWidget(self.document)

    def _show_highlights(self, highlights: list[Highlight]) -> None:
        self.document.set_highlights(highlights)
        if self.centre_stack.currentWidget() is self.pages:
            self.pages.set_highlights(highlights)
        pages = {h.id: page_of(self.paper, h.start) for h in highlights} if self.paper else {}
        self.highlights.set_highlights(highlights, pages)

    def _refresh_highlights(self) -> None:
        if self.paper is not None:
            self._show_highlights(self.library.highlights_for(self.paper.id, self.paper))

    def _highlight_selection(self, color: str) -> None:
        span = self.document.selected_span()
        if span is not None:
            self.add_highlight(span[0], span[1], color)

    def add_highlight(self, start: int, end: int, color: str) -> None:
        if self.paper is None:
            return
        try:
            h = self.library.add_highlight(self.paper.id, start, end, color=color, paper=self.paper)
        except Exception as exc:  # noqa: BLE001 - a read-only library, a full disk: say so
            self._error("The highlight was not saved")(exc)
            return
        self.undo.append(("added", h))
        self._refresh_highlights()
        self.tabs.setCurrentWidget(self.highlights)
        self.statusBar().showMessage("Highlighted (Ctrl+Z to undo)", 4000)

    def delete_highlight(self, h: Highlight) -> None:
        removed = self.library.remove_highlight(h.id)
        self.undo.append(("removed", removed))
        self._refresh_highlights()
        self.statusBar().showMessage("Highlight deleted (Ctrl+Z brings it back)", 6000)

    def edit_highlight(self, h: Highlight, color: str, note: str) -> None:
        self.undo.append(("edited", h))
        self.library.update_highlight(h.id, color=color, note=note)
        self.settings.remove("reading/note_draft")
        self._refresh_highlights()
        self.highlights.select(h.id)  # the note just saved stays in its box
        self.statusBar().showMessage("Note saved", 3000)
        if note != h.note:
            self.catch_up()  # notes are searchable

    def _keep_note_draft(self) -> None:
        """An unsaved note is kept in the settings as it is typed: a crash cannot lose it."""
        h = self.highlights.current()
        if h is None or not self.highlights.editor.isEnabled():
            return
        text = self.highlights.note.toPlainText()
        if text != h.note:
            self.settings.setValue("reading/note_draft", [h.id, text])
        else:
            self.settings.remove("reading/note_draft")

    def note_draft(self, highlight_id: str) -> str | None:
        draft = self.settings.value("reading/note_draft")
        if isinstance(draft, (list, tuple)) and len(draft) == 2 and draft[0] == highlight_id:
            return str(draft[1])
        return None

    def undo_last(self) -> None:
        if not self.undo:
            return
        what, h = self.undo.pop()
        if what == "added":
            self.library.remove_highlight(h.id)
        elif what == "removed":
            self.library.restore_highlight(h)
        else:
            self.library.update_highlight(h.id, color=h.color, note=h.note, tags=h.tags)
        self._refresh_highlights()

    # exporting

    EXPORT_FILTERS = {"Markdown (*.md)": ("markdown", ".md"), "W3C Web Annotation JSON (*.json)": ("json", ".json"),
                      "CSV for Readwise (*.csv)": ("csv", ".csv"), "Annotated PDF (*.pdf)": ("pdf", ".pdf")}

    def export_highlights_dialog(self) -> None:
        if self.paper is None:
            return
        filters = [f for f, (fmt, _) in self.EXPORT_FILTERS.items() if fmt != "pdf" or self.paper.format == "pdf"]
        stem = (self.paper.title or self.paper.id)[:60].replace("/", "-")
        folder = Path(str(self.settings.value("export/folder", "") or Path.home()))
        if not folder.is_dir():
            folder = Path.home()
        path, chosen = QFileDialog.getSaveFileName(self, "Export this paper's highlights",
                                                   str(folder / f"{stem} highlights.md"), ";;".join(filters))
        if path:
            fmt, suffix = self.EXPORT_FILTERS.get(chosen, ("markdown", ".md"))
            self.export_highlights(Path(path if Path(path).suffix else path + suffix), fmt)

    def export_highlights(self, path: Path, fmt: str) -> None:
        """Write the open paper's highlights to ``path`` as ``fmt`` (markdown, json, csv or pdf)."""
        if self.paper is None:
            return
        try:
            data, missed = self.library.export_highlights([self.paper.id], fmt)
            write_atomically(path, data, durable=True)  # with the user's usual file mode, not 0600
        except Exception as exc:  # noqa: BLE001 - a full disk, a folder we may not write to: say so
            self._error("The highlights were not exported")(exc)
            return
        self.settings.setValue("export/folder", str(path.parent))
        note = f" ({missed} could not be placed on the pages)" if missed else ""
        self.statusBar().showMessage(f"Highlights exported to {path}{note}", 8000)

    # importing

    def import_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import papers", str(Path.home()), "Papers and bibliographies (*.pdf *.txt *.md *.xml *.nxml *.bib "
            "*.ris *.json);;Papers (*.pdf *.txt *.md *.xml *.nxml);;BibTeX, RIS, CSL-JSON (*.bib *.ris *.json);;"
            "All files (*)")
        if files:
            self.import_paths(files)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of papers", str(Path.home()))
        if folder:
            self.import_paths([folder])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.import_paths(paths)

    def import_zotero_dialog(self) -> None:
        start = Path.home() / "Zotero"
        folder = QFileDialog.getExistingDirectory(
            self, "Import from Zotero: choose Zotero's data folder (the one holding zotero.sqlite)",
            str(start if start.is_dir() else Path.home()))
        if folder:
            self.import_zotero(folder)

    def import_zotero(self, folder: str, base_dir: str | None = None) -> None:
        """Bring a Zotero library in, in the background (Zotero may keep running: we read a copy)."""
        def work(progress, cancel) -> BringInReport:  # type: ignore[no-untyped-def]
            return import_zotero(self.library, folder, base_dir, progress=progress, cancel=cancel)

        def then(report: BringInReport) -> None:
            if base_dir is None and any("base folder" in p for p in report.problems) and plain.ask(
                    self, "Files linked through Zotero's base folder",
                    "Some attachments are linked relative to Zotero's base folder (Settings › Advanced › Files and "
                    "Folders in Zotero). Choose that folder to bring them in too?"):
                base = QFileDialog.getExistingDirectory(self, "Zotero's base folder for linked files",
                                                        str(Path.home()))
                if base:
                    self.import_zotero(folder, base)

        self.bring_in(work, f"Zotero ({folder})", then)

    def bring_in(self, work, name: str, then=None) -> None:  # type: ignore[no-untyped-def]
        """Run a bring-in (Zotero, a bibliography) in the background like an import: progress, Cancel, then
        the summary in the status bar and the problems, one line each, in a dialog."""
        if self._import_cancel is not None:
            self.statusBar().showMessage("An import is already running", 5000)
            return
        cancel = self._start_import()
        relay = _ProgressRelay()
        relay.progress.connect(self._show_progress)

        def done(report: BringInReport) -> None:
            self._import_finished()
            self.reload_library()
            self.catch_up()
            message = report.summary(name)
            self.statusBar().showMessage(message, 15000)
            if report.problems:
                details = "\n".join(report.problems[:40]) + (
                    f"\n… and {len(report.problems) - 40:,} more" if len(report.problems) > 40 else "")
                plain.warn(self, "Some items could not be brought in whole", f"{message}.\n\n{details}")
            if then is not None:
                then(report)

        def failed(error: BaseException) -> None:
            self._import_finished()
            self._error(f"{name} could not be imported")(error)

        self._import_relay = relay
        self.background.run(lambda: work(relay.progress.emit, cancel), done, failed)

    def _start_import(self) -> threading.Event:
        if self._catching_up is not None:  # the import indexes what is left over too
            self._catching_up.set()
        cancel = threading.Event()
        self._import_cancel = cancel
        self.idle_merge.hold()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        return cancel

    def import_paths(self, paths: list[str], open_first: bool = False) -> None:
        """Import in the background: progress in the status bar, Cancel stops after the current commit. A
        BibTeX, RIS or CSL-JSON file brings its entries and their files; the papers follow."""
        if self._import_cancel is not None:
            self.statusBar().showMessage("An import is already running", 5000)
            return
        bibliographies = [p for p in paths if looks_like_bibliography(Path(p))]
        if bibliographies:
            rest = [p for p in paths if p not in bibliographies]
            first, others = bibliographies[0], bibliographies[1:] + rest
            self.bring_in(lambda progress, cancel: import_bibliography(self.library, first, progress, cancel),
                          Path(first).name, lambda _: others and self.import_paths(others, open_first))
            return
        if self._catching_up is not None:  # the import indexes what is left over too
            self._catching_up.set()
        cancel = self._start_import()
        relay = _ProgressRelay()
        relay.progress.connect(self._show_progress)

        def run() -> ImportReport:
            return self.library.import_paths(paths, progress=relay.progress.emit, cancel=cancel)

        def done(report: ImportReport) -> None:
            self._import_finished()
            self.reload_library()
            self.catch_up()
            imported = [r for r in report.results if r.status == "imported"]
            message = import_message(report)
            self.statusBar().showMessage(message, 10000)
            if report.failed:
                details = "\n".join(f"{Path(r.path).name}: {r.reason}" for r in report.failed[:40])
                plain.warn(self, "Some files were not imported", f"{message}.\n\n{details}")
            first = imported[0].paper_id if imported else next(
                (r.paper_id for r in report.results if r.paper_id), None)
            if open_first and first:
                self.open_paper(first, remember=True)

        def failed(error: BaseException) -> None:
            self._import_finished()
            self._error("The import stopped")(error)

        self._import_relay = relay
        self.background.run(run, done, failed)

    def _show_progress(self, progress: Progress, doing: str = "Importing") -> None:
        self.progress.setRange(0, max(1, progress.total))
        self.progress.setValue(progress.done)
        self.progress.setFormat(f"{progress.done}/{progress.total}")
        if doing == "Importing":
            self.statusBar().showMessage(f"Importing: {progress.imported} imported, {progress.failed} failed")
        else:
            self.statusBar().showMessage(f"Indexing papers left unindexed: {progress.done:,} of {progress.total:,} "
                                         "(search answers meanwhile from what is indexed)")

    def cancel_import(self) -> None:
        if self._import_cancel is not None:
            self._import_cancel.set()
            self.cancel_button.setEnabled(False)

    def _import_finished(self) -> None:
        self._import_cancel = None
        self.idle_merge.release()
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)

    # looks and help

    def set_theme(self, theme: str) -> None:
        self.settings.setValue("view/theme", theme)
        if theme in getattr(self, "theme_actions", {}):
            self.theme_actions[theme].setChecked(True)
        apply_theme(theme)
        if self.paper is not None:  # colours of links and highlights follow the theme
            scroll = self.document.scroll_position()
            self.document.relayout()
            self.document.set_scroll_position(scroll)

    def zoom(self, steps: int) -> None:
        """Ctrl+plus / Ctrl+minus / Ctrl+0 on whichever shows the paper: the text, or the original pages."""
        if self.centre_stack.currentWidget() is self.pages:
            self.pages.zoom(steps)
        else:
            self.document.zoom(steps)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_tab(self, tab: QWidget, focus: QWidget) -> None:
        self.tabs.setCurrentWidget(tab)
        focus.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _scrolled(self) -> None:
        self.outline.follow(self.document.top_offset())
        self._place_timer.start()

    def _save_place(self) -> None:
        if self.paper is not None:
            self.settings.setValue("reading/last_paper", self.paper.id)
            self.settings.setValue("reading/last_scroll", self.document.scroll_position())
        self.settings.sync()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every menu action that has keys, menu by menu, then the keys that are not menu actions."""
        rows = []
        for menu in self.menus:
            for act in menu.actions():
                keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts())
                if keys:
                    rows.append((keys, act.text().replace("&", "")))
        return rows + OTHER_KEYS

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td style='padding-left:12px'>{html.escape(v)}</td></tr>"
                       for k, v in self.shortcut_rows())
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def show_about(self) -> None:
        QMessageBox.about(self, "About litreader",
                          f"<h3>litreader {__version__}</h3><p>A literature reader: every citation a link, every "
                          f"paper one search away, no highlight ever lost.</p><p>Library: {html.escape(str(self.library.root))}</p>")

    def _error(self, what: str):  # type: ignore[no-untyped-def]
        def show(error: BaseException) -> None:
            self.statusBar().showMessage(f"{what}: {error}", 10000)
            plain.warn(self, what, f"{what}.\n\n{error}")
        return show


def import_message(report: ImportReport) -> str:
    """What an import did, in one line: only the counts that are not zero."""
    parts = [(report.count("imported"), "imported"), (report.count("already there"), "already in the library"),
             (report.count("skipped"), "skipped"), (len(report.failed), "failed")]
    said = ", ".join(f"{n:,} {what}" for n, what in parts if n) or "nothing to import"
    return ("Import: " + said + (" (cancelled)" if report.interrupted else ""))


_READER_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel})


class _ProgressRelay(QObject):
    """Carries import progress from the import's thread to the GUI thread."""

    progress = Signal(object)

