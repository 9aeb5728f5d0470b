"""File › Import from Zotero…, bibliographies dropped or chosen like papers, and the list narrowed to a collection or
a tag: driven offscreen as a reader would."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reader.app import main_window as main_window_module
from reader.app.main_window import MainWindow
from reader.app.tasks import Background
from reader.library import Library

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "library" / "external"))
import zotero_db as z  # noqa: E402

TEXT = "Rivers carry silt from the hills to the deltas, where farmers grow rice on the new land. " * 5


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(main_window_module.plain, "warn", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(main_window_module.plain, "ask", lambda parent, title, text: False)
    library = Library.open(tmp_path / "lib")
    w = MainWindow(library, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   Background(synchronous=True))
    w.warnings = warnings  # type: ignore[attr-defined]
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    library.close()


def _titles(window: MainWindow) -> list[str]:
    return sorted(e.title for e in window.library_panel.model.entries)


def test_import_from_zotero_then_show_a_collection_or_a_tag(window: MainWindow, tmp_path: Path) -> None:
    data = tmp_path / "Zotero"
    z.make_pdf(data / "storage" / "SILTKEA0" / "silt.pdf", "Silt", [TEXT])
    z.build(data, [
        z.Item("SILTKEYS", {"title": "Silt and rice", "date": "2018"}, authors=[("Das", "Asha")],
               files=[z.File("storage:silt.pdf")], tags=["rice"], collections=["Deltas/Asia"]),
        z.Item("SNOWKEYS", {"title": "Snow surveys by hand", "date": "1998"}, tags=["snow"],
               collections=["Mountains"]),
        z.Item("LOSTKEYS", {"title": "Lost file", "date": "2001"}, files=[z.File("storage:lost.pdf")]),
    ]).close()
    assert not window.library_panel.shelf_box.isVisible()  # nothing to narrow to yet
    window.import_zotero(str(data))
    assert _titles(window) == ["Lost file", "Silt and rice", "Snow surveys by hand"]
    assert "3 items: 1 imported, 2 metadata only" in window.statusBar().currentMessage()
    assert len(window.warnings) == 1 and "lost.pdf: file not found" in window.warnings[0]  # type: ignore[attr-defined]
    shelf = window.library_panel.shelf_box
    assert shelf.isVisible()
    choices = [shelf.itemText(i) for i in range(shelf.count())]
    assert choices == ["All papers", "▸ Deltas  (1)", "    ▸ Asia  (1)", "▸ Mountains  (1)", "# rice  (1)",
                       "# snow  (1)"]
    shelf.setCurrentIndex(choices.index("▸ Deltas  (1)"))  # a collection shows what is filed inside it too
    assert _titles(window) == ["Silt and rice"]
    assert window.library_panel.status.text() == "1 paper in Deltas"
    shelf.setCurrentIndex(choices.index("# snow  (1)"))
    assert _titles(window) == ["Snow surveys by hand"]
    window.reload_library()  # a reload (another process imported) keeps the reader's choice
    assert window.library_panel.shelf() == ("tag", "snow") and _titles(window) == ["Snow surveys by hand"]
    shelf.setCurrentIndex(0)
    assert len(_titles(window)) == 3


def test_a_bibliography_is_imported_like_papers(window: MainWindow, tmp_path: Path) -> None:
    z.make_pdf(tmp_path / "silt.pdf", "Silt", [TEXT])
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{das, author={Das, Asha}, title={Silt and rice}, year={2018}, file={silt.pdf}, "
                   "keywords={rice}}\n", encoding="utf-8")
    window.import_paths([str(bib)])
    assert _titles(window) == ["Silt and rice"]
    assert "refs.bib: 1 item: 1 imported" in window.statusBar().currentMessage()
    assert window.library.tags(window.library_panel.model.entries[0].id) == ["rice"]
