"""The original pages of a PDF, as printed, with the reader's highlights drawn on them.

Pages are rendered by pymupdf off the GUI thread, only when they come near the visible area, and kept as
images; a page not yet rendered is a blank sheet of the right size, so the scroll bar is right from the
start. Highlights are placed with the page and box of each printed line that the reading text keeps
(``Paper.pages``), the same way the annotated-PDF export places them.
"""
from __future__ import annotations

import threading

import pymupdf
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from reader.app.figures import release_pdf_caches
from reader.app.tasks import Background
from reader.app.zooming import ctrl_wheel_zoom
from reader.highlights import COLORS, Highlight
from reader.highlights.pdf_export import highlight_boxes
from reader.model import Paper

ZOOM = 1.5  # pixels per PDF point when the reader sets no zoom and the pane is wide enough
ZOOM_STEP = 1.2  # Ctrl+plus / Ctrl+minus
MIN_ZOOM, MAX_ZOOM = 0.3, 5.0
PAGE_GAP = 12


class PageView(QScrollArea):
    """Shows a PDF's pages; ``show_pdf`` loads one, ``set_highlights`` redraws them."""

    def __init__(self, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = background
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._pages = QWidget()
        self._layout = QVBoxLayout(self._pages)
        self._layout.setSpacing(PAGE_GAP)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self._pages)
        self._labels: list[QLabel] = []
        self._images: dict[int, QImage] = {}
        self._pending: set[int] = set()
        self._source: bytes = b""
        self._paper: Paper | None = None
        self._highlights: list[Highlight] = []
        self._boxes: dict[int, list[tuple[tuple[float, float, float, float], str]]] = {}
        self._render_lock = threading.Lock()  # one render at a time: a MuPDF document is not thread-safe
        self._doc: pymupdf.Document | None = None
        self._sizes: list[tuple[float, float]] = []  # each page's size in PDF points
        self.fit_width = True  # the pages fill the pane's width (the default); Ctrl+plus/minus sets a zoom
        self.zoom_factor = ZOOM  # pixels per PDF point now
        self._refit = QTimer(self)  # a resize re-fits the pages once it settles
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)
        self._refit.timeout.connect(self._apply_zoom)
        self.verticalScrollBar().valueChanged.connect(lambda _: self._render_visible())

    def show_pdf(self, source: bytes, paper: Paper, highlights: list[Highlight]) -> None:
        for label in self._labels:  # out of the layout now: until Qt deletes them they showed above the new pages
            self._layout.removeWidget(label)
            label.hide()
            label.deleteLater()
        self._labels, self._images, self._pending = [], {}, set()
        self._source, self._paper = source, paper
        with self._render_lock:
            if self._doc is not None:
                self._doc.close()
                release_pdf_caches()  # what MuPDF cached for the previous PDF's pages
            self._doc = pymupdf.open(stream=source, filetype="pdf")
            self._sizes = [(page.rect.width, page.rect.height) for page in self._doc]
        self.zoom_factor = self._fitting_zoom() if self.fit_width else self.zoom_factor
        for width, height in self._sizes:
            label = QLabel()
            label.setFixedSize(int(width * self.zoom_factor), int(height * self.zoom_factor))
            label.setStyleSheet("background: white; border: 1px solid #d0cdc6;")
            self._layout.addWidget(label)
            self._labels.append(label)
        self.set_highlights(highlights)
        self.verticalScrollBar().setValue(0)
        self._render_visible()

    # zoom

    def _fitting_zoom(self) -> float:
        """The zoom at which the widest page fills the pane (less its margins and the scroll bar)."""
        widest = max((w for w, _ in self._sizes), default=612.0)
        margins = self._layout.contentsMargins()
        room = self.viewport().width() - margins.left() - margins.right() - 4
        if self.verticalScrollBar().isHidden():
            room -= self.verticalScrollBar().sizeHint().width()
        return min(max(room / widest, MIN_ZOOM), MAX_ZOOM)

    def zoom(self, steps: int) -> None:
        """Bigger (1) or smaller (-1) by one step; 0 back to fitting the pane's width."""
        if steps == 0:
            self.fit_width = True
        else:
            self.fit_width = False
            self.zoom_factor = min(max(self.zoom_factor * ZOOM_STEP ** steps, MIN_ZOOM), MAX_ZOOM)
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        """Resize the pages to the zoom (keeping the page read in view) and render them again."""
        if not self._labels:
            return
        zoom = self._fitting_zoom() if self.fit_width else self.zoom_factor
        if abs(zoom - (self._labels[0].width() / max(1.0, self._sizes[0][0]))) < 0.005:
            return
        bar = self.verticalScrollBar()
        fraction = bar.value() / max(1, bar.maximum())
        self.zoom_factor = zoom
        self._images, self._pending = {}, set()
        for label, (width, height) in zip(self._labels, self._sizes):
            label.clear()
            label.setFixedSize(int(width * zoom), int(height * zoom))
        self._layout.activate()  # the pages' places now, not at the next event loop pass
        self._pages.adjustSize()
        bar.setValue(int(fraction * bar.maximum()))
        self._render_visible()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.fit_width and self._labels:
            self._refit.start()

    def wheelEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        if not ctrl_wheel_zoom(event, self.zoom):  # type: ignore[arg-type]
            super().wheelEvent(event)  # type: ignore[arg-type]

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        """Page Up / Page Down go to the top of the previous / next page."""
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and self._labels:
            self.step_page(1 if key == Qt.Key.Key_PageDown else -1)
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _page_tops(self) -> list[int]:
        """Where each page starts, from the pages' sizes (the layout may not have placed them yet)."""
        tops, y = [], self._layout.contentsMargins().top()
        for label in self._labels:
            tops.append(y)
            y += label.height() + self._layout.spacing()
        return tops

    def current_page(self) -> int:
        """The 0-based page whose top is nearest above the top of the view."""
        top = self.verticalScrollBar().value() + PAGE_GAP
        return max((i for i, y in enumerate(self._page_tops()) if y <= top), default=0)

    def step_page(self, direction: int) -> None:
        page = min(max(self.current_page() + direction, 0), len(self._labels) - 1)
        self.verticalScrollBar().setValue(self._page_tops()[page] - PAGE_GAP // 2)

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = [h for h in highlights if h.anchor != "orphaned"]
        self._boxes = {}
        if self._paper is not None and self._doc is not None:
            with self._render_lock:
                for h in self._highlights:
                    for page_number, rects in highlight_boxes(self._doc, self._paper, h).items():
                        self._boxes.setdefault(page_number - 1, []).extend((r, h.color) for r in rects)
        for index in list(self._images):
            self._show(index)

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll to the page that holds ``Paper.text[offset]``."""
        if self._paper is None or not self._paper.pages:
            return
        span = min(self._paper.pages, key=lambda s: (not s.start <= offset < s.end, abs(s.start - offset)))
        if 1 <= span.page <= len(self._labels):
            label = self._labels[span.page - 1]
            self.verticalScrollBar().setValue(label.y() + int(span.bbox[1] * self.zoom_factor)
                                              - self.viewport().height() // 3)

    def _render_visible(self) -> None:
        top = self.verticalScrollBar().value() - self.viewport().height()
        bottom = self.verticalScrollBar().value() + 2 * self.viewport().height()
        for index, label in enumerate(self._labels):
            if label.y() + label.height() >= top and label.y() <= bottom:
                if index not in self._images and index not in self._pending:
                    self._render(index)

    def _render(self, index: int) -> None:
        self._pending.add(index)
        doc_ref = self._doc
        zoom = self.zoom_factor
        ratio = self.devicePixelRatioF()  # sharp on a high-density screen

        def render() -> QImage:
            with self._render_lock:
                matrix = pymupdf.Matrix(zoom * ratio, zoom * ratio)
                pixmap = doc_ref[index].get_pixmap(matrix=matrix, alpha=False)
                image = QImage(pixmap.samples, pixmap.width, pixmap.height, pixmap.stride,
                               QImage.Format.Format_RGB888)
                return image.copy()  # own the pixels: pymupdf's buffer goes away with the pixmap

        def done(image: QImage) -> None:
            self._pending.discard(index)
            image.setDevicePixelRatio(ratio)
            if doc_ref is self._doc and zoom == self.zoom_factor:  # still the same PDF at the same zoom
                self._images[index] = image
                self._show(index)

        self.background.run(render, done, lambda error: self._pending.discard(index))

    def _show(self, index: int) -> None:
        image = self._images[index]
        pixmap = QPixmap.fromImage(image)
        boxes = self._boxes.get(index, [])
        if boxes:
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
            for (x0, y0, x1, y1), color in boxes:
                z = self.zoom_factor
                painter.fillRect(QRectF(x0 * z, y0 * z, (x1 - x0) * z, (y1 - y0) * z),
                                 QColor(COLORS.get(color, COLORS["yellow"])))
            painter.end()
        self._labels[index].setPixmap(pixmap)
