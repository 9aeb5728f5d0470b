"""A printed line of a document, the unit that text and PDF loaders hand to structure recovery."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One line as the source shows it.

    ``gap_before`` is a paragraph signal: a blank line in a text file, a new text block or a wider
    vertical gap in a PDF. ``indent`` is the line's left offset relative to its column (spaces for text,
    points for PDF). ``size``/``bold`` describe the dominant font of a PDF line (0/False for text).
    ``page`` and ``bbox`` place it on a PDF page; ``new_page`` marks the first line of a page.
    """

    text: str
    gap_before: bool = False
    indent: float = 0.0
    size: float = 0.0
    bold: bool = False
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    new_page: bool = False
    heading_level: int = 0  # set by a loader that knows (markdown '#', PDF font size); 0 = unknown
    # PDF only: how many other lines of the page share this line's baseline (2 or more: a table row), and
    # whether the line reads as a table cell (a column head "References" is no section heading)
    row_mates: int = 0
    # PDF only: gaps wider than two ems inside the line (cells of a table row that share one text line),
    # and then the pieces between them: (x0, x1, text)
    wide_gaps: int = 0
    pieces: list[tuple[float, float, str]] = field(default_factory=list)
    table_cell: bool = False
    # PDF only, on the first line of a figure or table caption: the float's kind ("figure", "table"), its
    # region on the page, and the text lines printed inside it (figure labels, table cells), which are
    # not in the reading flow
    float_kind: str = ""
    float_bbox: tuple[float, float, float, float] | None = None
    float_lines: list[Line] = field(default_factory=list)
    # PDF only, on a table's caption line: the heights (y) of the rules drawn across the table between its
    # rows; a cell's lines between two rules are one cell even when the cell wraps onto several lines
    float_rules: list[float] = field(default_factory=list)
    # PDF only: (start, end) ranges of ``text`` printed as superscript (citation numbers, affiliation marks),
    # kept in the text as printed so a consumer can tell "cancer12" is "cancer" + superscript "12".
    superscripts: list[tuple[int, int]] = field(default_factory=list)
