"""Citation numbers set as superscripts in a PDF, found from the raised small type."""
from __future__ import annotations

import pymupdf

from reader.cite.markers import find_superscript_numbers
from reader.ingest import load_bytes


def test_superscript_spans_become_numeric_citations():
    text = "Cancer is common12 and rising3-5, at 105 cells per cm2 and Tyr369."
    spans = [(text.index("12"), text.index("12") + 2), (text.index("3-5"), text.index("3-5") + 3),
             (text.index("105") + 2, text.index("105") + 3), (text.index("cm2") + 2, text.index("cm2") + 3),
             (text.index("369"), text.index("369") + 3)]
    markers = find_superscript_numbers(text, spans, max_number=40)
    assert [(text[m.start:m.end], [i.number for i in m.items]) for m in markers] == [("12", [12]),
                                                                                     ("3-5", [3, 4, 5])]


def test_a_pdf_with_superscript_citations_links_them():
    doc = pymupdf.open()
    page = doc.new_page()
    y = 80
    page.insert_text((72, y), "Sleep Spindles in Songbirds", fontsize=18)
    y += 40
    for sentence, number in (("Birds rehearse their songs in sleep", "2"), ("and replay them at night", "1,3")):
        page.insert_text((72, y), sentence, fontsize=10)
        x = 72 + pymupdf.get_text_length(sentence, fontsize=10)
        page.insert_text((x + 0.5, y - 4), number, fontsize=6)  # raised and smaller: a superscript
        y += 16
    page.insert_text((72, y + 10), "References", fontsize=12)
    y += 30
    for n in range(1, 4):
        page.insert_text((72, y), f"{n}. Author{n} A. Title number {n}. J Birds. 200{n};{n}:1-9.", fontsize=9)
        y += 13
    paper = load_bytes(doc.tobytes(), "superscripts.pdf")
    assert len(paper.references) == 3
    cited = [(c.text, [i.refs for i in c.items]) for c in paper.citations]
    assert cited == [("2", [["r2"]]), ("1,3", [["r1"], ["r3"]])]


def test_superscript_groups_set_with_spaces_and_isotopes():
    text = "Birds sing19 21 22 and rest3 4, while the 1H NMR and 13C spectra agree."
    spans = [(text.index("19"), text.index("19") + 8), (text.index("3 4"), text.index("3 4") + 3),
             (text.index("1H"), text.index("1H") + 1), (text.index("13C"), text.index("13C") + 2)]
    markers = find_superscript_numbers(text, spans, max_number=40)
    assert [(text[m.start:m.end], [i.number for i in m.items]) for m in markers] == [
        ("19 21 22", [19, 21, 22]), ("3 4", [3, 4])]
