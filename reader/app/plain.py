"""Text from a paper, a file name or an error message shown as itself, never read as markup.

Qt guesses whether a tooltip, a label or a message box holds rich text (``Qt::mightBeRichText``): a title
like ``<img src=...>`` would be drawn as markup. These helpers fix the format instead of letting Qt guess.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written (escaped, then marked as rich text so the escapes apply)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A warning box whose text is plain, whatever it holds."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question whose text is plain; True for yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes
