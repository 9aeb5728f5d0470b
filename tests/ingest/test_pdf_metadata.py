"""Bibliographic facts of a PDF from its first page, running heads and the PDF's own metadata.

Expected values read off the rendered first pages (pymupdf, 70 dpi).
"""
from __future__ import annotations

import pymupdf

from reader.ingest.pdf import load_pdf


def _load(path):
    return load_pdf(path.read_bytes(), str(path))


def test_citation_line_in_the_page_head(realpdf) -> None:
    # "Bahig et al. BMC Cancer (2021) 21:446 https://doi.org/10.1186/s12885-021-08195-8" over the title
    paper = _load(realpdf / "bmc-2021-s12885-021-08195-8.pdf")
    assert paper.title.startswith("Vocal-cord Only vs. Complete Laryngeal radiation (VOCAL)")
    assert (paper.year, paper.venue, paper.volume) == (2021, "BMC Cancer", "21")
    assert paper.doi == "10.1186/s12885-021-08195-8"
    assert [a.family for a in paper.authors[:3]] == ["Bahig", "Rosenthal", "Nguyen-Tan"]  # marks "1*", "2*" gone


def test_bracketed_affiliation_marks_and_a_running_foot(realpdf) -> None:
    # ChemSusChem: "André Wassenberg,[a] Tobias Esser,[a] ... and Jakob Albert*[a]" in large type under the
    # title; "ChemSusChem 2025, 18, e202401973" at the foot of the pages; no "Abstract" heading
    paper = _load(realpdf / "wiley-2025-cssc.202401973.pdf")
    assert [a.family for a in paper.authors] == ["Wassenberg", "Esser", "Poller", "Voß", "Albert"]
    assert (paper.year, paper.venue, paper.volume) == (2025, "ChemSusChem", "18")
    assert paper.doi == "10.1002/cssc.202401973"
    byline = next(b for b in paper.blocks if paper.block_text(b).startswith("André Wassenberg"))
    assert byline.kind == "matter"  # kept, out of the reading flow


def test_published_date_wins_over_other_years(realpdf) -> None:
    # Frontiers: "RECEIVED 27 August 2025 ... PUBLISHED 16 January 2026" in the side panel; the DOI says 2025
    paper = _load(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    assert paper.year == 2026
    assert paper.doi == "10.3389/fpubh.2025.1693703"


def test_pdf_subject_field_names_the_journal() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "A Study of Many Things in Great Detail", fontsize=20)
    for k in range(12):
        page.insert_text((72, 160 + 14 * k), f"Body text line {k} of the paper, long enough to be running text.",
                         fontsize=10)
    doc.set_metadata({"title": "A Study of Many Things in Great Detail",
                      "subject": "Journal of Things, 2019, doi:10.1234/jot.2019.42"})
    paper = load_pdf(doc.tobytes(), "made.pdf")
    assert (paper.venue, paper.year, paper.doi) == ("Journal of Things", 2019, "10.1234/jot.2019.42")


def test_character_references_in_the_pdf_title_read_as_printed(realpdf) -> None:
    """RSC's metadata title holds "Pranlukast&apos;s" and PLOS's "TNF-#_#x03B1;" (an "&#x03B1;" whose "&" the
    pipeline wrote as "#_"); their first pages print "Pranlukast's" and "TNF-α"."""
    rsc = _load(realpdf / "rsc-2025-d5ra05505a.pdf")
    assert rsc.title.startswith("First-time exploitation of Pranlukast's intrinsic fluorescence")
    plos = _load(realpdf / "plos-2018-journal.pone.0193451.pdf")
    assert "COX-1, COX-2, TNF-α and IL-1" in plos.title and "#_" not in plos.title


def test_an_article_type_label_is_no_venue_and_the_cited_journal_is(realpdf) -> None:
    """Frontiers prints "TYPE Review" above the title and cites itself in the PDF's subject field: "Srivastava AK,
    ... (2026) Climate change and citrus nutrition: ... management. Front. Plant Sci. 17:1798826. doi: ...";
    page 1's CITATION panel prints the same "Front. Plant Sci. 17:1798826"."""
    paper = _load(realpdf / "frontiers-2026-fpls.2026.1798826.pdf")
    assert (paper.venue, paper.volume, paper.year) == ("Front. Plant Sci.", "17", 2026)
    public_health = _load(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    assert public_health.venue == "Front. Public Health"
