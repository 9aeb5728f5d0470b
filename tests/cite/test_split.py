"""Splitting reference lists into entries, in the shapes extractors produce."""
from __future__ import annotations

from reader.cite.split import looks_like_entry_start, separate_trailing_text, split_references
from reader.ingest.lines import Line


def entries(lines: list[Line]) -> list[str]:
    return [" ".join(lines[f.line].text[f.start:f.end].strip() for f in e) for e in split_references(lines)]


def test_numbered_list_wrapped_without_indent():
    lines = [Line("1. Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87."),
             Line("2. Longo D, Hasty J. Dynamics of single-cell gene expression. Mol Syst Biol."),
             Line("2006;2:64."),
             Line("3. Losick R, Desplan C. Stochasticity and cell fate. Science. 2008;320:65-8."),
             Line("[9] would not be a new entry here, it is text")]
    assert entries(lines) == [
        "1. Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87.",
        "2. Longo D, Hasty J. Dynamics of single-cell gene expression. Mol Syst Biol. 2006;2:64.",
        "3. Losick R, Desplan C. Stochasticity and cell fate. Science. 2008;320:65-8. "
        "[9] would not be a new entry here, it is text",
    ]


def test_hanging_indent_decides_entries():
    lines = [Line("Andermann P, Ungos J, Raible DW. 2002. Neurogenin1 defines zebrafish cranial sensory"),
             Line("ganglia precursors. Dev Biol 251:45–58.", indent=3),
             Line("Baker CV, Bronner-Fraser M. 2001. Vertebrate cranial placodes I. Embryonic induction."),
             Line("Dev Biol 232:1–61. doi: 10.1006/dbio.2001.0156.", indent=3),
             Line("Barraud P, Seferiadis AA, Tyson LD, Zwart MF, Szabo-Rogers HL, Ruhrberg C, et al. 2010."),
             Line("Neural crest origin of olfactory ensheathing glia. Proc Natl Acad Sci USA 107:21040–5.", indent=3)]
    got = entries(lines)
    assert len(got) == 3
    assert got[1] == ("Baker CV, Bronner-Fraser M. 2001. Vertebrate cranial placodes I. Embryonic induction. "
                      "Dev Biol 232:1–61. doi: 10.1006/dbio.2001.0156.")


def test_paragraph_per_entry_with_corporate_authors():
    lines = [Line("Reuters. (2022). Indian officials meet Taliban in Kabul.", gap_before=True),
             Line("Human Rights Watch, (2022). Afghanistan: Economic Roots.", gap_before=True),
             Line("Aamaj News (2022). Afghan-Indian relations. 03/06/2022.", gap_before=True),
             Line("Gul, A. (2022A). Taliban Claim US Drones Use Pakistan Airspace.", gap_before=True)]
    assert len(entries(lines)) == 4


def test_fused_apa_entries_are_separated():
    lines = [Line("Abbas, H. (2023). The return of the Taliban. Yale University Press.", gap_before=True),
             Line("Akhtar, N., & Ullah, B. (2024). Nexus between TTP and Afghan Taliban: Impacts on "
                  "Pakistan-Afghanistan UMAROV, A. (2024). REGIONAL SECURITY COMPLEX IN", gap_before=True),
             Line("CENTRAL ASIA AFTER THE TALIBAN TAKEOVER IN AFGHANISTAN, 2021. Himalayan Studies, 28. "
                  "Relations. Pakistan Social Sciences Review, 8(2), 269-278.", gap_before=True),
             Line("Aslam, W. (2023). Whose interest? Whose peace? Studies in Conflict & Terrorism, 46(1), 21-45.",
                  gap_before=True)]
    got = entries(lines)
    assert len(got) == 4
    # the first entry's last words were printed after the second entry: they go back where they belong
    assert got[1] == ("Akhtar, N., & Ullah, B. (2024). Nexus between TTP and Afghan Taliban: Impacts on "
                      "Pakistan-Afghanistan Relations. Pakistan Social Sciences Review, 8(2), 269-278.")
    assert got[2] == ("UMAROV, A. (2024). REGIONAL SECURITY COMPLEX IN CENTRAL ASIA AFTER THE TALIBAN TAKEOVER IN "
                      "AFGHANISTAN, 2021. Himalayan Studies, 28.")


def test_entry_start_recognition():
    assert looks_like_entry_start("Smith, J. A. (2020). Title.")
    assert looks_like_entry_start("Smith JA, Lee K. 2012. Title.")
    assert looks_like_entry_start("van der Berg, P. (2001). Title.")
    assert looks_like_entry_start("The Economic Times. (2022). “Pakistani airstrikes”.")
    assert not looks_like_entry_start("CENTRAL ASIA AFTER THE TALIBAN TAKEOVER IN AFGHANISTAN, 2021.")
    assert not looks_like_entry_start("ganglia precursors. Dev Biol 251:45–58.")
    assert not looks_like_entry_start("")


def test_empty_and_huge_lists():
    assert split_references([]) == []
    many = [Line(f"{i}. Author{i} A. Title number {i}. Journal {i}:1-2.") for i in range(1, 5001)]
    assert len(split_references(many)) == 5000


def test_an_author_list_goes_on_after_a_column_break():
    lines = [Line("Pirvola U, Ylikoski J, Palgi J, Lehtonen E, Arumae U,", gap_before=True),
             Line("Saarma M. 1992. Brain-derived neurotrophic factor and neurotrophin 3 mRNAs. PNAS 89:9915–9919.",
                  gap_before=True),
             Line("Pratt T, Conway CD. 2006. Heparan sulphation patterns. J Neurosci 26:6911–6923.", gap_before=True)]
    assert entries(lines) == [
        "Pirvola U, Ylikoski J, Palgi J, Lehtonen E, Arumae U, Saarma M. 1992. Brain-derived neurotrophic factor "
        "and neurotrophin 3 mRNAs. PNAS 89:9915–9919.",
        "Pratt T, Conway CD. 2006. Heparan sulphation patterns. J Neurosci 26:6911–6923."]


def test_a_year_opening_a_line_is_not_an_entry_number():
    lines = [Line("Bertuzzi S, Hindges R, Mui SH, O'Leary DD, Lemke G."),
             Line("1999. The homeodomain protein vax1 is required for axon guidance. Genes Dev 13:3092–3105."),
             Line("Cangiano L, Gargini C. 2007. High-pass filtering. J Physiol 579:81–95.")]
    assert len(entries(lines)) == 2


def test_unnumbered_entries_without_blank_lines_split_where_names_open_a_line():
    # MLA hard-wrapped with a hanging indent and no blank lines (issue 11): one-line entries follow each
    # other; a book title is not quoted, an anonymous entry opens with "Anon." -- each line that opens with
    # a name list after a line that ended an entry starts an entry (the rules' name shapes or, failing
    # them, the trained labeller's reading of the line)
    lines = [Line("Fujita, S. “Kinetics of Cellular Proliferation”. Exp Cell Res, vol. 28, 1962, pp. 52–60."),
             Line("Gage, F. H. “Mammalian Neural Stem Cells”. Science, vol. 287, 2000, pp. 1433–38."),
             Line("Gov, N. “Cell Migration: Electrifying Movement”. Nat Mater, vol. 13, 2014, pp. 331–32,"),
             Line("http://dx.doi.org/10.1038/nmat3928.", indent=3),
             Line("Magurran, A. E. Measuring Biological Diversity. Blackwell Publishing, 2004."),
             Line("Anon. “Citebase Search”. 2008, http://www.citebase.org/."),
             Line("Sauer, F. “The Cellular Structure of the Neural Tube”. Journal of Comparative Neurology,"),
             Line("vol. 63, 1935, pp. 13–23.", indent=3)]
    assert entries(lines) == [
        "Fujita, S. “Kinetics of Cellular Proliferation”. Exp Cell Res, vol. 28, 1962, pp. 52–60.",
        "Gage, F. H. “Mammalian Neural Stem Cells”. Science, vol. 287, 2000, pp. 1433–38.",
        "Gov, N. “Cell Migration: Electrifying Movement”. Nat Mater, vol. 13, 2014, pp. 331–32, "
        "http://dx.doi.org/10.1038/nmat3928.",
        "Magurran, A. E. Measuring Biological Diversity. Blackwell Publishing, 2004.",
        "Anon. “Citebase Search”. 2008, http://www.citebase.org/.",
        "Sauer, F. “The Cellular Structure of the Neural Tube”. Journal of Comparative Neurology, "
        "vol. 63, 1935, pp. 13–23.",
    ]


def test_a_journal_wrapped_onto_a_new_line_is_not_an_entry():
    # the line before ends with a period, as a title does, yet the next line opens with a journal
    lines = [Line("Locker, D., and A. Leao. Oral Health and Quality of Life."),
             Line("Community Dentistry and Oral Epidemiology, vol. 24, no. 6, 1996, pp. 398-402."),
             Line("Reisine, S. T. “Dental Health and Public Policy.” Int Dent J, vol. 35, 1985, pp. 12–19.")]
    assert len(entries(lines)) == 2


def test_a_line_that_stops_on_an_initial_inside_the_name_list_does_not_end_the_entry():
    # wiley-2026-desc.70217: the author list of one entry wraps after "and L."; the next line opens with the
    # last surname and the year, which reads like a new entry ("Krabbendam. 2024. ...")
    lines = [Line("Ipsos I&O. 2025. Duurzaam denken, duurzaam doen. https://example.org/rapport.pdf."),
             Line("Kramer, A. W., H. M. Huizenga, A. C. Van Duijvenvoorde, and L."),
             Line("Krabbendam. 2024. “Do I Want to Learn Today? Day-to-Day Variations in Adolescents’ Academic"),
             Line("Motivation and Effort.” Learning and Motivation 85: 101957."),
             Line("Kramer, A. W., J. V. Schaaf, and H. M. Huizenga. 2023. “How Much Do You Want to Learn?”"),
             Line("Developmental Science 26: e13350.")]
    entries = split_references(lines)
    assert [[f.line for f in e] for e in entries] == [[0], [1, 2, 3], [4, 5]]


def test_names_and_year_alone_on_a_line_are_not_a_whole_entry():
    # frontiers-2026-fphys.2026.1825414 (APA-like, two columns): the title of an entry starts after a column
    # break, under its names and year
    lines = [Line("Gough, J. (2024). Between mind and body? psychoneuroimmunology, psychology, and cognitive "
                  "science. Perspect. Sci. 32, 518–548. doi: 10.1162/posc_a_00626", gap_before=True),
             Line("Granieri, A., Sauta, M. D., Cerutti, G., De Luca, A., Ricco, C., Grimaldi, C., et al. (2026).",
                  gap_before=True),
             Line("Loneliness, the immune system, and cardiovascular health: a systematic literature review. Br. J. "
                  "Health Psychol. 31, e70044. doi: 10.1111/bjhp.70044", gap_before=True)]
    assert [[f.line for f in e] for e in split_references(lines)] == [[0], [1, 2]]


def test_the_second_word_of_a_compound_surname_is_not_a_fused_entry():
    # frontiers-2026-fphys.2026.1825414: "Gallardo Peralta, L. P. (2024)." reads like an APA entry starting
    # mid-line; the "and" before it says it is the last author's surname
    lines = [Line("Darmon, I. (2024). Equality, not sufficiency! Sustainability: Science Pract. Policy 20, 2338588.",
                  gap_before=True),
             Line("De Gea Grela, P., Sánchez-González, D., and Gallardo Peralta, L. P. (2024). Urban and",
                  gap_before=True),
             Line("rural environments and their implications for older adults’ adaptation to heat waves: A "
                  "systematic review. Land 13, 1378."),
             Line("Falchetta, G., De Cian, E., Sue Wing, I., and Carr, D. (2024). Global projections of heat",
                  gap_before=True),
             Line("exposure of older adults. Nat. Commun. 15, 3678.")]
    assert [[f.line for f in e] for e in split_references(lines)] == [[0], [1, 2], [3, 4]]


def test_a_licence_notice_after_the_last_entry_is_not_part_of_it():
    # mdpi-2016-agronomy6010017 and mdpi-2016-molecules21020183: the page's licence box read after the last entry
    lines = [Line("1. Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87."),
             Line("2. Longo D, Hasty J. Dynamics of single-cell gene expression. Mol Syst Biol. 2006;2:64."),
             Line("3. Clarke, K.R.; Gorley, R.N. PRIMER v6: User Manual/Tutorial; PRIMER-E Ltd.: Plymouth, UK, 2006."),
             Line("© 2016 by the authors; licensee MDPI, Basel, Switzerland. This article is an open access"),
             Line("article distributed under the terms and conditions of the Creative Commons by Attribution")]
    kept, rest = separate_trailing_text(lines, split_references(lines))
    assert [" ".join(lines[f.line].text[f.start:f.end] for f in e) for e in kept][-1] == \
        "3. Clarke, K.R.; Gorley, R.N. PRIMER v6: User Manual/Tutorial; PRIMER-E Ltd.: Plymouth, UK, 2006."
    assert [f.line for f in rest] == [3, 4]
    lines[3] = Line("article distributed under the terms and conditions of the Creative Commons by Attribution")
    kept, rest = separate_trailing_text(lines[:4], split_references(lines[:4]))
    assert [f.line for f in rest] == [3]
    # ubiquity-2026-aogh.5110 and mdpi-2020-e22121365: how to cite the article, a publisher's note
    for notice in ("TO CITE THIS ARTICLE: Ndifoin BN, Kanmounye US. Climate Change and Mental Health in Africa.",
                   "Publisher’s Note: MDPI stays neutral with regard to jurisdictional claims in published maps"):
        lines[3] = Line(notice)
        kept, rest = separate_trailing_text(lines[:4], split_references(lines[:4]))
        assert [f.line for f in rest] == [3]
