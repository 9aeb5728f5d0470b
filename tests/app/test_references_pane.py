"""The References tab (issue 12 item 6, issue 14 item 9): no stale details, honest counts, safe links."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from reader.app import reference_panel
from reader.app.reference_panel import ReferencePanel, describe, is_web_link
from reader.ingest import load_paper
from reader.model import CitationItem, Reference

REPO = Path(__file__).resolve().parents[2]
ALAM = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"


@pytest.fixture(scope="module")
def alam():  # type: ignore[no-untyped-def]
    return load_paper(ALAM)


@pytest.fixture
def panel(qtbot, alam) -> ReferencePanel:  # type: ignore[no-untyped-def]
    p = ReferencePanel()
    qtbot.addWidget(p)
    p.resize(380, 800)
    p.show()
    p.show_paper(alam)
    return p


def _index(paper, text: str, status: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, c in enumerate(paper.citations)
                if c.text == text or (not text and all(it.status == status for it in c.items)))


def test_an_unresolved_citation_clears_the_previous_entry(panel: ReferencePanel, alam) -> None:  # type: ignore[no-untyped-def]
    panel.show_citation(_index(alam, "(Abbas, 2023)", "resolved"))
    panel.step(1)
    assert "Abbas" in panel.details.toPlainText() or panel.current_reference() is not None
    assert panel.cited_label.text().startswith("Cited 2×")
    panel.show_citation(_index(alam, "", "unresolved"))
    assert panel.current_reference() is None
    assert panel.cited_label.text() == ""
    assert "Abbas" not in panel.details.toPlainText()
    assert "no entry in the reference list matches" in panel.details.toPlainText()
    assert not panel.next_button.isEnabled()
    assert panel.unresolved.currentIndex().isValid()


def test_an_ambiguous_citation_is_not_counted_as_a_sure_citing_place(qtbot, alam) -> None:  # type: ignore[no-untyped-def]
    paper = copy.deepcopy(alam)
    abbas = next(r for r in paper.references if r.raw.startswith("Abbas, H. (2023)"))
    other = next(r for r in paper.references if r.id != abbas.id)
    first = next(c for c in paper.citations if c.text == "(Abbas, 2023)")
    first.items = [CitationItem(label="Abbas, 2023", status="ambiguous", refs=[abbas.id, other.id])]
    p = ReferencePanel()
    qtbot.addWidget(p)
    p.show_paper(paper)
    row = p.model.row_of(abbas.id)
    assert p.model.index(row).data().endswith("cited 1 time, perhaps 1 more")
    p.list.setCurrentIndex(p.model.index(row))
    assert p.cited_label.text() == "Cited 1× (+1 ambiguous)"


def test_the_unresolved_list_shows_four_rows(panel: ReferencePanel) -> None:
    assert panel.unresolved_model.rowCount() == 5
    needed = panel.unresolved.sizeHintForRow(0) * 4
    assert panel.unresolved.height() >= needed - 4


def test_text_from_a_paper_is_never_markup(alam) -> None:  # type: ignore[no-untyped-def]
    ref = Reference(id="r1", raw="x", title="<img src=x onerror=alert(1)><b>bold</b>",
                    author=[], URL="javascript:alert(1)")
    text = describe(ref)
    assert "<img" not in text and "&lt;img" in text
    assert "href='javascript" not in text and "javascript:alert(1)" in text


@pytest.mark.parametrize("url,opened", [("https://example.org/a", True), ("http://example.org", True),
                                        ("doi:10.1000/xyz", True), ("file:///etc/passwd", False),
                                        ("javascript:alert(1)", False), ("smb://host/share", False)])
def test_only_web_and_doi_links_open(monkeypatch, url: str, opened: bool) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    monkeypatch.setattr(reference_panel.QDesktopServices, "openUrl", lambda u: seen.append(u.toString()))
    reference_panel._open_link(QUrl(url))
    assert bool(seen) == opened
    assert is_web_link(url) == opened
    if url.startswith("doi:"):
        assert seen == ["https://doi.org/10.1000/xyz"]


def test_a_title_in_the_library_tooltip_is_shown_as_written(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    from reader.app.models import LibraryModel
    from reader.library import CatalogEntry

    entry = CatalogEntry(id="0" * 16, title="<b>Bold</b> & <img src=x>", authors=["A. Author"], first_author="author",
                         year=2020, venue="", doi="", format="text", added="", source_name="x.txt", source_size=1,
                         pages=0, refs=0, citations=0)
    model = LibraryModel()
    model.set_entries([entry])
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText().startswith("<b>Bold</b> & <img src=x>")
