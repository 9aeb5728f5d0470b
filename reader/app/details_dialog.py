"""Edit a paper's details (title, authors, year, venue, DOI): the reader's correction wins over every re-parse.

The dialog shows the values the library shows now (corrected or parsed) and marks the corrected ones; OK
saves the fields that changed through ``Library.correct_metadata``; "Use the parsed values" takes every
correction back. A value the library refuses (a year of "19x5") keeps the dialog open with the reason.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from reader.errors import LibraryError
from reader.library import CatalogEntry, Library
from reader.library.corrections import FIELDS, parse_names
from reader.model import Name

LABELS = {"title": "Title", "authors": "Authors", "year": "Year", "venue": "Journal or venue", "doi": "DOI"}


def names_text(names: list[Name]) -> str:
    """Names as the Authors field reads them: ``Family, Given; {Organisation}``."""
    return "; ".join("{" + n.literal + "}" if n.literal else f"{n.family}, {n.given}" if n.given else n.family
                     for n in names)


class DetailsDialog(QDialog):
    def __init__(self, library: Library, entry: CatalogEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.entry = library, entry
        self.saved: CatalogEntry | None = None
        self.setWindowTitle("Edit the paper's details")
        paper = library.paper(entry.id)
        corrected = library.corrections(entry.id)
        self.shown = {"title": paper.title, "authors": names_text(paper.authors),
                      "year": str(paper.year or ""), "venue": paper.venue, "doi": paper.doi}
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in FIELDS:
            edit = QLineEdit(self.shown[name])
            edit.setMinimumWidth(480)
            edit.setCursorPosition(0)  # a long title shows its start
            self.edits[name] = edit
            label = LABELS[name] + (" (your correction)" if name in corrected else "")
            form.addRow(label, edit)
        self.edits["authors"].setPlaceholderText("Family, Given; Family, Given; {Organisation}")
        self.edits["doi"].setPlaceholderText("10.1234/...")
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setObjectName("error")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        reset = QPushButton("Use the parsed values")
        reset.setToolTip("Take back every correction of this paper: what the parser read shows again")
        reset.setEnabled(bool(corrected))
        buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        reset.clicked.connect(self.reset)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = QLabel("Your corrections are kept when the paper is read again, and are searchable.")
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, object]:
        """The fields whose text the reader changed, as values for ``correct_metadata``."""
        out: dict[str, object] = {}
        for name, edit in self.edits.items():
            text = " ".join(edit.text().split())
            if text == " ".join(self.shown[name].split()):
                continue
            if name == "authors":
                out[name] = parse_names(text)
            elif name == "year":
                out[name] = int(text) if text.isdigit() else text if text else None
            else:
                out[name] = text
        return out

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self._apply(changes)

    def reset(self) -> None:
        self._apply({name: None for name in FIELDS})

    def _apply(self, changes: dict[str, object]) -> None:
        try:
            self.saved = self.library.correct_metadata(self.entry.id, changes)
        except LibraryError as exc:  # a value the library refuses: say why, keep what was typed
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
