"""Keep ``None``, ``True`` and ``False`` alive under PySide6 builds that drop references to them.

PySide6 6.12 (abi3 wheels) gives back ``None`` from every C++ method that returns nothing, and a bool from
every ``Signal.emit()``, without taking a reference to it. From Python 3.12 on these objects are immortal and
nothing happens; on Python 3.11 each such call lowers the object's reference count by one, and after a few
thousand calls (a few Enter presses in Find, a few repaints of the highlights, a few hundred signals) it
reaches zero and the interpreter aborts with ``Fatal Python error: none_dealloc`` (or ``bool_dealloc``). No
call site can avoid it: every Qt setter is a void method, every signal is emitted. PySide6 6.11 is not
affected.

The remedy is the one Python 3.12 itself adopted: give these three objects a reference count so large that
no session can use it up. ``install()`` does that once, only where the leak is measured, before any window
is built.
"""
from __future__ import annotations

import ctypes
import sys

# 2**50 calls would take decades at a million calls a second; far from overflowing a 64-bit count.
_HEADROOM = 1 << 50
_SINGLETONS = (None, True, False)


def leaks_singletons() -> bool:
    """Whether this PySide6 drops references to None (void calls) or to bools (signal emits), measured."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    none_before, true_before, false_before = (sys.getrefcount(o) for o in _SINGLETONS)
    for _ in range(100):
        probe.setObjectName("probe")  # returns nothing
        probe.ping.emit()  # returns a bool
    lost = [before - sys.getrefcount(o) for o, before in zip(_SINGLETONS, (none_before, true_before, false_before))]
    return max(lost) > 50


def install() -> bool:
    """Make None, True and False effectively immortal if this Python and PySide6 need it; True if done."""
    if sys.version_info >= (3, 12) or getattr(install, "done", False) or not leaks_singletons():
        return False
    counts = [ctypes.c_ssize_t.from_address(id(o)) for o in _SINGLETONS]
    # In a release build the reference count is PyObject's first field; check that before writing to it.
    if any(count.value != sys.getrefcount(o) - 1 for count, o in zip(counts, _SINGLETONS)):
        return False  # an unusual build (Py_TRACE_REFS): leave it alone rather than guess the layout
    for count in counts:
        count.value += _HEADROOM
    install.done = True  # type: ignore[attr-defined]
    return True
