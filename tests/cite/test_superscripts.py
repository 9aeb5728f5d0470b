"""Citation numbers set as superscripts in a PDF, found from the raised small type."""
from __future__ import annotations

import pymupdf

from reader.cite.markers import find_numeric, find_superscript_numbers
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
    pdf = _superscript_pdf("Sleep Spindles in Songbirds",
                           [("Birds rehearse their songs in sleep", "2"), ("and replay them at night", "1,3")],
                           [], 3)
    paper = load_bytes(pdf, "superscripts.pdf")
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


def test_unit_exponents_after_a_quantity_are_not_citations():
    # wiley-2025-cssc.202401973: "15 mL min⁻¹" comes out as "15 mLmin" + a raised "1" (the minus is lost)
    text = "at a flow rate of 15 mLmin1 and a stirrer speed of 1100 rpm, as reported before12."
    raised = [(text.index("mLmin1") + 5, text.index("mLmin1") + 6), (text.index("before12") + 6, text.index("before12") + 8)]
    found = find_superscript_numbers(text, raised, 60)
    assert [text[m.start:m.end] for m in found] == ["12"]


def test_the_uncertainty_of_a_measured_value_is_not_a_citation():
    # nature-2024-s42004-024-01184-5: "a Na1-N1 bond distance of 2.344(2) Å"
    text = "the Na1-N1 bond distance of 2.344(2) Å, as seen in sodium amides (12)."
    assert [text[m.start:m.end] for m in find_numeric(text, 0, len(text), 40, parenthetical=True)] == ["(12)"]


def test_equation_numbers_in_a_paper_citing_by_raised_numbers_are_not_citations():
    # nature-2021-s41598-021-85629-0 cites by superscripts and numbers its equations "(11)", "(12)" at the
    # line ends; those are no citations of entries 11 and 12
    pdf = _superscript_pdf("Learning Protein Interactions",
                           [("Deep networks predict interactions", "1"), ("as earlier work showed", "2,3"),
                            ("and features are scaled", "4"), ("before training", "5,6")],
                           [("Sigmoid(x) = 1 / (1 + exp(-x))", "(1)"), ("C = -y ln a - (1 - y) ln(1 - a)", "(2)")],
                           6)
    paper = load_bytes(pdf, "equations.pdf")
    assert len(paper.references) == 6
    assert [c.text for c in paper.citations] == ["1", "2,3", "4", "5,6"]


def _superscript_pdf(title: str, sentences: list[tuple[str, str]], formulas: list[tuple[str, str]],
                     references: int) -> bytes:
    """A one-page paper: each sentence followed by its raised, smaller citation number; then displayed
    formulas with their equation numbers at the right margin; then a numbered list of ``references``."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 80
    page.insert_text((72, y), title, fontsize=18)
    y += 40
    for sentence, number in sentences:
        page.insert_text((72, y), sentence, fontsize=10)
        x = 72 + pymupdf.get_text_length(sentence, fontsize=10)
        page.insert_text((x + 0.5, y - 4), number, fontsize=6)  # raised and smaller: a superscript
        y += 16
    for formula, number in formulas:
        y += 8
        page.insert_text((150, y), formula, fontsize=10)
        page.insert_text((480, y), number, fontsize=10)
        y += 16
    page.insert_text((72, y + 10), "References", fontsize=12)
    y += 30
    for n in range(1, references + 1):
        page.insert_text((72, y), f"{n}. Author{n} A. Title number {n}. J Sci. 200{n};{n}:1-9.", fontsize=9)
        y += 13
    return doc.tobytes()


def test_affiliation_marks_and_formula_exponents_are_not_citations():
    # mdpi-2026-ijerph23010076: "Valesca S. M. Venhof ¹,*" (a byline); rsc-2025-d5ra05505a:
    # "FPNK = Fref × (IPNK/Iref) × (Aref/APNK) × (hPNK/href)²", a formula set in the running text
    text = "Valesca S. M. Venhof 1,* wrote. FPNK = Fref × (IPNK/Iref) × (hPNK/href)2 where FPNK is known12."
    raised = [(text.index("1,*"), text.index("1,*") + 2), (text.index("href)2") + 5, text.index("href)2") + 6),
              (text.index("known12") + 5, text.index("known12") + 7)]
    assert [text[m.start:m.end] for m in find_superscript_numbers(text, raised, 40)] == ["12"]
    # a citation after a bracket outside a formula still counts: "reactive oxygen species (ROS)³"
    text = "as for reactive oxygen species (ROS)3 in cells."
    raised = [(text.index(")3") + 1, text.index(")3") + 2)]
    assert [text[m.start:m.end] for m in find_superscript_numbers(text, raised, 40)] == ["3"]
