"""A wide table in the reading view wraps its cells; the view never scrolls sideways (issue 10 item 2)."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.app.document_view import DocumentView
from reader.ingest import load_paper


@pytest.mark.parametrize("width", [900, 400])
def test_a_wide_table_wraps_and_the_view_never_scrolls_sideways(view: DocumentView, realpdf: Path, qtbot,  # type: ignore[no-untyped-def]
                                                                 width: int) -> None:
    """PLOS pone.0349705's Table 2 (three columns of long formulas, "|ΔANPPS_C + H| > |ΔANPPG_C + H|") is
    read as a table; in a window 900 or 400 pixels wide no sideways scroll bar shows, the caret at the
    table's last cell scrolls nothing sideways, and the table lies inside the view."""
    paper = load_paper(realpdf / "plos-2026-journal.pone.0349705.pdf")
    view.show_paper(paper, {})
    view.resize(width, 700)
    qtbot.wait(10)
    assert not view.horizontalScrollBar().isVisible()
    tables = view.document().rootFrame().childFrames()
    assert tables, "the paper's tables are shown as tables"
    for table in tables:
        view.setTextCursor(table.lastCursorPosition())
        view.ensureCursorVisible()
        qtbot.wait(1)
        assert not view.horizontalScrollBar().isVisible()
        assert view.horizontalScrollBar().value() == 0
        assert view.document().documentLayout().frameBoundingRect(table).right() <= view.viewport().width()
