"""The reading window (PySide6): a thin layer over the library, the citation engine and the highlights.

``reader.app.app.run`` starts it; ``main_window`` builds and wires the parts, one module per part.
"""

from reader.app import refcount_guard

refcount_guard.install()  # before any widget: see refcount_guard (PySide6 6.12 on Python 3.11)
