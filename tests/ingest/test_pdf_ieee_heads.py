"""IEEE's section heads set in the body's type: "II. METHODS" in capitals (small capitals, which the text
layer gives at their smaller size) and "A. Bacterial strains" under it, each on a line of its own. No size or
bold rule finds them; read as text, a head ran into the paragraph under it. The page is made here as
IEEEtran sets them."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper

TEXT = ("The lysis time of each cell was measured under the microscope and the mean of each strain was "
        "taken over three days of work.")


def _pdf(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 60), "Timing of lysis in a phage", fontsize=18)
    y = 110
    for head, size in (("I. INTRODUCTION", 8), ("II. METHODS", 8), ("A. Bacterial strains", 10),
                       ("B. Statistical analysis", 10), ("III. RESULTS", 8)):
        page.insert_text((72, y), head, fontsize=size)
        y += 16
        for line in (TEXT[:70], TEXT[70:]):
            page.insert_text((72, y), line, fontsize=10)
            y += 12
        y += 10
    path = tmp_path / "ieee.pdf"
    doc.save(path)
    return path


def test_roman_and_lettered_heads_in_body_type_are_headings(tmp_path) -> None:
    paper = load_paper(_pdf(tmp_path))
    heads = [(b.level, paper.text[b.start:b.end]) for b in paper.blocks if b.kind == "heading"]
    assert heads == [(1, "I. INTRODUCTION"), (1, "II. METHODS"), (2, "A. Bacterial strains"),
                     (2, "B. Statistical analysis"), (1, "III. RESULTS")]
