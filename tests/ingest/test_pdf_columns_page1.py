"""First pages (and float pages) whose furniture hides the gutter of the two columns below it: the columns
are read one after the other, never line by line. Expected text read off the pages rendered with pymupdf."""
from __future__ import annotations

from reader.ingest import load_paper


def _block_with(paper, fragment: str):  # type: ignore[no-untyped-def]
    return next(b for b in paper.blocks if fragment in paper.block_text(b))


def test_columns_under_an_abstract_set_beside_a_column_of_dates(realpdf) -> None:
    # Page 1: "Received / Accepted" in a narrow column left of the byline and an abstract that runs over the
    # right two-thirds of the page (across the gutter below); under them two columns of 8-pt text. The
    # left column ends "...less influenced by the Interdecadal Pacific", the right one opens "Oscillation (IPO)".
    paper = load_paper(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    text = paper.text
    assert "the variability in sea surface temperature (SST) off western Australian coast" in text
    assert "became less influenced by the Interdecadal Pacific Oscillation (IPO)" in text
    assert "variability in sea Oscillation" not in text


def test_abstract_panel_beside_a_side_panel_and_columns_below(realpdf) -> None:
    # Page 1: a shaded abstract panel (Background/Methods/Results/Conclusions) beside a side panel
    # (ARTICLE HISTORY, KEYWORDS); under it "Introduction" in two columns.
    paper = load_paper(realpdf / "tandf-2021-0886022x.2020.1866009.pdf")
    text = paper.text
    assert ("knowledge regarding the risk factors and long-term outcomes of cardiovascular readmission"
            in text)
    assert "Received 29 July 2020 Revised 22 November 2020 Accepted 12 December 2020" in text
    intro = _block_with(paper, "Dialysis patients have more comorbidities than the general population")
    assert "may require more hospital care [1–3]. The United States Renal Data System" in paper.block_text(intro)
    assert "proportion of readmissions" not in paper.block_text(intro)
    assert ("27% of the annual hospitalization expenditures were due to cardiovascular conditions [4]."
            in paper.block_text(intro))


def test_two_columns_beside_a_sidebar_parted_by_an_em(corpus_dir) -> None:
    # Page 1: a sidebar (copyright) left of two columns of 9-pt text whose gutter is 9.5 pt wide; the
    # left column's paragraph "When I was a child, my father told me that the / secret to a good life ..."
    # runs down its column, the right column opens "fraught with anxiety about high-profile papers".
    paper = load_paper(corpus_dir / "pdf" / "elife-00353-v1.publisher.pdf")
    child = _block_with(paper, "When I was a child, my father told me that the")
    assert "my father told me that the secret to a good life was tricking the universe" in paper.block_text(child)
    assert "fraught with anxiety" not in paper.block_text(child)
    assert "one of the senior students said to me" in paper.text


def test_float_page_columns_read_apart_from_the_table_above(realpdf) -> None:
    # Page 6: Table 4 across the page, two columns of text, Table 5 across the page. The left column's
    # paragraph runs "There are only a few reports on Chelidonium majus L. bacterial endophytes." on; the
    # right column opens with the heading "Hydrocarbon degradation activity of endophytic Bacillus pumilus 2A".
    paper = load_paper(realpdf / "bmc-2018-s12934-018-1017-5.pdf")
    left = _block_with(paper, "There are only a few reports on Chelidonium majus")
    assert "Chelidonium majus L. bacterial endophytes. Goryluk et al. isolated 34 bacterial" in paper.block_text(left)
    assert "Hydrocarbon degradation" not in paper.block_text(left)
    assert "biosurfactant production by the isolated endophytes." in paper.block_text(left)


def test_columns_with_headings_level_stay_columns(realpdf) -> None:
    # Page 4: under Table 1 (across the page) two columns whose headings "Selection and data collection
    # process" (left) and "Step 5. Data analysis" (right) stand at one height, a white band across the page:
    # the left column is read to its foot before the right one.
    paper = load_paper(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    text = paper.text
    assert (text.index("Selection and data collection process") < text.index("Step 4. Charting the data")
            < text.index("Step 5. Data analysis"))


def test_short_last_page_of_references_in_two_columns(realpdf) -> None:
    # Page 6: entries 4 (its end) to 8 in the left column, justified to the gutter; entry 9 and the
    # "Publisher's Note" in the right one, whose second lines hang (two left edges right of the gutter).
    paper = load_paper(realpdf / "springer-2021-s10654-021-00729-5.pdf")
    raws = [r.raw for r in paper.references]
    assert ("5. Braend AM, Straand J, Klovning A. Clinical drug trials in general practice: how well are "
            "external validity issues reported? Bmc Fam Pract. 2017;18:1–11.") in raws
    assert any(r.startswith("9. Winkler V, et al. Response in individuals with and without foreign background")
               for r in raws)


def test_running_head_over_the_column_beside_the_title_is_read_first(corpus_dir) -> None:
    # Page 1: "FEATURE ARTICLE" (the running head, at the top of the right column's side) stands above
    # "LIVING SCIENCE" and the title "A good life" in the left column beside it; page 2 repeats it at its
    # top. Read first, it is known for a running head on both pages and leaves the flow of page 2.
    paper = load_paper(corpus_dir / "pdf" / "elife-00353-v1.publisher.pdf")
    assert "FEATURE ARTICLE a postdoc" not in paper.text
    assert "a postdoc and an assistant professor—when I thought about quitting" in paper.text
