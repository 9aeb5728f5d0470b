"""Ctrl+wheel zooms whatever shows the paper (the reflowed text, the original pages)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent


def ctrl_wheel_zoom(event: QWheelEvent, zoom: Callable[[int], None]) -> bool:
    """Zoom one step in or out on a Ctrl+wheel turn; True when the event was that (and is handled)."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    delta = event.angleDelta().y()
    if delta:
        zoom(1 if delta > 0 else -1)
    event.accept()
    return True
