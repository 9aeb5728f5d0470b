"""Reading real publisher PDFs in the window (issue 10), as a reader opening them found it.

Each expected value was checked against the printed page (rendered with pymupdf and looked at).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest

from reader.app.document_view import DocumentView
from reader.app.figures import figure_images
from reader.app.reference_panel import ReferencePanel
from reader.ingest import load_paper
from reader.model import Paper

SUPER = QTextCharFormat.VerticalAlignment.AlignSuperScript


@pytest.fixture(scope="module")
def nature(shared_dir: Path) -> Paper:
    # Nature Communications 2024: superscript citation numbers, exponents in captions
    return load_paper(shared_dir / "corpus" / "realpdf" / "nature-2024-s41467-024-48900-2.pdf")


def _alignment(view: DocumentView, paper: Paper, offset: int) -> QTextCharFormat.VerticalAlignment:
    """The vertical alignment of the character at ``Paper.text[offset]`` as the view shows it."""
    position = view.layout_.text_map.to_doc(offset)  # type: ignore[union-attr]
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)  # the format of the character before the cursor
    return cursor.charFormat().verticalAlignment()


def test_raised_type_of_a_pdf_shows_raised(view: DocumentView, nature: Paper) -> None:
    # page 1: "sea surface temperature (SST) off western Australian coast¹⁻³ and in the western–central tropical
    # Pacific⁴⁻⁶"; page 4, Fig. 2's caption: "velocity potential anomaly (shading; unit: 10⁶ m/s". Inline, these
    # read "coast1–3" and "10 6 m/s" as "106 m/s".
    view.show_paper(nature)
    coast = nature.text.index("Australian coast1–3 and in the western")
    assert nature.text[coast + 16:coast + 19] == "1–3"
    assert _alignment(view, nature, coast + 15) != SUPER  # the "t" of "coast"
    assert all(_alignment(view, nature, coast + k) == SUPER for k in (16, 17, 18))
    assert _alignment(view, nature, coast + 20) != SUPER  # "and" after it
    unit = nature.text.index("unit: 106 m/s")
    assert [_alignment(view, nature, unit + k) == SUPER for k in range(6, 10)] == [False, False, True, False]
    # the citation is still a link, raised or not
    link = next(c for c in view.layout_.citations if nature.citations[c.index].start == coast + 16)  # type: ignore[union-attr]
    assert nature.citations[link.index].text == "1–3"


def test_a_group_of_citations_is_not_called_ambiguous(qtbot, nature: Paper) -> None:  # type: ignore[no-untyped-def]
    # "coast¹⁻³" cites entries 1, 2 and 3 (Zinke 2015, Zinke 2014, Feng 2013 in the printed list): all three,
    # which the details said "could mean any of these entries"
    panel = ReferencePanel()
    qtbot.addWidget(panel)
    panel.resize(380, 800)
    panel.show()
    panel.show_paper(nature)
    index = next(i for i, c in enumerate(nature.citations) if c.text == "1–3")
    panel.show_citation(index)
    details = panel.details.toPlainText()
    assert "could mean any" not in details
    assert "This citation cites 3 works" in details
    assert details.index("Coral record of southeast Indian Ocean") < details.index("Corals record long-term Leeuwin") \
        < details.index("La Niña forces unprecedented Leeuwin")
    assert panel.current_reference().raw.startswith("1. Zinke, J. et al. Coral record")  # type: ignore[union-attr]


def test_a_new_papers_references_start_at_the_top(qtbot, nature: Paper) -> None:  # type: ignore[no-untyped-def]
    # reading one paper's entry 60, then opening another, showed the second list from its 19th entry
    panel = ReferencePanel()
    qtbot.addWidget(panel)
    panel.resize(380, 600)
    panel.show()
    panel.show_paper(nature)
    panel.show_citation(next(i for i, c in enumerate(nature.citations) if c.text == "39"))
    assert panel.list.verticalScrollBar().value() > 0
    panel.show_paper(nature)  # the next paper opened (the same one will do)
    assert panel.list.verticalScrollBar().value() == 0
    assert panel.list.indexAt(panel.list.viewport().rect().topLeft()).row() == 0


def test_a_paper_without_references_says_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    # eLife's "A good life" is an essay with no reference list: "Every citation has an entry" said nothing true
    panel = ReferencePanel()
    qtbot.addWidget(panel)
    panel.show_paper(Paper(id="x", source_path="x.pdf", format="pdf", text="An essay."))
    assert panel.unresolved_label.text() == "No reference list was found in this paper."


def _block_of(view: DocumentView, paper: Paper, words: str):  # type: ignore[no-untyped-def]
    position = view.layout_.text_map.to_doc(paper.text.index(words))  # type: ignore[union-attr]
    return view.document().findBlock(position)


def test_front_matter_folds_out_of_the_reading_flow_and_opens_on_a_click(view: DocumentView,
                                                                         shared_dir: Path) -> None:
    # Elsevier Data in Brief: page 1 prints the masthead ("Contents lists available at ScienceDirect", "journal
    # homepage: www.elsevier.com/locate/dib"), the affiliations ("a ALBION Co. Ltd., ...") and the article
    # history above the abstract: ten grey paragraphs the reader scrolled through before the abstract
    paper = load_paper(shared_dir / "corpus" / "realpdf" / "elsevier-2018-j.dib.2018.03.044.pdf")
    view.show_paper(paper)
    masthead = _block_of(view, paper, "Contents lists available at ScienceDirect")
    affiliations = _block_of(view, paper, "ALBION Co. Ltd.")
    abstract = _block_of(view, paper, "This article describes the effects of extracts")
    assert not masthead.isVisible() and not affiliations.isVisible()
    assert abstract.isVisible()
    fold = view.layout_.folds[0]  # type: ignore[union-attr]
    line = view.document().findBlock(fold.toggle)
    assert line.text().startswith("▸ ") and "set apart from the reading text" in line.text()
    assert line.blockNumber() < masthead.blockNumber() < affiliations.blockNumber()
    # a click on the line shows them; another hides them again
    view.verticalScrollBar().setValue(0)
    cursor = QTextCursor(view.document())
    cursor.setPosition(fold.toggle + 4)
    point = view.cursorRect(cursor).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert masthead.isVisible() and affiliations.isVisible()
    assert view.document().findBlock(fold.toggle).text().startswith("▾ ")
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert not masthead.isVisible()
    # the text is unchanged under the fold: a search hit in the affiliations opens it and lands on the words
    offset = paper.text.index("ALBION Co. Ltd.")
    view.scroll_to_offset(offset, 6)
    assert affiliations.isVisible()
    assert view.layout_.text_map.to_text(affiliations.position() + 2) == offset  # type: ignore[union-attr]


def test_a_click_on_a_figure_opens_it_full_size(view: DocumentView, shared_dir: Path) -> None:
    # the reading view draws a figure no wider than the text, where the axis labels of Elsevier's Fig. 1
    # ("relative ratio of survival", "%(v/v)") are too small to read; a click shows every pixel cut
    path = shared_dir / "corpus" / "realpdf" / "elsevier-2018-j.dib.2018.03.044.pdf"
    paper = load_paper(path)
    view.show_paper(paper, figure_images(paper, path))
    figure = next(b for b in paper.blocks if b.kind == "figure")
    view.scroll_to_offset(figure.start, mark=False, at_top=True)
    position = next(p for b, p in view.layout_.outline if b is figure)  # type: ignore[union-attr]
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)  # just after the picture: its rectangle's right edge
    rect = view.cursorRect(cursor)
    inside = rect.center() - QPoint(40, 0)  # well inside the picture
    assert view.picture_at(inside) is not None
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, inside)
    window = view.figure_window
    assert window is not None and window.isVisible()
    shown = window.picture.pixmap()
    cut = view._images[figure.start]  # the picture cut from page 3 at two pixels a point
    assert (shown.width(), shown.height()) == (cut.width(), cut.height())
    assert shown.width() > view.document().documentLayout().frameBoundingRect(view.document().rootFrame()).width() / 2
    window.close()
    # text is no picture: a click there selects, as before
    words = QTextCursor(view.document())
    words.setPosition(view.layout_.text_map.to_doc(paper.text.index("All the values have been reported")) + 3)  # type: ignore[union-attr]
    view.setTextCursor(words)
    view.ensureCursorVisible()
    assert view.picture_at(view.cursorRect(words).center()) is None


def test_the_original_pages_of_the_next_pdf_replace_the_last_ones(qtbot, shared_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from reader.app.page_view import PageView
    from reader.app.tasks import Background

    pages = PageView(Background(synchronous=True))
    qtbot.addWidget(pages)
    pages.resize(700, 800)
    pages.show()
    realpdf = shared_dir / "corpus" / "realpdf"
    first = realpdf / "wiley-2026-2025gh001597.pdf"  # 10 pages
    second = realpdf / "elsevier-2018-j.dib.2018.03.044.pdf"  # 4 pages
    pages.show_pdf(first.read_bytes(), Paper(id="a", source_path=str(first), format="pdf"), [])
    pages.show_pdf(second.read_bytes(), Paper(id="b", source_path=str(second), format="pdf"), [])
    # before Qt's next pass of its event loop: only the second PDF's pages are in the view
    shown = [pages._layout.itemAt(i).widget() for i in range(pages._layout.count())]
    assert len(shown) == 4
    assert shown[0].width() < shown[0].height()  # dib's portrait pages, at the pane's width


def test_a_notes_raised_mark_links_to_its_note(view: DocumentView, qtbot, shared_dir: Path) -> None:  # type: ignore[no-untyped-def]
    # ACL 2020 (SPECTER), page 2: "we introduce and release SCIDOCS³", and at the foot of the page
    # "³https://github.com/allenai/scidocs"; the reader saw the mark but had to hunt for the note
    paper = load_paper(shared_dir / "corpus" / "pdf" / "acl-2020.acl-main.207.publisher.pdf")
    view.show_paper(paper)
    mark = paper.text.index("and release SCIDOCS3") + len("and release SCIDOCS")
    position = view.layout_.text_map.to_doc(mark)  # type: ignore[union-attr]
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)
    href = cursor.charFormat().anchorHref()
    assert cursor.charFormat().verticalAlignment() == SUPER
    assert href.startswith("note:")
    _, start, end = href.split(":")
    assert paper.text[int(start):int(end)] == "3https://github.com/allenai/scidocs"
    view.scroll_to_offset(mark, mark=False)
    where = view.cursorRect(cursor).center() - QPoint(2, 2)
    with qtbot.waitSignal(view.note_clicked) as clicked:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    assert clicked.args == [int(start), int(end)]
    # the same digits elsewhere are no link: "SPECTER,²" links to note 2, a year or a citation to nothing of it
    second = paper.text.index("Our system, SPECTER,2") + len("Our system, SPECTER,")
    cursor.setPosition(view.layout_.text_map.to_doc(second) + 1)  # type: ignore[union-attr]
    _, start2, _ = cursor.charFormat().anchorHref().split(":")
    assert paper.text[int(start2):].startswith("2SPECTER: Scientific Paper Embeddings")


def test_a_lone_matter_paragraph_after_page_one_is_not_folded(view: DocumentView, shared_dir: Path) -> None:
    # MDPI Molecules, page 3, section 2.3 opens "Corresponding Papp values of digoxin ...": body text that the
    # parser takes for a correspondence line (matter); folded, the reader would lose a paragraph of results
    paper = load_paper(shared_dir / "corpus" / "realpdf" / "mdpi-2016-molecules21020183.pdf")
    view.show_paper(paper)
    assert _block_of(view, paper, "Corresponding Papp values of digoxin").isVisible()
