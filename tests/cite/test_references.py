"""Parsing one printed reference entry into CSL-JSON fields (reader/cite/references.py).

Every expected value below was read off the printed entry by hand (or, for the corpus cases, is the
publisher's own JATS markup). No Qt.
"""
from __future__ import annotations

import difflib
import html
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cite.references import fill_reference, parse_reference
from reader.model import Name, Reference

REPO = Path(__file__).resolve().parents[2]


def families(fields: Reference) -> list[str]:
    return [a.family or a.literal for a in fields.author]


# ----------------------------------------------------------------------------------------- the API

def test_parsing_gives_a_reference_with_no_identity_of_its_own():
    parsed = parse_reference("Avery SV. 2006. Microbial cell individuality. Nat Rev Microbiol 4:577–587.")
    assert isinstance(parsed, Reference) and parsed.id == "" and (parsed.start, parsed.end) == (-1, -1)


def test_fill_reference_sets_fields_and_keeps_identity():
    raw = "Avery SV. 2006. Microbial cell individuality. Nat Rev Microbiol 4:577–587. doi: 10.1038/nrmicro1460."
    ref = Reference(id="r7", raw=raw, start=120, end=220, note="kept")
    fill_reference(ref)
    assert (ref.id, ref.raw, ref.start, ref.end, ref.note) == ("r7", raw, 120, 220, "kept")
    assert ref.author == [Name(family="Avery", given="S. V.")]
    assert ref.issued == [2006]
    assert ref.title == "Microbial cell individuality"
    assert ref.container_title == "Nat Rev Microbiol"
    assert (ref.volume, ref.page, ref.DOI) == ("4", "577-587", "10.1038/nrmicro1460")
    assert ref.type == "article-journal"


@pytest.mark.parametrize("raw", ["", "   ", ".", "(", "2020", "et al.", "doi:", "https://example.org"])
def test_degenerate_entries_do_not_crash(raw):
    fields = parse_reference(raw)
    assert isinstance(fields, Reference) and fields.raw == raw


# ------------------------------------------------------------------ APA, from the seed paper (alam-mustafa)

SEED_TXT = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"
SEED_XML = REPO / "library" / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml"

AKHTAR = "Akhtar, N., & Ullah, B. (2024). Nexus between TTP and Afghan Taliban: Impacts on Pakistan-Afghanistan"
HUSSAIN = 'Hussain,.(2023,) Pakistan mosque bombing survivors traumatised but undeterred".Al Jazeera'
MANISHA = ('Manisha, P.(2023, July 4). "Pakistan registers 79% spike in terror attacks in 2023 so far than 2022, '
           'IndiaToday,')
CHAWLA = "Chawla, S. (Ed.). (2023). India's Neighbourhood: Challenges and Opportunities."
ABBAS = "Abbas, H. (2023). The return of the Taliban: Afghanistan after the Americans left. Yale University Press."


@pytest.mark.parametrize("entry", [AKHTAR, HUSSAIN, MANISHA, CHAWLA, ABBAS])
def test_seed_entries_are_real(entry):
    """The APA fixtures are copied from the seed paper, not invented."""
    if not SEED_TXT.exists():
        pytest.skip("seed paper not in library/")
    assert entry in " ".join(SEED_TXT.read_text(encoding="utf-8").split())


def test_apa_two_authors_with_ampersand():
    f = parse_reference(AKHTAR)
    assert families(f) == ["Akhtar", "Ullah"]
    assert [a.given for a in f.author] == ["N.", "B."]
    assert f.issued == [2024]
    assert f.title == "Nexus between TTP and Afghan Taliban: Impacts on Pakistan-Afghanistan"


def test_apa_surname_without_initials_and_a_comma_in_the_year():
    f = parse_reference(HUSSAIN)
    assert f.author == [Name(family="Hussain")]
    assert f.issued == [2023]
    assert f.title == "Pakistan mosque bombing survivors traumatised but undeterred"
    assert f.container_title == "Al Jazeera"


def test_apa_date_with_month_and_day_and_no_space_before_it():
    f = parse_reference(MANISHA)
    assert families(f) == ["Manisha"]
    assert f.issued == [2023, 7, 4]
    assert f.title == "Pakistan registers 79% spike in terror attacks in 2023 so far than 2022"
    assert f.container_title == "IndiaToday"


def test_apa_four_authors():
    f = parse_reference("Ahmad, R., Tahir, M., Jabeen, S., & Khanam, A. (2024). Afghanistan in Post-War Context: "
                        "Semiotic Representation of Taliban in Pakistani Print Media. Arbor.")
    assert families(f) == ["Ahmad", "Tahir", "Jabeen", "Khanam"]
    assert f.issued == [2024]
    assert f.title == "Afghanistan in Post-War Context: Semiotic Representation of Taliban in Pakistani Print Media"
    assert f.container_title == "Arbor"


def test_apa_editor_marker_is_not_part_of_the_name():
    f = parse_reference(CHAWLA)
    assert f.author == [Name(family="Chawla", given="S.")]
    assert f.issued == [2023]
    assert f.title == "India's Neighbourhood: Challenges and Opportunities"


def test_apa_book_with_publisher():
    f = parse_reference(ABBAS)
    assert f.title == "The return of the Taliban: Afghanistan after the Americans left"
    assert f.publisher == "Yale University Press"
    assert f.container_title == ""
    assert f.type == "book"


def test_apa_journal_volume_issue_pages():
    f = parse_reference("Aslam, W. (2023). Whose interest? Whose peace? An evaluation of Pakistan's peace agreements "
                        "with the Taliban in the Tribal areas (2004–2015). Studies in Conflict & Terrorism, 46(1), 21-45.")
    assert f.title == ("Whose interest? Whose peace? An evaluation of Pakistan's peace agreements with the Taliban "
                       "in the Tribal areas (2004–2015)")
    assert f.container_title == "Studies in Conflict & Terrorism"
    assert (f.volume, f.issue, f.page) == ("46", "1", "21-45")
    assert f.type == "article-journal"


def test_apa_title_case_subtitle_stays_in_the_title():
    f = parse_reference("Jadoon, A., & Lucas, C. (2024). Winning or Losing Hearts and Minds? Evidence from Afghanistan "
                        "on How Leadership Decapitation Affects Civilian Perceptions of Government Efficacy. The "
                        "Journal of Politics, 86(1), 216-230.")
    assert f.title.endswith("Perceptions of Government Efficacy")
    assert f.container_title == "The Journal of Politics"


def test_apa_fused_column_leftover_keeps_its_own_author_and_year():
    f = parse_reference("UMAROV, A. (2024). REGIONAL SECURITY COMPLEX IN CENTRAL ASIA AFTER THE TALIBAN TAKEOVER IN "
                        "AFGHANISTAN, 2021. Himalayan & Central Asian Studies, 28. Relations. Pakistan Social "
                        "Sciences Review, 8(2), 269-278.")
    assert f.author == [Name(family="UMAROV", given="A.")]
    assert f.issued == [2024]
    assert f.title.startswith("REGIONAL SECURITY COMPLEX IN CENTRAL ASIA")


# ------------------------------------------------------------- news and web items (the gadi XML record)

XML_ENTRIES = {
    "hrw": "Human Rights Watch, (2022). “Afghanistan: Economic Roots of the Humanitarian Crisis”, 01/03/2022. "
           "https://www.hrw.org/news/2022/03/01/afghanistan-economic-roots-humanitarian-crisis",
    "reuters": "Reuters. (2022). Indian officials meet Taliban in Kabul in first visit since U.S. exit. 02/06/2022. "
               "https://www.reuters.com/world/asia-pacific/indian-officials-visit-kabul-first-taliban-meet-since-us-left-2022-06-02/",
    "economic_times": "The Economic Times. (2022). “Pakistani airstrikes in Afghanistan may lead to more violent border "
                      "clashes”. 27/04/2022. https://economictimes.indiatimes.com/news/defence/pakistani-airstrikes-in-"
                      "afghanistan-may-lead-to-more-violent-border-clashes/articleshow/91116381.cms",
    "gul_a": "Gul, A. (2022A). “Taliban Claim US Drones Use Pakistan Airspace to Invade Afghanistan”, VOA. 28/08/2022.",
    "aamaj": "Aamaj News (2022). “Afghan-Indian relations would not be influenced by other countries’ inter-rivalry: "
             "Stanekzai”. 03/06/2022. https://aamajnews24.com/stanikzai-india-afg/",
    # (sic: the record's own broken escape)
    "dcaf": "DCAF and Geneva Call. (2015), Armed Non-State Actors: Current Trends and; Future Challenges, DCAF "
            "Horizon 2015 Working Paper No.5.",
    "mrg": "Minority Rights Group International. (N.D) “Pashtuns”. https://minorityrights.org/minorities/pashtuns/",
}


@pytest.mark.parametrize("key", sorted(XML_ENTRIES))
def test_xml_entries_are_real(key):
    if not SEED_XML.exists():
        pytest.skip("XML record not in library/")
    assert XML_ENTRIES[key] in " ".join(html.unescape(SEED_XML.read_text(encoding="utf-8")).split())


@pytest.mark.parametrize("key, literal", [("hrw", "Human Rights Watch"), ("reuters", "Reuters"),
                                          ("economic_times", "The Economic Times"), ("aamaj", "Aamaj News"),
                                          ("dcaf", "DCAF and Geneva Call"),
                                          ("mrg", "Minority Rights Group International")])
def test_corporate_authors_are_literal_names(key, literal):
    assert parse_reference(XML_ENTRIES[key]).author == [Name(literal=literal)]


def test_news_item_with_quoted_title_date_and_url():
    f = parse_reference(XML_ENTRIES["hrw"])
    assert f.issued == [2022]
    assert f.title == "Afghanistan: Economic Roots of the Humanitarian Crisis"
    assert f.URL == "https://www.hrw.org/news/2022/03/01/afghanistan-economic-roots-humanitarian-crisis"
    assert f.type == "webpage"


def test_unquoted_news_title_keeps_its_abbreviation():
    f = parse_reference(XML_ENTRIES["reuters"])
    assert f.title == "Indian officials meet Taliban in Kabul in first visit since U.S. exit"
    assert f.issued == [2022]


def test_news_outlet_after_the_quoted_title_is_the_container():
    f = parse_reference(XML_ENTRIES["gul_a"])
    assert f.title == "Taliban Claim US Drones Use Pakistan Airspace to Invade Afghanistan"
    assert f.container_title == "VOA"


@pytest.mark.parametrize("printed, suffix", [("(2022A)", "a"), ("(2022B)", "b"), ("(2022a)", "a")])
def test_upper_case_year_suffix_is_lowered(printed, suffix):
    f = parse_reference(f"Gul, A. {printed}. “Fresh Border Clashes Between Pakistan, Afghanistan's Taliban”, VOA.")
    assert f.author == [Name(family="Gul", given="A.")]
    assert (f.issued, f.year_suffix) == ([2022], suffix)


def test_no_date_gives_no_year():
    f = parse_reference(XML_ENTRIES["mrg"])
    assert f.issued == []
    assert f.title == "Pashtuns"
    assert f.URL == "https://minorityrights.org/minorities/pashtuns/"
    assert parse_reference("Smith, J. (n.d.). Some web page. Retrieved from https://example.org/p").issued == []
    assert parse_reference("Cephos. n.d.. Cephos home page.").issued == []


def test_corporate_name_without_year_before_a_quoted_title():
    f = parse_reference("France 24, “Pakistan’s ‘good Taliban-bad Taliban’ strategy backfires, posing regional "
                        "risks”, 09/02/2022. https://www.france24.com/en/asia-pacific/x")
    assert f.author == [Name(literal="France 24")]
    assert f.issued == [2022]
    assert f.title == "Pakistan’s ‘good Taliban-bad Taliban’ strategy backfires, posing regional risks"


def test_apa_initials_without_periods_between_commas():
    f = parse_reference("Ayalon, A. Raz, I, G. and Amiel, B. (2022). The United States Withdrawal from Afghanistan "
                        "after Two Decades of a Global War on Terrorism, Strategic Assessment, 25(1), 34-56.")
    assert families(f) == ["Ayalon", "Raz", "Amiel"]
    assert f.author[1].given == "I. G."
    assert f.container_title == "Strategic Assessment"
    assert (f.volume, f.issue, f.page) == ("25", "1", "34-56")


# ----------------------------------------------------------------------------------- eLife style

def test_elife_entry():
    f = parse_reference("Kitajima TS, Kawashima SA, Watanabe Y. 2004. The conserved kinetochore protein shugoshin "
                        "protects centromeric cohesion during meiosis. Nature 427:510–7. doi: 10.1038/nature02312.")
    assert f.author == [Name("Kitajima", "T. S."), Name("Kawashima", "S. A."), Name("Watanabe", "Y.")]
    assert f.issued == [2004]
    assert f.title == "The conserved kinetochore protein shugoshin protects centromeric cohesion during meiosis"
    assert (f.container_title, f.volume, f.page) == ("Nature", "427", "510-7")
    assert f.DOI == "10.1038/nature02312"


def test_elife_spaced_punctuation_as_pdfs_extract_it():
    f = parse_reference("Abascal F , Zardoya R , Posada D . 2005. ProtTest: selection of best-fit models of protein "
                        "evolution. Bioinformatics 21 :2104-2105")
    assert families(f) == ["Abascal", "Zardoya", "Posada"]
    assert f.issued == [2005]
    assert f.title == "ProtTest: selection of best-fit models of protein evolution"
    assert (f.container_title, f.volume, f.page) == ("Bioinformatics", "21", "2104-2105")


@pytest.mark.parametrize("year, suffix", [("2004a", "a"), ("2004b", "b")])
def test_year_suffix_tells_two_works_apart(year, suffix):
    f = parse_reference(f"Cao R, Zhang Y. {year}. The functions of E(Z)/EZH2-mediated methylation of lysine 27 in "
                        "histone H3. Curr Opin Genet Dev 14:155–64.")
    assert (f.issued, f.year_suffix) == ([2004], suffix)
    assert f.title == "The functions of E(Z)/EZH2-mediated methylation of lysine 27 in histone H3"
    assert f.container_title == "Curr Opin Genet Dev"


def test_et_al_is_not_an_author():
    f = parse_reference("Park HC, Kim C-H, Bae Y, Yeo S, et al. 2000. Analysis of upstream elements in the HuC "
                        "promoter. Dev Biol 227:279–93.")
    assert families(f) == ["Park", "Kim", "Bae", "Yeo"]
    assert f.author[1].given == "C.-H."


def test_particles_hyphens_accents_and_apostrophes_in_surnames():
    f = parse_reference("van der Lugt NM, Di Matteo T, de Boer R, O'Brien E, d’Herin P, Müller-Karger FE, Østlie K, "
                        "Van Essen DC. 2010. A title. J Phys 12:085009.")
    assert families(f) == ["van der Lugt", "Di Matteo", "de Boer", "O'Brien", "d’Herin", "Müller-Karger", "Østlie",
                           "Van Essen"]
    assert f.author[5].given == "F. E."


def test_elife_given_names_spelt_out():
    f = parse_reference("Buhler Cyril, Borde Valérie, Lichten Michael. 2007. Mapping meiotic single-strand DNA "
                        "reveals a new landscape of DNA double-strand breaks. PLOS Biology 5:e324.")
    assert families(f) == ["Buhler", "Borde", "Lichten"]
    assert f.author[0].given == "Cyril"


def test_elife_organisation_as_author():
    f = parse_reference("R Core Team. 2012. R: a language and environment for statistical computing. Vienna: R "
                        "Foundation for Statistical Computing.")
    assert f.author == [Name(literal="R Core Team")]
    assert f.title == "R: a language and environment for statistical computing"
    assert (f.publisher_place, f.publisher) == ("Vienna", "R Foundation for Statistical Computing")
    assert f.type == "book"


def test_doi_keeps_its_own_parentheses():
    f = parse_reference("Wagner MC, Pfister KK, Brady ST, Bloom GS. 1991. Purification of kinesin from bovine brain. "
                        "Methods Enzymol 196:157–75. doi: 10.1016/0076-6879(91)96016-K.")
    assert f.DOI == "10.1016/0076-6879(91)96016-K"


# ----------------------------------------------------------------------------------- PLOS and BMC

def test_plos_mixed_citation_with_spaced_year_and_pubmed_id():
    f = parse_reference("Van Essen DC, Smith SM, Barch DM, Behrens TE, Yacoub E, Ugurbil K, et al. ( 2013) The "
                        "WU-Minn Human Connectome Project: an overview. Neuroimage 80: 62 – 79. doi: "
                        "10.1016/j.neuroimage.2013.05.041 23684880")
    assert families(f)[:2] == ["Van Essen", "Smith"]
    assert f.issued == [2013]
    assert f.title == "The WU-Minn Human Connectome Project: an overview"
    assert (f.container_title, f.volume, f.page) == ("Neuroimage", "80", "62-79")
    assert f.DOI == "10.1016/j.neuroimage.2013.05.041"  # never the PubMed id that follows it
    assert f.PMID == "23684880"


def test_plos_label_doi_without_space():
    f = parse_reference("Raser JM, O'Shea EK (2005) Noise in gene expression: origins, consequences, and control. "
                        "Science 309: 2010–2013. doi:10.1126/science.1105891")
    assert families(f) == ["Raser", "O'Shea"]
    assert (f.issued, f.container_title, f.volume, f.page) == ([2005], "Science", "309", "2010-2013")
    assert f.DOI == "10.1126/science.1105891"


def test_bmc_without_punctuation():
    f = parse_reference("Avery SV Microbial cell individuality and the underlying sources of heterogeneity Nat Rev "
                        "Microbiol 2006 4 577 587 10.1038/nrmicro1460 16845428")
    assert f.author == [Name(family="Avery", given="S. V.")]
    assert f.issued == [2006]
    assert f.title == "Microbial cell individuality and the underlying sources of heterogeneity"
    assert (f.container_title, f.volume, f.page) == ("Nat Rev Microbiol", "4", "577-587")
    assert (f.DOI, f.PMID) == ("10.1038/nrmicro1460", "16845428")


def test_bmc_several_authors_run_together():
    f = parse_reference("Maamar H Raj A Dubnau D Noise in gene expression determines cell fate in Bacillus subtilis "
                        "Science 2007 317 526 529 10.1126/science.1140818 17569828")
    assert families(f) == ["Maamar", "Raj", "Dubnau"]
    assert f.title == "Noise in gene expression determines cell fate in Bacillus subtilis"
    assert f.container_title == "Science"


# ------------------------------------------------------------------------- numeric styles with labels

def test_vancouver_numbered():
    f = parse_reference("1. Avery SV. Microbial cell individuality and the underlying sources of heterogeneity. Nat "
                        "Rev Microbiol. 2006;4:577-87.")
    assert f.citation_number == "1"
    assert f.author == [Name(family="Avery", given="S. V.")]
    assert f.issued == [2006]
    assert f.title == "Microbial cell individuality and the underlying sources of heterogeneity"
    assert (f.container_title, f.volume, f.page) == ("Nat Rev Microbiol", "4", "577-87")


def test_vancouver_book_with_place_and_publisher():
    f = parse_reference("Kohn AJ. Conus of the southeastern United States and Caribbean. Princeton, NJ: Princeton "
                        "University Press; 2014.")
    assert families(f) == ["Kohn"]
    assert f.issued == [2014]
    assert f.title == "Conus of the southeastern United States and Caribbean"
    assert (f.publisher_place, f.publisher) == ("Princeton, NJ", "Princeton University Press")
    assert f.type == "book"


def test_ieee():
    f = parse_reference("[1] E. Braunwald, “Shattuck lecture: Cardiovascular medicine at the turn of the millennium: "
                        "triumphs, concerns, and opportunities,” New Engl J Med, vol. 337, no. 19, pp. 1360–1369, 1997.")
    assert f.citation_number == "1"
    assert f.author == [Name(family="Braunwald", given="E.")]
    assert f.title == ("Shattuck lecture: Cardiovascular medicine at the turn of the millennium: triumphs, concerns, "
                       "and opportunities")
    assert (f.container_title, f.volume, f.issue, f.page) == ("New Engl J Med", "337", "19", "1360-1369")
    assert f.issued == [1997]


def test_ieee_conference_paper():
    f = parse_reference('[2] A. B. Smith and C. D. Jones, "A quoted title," in Proc. IEEE Conf. Computer Vision, 2019, '
                        "pp. 1–9.")
    assert f.author == [Name("Smith", "A. B."), Name("Jones", "C. D.")]
    assert f.title == "A quoted title"
    assert f.container_title == "Proc. IEEE Conf. Computer Vision"
    assert (f.issued, f.page) == ([2019], "1-9")
    assert f.type == "paper-conference"


def test_label_without_period():
    f = parse_reference("12 Fyhrquist, F. and Saijonmaa, O. (2008) Renin-angiotensin system revisited. J. Intern. "
                        "Med. 264, 224–236")
    assert f.citation_number == "12"
    assert families(f) == ["Fyhrquist", "Saijonmaa"]
    assert f.issued == [2008]
    assert f.title == "Renin-angiotensin system revisited"
    assert (f.volume, f.page) == ("264", "224-236")


def test_a_leading_year_is_not_a_label():
    f = parse_reference("1993. Consensus development conference: diagnosis, prophylaxis, and treatment of "
                        "osteoporosis. Am J Med 94:646–650.")
    assert f.citation_number == ""
    assert f.issued == [1993]
    assert f.author == []
    assert f.title == "Consensus development conference: diagnosis, prophylaxis, and treatment of osteoporosis"


# ------------------------------------------------------------------------------------ Harvard, ACL

def test_harvard():
    f = parse_reference("Smith, J. 2012. Reading in the wild. Journal of Reading, 5(2), pp. 1-8.")
    assert f.author == [Name(family="Smith", given="J.")]
    assert f.issued == [2012]
    assert f.title == "Reading in the wild"
    assert (f.container_title, f.volume, f.issue, f.page) == ("Journal of Reading", "5", "2", "1-8")


def test_acl_given_names_first():
    f = parse_reference("Arman Cohan, Sergey Feldman, Iz Beltagy, Doug Downey, and Daniel S. Weld. 2020. SPECTER: "
                        "Document-level representation learning using citation-informed transformers. In Proceedings "
                        "of the 58th Annual Meeting of the Association for Computational Linguistics, pages 2270–2282.")
    assert families(f) == ["Cohan", "Feldman", "Beltagy", "Downey", "Weld"]
    assert f.author[4].given == "Daniel S."
    assert f.issued == [2020]
    assert f.title == "SPECTER: Document-level representation learning using citation-informed transformers"
    assert f.container_title == ("Proceedings of the 58th Annual Meeting of the Association for Computational "
                                 "Linguistics")
    assert f.page == "2270-2282"
    assert f.type == "paper-conference"


def test_chapter_in_edited_book():
    f = parse_reference("Lee, K. (2015). A chapter title. In: Brown, T., & Green, P. (Eds.), Big Book of Chapters "
                        "(pp. 10-20). London: Routledge.")
    assert f.title == "A chapter title"
    assert f.container_title == "Big Book of Chapters"
    assert f.page == "10-20"
    assert f.type == "chapter"


# ------------------------------------------------------------------------------------ DOI and URL

@pytest.mark.parametrize("printed", ["doi:10.1371/journal.pone.0088167", "doi: 10.1371/journal.pone.0088167.",
                                     "DOI 10.1371/journal.pone.0088167", "DOI: 10.1371/journal.pone.0088167;",
                                     "https://doi.org/10.1371/journal.pone.0088167",
                                     "http://dx.doi.org/10.1371/journal.pone.0088167.",
                                     "10.1371/journal.pone.0088167"])
def test_doi_forms(printed):
    f = parse_reference(f"Lv C, Li X. 2014. Constructing the energy landscape. PLOS ONE 9:e88167. {printed}")
    assert f.DOI == "10.1371/journal.pone.0088167"
    assert f.URL == ""  # a doi.org link is the DOI, not the URL


def test_url_is_the_first_link_that_is_not_the_doi():
    f = parse_reference("Smith, J. (2020). A page. https://doi.org/10.1000/xyz https://example.org/page, "
                        "https://example.org/other.")
    assert f.DOI == "10.1000/xyz"
    assert f.URL == "https://example.org/page"


def test_sici_doi_with_angle_brackets():
    f = parse_reference("Sanner MF, Olson AJ, Spehner JC. 1996. Reduced surface. Biopolymers 38:305–320. doi: "
                        "10.1002/(SICI)1097-0282(199603)38:3<305::AID-BIP4>3.0.CO;2-Y.")
    assert f.DOI == "10.1002/(SICI)1097-0282(199603)38:3<305::AID-BIP4>3.0.CO;2-Y"


# ------------------------------------------------------------------------------------------- type

@pytest.mark.parametrize("raw, kind", [
    ("Smith AB. 2001. A title. Cell 5:1-2.", "article-journal"),
    ("Bucur V. 2006. Acoustics of Wood. CRC Press.", "book"),
    ("Miller, D. (2018). Learning to read. In Proceedings of the Annual Meeting of the ACL (pp. 1-10).",
     "paper-conference"),
    ("Lee, K. (2015). A chapter. In: Brown, T. (Ed.), Big Book. London: Routledge.", "chapter"),
    (("Kaul, A. (2022). “In Afghanistan, Taliban Damage Border Fence”, Republicworld. 26/01/2022. "
      "https://www.republicworld.com/x.html"), "webpage"),
    ("Anon. 2008. CiteSeer. IST Scientific Literature Digital Library.", "document"),
])
def test_type(raw, kind):
    assert parse_reference(raw).type == kind


# ------------------------------------------------------------------- the corpus, against JATS truth

# (article, ref id): five entries per printed style, chosen to cover particles, accents, hyphens,
# spelt-out given names, year suffixes, et al., spaced punctuation and PubMed ids after the DOI.
CORPUS_CASES = {
    "eLife-style rendering": [("elife00013", "bib48"), ("elife00943", "bib3"), ("elife00593", "bib3"),
                              ("elife01273", "bib21"), ("elife01426", "bib65")],
    "PLOS mixed-citation": [("journal.pone.0078761", "B65"), ("journal.pcbi.1004692", "pcbi.1004692.ref050"),
                            ("journal.pone.0146913", "pone.0146913.ref020"), ("journal.pone.0119705", "pone.0119705.ref026"),
                            ("journal.pone.0067227", "B47")],
    "BMC mixed-citation": [("1471-2180-11-174", "B1"), ("1471-2180-11-174", "B5"), ("1471-2180-11-174", "B9"),
                           ("1471-2180-11-174", "B12"), ("1471-2180-11-174", "B18")],
}


@pytest.fixture(scope="module")
def citeval(shared_dir):
    sys.path.insert(0, str(shared_dir / "eval"))
    import citeval as module
    return module


@pytest.mark.parametrize("style, article, rid", [(s, a, r) for s, cases in CORPUS_CASES.items() for a, r in cases])
def test_corpus_entry_matches_jats_truth(citeval, corpus_dir, style, article, rid):
    truth = citeval.load_truth(corpus_dir / "jats" / f"{article}.xml")
    ref = next(r for r in truth.refs if r.rid == rid)
    for printed in (ref.text, f"12. {ref.text}"):  # as the evaluation prints numeric-style lists, too
        f = parse_reference(printed)
        assert citeval.fold(families(f)[0]) == citeval.fold(ref.family)
        assert str(f.issued[0]) == ref.year[:4]
        assert difflib.SequenceMatcher(None, citeval.norm_title(f.title), citeval.norm_title(ref.title)).ratio() >= 0.9
        if ref.doi:
            assert f.DOI.lower() == ref.doi.lower()


# ------------------------------------------------------------------ robustness and time

ADVERSARIAL = {
    "capitals": "A" * 100_000,
    "capital words": "ABC " * 25_000,
    "initials": "A. " * 33_000,
    "commas": ", " * 50_000,
    "periods": ". " * 50_000,
    "digits": "1 " * 50_000,
    "years": "2001. " * 16_000,
    "parenthesised years": "(2001) " * 14_000,
    "open parentheses": "(" * 100_000,
    "quotes": '"a" ' * 25_000,
    "APA names": "Smith, J., " * 9_000,
    "Vancouver names": "Smith AB, " * 10_000,
    "colons": "1:" * 50_000,
    "semicolons": "2001;" * 20_000,
    "dates": "1/2/2001 " * 11_000,
    "urls": "http://x " * 11_000,
    "pages": "pp. 1-2, " * 11_000,
    "no dates": "n.d. " * 20_000,
    "sentences": "Title. Journal 5:1-2. " * 4_500,
    "repeated APA entry": ("Abbas, H. (2023). The return of the Taliban: Afghanistan after the Americans left. Yale "
                           "University Press. ") * 900,
}


def test_adversarial_entries_take_linear_time():
    """100 KB of the shapes that make backtracking regexes explode: each must parse in well under a second."""
    slowest = 0.0
    for name, text in ADVERSARIAL.items():
        start = time.process_time()  # CPU, not wall: a busy machine must not fail it
        parse_reference(text)
        elapsed = time.process_time() - start
        slowest = max(slowest, elapsed)
        assert elapsed < 5, f"{name}: {elapsed:.2f} s"  # backtracking would take minutes
    assert slowest < 1.0  # the slowest takes about 0.06 s


def test_five_thousand_entries_in_well_under_a_second():
    entries = [
        ("Kitajima TS, Kawashima SA, Watanabe Y. 2004. The conserved kinetochore protein shugoshin protects "
         "centromeric cohesion during meiosis. Nature 427:510–7. doi: 10.1038/nature02312."),
        ("Van Essen DC, Smith SM, Barch DM, et al. ( 2013) The WU-Minn Human Connectome Project: an overview. "
         "Neuroimage 80: 62 – 79. doi: 10.1016/j.neuroimage.2013.05.041 23684880"),
        AKHTAR, HUSSAIN, MANISHA, XML_ENTRIES["hrw"], XML_ENTRIES["reuters"],
        "1. Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87.",
    ]
    batch = (entries * 700)[:5000]
    start = time.process_time()
    for entry in batch:
        parse_reference(entry)
    # about 2 s of CPU with the trained labeller, and up to 6 s on a machine shared with other work: the bound
    # catches a pattern that backtracks or a quadratic step (minutes), not speed (bench_parse_papers.py says that)
    assert time.process_time() - start < 20


_TOKENS = list("Aa Zz.,;:()[]\"'“”’1290-–/&é") + [
    "et al.", "(2001)", "2001.", "2004a", "In: ", "pp. ", "vol. ", "doi: 10.1000/x", " and ", "Smith, J.", "Smith AB",
    "n.d.", "https://x.org/y", "(Ed.)", "van der "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join))
def test_any_text_parses_to_well_formed_fields(text):
    f = parse_reference(text)
    assert all(isinstance(p, int) for p in f.issued)
    assert all(isinstance(a, Name) and (a.family or a.literal) for a in f.author)
    assert f.year_suffix == "" or (len(f.year_suffix) == 1 and f.year_suffix.islower())
    assert f.type in ("article-journal", "book", "chapter", "paper-conference", "webpage", "document")
