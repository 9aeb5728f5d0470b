"""The original pages of a PDF, as printed, with the reader's highlights drawn on them.

Pages are rendered by pymupdf off the GUI thread, only when they come near the visible area, and kept as
images; a page not yet rendered is a blank sheet of the right size, so the scroll bar is right from the
start. Highlights are placed with the page and box of each printed line that the reading text keeps
(``Paper.pages``), the same way the annotated-PDF export places them.
"""
from __future__ import annotations

import threading

import pymupdf
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from reader.app.tasks import Background
from reader.highlights import COLORS, Highlight
from reader.highlights.pdf_export import highlight_boxes
from reader.model import Paper

ZOOM = 1.5  # pixels per PDF point: sharp text at a reading size
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
        self.verticalScrollBar().valueChanged.connect(lambda _: self._render_visible())

    def show_pdf(self, source: bytes, paper: Paper, highlights: list[Highlight]) -> None:
        for label in self._labels:
            label.deleteLater()
        self._labels, self._images, self._pending = [], {}, set()
        self._source, self._paper = source, paper
        with self._render_lock:
            if self._doc is not None:
                self._doc.close()
            self._doc = pymupdf.open(stream=source, filetype="pdf")
            sizes = [(page.rect.width, page.rect.height) for page in self._doc]
        for width, height in sizes:
            label = QLabel()
            label.setFixedSize(int(width * ZOOM), int(height * ZOOM))
            label.setStyleSheet("background: white; border: 1px solid #d0cdc6;")
            self._layout.addWidget(label)
            self._labels.append(label)
        self.set_highlights(highlights)
        self.verticalScrollBar().setValue(0)
        self._render_visible()

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
            self.verticalScrollBar().setValue(label.y() + int(span.bbox[1] * ZOOM) - self.viewport().height() // 3)

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

        def render() -> QImage:
            with self._render_lock:
                pixmap = doc_ref[index].get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False)
                image = QImage(pixmap.samples, pixmap.width, pixmap.height, pixmap.stride,
                               QImage.Format.Format_RGB888)
                return image.copy()  # own the pixels: pymupdf's buffer goes away with the pixmap

        def done(image: QImage) -> None:
            self._pending.discard(index)
            if doc_ref is self._doc:  # still the same PDF
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
                painter.fillRect(QRectF(x0 * ZOOM, y0 * ZOOM, (x1 - x0) * ZOOM, (y1 - y0) * ZOOM),
                                 QColor(COLORS.get(color, COLORS["yellow"])))
            painter.end()
        self._labels[index].setPixmap(pixmap)
