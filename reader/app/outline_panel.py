"""The Outline tab: the paper's sections, figures and tables; clicking one goes there, and the section being
read is kept selected as the text scrolls."""
from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from reader.model import Block, Paper

_KIND_PREFIX = {"figure": "▣ ", "table": "▦ "}


def outline_entries(paper: Paper) -> list[tuple[Block, str]]:
    """Headings, figures and tables in reading order, each with the line the outline shows."""
    entries = []
    for block in sorted(paper.blocks, key=lambda b: b.start):
        if block.kind not in ("heading", "figure", "table"):
            continue
        text = " ".join(paper.text[block.start:block.end].split())
        if block.kind == "table":
            text = text.split("\t")[0] if "\t" in paper.text[block.start:block.end] else text
        if block.kind == "table" or (block.kind == "figure" and not text):  # a PDF figure has no text: its caption
            following = min((b for b in paper.blocks if b.kind == "caption" and b.start >= block.end),
                            key=lambda b: b.start, default=None)
            if following is not None and following.start - block.end < 4:
                text = " ".join(paper.text[following.start:following.end].split())
        if not text:
            text = block.kind.capitalize()
        if len(text) > 90:
            text = text[:89] + "…"
        indent = "    " * max(0, (block.level or 1) - 1) if block.kind == "heading" else "    "
        entries.append((block, indent + _KIND_PREFIX.get(block.kind, "") + text))
    return entries


class OutlinePanel(QWidget):
    """``place_requested(offset)`` asks the window to show the start of a section, figure or table."""

    place_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._go)
        self.list.itemClicked.connect(self._go)
        self.empty = QLabel("This paper has no sections, figures or tables to list.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        self._starts: list[int] = []
        self._headings: list[int] = []  # rows of the headings, the rows that follow the scroll

    def show_paper(self, paper: Paper) -> None:
        self.list.clear()
        entries = outline_entries(paper)
        self._starts, self._headings = [], []
        for row, (block, text) in enumerate(entries):
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, block.start)
            if block.kind == "heading" and (block.level or 1) == 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if block.kind == "heading":
                self._starts.append(block.start)
                self._headings.append(row)
        self.empty.setVisible(not entries)

    def follow(self, offset: int | None) -> None:
        """Select the section that holds ``offset`` (the text at the top of the view)."""
        if offset is None or not self._starts:
            return
        i = bisect_right(self._starts, offset) - 1
        row = self._headings[max(i, 0)]
        if self.list.currentRow() != row:
            self.list.blockSignals(True)
            self.list.setCurrentRow(row)
            self.list.blockSignals(False)
            self.list.scrollToItem(self.list.item(row))

    def _go(self, item: QListWidgetItem) -> None:
        self.place_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
