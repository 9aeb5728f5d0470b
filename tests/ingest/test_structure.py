"""Structure recovery on small hand-made texts, each shaped like a real extractor's output."""
from __future__ import annotations

from reader.cite.references import parse_reference
from reader.ingest.text import load_text

WRAPPED = """\
Sleep and Memory in Songbirds
Ana Ruiz, Tom Becker
Abstract
Birds rehearse songs while they sleep. We recorded neurons in the song system of zebra
finches during the night and found replay.
Introduction
Songbirds learn their songs from a tutor during a sensitive period, and the learning depends
on practice (Margoliash, 2005). Sleep may consolidate what was practised during the
day. Here we test that idea in a large sample of juvenile birds recorded over many
weeks.
A second paragraph follows here and is shorter.
3
Sleep and Memory in Songbirds
Methods
We implanted electrodes in twenty juvenile birds and recorded them with a wire-
less headstage over the entire sensitive period, from the first day of singing until the
song was crystallized.
4
Sleep and Memory in Songbirds
References
Margoliash D. 2005. Song learning and sleep. Nature Neuroscience 8:546–548. doi: 10.1038/nn0505-
   546.
Shank SS, Margoliash D. 2009. Sleep and sensorimotor integration during early vocal
   learning in a songbird. Nature 458:73–77. 10.1038/
   nature07615
"""


def test_wrapped_text_paragraphs_headers_and_hyphenation():
    paper = load_text(WRAPPED.encode(), "wrapped.txt")
    assert paper.title == "Sleep and Memory in Songbirds"
    assert [a.family for a in paper.authors] == ["Ruiz", "Becker"]
    assert paper.headings() == ["Abstract", "Introduction", "Methods", "References"]
    assert paper.abstract == ("Birds rehearse songs while they sleep. We recorded neurons in the song system of "
                              "zebra finches during the night and found replay.")
    paragraphs = [paper.block_text(b) for b in paper.blocks if b.kind == "paragraph"]
    assert paragraphs[0].startswith("Songbirds learn their songs") and paragraphs[0].endswith("many weeks.")
    assert paragraphs[1] == "A second paragraph follows here and is shorter."
    # the running header and page numbers are gone; the title is kept once
    assert paper.text.count("Sleep and Memory in Songbirds") == 1
    assert "\n3\n" not in paper.text and "\n4\n" not in paper.text
    # "wire-" + "less" at a line end is one word again
    assert "wireless headstage" in paper.text
    assert len(paper.references) == 2
    # the DOI cut at its slash by the line end is one DOI again
    assert paper.references[0].raw == ("Margoliash D. 2005. Song learning and sleep. Nature Neuroscience "
                                       "8:546–548. doi: 10.1038/nn0505-546.")
    assert parse_reference(paper.references[0].raw).DOI == "10.1038/nn0505-546"
    assert paper.references[1].raw.endswith("Nature 458:73–77. 10.1038/nature07615")


def test_hyphen_kept_for_compounds_seen_elsewhere():
    text = ("Title of a Paper on Hyphens\n\nThe state-of-the-art method is known. We study the non-\n"
            "state actors and the long-\nterm effects. Long-term effects matter, as does the well-known bias.\n")
    paper = load_text(text.encode(), "h.txt")
    assert "non-state actors" in paper.text
    assert "long-term effects" in paper.text


def test_paragraph_split_by_page_break_is_joined_but_not_across_sentences():
    text = ("A Title For Testing Joins\n\nThe first paragraph runs on to the next\n\nVolume: 1 Issue: 2\n\n"
            "page without a full stop.\n\nVolume: 1 Issue: 2\n\nA complete paragraph ends here.\n\n"
            "Another one starts here.\n\nVolume: 1 Issue: 2\n")
    paper = load_text(text.encode(), "j.txt")
    paragraphs = [paper.block_text(b) for b in paper.blocks if b.kind == "paragraph"]
    assert paragraphs == ["The first paragraph runs on to the next page without a full stop.",
                          "A complete paragraph ends here.", "Another one starts here."]


def test_markdown_headings_and_emphasis():
    text = ("# A Markdown Paper\n\n## 1. Introduction\n\nSome **bold** and *italic* words cost \\$5.\n\n"
            "## References\n\n- Smith, J. (2020). A title. *Journal*, 1(2), 3-4.\n"
            "- Lee, K., & Park, S. (2019). Another. *Other Journal*, 5, 6-7.\n")
    paper = load_text(text.encode(), "m.md")
    assert paper.title == "A Markdown Paper"
    assert paper.headings() == ["1. Introduction", "References"]
    assert [b.level for b in paper.blocks if b.kind == "heading"] == [2, 1]
    assert "Some bold and italic words cost $5." in paper.text
    assert [r.raw for r in paper.references] == ["Smith, J. (2020). A title. Journal, 1(2), 3-4.",
                                                 "Lee, K., & Park, S. (2019). Another. Other Journal, 5, 6-7."]


def test_offsets_are_exact_for_every_block():
    paper = load_text(WRAPPED.encode(), "wrapped.txt")
    for b in paper.blocks:
        chunk = paper.text[b.start:b.end]
        assert chunk and chunk == chunk.strip() and "\n\n" not in chunk


def test_sentence_cut_at_a_column_foot_goes_on_at_the_next_column_top():
    from reader.ingest.lines import Line
    from reader.ingest.structure import recover_structure
    from reader.model import Paper

    def line(text, x, y, gap=False):
        return Line(text, gap_before=gap, size=9.5, page=1, bbox=(x, y, x + 220, y + 11))

    lines = [line("A Paper Title Set Large", 60, 40, True), line("Body text of the first column that ends with", 60, 700, True),
             line("phenotypes similar to those of", 60, 712),
             line("Vax1 mice (Slavotinek et al., 2012). Unexpectedly, we found more.", 316, 57, True),
             line("A new paragraph starts here after a full stop.", 316, 90, True)]
    lines[0].size = 20
    paper = Paper(id="x", source_path="x.pdf", format="pdf")
    recover_structure(lines, paper)
    paragraphs = [paper.block_text(b) for b in paper.blocks if b.kind == "paragraph"]
    assert paragraphs == ["Body text of the first column that ends with phenotypes similar to those of Vax1 mice "
                          "(Slavotinek et al., 2012). Unexpectedly, we found more.",
                          "A new paragraph starts here after a full stop."]
