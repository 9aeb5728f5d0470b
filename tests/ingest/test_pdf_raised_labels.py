"""A reference list with no heading whose entries open with a raised number glued to the first name
("¹A. S. Levey, ...": AIP's journals set by revtex, and other physics journals). Read as footnotes, the
paper had no reference list and no citation could link. The page is made here as those lists are set."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper

ENTRIES = [
    ("A. S. Levey and J. Coresh", "Chronic kidney disease", "Lancet 379, 165–180 (2012)."),
    ("D. T. Gillespie", "Exact stochastic simulation of coupled chemical reactions", "J. Phys. Chem. 81, 2340–2361 (1977)."),
    ("H. H. McAdams and A. Arkin", "Stochastic mechanisms in gene expression", "PNAS 94, 814–819 (1997)."),
    ("I. N. Wang, D. E. Dykhuizen, and L. B. Slobodkin", "The evolution of phage lysis timing", "Evol. Ecol. 10, 545–558 (1996)."),
    ("J. H. Gillespie", "Natural selection for within-generation variance", "Genetics 76, 601–606 (1974)."),
    ("B. S. Powell and M. P. Rivas", "Rapid confirmation of single copy prophage integration", "Nucleic Acids Res. 22, 5765–5766 (1994)."),
]


def _pdf(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 60), "Lysis timing of a bacteriophage", fontsize=16)
    body = ["Stochastic gene expression sets the timing of lysis in each cell of the culture.",
            "Both the simulation and the measured rates agree within the errors of the method."]
    for i, line in enumerate(body):
        page.insert_text((72, 100 + 14 * i), line, fontsize=10)
    page.insert_text((72 + pymupdf.get_text_length(body[0], fontsize=10), 96), "1,2", fontsize=7)  # a citation
    y = 160
    for n, (names, title, venue) in enumerate(ENTRIES, 1):
        label = str(n)
        page.insert_text((72, y - 3), label, fontsize=6)  # raised, smaller, glued to the names
        x = 72 + pymupdf.get_text_length(label, fontsize=6)
        page.insert_text((x, y), f"{names}, \"{title},\" {venue}", fontsize=8)
        y += 12
    path = tmp_path / "raised-labels.pdf"
    doc.save(path)
    return path


def test_entries_opening_with_a_raised_number_are_the_reference_list(tmp_path) -> None:
    paper = load_paper(_pdf(tmp_path))
    assert len(paper.references) == 6
    assert [r.citation_number for r in paper.references] == ["1", "2", "3", "4", "5", "6"]
    assert [a.family for a in paper.references[3].author] == ["Wang", "Dykhuizen", "Slobodkin"]
    assert paper.references[1].title == "Exact stochastic simulation of coupled chemical reactions"
