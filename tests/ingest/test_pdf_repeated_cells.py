"""A short line printed several times on one page is a table's cells or a list's items, not a running head: a
table read as lines ("[46]" and "unpublished strain" down its Source column) kept none of them, and its
citations were lost. A running head repeats on three pages or more and still leaves the text."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper


def _pdf(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    for n in range(4):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 40), "Journal of Phage Biology", fontsize=8)  # the running head
        page.insert_text((72, 100), f"The lysis time of strain {n} was measured under the microscope each day.",
                         fontsize=10)
        if n == 1:
            for k, source in enumerate(["[46]", "unpublished strain", "[46]", "[46]", "unpublished strain"]):
                page.insert_text((72, 140 + 12 * k), f"IN{56 + k}", fontsize=9)
                page.insert_text((300, 200 + 12 * k), source, fontsize=9)  # a column read on its own
    path = tmp_path / "cells.pdf"
    doc.save(path)
    return path


def test_cells_repeated_on_one_page_stay_and_a_running_head_goes(tmp_path) -> None:
    text = load_paper(_pdf(tmp_path)).text
    assert text.count("unpublished strain") == 2
    assert text.count("[46]") == 3
    assert "Journal of Phage Biology" not in text
