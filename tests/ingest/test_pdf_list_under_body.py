"""A reference list set under the body's last paragraph on the same page, in two columns of smaller type
(revtex's Physical Review and AIP pages; many physics and chemistry journals): the body's two columns are
read first, then the list's. Read as one with the body, the list's left column came before the body's right
column, and the list was cut after its left column.

The page is made here the way those pages are set: body type 10 pt in two columns, a rule across the page,
then the list in 8 pt in two columns with the same gutter.
"""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper

LOREM = ("the measured rates agree with the model within the stated errors and the fitted constants stay "
         "close to those reported for the same system in earlier work on related samples").split()


def _body(prefix: str, sentences: int) -> str:
    return " ".join(f"{prefix}{i} " + " ".join(LOREM) + "." for i in range(sentences))


def _page(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    justify = pymupdf.TEXT_ALIGN_JUSTIFY
    left, right = (54, 300), (318, 564)
    # the body, justified in two columns: the left one full to y 430, the right one ending above it
    page.insert_textbox(pymupdf.Rect(left[0], 60, left[1], 430), _body("bodyleft", 6), fontsize=10, align=justify)
    page.insert_textbox(pymupdf.Rect(right[0], 60, right[1], 380), _body("bodyright", 4), fontsize=10, align=justify)
    page.draw_line((154, 470), (458, 470))
    # the list under a rule, 8 pt, justified in the same two columns: [1]-[8] left, [9]-[16] right
    for (x0, x1), first in ((left, 1), (right, 9)):
        entries = "\n".join(f"[{n}] A. Author{n}, B. Writer, and C. Reader, Measured rates of the model system "
                             f"in related samples, Phys. Rev. B {n}, 10{n} (2019)." for n in range(first, first + 8))
        page.insert_textbox(pymupdf.Rect(x0, 490, x1, 760), entries, fontsize=8, align=justify)
    path = tmp_path / "list-under-body.pdf"
    doc.save(path)
    return path


def test_list_under_the_body_is_read_after_both_body_columns(tmp_path) -> None:
    text = load_paper(_page(tmp_path)).text
    at = text.find
    assert -1 < at("bodyleft5") < at("bodyright0") < at("bodyright3") < at("[1] A. Author1")
    assert at("[1] A. Author1") < at("[8] A. Author8") < at("[9] A. Author9") < at("[16] A. Author16")
