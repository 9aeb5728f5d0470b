"""Figures and tables as blocks of their own, out of the reading flow, with their region on the page.

Real-page expectations were checked on the rendered pages with the region drawn over them.
"""
from __future__ import annotations

import pymupdf

from reader.ingest.pdf import load_pdf


def _made_page() -> bytes:
    """One column: a paragraph cut by a framed figure with a label inside it and a caption below."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 80
    for k in range(6):
        page.insert_text((72, y), f"Running text line {k} of the first paragraph which goes on and on here", fontsize=10)
        y += 13
    page.insert_text((72, y), "and then it is cut in the middle of the", fontsize=10)
    page.draw_rect(pymupdf.Rect(72, 200, 400, 380), color=(0, 0, 0), width=1)
    page.draw_rect(pymupdf.Rect(100, 230, 200, 330), color=(0, 0, 0), fill=(0.5, 0.5, 0.9))
    page.insert_text((220, 280), "axis label 0.5", fontsize=8)
    page.insert_text((72, 398), "Figure 1. A framed picture with a label inside it.", fontsize=9)
    y = 430
    page.insert_text((72, y), "sentence, which the figure interrupted on the page, and the text goes on to", fontsize=10)
    for k in range(5):
        y += 13
        page.insert_text((72, y), f"its end with more running words in line {k} of the same paragraph as before", fontsize=10)
    return doc.tobytes()


def test_figure_block_with_its_region_then_its_caption() -> None:
    paper = load_pdf(_made_page(), "made.pdf")
    kinds = [b.kind for b in paper.blocks]
    figure = paper.blocks[kinds.index("figure")]
    assert figure.page == 1 and figure.start == figure.end
    x0, y0, x1, y1 = figure.bbox
    assert 70.5 <= x0 <= 72 and 198.5 <= y0 <= 200 and 400 <= x1 <= 401.5 and 380 <= y1 <= 381.5  # the frame
    caption = paper.blocks[kinds.index("figure") + 1]
    assert caption.kind == "caption"
    assert paper.block_text(caption) == "Figure 1. A framed picture with a label inside it."
    assert "axis label" not in paper.text  # printed inside the picture
    # the paragraph the figure cut is one paragraph again
    assert "cut in the middle of the sentence, which the figure interrupted" in paper.text


def test_figure_region_on_a_real_page(realpdf) -> None:
    # BMC Cancer, page 4: the trial-scheme figure fills the top of the left column, "Fig. 1 Study Scheme ..."
    paper = load_pdf((realpdf / "bmc-2021-s12885-021-08195-8.pdf").read_bytes(), "bmc.pdf")
    figures = [b for b in paper.blocks if b.kind == "figure" and b.page == 4]
    assert len(figures) == 1
    x0, y0, x1, y1 = figures[0].bbox
    assert 50 < x0 < 60 and 80 < y0 < 95 and 280 < x1 < 295 and 410 < y1 < 440
    nxt = paper.blocks[paper.blocks.index(figures[0]) + 1]
    assert nxt.kind == "caption" and paper.block_text(nxt).startswith("Fig. 1 Study Scheme of the VOCAL Trial")


def test_table_cells_leave_the_paragraphs(realpdf) -> None:
    # PLOS ONE, page 11: "Table 1. Particle size, polydispersity index (PDI) and zeta potential ..." over a
    # ruled table of two rows: OLE-loaded NLC 120 ± 5.8 / 0.162 ± 0.022 / -27.6 ± 3.5
    paper = load_pdf((realpdf / "plos-2018-journal.pone.0193451.pdf").read_bytes(), "plos.pdf")
    tables = [b for b in paper.blocks if b.kind == "table" and b.page == 11]
    assert len(tables) == 1
    cells = paper.block_text(tables[0])
    assert "OLE-loaded NLC\t120 ± 5.8" in cells and "-27.6 ± 3.5" in cells
    assert cells.split("\n")[0].startswith("Formulations\tParticle size")
    caption = paper.blocks[paper.blocks.index(tables[0]) + 1]
    assert caption.kind == "caption" and paper.block_text(caption).startswith("Table 1. Particle size")
    paragraphs = [paper.block_text(b) for b in paper.blocks if b.kind == "paragraph"]
    assert not any("120 ± 5.8" in p for p in paragraphs)
