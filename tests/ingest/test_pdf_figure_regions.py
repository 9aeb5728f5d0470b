"""Figure regions on real pages (issue 10 item 2): a figure that runs across both columns over a caption set
in one of them, and a figure with its caption set beside it."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest import load_paper
from reader.model import Block


@pytest.fixture(scope="module")
def nature_figures(realpdf: Path) -> dict[int, Block]:
    paper = load_paper(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    return {b.page: b for b in paper.blocks if b.kind == "figure"}  # type: ignore[misc]


def test_a_figure_across_both_columns_over_a_one_column_caption(nature_figures: dict[int, Block]) -> None:
    """Page 4: four maps in two columns (a, b over c, d; 60-541 pt across, 47-269 pt down) over
    "Fig. 2 | Teleconnections ..." set in the left column (40-290 pt). Checked by hand on the page: the
    region is the four maps, the right ones (b, d, with their colour bars) included, not the caption."""
    x0, y0, x1, y1 = nature_figures[4].bbox  # type: ignore[misc]
    assert x0 < 70 and y0 < 60
    assert x1 > 530  # the right-hand maps (the region used to stop at 300 pt)
    assert 260 < y1 < 274  # above the caption's first line


def test_a_figure_with_its_caption_beside_it(nature_figures: dict[int, Block]) -> None:
    """Page 3: panels a-g fill the left column (46-288 pt across, 49-616 pt down); "Fig. 1 | Sea surface
    temperature ..." is set beside them, at the top of the right column (306 pt on). Checked by hand on
    the page: the region is the panels, from the map (a) to the cross spectrum (g), and not the running
    text under it (638 pt on) nor the caption."""
    x0, y0, x1, y1 = nature_figures[3].bbox  # type: ignore[misc]
    assert 40 <= x0 < 60 and x1 < 300
    assert y0 < 60 and 600 < y1 < 638


def test_a_plots_tick_values_set_as_text_are_part_of_its_picture(realpdf: Path) -> None:
    """Hindawi 6047876 page 3, Figure 1: a bar chart whose axis is drawn at 69 pt, its tick values
    ("100", "90", ... "0") set as text left of it, from 63 pt. Checked by hand on the page: the picture
    takes the values in, and stops above the caption (252 pt)."""
    paper = load_paper(realpdf / "hindawi-2016-6047876.pdf")
    first = next(b for b in paper.blocks if b.kind == "figure" and b.page == 3)
    x0, y0, x1, y1 = first.bbox  # type: ignore[misc]
    assert x0 < 66 and x1 > 270
    assert y0 < 80 and y1 < 252
