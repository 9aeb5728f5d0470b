"""An annotated copy of a PDF: each highlight as a real PDF highlight annotation on its words.

The reading text keeps, for a PDF, the page and box of every printed line (``Paper.pages``), so a
highlight's span maps to the lines it covers. A whole line takes the line's box; a part of a line is found
on the page within that box (pymupdf ``search_for`` with a clip), and when the PDF's own text differs from
ours there (a ligature, a hyphen) the box is cut in proportion to the characters. The annotation has the
highlight's colour and the note as its content, so other PDF readers show both.
"""
from __future__ import annotations

from collections.abc import Iterable

import pymupdf

from reader.highlights.model import COLORS, Highlight
from reader.model import Paper, PageSpan

Rect = tuple[float, float, float, float]


def annotated_pdf(source: bytes, paper: Paper, highlights: Iterable[Highlight]) -> tuple[bytes, int]:
    """The PDF with the highlights added; and how many could not be placed (orphaned, or no page data)."""
    doc = pymupdf.open(stream=source, filetype="pdf")
    missed = 0
    try:
        for h in highlights:
            boxes = highlight_boxes(doc, paper, h) if h.anchor != "orphaned" else {}
            if not boxes:
                missed += 1
                continue
            for page_number, rects in boxes.items():
                page = doc[page_number - 1]
                annot = page.add_highlight_annot([pymupdf.Rect(r) for r in rects])
                annot.set_colors(stroke=_rgb(COLORS[h.color]))
                annot.set_info(content=h.note, title="litreader", subject=h.quote[:200])
                annot.update()
        return doc.tobytes(garbage=1, deflate=True), missed
    finally:
        doc.close()


def highlight_boxes(doc: pymupdf.Document, paper: Paper, h: Highlight) -> dict[int, list[Rect]]:
    """The rectangles (PDF points) covering a highlight, by 1-based page number."""
    out: dict[int, list[Rect]] = {}
    for span in paper.pages:
        if span.end <= h.start or span.start >= h.end or not 1 <= span.page <= doc.page_count:
            continue
        start, end = max(h.start, span.start), min(h.end, span.end)
        rect = _part_of_line(doc[span.page - 1], paper.text, span, start, end)
        if rect is not None:
            out.setdefault(span.page, []).append(rect)
    return out


def _part_of_line(page: pymupdf.Page, text: str, span: PageSpan, start: int, end: int) -> Rect | None:
    x0, y0, x1, y1 = span.bbox
    line = text[span.start:span.end]
    if not line.strip():
        return None
    if start == span.start and end == span.end:
        return span.bbox
    part = text[start:end].strip()
    if part:
        hits = page.search_for(part, clip=pymupdf.Rect(x0 - 1, y0 - 1, x1 + 1, y1 + 1))
        if hits:
            # a part at the line's start is the first occurrence, one at its end the last
            hit = hits[0] if start == span.start else hits[-1] if end == span.end else hits[0]
            return (hit.x0, hit.y0, hit.x1, hit.y1)
    width = x1 - x0
    length = max(1, len(line))
    return (x0 + width * (start - span.start) / length, y0, x0 + width * (end - span.start) / length, y1)


def _rgb(hex_color: str) -> tuple[float, float, float]:
    value = hex_color.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
