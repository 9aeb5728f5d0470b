"""A figure at full size: clicking a picture in the reading view opens it here, where the small print of a plot
(axis labels, legends, panel letters) can be read. The reading view draws it no wider than the text."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget


class FigureWindow(QDialog):
    """One picture, at two screen pixels a PDF point (the pixels it was cut at), scrolling when larger than
    the screen allows; Esc closes it."""

    def __init__(self, image: QImage, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        full = QImage(image)
        full.setDevicePixelRatio(1.0)  # every pixel cut: twice the size the page prints it
        self.picture.setPixmap(QPixmap.fromImage(full))
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width, height = full.width() + 24, full.height() + 24
        if room is not None:
            width, height = min(width, int(room.width() * 0.9)), min(height, int(room.height() * 0.9))
        self.resize(max(width, 200), max(height, 150))
