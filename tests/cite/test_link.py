"""Linking items to entries, both directions, on small hand-built reference lists."""
from __future__ import annotations

from reader.cite.link import ReferenceIndex, citing_places, link_markers, uncited_references
from reader.cite.markers import find_author_year, find_numeric
from reader.model import Name, Paper, Reference


def ref(rid, families, year, suffix="", number=""):
    return Reference(id=rid, raw=f"{', '.join(families)} {year}{suffix}", author=[Name(f) for f in families],
                     issued=[year] if year else [], year_suffix=suffix, citation_number=number)


REFS = [
    ref("r1", ["Hussain", "Khan"], 2023),
    ref("r2", ["Hussain"], 2023),
    ref("r3", ["Ahmad", "Tahir", "Jabeen", "Khanam"], 2024),
    ref("r4", ["Cao", "Zhang"], 2004, "a"),
    ref("r5", ["Cao", "Zhang"], 2004, "b"),
    ref("r6", ["Smith"], 2010),
    ref("r7", ["Smith", "Jones", "Lee"], 2010),
    ref("r8", ["Müller", "Lee"], 2001),
    ref("r9", ["Nobody"], 1999),
]


def link(text):
    index = ReferenceIndex(REFS)
    return [(c.text, [(i.status, i.refs, i.suggestions) for i in c.items])
            for c in link_markers(find_author_year(text), index, text)]


def test_et_al_prefers_more_authors_and_a_lone_name_prefers_one_author():
    assert link("(Hussain et al., 2023)") == [("(Hussain et al., 2023)", [("resolved", ["r1"], [])])]
    assert link("(Hussain 2023)") == [("(Hussain 2023)", [("resolved", ["r2"], [])])]


def test_suffix_tells_works_apart_and_its_absence_is_ambiguous():
    assert link("(Cao and Zhang, 2004a)") == [("(Cao and Zhang, 2004a)", [("resolved", ["r4"], [])])]
    assert link("(Cao and Zhang, 2004b)") == [("(Cao and Zhang, 2004b)", [("resolved", ["r5"], [])])]
    assert link("(Cao and Zhang, 2004)") == [("(Cao and Zhang, 2004)", [("ambiguous", ["r4", "r5"], [])])]


def test_unresolved_items_get_suggestions():
    assert link("(Ahmad, 2023)") == [("(Ahmad, 2023)", [("unresolved", [], ["r3"])])]
    assert link("(Jamal, 2021)") == [("(Jamal, 2021)", [("unresolved", [], [])])]
    assert link("(Hussein, 2023)") == [("(Hussein, 2023)", [("unresolved", [], ["r1", "r2"])])]


def test_names_are_case_and_diacritics_tolerant():
    assert link("(Muller and Lee, 2001)") == [("(Muller and Lee, 2001)", [("resolved", ["r8"], [])])]
    assert link("(MÜLLER & LEE, 2001)") == [("(MÜLLER & LEE, 2001)", [("resolved", ["r8"], [])])]


def test_two_names_must_both_match():
    assert link("(Smith and Jones, 2010)") == [("(Smith and Jones, 2010)", [("resolved", ["r7"], [])])]
    assert link("(Smith et al., 2010)") == [("(Smith et al., 2010)", [("resolved", ["r7"], [])])]
    assert link("(Smith, 2010)") == [("(Smith, 2010)", [("resolved", ["r6"], [])])]


def test_numeric_items_resolve_by_number():
    refs = [ref(f"r{i}", ["X"], 2000, number=str(i)) for i in range(1, 8)]
    text = "as in [2] and [3]–[5] and [9]"
    cits = link_markers(find_numeric(text, max_number=7), ReferenceIndex(refs), text)
    assert [[i.refs for i in c.items] for c in cits] == [[["r2"]], [["r3"], ["r4"], ["r5"]]]


def test_both_directions():
    text = "First (Smith, 2010). Then (Hussain 2023; Smith, 2010). Last (Cao and Zhang, 2004)."
    paper = Paper(id="x", source_path="", format="text", text=text, references=REFS)
    paper.citations = link_markers(find_author_year(text), ReferenceIndex(REFS), text)
    places = citing_places(paper)
    assert [c.text for c in places["r6"]] == ["(Smith, 2010)", "(Hussain 2023; Smith, 2010)"]
    assert [c.text for c in places["r4"]] == ["(Cao and Zhang, 2004)"]  # a candidate counts as a place
    assert [r.id for r in uncited_references(paper)] == ["r1", "r3", "r7", "r8", "r9"]


def test_a_label_before_the_names_is_skipped_when_the_author_is_listed():
    refs = REFS + [ref("r10", ["Thomsen", "Berger"], 2009)]
    text = "helicases (E1, Smith, 2010; Rho, Thomsen and Berger, 2009) bind"
    index = ReferenceIndex(refs)
    known = frozenset(names[0] for names in index.families.values() if names)
    cits = link_markers(find_author_year(text, known_names=known), index, text)
    assert [[(i.status, i.refs) for i in c.items] for c in cits] == [[("resolved", ["r6"]), ("resolved", ["r10"])]]


def test_an_organisation_cited_by_its_acronym():
    # wiley-2026-aphw.70157: "(NHS, 2022)" cites "National Health Service. 2022. ...", "(APA, 2024)" the
    # American Psychological Association; mdpi-2026-ijerph23010076 prints the short form in brackets
    refs = [Reference(id="n", raw="National Health Service. 2022.", author=[Name(literal="National Health Service")],
                      issued=[2022]),
            Reference(id="a", raw="American Psychological Association. (2024).",
                      author=[Name(literal="American Psychological Association")], issued=[2024]),
            Reference(id="c", raw="Centraal Bureau voor de Statistiek (CBS). 2024.",
                      author=[Name(literal="Centraal Bureau voor de Statistiek (CBS)")], issued=[2024]),
            Reference(id="s", raw="Smith J. 2024.", author=[Name("Smith", "J.")], issued=[2024])]
    text = "worry (NHS, 2022), threat (APA, 2024), survey (CBS, 2024), nobody (ABC, 2024)."
    index = ReferenceIndex(refs)
    got = [(i.label, i.status, i.refs) for c in link_markers(find_author_year(text), index, text) for i in c.items]
    assert got == [("NHS, 2022", "resolved", ["n"]), ("APA, 2024", "resolved", ["a"]),
                   ("CBS, 2024", "resolved", ["c"]), ("ABC, 2024", "unresolved", [])]


def test_a_dotless_i_from_the_pdf_still_matches_the_accented_name():
    # frontiers-2026-fpls.2026.1798826 prints "Osorio-Marın" in the text, "Osorio-Marín" in the list
    refs = [ref("r1", ["Osorio-Marín", "Fernández"], 2024)]
    text = "variable climates (Osorio-Marın et al., 2024)."
    index = ReferenceIndex(refs)
    assert [i.refs for c in link_markers(find_author_year(text), index, text) for i in c.items] == [["r1"]]


def _given(rid, people, year):
    """Entries with given names: ``people`` as (family, given) pairs."""
    return Reference(id=rid, raw=f"{people[0][0]} {year}", author=[Name(f, g) for f, g in people], issued=[year])


def test_names_and_initials_that_tell_two_works_of_one_first_author_and_year_apart():
    # wiley-2026-aphw.70157 and aphw.70125, as their PDFs print the citations and the entries
    refs = [_given("r1", [("Lutz", "P. K."), ("Passmore", "H.-A."), ("Howell", "A. J."), ("Zelenski", "J. M.")], 2023),
            _given("r2", [("Lutz", "P. K."), ("Zelenski", "J. M."), ("Newman", "D. B.")], 2023),
            _given("r3", [("Feldman Barrett", "L.")], 2006),
            _given("r4", [("Feldman Barrett", "L. F.")], 2006),
            _given("r5", [("Leites", "L."), ("Garzón", "M. Benito")], 2023)]
    index = ReferenceIndex(refs)
    known = frozenset(names[0] for names in index.families.values() if names)  # as the engine passes them

    def linked(text):
        return [(i.status, i.refs) for c in link_markers(find_author_year(text, known_names=known), index, text)
                for i in c.items]

    assert linked("(Lutz, Passmore, et al., 2023)") == [("resolved", ["r1"])]
    assert linked("(Lutz, Zelenski, & Newman, 2023)") == [("resolved", ["r2"])]
    # "Lutz et al. (2023)" alone is truly ambiguous: both stay candidates, for the reader to show
    assert linked("Lutz et al. (2023)") == [("ambiguous", ["r1", "r2"])]
    assert linked("(L. Feldman Barrett, 2006; L. F. Feldman Barrett, 2006)") == [("resolved", ["r3"]),
                                                                                ("resolved", ["r4"])]
    # a two-word surname the list's given-first name split as "M. Benito" + "Garzón"
    assert linked("(Leites and Benito Garzón 2023)") == [("resolved", ["r5"])]


def test_one_group_naming_the_same_authors_and_year_twice_cites_both_works_in_list_order():
    # wiley-2026-desc.70217: two entries "van de Wetering, J., S. Grapsas, A. Poorthuis, and S. Thomaes. 2025."
    people = [("van de Wetering", "J."), ("Grapsas", "S."), ("Poorthuis", "A."), ("Thomaes", "S.")]
    index = ReferenceIndex([_given("r1", people, 2025), _given("r2", people, 2025)])
    text = "(Thomaes et al. 2023; van de Wetering et al. 2025, 2025)"
    items = [(i.status, i.refs) for c in link_markers(find_author_year(text), index, text) for i in c.items]
    assert items == [("unresolved", []), ("resolved", ["r1"]), ("resolved", ["r2"])]
    text = "(van de Wetering et al. 2025)"
    assert [(i.status, i.refs) for c in link_markers(find_author_year(text), index, text) for i in c.items] == [
        ("ambiguous", ["r1", "r2"])]
    # two studies of one work are no two works
    text = "van de Wetering et al. (2025 study 2; 2025 study 3)"
    assert [(i.status, i.refs) for c in link_markers(find_author_year(text), index, text) for i in c.items] == [
        ("ambiguous", ["r1", "r2"]), ("ambiguous", ["r1", "r2"])]
