"""An unnumbered reference list set with a hanging indent (natbib's plainnat, ACM's and Elsevier's
author-year styles) and no space between entries: an entry that opens at the top of the next page shows no
gap, only its outdented first line. It was read as the rest of the entry that ended the page before.
The pages are made here as those lists are set: entries' first lines flush, the rest indented 10 pt."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper

ENTRIES = [
    ("W. C. Agosta. Chemical communication: the language of pheromones. Scientific", "American Library, 1992."),
    ("I. Ahmed, A. Yokota, and T. Fujiwara. A novel highly boron tolerant bacterium.", "Int J Syst Evol Microbiol, 57:1117-1125, 2007."),
    ("S. Bhattacharya and A. Sokolov. Rosette formation in a choanoflagellate.", "Dev Biol, 12:44-51, 2010."),
    ("J. D. Møller and T. H. Larsen. Gill disease of cultured fish in fresh water.", "Dis Aquat Organ, 64:201-209, 2005."),
]
NEXT_PAGE = [
    ("O. I. Nedashkovskaya, S. B. Kim, S. K. Han, A. M. Lysenko, M. Rohde, M.-S. Rhee,", "and V. Mikhailov. A new species. Int J Syst Evol Microbiol, 60:1-5, 2010."),
    ("R. A. Alegado and N. King. Bacterial influences on animal origins. Cold Spring", "Harb Perspect Biol, 6:a016162, 2014."),
]


def _pdf(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 60), "Rosettes of a choanoflagellate", fontsize=16)
    for i in range(10):
        page.insert_text((72, 90 + 12 * i), "The colonies were grown in the sea water medium for a week.", fontsize=10)
    page.insert_text((72, 230), "References", fontsize=12)
    y = 250
    for first, rest in ENTRIES * 6:  # the list runs to the page's foot, its last entry ending there
        page.insert_text((72, y), first, fontsize=9)
        page.insert_text((82, y + 11), rest, fontsize=9)
        y += 22
    page = doc.new_page(width=612, height=792)
    y = 72
    for first, rest in NEXT_PAGE * 3:
        page.insert_text((72, y), first, fontsize=9)
        page.insert_text((82, y + 11), rest, fontsize=9)
        y += 22
    path = tmp_path / "hanging.pdf"
    doc.save(path)
    return path


def test_an_entry_opening_atop_the_next_page_is_an_entry(tmp_path) -> None:
    refs = load_paper(_pdf(tmp_path)).references
    assert len(refs) == 24 + 6
    assert refs[24].raw.startswith("O. I. Nedashkovskaya, S. B. Kim,")
    assert refs[23].raw.endswith("Dis Aquat Organ, 64:201-209, 2005.")
