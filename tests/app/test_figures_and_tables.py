"""Figures and tables in the reading view (issue 12 item 5): a JATS table as a table, a JATS figure's
caption, a PDF figure as the picture cut from its page, an inline formula kept as text."""
from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtGui import QTextTable

from reader.app.document_view import DocumentView
from reader.app.figures import figure_images
from reader.ingest import load_paper
from reader.model import Block

ARTICLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>
<title-group><article-title>Tables in the view</article-title></title-group></article-meta></front>
<body><sec><title>Results</title>
<p>The least complex circuit (<inline-formula><inline-graphic xlink:href="e42.gif"/></inline-formula>) is in POS.</p>
<table-wrap id="t1"><label>Table 1</label><caption><p>Doses and responses.</p></caption>
<table><thead><tr><th>Dose</th><th>Response</th></tr></thead>
<tbody><tr><td>low</td><td>0.47</td></tr><tr><td>high</td><td>5.96</td></tr></tbody></table></table-wrap>
<fig id="f1"><label>Figure 1</label><caption><p>A picture that is not there.</p></caption>
<graphic xlink:href="f1-missing"/></fig>
</sec></body></article>
"""


def test_a_jats_table_is_a_table_and_a_missing_figure_its_caption(view: DocumentView, tmp_path: Path) -> None:
    path = tmp_path / "article.xml"
    path.write_bytes(ARTICLE)
    paper = load_paper(path)
    assert "circuit ([formula]) is in POS" in paper.text  # the formula is not a hole any more
    assert figure_images(paper, path) == {}  # f1-missing is not beside the record
    view.show_paper(paper)
    frames = [f for f in view.document().rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(frames) == 1
    table = frames[0]
    assert (table.rows(), table.columns()) == (3, 2)
    cell = table.cellAt(2, 1)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "5.96"
    # the cell's text maps back onto Paper.text: find, highlights and search agree on it
    doc_start = cell.firstCursorPosition().position()
    offset = view.layout_.text_map.to_text(doc_start)  # type: ignore[union-attr]
    assert paper.text[offset:offset + 4] == "5.96"
    assert "A picture that is not there." in view.document().toPlainText()
    assert [b.kind for b in paper.blocks if b.kind in ("figure", "table")] == ["table", "figure"]
    assert view.find("0.47") == 1


def test_a_jats_figure_beside_its_record_is_shown(view: DocumentView, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    path = tmp_path / "article.xml"
    path.write_bytes(ARTICLE.replace(b"f1-missing", b"f1"))
    picture = QImage(120, 80, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    assert picture.save(str(tmp_path / "f1.png"))
    paper = load_paper(path)
    images = figure_images(paper, path)
    assert [img.size().toTuple() for img in images.values()] == [(120, 80)]
    view.show_paper(paper, images)
    assert "\ufffc" in view.document().toPlainText()  # the picture's place in the text


def test_a_pdf_figure_is_cut_from_its_page(corpus_dir: Path) -> None:
    pdf = sorted((corpus_dir / "pdf").glob("*.pdf"))[0]
    paper = load_paper(pdf)
    with pymupdf.open(pdf) as doc:
        width, height = doc[0].rect.width, doc[0].rect.height
    # a figure region a PDF loader would give: the top half of page 1, left column
    own = [b for b in paper.blocks if b.kind == "figure" and b.page and b.bbox]  # what the PDF loader found
    paper.blocks.append(Block("figure", len(paper.text), len(paper.text), page=1, bbox=(36, 72, width / 2, height / 2)))
    images = figure_images(paper, pdf)
    assert all(b.start in images for b in own)  # each figure the loader found is cut from its page too
    image = images[len(paper.text)]
    assert image.width() == pytest.approx((width / 2 - 36) * 2, abs=2)  # rendered at 2 pixels per point
    assert image.height() == pytest.approx((height / 2 - 72) * 2, abs=2)


def test_a_pdf_figure_shows_as_its_picture_above_its_caption(view: DocumentView, realpdf: Path) -> None:
    """A PDF figure is a region with no text (an empty block before its caption): the view shows the picture
    cut from the page there, and the outline names it by its caption. Checked by hand against page 1 of the
    PDF: the life-cycle diagram in the right column, 'Fig. 1. Conceptual diagram of eco-friendly…' under it."""
    from reader.app.outline_panel import outline_entries

    pdf = realpdf / "aaas-2025-research.0986.pdf"
    paper = load_paper(pdf)
    figures = [b for b in paper.blocks if b.kind == "figure"]
    assert len(figures) == 1 and figures[0].page == 1 and figures[0].start == figures[0].end
    images = figure_images(paper, pdf)
    assert list(images) == [figures[0].start]
    view.show_paper(paper, images)
    shown = view.document().toPlainText()
    assert shown.count("\ufffc") == 1  # the picture's place in the text
    after = shown[shown.index("\ufffc") + 1:].lstrip()
    assert after.startswith("Fig. 1. Conceptual diagram of eco-friendly dielectric design")
    # the text around the picture is whole: the caption and the paragraphs keep every character
    assert shown.replace("\ufffc", "").count("Among all material categories") == 1
    [entry] = [label for block, label in outline_entries(paper) if block.kind == "figure"]
    assert entry.strip().startswith("▣ Fig. 1. Conceptual diagram")


def test_figure_places_without_pictures_leave_no_empty_lines(view: DocumentView, realpdf: Path) -> None:
    pdf = realpdf / "aaas-2025-research.0986.pdf"
    paper = load_paper(pdf)
    view.show_paper(paper, {})  # the picture could not be cut (the source is gone)
    with_picture = DocumentView()
    with_picture.show_paper(paper, figure_images(paper, pdf))
    blocks = view.document().blockCount()
    assert "\ufffc" not in view.document().toPlainText()
    assert blocks == with_picture.document().blockCount() - 1  # only the picture's own line is missing
    with_picture.deleteLater()
