"""Kinds of real publisher pages that the layout once got wrong. Expected values were read off the pages
rendered with pymupdf (page numbers are printed page indices, 1-based)."""
from __future__ import annotations

from reader.ingest import load_paper


def _block_with(paper, fragment: str):  # type: ignore[no-untyped-def]
    return next(b for b in paper.blocks if fragment in paper.block_text(b))


def test_entries_of_a_tightly_set_list_split_at_their_gaps(realpdf) -> None:
    # Page 20, right column: reference entries in 7-pt type on an 8-pt pitch, a 13-pt step between entries
    # (the body's pitch would hide it): the entry of "Quaggio, J., Souza, T., ... (2019). Citrus fruit yield
    # response ..." ends at its DOI, and "Rao, R., Huang, W., ..." opens the next one.
    paper = load_paper(realpdf / "frontiers-2026-fpls.2026.1798826.pdf")
    raws = [r.raw for r in paper.references]
    quaggio = next(r for r in raws if "Citrus fruit yield response to nitrogen and potassium" in r)
    assert quaggio.endswith("doi: 10.1016/j.scienta.2019.02.001")
    assert any(r.startswith("Rao, R., Huang, W., Yang, H., Shen, Q.") for r in raws)


def test_byline_run_on_in_a_heading_sized_line_is_matter(realpdf) -> None:
    # Page 1: the byline's second line "Zhangwen Ge,2 Feng Yi,2 Yiming Shao,2 Jack DeHovitz,3 Sten H. Vermund,4
    # and Syed Ali 5" (bold, the text layer runs the names together): front matter, its marks no citations.
    paper = load_paper(realpdf / "hindawi-2020-9701920.pdf")
    byline = _block_with(paper, "Vermund")
    assert byline.kind == "matter"
    assert not any(byline.start <= c.start < byline.end for c in paper.citations)
    assert not any(b.kind == "heading" and "Vermund" in paper.block_text(b) for b in paper.blocks)


def test_numbers_of_the_right_column_stay_with_their_entries(realpdf) -> None:
    # Page 7: two columns of numbered references, the right column's numbers (36.-44.) set in the gap
    # before its text; the gutter is the wider gap left of them.
    paper = load_paper(realpdf / "vetworld-2018-vetworld.2018.1237-1243.pdf")
    assert [r.citation_number for r in paper.references] == [str(n) for n in range(1, 45)]
    assert paper.references[34].raw == (
        "35. Hussmann, G.P., Yasuda, R.P., Xiao, Y., Wolfe, B.B., Kellar, K.J. (2011) Endogenously expressed "
        "muscarinic receptors in HEK293 cells augment up-regulation of stably expressed α4β2 nicotinic receptors. "
        "J. Biol. Chem., 286(46): 39726-39737.")
    assert paper.references[43].raw.startswith("44. Wessler, I., Kirkpatrick, C.J., Racké, K. (1998) Non-")


def test_table_closing_rule_in_the_page_foot(realpdf) -> None:
    # Page 6: Table 2 runs to a rule at y 741 (under the "Hogg et al. [75]" row), inside the bottom 7% of
    # the page where banners are ignored; that row is a cell, not the end of the sentence before the table.
    paper = load_paper(realpdf / "cambridge-2026-j.eurpsy.2026.10169.pdf")
    sentence = _block_with(paper, "might be a risk factor for these individuals. The resulting negative")
    assert "Hogg et al." not in paper.block_text(sentence)
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 6)
    assert "Hogg et al. [75]" in paper.block_text(table)
    assert table.bbox is not None and table.bbox[3] > 741


def test_wrapped_cells_of_a_ruled_table_stay_whole(realpdf) -> None:
    # Page 5, Table 1: a rule under every row; the InfoCrop row's References cell wraps onto four lines,
    # "(Aggarwal et al., / 2006a, / Aggarwal et al., / 2006b)", beside cells of other lengths.
    paper = load_paper(realpdf / "frontiers-2026-fpls.2026.1819890.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 5)
    rows = paper.block_text(table).split("\n")
    infocrop = next(r.split("\t") for r in rows if r.startswith("InfoCrop"))
    assert infocrop[-1] == "(Aggarwal et al., 2006a, Aggarwal et al., 2006b)"
    assert ("Generic tropical crop model; integrates pest damage and GHG emissions (CH4, N2O); "
            "simulates soil C and N dynamics; user-friendly.") in infocrop
    # Page 4: the table starts under its caption; the cells of a row come as one text line with wide gaps
    # ("CSIRO   Modular, plug-and-play ...   (Keating et al.,"), the row's References cell is "(Keating et
    # al., 2003)" and its Affiliation cell "CSIRO Agriculture and Food, Australia".
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 4)
    apsim = next(r.split("\t") for r in paper.block_text(table).split("\n") if r.startswith("APSIM"))
    assert apsim[-1] == "(Keating et al., 2003)"
    assert "CSIRO Agriculture and Food, Australia" in apsim


def test_sentence_runs_on_over_a_page_long_table(realpdf) -> None:
    # Page 2 ends "Overall, 795 references of" above a page-foot note ("1https://blogs.lshtm.ac.uk/...");
    # page 3 is all Table 1 (long cells in 7.5-pt type under a short caption), page 4 opens with its end,
    # its "Abbreviations: ..." note, then "published records were selected as potentially eligible".
    paper = load_paper(realpdf / "cambridge-2026-j.eurpsy.2026.10169.pdf")
    assert "Overall, 795 references of published records were selected as potentially eligible" in paper.text
    note = _block_with(paper, "1https://blogs.lshtm.ac.uk/library/")
    assert note.kind == "footnote"
    abbreviations = _block_with(paper, "Abbreviations: CCARPD, Climate Change Awareness-Related")
    assert abbreviations.kind == "footnote"
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 3)
    assert "Studies using non-validated assessments of mental health." in paper.block_text(table)


def test_byline_with_middle_dots_and_a_correspondence_note(realpdf) -> None:
    # Page 1: "Natalie Terzikhan1 · Albert Hofman2 · Jaap Goudsmit2,3,4 · Mohammad Arfan Ikram1"; at the foot
    # of the left column an envelope mark (text layer "*") opens "Mohammad Arfan Ikram / m.a.ikram@...", and
    # the sentence "... to what extent the included" goes on at the top of the right column.
    paper = load_paper(realpdf / "springer-2021-s10654-021-00729-5.pdf")
    assert [a.family for a in paper.authors] == ["Terzikhan", "Hofman", "Goudsmit", "Ikram"]
    byline = _block_with(paper, "Natalie Terzikhan")
    assert byline.kind == "matter"
    assert not any(byline.start <= c.start < byline.end for c in paper.citations)
    assert "to what extent the included study population is representative of the intended" in paper.text
    assert _block_with(paper, "m.a.ikram@erasmusmc.nl").kind == "matter"


def test_journal_masthead_set_larger_than_the_title(realpdf) -> None:
    # Page 1: the banner "Iranian Journal of Basic Medical Sciences" (19 pt) over the title "Medicinal plants
    # for gingivitis: a review of clinical trials" (18 pt), then the byline "Hannaneh Safiaghdam 1, 2, ...".
    paper = load_paper(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    assert paper.title == "Medicinal plants for gingivitis: a review of clinical trials"
    assert paper.authors[0].family == "Safiaghdam"
    byline = _block_with(paper, "Hannaneh Safiaghdam")
    assert byline.kind == "matter"
    assert not any(byline.start <= c.start < byline.end for c in paper.citations)


def test_byline_with_the_corresponding_authors_envelope(realpdf) -> None:
    # Page 1: "Mark V. Brown 1,2✉, Martin Ostrowski 2, Lauren F. Messer 3, Anna Bramucci2, Jodie van de Kamp 1,"
    paper = load_paper(realpdf / "nature-2024-s42003-023-05702-4.pdf")
    assert [a.family for a in paper.authors[:3]] == ["Brown", "Ostrowski", "Messer"]
    byline = _block_with(paper, "Mark V. Brown")
    assert byline.kind == "matter"
    assert not any(byline.start <= c.start < byline.end for c in paper.citations)


def test_page_number_beside_a_heading_in_the_margin(realpdf) -> None:
    # Pages 2-5 print their number at the top right, level with the first line of the text ("INTRODUCTION"
    # on page 2, "... among both adults and children [22, 23]." on page 3): a page number, not text.
    paper = load_paper(realpdf / "ubiquity-2026-aogh.5110.pdf")
    assert any(b.kind == "heading" and paper.block_text(b) == "INTRODUCTION" for b in paper.blocks)
    assert "anxiety among both adults and children [22, 23]" in paper.text


def test_side_panel_labels_and_the_title_printed_again(realpdf) -> None:
    # Page 1, left panel: "EDITED BY / Jose Ramon Acosta Motos, ...", "REVIEWED BY ...", "CITATION / Srivastava
    # AK, Barlas NT, ... (2026) Climate change and citrus nutrition: ..." in capitals without a colon; the
    # title is printed over four lines and the PDF's title field gives it whole.
    paper = load_paper(realpdf / "frontiers-2026-fpls.2026.1798826.pdf")
    assert paper.title == ("Climate change and citrus nutrition: mechanisms, nutrient imbalances, and inclusive "
                           "management")
    for fragment in ("EDITED BY Jose Ramon Acosta Motos", "REVIEWED BY Syed Bilal Hussain"):
        assert _block_with(paper, fragment).kind == "matter"
    first_page_text = [paper.block_text(b) for b in paper.blocks if b.page == 1 and b.kind in ("paragraph", "heading")]
    assert not any("inclusive management" in t for t in first_page_text)


def test_how_to_cite_lines_are_matter(realpdf) -> None:
    # Page 1, under the abstract: "How to cite this article: Liu My, Sung L, ... The efficacy and safety of
    # auricular acupuncture ..." (the article's own title): no running text.
    paper = load_paper(realpdf / "lww-2021-md.0000000000024588.pdf")
    assert _block_with(paper, "How to cite this article:").kind == "matter"


def test_table_with_rules_only_around_its_head_and_foot(realpdf) -> None:
    # Page 2, Table 1: rules over and under the head row and over the "n 46" row; six rows between them
    # with no rule, one line each ("Kilian [10]  2003  2", ...): rows, not one row of wrapped cells.
    paper = load_paper(realpdf / "hindawi-2016-6047876.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and "Kilian" in paper.block_text(b))
    rows = paper.block_text(table).split("\n")
    assert rows[1] == "Kilian [10]\t2003\t2"
    assert rows[6] == "Malviya et al. [7]\t2011\t15"


def test_table_on_a_page_of_its_own_keeps_its_citations(realpdf) -> None:
    # Page 13, Table 3 (full width, a rule under each row): "Examples from literature" cells list
    # "Opoku et al. (26); Scheerens et al. (27); Manga et al. (28); ..." in the (12) style of the text.
    paper = load_paper(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and "Examples from literature" in paper.block_text(b))
    assert "Opoku et al. (26); Scheerens et al. (27); Manga et al. (28);" in paper.block_text(table)
    inside = [c for c in paper.citations if table.start <= c.start < table.end]
    assert any(c.text == "(26)" and c.items[0].refs == ["r26"] for c in inside)


def test_raised_limits_of_a_displayed_formula_are_no_citations(realpdf) -> None:
    # Page 14, equation (6): "H1(i) = (H1^0(i) − Σ_{i=1}^{20} H1^0(i)/20) / ..." with raised 0s and 20s; the
    # paper cites with raised numbers ("Aptamer Database25, RiboaptDB26"), but not inside the formula.
    paper = load_paper(realpdf / "nature-2021-s41598-021-85629-0.pdf")
    formula = [b for b in paper.blocks if b.page == 14 and "H1(i) =" in paper.block_text(b)]
    assert formula
    assert not any(b.start <= c.start < b.end for b in formula for c in paper.citations)
    assert any(paper.text[c.start:c.end] == "25" and c.items[0].refs == ["r25"] for c in paper.citations)


def test_table_body_set_without_rules_under_its_column_heads(realpdf) -> None:
    # Page 4, Table 1 (foot of the page, full width): a rule over and a rule under the column heads
    # ("Plant scientific name | Type of preparation | Study design | ..."), then the rows without rules to the
    # page foot: "Acacia arabica | Dentifrice | Randomized, double-blind, crossover ... | 3 | 28 | ↓GI, QHI,
    # BOP: better with test | (102)". The rows are the table's cells, not paragraphs of the text.
    paper = load_paper(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 4)
    text = paper.block_text(table)
    assert text.startswith("Plant scientific name\t")
    assert "Acacia arabica" in text and "better with test" in text and "(102)" in text
    assert not any(b.kind == "paragraph" and "Acacia arabica" in paper.block_text(b) for b in paper.blocks)


def test_continued_table_atop_a_page_without_rules(realpdf) -> None:
    # Page 5: "Continued Table 1" at the top left, a page of rows with no rule at all, the first "Aloe vera 50%
    # | Dentifrice | Randomized, double-blind, parallel, clinical trial in 30 subjects- ... | 4 | 30 | ↓PI, GBI
    # same in both groups | (30)". The label is the caption (not a running head), the rows one table.
    paper = load_paper(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    assert any(b.kind == "caption" and b.page == 5 and paper.block_text(b) == "Continued Table 1"
               for b in paper.blocks)
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 5)
    assert paper.block_text(table).startswith("Aloe vera 50%\tDentifrice\t")
    assert "same in both groups" in paper.block_text(table)
    assert not any(b.kind == "paragraph" and b.page == 5 for b in paper.blocks)


def test_letters_of_a_font_with_huge_ascenders_keep_line_sized_boxes(realpdf) -> None:
    # The same paper's fonts give every letter a box three lines deep (7-pt type on a 6.5-pt pitch): a line's
    # box is cut to its letters, so the rows of the table above do not overlap one another.
    from reader.ingest.pdf_lines import extract_lines
    content = extract_lines((realpdf / "mums-2018-ijbms.2018.31997.7690.pdf").read_bytes())
    boxes = [ln.bbox for ln in content.lines if ln.bbox is not None]
    assert all(b[3] - b[1] < 2 * ln.size for b, ln in zip(boxes, content.lines))


def test_spaces_set_as_spans_of_their_own_join_the_words(realpdf) -> None:
    # Page 4 of the Wiley paper sets every space in a font of its own ("dummy-space"), as a span between
    # the words: "... in their communities (Crone et al. 2024; Toenders et al. 2024)." reads word by word
    # with single spaces (the text layer has a space of its own before the semicolon too).
    paper = load_paper(realpdf / "wiley-2026-desc.70217.pdf")
    assert "in their communities (Crone et al. 2024 ; Toenders et al. 2024 )." in paper.text


def test_images_of_a_page_of_dense_vector_plots_are_placed_in_its_text_pass(realpdf) -> None:
    # Page 3 of this Nature paper is a figure of thousands of vector paths (a 6.8 MB content stream) with one
    # small image (the colour bar): reading the page twice would cost twice, so its text pass places the
    # image. The jmir paper's pages hold large images under little text: they keep a pass of their own.
    import pymupdf
    from reader.ingest.pdf_fragments import images_in_text_pass, page_content
    with pymupdf.open(realpdf / "nature-2024-s41467-024-48900-2.pdf") as doc:
        assert images_in_text_pass(doc[2])
        graphics = page_content(doc[2], images=True).graphics
        assert any(abs(g[0] - 270.5) < 1 and abs(g[3] - 436.0) < 1 for g in graphics)  # the colour bar
        assert not images_in_text_pass(doc[1])  # no image on the page
    with pymupdf.open(realpdf / "jmir-2026-82426.pdf") as doc:
        assert not any(images_in_text_pass(page) for page in doc)


def test_byline_with_a_non_breaking_hyphen_in_a_name(realpdf) -> None:
    # Page 1: "Olga Marchut-Mikolajczyk1*, Piotr Drożdżyński1, Dominika Pietrzyk1 and Tadeusz Antczak1,2", the
    # hyphen a non-breaking one (U+2011): still the byline, so its raised marks are no citations.
    paper = load_paper(realpdf / "bmc-2018-s12934-018-1017-5.pdf")
    byline = _block_with(paper, "Tadeusz Antczak")
    assert byline.kind == "matter"
    assert not any(byline.start <= c.start < byline.end for c in paper.citations)
    assert [a.family for a in paper.authors] == ["Marchut\u2011Mikolajczyk", "Drożdżyński", "Pietrzyk", "Antczak"]


def test_byline_read_after_the_abstract_is_matter(realpdf) -> None:
    # Page 1: the byline's names that begin its two lines, "Krystian Konieczny 1,*" and "Marianna Mazza 4,5"
    # (each followed by an ORCID icon), come out of the column order after the keywords: matter, not a heading,
    # and their marks no citations.
    paper = load_paper(realpdf / "mdpi-2026-jcm15082853.pdf")
    names = _block_with(paper, "Marianna Mazza")
    assert names.kind == "matter"
    assert not any(names.start <= c.start < names.end for c in paper.citations)


def test_figure_region_leaves_out_the_journals_page_tab(realpdf) -> None:
    # Page 8: Figure 2 is one image (131, 42)-(363, 230); the journal's tab with the page number (a dark box
    # bled off the top right corner, 440-493 across, on every page) is page decoration, not part of it.
    paper = load_paper(realpdf / "royalsociety-2021-rsta.2020.0097.pdf")
    figure = next(b for b in paper.blocks if b.kind == "figure" and b.page == 8)
    assert figure.bbox is not None
    assert [round(v) for v in figure.bbox] == [131, 42, 363, 230]


def test_a_panel_beside_the_abstract_has_no_superscripts(realpdf) -> None:
    # Page 1: the "ARTICLE HISTORY" panel (Received 29 July 2020 / Revised 22 November 2020 / Accepted 12
    # December 2020, smaller type, 1.5 ems right of the abstract) shares its rows with abstract lines; set
    # smaller and a little higher than them, it is no superscript, so "22" and "12" are no citations.
    paper = load_paper(realpdf / "tandf-2021-0886022x.2020.1866009.pdf")
    for printed in ("Revised 22 November 2020", "Accepted 12 December 2020"):
        at = paper.text.index(printed)
        assert not any(at <= c.start < at + len(printed) for c in paper.citations), printed
        assert not any(at <= s < at + len(printed) for s, _ in paper.superscripts), printed


def test_raised_numbers_of_an_approximate_formula_are_no_citations(realpdf) -> None:
    # Page 5, equation (6): "H_AME(X) ≈ 1/4 (H_R(−1, 0) + H_R(0, −1) + ...)", the fraction's 1 set raised:
    # a displayed formula (≈ and hardly a word), so the 1 is no citation.
    paper = load_paper(realpdf / "mdpi-2020-e22121365.pdf")
    at = paper.text.index("≈")
    assert not any(at <= c.start < at + 20 for c in paper.citations)


def test_exponent_of_a_formula_of_subscripted_quantities_is_no_citation(realpdf) -> None:
    # Page 4, left column foot: "Φ_PNK = Φ_ref × (I_PNK/I_ref) × (A_ref/A_PNK) × (η_PNK/η_ref)²" (the text layer
    # runs the subscripts on: "FPNK = Fref × ..."): the raised 2 is an exponent, the "21" of "following
    # equation:21" above it a citation.
    paper = load_paper(realpdf / "rsc-2025-d5ra05505a.pdf")
    at = paper.text.index("(hPNK/href)")
    assert not any(at <= c.start < at + 15 for c in paper.citations)
    before = paper.text.index("following equation:")
    assert any(before < c.start < at for c in paper.citations)


def test_landscape_table_on_a_turned_page_leaves_the_flow(realpdf) -> None:
    # Pages 6-11 carry Table 2 printed landscape (the pages are turned by /Rotate 90, the text runs up the
    # page). Page 7, "TABLE 2 (Continued)": rows 6-9 (Hussey, Nsengiyumva, Kadio, Dos Santos), ruled across
    # the rows as the reader sees them. The table is found where the text reads left to right; its region
    # is given back in the page's own coordinates (the unturned page is 595 x 842 pt, the table fills it).
    paper = load_paper(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 7)
    text = paper.block_text(table)
    for cell in ("Hussey et al. (2020) (29)", "Nsengiyumva", "Kadio et al. (2024) (43)", "Dos Santos et al. (2019)"):
        assert cell in text
    assert table.bbox is not None
    x0, y0, x1, y1 = table.bbox
    assert x1 - x0 > 400 and y1 - y0 > 600 and x1 <= 595 and y1 <= 842
    assert not any("Kadio et al. (2024)" in paper.block_text(b) for b in paper.blocks
                   if b.kind == "paragraph" and b.page == 7)
    # the study numbers in the table's cells are citations of the table, as printed ("(29)", "(43)")
    assert {"(29)", "(43)"} <= {c.text for c in paper.citations if table.start <= c.start < table.end}


def test_byline_running_from_the_sidebar_into_the_main_column(realpdf) -> None:
    # Page 1 (MDPI, 2026): the byline "Andrea Zammitti 1 [ORCID], Angela Russo 2 [ORCID], ..." starts at the
    # page's left margin, over the sidebar of dates and editors, and runs on into the main column; the gutter
    # between the sidebar and the main column cut it in two and the first name was read after the abstract,
    # as a heading.
    paper = load_paper(realpdf / "mdpi-2026-bs16050636.pdf")
    assert [a.family for a in paper.authors] == ["Zammitti", "Russo", "Marcionetti", "Parola"]
    byline = _block_with(paper, "Zammitti")
    assert byline.kind == "matter" and paper.block_text(byline).startswith("Andrea Zammitti 1 , Angela Russo 2")
    assert not any(b.kind == "heading" and "Zammitti" in paper.block_text(b) for b in paper.blocks)


def test_cells_of_a_narrowly_spaced_table_row_stay_apart(realpdf) -> None:
    # Page 4, Table 1 in 7-pt type: some columns stand only 11-12 pt apart (CropSyst's "Multi-year, ..."
    # after "Washington State University, USA"; Expert-N's "(Priesack et al., 2006)" after "..., Flexible
    # module exchange."), others 20-40 pt. Each cell stays whole, so the References cell is one citation.
    paper = load_paper(realpdf / "frontiers-2026-fpls.2026.1819890.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 4)
    rows = {r.split("\t")[0]: r.split("\t") for r in paper.block_text(table).split("\n")}
    assert rows["CropSyst"][1] == "Washington State University, USA"
    assert rows["CropSyst"][-1] == "(Stöckle et al., 2003)"
    assert rows["Expert-N"][-2].endswith("Crop growth (multiple), Flexible module exchange.")
    assert rows["Expert-N"][-1] == "(Priesack et al., 2006)"
    assert "(Priesack et al., 2006)" in {c.text for c in paper.citations if table.start <= c.start < table.end}


def test_two_short_columns_between_a_table_and_a_figure(realpdf) -> None:
    # Page 6: Table 1 (continued) across the top, two columns of text, Figure 2 across the bottom. The
    # table's cells and the figure's labels cross the gutter; the columns are still read one after the
    # other: the left one's "One of effective ways to improve food production is to enhance crop
    # productivity per unit land area, specifically by narrowing the yield gap (Pradhan et al., 2015;
    # Ye et al., 2026)." is not interleaved with the right one's lines.
    paper = load_paper(realpdf / "frontiers-2026-fpls.2026.1819890.pdf")
    paragraph = _block_with(paper, "One of effective ways to improve food production")
    assert paper.block_text(paragraph).startswith(
        "One of effective ways to improve food production is to enhance crop productivity per unit land area, "
        "specifically by narrowing the yield gap (Pradhan et al., 2015; Ye et al., 2026).")
    assert any(c.text == "(Bonner, 1962; Evans and Fischer, 1999; Grassini et al., 2009)" for c in paper.citations)


def test_a_heading_line_printed_three_times_is_no_running_head(realpdf) -> None:
    # Pages 3, 7 and 8 head sections "... Preferences for Climate Change / Communication and Mitigation",
    # two lines each (page 3: "1.3 | Youths' Preferences for Climate Change" over "Communication and
    # Mitigation"): the second line, three times the same, is part of each heading, not page furniture.
    paper = load_paper(realpdf / "wiley-2026-desc.70217.pdf")
    headings = [paper.block_text(b) for b in paper.blocks if b.kind == "heading"]
    assert "1.3 Youths’ Preferences for Climate Change Communication and Mitigation" in headings
    assert sum(h.endswith("Climate Change Communication and Mitigation") for h in headings) == 3


def test_cells_of_a_landscape_table_read_in_the_turned_frame(realpdf) -> None:
    # Page 6 (turned by /Rotate 90): "TABLE 2 Characteristics of the studies included in the scoping review",
    # cell borders drawn cell by cell up to the page's edge (its foot band, counted on the unturned page);
    # a row's cells stand apart along the turned line, and are read in that order: "1", "Opoku et al.
    # (2021) (26)", "Ghana, Nigeria, South Africa, Namibia, Ethiopia, Kenya.", "Assessing vulnerabilities
    # to climate change, ...". Page 7, row 7: "Nsengiyumva et al. (2020) (31)" wraps its "(31)".
    paper = load_paper(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 6)
    rows = [r.split("\t") for r in paper.block_text(table).split("\n")]
    assert rows[0] == ["", "Author(s), Year", "Country(s)", "Study objective", "Participants, sample size",
                       "Type of study (methods)", "Key findings"]
    opoku = next(r for r in rows if r[0] == "1")
    assert opoku[1:4] == ["Opoku et al. (2021) (26)", "Ghana, Nigeria, South Africa, Namibia, Ethiopia, Kenya.",
                          "Assessing vulnerabilities to climate change, its impact on human health, and "
                          "preparedness to cope with these health hazards."]
    assert not any(b.kind == "paragraph" and b.page == 6 for b in paper.blocks)  # the page is all table
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 7)
    rows = [r.split("\t") for r in paper.block_text(table).split("\n")]
    assert next(r for r in rows if r[0] == "7")[1:3] == ["Nsengiyumva et al. (2020) (31)", "Rwanda"]


def test_side_panel_item_wrapped_onto_a_second_line(realpdf) -> None:
    # Page 1 (MDPI, 2026): the side panel sets "Academic Editors: Adriano / Zamperini and Marialuisa
    # Menegatto" and the licence "... distributed under the terms and / conditions of the Creative Commons /
    # Attribution (CC BY) license." on a 12-pt pitch that reads as paragraph gaps; the wrapped lines were
    # joined to the abstract, which runs on to page 2 ("... how Dutch young / adults experience ...").
    paper = load_paper(realpdf / "mdpi-2026-ijerph23010076.pdf")
    editors = _block_with(paper, "Academic Editors")
    assert editors.kind == "matter"
    assert paper.block_text(editors) == "Academic Editors: Adriano Zamperini and Marialuisa Menegatto"
    licence = _block_with(paper, "This article is an open access article")
    assert paper.block_text(licence).endswith("conditions of the Creative Commons Attribution (CC BY) license.")
    assert "Little is known about how Dutch young adults experience and cope" in paper.abstract
    assert "Zamperini" not in paper.abstract and "Creative Commons" not in paper.abstract


def test_first_page_footer_printed_once_leaves_the_flow(realpdf) -> None:
    # Page 1's foot: "Entropy 2020, 22, 1365; doi:10.3390/e22121365" and "www.mdpi.com/journal/entropy" in
    # 8-pt type, printed on no other page; the column above ends "... a sense of causality [7–13]." and
    # page 2 opens a paragraph "The high complexity of deep models ...". The DOI is still the paper's.
    paper = load_paper(realpdf / "mdpi-2020-e22121365.pdf")
    assert "www.mdpi.com" not in paper.text
    assert paper.block_text(_block_with(paper, "The high complexity of deep models")).startswith("The high")
    assert paper.doi == "10.3390/e22121365"


def test_first_page_footer_of_a_journal_citation_over_the_doi(realpdf) -> None:
    # Page 1's foot (Wiley, 2026): "Ecology Letters, 2026; 29:e70435" over "https://doi.org/10.1111/ele.70435"
    # in 7.5-pt type, under the licence; the right column's sentence "While these" goes on at the top of
    # page 2 with "underlying developmental and meristematic constraints apply".
    paper = load_paper(realpdf / "wiley-2026-ele.70435.pdf")
    assert "While these underlying developmental and meristematic constraints apply" in paper.text
    assert "Ecology Letters, 2026; 29:e70435" not in paper.text
    assert (paper.doi, paper.venue, paper.year) == ("10.1111/ele.70435", "Ecology Letters", 2026)


def test_a_floats_own_doi_stays_with_its_caption(realpdf) -> None:
    # PLOS prints each float's DOI under its caption: page 4, "Fig 1. Ursolic acid (3β-hydroxy-urs- 12-en-28-oic
    # acid)." then "https://doi.org/10.1371/journal.pone.0193451.g001"; the sentence from page 3, "... wellbeing
    # and prevent various", goes on under the figure with "diseases and illness."
    paper = load_paper(realpdf / "plos-2018-journal.pone.0193451.pdf")
    caption = _block_with(paper, "Fig 1. Ursolic acid")
    assert caption.kind == "caption"
    assert paper.block_text(caption).endswith("acid). https://doi.org/10.1371/journal.pone.0193451.g001")
    assert "wellbeing and prevent various diseases and illness." in paper.text
    # page 6: a table's DOI under notes that no label opens ("... and limitations for this exercise."), in
    # 8-pt type: out of the flow, not the start of the page-7 paragraph "explicitly stating assumptions"
    paper = load_paper(realpdf / "plos-2025-journal.pone.0322878.pdf")
    doi = _block_with(paper, "journal.pone.0322878.t001")
    assert doi.kind == "matter" and paper.block_text(doi) == "https://doi.org/10.1371/journal.pone.0322878.t001"


def test_labels_of_a_flow_chart_in_the_body_type_leave_the_flow(realpdf) -> None:
    # Page 4, "Figure 1. The flow chart of this study.": boxes drawn around labels set in the body's 10-pt
    # type ("Group A (n=40)   Group B (n=40)   Group C (n=40)" on one baseline, "• Not meeting inclusion
    # certeria" in a box of its own): labels of the picture, not paragraphs.
    paper = load_paper(realpdf / "lww-2021-md.0000000000024588.pdf")
    page = [b for b in paper.blocks if b.page == 4]
    assert [b.kind for b in page[:2]] == ["figure", "caption"]
    assert not any(word in paper.text for word in ("Group A (n=40)", "Not meeting inclusion", "Data analysis"))
    # page 1's footer (Wiley): "Developmental Science , 2026; 29:e70217" over its DOI, under the licence
    paper = load_paper(realpdf / "wiley-2026-desc.70217.pdf")
    assert "29:e70217" not in paper.abstract and "29:e70217" not in paper.text


def test_crossmark_badge_is_no_part_of_the_text(realpdf) -> None:
    # Page 1 (Nature Communications): the Crossmark badge's words "Check for updates" beside the title
    # were read as the opening words of the abstract ("Check for updates The impact of interbasin ...").
    paper = load_paper(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    assert "check for updates" not in paper.text.lower()
    assert _block_with(paper, "The impact of interbasin linkage").kind in ("paragraph", "abstract")
    assert paper.block_text(_block_with(paper, "The impact of interbasin linkage")).startswith("The impact")


def test_caption_in_a_shaded_panel_inside_a_figures_reach_stays_whole(realpdf) -> None:
    # Page 7 (Wiley, 2025): Table 1's caption, two lines in a shaded panel ("... average yields" / "of LP with
    # LPC and LPC-2 pH values and yields (180°C, H2O, 0.1 molL−1"), lies inside Figure 7's region; the panel
    # is no frame of a flow chart's label, so the caption's second line stays with it.
    paper = load_paper(realpdf / "wiley-2025-cssc.202401973.pdf")
    caption = _block_with(paper, "Table 1. Comparison of pH values")
    assert paper.block_text(caption).startswith(
        "Table 1. Comparison of pH values of reaction solutions and average yields of LP with LPC and LPC-2")
    # PLOS page 1's panel: the article's DOI and the "Editor: ..." item under it stay two items
    paper = load_paper(realpdf / "plos-2018-journal.pone.0193451.pdf")
    assert paper.block_text(_block_with(paper, "Editor: Keith R. Davis")).startswith("Editor:")
