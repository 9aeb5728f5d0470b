"""Numeric citations in the forms publishers print them, and the numbers beside them that cite nothing.

The real-page tests parse a publisher's PDF from the realpdf corpus; every expected citation was read off
the page rendered with pymupdf (the place is named in each test) and agrees with the publisher's JATS.
The hand-made strings check what must never count. No Qt.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from reader.cite.markers import (find_numeric, find_ref_numbers, find_superscript_numbers, keep_in_a_column_of_citations,
                                 keep_next_in_sequence)
from reader.ingest import load_paper


@lru_cache(maxsize=None)
def _parse(path: Path):  # type: ignore[no-untyped-def]
    return load_paper(path)


def _cited(paper, after: str, span: int = 40) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """The citations (text, linked entries' numbers) within ``span`` characters after ``after`` in the text."""
    at = paper.text.index(after) + len(after)
    numbers = {r.id: r.citation_number for r in paper.references}
    return [(c.text, [numbers[ref] for it in c.items for ref in it.refs])
            for c in paper.citations if at - 1 <= c.start < at + span]


def _raised(text: str, *parts: tuple[str, int, int]) -> list[tuple[int, int]]:
    """Spans of raised text: (the words around it, offset into them, length)."""
    return [(text.index(words) + k, text.index(words) + k + n) for words, k, n in parts]


def _found(markers, text: str) -> list[tuple[str, list[int]]]:  # type: ignore[no-untyped-def]
    return [(text[m.start:m.end], [it.number for it in m.items]) for m in markers]


# --- superscripts ---------------------------------------------------------------------------------------

def test_a_raised_group_after_a_short_word(realpdf: Path) -> None:
    # nature-2024-s41467 page 2, left column: "... is not well reconciled yet^{1,2,29}. Feng et al.^{29}"
    paper = _parse(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    assert _cited(paper, "not well reconciled yet", 4) == [("1,2,29", ["1", "2", "29"])]


def test_a_raised_number_after_a_decimal_value(realpdf: Path) -> None:
    # nature-2018-s41598 page 9: "pH ... for A. thaliana i. e. 7.5^{17}, whereas ... in the range of 5.7–6.3^{26}"
    paper = _parse(realpdf / "nature-2018-s41598-017-17153-z.pdf")
    assert _cited(paper, "thaliana i. e. 7.5", 3) == [("17", ["17"])]
    assert _cited(paper, "range of 5.7–6.3", 3) == [("26", ["26"])]
    # nature-2024-s41467 page 7: "had a standard deviation of 0.2^{61}."
    paper = _parse(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    assert _cited(paper, "standard deviation of 0.2", 3) == [("61", ["61"])]


def test_a_raised_degree_sign_run_into_the_citation(realpdf: Path) -> None:
    # nature-2024-s42004 page 3: "[Li·4DMAP]+ moiety of 359.55^{o38}, in 1·Me6TREN this value is 342.97^{o}"
    paper = _parse(realpdf / "nature-2024-s42004-024-01184-5.pdf")
    assert _cited(paper, "moiety of 359.55", 4) == [("38", ["38"])]
    assert _cited(paper, "this value is 342.97", 4) == []


def test_a_raised_range_cut_at_the_line_end(realpdf: Path) -> None:
    # sage-2026 page 2, right column: "... in the context of climate change.^{15–}" / "^{17} First, the need"
    paper = _parse(realpdf / "sage-2026-24705470261442334.pdf")
    assert _cited(paper, "in the context of climate change.", 6) == [("15– 17", ["15", "16", "17"])]


def test_exponents_units_and_isotopes_stay_out() -> None:
    text = "grew 105-fold to 1.5 × 105 cells per cm2 (R2 = 0.9), the 13C shift and 2.52 m wide, and yet1,2 rise."
    spans = _raised(text, ("105 cells", 2, 1), ("cm2", 2, 1), ("R2", 1, 1), ("13C", 0, 2), ("2.52 m", 3, 1),
                    ("yet1,2", 3, 3))
    assert _found(find_superscript_numbers(text, spans, 40), text) == [("1,2", [1, 2])]


# --- "ref. 2" ---------------------------------------------------------------------------------------------

def test_ref_and_a_number_on_the_line(realpdf: Path) -> None:
    # nature-2024-s41467 page 2: "Feng et al.^{29} indicated ..., whereas ref. 2 suggested a timing of post-1980"
    # (the 2 set on the line in the link colour); page 5 "according to ref. 36."
    paper = _parse(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    assert _cited(paper, "whereas ref. ", 2) == [("2", ["2"])]
    assert _cited(paper, "of the IPO, according to ref. ", 3) == [("36", ["36"])]


def test_ref_numbers_forms() -> None:
    text = "as in refs. 3,4 and refs 5 and 7, Ref. 6–8, but a ref. 2.5 mM buffer at ref 10% and preref. 9."
    assert _found(find_ref_numbers(text, 0, len(text), 40), text) == [
        ("3,4", [3, 4]), ("5 and 7", [5, 7]), ("6–8", [6, 7, 8])]


# --- "(12)" ---------------------------------------------------------------------------------------------

def test_a_bracket_after_a_year_or_a_value_when_it_is_the_next_number(realpdf: Path) -> None:
    # tums-2017 page 1: "... 11,024 confirmed cases of DF including 40 deaths were reported in 2010 (3)."
    # page 2: "Abbot’s formula (21) was used to correct for mortality" (entry 21: Capinera, Encyclopedia)
    paper = _parse(realpdf / "tums-2017-PMC5758638.pdf")
    assert _cited(paper, "were reported in 2010 ", 4) == [("(3)", ["3"])]
    assert _cited(paper, "Abbot’s formula ", 4) == [("(21)", ["21"])]
    # mums-2018 page 1: "... had a GI index (Löe-Silness Gingivitis Index) higher than 1 (3)."
    paper = _parse(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    assert _cited(paper, "Gingivitis Index) higher than 1 ", 4) == [("(3)", ["3"])]


def test_a_table_cell_after_a_cell_ending_in_a_digit(realpdf: Path) -> None:
    # mums-2018 page 4, Table 1: the row "... group 1 (scaling)/ ... 3 | 42 | ↓PI, GI, PoB, PPD in all groups
    # with best effect in group 2 | (26)": the Reference column's "(26)" is a cell of its own
    paper = _parse(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    assert _cited(paper, "with best effect in group 2\t", 5) == [("(26)", ["26"])]


def test_percentages_in_cells_of_their_own_are_no_citations() -> None:
    # a table of counts with the percentages in a column of their own: every "(40)" follows a cell of digits
    table = "Sex\tn\t(%)\nMale\t25\t(40)\nFemale\t37\t(60)\nSmokers\t12\t(19)"
    assert keep_in_a_column_of_citations(find_numeric(table, 0, len(table), 80, parenthetical=True,
                                                      doubtful=True)) == []
    # a column of references, one of whose rows ends its cell before in a digit
    table = "Aloe\tbetter with test\t(12)\nNeem\tbest in group 2\t(26)\nTea\tsame in both\t(13)"
    found = keep_in_a_column_of_citations(find_numeric(table, 0, len(table), 80, parenthetical=True, doubtful=True))
    assert _found(found, table) == [("(12)", [12]), ("(26)", [26]), ("(13)", [13])]


def test_numbers_of_things_and_counts_stay_out_of_the_sequence() -> None:
    text = ("Dengue is common (1). It came in 1994, (2) and in 2010 (3). Of the 40 mice 12 (30) died. Eq. (4) "
            "and Abbott’s formula (4) agree, as does formula (5).")
    markers = find_numeric(text, 0, len(text), 40, parenthetical=True, doubtful=True)
    assert _found(keep_next_in_sequence(markers), text) == [("(1)", [1]), ("(2)", [2]), ("(3)", [3]), ("(4)", [4])]
    # without asking for doubtful ones, only the plain brackets
    assert _found(find_numeric(text, 0, len(text), 40, parenthetical=True), text) == [
        ("(1)", [1]), ("(2)", [2])]


# --- "[1, 2, (unpublished)]" --------------------------------------------------------------------------

def test_a_bracket_of_numbers_going_on_with_a_work_of_no_entry(realpdf: Path) -> None:
    # bmc-2026-s12889 page 5, right column: "... anxiety than men [47, 48, (Closson K, Card KG, Logi C, Aran N,
    # Sachal AS, Bratu A, et al: Gender differences in climate change anxiety, unpublished)]."
    paper = _parse(realpdf / "bmc-2026-s12889-026-27173-y.pdf")
    assert _cited(paper, "anxiety than men ", 4) == [("47, 48", ["47", "48"])]


def test_ieee_locators_inside_the_bracket() -> None:
    # IEEE's citation of a place in a work: "[3, p. 5]", "[2, pp. 12–15]", "[4, Sec. 2.1]", "[1, Fig. 3]"
    text = "as shown in [3, p. 5] and [2, pp. 12–15], see [4, Sec. 2.1], [1, Fig. 3] and [6, Ch. 4]."
    assert _found(find_numeric(text, 0, len(text), 40), text) == [("3", [3]), ("2", [2]), ("4", [4]), ("1", [1]),
                                                                   ("6", [6])]


@pytest.mark.parametrize("text", ["a dose of [5, 10 mg/kg] was given", "on [0, 1] only", "over [1, p] and [1, n-1]",
                                  "in [1, 2, 3, 4 and 5 mM]", "a range [1, 5, 10 Hz]", "in [2, 3; 8 mice]"])
def test_brackets_of_values_are_no_citation_groups(text: str) -> None:
    assert find_numeric(text, 0, len(text), 40) == []
