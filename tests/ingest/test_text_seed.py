"""The PDF-extracted seed paper (library/alam-mustafa-...txt): what a reader must get out of it.

Every expected value below was read off the file by hand (see issue 2).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest import load_paper

SEED = Path(__file__).resolve().parents[2] / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"


@pytest.fixture(scope="module")
def paper():
    return load_paper(SEED)


def test_title_and_authors(paper):
    assert paper.title == "Pakistan's Role in Afghan Peace Process: An Analysis"
    assert [(a.given, a.family) for a in paper.authors] == [("Javed", "Alam"), ("Ghulam", "Mustafa")]


def test_journal_metadata(paper):
    assert paper.venue == "Review Journal of Social Psychology & Social Works"
    assert paper.issn == "3006-4724"
    assert paper.volume == "3"
    assert paper.url == "http://socialworksreview.com"


def test_keywords_deduplicated(paper):
    assert paper.keywords == ["Pakistan", "Afghanistan", "Politics", "Taliban", "Security", "TTP", "Terrorism",
                              "Regional Stability"]


def test_abstract(paper):
    assert paper.abstract.startswith("The strong social, cultural, religious, and political ties")
    assert paper.abstract.endswith("are emphasized in the paper's conclusion.")
    assert "Keywords" not in paper.abstract
    blocks = [b for b in paper.blocks if b.kind == "abstract"]
    assert len(blocks) == 1 and paper.block_text(blocks[0]) == paper.abstract


def test_section_headings(paper):
    headings = paper.headings()
    assert headings[0] == "Abstract"
    assert headings[1:] == [
        "Introduction",
        "Literature Review",
        "Theoretical Framework",
        "Research Methodology",
        "Strategy of Pakistan in Afghanistan's peace process after US withdrawal: Analysis and Discussion",
        "TTP's and the Afghan Taliban's fundamental alliance",
        "Afghan Taliban and TTP: Consequences for Pakistan-Afghan Relations",
        "US policy following withdrawal and Pakistan's stance",
        "Conclusion",
        "References",
    ]


def test_page_furniture_removed(paper):
    assert "Volume: 3 Issue: 3" not in paper.text
    assert "ISSN" not in paper.text


def test_markdown_artefacts_undone(paper):
    assert "$33 billion" in paper.text and "$1 trillion" in paper.text
    assert "\\$" not in paper.text
    assert "*" not in paper.text
    assert "- Akhtar" not in paper.text


def test_paragraphs_split_at_page_breaks_are_joined(paper):
    paragraphs = [paper.block_text(b) for b in paper.blocks if b.kind == "paragraph"]
    joined = "provides a thorough roadmap for future advancements in the relations while highlighting"
    assert sum(joined in p for p in paragraphs) == 1
    assert any("the Taliban's provisional administration in Afghanistan" in p for p in paragraphs)
    assert any("After the Taliban regained power, numerous grievances" in p for p in paragraphs)
    # no paragraph starts in the middle of a sentence
    assert not [p[:40] for p in paragraphs if p[0].islower()]


def test_twenty_five_reference_entries_with_fused_entry_split(paper):
    raws = [r.raw for r in paper.references]
    assert len(raws) == 25
    assert raws[0].startswith("Abbas, H. (2023). The return of the Taliban")
    # two columns fused by the extractor: each entry gets its own words back
    assert ("Akhtar, N., & Ullah, B. (2024). Nexus between TTP and Afghan Taliban: Impacts on Pakistan-Afghanistan "
            "Relations. Pakistan Social Sciences Review, 8(2), 269-278.") in raws
    assert ("UMAROV, A. (2024). REGIONAL SECURITY COMPLEX IN CENTRAL ASIA AFTER THE TALIBAN TAKEOVER IN AFGHANISTAN, "
            "2021. Himalayan & Central Asian Studies, 28.") in raws
    assert raws[-1].startswith("Youhana, A. (2023). A Critical Evaluation")
    assert any(r.startswith("Hussain,.(2023,) Pakistan mosque bombing") for r in raws)
    assert any(r.startswith("Manisha, P.(2023, July 4)") for r in raws)
    assert not [r for r in raws if r.startswith(("-", "•"))]


def test_reference_spans_point_into_text(paper):
    for ref in paper.references:
        assert paper.text[ref.start:ref.end] == ref.raw
    assert [r.id for r in paper.references] == [f"r{i}" for i in range(1, 26)]


def test_blocks_are_ordered_and_inside_text(paper):
    last_end = 0
    for b in paper.blocks:
        assert last_end <= b.start < b.end <= len(paper.text)
        assert paper.text[b.start:b.end] == paper.text[b.start:b.end].strip()
        last_end = b.end
    assert paper.blocks[0].kind == "title"
