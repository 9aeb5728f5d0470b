"""The left side: the library (sortable, filterable) and full-text search with snippets.

Typing in the search box waits for a short pause (SEARCH_DELAY_MS), then searches off the GUI thread, one
search at a time: a query typed meanwhile waits for it, the newest only, and an older search's results are
dropped. The rows that fit in the list come with their snippets and show at once; once they are painted,
the rows below are added, a few at a time with their snippets read off the GUI thread (a thread working
while the rows are painted would slow the painting: it waits for Python's lock).
An empty search box shows the library list.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, QSize, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QAction, QKeySequence, QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHeaderView, QLabel, QLineEdit, QListView, QMenu,
                               QStackedWidget, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView,
                               QVBoxLayout, QWidget)

from reader.app.models import HTML_ROLE, ROW_ROLE, LibraryModel, SearchResultsModel
from reader.library import CatalogEntry, SearchHit
from reader.library.search import SNIPPET_CHARS

# A pause this long after a key starts the search. One search runs at a time (a query typed meanwhile waits,
# the newest only), so the pause need not save work: it only gathers keys that come together (a paste, a
# key held down, an input method), and every ms of it is a ms the reader waits. People type 100-250 ms apart.
SEARCH_DELAY_MS = 25
# A snippet is rarely shorter than this (SNIPPET_CHARS, cut at words): the rows that show are counted with it.
SHORT_SNIPPET_CHARS = SNIPPET_CHARS * 4 // 5
# Rows below the view added in one job, their snippets read: about 1 ms each, so a new query waits little.
SNIPPETS_AT_ONCE = 8


class HtmlDelegate(QStyledItemDelegate):
    """Draws an item's HTML_ROLE rich text (search results with bold hit words). Laying rich text out is
    what showing results costs: each row's text is laid out once for the list's width and font, and that
    layout gives both its height and its painting."""

    KEEP = 240  # laid-out rows kept (a few result lists' worth)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._laid_out: dict[tuple[str, int, str], QTextDocument] = {}

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        html = index.data(HTML_ROLE) or ""
        width = max(50, option.rect.width() - 12)
        key = (html, width, option.font.key())
        doc = self._laid_out.get(key)
        if doc is None:
            if len(self._laid_out) >= self.KEEP:
                self._laid_out.clear()
            doc = QTextDocument()
            doc.setDefaultFont(option.font)
            doc.setHtml(html)
            doc.setTextWidth(width)
            self._laid_out[key] = doc
        return doc

    def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        doc = self._document(option, index)
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.translate(option.rect.left() + 6, option.rect.top() + 4)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.highlightedText().color())
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # type: ignore[no-untyped-def]  # noqa: N802
        """The list's width (rows wrap to it) and the height of the row's text laid out at that width."""
        if option.rect.width() <= 0 and option.widget is not None:
            option.rect.setWidth(option.widget.viewport().width())
        doc = self._document(option, index)
        return QSize(option.rect.width(), int(doc.size().height()) + 8)


class ResultsList(QListView):
    """The search results; ``painted`` says rows are on screen (the rows below may have their snippets
    read now: a search thread running meanwhile would slow the painting, which waits for Python's lock)."""

    painted = Signal()

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().paintEvent(event)
        self.painted.emit()


class LibraryPanel(QWidget):
    """Library list and search. ``paper_requested(id)`` / ``hit_requested(hit)`` ask the window to open."""

    paper_requested = Signal(str)
    hit_requested = Signal(object)
    # what a library row's menu and keys ask for (the window does it): action name, the row's entry
    entry_action = Signal(str, object)
    # the reader chose another collection or tag to show (``shelf()`` says which)
    shelf_changed = Signal()

    # the row actions: name, label, key (keys work while the list has the focus)
    ROW_ACTIONS = (("open", "Open", "Return"), ("copy_citation", "Copy citation", "Ctrl+C"),
                   ("copy_bibtex", "Copy BibTeX", "Ctrl+Shift+C"), ("open_doi", "Open the DOI in the browser", "Ctrl+D"),
                   ("show_file", "Show the file", "Ctrl+Shift+F"), ("edit", "Edit details…", "F2"),
                   ("remove", "Remove from the library…", "Delete"))

    def __init__(self, search: Callable[..., None],
                 add_snippets: Callable[[str, list[SearchHit], Callable[[list[SearchHit]], None],
                                         Callable[[BaseException], None]], None] | None = None,
                 parent: QWidget | None = None) -> None:
        """``search(query, on_done, on_error[, snippets=N])`` runs a search off the GUI thread (snippets for
        the first N hits only, when ``add_snippets(query, hits, on_done, on_error)`` is there to read the
        others' after)."""
        super().__init__(parent)
        self._search = search
        self._add_snippets = add_snippets
        # one search job at a time (a search, or some rows' snippets): a query typed meanwhile waits, the newest
        # only; results of an older query are dropped
        self._generation = 0
        self._busy = False
        self._waiting: str | None = None
        self._rest: tuple[int, str, list[SearchHit]] | None = None  # (generation, query, hits not shown yet)
        self._rest_after_paint = False  # the rows below wait for the first rows to be painted

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search every paper  (Ctrl+K)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._search_soon)
        self.search_box.returnPressed.connect(self._search_now)
        # which papers the list shows: all, a collection (with those inside it) or a tag
        self.shelf_box = QComboBox()
        self.shelf_box.setAccessibleName("Show papers of a collection or tag")
        self.shelf_box.setToolTip("Show the papers of a collection (and those inside it) or with a tag")
        self.shelf_box.addItem("All papers", None)
        self.shelf_box.hide()  # until the library has collections or tags
        self.shelf_box.currentIndexChanged.connect(lambda _: self.shelf_changed.emit())
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter the list by title, author or year")
        self.filter_box.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it may show an error message

        self.model = LibraryModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setDynamicSortFilter(False)  # the model sorts itself (see LibraryModel.sort)
        self.filter_box.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_box.textChanged.connect(lambda _: self._count())
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        # the year column as wide as a year and its heading: fitting it to its contents read every row's year
        # each time the list showed again (a second at 10,000 papers, after clearing the search box)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, max(self.table.fontMetrics().horizontalAdvance("0000"),
                                    header.fontMetrics().horizontalAdvance("Year")) + 24)
        header.resizeSection(1, 96)
        self.table.activated.connect(self._open_entry)
        self.table.clicked.connect(self._open_entry)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list (to the text) instead of walking its cells
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.row_actions: dict[str, QAction] = {}
        for name, label, key in self.ROW_ACTIONS:
            act = QAction(label, self.table)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(lambda _=False, n=name: self._row_action(n))
            self.table.addAction(act)
            self.row_actions[name] = act
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)

        self.results_model = SearchResultsModel()
        self.results = ResultsList()
        self.results.painted.connect(self._painted)
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)  # rows wrap again to a new width
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap instead
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._open_hit)
        self.results.clicked.connect(self._open_hit)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.results)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._search_now)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.search_box)
        layout.addWidget(self.shelf_box)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

    def set_shelves(self, collections: list[tuple[str, int]], tags: list[tuple[str, int]]) -> None:
        """The collections (paths, parents first) and tags the list can be narrowed to, with their counts."""
        chosen = self.shelf()
        self.shelf_box.blockSignals(True)  # rebuilding the list is no choice of the reader's
        try:
            self.shelf_box.clear()
            self.shelf_box.addItem("All papers", None)
            for path, count in collections:
                depth, name = path.count("/"), path.rsplit("/", 1)[-1]
                self.shelf_box.addItem(f"{'    ' * depth}▸ {name}  ({count:,})", f"collection:{path}")
            for tag, count in tags:
                self.shelf_box.addItem(f"# {tag}  ({count:,})", f"tag:{tag}")
            # strings, not tuples: Qt compares Python objects in item data by identity
            keep = self.shelf_box.findData(":".join(chosen)) if chosen is not None else 0
            self.shelf_box.setCurrentIndex(max(0, keep))
        finally:
            self.shelf_box.blockSignals(False)
        self.shelf_box.setVisible(bool(collections or tags))
        if chosen is not None and self.shelf() is None:
            self.shelf_changed.emit()  # the chosen collection or tag is gone: the list shows all again

    def shelf(self) -> tuple[str, str] | None:
        """("collection", path) or ("tag", name) when the list is narrowed to one, else None."""
        data = self.shelf_box.currentData()
        if not data:
            return None
        kind, _, value = data.partition(":")
        return kind, value

    def set_entries(self, entries: list[CatalogEntry]) -> None:
        current = self.current_entry()
        self.model.set_entries(entries)
        self._count()
        if current is not None:
            self.select_paper(current.id)

    def _count(self) -> None:
        """"N papers", or "N of M papers" while the filter hides some (not while search results show)."""
        if self.stack.currentWidget() is not self.table:
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "paper" if total == 1 else "papers"
        text = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        shelf = self.shelf()
        self.status.setText(f"{text} {'in' if shelf[0] == 'collection' else 'tagged'} {shelf[1]}" if shelf else text)

    def current_entry(self) -> CatalogEntry | None:
        index = self.table.currentIndex()
        return self.proxy.index(index.row(), 0).data(ROW_ROLE) if index.isValid() else None

    def _row_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        entry = self.current_entry()
        if entry is None:
            return
        menu = QMenu(self)
        for name, act in self.row_actions.items():
            act.setEnabled(name != "open_doi" or bool(entry.doi))
            menu.addAction(act)
            if name in ("open", "copy_bibtex", "edit"):
                menu.addSeparator()
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _row_action(self, name: str) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.entry_action.emit(name, entry)

    def select_paper(self, paper_id: str) -> None:
        """Select a paper's row (found in the model's own list, not by asking every row for its data)."""
        row = next((i for i, e in enumerate(self.model.entries) if e.id == paper_id), -1)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    # search

    def _search_soon(self, text: str) -> None:
        if not text.strip():
            self.timer.stop()
            self._generation += 1  # whatever runs now is not shown
            self._waiting = None
            self._rest = None
            self.stack.setCurrentWidget(self.table)
            self.filter_box.setEnabled(True)
            self._count()
            return
        self.timer.start()

    def _search_now(self) -> None:
        query = self.search_box.text().strip()
        if not query:
            return
        self.timer.stop()
        self._generation += 1  # results of an older query still running are not shown
        self._rest = None
        self.status.setText("Searching…")
        if self._busy:
            self._waiting = query  # the newest query runs as soon as the running job ends
        else:
            self._start(query)

    def _start(self, query: str) -> None:
        """Search off the GUI thread, with snippets for the rows that show; the others' come after."""
        self._busy = True
        generation = self._generation
        first = self._rows_in_view() if self._add_snippets is not None else None

        def done(hits: list[SearchHit]) -> None:
            self._busy = False
            if generation == self._generation and self._waiting is None:
                # the rows that show first: laying out rows nobody sees yet would only make them wait
                self.results_model.set_hits(hits if first is None else hits[:first])
                self.stack.setCurrentWidget(self.results)
                self.filter_box.setEnabled(False)
                self.status.setText(f"{len(hits)} result{'s' if len(hits) != 1 else ''}" if hits
                                    else "No paper matches")
                if first is not None and len(hits) > first:
                    self._rest = (generation, query, hits[first:])
                    self._rest_after_paint = True
                    return
            self._next()

        def failed(error: BaseException) -> None:
            self._busy = False
            if generation == self._generation and self._waiting is None:
                self.status.setText(str(error))
            self._next()

        if first is None:
            self._search(query, done, failed)
        else:
            self._search(query, done, failed, snippets=first)

    def _painted(self) -> None:
        if self._rest_after_paint:
            self._rest_after_paint = False
            QTimer.singleShot(0, self, self._next)  # not inside the paint event

    def _next(self) -> None:
        """After a job: the newest query if one waits, else the next few rows of the results shown, with their
        snippets, added below (a few at a time, so a new query never waits long behind them)."""
        if self._busy:
            return
        if self._waiting is not None:
            query, self._waiting = self._waiting, None
            self._start(query)
            return
        if self._rest is None or self._add_snippets is None:
            return
        generation, query, waiting = self._rest
        hits, later = waiting[:SNIPPETS_AT_ONCE], waiting[SNIPPETS_AT_ONCE:]
        self._rest = (generation, query, later) if later else None
        self._busy = True

        def more(with_snippets: list[SearchHit]) -> None:
            self._busy = False
            if generation == self._generation:
                self.results_model.add_hits(with_snippets)
            self._next()

        def failed(error: BaseException) -> None:
            self._busy = False
            if generation == self._generation:  # the rows come without their snippets
                self.results_model.add_hits(hits + later)
                self._rest = None
            self._next()

        self._add_snippets(query, hits, more, failed)

    def _rows_in_view(self) -> int:
        """How many result rows can show at once: their snippets come with the results, the others' after.
        A row is a title, a byline and a snippet wrapped to the list's width (rows are laid out as
        HtmlDelegate does); counted with the shortest title and snippet likely, so no row that shows waits
        for its snippet."""
        metrics = self.results.fontMetrics()
        viewport = self.results.viewport() if self.results.isVisible() else self.stack
        text_width = max(50, viewport.width() - 12 - 8)  # the delegate's text width, less the document's margins
        snippet_lines = max(1, -(-SHORT_SNIPPET_CHARS * metrics.averageCharWidth() // text_width))  # rounded up
        row = (2 + snippet_lines) * metrics.lineSpacing() + 8 + 8
        return max(2, viewport.height() // row + 1)

    def _open_entry(self, index: QModelIndex) -> None:
        entry = index.data(ROW_ROLE) if index.isValid() else None
        if entry is None:
            entry = self.proxy.index(index.row(), 0).data(ROW_ROLE)
        if entry is not None:
            self.paper_requested.emit(entry.id)

    def _open_hit(self, index: QModelIndex) -> None:
        hit = index.data(ROW_ROLE)
        if hit is not None:
            self.hit_requested.emit(hit)
