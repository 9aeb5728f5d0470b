"""Reference entries as real publisher PDFs print them, whose first author, year or title the parser read
wrong: one test per kind of entry (the entries are copied from the PDFs' text layers; the expected fields were
read on the rendered reference pages)."""
from __future__ import annotations

import pytest

from reader.cite.names import name_from_words
from reader.cite.references import parse_reference


def first_family(ref) -> str:
    first = ref.author[0]
    return first.literal or first.family


def families(ref) -> list[str]:
    return [a.literal or a.family for a in ref.author]


# --------------------------------------------------------------------------------------------- names

def test_vancouver_compound_surnames_beside_a_plain_one():
    # BMC: two words before the initials are one surname when another person of the list has initials alone
    ref = parse_reference("35. Hamlaci Baskaya Y, Unlu Bidik N, Yolcu B. The effect of level of anxiety about climate "
                          "change on the use of feminine hygiene products. Int J Gynaecol Obstet. 2024;165(3):1158–66.")
    assert families(ref) == ["Hamlaci Baskaya", "Unlu Bidik", "Yolcu"]
    assert ref.title == "The effect of level of anxiety about climate change on the use of feminine hygiene products"


def test_vancouver_separated_initials_close_the_list():
    # PLOS: "Kadam V J." the last initial alone before the period, in a list without periods
    ref = parse_reference("35. Deshpande V, Jadhav VM, Kadam V J. In-vitro anti-arthritic activity of Abutilon "
                          "indicum (Linn.) Sweet. J Pharm Res. 2009; 2(4):644–45.")
    assert families(ref) == ["Deshpande", "Jadhav", "Kadam"]
    assert ref.title == "In-vitro anti-arthritic activity of Abutilon indicum (Linn.) Sweet"


@pytest.mark.parametrize("entry, first, title", [
    # Cambridge: a surname closed by an apostrophe for an elided accent
    ("[13] Betro’ S. From eco-anxiety to eco-hope: surviving the climate change threat. Front Psych. "
     "2024;15:1429571. doi:10.3389/fpsyt.2024.1429571.", "Betro’",
     "From eco-anxiety to eco-hope: surviving the climate change threat"),
    # BMC: hyphenated given names abbreviated to their parts ("B-l C")
    ("24. B-l C, E-d L, Yamawuchi K, Kato K, Naganawa S, W-j M. Impact of adjustment measures on reducing outpatient "
     "waiting time in a community hospital: application of a computer simulation. Chin Med J. 2010;123(5):574–80.",
     "B-l", "Impact of adjustment measures on reducing outpatient waiting time in a community hospital: application "
     "of a computer simulation"),
])
def test_surname_shapes_before_a_last_initial(entry, first, title):
    ref = parse_reference(entry)
    assert first_family(ref) == first
    assert ref.title == title


def test_frontiers_initials_in_capitals_after_a_comma_are_a_persons():
    # "Hadie, SNH": three capitals after a surname are initials, not an organisation's acronym
    ref = parse_reference("23. Hadie, SNH. Abc of a scoping review: a simplified JBI scoping review guideline. "
                          "Educ Med J. (2024) 16:185–97. doi: 10.21315/eimj2024.16.2.7")
    assert [(a.family, a.given) for a in ref.author] == [("Hadie", "S. N. H.")]
    ref = parse_reference("8. Boonstra, WJ, and Hanh, TTH. Adaptation to climate change as social-ecological trap: "
                          "tam Giang lagoon, Vietnam. Environ Dev Sustain. (2015) 17:1527–44.")
    assert families(ref) == ["Boonstra", "Hanh"]


def test_given_first_list_closed_by_a_period():
    # mums: "A. Gustafsson. Short term ...": the last name ends with a period, not a comma
    ref = parse_reference("96. A. Sofrata, F. Brito, M. Al-Otaibi, A. Gustafsson. Short term clinical effect of active "
                          "and inactive Salvadora persica miswak on dental plaque and gingivitis, J Ethnopharmacol "
                          "137 (2011) 1130-1134.")
    assert families(ref) == ["Sofrata", "Brito", "Al-Otaibi", "Gustafsson"]
    assert ref.title.startswith("Short term clinical effect")
    # but a list closed by "and" is complete, and "J. Mater." is a journal (RSC, no title)
    ref = parse_reference("2 D. Locker, S. T. Reisine and G. D. Slade, J. Mater. Chem. A, 2019, 7, 1234–1240.")
    assert families(ref) == ["Locker", "Reisine", "Slade"]


@pytest.mark.parametrize("entry, names", [
    # Wiley: a given-first surname that opens with a particle, several words long
    ("[7] D. Di Menno Bucchianico, Y. Wang, J.-C. Buvat, Y. Pan, V. Casson Moreno, S. Leveneur, Green Chem. 2022, "
     "24, 614–646.", ("Di Menno Bucchianico", "D.")),
    # RSC: Arabic "Abd" opens the surname
    ("18 S. M. Abd Elhaleem, F. Belal, Y. El-Shabrawy and M. El-Maghrabey, Sustainable Chem. Pharm., 2025, 43, "
     "101911.", ("Abd Elhaleem", "S. M.")),
])
def test_given_first_surname_from_its_particle(entry, names):
    first = parse_reference(entry).author[0]
    assert (first.family, first.given) == names


def test_rsc_last_initial_without_its_period():
    ref = parse_reference("2 G. G. Kalyankar, P. N. Desai, P. B. Prajapati, S. R. Lodha, S. V Joshi, K. B. Bodiwala, "
                          "A. A. Mishra and S. A. Shah, J. Chromatogr. Sci., 2022, 60, 179–185.")
    assert families(ref)[4] == "Joshi" and len(ref.author) == 8
    assert ref.title == "" and ref.container_title == "J. Chromatogr. Sci"


def test_hindawi_accent_set_as_a_combining_mark():
    ref = parse_reference("[17] A. Ambrozaitis, K. Z\u0306agminas, G. Balc\u0306iu\u0304naite, and A. Widell, "
                          "“Hepatitis C in Lithuania: incidence, prevalence, risk factors and viral genotypes,” "
                          "Clinical and Diagnostic Virology, vol. 4, no. 4, pp. 273–284, 1995.")
    assert len(ref.author) == 4 and ref.author[3].family == "Widell"
    assert ref.title == "Hepatitis C in Lithuania: incidence, prevalence, risk factors and viral genotypes"


def test_nature_comma_glued_to_the_initials():
    # the text layer lost the space after the comma: "Gentner,T. X., Kennedy,A. R."
    ref = parse_reference("8. Gentner,T. X., Kennedy,A. R., Hevia,E. & Mulvey,R. E. AlkaliMetal (Li, Na, K, Rb, Cs) "
                          "mediation in magnesium hexamethyldisilazide [Mg(HMDS)2] catalysed transfer hydrogenation of "
                          "alkenes. ChemCatChem 13, 2371–2378 (2021).")
    assert families(ref) == ["Gentner", "Kennedy", "Hevia", "Mulvey"]
    assert ref.title.startswith("AlkaliMetal (Li, Na, K, Rb, Cs) mediation")


@pytest.mark.parametrize("entry, authors", [
    ("27. Rijksinstituut voor Volksgezondheid en Milieu (RIVM). Gezondheidsonderzoek-COVID-19: Kwartaalonderzoek "
     "Jongeren; RIVM: Bilthoven, The Netherlands, 2023.", ["Rijksinstituut voor Volksgezondheid en Milieu (RIVM)"]),
    ("48. Administración de Parques Nacionales (APN). Sistema de Información de Biodiversidad. http://www.sib.gob.ar. "
     "2024.", ["Administración de Parques Nacionales (APN)"]),
    ("37. Fundación Rewilding Argentina. Crónicas del Rewilding (Blog). 2022. Los Tapires y el mal de las caderas en "
     "Iberá.", ["Fundación Rewilding Argentina"]),
    ("3. WHO; WIPO; WTO. Antimicrobial Resistance: How to Foster Innovation, Access and Appropriate Use of "
     "Antibiotics? In Proceedings of the a Joint Technical Symposium by WHO, WIPO and WTO, Geneva, Switzerland, "
     "25 October 2016.", ["WHO", "WIPO", "WTO"]),
    ("34. Siewert M, Dressman J, Brown CK, Shah VP; FIP; AAPS. FIP/AAPS guidelines to dissolution/in vitro release "
     "testing of novel/special dosage forms. AAPS PharmSciTech. 2003; 4(1):E7.",
     ["Siewert", "Dressman", "Brown", "Shah", "FIP", "AAPS"]),
])
def test_organisations_as_authors(entry, authors):
    assert families(parse_reference(entry)) == authors


def test_a_title_run_into_the_names_is_no_name():
    # MDPI: the year closes the entry, so "R. Public Risk Perceptions, ..., and Responses to ..." is the title
    ref = parse_reference("54. Reser, J.; Bradley, G.; Glendon, I.; Ellul, M.; Callaghan, R. Public Risk Perceptions, "
                          "Understandings, and Responses to Climate Change and Natural Disasters in Australia and "
                          "Great Britain. 2012. Available online: https://nccarf.edu.au/public-risk/ "
                          "(accessed on 1 May 2024).")
    assert families(ref) == ["Reser", "Bradley", "Glendon", "Ellul", "Callaghan"]
    assert ref.title == ("Public Risk Perceptions, Understandings, and Responses to Climate Change and Natural "
                         "Disasters in Australia and Great Britain")


def test_a_capital_letter_alone_is_an_initial_not_a_particle():
    # "Marvin E Tanenbaum": E is his middle initial ("e" in lower case is a particle: "Reis e Sousa")
    assert (name_from_words(["Marvin", "E", "Tanenbaum"]).family, name_from_words(["Marvin", "E", "Tanenbaum"]).given) \
        == ("Tanenbaum", "Marvin E")
    assert name_from_words(["Ivan", "E.", "de", "Araujo"]).family == "de Araujo"
    assert name_from_words(["Maria", "de", "Souza"]).family == "de Souza"


# ------------------------------------------------------------------------------------- title and venue

@pytest.mark.parametrize("entry, title", [
    ("73. Norgaard, K.M. Living in Denial: Climate Change, Emotions, and Everyday Life; MIT Press: Cambridge, MA, USA, "
     "2011.", "Living in Denial: Climate Change, Emotions, and Everyday Life"),
    ("41. Geeris, J.; Roumen, J.; Ivens, A.; Honkoop, H.P. Monitor Duurzaam Leven 2023: Hoe Duurzaam Leeft Nederland? "
     "Monitoring van 98 Duurzame Keuzes en Openheid Tot Duurzaam Gedrag; Milieu Centraal: Amsterdam, The Netherlands, "
     "2023.", "Monitor Duurzaam Leven 2023: Hoe Duurzaam Leeft Nederland? Monitoring van 98 Duurzame Keuzes en "
     "Openheid Tot Duurzaam Gedrag"),
    ("3. Clayton, S.; Manning, C.M.; Krygsman, K.; Speiser, M. Mental Health and Our Changing Climate: Impacts, "
     "Implications, and Guidance; American Psychological Association: Washington, DC, USA; ecoAmerica: Washington, "
     "DC, USA, 2017.", "Mental Health and Our Changing Climate: Impacts, Implications, and Guidance"),
    ("31. Howell, D.C. Statistical Methods for Psychology, 6th ed.; [International Student Ed.]; Thomson/Wadsworth: "
     "Belmont, CA, USA, 2007; ISBN 978-0-495-09361-9.", "Statistical Methods for Psychology"),
])
def test_mdpi_book_title_runs_to_the_first_semicolon(entry, title):
    ref = parse_reference(entry)
    assert ref.title == title
    assert ref.type == "book" and ref.publisher


def test_mdpi_chapter_keeps_its_container():
    ref = parse_reference("5. Smith, J.; Lee, K. Soil carbon. In Handbook of Soils; Brown, A., Ed.; Springer: Cham, "
                          "Switzerland, 2019; pp. 1–20.")
    assert ref.title == "Soil carbon"
    assert ref.container_title.startswith("Handbook of")


@pytest.mark.parametrize("entry, title, journal", [
    ("32. Nadin, M. Semiotic machine. Public J. Semiot. 2007, 1, 57–75. [CrossRef]", "Semiotic machine",
     "Public J. Semiot"),
    ("39. Liu, C.; Yavar, Z.; Sun, Q. Cardiovascular Response to Thermoregulatory Challenges. Am. J. Physiol. Heart "
     "Circ. Physiol. 2015, 309, H1793–H1812. [CrossRef]", "Cardiovascular Response to Thermoregulatory Challenges",
     "Am. J. Physiol. Heart Circ. Physiol"),
    ("40. Chen, L.C.; Papandreou, G.; Kokkinos, I.; Murphy, K.; Yuille, A.L. DeepLab: Semantic image segmentation "
     "with deep convolutional nets, atrous convolution, and fully connected CRFs. IEEE Trans. Pattern Anal. Mach. "
     "Intell. 2017, 40, 834–848.", "DeepLab: Semantic image segmentation with deep convolutional nets, atrous "
     "convolution, and fully connected CRFs", "IEEE Trans. Pattern Anal. Mach. Intell"),
    ("23. Shaw, G., Morse, S., Ararat, M., Graham, F.L. (2002) Preferential transformation of human neuronal cells by "
     "human adenoviruses and the origin of HEK 293 cells. FASEB J. Off. Publ. Fed. Am. Soc. Exp. Biol., 16(8): "
     "869-871.", "Preferential transformation of human neuronal cells by human adenoviruses and the origin of HEK "
     "293 cells", "FASEB J. Off. Publ. Fed. Am. Soc. Exp. Biol"),
])
def test_abbreviated_journal_with_full_words_stays_whole(entry, title, journal):
    ref = parse_reference(entry)
    assert ref.title == title
    assert ref.container_title == journal


def test_subtitle_in_capitals_is_no_journal():
    ref = parse_reference("42. Aguglia, A.; Serafini, G.; Escelsior, A.; Amore, M.; Maina, G. What Is the Role of "
                          "Meteorological Variables on Involuntary Admission in Psychiatric Ward? An Italian "
                          "Cross-Sectional Study. Environ. Res. 2020, 180, 108800. [CrossRef]")
    assert ref.title.startswith("What Is the Role")
    assert "Cross-Sectional Study" in ref.title


@pytest.mark.parametrize("entry, title", [
    ("8. Becker N, Dušan P, Marija Z, Clive B, Minoo M, Christine D, Achim K (2010) Mosquito and their Control, 2nd "
     "Edition. Springer Heidelberg Dordrecht. London, New York. (e-ISBN 978-3- 540-92874-4).",
     "Mosquito and their Control"),
    ("21. Capinera JL (2008) Encyclopedia of Entomology. Published by Springer. (ISBN: 978-1-4020-6242-1). p. 2.",
     "Encyclopedia of Entomology"),
])
def test_isbn_is_an_identifier_not_text(entry, title):
    ref = parse_reference(entry)
    assert ref.title == title
    assert "ISBN" not in (ref.container_title + ref.publisher + ref.publisher_place)


@pytest.mark.parametrize("entry, title", [
    ("3. Barry MM, Clarke AM, Petersen I, Jenkins R. Implementing mental health promotion. 2nd ed. Barry MM, Clarke AM, "
     "Petersen I, Jenkins R, editors. Cham, Switzerland: Springer Nature (2019).", "Implementing mental health promotion"),
    ("59. Putman R. The natural history of deer. Cristopher Helm, editor. London: Cornell University Press; 1988.",
     "The natural history of deer"),
])
def test_editors_sentence_after_a_book_title(entry, title):
    ref = parse_reference(entry)
    assert ref.title == title
    assert ref.publisher.endswith(("Springer Nature", "Cornell University Press"))
    assert ref.type == "book"


def test_unpublished_status_closes_the_entry():
    ref = parse_reference("30. Reitsema, A.; Venhof, V.; Becht, A.; Jeronimus, B. Distress and denial: Dutch youth aged "
                          "16–35 grappling with climate change. Environ. Psychol. 2025, under review.")
    assert ref.title == "Distress and denial: Dutch youth aged 16–35 grappling with climate change"
    assert ref.issued == [2025]


def test_wiley_abbreviated_dutch_particles():
    # "S. v. d. Groep", "L. W. t. Brinke": the names go on, and the title is the quoted one after the year
    ref = parse_reference("Crone, E. A., S. v. d. Groep, and L. W. t. Brinke. 2024. “Can Adolescents be Game Changers "
                          "for 21st-Century Societal Challenges?” Trends in Cognitive Sciences 28, no. 6: 484–486.")
    assert families(ref) == ["Crone", "v. d. Groep", "t. Brinke"]
    assert ref.title == "Can Adolescents be Game Changers for 21st-Century Societal Challenges?"
    assert ref.container_title.startswith("Trends in Cognitive Sciences")  # (the labeller read "Brinke.")


@pytest.mark.parametrize("entry, url, title", [
    ("Ipsos I&O. 2025. Duurzaam denken, duurzaam doen. https://206.wpcdnnode.com/ipsos- publiek.nl/wp- "
     "content/uploads/2025/06/ rapport- duurzaam- denken- duurzaam- doen- 2025- onder- embargo.pdf.",
     "https://206.wpcdnnode.com/ipsos-publiek.nl/wp-content/uploads/2025/06/rapport-duurzaam-denken-duurzaam-doen-"
     "2025-onder-embargo.pdf", "Duurzaam denken, duurzaam doen"),
    ("Morris P.G. 2017 Quality criteria template https://www.wiki.ed.ac.uk/display/HealthPsychResearch/Quality "
     "+Criteria+Template", "https://www.wiki.ed.ac.uk/display/HealthPsychResearch/Quality+Criteria+Template",
     "Quality criteria template"),
])
def test_link_broken_into_many_pieces(entry, url, title):
    ref = parse_reference(entry)
    assert ref.URL == url
    assert ref.title == title


def test_apa_thesis_note_is_not_title():
    ref = parse_reference("Niskanen, N. (2022). Factor structure of Finnish-translated climate anxiety scale and an "
                          "examination of correlates in a Finnish convenience sample. [Master‧s thesis, University of "
                          "Turku]. UTUPub.")
    assert ref.title.endswith("in a Finnish convenience sample")


@pytest.mark.parametrize("entry, title", [
    # a part's number is no journal abbreviation, and initials are no abbreviated journal
    ("2. Hinds JW, Hinds PL. 1976b. Synapse formation in the mouse olfactory bulb. II. Morphogenesis. The Journal of "
     "Comparative Neurology 169:41–61.", "Synapse formation in the mouse olfactory bulb. II. Morphogenesis"),
    ("Baker CJO, Cheung K-H, editors. 2007. Semantic web: Revolutionizing knowledge discovery in the life sciences. "
     "Baker CJO, Cheung K-H, editors. Springer.", "Semantic web: Revolutionizing knowledge discovery in the life "
     "sciences"),
])
def test_title_sentences_kept_or_left_out(entry, title):
    assert parse_reference(entry).title == title
