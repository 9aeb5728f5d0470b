"""Light and dark themes: Qt's Fusion style with a palette, following the system unless the reader chose."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STYLESHEET = RESOURCES / "style.qss"


def icon(name: str) -> QIcon:
    """One of our icons (``resources/icons/<name>.svg``: vector, crisp at any scale)."""
    return QIcon(str(RESOURCES / "icons" / f"{name}.svg"))


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: str) -> None:
    """``light``, ``dark`` or ``system``."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.setStyle("Fusion")
    dark = theme == "dark" or (theme == "system" and system_is_dark())
    app.setPalette(_dark_palette() if dark else _light_palette())
    if STYLESHEET.is_file():
        app.setStyleSheet(STYLESHEET.read_text(encoding="utf-8"))


def _light_palette() -> QPalette:
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#f6f5f2", QPalette.ColorRole.Base: "#fdfcfa",
        QPalette.ColorRole.AlternateBase: "#f1efea", QPalette.ColorRole.Text: "#22211f",
        QPalette.ColorRole.WindowText: "#22211f", QPalette.ColorRole.Button: "#eceae5",
        QPalette.ColorRole.ButtonText: "#22211f", QPalette.ColorRole.Highlight: "#3b6fb6",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#2f62a8",
        QPalette.ColorRole.PlaceholderText: "#7a7770", QPalette.ColorRole.ToolTipBase: "#fffdf4",
        QPalette.ColorRole.ToolTipText: "#22211f", QPalette.ColorRole.Mid: "#c9c6bf",
        QPalette.ColorRole.Midlight: "#e2dfd9",
    }
    for role, value in colours.items():
        p.setColor(role, QColor(value))
    return p


def _dark_palette() -> QPalette:
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1f2023", QPalette.ColorRole.Base: "#18191b",
        QPalette.ColorRole.AlternateBase: "#222326", QPalette.ColorRole.Text: "#e4e2dd",
        QPalette.ColorRole.WindowText: "#e4e2dd", QPalette.ColorRole.Button: "#2a2b2f",
        QPalette.ColorRole.ButtonText: "#e4e2dd", QPalette.ColorRole.Highlight: "#4f7fc4",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#8ab4f0",
        QPalette.ColorRole.PlaceholderText: "#8d8a84", QPalette.ColorRole.ToolTipBase: "#2a2b2f",
        QPalette.ColorRole.ToolTipText: "#e4e2dd", QPalette.ColorRole.Mid: "#44464b",
        QPalette.ColorRole.Midlight: "#2e3034",
    }
    for role, value in colours.items():
        p.setColor(role, QColor(value))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b6964"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b6964"))
    return p
