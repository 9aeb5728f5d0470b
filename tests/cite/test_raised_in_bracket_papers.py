"""A paper that cites in brackets ("[3]") raises allele numbers, exponents and footnote marks, never its
citations: "tkv⁸ clones", "mad¹⁻²" are no citations there, however many of them there are. The page is made
here as IEEEtran sets a genetics paper."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper


def _pdf(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 60), "Signals in the fly midgut", fontsize=16)
    y = 100
    for n in range(1, 13):
        line = f"The stem cells divide when the signal is lost in the gut [{n}], as shown before."
        page.insert_text((72, y), line, fontsize=10)
        y += 13
        for gene, mark in (("tkv", "8"), ("mad", "1-2")) if n <= 3 else ():  # raised allele numbers
            page.insert_text((72, y), f"The {gene}", fontsize=10)
            x = 72 + pymupdf.get_text_length(f"The {gene}", fontsize=10)
            page.insert_text((x, y - 4), mark, fontsize=7)
            x += pymupdf.get_text_length(mark, fontsize=7)
            page.insert_text((x, y), " clones grew larger than the control clones did.", fontsize=10)
            y += 13
    y += 10
    page.insert_text((72, y), "References", fontsize=12)
    for n in range(1, 13):
        y += 12
        page.insert_text((72, y), f"[{n}] A. Author{n} and B. Writer, \"Stem cells of the gut,\" Dev. Cell, vol. {n}, 20{n:02d}.",
                         fontsize=8)
    path = tmp_path / "brackets.pdf"
    doc.save(path)
    return path


def test_raised_allele_numbers_are_no_citations_in_a_bracket_paper(tmp_path) -> None:
    paper = load_paper(_pdf(tmp_path))
    cited = [paper.text[c.start:c.end] for c in paper.citations]
    assert cited == [f"[{n}]" for n in range(1, 13)]
