"""Tables out of the sentence flow, whole (issue 10 item 2, round 17): a key/value table that goes on over
a page break, a table of questions whose last rows were cut off, a paragraph that a page of table cut,
and the "(Continued)" labels of tables split over pages. Expected values read off the pages rendered with
pymupdf (``page.get_pixmap(dpi=100, clip=...)``)."""
from __future__ import annotations

from pathlib import Path

from reader.ingest import load_paper
from reader.ingest.lines import Line
from reader.ingest.paragraphs import Paragraph, Vocabulary, _next_column, drop_furniture, join_broken_paragraphs
from reader.ingest.pdf_floats import TABLE, table_grid


def _blocks(paper, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [paper.block_text(b) for b in paper.blocks if b.kind == kind]


# ------------------------------------------------------------------ a key/value table over a page break

def test_a_named_table_alone_on_its_line_is_a_table_caption() -> None:
    assert TABLE.match("Specifications Table")
    assert TABLE.match("Specifications table")
    assert TABLE.match("Key resources table")
    assert not TABLE.match("Specifications table of the instrument are given below")
    assert not TABLE.match("Specifications")


def test_specifications_table_is_one_table_over_two_pages(realpdf: Path) -> None:
    # Page 1 under "Specifications Table": a rule, then "Subject area | Biology", "More specific subject
    # area | Cell biology" at the page's foot (the foot notes under a short rule); page 2 goes on with no
    # caption: "Type of data | Graph" ... "Data accessibility | Data are available within this article",
    # closed by a rule over "Value of the data". The whole table shifts 5.7 pt left on page 2.
    paper = load_paper(realpdf / "elsevier-2018-j.dib.2018.03.044.pdf")
    tables = _blocks(paper, "table")
    assert tables, "no table found"
    rows = [row.split("\t") for row in tables[0].split("\n")]
    assert rows == [["Subject area", "Biology"],
                    ["More specific subject area", "Cell biology"],
                    ["Type of data", "Graph"],
                    ["How data was acquired", "Fluorescent microscope (SpectraMax® i3x, MOLECULAR DEVICES)"],
                    ["Data format", "Analyzed"],
                    ["Experimental factors", "Cell number"],
                    ["Experimental features", "Analysis of cell number by calcein assay"],
                    ["Data source location", "Negombo, Sri Lanka"],
                    ["Data accessibility", "Data are available within this article"]]
    assert "Specifications Table" in _blocks(paper, "caption")
    assert not any("Type of data" in p or "Subject area" in p for p in _blocks(paper, "paragraph"))
    # the region ends at the last row on page 1 (y 560), not at the short rule over the foot notes (y 577)
    block = next(b for b in paper.blocks if b.kind == "table")
    assert block.page == 1 and block.bbox is not None and 555 < block.bbox[3] < 570


# ------------------------------------------------------------------ a table of questions

def test_a_question_over_its_answer_rows_is_a_cell_not_prose(realpdf: Path) -> None:
    # MDPI ijerph page 9, Table 1: rules at y 158, 182, 224, 247 and 288; the last section opens with a
    # full-width sentence in the table's type ("Question: Can you list up to three things? What might
    # prevent you ...") over the rows "A | 1. Write down your answer ...", "B | ...", "C | Not applicable,
    # I believe it is not my responsibility to contribute." The table runs to the rule at 288; under it
    # only "Note. Translated to English ..." is a note.
    paper = load_paper(realpdf / "mdpi-2026-ijerph23010076.pdf")
    block = next(b for b in paper.blocks if b.kind == "table" and b.page == 9)
    assert block.bbox is not None and block.bbox[3] >= 287
    notes = _blocks(paper, "footnote")
    assert not any("What might prevent you" in n or "not my responsibility" in n for n in notes)
    assert any(n.startswith("Note. Translated to English") for n in notes)


def test_notes_under_the_last_rows_still_end_a_ruled_table(corpus_dir: Path) -> None:
    # clinsci page 3, Table 2: its notes ("∗Rsymm = ...", "†Rcryst = ...") in the table's type stand over
    # the box's closing rule with no rows under them: the table ends over them and its cells are read
    # ("Resolution (Å) | 2.2", ...), not shown as a picture.
    paper = load_paper(corpus_dir / "pdf" / "clinsci-2014-cs20130403.publisher.pdf")
    table = next(t for t in _blocks(paper, "table") if "Resolution" in t)
    assert "Resolution (Å)\t2.2" in table
    assert "Rsymm = " not in table


# ------------------------------------------------------------------ a paragraph cut by a page of table

def _para(text: str, page: int, size: float = 9.0, kind: str = "") -> Paragraph:
    p = Paragraph([Line(text, gap_before=True, size=size, page=page, bbox=(50, 100, 290, 110))])
    p.kind = kind
    return p


def test_a_sentence_goes_on_after_pages_of_floats_only() -> None:
    before = _para("the Ministry for Health, Welfare and Sports, the European", 3)
    table_page = _para("Table 1 Overview of the included trials", 4, 8.0, "caption")
    note = _para("BMI body mass index", 4, 7.0, "footnote")
    figure = _para("Fig. 2 The number and proportion of eligibility", 5, 8.0, "caption")
    after = _para("Commission (DG XII), and the Municipality of Rotterdam.", 5)
    out = join_broken_paragraphs([before, table_page, note, figure, after], Vocabulary([]))
    assert [ln.text for ln in out[0].lines] == [before.first.text, after.first.text]
    assert len(out) == 4


def test_no_join_over_a_page_of_running_text() -> None:
    last = _para("the Ministry for Health, Welfare and Sports, the European", 3).first
    first = _para("Commission (DG XII), and the Municipality of Rotterdam.", 5).first
    assert _next_column(last, first, {3, 5})  # page 4: floats only
    assert not _next_column(last, first, {3, 4, 5})  # page 4 has running text
    assert not _next_column(last, first)


def test_funding_paragraph_joined_over_a_page_of_table(realpdf: Path) -> None:
    # Springer s10654: page 3's right column ends "... the Ministry for Health, Welfare and Sports, the
    # European"; page 4 is Table 1 and its notes only; page 5 opens with Fig. 2 and its caption, then the
    # left column "Commission (DG XII), and the Municipality of Rotterdam. The authors are grateful ..."
    paper = load_paper(realpdf / "springer-2021-s10654-021-00729-5.pdf")
    funding = next(p for p in _blocks(paper, "paragraph") if p.startswith("Funding The Rotterdam Study"))
    assert "the European Commission (DG XII), and the Municipality of Rotterdam. The authors are grateful" in funding


# ------------------------------------------------------------------ "(Continued)"

def _line(text: str, page: int, gap: bool = False, new_page: bool = False, kind: str = "") -> Line:
    return Line(text, gap_before=gap, size=9.0, page=page, bbox=(50, 100, 290, 110), new_page=new_page,
                float_kind=kind)


def test_continuation_labels_are_page_furniture() -> None:
    lines = [_line("Table 4. Risk prioritization of hazards", 11, True, True, "table"),
             _line("(Continued)", 11, True),
             _line("Continued", 11, True),
             _line("(continued on next page)", 11, True),
             _line("(Continued from previous page)", 12, True, True),
             _line("Conclusion: the first line of page 12", 12),
             _line("Continued", 12, True)]  # no table on page 12: a bare word stays
    kept = drop_furniture(lines)
    assert [ln.text for ln in kept] == ["Table 4. Risk prioritization of hazards",
                                        "Conclusion: the first line of page 12", "Continued"]
    # the line after a dropped label at a page's top starts the page and a paragraph
    assert kept[1].new_page and kept[1].gap_before


def test_a_sentence_ending_in_continued_stays() -> None:
    lines = [_line("Table 1. Results", 2, True, True, "table"), _line("The trend", 2, True),
             _line("continued.", 2), _line("continued)", 2)]
    assert [ln.text for ln in drop_furniture(lines)] == ["Table 1. Results", "The trend", "continued.", "continued)"]


def test_continued_label_under_a_table_is_not_body_text(realpdf: Path) -> None:
    # PLOS 2025 page 11: "(Continued)" in italics at the right under Table 4's last row; page 12 opens
    # "Table 4. (Continued)" (a caption)
    paper = load_paper(realpdf / "plos-2025-journal.pone.0322878.pdf")
    texts = [paper.block_text(b) for b in paper.blocks if b.kind != "caption"]
    assert not any(t.strip() == "(Continued)" for t in texts)
    assert "Table 4. (Continued)" in _blocks(paper, "caption")


def test_continued_labels_in_a_structured_abstract_are_dropped(realpdf: Path) -> None:
    # BMC s13000 page 1: "(Continued on next page)" under the abstract's first half; page 2 opens
    # "(Continued from previous page)" over "Conclusion: AI has the potential ..."
    paper = load_paper(realpdf / "bmc-2021-s13000-021-01085-4.pdf")
    assert "(Continued" not in paper.text
    assert any(a.startswith("Conclusion: AI has the potential") for a in _blocks(paper, "abstract"))
    assert any(m.startswith("© The Author(s). 2021") for m in _blocks(paper, "matter"))


def test_continued_label_beside_a_table_label_is_no_cell(realpdf: Path) -> None:
    # Wiley aphw.70125 page 10: "TABLE 2" atop the page with "(Continued)" at the right of its row; the
    # table under it opens with its heads "SAC phase | Judgement name/query/values/labels | ICC2 ICC3 ICC3k"
    paper = load_paper(realpdf / "wiley-2026-aphw.70125.pdf")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 10)
    assert paper.block_text(table).startswith("SAC phase\tJudgement name/query/values/labels")


# ------------------------------------------------------------------ a caption's lines, whole

def test_a_caption_wrapped_into_its_tables_region_is_whole(realpdf: Path) -> None:
    # Wiley aphw.70157 page 15: "TABLE 1 Outlier analyses for meta-analysis of relationship between
    # eco-anxiety and depression, anxiety, and" over "stress.", no rule between them; the table's heads
    # "Analysis k r 95% CI p I2 95%PI" under the rule below
    paper = load_paper(realpdf / "wiley-2026-aphw.70157.pdf")
    captions = _blocks(paper, "caption")
    assert ("TABLE 1 Outlier analyses for meta-analysis of relationship between eco-anxiety and depression, "
            "anxiety, and stress.") in captions
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 15)
    assert paper.block_text(table).startswith("Analysis\tk\tr\t95% CI\tp\tI2\t95%PI\n")


def test_a_tables_head_row_under_its_rule_stays_in_the_table(realpdf: Path) -> None:
    # Springer s10654 page 4: "Table 1 Overview ... was available", a rule, then the head row "Trial
    # sponsor (collaborator) Clinical Trials.gov identifier" alone on its row at the caption's left edge
    paper = load_paper(realpdf / "springer-2021-s10654-021-00729-5.pdf")
    assert ("Table 1 Overview of the included trials with the selection of exclusion criteria per trial, for "
            "which data from the Rotterdam Study was available") in _blocks(paper, "caption")
    table = next(b for b in paper.blocks if b.kind == "table" and b.page == 4)
    assert paper.block_text(table).startswith("Trial sponsor (collaborator)")


def test_a_caption_goes_on_in_the_next_column(realpdf: Path) -> None:
    # Springer s10654 page 5: Fig. 2's caption fills the left column under the figure, ending "and thus
    # inclu-"; the right column opens level with the caption's first line: "sion or exclusion, of the
    # eligibility criteria ‘(un)stable disease’, ..." (the back matter beside it is in the same 8.5-pt type)
    paper = load_paper(realpdf / "springer-2021-s10654-021-00729-5.pdf")
    caption = next(c for c in _blocks(paper, "caption") if c.startswith("Fig. 2"))
    assert "and thus inclusion or exclusion, of the eligibility criteria" in caption
    assert caption.endswith("b individuals at high risk of severe COVID-19")
    assert not any(p.startswith("sion or exclusion") for p in _blocks(paper, "paragraph"))


def test_a_caption_line_set_apart_joins_its_caption(realpdf: Path) -> None:
    # tums page 3: "Table 2. LC50values of citrus seed extract against late 3rd and early 4th instar larvae
    # of Aedes aegypti after 24 hours" over a centred "of exposure" in the caption's type
    paper = load_paper(realpdf / "tums-2017-PMC5758638.pdf")
    assert any(c.endswith("after 24 hours of exposure") for c in _blocks(paper, "caption"))
    assert "of exposure" not in _blocks(paper, "paragraph")


# ------------------------------------------------------------------ a column that the fullest rows leave blank

def _cell(text: str, x0: float, x1: float, bottom: float) -> Line:
    return Line(text=text, size=7.5, page=6, bbox=(x0, bottom - 7.5, x1, bottom))


def test_a_column_the_fullest_rows_leave_blank_is_a_column() -> None:
    # Cambridge gmh page 6, Table 2 (heads "Mean ± SD | t / F | df / df1, df2 | P | Effect size"): a group
    # row "Gender | | −7.16 | 2,842 | <0.001 | 0.323" leaves "Mean ± SD" blank, and its rows "Male | 4.30 ±
    # 3.28" fill only that column (x 207-240, between the row heads and "t / F")
    lines = [_cell("Mean ± SD", 207, 240, 92), _cell("t / F", 293, 305, 92), _cell("df / df1, df2", 358, 394, 92),
             _cell("P", 452, 456, 92), _cell("Effect size", 514, 545, 92)]
    for k, (group, values, members) in enumerate([("Gender", ("−7.16", "2,842", "<0.001", "0.323"),
                                                   (("Male", "4.30 ± 3.28"), ("Female", "5.39 ± 3.41"))),
                                                  ("Marital status", ("3.45", "2,842", "<0.001", "0.196"),
                                                   (("Married", "4.56 ± 3.10"), ("Single", "5.23 ± 3.44")))]):
        top = 110 + 45 * k
        lines.append(_cell(group, 47, 90, top))
        lines += [_cell(v, x, x + 18, top) for v, x in zip(values, (290, 368, 444, 521))]
        for m, (name, value) in enumerate(members):
            lines += [_cell(name, 53, 76, top + 15 * (m + 1)), _cell(value, 207, 240, top + 15 * (m + 1))]
    grid = table_grid(lines, [])
    assert grid[0] == ["", "Mean ± SD", "t / F", "df / df1, df2", "P", "Effect size"]
    assert grid[1] == ["Gender", "", "−7.16", "2,842", "<0.001", "0.323"]
    assert grid[2] == ["Male", "4.30 ± 3.28", "", "", "", ""]
    assert grid[5] == ["Married", "4.56 ± 3.10", "", "", "", ""]
