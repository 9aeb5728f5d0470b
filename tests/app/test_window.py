"""The reading window, driven as a reader would (offscreen): citations, stepping, back, hover, highlights, search."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QToolTip

from reader.app.main_window import MainWindow
from reader.app.models import ROW_ROLE, HighlightsModel, LibraryModel, ReferenceListModel, SearchResultsModel
from reader.app.tasks import Background
from reader.library import Library
from reader.model import paper_id_for

REPO = Path(__file__).resolve().parents[2]
ALAM = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("window") / "lib"
    with Library.open(root) as lib:
        assert lib.import_paths([REPO / "library"]).count("imported") == 2
    return root


@pytest.fixture
def library(template: Path, tmp_path: Path) -> Iterator[Library]:
    root = tmp_path / "lib"
    shutil.copytree(template, root)
    lib = Library.open(root)
    yield lib
    lib.close()


def _window(qtbot, library: Library, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, settings, Background(synchronous=True))
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, library: Library, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    w = _window(qtbot, library, tmp_path)
    w.open_paper(paper_id_for(ALAM.read_bytes()))
    assert w.paper is not None and w.paper.title.startswith("Pakistan's Role")
    return w


def _citation(window: MainWindow, text: str, nth: int = 0) -> int:
    matches = [i for i, c in enumerate(window.paper.citations) if c.text == text]  # type: ignore[union-attr]
    return matches[nth]


def _point_of(window: MainWindow, index: int) -> QPoint:
    """Where citation ``index`` is on screen (scrolled into view first)."""
    link = next(link for link in window.document.layout_.citations if link.index == index)  # type: ignore[union-attr]
    cursor = QTextCursor(window.document.document())
    cursor.setPosition(link.doc_start + 1)
    window.document.setTextCursor(cursor)
    window.document.ensureCursorVisible()
    rect = window.document.cursorRect(cursor)
    return QPoint(rect.center().x() + 2, rect.center().y())


def test_clicking_a_citation_selects_its_entry(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    index = _citation(window, "(Shahbaz, 2023)")
    qtbot.mouseClick(window.document.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(window, index))
    assert window.tabs.currentWidget() is window.references
    ref = window.references.current_reference()
    assert ref is not None and ref.raw.startswith("Shahbaz, M. (2023)")
    assert "Revisiting friends" in window.references.details.toPlainText()


def test_stepping_through_the_places_that_cite_an_entry(window: MainWindow) -> None:
    first, second = _citation(window, "(Abbas, 2023)", 0), _citation(window, "(Abbas, 2023)", 1)
    window.follow_citation(first)
    assert window.references.current_reference().raw.startswith("Abbas, H. (2023)")  # type: ignore[union-attr]
    assert window.references.cited_label.text().startswith("Cited 2×")
    window.references.step(1)
    citation = window.paper.citations[second]  # type: ignore[union-attr]
    assert window.document._marks == [(citation.start, citation.end)]
    assert "place 2 of 2" in window.references.cited_label.text()
    window.references.step(1)  # and round to the first
    assert window.document._marks == [(window.paper.citations[first].start,  # type: ignore[union-attr]
                                       window.paper.citations[first].end)]  # type: ignore[union-attr]


def test_back_returns_to_the_scroll_position(window: MainWindow) -> None:
    window.document.set_scroll_position(0)
    assert window.document.scroll_position() == 0
    window.follow_citation(_citation(window, "(Abbas, 2023)", 1))
    window.references.step(1)  # a jump far down the paper
    far = window.document.scroll_position()
    assert far > 500
    window.go_back()
    assert window.document.scroll_position() == 0
    window.go_forward()
    assert window.document.scroll_position() == far


def test_hovering_an_unresolved_citation_says_why(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    paper = window.paper
    index = next(i for i, c in enumerate(paper.citations)  # type: ignore[union-attr]
                 if all(item.status == "unresolved" for item in c.items))
    point = _point_of(window, index)
    event = QHelpEvent(QEvent.Type.ToolTip, point, window.document.viewport().mapToGlobal(point))
    window.document.event(event)
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=2000)
    assert "no entry in the reference list matches" in QToolTip.text()
    assert window.references.unresolved_model.rowCount() > 0


def test_a_highlight_survives_closing_the_window(qtbot, window: MainWindow, library: Library,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    text = window.paper.text  # type: ignore[union-attr]
    sentence = "The Taliban took over Kabul on August 15, 2021, and removed President Ashraf Ghani from office."
    start = text.index(sentence)
    cursor = QTextCursor(window.document.document())
    cursor.setPosition(window.document.layout_.text_map.to_doc(start))  # type: ignore[union-attr, arg-type]
    cursor.setPosition(window.document.layout_.text_map.to_doc(start + len(sentence)),  # type: ignore[union-attr, arg-type]
                       QTextCursor.MoveMode.KeepAnchor)
    window.document.setTextCursor(cursor)
    window.document.setFocus()
    qtbot.keyClick(window.document, Qt.Key.Key_H)
    assert [h.quote for h in window.highlights.model.highlights] == [sentence]
    window.close()
    again = _window(qtbot, library, tmp_path)
    again.open_paper(window.paper.id)  # type: ignore[union-attr]
    assert [h.quote for h in again.highlights.model.highlights] == [sentence]
    assert [s.format.background().color().name() for s in again.document.extraSelections()] == ["#ffe066"]


def test_delete_and_undo_a_highlight(window: MainWindow) -> None:
    start = window.paper.text.index("Durand Line")  # type: ignore[union-attr]
    window.add_highlight(start, start + 11, "green")
    [h] = window.highlights.model.highlights
    window.delete_highlight(h)
    assert window.highlights.model.highlights == []
    window.undo_last()
    assert [x.id for x in window.highlights.model.highlights] == [h.id]


def test_search_and_open_a_hit(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.library_panel
    panel.search_box.setText('"durand line"')
    panel._search_now()
    assert panel.stack.currentWidget() is panel.results
    assert panel.results_model.rowCount() == 2
    gadi = next(r for r in range(2) if panel.results_model.index(r).data(ROW_ROLE).title.startswith("Against"))
    hit = panel.results_model.index(gadi).data(ROW_ROLE)
    panel.results.clicked.emit(panel.results_model.index(gadi))
    assert window.paper.id == hit.paper_id  # type: ignore[union-attr]
    start, end = window.document._marks[0]
    assert window.paper.text[start:end].lower() == "durand"  # type: ignore[union-attr]
    window.go_back()
    assert window.paper.title.startswith("Pakistan's Role")  # type: ignore[union-attr]


def test_find_in_the_paper(window: MainWindow) -> None:
    window.find_bar.open_bar()
    window.find_bar.edit.setText("durand line")
    assert window.find_bar.total >= 2
    assert window.find_bar.count.text() == f"1 of {window.find_bar.total}"
    window.find_bar.step(1)
    assert window.find_bar.count.text() == f"2 of {window.find_bar.total}"


@pytest.mark.parametrize("model_class", [LibraryModel, SearchResultsModel, ReferenceListModel, HighlightsModel])
def test_models_keep_qt_rules(qtmodeltester, window: MainWindow, model_class) -> None:  # type: ignore[no-untyped-def]
    models = {LibraryModel: window.library_panel.model, SearchResultsModel: window.library_panel.results_model,
              ReferenceListModel: window.references.model, HighlightsModel: window.highlights.model}
    qtmodeltester.check(models[model_class])


def test_the_mouse_back_button_goes_back(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.document.set_scroll_position(0)
    window.follow_citation(_citation(window, "(Abbas, 2023)", 1))
    window.references.step(1)
    assert window.document.scroll_position() > 500
    qtbot.mouseClick(window.document.viewport(), Qt.MouseButton.BackButton)
    assert window.document.scroll_position() == 0


def test_an_empty_library_says_how_to_fill_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open(tmp_path / "empty") as empty:
        window = _window(qtbot, empty, tmp_path)
        assert "Your library is empty" in window.document.placeholderText()
        assert window.library_panel.status.text() == "0 papers"


def test_original_pages_of_a_pdf_with_highlights(qtbot, tmp_path: Path, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = sorted((corpus_dir / "pdf").glob("*.pdf"))[0]
    with Library.open(tmp_path / "pdflib") as lib:
        lib.import_paths([pdf])
        window = _window(qtbot, lib, tmp_path)
        window.open_paper(lib.entries()[0].id)
        assert window.pages_action.isEnabled()
        paper = window.paper
        span = paper.pages[5]  # a printed line of the first page(s)
        window.add_highlight(span.start, span.end, "green")
        window.pages_action.setChecked(True)
        window.toggle_pages()
        assert window.centre_stack.currentWidget() is window.pages
        assert len(window.pages._labels) == paper.page_count
        first = window.pages._labels[span.page - 1]
        qtbot.waitUntil(lambda: not first.pixmap().isNull(), timeout=5000)
        image = first.pixmap().toImage()
        zoom = window.pages.zoom_factor * first.pixmap().devicePixelRatio()
        x0, y0, x1, y1 = (int(v * zoom) for v in span.bbox)
        middle = image.pixelColor((x0 + x1) // 2, (y0 + y1) // 2)
        assert middle.green() > middle.blue() + 40  # the green highlight multiplied into the page
        window.pages_action.setChecked(False)
        window.toggle_pages()
        assert window.centre_stack.currentWidget() is window.document


def test_a_text_paper_has_no_page_view(window: MainWindow) -> None:
    assert not window.pages_action.isEnabled()


def test_the_library_list_sorts_by_a_clicked_column(window: MainWindow) -> None:
    panel = window.library_panel
    header = panel.table.horizontalHeader()
    header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # Year, newest first
    first = panel.proxy.index(0, 0).data(ROW_ROLE)
    assert first.year == 2023  # Gadi (2023) before Alam (no year)
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # Title: "Against..." before "Pakistan's..."
    assert panel.proxy.index(0, 0).data(ROW_ROLE).title.startswith("Against")
    panel.filter_box.setText("pakistan's")
    assert panel.proxy.rowCount() == 1


def test_export_the_open_papers_highlights(window: MainWindow, tmp_path: Path) -> None:
    start = window.paper.text.index("Durand Line")  # type: ignore[union-attr]
    window.add_highlight(start, start + 11, "blue")
    assert window.export_action.isEnabled()
    window.export_highlights(tmp_path / "notes.md", "markdown")
    text = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert text.startswith("## Javed Alam and Ghulam Mustafa. Pakistan's Role in Afghan Peace Process")
    assert "> Durand Line" in text and "— blue" in text
    window.export_highlights(tmp_path / "notes.json", "json")
    assert '"styleClass": "blue"' in (tmp_path / "notes.json").read_text(encoding="utf-8")
