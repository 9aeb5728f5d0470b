"""A paragraph that a float, a pull quote or a page-foot note cut on the page is joined again. Expected text
read off the pages rendered with pymupdf."""
from __future__ import annotations

from reader.ingest import load_paper
from reader.ingest.lines import Line
from reader.ingest.paragraphs import Paragraph, Vocabulary, join_broken_paragraphs


def _block_with(paper, fragment: str):  # type: ignore[no-untyped-def]
    return next(b for b in paper.blocks if fragment in paper.block_text(b))


def _para(text: str, size: float, page: int = 1) -> Paragraph:
    return Paragraph([Line(text, gap_before=True, size=size, page=page, bbox=(50, 100, 290, 110))])


def test_sentence_joined_across_a_paragraph_in_another_type() -> None:
    # the caption text of a figure whose label stands apart (7 pt), between a 9-pt sentence's two halves
    before = _para("As illustrated in Figure 1, this", 9.0, page=3)
    caption = _para("Integrative framework of climate stress and resilience in older adults.", 7.0, page=3)
    after = _para("coupled mechanism demonstrates how cultural wisdom translates.", 9.0, page=4)
    out = join_broken_paragraphs([before, caption, after], Vocabulary([]))
    assert [[ln.text for ln in p.lines] for p in out] == [
        ["As illustrated in Figure 1, this", "coupled mechanism demonstrates how cultural wisdom translates."],
        ["Integrative framework of climate stress and resilience in older adults."]]


def test_no_join_across_a_paragraph_in_the_same_type() -> None:
    # the paragraph between is running text: the lowercase start continues nothing before it
    before = _para("As illustrated in Figure 1, this", 9.0)
    between = _para("Another paragraph of the running text.", 9.0)
    after = _para("coupled mechanism demonstrates how cultural wisdom translates.", 9.0)
    assert len(join_broken_paragraphs([before, between, after], Vocabulary([]))) == 3


def test_no_join_when_the_type_of_the_halves_differs() -> None:
    # a note in small type, not the body's sentence, ends mid-phrase: the body's lowercase line is no rest of it
    before = _para("Reactions in 0.5 mL; conversions calculated by depletion of the alkene", 7.0)
    between = _para("(integration versus standard) while yields were calculated.", 6.0)
    after = _para("absence of any donor solvent the reaction time is extended.", 9.0)
    assert len(join_broken_paragraphs([before, between, after], Vocabulary([]))) == 3


def test_paragraph_joined_across_a_figure_caption_and_a_page_break(realpdf) -> None:
    # Page 3, right column ends "... As illustrated in Figure 1, this"; under it Figure 1 across the page
    # with its caption (7 pt, label "FIGURE 1" in 5.5 pt); page 4 opens "coupled mechanism demonstrates how
    # ancient cultural wisdom".
    paper = load_paper(realpdf / "frontiers-2026-fphys.2026.1825414.pdf")
    block = _block_with(paper, "As illustrated in Figure 1, this")
    assert "As illustrated in Figure 1, this coupled mechanism demonstrates how ancient cultural wisdom" \
        in paper.block_text(block)


def test_paragraph_joined_across_the_first_page_footer(realpdf) -> None:
    # Page 1, right column ends "Unlike other Yersinia adhesins (e.g. YadA, invasin, Ail), MAM homologs are
    # present in"; the page's foot holds "CONTACT Jenson Lim ..." and "Supplemental data ..." in 8 pt; page 2
    # opens "a wide range of Gram-negative bacteria".
    paper = load_paper(realpdf / "tandf-2021-21505594.2021.1878672.pdf")
    block = _block_with(paper, "MAM homologs are present in")
    assert "MAM homologs are present in a wide range of Gram-negative bacteria" in paper.block_text(block)


def test_caption_atop_the_next_column_is_no_rest_of_the_sentence(corpus_dir) -> None:
    # Page 1: the left column ends "What can I say to those of you embarking on / careers in academic science
    # at a time in history"; the right column opens with the illustration's caption in 8 pt ("This
    # illustration of Eve Marder in her office at Brandeis / was drawn by her nephew Ben Marder.") under the
    # picture, then the 9-pt text goes on "fraught with anxiety about high-profile papers and".
    paper = load_paper(corpus_dir / "pdf" / "elife-00353-v1.publisher.pdf")
    block = _block_with(paper, "What can I say to those of you embarking on")
    text = paper.block_text(block)
    assert "at a time in history fraught with anxiety about high-profile papers and grants?" in text
    assert "This illustration" not in text
