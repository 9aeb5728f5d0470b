"""Reference lists that share their pages with back matter (two-column end pages), and "References" as a
table column head. Expected values read off the rendered pages of the real PDFs."""
from __future__ import annotations


from reader.ingest import load_paper
from reader.ingest.backmatter import untangle_reference_list
from reader.ingest.lines import Line
from reader.ingest.paragraphs import Paragraph


def _headings(paper):
    return [paper.block_text(b) for b in paper.blocks if b.kind == "heading"]


def test_reference_band_under_back_matter_columns(realpdf) -> None:
    # Page 16: "References" with entries 1-2 at the foot of the left column, 3-4 at the foot of the right
    # one, under Funding / Conflict of interest / ... / Supplementary material; the list runs to 62 on p. 18.
    paper = load_paper(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    assert [r.citation_number for r in paper.references] == [str(n) for n in range(1, 63)]
    assert paper.references[-1].raw.startswith("62. Katapally, TR, and Bhawra, J. Inverting social innovation")
    headings = _headings(paper)
    assert headings.index("Funding") < headings.index("Supplementary material") < headings.index("References")
    # the author-contributions paragraph that runs on at the top of the right column is one paragraph again
    assert "Writing – original draft, Writing – review & editing. II: Writing – original draft" in paper.text


def test_table_column_headed_references_is_no_section(realpdf) -> None:
    # Tables on pages 8, 9, 12 and 14 have a "References" column; the list itself starts on page 17 under
    # a large "References" heading, from "Abbass, K." to "Zou, Y. N." on page 22.
    paper = load_paper(realpdf / "frontiers-2026-fpls.2026.1798826.pdf")
    assert _headings(paper).count("References") == 1
    assert paper.references[0].raw.startswith("Abbass, K., Qasim, M., Song, H.")
    assert paper.references[-1].raw.startswith("Zou, Y. N., Wan, Y. X., Zheng, F. L.")
    assert len(paper.references) > 150
    assert all(paper.block_text(b) != "Funding" or b.start < paper.references[0].start for b in paper.blocks)


def _para(text: str, size: float, level: int = 0) -> Paragraph:
    return Paragraph([Line(text, gap_before=True, size=size, heading_level=level)], level)


def test_a_section_after_the_list_stays_after_it() -> None:
    paragraphs = [
        _para("Discussion", 12, 1), _para("The body text of the paper ends here.", 10),
        _para("References", 12, 1),
        _para("1. Smith J, Lee K. A study of things. J Things. 2019;3:1-9.", 8),
        _para("2. Doe A. Another study. J Things. 2020;4:2-8.", 8),
        _para("Funding", 12, 1), _para("This work had no funding at all.", 10),
        _para("3. Roe B. A third study. J Things. 2021;5:3-7.", 8),
        _para("Appendix A", 12, 1), _para("Tables of the appendix, in body type.", 10),
    ]
    out = [p.first.text for p in untangle_reference_list(paragraphs)]
    assert out == ["Discussion", "The body text of the paper ends here.", "Funding",
                   "This work had no funding at all.", "References", paragraphs[3].first.text,
                   paragraphs[4].first.text, paragraphs[7].first.text, "Appendix A",
                   "Tables of the appendix, in body type."]


def test_numbered_list_without_a_heading(realpdf) -> None:
    # ChemSusChem prints its list "[1] J. Albert, ..." to "[65] M. Errico, ..." with no heading over it, and
    # "Manuscript received: September 9, 2024 / Revised ... / Accepted manuscript online ..." under it.
    paper = load_paper(realpdf / "wiley-2025-cssc.202401973.pdf")
    assert [r.citation_number for r in paper.references] == [str(n) for n in range(1, 66)]
    assert paper.references[-1].raw.endswith("https://doi.org/10.3390/pr9030490.")
    matter = [paper.block_text(b) for b in paper.blocks if b.kind == "matter"]
    assert "Manuscript received: September 9, 2024" in matter
