"""First pages with a side panel in much smaller type beside the title or the byline, on the same baselines:
the panel is read as a stretch of its own, never spliced into the title's or the byline's lines. Expected
text read off page 1 rendered with pymupdf."""
from __future__ import annotations

from reader.ingest import load_paper


def _block_with(paper, fragment: str):  # type: ignore[no-untyped-def]
    return next(b for b in paper.blocks if fragment in paper.block_text(b))


def test_panel_flush_right_beside_the_title(realpdf) -> None:
    # Page 1: an 18-pt title over six lines; right of it, flush right in 7-pt type, "Chronic Stress /
    # Volume 10: 1-13 / (c) The Author(s) 2026 / Article reuse guidelines: / sagepub.com/journals-permissions
    # / DOI: ... / journals.sagepub.com/home/css", three of them on the title's baselines.
    paper = load_paper(realpdf / "sage-2026-24705470261442334.pdf")
    assert paper.title == ("Evaluating the Effectiveness of a Creative Arts and Philosophical Inquiry Intervention "
                           "Rooted in Self-Determination Theory to Promote Adaptive Coping with Eco-Anxiety "
                           "among Elementary School Children: A Pilot Randomized Cluster Trial")
    assert "Intervention sagepub.com" not in paper.text
    assert "Creative © The Author(s)" not in paper.text


def test_dates_beside_the_byline(realpdf) -> None:
    # Page 1: "Received: 22 July 2023" on the baseline of the byline's first line "Yuewen Ding 1,2,3,
    # Pengfei Lin ...", "Accepted: 17 May 2024" under it, both in 8.5-pt type at the page's left edge.
    paper = load_paper(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    received = _block_with(paper, "Received: 22 July 2023")
    assert "Yuewen Ding" not in paper.block_text(received)
    assert "Yuewen Ding" in paper.text
    assert "Received: 22 July 2023 Yuewen" not in paper.text


def test_date_wrapped_in_a_narrow_panel_keeps_its_year(realpdf) -> None:
    # Page 1: the side panel beside the abstract, 8-pt type at one left edge, prints "Received 25 September"
    # and on the next line "2019" (the panel is too narrow for the date), then "Revised 13 January 2021".
    paper = load_paper(realpdf / "tandf-2021-21505594.2021.1878672.pdf")
    assert "Received 25 September 2019 Revised 13 January 2021" in paper.text


def test_page_reference_wrapped_in_a_sidebar_is_no_page_number(corpus_dir) -> None:
    # Page 1: the left sidebar prints "Additional Information and / Declarations can be found on / page 13"
    # in one type at one left edge; "page 13" is the end of that sentence, not the page's number.
    paper = load_paper(corpus_dir / "pdf" / "peerj-cs-118.publisher.pdf")
    assert "Additional Information and Declarations can be found on page 13" in paper.text
