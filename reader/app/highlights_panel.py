"""The Highlights tab: a paper's highlights in document order, each with its colour, words, note and page.

Clicking one shows it in the text; its note and colour are edited below the list; Delete removes it (the
window keeps it for Ctrl+Z). The panel only reports what the reader did: the window saves.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListView, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from reader.app.models import ROW_ROLE, HighlightsModel
from reader.highlights import COLORS, Highlight


class HighlightsPanel(QWidget):
    highlight_clicked = Signal(object)  # Highlight
    delete_requested = Signal(object)
    edit_requested = Signal(object, str, str)  # Highlight, colour, note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HighlightsModel()
        self.draft_for = lambda highlight_id: None  # set by the window: a note typed but not saved (a crash)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the entries when the pane resizes
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.list.clicked.connect(self._clicked)
        self.list.selectionModel().currentChanged.connect(lambda current, _: self._load_editor(current))
        self.empty = QLabel("No highlights yet. Select words in the text and press H.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("muted")

        self.color = QComboBox()
        self.color.addItems(list(COLORS))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("A note on this highlight")
        self.note.setMaximumHeight(110)
        save = QPushButton("Save note")
        save.clicked.connect(self._save)
        delete = QPushButton("Delete")
        delete.setToolTip("Delete this highlight (Ctrl+Z brings it back)")
        delete.clicked.connect(self._delete)
        row = QHBoxLayout()
        row.addWidget(QLabel("Colour"))
        row.addWidget(self.color)
        row.addStretch(1)
        row.addWidget(delete)
        row.addWidget(save)
        self.editor = QWidget()
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.note)
        editor_layout.addLayout(row)
        self.editor.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.editor)

    def set_highlights(self, highlights: list[Highlight], pages: dict[str, int | None]) -> None:
        self.model.set_highlights(highlights, pages)
        self.empty.setVisible(not highlights)
        self.editor.setEnabled(False)
        self.note.clear()

    def select(self, highlight_id: str) -> None:
        """Make a highlight the current one (its note and colour in the editor)."""
        for row, h in enumerate(self.model.highlights):
            if h.id == highlight_id:
                self.list.setCurrentIndex(self.model.index(row))
                return

    def current(self) -> Highlight | None:
        index = self.list.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):  # type: ignore[attr-defined]
            self._delete()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _clicked(self, index: QModelIndex) -> None:
        h = index.data(ROW_ROLE)
        if h is not None:
            self.highlight_clicked.emit(h)

    def _load_editor(self, index: QModelIndex) -> None:
        h = index.data(ROW_ROLE) if index.isValid() else None
        self.editor.setEnabled(h is not None)
        if h is not None:
            self.color.setCurrentText(h.color)
            draft = self.draft_for(h.id)
            self.note.setPlainText(h.note if draft is None else draft)

    def _save(self) -> None:
        h = self.current()
        if h is not None:
            self.edit_requested.emit(h, self.color.currentText(), self.note.toPlainText())

    def _delete(self) -> None:
        h = self.current()
        if h is not None:
            self.delete_requested.emit(h)
