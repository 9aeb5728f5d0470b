"""Keep ``None`` alive under PySide6 builds that drop a reference to it on every call of a void method.

PySide6 6.12 (abi3 wheels) returns ``None`` from a C++ method that returns nothing without taking a reference
to it. From Python 3.12 on ``None`` is immortal and nothing happens; on Python 3.11 every such call
(``QTextCursor.setPosition``, ``QLabel.setText``, ``setExtraSelections``, ...) lowers ``None``'s reference
count by one, and after a few thousand calls (a few Enter presses in Find, a few repaints of the highlights)
it reaches zero and the interpreter aborts with ``Fatal Python error: none_dealloc``. No call site can avoid
it: every Qt setter is a void method.

The remedy is the one Python 3.12 itself adopted: give ``None`` a reference count so large that no session
can use it up. ``install()`` does that once, only where the leak is measured, before any window is built.
"""
from __future__ import annotations

import ctypes
import sys

# 2**50 calls would take decades at a million calls a second; far from overflowing a 64-bit count.
_HEADROOM = 1 << 50


def leaks_none() -> bool:
    """Whether this PySide6 drops a reference to None per void call (measured on a harmless setter)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 50


def install() -> bool:
    """Make ``None`` effectively immortal if this Python and PySide6 need it; True if it was done."""
    if sys.version_info >= (3, 12) or getattr(install, "done", False) or not leaks_none():
        return False
    # In a release build the reference count is PyObject's first field; check that before writing to it.
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value != sys.getrefcount(None) - 1:
        return False  # an unusual build (Py_TRACE_REFS): leave it alone rather than guess the layout
    count.value += _HEADROOM
    install.done = True  # type: ignore[attr-defined]
    return True
