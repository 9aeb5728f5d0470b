"""Fixtures shared by the window's tests."""
from __future__ import annotations

import pytest

from reader.app.document_view import DocumentView


@pytest.fixture
def view(qtbot) -> DocumentView:  # type: ignore[no-untyped-def]
    """The reading view alone, 900 by 700 pixels, shown."""
    v = DocumentView()
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    return v
