"""Reference entries as real publishers print them in their PDFs (reader/cite/references.py).

Each entry is copied from a publisher's PDF in the realpdf corpus (the file is named); the expected fields
were read off the printed page by hand and agree with the publisher's own JATS. No Qt.
"""
from __future__ import annotations

from reader.cite.references import parse_reference


def families(ref):
    return [a.family or a.literal for a in ref.author]


def test_mdpi_link_labels_after_the_entry_are_not_part_of_it():
    # mdpi-2026-ijerph23010076, reference 4: MDPI prints "[CrossRef] [PubMed]" links after the pages
    ref = parse_reference("4. Cunsolo, A.; Ellis, N.R. Ecological grief as a mental health response to climate "
                          "change-related loss. Nat. Clim. Change 2018, 8, 275–281. [CrossRef] [PubMed]")
    assert families(ref) == ["Cunsolo", "Ellis"]
    assert ref.title == "Ecological grief as a mental health response to climate change-related loss"
    assert ref.container_title == "Nat. Clim. Change"
    assert (ref.issued, ref.volume, ref.page) == ([2018], "8", "275-281")


def test_frontiers_link_line_after_the_entry_is_not_part_of_it():
    ref = parse_reference("Avery SV. Microbial cell individuality. Nat Rev Microbiol. (2006) 4:577–87. "
                          "PubMed Abstract | CrossRef Full Text | Google Scholar")
    assert ref.title == "Microbial cell individuality"
    assert ref.page == "577-87"


def test_a_doi_broken_over_two_lines_is_joined_and_leaves_the_title_alone():
    # springer-2023-s12053-023-10099-4: the DOI wraps after "enbui"
    ref = parse_reference("Schwartz, Y., Godoy-Shimizu, D., Korolija, I., Dong, J., Hong, S. M., Mavrogianni, A., "
                          "& Mumovic, D. (2021). Developing a data-driven school building stock energy and indoor "
                          "environmental quality modelling method. Energy and Buildings, 249(2), 111249. "
                          "https://doi.org/10.1016/j.enbui ld.2021.111249")
    assert ref.DOI == "10.1016/j.enbuild.2021.111249"
    assert ref.title == ("Developing a data-driven school building stock energy and indoor environmental quality "
                         "modelling method")
    assert (ref.container_title, ref.volume, ref.issue, ref.page) == ("Energy and Buildings", "249", "2", "111249")


def test_a_doi_broken_inside_its_prefix_is_joined():
    # bmc-2021-s12913-021-06248-z, reference 19
    ref = parse_reference("19. Austin PC. Balance diagnostics for comparing the distribution of baseline covariates "
                          "between treatment groups in propensity-score matched samples. Stat Med. "
                          "2009;28(25):3083–107. https://doi.org/10.1 002/sim.3697.")
    assert ref.DOI == "10.1002/sim.3697"
    assert ref.title.endswith("in propensity-score matched samples")


def test_a_url_broken_over_two_lines_and_a_bracketed_access_date_are_not_title():
    # ubiquity-2026-aogh.5110, reference 1 (AMA): the URL wraps after "www.u"
    ref = parse_reference("1. United Nations. What is Climate Change? United Nations; 2025. Accessed April 21, 2025. "
                          "https://www.u n.org/en/climatechange/what-is-climate-change.")
    assert ref.URL == "https://www.un.org/en/climatechange/what-is-climate-change"
    assert ref.title == "What is Climate Change?"
    # frontiers-2026-fpsyt.2025.1738103, reference 1: "(Accessed September 22, 2025)" after the link
    ref = parse_reference("1. World Health Organization. World mental health report: Transforming mental health for "
                          "all. Geneva, Switzerland: WHO Press (2023). Available online at: "
                          "https://www.who.int/publications/i/item/9789240049338 (Accessed September 22, 2025).")
    assert "Accessed" not in ref.title and "(" not in ref.title


def test_hindawi_given_first_names_closed_by_et_al_then_a_quoted_title():
    # hindawi-2018-3127214, reference 1
    ref = parse_reference("[1] H. Dieng, S. Rajasaygar, A. H. Ahmad et al., “Indirect effects of cigarette but waste "
                          "on the dengue vector Aedes aegypti (Diptera: Culicidae),” Acta Tropica, vol. 130, "
                          "pp. 123–130, 2014.")
    assert families(ref) == ["Dieng", "Rajasaygar", "Ahmad"]
    assert ref.title == ("Indirect effects of cigarette but waste on the dengue vector Aedes aegypti "
                         "(Diptera: Culicidae)")
    assert (ref.container_title, ref.volume, ref.page, ref.issued) == ("Acta Tropica", "130", "123-130", [2014])


def test_hyphenated_given_initials_before_a_quoted_title():
    # hindawi-2018-3127214, reference 25: "W.-C. Hsieh, C.-P. Chang, and Y.-L. Gao"
    ref = parse_reference("[25] W.-C. Hsieh, C.-P. Chang, and Y.-L. Gao, “Controlled release properties of chitosan "
                          "encapsulated volatile citronella oil microcapsules by thermal treatments,” Colloids and "
                          "Surfaces B: Biointerfaces, vol. 53, no. 2, pp. 209–214, 2006.")
    assert [(a.family, a.given) for a in ref.author] == [("Hsieh", "W.-C."), ("Chang", "C.-P."), ("Gao", "Y.-L.")]
    assert ref.title.startswith("Controlled release properties") and ref.title.endswith("by thermal treatments")


def test_nature_et_al_after_the_first_name_and_an_article_number_for_pages():
    # nature-2024-s41467-024-48900-2, reference 17
    ref = parse_reference("17. Cai, W. et al. Pantropical climate interactions. Science 363, eaav4236 (2019).")
    assert families(ref) == ["Cai"]
    assert ref.title == "Pantropical climate interactions"
    assert (ref.container_title, ref.volume, ref.page, ref.issued) == ("Science", "363", "eaav4236", [2019])
    # nature-2021-s41598-021-85629-0, reference 59: pages with a letter ("i802–i810")
    ref = parse_reference("59. Hashemifar, S., Neyshabur, B., Khan, A. A. & Xu, J. Predicting protein–protein "
                          "interactions through sequence-based deep learning. Bioinformatics 34, i802–i810 (2018).")
    assert ref.title == "Predicting protein–protein interactions through sequence-based deep learning"
    assert (ref.container_title, ref.volume, ref.page) == ("Bioinformatics", "34", "i802-i810")


def test_frontiers_family_first_names_with_initials_in_capitals_between_commas():
    # frontiers-2026-fpubh.2025.1693703, reference 15
    ref = parse_reference("15. Chersich, MF, and Wright, CY. Climate change adaptation in South Africa: the role of "
                          "the health sector. Glob Health. (2019) 15:22. doi: 10.1186/s12992-019-0479-8")
    assert [(a.family, a.given) for a in ref.author] == [("Chersich", "M. F."), ("Wright", "C. Y.")]
    assert ref.title == "Climate change adaptation in South Africa: the role of the health sector"
    assert (ref.issued, ref.volume, ref.page) == ([2019], "15", "22")


def test_mdpi_book_with_publisher_and_place_after_a_semicolon():
    # mdpi-2026-ijerph23010076, reference 24
    ref = parse_reference("24. Arnett, J.J. Emerging Adulthood: The Winding Road from the Late Teens Through the "
                          "Twenties, 3rd ed.; Oxford University Press: Oxford, UK, 2023.")
    assert ref.title == "Emerging Adulthood: The Winding Road from the Late Teens Through the Twenties"
    assert (ref.publisher, ref.publisher_place, ref.issued, ref.volume) == ("Oxford University Press", "Oxford, UK",
                                                                          [2023], "")
    assert ref.type == "book"
    # mdpi-2020-e22121365, reference 24: two places
    ref = parse_reference("24. Morris, C.; Charles, M. Writings on the General Theory of Signs; Walter de Gruyter: "
                          "Berlin, Germany; Boston, MA, USA, 1972.")
    assert ref.title == "Writings on the General Theory of Signs"
    assert ref.publisher == "Walter de Gruyter"


def test_ama_date_before_the_year_is_not_title():
    # ubiquity-2026-aogh.5110, reference 6 (AMA: "Journal. Month Day, Year;Volume(Issue):Pages")
    ref = parse_reference("6. Van de Vuurst P, Escobar LE. Climate change and infectious disease: A review of "
                          "evidence and research trends. Infect Dis Poverty. May 16, 2023;12(1):51.")
    assert families(ref) == ["Van de Vuurst", "Escobar"]
    assert ref.title == "Climate change and infectious disease: A review of evidence and research trends"
    assert ref.issued == [2023]


def test_royal_society_year_between_the_names_and_the_title():
    # royalsociety-2021-rsta.2020.0097, references 43 and 113: "Names. YEAR Title."
    ref = parse_reference("43. Hochreiter S, Schmidhuber J. 1997 Long short-term memory. Neural Comput. 9, "
                          "1735–1780. (doi:10.1162/neco.1997.9.8.1735)")
    assert (families(ref), ref.issued, ref.title) == (["Hochreiter", "Schmidhuber"], [1997], "Long short-term memory")
    assert (ref.container_title, ref.volume, ref.page, ref.DOI) == ("Neural Comput", "9", "1735-1780",
                                                                    "10.1162/neco.1997.9.8.1735")
    ref = parse_reference("113. Goodfellow I, Bengio Y, Courville A. 2016 Deep learning. Cambridge, MA: MIT Press.")
    assert (ref.title, ref.publisher, ref.issued) == ("Deep learning", "MIT Press", [2016])


def test_a_year_after_a_link_and_its_full_stop_stays_the_year():
    # plos-2025-journal.pone.0322878, reference 48: "http://www.sib.gob.ar. 2024." is a link, then the year
    ref = parse_reference("48. Administración de Parques Nacionales (APN). Sistema de Información de Biodiversidad. "
                          "http://www.sib.gob.ar. 2024.")
    assert ref.URL == "http://www.sib.gob.ar"
    assert ref.issued == [2024]
    # ... while a DOI broken after its inner full stop is joined (royalsociety-2021-rsta.2020.0097, 108)
    ref = parse_reference("108. Lake BM, Salakhutdinov R, Tenenbaum JB. 2015 Human-level concept learning through "
                          "probabilistic program induction. Science 350, 1332–1338. (doi:10.1126/science. aab3050)")
    assert ref.DOI == "10.1126/science.aab3050"


def test_organisations_joined_by_a_slash_or_an_ampersand_and_a_name_closed_by_an_apostrophe():
    # wiley-2026-desc.70217, springer-2023-s12053-023-10099-4, cambridge-2026-gmh.2026.10191
    ref = parse_reference("Ipsos I&O. 2025. Duurzaam denken, duurzaam doen. https://206.wpcdnnode.com/x.pdf")
    assert (families(ref), ref.issued, ref.title) == (["Ipsos I&O"], [2025], "Duurzaam denken, duurzaam doen")
    ref = parse_reference("European Commission/EACEA/Eurydice. (2019). The structure of the European education "
                          "systems 2019/20: Schematic diagrams. Publications Office of the European Union.")
    assert (families(ref), ref.issued) == (["European Commission/EACEA/Eurydice"], [2019])
    ref = parse_reference("Betro’ S (2024) From eco-anxiety to eco-hope: Surviving the climate change threat. "
                          "Frontiers in Psychiatry 15, 1429571.")
    assert (families(ref), ref.issued) == (["Betro’"], [2024])
    assert ref.title == "From eco-anxiety to eco-hope: Surviving the climate change threat"


def test_a_preprint_server_after_the_title_is_the_venue():
    # mdpi-2020-e22121365 ref 4, royalsociety-2021-rsta.2020.0097 ref 45, jmir-2026-82426 ref 21
    ref = parse_reference("4. Szegedy, C.; Liu, W.; Jia, Y. Going deeper with convolutions. arXiv 2014, arXiv:abs/1409.4842. "
                          "Available online: https://arxiv.org/abs/1409.4842 (accessed on 30 November 2020).")
    assert (ref.title, ref.issued) == ("Going deeper with convolutions", [2014])
    ref = parse_reference("45. Chung J, Gulcehre C, Cho K, Bengio Y. 2014 Empirical evaluation of gated recurrent neural "
                          "networks on sequence modeling. CoRR abs/1412.3555. (http://arxiv.org/abs/1412.3555).")
    assert ref.title == "Empirical evaluation of gated recurrent neural networks on sequence modeling"
    ref = parse_reference("21. Grootendorst M. BERTopic: neural topic modeling with a class-based TF-IDF procedure. arXiv. "
                          "Preprint posted online on Mar 11, 2022. [doi: 10.48550/arXiv.2203.05794]")
    assert ref.title == "BERTopic: neural topic modeling with a class-based TF-IDF procedure"
    # the word inside a title is the title's
    assert parse_reference("Lee, K. (2020). Why arXiv matters for science. Nature 5, 1-2.").title == \
        "Why arXiv matters for science"


def test_what_a_database_export_adds_after_the_location_is_left_out():
    # wiley-2026-aphw.70157 refs (page 14-15 of the PDF): an ISSN, "Ovid MEDLINE(R) ...", "CAB Abstracts"
    ref = parse_reference("MacDonald, J. P., Harper, S. L., Willox, A. C., Edge, V. L., & Rigolet Inuit Community "
                          "Government. (2013). A necessary voice: Climate change and lived experiences of youth in "
                          "Rigolet, Nunatsiavut, Canada. Global Environmental Change, 23(1), 360–371. ISSN 0959-3780. "
                          "https://doi.org/10.1016/j.gloenvcha.2012.07.010")
    assert (ref.title, ref.container_title, ref.volume, ref.page) == (
        "A necessary voice: Climate change and lived experiences of youth in Rigolet, Nunatsiavut, Canada",
        "Global Environmental Change", "23", "360-371")
    ref = parse_reference("Daeninck, C., Kioupi, V., & Vercammen, A. (2023). Climate anxiety, coping strategies and "
                          "planning for the future in environmental degree students in the UK. Frontiers in Psychology, "
                          "14(101550902), 1126031. Ovid MEDLINE(R) Epub Ahead of Print. "
                          "https://doi.org/10.3389/fpsyg.2023.1126031")
    assert ref.title == ("Climate anxiety, coping strategies and planning for the future in environmental degree "
                         "students in the UK")
    ref = parse_reference("Prencipe, L., Houweling, T. A. J., van Lenthe, F. J., Kajula, L., & Palermo, T. (2023). "
                          "Climate distress, climatesensitive risk factors, and mental health among Tanzanian youth: A "
                          "cross-sectional study. The Lancet Planetary Health, 7(11) CAB Abstracts, e877–e887. "
                          "https://doi.org/10.1016/S2542-5196(23)00202-6")
    assert (ref.container_title, ref.volume, ref.issue, ref.page) == ("The Lancet Planetary Health", "7", "11", "e877-e887")


def test_a_two_word_surname_with_a_particle_an_arxiv_id_and_a_year_glued_to_a_journal():
    # nature-2024-s42004-024-01184-5 ref 46, mdpi-2020-e22121365 ref 47, plos-2018-journal.pone.0193451 ref 6,
    # mdpi-2026-ijerph23010076 ref 6 (as the PDFs print them)
    ref = parse_reference("46. Gieshoff, T. N., Chakraborty, U., Villa, M. & Jacobi von Wangelin, A. Alkene "
                          "hydrogenations by soluble iron nanocluster catalysts. Angew. Chem. Int. Ed. 56, "
                          "3585–3589 (2017).")
    assert families(ref) == ["Gieshoff", "Chakraborty", "Villa", "Jacobi von Wangelin"]
    assert ref.title == "Alkene hydrogenations by soluble iron nanocluster catalysts"
    ref = parse_reference("47. Cheng, Y.; Wang, D.; Zhou, P.; Zhang, T. A survey of model compression and acceleration "
                          "for deep neural networks. arXiv 2017, arXiv:1710.09282.")
    assert ref.issued == [2017]
    ref = parse_reference("6. Boyce E. Pharmacology of antiarthritic drugs. Clin Podiatr Med Surg.1992: 9(2):327–48. "
                          "PMID: 1350233")
    assert ref.issued == [1992]
    ref = parse_reference("6. European Climate and Health Observatory. Climate Change Impacts on Mental Health in "
                          "Europe: An Overview of Evidence; European Environment Agency: Copenhagen, Denmark, 2022.")
    assert families(ref) == ["European Climate and Health Observatory"]


def test_hindawi_books_with_commas_between_all_fields():
    # hindawi-2016-8095138 ref 8, hindawi-2018-3127214 refs 21 and 37, hindawi-2020-9701920 refs 24 and 26
    ref = parse_reference("[8] W. L. Jellison, Tularemia in North America, 1930–1974, University of Montana "
                          "Foundation, Missoula, Mont, USA, 1974.")
    assert (families(ref), ref.title, ref.issued) == (["Jellison"], "Tularemia in North America, 1930–1974", [1974])
    assert (ref.publisher, ref.publisher_place) == ("University of Montana Foundation", "Missoula, Mont, USA")
    ref = parse_reference("[21] A. F. Kdonieus, Controlled Release Technologies: Methods, Theory and Applications, "
                          "vol. 1 & 2, CRC Press, BOCA, USA, 1980.")
    assert (ref.title, ref.publisher) == ("Controlled Release Technologies: Methods, Theory and Applications",
                                          "CRC Press")
    ref = parse_reference("[37] R. P. Adams, Identification of Essential Oil Components by Gas Chromatography/Mass "
                          "Spectrometry, Allured Publishing Co, Carol Stream, IL, USA, 4th edition, 2007.")
    assert (ref.title, ref.issued) == (
        "Identification of Essential Oil Components by Gas Chromatography/Mass Spectrometry", [2007])
    ref = parse_reference("[24] UNODC, Global Illicit Drug Trends: 2003, UNODC, New York, NY, USA, 2003.")
    assert (families(ref), ref.title, ref.issued) == (["UNODC"], "Global Illicit Drug Trends: 2003", [2003])
    ref = parse_reference("[26] International Labour Organization, ILO Migration and Development: Armenia Country "
                          "Study, International Labour Organization, Yerevan, Armenia, 2009.")
    assert (families(ref), ref.title) == (["International Labour Organization"],
                                          "ILO Migration and Development: Armenia Country Study")
    # an article (quoted title) and an entry without a publisher are read as before
    ref = parse_reference("[4] A. Ng, Machine learning notes, Stanford, CA, USA, 2011.")
    assert ref.publisher == ""
