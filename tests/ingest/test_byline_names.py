"""The paper's authors from a byline: compound family names, particles, affiliation letters set on the
line, bylines in capitals.

Expected values read off the rendered first pages (pymupdf, 80 dpi).
"""
from __future__ import annotations

from reader.ingest.frontmatter import parse_author_line
from reader.ingest.pdf import load_pdf
from reader.ingest.pdf_metadata import _capitals_byline, _with_compound_family
from reader.model import Name


def _load(path):
    return load_pdf(path.read_bytes(), str(path))


def _names(names) -> list[tuple[str, str]]:
    return [(n.family, n.given) for n in names]


def test_a_lower_case_particle_after_the_given_name_starts_the_family_name() -> None:
    assert _names(parse_author_line("Eilish McLoughlin · Raquel de Castro Rodrigues Lima · Suzan Marie Günbay")) == [
        ("McLoughlin", "Eilish"), ("de Castro Rodrigues Lima", "Raquel"), ("Günbay", "Suzan Marie")]
    assert _names(parse_author_line("Marc De Hert, Jan van der Berg")) == [("De Hert", "Marc"), ("van der Berg", "Jan")]


def test_dutch_te_and_a_middle_initial_e() -> None:
    assert _names(parse_author_line("Suzanne van de Groep, Lysanne W. te Brinke")) == [
        ("van de Groep", "Suzanne"), ("te Brinke", "Lysanne W.")]
    # a capital E is an initial, not the particle "e" of "Reis e Sousa"
    assert _names(parse_author_line("Fattane Zarrinkalam, PhD; Jennifer E McWhirter, PhD")) == [
        ("Zarrinkalam", "Fattane"), ("McWhirter", "Jennifer E")]


def test_affiliation_letters_set_on_the_line_separate_names() -> None:
    assert _names(parse_author_line("Omkulthom Al kamaly, a Lateefa A. Al-Khateeb,b Michael K. Halim, c")) == [
        ("Al kamaly", "Omkulthom"), ("Al-Khateeb", "Lateefa A."), ("Halim", "Michael K.")]
    assert _names(parse_author_line("Galal Magdy de and Ahmed Emad F. Abbas *c")) == [
        ("Magdy", "Galal"), ("Abbas", "Ahmed Emad F.")]
    assert parse_author_line("Peter a Mann") == []  # no word in lower case in a name otherwise


def test_a_citation_line_in_family_initials_form_makes_a_two_word_family() -> None:
    cited = "Cite this article: Boutros T, Abou Rjeily J, Shuwiekh HAM, Helmy M (2026) ..."
    assert _with_compound_family(Name(family="Rjeily", given="Jana Abou"), cited) == Name("Abou Rjeily", "Jana")
    # the given names that the citation gives as initials stay given names
    assert _with_compound_family(Name(family="Shuwiekh", given="Hanaa Ahmed Mohamed"), cited) == \
        Name("Shuwiekh", "Hanaa Ahmed Mohamed")
    # no evidence: the last word is the family name
    assert _with_compound_family(Name(family="Pai", given="Reshma Kochikar"), "Reshma Kochikar Pai et al") == \
        Name("Pai", "Reshma Kochikar")


def test_a_byline_in_capitals_is_read_from_the_lead_authors_line() -> None:
    lines = ["REVIEWS", "BEVERLY N. NDIFOIN**", "FRANCKY TEDDY ENDOMBA", "AIMÉ GILBERT MBONDA NOULA",
             "*Author affiliations can be found in the back matter of this article"]
    assert _names(_capitals_byline(lines, "Ndifoin")) == [
        ("Ndifoin", "Beverly N."), ("Endomba", "Francky Teddy"), ("Noula", "Aimé Gilbert Mbonda")]
    assert _capitals_byline(lines, "") == [] and _capitals_byline(["REVIEWS", "OPEN ACCESS"], "Access") == []


def test_plos_byline_takes_compound_families_from_the_citation_box(realpdf) -> None:
    paper = _load(realpdf / "plos-2025-journal.pone.0322878.pdf")
    families = [a.family for a in paper.authors]
    assert families[:7] == ["Wiemeyer", "Uhart", "Rodríguez Planes", "Rago", "Guillemi", "Chang Reissig", "Raño"]
    assert paper.authors[2].given == "Lucía"


def test_rsc_byline_beside_the_title(realpdf) -> None:
    paper = _load(realpdf / "rsc-2025-d5ra05505a.pdf")
    assert [a.family for a in paper.authors] == ["Al kamaly", "Al-Khateeb", "Halim", "Magdy", "Abbas"]


def test_ubiquity_byline_in_capitals(realpdf) -> None:
    paper = _load(realpdf / "ubiquity-2026-aogh.5110.pdf")
    # a grid of two columns; the first author leads, all six are there
    assert paper.authors[0] == Name("Ndifoin", "Beverly N.")
    assert sorted(a.family for a in paper.authors) == ["Endomba", "Jumbam", "Kanmounye", "Kukuia", "Ndifoin", "Noula"]


def test_wiley_byline_with_dutch_particles(realpdf) -> None:
    paper = _load(realpdf / "wiley-2026-desc.70217.pdf")
    assert [a.family for a in paper.authors] == ["Kramer", "van de Wetering", "van de Groep", "te Brinke",
                                                  "Toenders", "Green", "Crone"]


def test_a_byline_line_whose_end_sorts_above_its_start(realpdf) -> None:
    # "Saraporn Harikarnpakdee1 and Chomnapas Chuchote2" on one line; the text layer gives "1 and Chomnapas
    # Chuchote2" first (the first name in another font)
    paper = _load(realpdf / "hindawi-2018-3127214.pdf")
    assert [a.family for a in paper.authors] == ["Harikarnpakdee", "Chuchote"]
