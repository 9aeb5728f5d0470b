"""A side panel's labels with their items run on in one paragraph are matter, not abstract (issue 10 item 3).

T&F 21505594 page 1 prints, beside the abstract (checked on the render at 150 dpi), "ARTICLE HISTORY" over
"Received 25 September 2019 / Revised 13 January 2021 / Accepted 15 January 2021" and "KEYWORDS" over
"Yersinia; Galleria; adhesin; innate immunity; melanogenesis; damage response framework"."""
from __future__ import annotations

from pathlib import Path

from reader.ingest import load_paper
from reader.ingest.matter import is_matter


def test_panel_items_leave_the_abstract(realpdf: Path) -> None:
    paper = load_paper(realpdf / "tandf-2021-21505594.2021.1878672.pdf")
    abstract = " ".join(" ".join(paper.block_text(b).split()) for b in paper.blocks if b.kind == "abstract")
    assert abstract.startswith("Adhesins facilitate bacterial colonization")
    assert "ARTICLE HISTORY" not in abstract and "KEYWORDS" not in abstract
    matter = [" ".join(paper.block_text(b).split()) for b in paper.blocks if b.kind == "matter"]
    assert "ARTICLE HISTORY Received 25 September 2019 Revised 13 January 2021 Accepted 15 January 2021" in matter
    assert any(m.startswith("KEYWORDS Yersinia; Galleria; adhesin") for m in matter)


def test_only_the_labels_in_capitals_with_their_items() -> None:
    assert is_matter("KEYWORDS Yersinia; Galleria; adhesin; innate immunity")
    assert not is_matter("KEYWORDS are the words that index a paper; a reader searches them.")
    assert not is_matter("Keywords of the study; their use")
    assert not is_matter("ARTICLE HISTORY of the field shows that")
