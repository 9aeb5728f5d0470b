"""The centre of the window: the paper as a reflowed page, its citations as links, highlights painted on it.

A QTextBrowser over the document from ``document_layout``. Highlights, the search hit and find-in-document
matches are *extra selections* (painted over the text, never written into the document), so changing them
costs nothing proportional to the paper. The text column keeps a comfortable measure (about 70 characters)
however wide the window is.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import (QAction, QColor, QDesktopServices, QFont, QFontMetricsF, QIcon, QImage, QPixmap,
                           QTextCharFormat, QTextCursor, QTextDocument)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from reader.app.document_layout import DOI_LINK, Layout, Styles, build_layout
from reader.app.figure_window import FigureWindow
from reader.app.zooming import ctrl_wheel_zoom
from reader.highlights import COLORS, Highlight
from reader.model import Paper

MEASURE_CHARS = 72
TEXT_SCALES = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.4)  # Ctrl+minus / Ctrl+plus steps


def _swatch(hex_color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(hex_color))
    return QIcon(pixmap)


def whole_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` grown to whole words at both ends and stripped of white space around it."""
    while start > 0 and start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


class DocumentView(QTextBrowser):
    """Shows one paper. Signals say what the reader did; the window decides what follows."""

    citation_clicked = Signal(int)  # index into Paper.citations
    note_clicked = Signal(int, int)  # a note's mark: the note's span of Paper.text
    highlight_requested = Signal(int, int, str)  # text start, end, colour (from the selection)
    text_scale_changed = Signal(float)  # Ctrl+wheel, Ctrl+plus/minus/0: the window keeps it in the settings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        # the text wraps to the view and a wide table's cells wrap (anywhere, if a word is too long): nothing
        # needs sideways scrolling, and Qt's table layout leaves a stale sideways range after a relayout
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.anchorClicked.connect(self._on_anchor)
        self.paper: Paper | None = None
        self.layout_: Layout | None = None
        self.citation_tooltip = lambda index: ""  # set by the window: the entry a citation points to
        self._highlights: list[Highlight] = []
        self._marks: list[tuple[int, int]] = []  # the search hit or the citing place shown, in text offsets
        self._found: list[tuple[int, int]] = []  # find-in-document matches, document positions
        self._current_found = -1
        self._images: dict[int, QImage] = {}
        self.text_scale = 1.0
        self.figure_window: FigureWindow | None = None  # the last figure opened at full size
        self._pressed_at = QPoint()
        self.setPlaceholderText("Open a paper from the library on the left.")
        # the keyboard moves a caret and selects (Shift+arrows), Tab walks the citations, Enter follows one
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)

    # showing a paper

    def show_paper(self, paper: Paper, images: dict[int, QImage] | None = None) -> None:
        """Lay out ``paper`` (with its figures' pictures, if any) at the top of the view."""
        self._images = images or {}
        self.paper = paper
        self._highlights, self._marks, self._found, self._current_found = [], [], [], -1
        self._build()
        self.verticalScrollBar().setValue(0)

    def _build(self) -> None:
        if self.paper is None:
            return
        palette = self.palette()
        styles = Styles(text=palette.text().color(), muted=palette.placeholderText().color(),
                        link=palette.link().color(), unresolved=QColor("#b35c00"))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.1 * self.text_scale)
        measure = QFontMetricsF(font).averageCharWidth() * MEASURE_CHARS
        previous = self.layout_.document if self.layout_ is not None else None
        self.layout_ = build_layout(self.paper, styles, font, self._images, image_width=measure)
        self.setDocument(self.layout_.document)
        if previous is not None:
            # Qt never frees a document it was given, nor does PySide once it is set: without this every
            # paper opened (and every relayout) stayed in memory with its figures, 3-40 MB each
            previous.deleteLater()
        self._fit_measure()
        self._paint()

    def relayout(self) -> None:
        """Lay the open paper out again (a new theme's colours), keeping what is painted on it."""
        self._build()

    # text size

    def set_text_scale(self, scale: float) -> None:
        """Text size relative to the default (kept between sessions by the window); the place read stays."""
        scale = min(max(scale, TEXT_SCALES[0]), TEXT_SCALES[-1])
        if abs(scale - self.text_scale) < 1e-6:
            return
        top = self.top_offset()
        self.text_scale = scale
        if self.paper is not None:
            self._build()
            if top is not None:
                self.scroll_to_offset(top, mark=False, at_top=True)
        self.text_scale_changed.emit(scale)

    def zoom(self, steps: int) -> None:
        """One step bigger (1) or smaller (-1) on the TEXT_SCALES ladder; 0 back to the default size."""
        if steps == 0:
            self.set_text_scale(1.0)
            return
        larger = [s for s in TEXT_SCALES if s > self.text_scale + 1e-6]
        smaller = [s for s in TEXT_SCALES if s < self.text_scale - 1e-6]
        if steps > 0 and larger:
            self.set_text_scale(larger[0])
        elif steps < 0 and smaller:
            self.set_text_scale(smaller[-1])

    def wheelEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        if not ctrl_wheel_zoom(event, self.zoom):  # type: ignore[arg-type]
            super().wheelEvent(event)  # type: ignore[arg-type]

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Side margins that keep lines near MEASURE_CHARS characters, in any window width."""
        if self.layout_ is None:
            return
        measure = QFontMetricsF(self.document().defaultFont()).averageCharWidth() * MEASURE_CHARS
        side = max(24.0, (self.viewport().width() - measure) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    # matter folded out of the reading flow

    def toggle_fold(self, index: int, shown: bool | None = None) -> None:
        """Show (or hide again) a folded run of matter; its line's arrow says which."""
        if self.layout_ is None or not 0 <= index < len(self.layout_.folds):
            return
        fold = self.layout_.folds[index]
        fold.shown = not fold.shown if shown is None else shown
        doc = self.document()
        for number in fold.blocks:
            doc.findBlockByNumber(number).setVisible(fold.shown)
        arrow = QTextCursor(doc)
        arrow.setPosition(fold.toggle)
        arrow.setPosition(fold.toggle + 1, QTextCursor.MoveMode.KeepAnchor)
        fmt = arrow.charFormat()
        arrow.insertText("▾" if fold.shown else "▸", fmt)  # one character for one: no position moves
        if fold.blocks:
            last = doc.findBlockByNumber(fold.blocks[-1])
            doc.markContentsDirty(fold.toggle, last.position() + last.length() - fold.toggle)
        self._paint()

    def _unfold_at(self, position: int) -> None:
        """A place inside folded matter (a search hit, a find match, a highlight) is shown before going there."""
        if self.layout_ is None:
            return
        number = self.document().findBlock(position).blockNumber()
        for index, fold in enumerate(self.layout_.folds):
            if not fold.shown and number in fold.blocks:
                self.toggle_fold(index, shown=True)

    # places

    def scroll_to_offset(self, offset: int, length: int = 0, mark: bool = True, at_top: bool = False) -> None:
        """Bring ``Paper.text[offset:offset+length]`` to the upper third of the view (or its top), marked if
        asked."""
        if self.layout_ is None:
            return
        position = self.layout_.text_map.to_doc(offset)
        if position is None:
            return
        self._marks = [(offset, offset + length)] if mark and length else []
        self._unfold_at(position)
        self._paint()
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - (4 if at_top else self.viewport().height() // 3))

    def top_offset(self) -> int | None:
        """The offset in ``Paper.text`` of the first text shown at the top of the view."""
        if self.layout_ is None:
            return None
        position = self.cursorForPosition(QPoint(self.viewport().width() // 2, 8)).position()
        while position < self.document().characterCount():
            offset = self.layout_.text_map.to_text(position)
            if offset is not None:
                return offset
            position += 1
        return None

    def scroll_position(self) -> int:
        return self.verticalScrollBar().value()

    def set_scroll_position(self, value: int) -> None:
        self.verticalScrollBar().setValue(value)

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as a span of ``Paper.text``, grown to whole words at both ends (a highlight never
        starts or ends inside a word); None when nothing of the text is selected."""
        cursor = self.textCursor()
        if self.layout_ is None or self.paper is None or not cursor.hasSelection():
            return None
        span = self.layout_.text_map.text_range(cursor.selectionStart(), cursor.selectionEnd())
        return whole_words(self.paper.text, *span) if span else None

    # citations by keyboard

    def step_citation(self, direction: int) -> int | None:
        """Move to the next (1) or previous (-1) citation after the caret and show its entry; its index."""
        if self.layout_ is None or not self.layout_.citations:
            return None
        links = sorted(self.layout_.citations, key=lambda link: link.doc_start)
        here = self.textCursor().position()
        if direction > 0:
            following = [link for link in links if link.doc_start > here]
            link = following[0] if following else links[0]
        else:
            before = [link for link in links if link.doc_end < here]
            link = before[-1] if before else links[-1]
        self._unfold_at(link.doc_start)
        cursor = QTextCursor(self.document())
        cursor.setPosition(link.doc_start)
        cursor.setPosition(link.doc_end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.citation_clicked.emit(link.index)
        return link.index

    # what is painted over the text

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = [h for h in highlights if h.anchor != "orphaned"]
        self._paint()

    def find(self, needle: str) -> int:  # type: ignore[override]
        """Mark every match of ``needle`` (case-insensitive); returns how many. The first is made current."""
        self._found, self._current_found = [], -1
        if needle and self.layout_ is not None:
            doc: QTextDocument = self.document()
            cursor = QTextCursor(doc)
            while True:
                cursor = doc.find(needle, cursor)
                if cursor.isNull():
                    break
                self._found.append((cursor.selectionStart(), cursor.selectionEnd()))
        if self._found:
            self.step_found(1)
        else:
            self._paint()
        return len(self._found)

    def step_found(self, step: int) -> int:
        """Move to the next (1) or previous (-1) match; returns its 1-based number (0 when none)."""
        if not self._found:
            return 0
        self._current_found = (self._current_found + step) % len(self._found)
        start, _ = self._found[self._current_found]
        self._unfold_at(start)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self._paint()
        return self._current_found + 1

    def clear_found(self) -> None:
        self._found, self._current_found = [], -1
        self._paint()

    def _paint(self) -> None:
        if self.layout_ is None:
            return
        text_map = self.layout_.text_map
        selections = []

        def add(doc_start: int | None, doc_end: int | None, fmt: QTextCharFormat) -> None:
            if doc_start is None or doc_end is None or doc_end <= doc_start:
                return
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(doc_start)
            cursor.setPosition(doc_end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)

        for h in self._highlights:
            fmt = QTextCharFormat()
            color = QColor(COLORS.get(h.color, COLORS["yellow"]))
            color.setAlpha(150 if self.palette().base().color().lightness() > 128 else 110)
            fmt.setBackground(color)
            add(text_map.to_doc(h.start), text_map.to_doc(h.end), fmt)
        for start, end in self._marks:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(self.palette().highlight().color())
            fmt.setFontUnderline(True)
            mark = QColor(self.palette().highlight().color())
            mark.setAlpha(60)
            fmt.setBackground(mark)
            add(text_map.to_doc(start), text_map.to_doc(end), fmt)
        for i, (start, end) in enumerate(self._found):
            fmt = QTextCharFormat()
            found = QColor("#ff9632" if i == self._current_found else "#ffd24d")
            fmt.setBackground(found)
            fmt.setForeground(QColor("black"))
            add(start, end, fmt)
        self.setExtraSelections(selections)

    # links and tooltips

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith("cite:"):
            self.citation_clicked.emit(int(href[5:]))
        elif href.startswith("fold:"):
            self.toggle_fold(int(href[5:]))
        elif href.startswith("note:"):
            start, end = _note_span(href)
            self.note_clicked.emit(start, end)
        elif href.startswith(DOI_LINK):  # the paper's own DOI: to the publisher, in the browser
            QDesktopServices.openUrl(url)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos: QPoint = event.pos()  # type: ignore[attr-defined]
            anchor = self.anchorAt(pos)
            if anchor.startswith("cite:"):
                QToolTip.showText(event.globalPos(), self.citation_tooltip(int(anchor[5:])), self)  # type: ignore[attr-defined]
            elif anchor.startswith("note:") and self.paper is not None:
                start, end = _note_span(anchor)
                QToolTip.showText(event.globalPos(), " ".join(self.paper.text[start:end].split()), self)  # type: ignore[attr-defined]
            elif self.picture_at(pos) is not None:
                QToolTip.showText(event.globalPos(), "Click to see the figure full size", self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # figures at full size

    def picture_at(self, pos: QPoint) -> QImage | None:
        """The figure's picture under ``pos`` (viewport coordinates), if any."""
        where = QPointF(pos.x() + self.horizontalScrollBar().value(), pos.y() + self.verticalScrollBar().value())
        name = self.document().documentLayout().imageAt(where)
        if not name.startswith("figure:"):
            return None
        image = self.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        return image if isinstance(image, QImage) and not image.isNull() else None

    def open_picture(self, image: QImage) -> FigureWindow:
        """The picture at full size in a window of its own."""
        title = f"Figure — {self.paper.title}" if self.paper is not None and self.paper.title else "Figure"
        self.figure_window = FigureWindow(image, title, self)
        self.figure_window.show()
        return self.figure_window

    def mousePressEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self._pressed_at = event.position().toPoint()  # type: ignore[attr-defined]
        super().mousePressEvent(event)  # type: ignore[arg-type]

    def mouseReleaseEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)  # type: ignore[arg-type]
        pos = event.position().toPoint()  # type: ignore[attr-defined]
        if (event.button() == Qt.MouseButton.LeftButton  # type: ignore[attr-defined]
                and (pos - self._pressed_at).manhattanLength() < 4 and not self.textCursor().hasSelection()):
            image = self.picture_at(pos)  # a click, not a drag that selects
            if image is not None:
                self.open_picture(image)
                event.accept()  # type: ignore[attr-defined]

    def contextMenuEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        """Right-click on a selection: highlight it in one of the colours (or copy it)."""
        menu = self.createStandardContextMenu(event.pos())  # type: ignore[attr-defined]
        span = self.selected_span()
        if span is not None:
            first = menu.actions()[0] if menu.actions() else None
            for name, hex_color in COLORS.items():
                act = QAction(_swatch(hex_color), f"Highlight {name}" + ("  (H)" if name == "yellow" else ""), menu)
                act.triggered.connect(lambda _=False, c=name: self.highlight_requested.emit(span[0], span[1], c))
                menu.insertAction(first, act)
            menu.insertSeparator(first)
        menu.exec(event.globalPos())  # type: ignore[attr-defined]

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        key = event.key()  # type: ignore[attr-defined]
        if key == Qt.Key.Key_H and not event.modifiers() and self.selected_span():  # type: ignore[attr-defined]
            span = self.selected_span()
            if span:
                self.highlight_requested.emit(span[0], span[1], "yellow")
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]


def _note_span(href: str) -> tuple[int, int]:
    """The note's span from a ``note:START:END`` link."""
    _, start, end = href.split(":")
    return int(start), int(end)
