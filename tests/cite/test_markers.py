"""Finding citation markers in text: what is one, what is not, and exact spans."""
from __future__ import annotations

import time

import pytest

from reader.cite.markers import find_author_year, find_numeric


def author_year(text: str) -> list[tuple[str, list[tuple[list[str], bool, int | None, str]]]]:
    return [(text[m.start:m.end], [(i.names, i.et_al, i.year, i.suffix) for i in m.items])
            for m in find_author_year(text)]


@pytest.mark.parametrize("text, expected", [
    ("as shown (Shahbaz, 2023).", [("(Shahbaz, 2023)", [(["Shahbaz"], False, 2023, "")])]),
    ("safe heavens (Hussain 2023).", [("(Hussain 2023)", [(["Hussain"], False, 2023, "")])]),
    ("location (Bolsinger et al., 2024).", [("(Bolsinger et al., 2024)", [(["Bolsinger"], True, 2024, "")])]),
    ("both (Cao et al., 2002; Czermin et al., 2002).",
     [("(Cao et al., 2002; Czermin et al., 2002)", [(["Cao"], True, 2002, ""), (["Czermin"], True, 2002, "")])]),
    ("methylation (Cao and Zhang, 2004a) here", [("(Cao and Zhang, 2004a)", [(["Cao", "Zhang"], False, 2004, "a")])]),
    ("According to Ali (2020), the Taliban", [("Ali (2020)", [(["Ali"], False, 2020, "")])]),
    ("as Margueron and Reinberg (2010) showed",
     [("Margueron and Reinberg (2010)", [(["Margueron", "Reinberg"], False, 2010, "")])]),
    ("PRC2 (see Margueron and Reinberg, 2010 for a recent review).",
     [("(see Margueron and Reinberg, 2010 for a recent review)", [(["Margueron", "Reinberg"], False, 2010, "")])]),
    ("trees (Lartillot et al., 2007, 2009).",
     [("(Lartillot et al., 2007, 2009)", [(["Lartillot"], True, 2007, ""), (["Lartillot"], True, 2009, "")])]),
    ("an assessment (United Nations official, 2022).",
     [("(United Nations official, 2022)", [(["United Nations official"], False, 2022, "")])]),
    ("shown twice (Smith, 2010a, b).", [("(Smith, 2010a, b)", [(["Smith"], False, 2010, "a"), (["Smith"], False, 2010, "b")])]),
    ("as Bolsinger et al. (2024) argue", [("Bolsinger et al. (2024)", [(["Bolsinger"], True, 2024, "")])]),
    ("particles (El Bakkouri et al., 2010; Bermúdez de Castro et al., 2014).",
     [("(El Bakkouri et al., 2010; Bermúdez de Castro et al., 2014)",
       [(["El Bakkouri"], True, 2010, ""), (["Bermúdez de Castro"], True, 2014, "")])]),
    ("data of Jan et al. (2011) show", [("Jan et al. (2011)", [(["Jan"], True, 2011, "")])]),
    ("as McDonald (2019) found", [("McDonald (2019)", [(["McDonald"], False, 2019, "")])]),
    ("lethality (Baines et al., In press).", [("(Baines et al., In press)", [(["Baines"], True, None, "")])]),
    ("a comma list (Smith, 2010, Jones and Lee, 2012).",
     [("(Smith, 2010, Jones and Lee, 2012)", [(["Smith"], False, 2010, ""), (["Jones", "Lee"], False, 2012, "")])]),
])
def test_author_year_markers(text, expected):
    assert author_year(text) == expected


@pytest.mark.parametrize("text", [
    "Relations (1947-1998) were tense.",
    "the Tehreek-e-Taliban Pakistan (TTP) group",
    "Following August 2021 (August 2021) there",
    "significant (p < 0.05) effect",
    "as drawn (Figure 1A) and (Table 2, 2020 data)",
    "in the summer (June 2019)",
    "a value (n = 2012)",
    "methods compared: SciBERT (2019), ELMo (2018), SIF (2017), Sent-BERT (2019), Fasttext-sum (2017)",
])
def test_not_citations(text):
    assert author_year(text) == []


def test_item_spans_point_at_the_words():
    text = "known (see Cao et al., 2002; Czermin et al., 2002b)."
    marker = find_author_year(text)[0]
    assert [text[i.start:i.end] for i in marker.items] == ["Cao et al., 2002", "Czermin et al., 2002b"]


def numeric(text: str, **kw) -> list[tuple[str, list[int]]]:
    return [(text[m.start:m.end], [i.number for i in m.items]) for m in find_numeric(text, **kw)]


def test_numeric_markers():
    assert numeric("seen [1] and [1,2] and [3-5].", max_number=40) == [("[1]", [1]), ("[1,2]", [1, 2]),
                                                                       ("[3-5]", [3, 4, 5])]
    assert numeric("ranges [3]–[5] as PLOS writes them", max_number=40) == [("[3]–[5]", [3, 4, 5])]
    assert numeric("mixed [2, 7–9, 12]", max_number=40) == [("[2, 7–9, 12]", [2, 7, 8, 9, 12])]
    assert numeric("years [2014] are not", max_number=40) == []
    assert numeric("a statistic (F[1,12] = 1.50, p = 0.24) and an index x[3]", max_number=40) == []
    assert numeric("as reported (12).", max_number=40, parenthetical=True) == [("(12)", [12])]
    assert numeric("between (1947-1998) no", max_number=40, parenthetical=True) == []


def test_linear_time_on_hostile_text():
    nasty = "(" + "Smith, " * 20000 + "and so on" + " (Jones " * 20000 + "[1, " * 20000
    start = time.perf_counter()
    find_author_year(nasty)
    find_numeric(nasty, max_number=50, parenthetical=True)
    assert time.perf_counter() - start < 10  # quadratic or worse would take minutes


def test_narrative_years_naming_the_study():
    # wiley-2026-aphw.70157: "Lutz (2023 study 1; 2023 study 2; 2023 study 3)"
    text = "Finally, Lutz (2023 study 1; 2023 study 2; 2023 study 3) found the same."
    [marker] = find_author_year(text)
    assert [(i.names, i.year) for i in marker.items] == [(["Lutz"], 2023)] * 3
    assert text[marker.start:marker.end] == "Lutz (2023 study 1; 2023 study 2; 2023 study 3)"


def test_possessive_and_wiley_hyphen_in_names():
    # wiley-2026-aphw.70125 "Schönbrodt and Perugini's (2013)"; wiley-2026-2025gh001597 "Miles‐Novelo" (U+2010)
    [m1] = find_author_year("based on Schönbrodt and Perugini's (2013) recommendation")
    assert m1.items[0].names == ["Schönbrodt", "Perugini"]
    [m2] = find_author_year("are threatened (Miles\u2010Novelo & Anderson, 2022).")
    assert m2.items[0].names == ["Miles\u2010Novelo", "Anderson"]


# Forms printed in real publisher PDFs (Wiley, Springer, OUP; the strings as the PDFs print them)
@pytest.mark.parametrize("text, expected", [
    # APA: as many names as tell two works of the first author and year apart, and the study of a work
    ("studies (Hogg et al., 2021 study 2; and 2024 study 2; Lutz, Passmore, et al., 2023 study 2).",
     [("(Hogg et al., 2021 study 2; and 2024 study 2; Lutz, Passmore, et al., 2023 study 2)",
       [(["Hogg"], True, 2021, ""), (["Hogg"], True, 2024, ""), (["Lutz", "Passmore"], True, 2023, "")])]),
    # a space inside the bracket, a comma before it
    ("a key advantage noted by Toenders et al. ( 2024 ).", [("Toenders et al. ( 2024 )", [(["Toenders"], True, 2024, "")])]),
    ("infrastructure, Stuart and Ozawa-Meida, (2020) suggest",
     [("Stuart and Ozawa-Meida, (2020)", [(["Stuart", "Ozawa-Meida"], False, 2020, "")])]),
    # an organisation followed by two years, no comma
    ("Charters (World Health Organization 1987, 2005) which",
     [("(World Health Organization 1987, 2005)",
       [(["World Health Organization"], False, 1987, ""), (["World Health Organization"], False, 2005, "")])]),
    # "p." after the year is a page, not a suffix; "in press" is a second work
    ("(Chung & Yeung, 2020, p. 2, emphasis added)", [("(Chung & Yeung, 2020, p. 2, emphasis added)",
                                                      [(["Chung", "Yeung"], False, 2020, "")])]),
    ("(Lee et al. 2025a, in press)", [("(Lee et al. 2025a, in press)",
                                       [(["Lee"], True, 2025, "a"), (["Lee"], True, None, "")])]),
    # brackets inside the bracket
    ("subscale (r = .26, p < .001, 95% CI [.15, .36]; see Funder & Ozer, 2019, for justification).",
     [("(r = .26, p < .001, 95% CI [.15, .36]; see Funder & Ozer, 2019, for justification)",
       [(["Funder", "Ozer"], False, 2019, "")])]),
    ("(see Smith [2020] for a review)", [("Smith [2020]", [(["Smith"], False, 2020, "")])]),
])
def test_author_year_forms_of_publisher_pdfs(text, expected):
    assert author_year(text) == expected


def test_an_organisation_of_the_list_is_read_as_the_list_prints_it():
    known = frozenset({"nationalacademiesofsciencesengineeringandmedicine", "europeancommissioneaceaeurydice"})
    text = ("(National Academies of Sciences, Engineering and Medicine, 2024; "
            "European Commission/EACEA/Eurydice, 2019; Pedreschi, 2020)")
    found = [(i.names, i.year) for m in find_author_year(text, known_names=known) for i in m.items]
    assert found == [(["National Academies of Sciences, Engineering and Medicine"], 2024),
                     (["European Commission/EACEA/Eurydice"], 2019), (["Pedreschi"], 2020)]
    # without that entry in the list, the commas split it as before: no organisation is made up
    assert [i.names for m in find_author_year(text) for i in m.items][0] != \
        ["National Academies of Sciences, Engineering and Medicine"]


def test_running_text_numbers_that_cite_nothing():
    # a compound's polymer "[1]n" (Nature Communications Chemistry), counts in a bracket whose other part
    # is beyond the list (Frontiers: "(survey: 100; FGDs: 18)")
    assert find_numeric("Isolated as a white solid in a 90% yield, [1]n, made in", 0, None, 40) == []
    assert find_numeric("barriers to (survey: 100; FGDs: 18) environmental", 0, None, 60, parenthetical=True) == []
    assert [m.items[0].number for m in find_numeric("as reviewed (see 12; Figure 3)", 0, None, 60,
                                                      parenthetical=True)] == [12]


def test_a_word_and_a_comma_before_a_narrative_citation_are_not_a_name():
    # mdpi-2026-bs16050636, springer-2023-s12053-023-10099-4
    assert author_year("Recently, Regnoli et al. (2024b) found") == [
        ("Regnoli et al. (2024b)", [(["Regnoli"], True, 2024, "b")])]
    assert author_year("Likewise, Cornelius et al. (2014) found") == [
        ("Cornelius et al. (2014)", [(["Cornelius"], True, 2014, "")])]
