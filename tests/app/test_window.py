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


# -- the second pass (issue 12) ---------------------------------------------------------------------------

def test_text_size_keys_wheel_and_the_setting(qtbot, window: MainWindow, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    size = window.document.document().defaultFont().pointSizeF()
    window.zoom(1)
    assert window.document.text_scale == 1.1
    assert window.document.document().defaultFont().pointSizeF() == pytest.approx(size * 1.1)
    wheel = QWheelEvent(QPointF(50, 50), QPointF(50, 50), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    window.document.wheelEvent(wheel)
    assert window.document.text_scale == 1.25
    assert float(window.settings.value("view/text_scale")) == 1.25
    window.close()
    again = _window(qtbot, library, tmp_path)  # the size is kept between sessions
    again.open_paper(window.paper.id)  # type: ignore[union-attr]
    assert again.document.text_scale == 1.25
    again.zoom(0)
    assert again.document.text_scale == 1.0


def test_zoom_keeps_the_place_read(window: MainWindow) -> None:
    start = window.paper.text.index("Durand Line")  # type: ignore[union-attr]
    window.document.scroll_to_offset(start, mark=False, at_top=True)
    before = window.document.top_offset()
    window.zoom(1)
    window.zoom(1)
    after = window.document.top_offset()
    assert before is not None and after is not None and abs(after - before) < 200


def test_the_outline_lists_sections_and_follows_the_scroll(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    paper = window.paper
    headings = [b for b in paper.blocks if b.kind == "heading"]  # type: ignore[union-attr]
    assert window.outline.list.count() == len(headings) > 3
    conclusion = next(i for i, b in enumerate(headings) if paper.block_text(b).lower().startswith("conclusion"))  # type: ignore[union-attr]
    item = window.outline.list.item(conclusion)
    window.outline.list.itemClicked.emit(item)
    top = window.document.top_offset()
    assert top is not None and headings[conclusion].start - 5 <= top <= headings[conclusion].end
    window.go_back()  # an outline jump is remembered like any other
    assert window.document.scroll_position() == 0
    window.document.scroll_to_offset(headings[2].end + 40, mark=False, at_top=True)
    window._scrolled()
    assert window.outline.list.currentRow() == 2


def test_keys_walk_the_citations_and_their_places(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    cursor = QTextCursor(window.document.document())
    window.document.setTextCursor(cursor)  # the very start
    first = window.document.step_citation(1)
    assert first == min(range(len(window.paper.citations)), key=lambda i: window.paper.citations[i].start)  # type: ignore[union-attr]
    assert window.tabs.currentWidget() is window.references
    assert window.references.current_reference() is not None or window.references.details.toPlainText()
    abbas = _citation(window, "(Abbas, 2023)", 0)
    window.follow_citation(abbas)
    qtbot.keyClick(window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert "place 2 of 2" in window.references.cited_label.text()
    assert window.document.step_citation(-1) is not None


def test_tab_leaves_the_library_list(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.library_panel.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


def test_the_shortcut_list_names_every_menu_key(window: MainWindow) -> None:
    keys = " ".join(k for k, _ in window.shortcut_rows())
    for key in ("Ctrl+P", "Ctrl+E", "Ctrl+Q", "Ctrl+F", "Ctrl+K", "Ctrl+O", "Ctrl+Z", "Ctrl+0", "Ctrl+]", "Ctrl+.",
                "Alt+Left"):
        assert key in keys, key


def test_library_row_actions(qtbot, window: MainWindow, library: Library) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    panel = window.library_panel
    alam = next(e for e in panel.model.entries if e.title.startswith("Pakistan's Role"))
    window.entry_action("copy_citation", alam)
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Javed Alam, Ghulam Mustafa") and "Pakistan's Role in Afghan Peace Process" in text
    window.entry_action("copy_bibtex", alam)
    assert QGuiApplication.clipboard().text().startswith("@article{")
    panel.filter_box.setText("pakistan's")
    assert panel.status.text() == "1 of 2 papers"
    panel.filter_box.setText("")
    assert panel.status.text() == "2 papers"
    window.remove_paper(alam, confirm=False)
    assert [e.title[:7] for e in panel.model.entries] == ["Against"]
    assert window.paper is None  # it was the open paper
    assert panel.status.text() == "1 paper"


def test_papers_imported_by_another_process_show_up(qtbot, window: MainWindow, library: Library,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    import subprocess
    import sys

    other = tmp_path / "another.txt"  # a paper the library does not hold yet (other bytes, other title)
    other.write_text(ALAM.read_text(encoding="utf-8").replace("Pakistan's Role in Afghan Peace Process",
                                                              "Another Role in Another Process"), encoding="utf-8")
    assert window.library_panel.model.rowCount() == 2
    subprocess.run([sys.executable, "-m", "reader", "import", "--library", str(library.root), str(other)],
                   check=True, capture_output=True, timeout=120)
    qtbot.waitUntil(lambda: window.library_panel.model.rowCount() == 3, timeout=8000)


def test_the_first_window_fits_a_small_screen(qtbot, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRect

    window = _window(qtbot, library, tmp_path)
    screen = QRect(0, 0, 1366, 768 - 32)  # a 1366x768 screen less its panel
    window.fit_screen(screen)
    assert screen.contains(window.frameGeometry())
    window.resize(1280, 720)
    window.open_paper(paper_id_for(ALAM.read_bytes()))
    qtbot.wait(50)
    refs = window.references
    for widget in (refs.next_button, refs.details, window.document, window.library_panel.table):
        corner = widget.mapTo(window, QPoint(widget.width(), widget.height()))
        assert widget.isVisible() and corner.x() <= window.width() and corner.y() <= window.height(), widget
    assert window.document.width() >= 320


def test_a_selection_snaps_to_whole_words(window: MainWindow) -> None:
    from reader.app.document_view import whole_words

    text = window.paper.text  # type: ignore[union-attr]
    start = text.index("Durand Line")
    assert whole_words(text, start + 2, start + 8) == (start, start + 11)  # "rand Li" -> "Durand Line"
    assert whole_words("a  word  b", 1, 8) == (3, 7)  # spaces around are dropped


def test_the_note_stays_after_save_and_a_draft_survives(qtbot, window: MainWindow, library: Library,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    start = window.paper.text.index("Durand Line")  # type: ignore[union-attr]
    window.add_highlight(start, start + 11, "green")
    panel = window.highlights
    panel.select(panel.model.highlights[0].id)
    panel.note.setPlainText("a border")
    panel._save()
    assert panel.note.toPlainText() == "a border"
    assert library.highlights_for(window.paper.id)[0].note == "a border"  # type: ignore[union-attr]
    panel.note.setPlainText("a border, drawn in 1893")  # typed, not saved: then the window dies
    window.settings.sync()
    again = _window(qtbot, library, tmp_path)
    again.open_paper(window.paper.id)  # type: ignore[union-attr]
    again.highlights.select(again.highlights.model.highlights[0].id)
    assert again.highlights.note.toPlainText() == "a border, drawn in 1893"


def test_the_place_read_is_saved_as_it_changes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.document.set_scroll_position(700)
    qtbot.waitUntil(lambda: int(window.settings.value("reading/last_scroll", 0) or 0) == 700, timeout=3000)
    assert window.settings.value("reading/last_paper") == window.paper.id  # type: ignore[union-attr]


def test_export_remembers_its_folder_and_gives_normal_permissions(window: MainWindow, tmp_path: Path) -> None:
    import os
    import stat

    start = window.paper.text.index("Durand Line")  # type: ignore[union-attr]
    window.add_highlight(start, start + 11, "blue")
    folder = tmp_path / "exports"
    folder.mkdir()
    old = os.umask(0o022)
    try:
        window.export_highlights(folder / "notes.md", "markdown")
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / "notes.md").stat().st_mode) == 0o644
    assert window.settings.value("export/folder") == str(folder)


def test_the_view_menu_shows_the_theme(window: MainWindow) -> None:
    window.set_theme("dark")
    assert window.theme_actions["dark"].isChecked() and not window.theme_actions["light"].isChecked()
    window.set_theme("light")
    assert window.theme_actions["light"].isChecked()


def test_the_status_after_an_import_counts_it(window: MainWindow) -> None:
    from reader.app.main_window import import_message
    from reader.library import FileResult, ImportReport

    report = ImportReport(results=[FileResult("a.pdf", "imported", "1" * 16, "A"),
                                   FileResult("b.pdf", "imported", "2" * 16, "B"),
                                   FileResult("c.pdf", "already there", "3" * 16, "C"),
                                   FileResult("d.pdf", "failed", "", "", "not a paper")])
    assert import_message(report) == "Import: 2 imported, 1 already in the library, 1 failed"


def test_original_pages_fit_the_pane_zoom_and_page_down(qtbot, tmp_path: Path, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = sorted((corpus_dir / "pdf").glob("*.pdf"))[0]
    with Library.open(tmp_path / "pdflib") as lib:
        lib.import_paths([pdf])
        window = _window(qtbot, lib, tmp_path)
        window.open_paper(lib.entries()[0].id)
        window.pages_action.setChecked(True)
        window.toggle_pages()
        pages = window.pages
        first = pages._labels[0]
        assert first.width() <= pages.viewport().width()  # the whole page width is in view
        assert first.width() >= pages.viewport().width() - 60  # and it uses the pane
        window.zoom(1)
        assert first.width() > pages.viewport().width()
        window.zoom(0)
        assert first.width() <= pages.viewport().width()
        # the scroll area takes the new size of its pages at its next layout pass
        qtbot.waitUntil(lambda: pages.verticalScrollBar().maximum() > pages._page_tops()[1], timeout=3000)
        pages.setFocus()
        qtbot.keyClick(pages, Qt.Key.Key_PageDown)
        assert pages.current_page() == 1
        qtbot.keyClick(pages, Qt.Key.Key_PageUp)
        assert pages.current_page() == 0


def test_papers_left_unindexed_are_caught_up_in_the_background(qtbot, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = [e.id for e in library.entries()]
    library.catalog.set_indexed(ids, False)  # a run cut short
    assert library.unindexed_count() == 2
    shown: list[str] = []
    window = _window(qtbot, library, tmp_path)
    window.statusBar().messageChanged.connect(shown.append)
    qtbot.waitUntil(lambda: library.unindexed_count() == 0, timeout=20000)
    assert any(m.startswith("2 papers indexed") for m in shown)
    assert not window.progress.isVisible()


def test_a_search_answers_while_papers_wait_to_be_indexed(qtbot, library: Library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library.catalog.set_indexed([e.id for e in library.entries()], False)
    window = _window(qtbot, library, tmp_path)
    window._catching_up = window._catching_up or __import__("threading").Event()  # as if a catch-up were running
    panel = window.library_panel
    panel.search_box.setText('"durand line"')
    panel._search_now()
    assert panel.status.text() != "Searching…"  # answered from what the index holds, without waiting


def test_edit_a_papers_details(qtbot, window: MainWindow, library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.app.details_dialog import DetailsDialog
    from reader.model import Name

    entry = next(e for e in window.library_panel.model.entries if e.title.startswith("Pakistan's Role"))
    dialog = DetailsDialog(library, entry, window)
    assert dialog.edits["authors"].text() == "Alam, Javed; Mustafa, Ghulam"
    dialog.edits["year"].setText("19x5")
    dialog.save()
    assert dialog.error.isVisibleTo(dialog) and "year" in dialog.error.text()  # refused, nothing lost
    dialog.edits["year"].setText("2024")
    dialog.edits["title"].setText("Pakistan and the Afghan Peace Process")
    dialog.edits["authors"].setText("Alam, Javed; Mustafa, Ghulam; {Qurtuba University}")
    dialog.save()
    assert dialog.result() == DetailsDialog.DialogCode.Accepted
    window.details_saved(dialog.saved)  # type: ignore[arg-type]
    assert library.corrections(entry.id)["year"] == 2024
    assert library.paper(entry.id).authors[-1] == Name(literal="Qurtuba University")
    titles = [e.title for e in window.library_panel.model.entries]
    assert "Pakistan and the Afghan Peace Process" in titles
    assert window.paper.title == "Pakistan and the Afghan Peace Process"  # type: ignore[union-attr]
    assert window.document.toPlainText().startswith("Pakistan and the Afghan Peace Process") or \
        "Pakistan and the Afghan Peace Process" in window.document.toPlainText()[:400]
    qtbot.waitUntil(lambda: library.unindexed_count() == 0, timeout=20000)
    hits = library.search('"afghan peace process" qurtuba')
    assert [h.paper_id for h in hits] == [entry.id]
    again = DetailsDialog(library, entry, window)  # and back to what the parser read
    again.reset()
    assert library.corrections(entry.id) == {}
    assert library.paper(entry.id).title.startswith("Pakistan's Role")


def test_the_papers_own_doi_is_a_link(qtbot, library: Library, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.app import document_view

    from PySide6.QtCore import QUrl

    alam = next(e for e in library.entries() if e.title.startswith("Pakistan's Role"))
    gadi = library.correct_metadata(alam.id, {"doi": "10.1234/jssw.2024.7"})  # the sample has none printed
    window = _window(qtbot, library, tmp_path)
    window.open_paper(gadi.id)
    opened: list[str] = []
    monkeypatch.setattr(document_view.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    doc = window.document.document()
    start = doc.toPlainText().index("doi:" + gadi.doi)
    cursor = QTextCursor(doc)
    cursor.setPosition(start + 2)
    href = cursor.charFormat().anchorHref()
    assert href == "https://doi.org/" + gadi.doi
    window.document.anchorClicked.emit(QUrl(href))
    assert opened == [href]


def test_search_shows_the_rows_that_fit_first_and_reads_the_others_snippets_after(
        qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    panel = window.library_panel
    calls = []
    search, add_snippets = window.library.search, window.library.add_snippets
    monkeypatch.setattr(panel, "_rows_in_view", lambda: 1)
    monkeypatch.setattr(window.library, "search", lambda q, **kw: calls.append(("search", kw)) or search(q, **kw))
    monkeypatch.setattr(window.library, "add_snippets",
                        lambda q, hits: calls.append(("add", len(hits))) or add_snippets(q, hits))
    panel.search_box.setText('"durand line"')
    panel._search_now()
    assert calls == [("search", {"limit": 30, "snippets": 1})]  # the first row shows, with its snippet
    assert len(panel.results_model.hits) == 1 and panel.results_model.hits[0].snippet
    assert panel.status.text() == "2 results"
    qtbot.waitUntil(lambda: len(panel.results_model.hits) == 2)  # the other once the first is painted
    assert calls[1] == ("add", 1)
    hits = panel.results_model.hits
    assert len(hits) == 2 and all(hit.snippet and hit.marks for hit in hits)
    assert [h.snippet for h in hits] == [h.snippet for h in search('"durand line"', limit=30)]
