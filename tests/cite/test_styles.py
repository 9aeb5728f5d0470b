"""Reference entries and in-text markers in the citation style families journals use (issue 11).

Entries are real ones (from the corpus's articles) as each style prints them; the fields expected were read
off the printed entry by hand.
"""
from __future__ import annotations

import pytest

from reader.cite.references import parse_reference
from reader.ingest import load_bytes


def families(ref):
    return [a.family or a.literal for a in ref.author]


# (entry as printed, family names, year, title)
ENTRIES = [
    # Nature: family-first, "&" before the last author, title, journal, location, year at the end
    ("1. Hites, R. A. Polybrominated diphenyl ethers in the environment and in people: a meta-analysis of "
     "concentrations. Environ Sci Technol 38, 945–956 (2004).", ["Hites"], 2004,
     "Polybrominated diphenyl ethers in the environment and in people: a meta-analysis of concentrations"),
    ("3. Birnbaum, L. S. & Staskal, D. F. Brominated flame retardants: cause for concern? Environ Health "
     "Perspect 112, 9–17 (2004).", ["Birnbaum", "Staskal"], 2004, "Brominated flame retardants: cause for concern?"),
    ("56. Kauffmann, A., Gentleman, R. & Huber, W. arrayQualityMetrics–a bioconductor package for quality "
     "assessment of microarray data. Bioinformatics 25, 415–6 (2009).", ["Kauffmann", "Gentleman", "Huber"], 2009,
     "arrayQualityMetrics–a bioconductor package for quality assessment of microarray data"),
    # ACS: semicolons between authors, year after the journal, pages that look like years
    ("(2) Law, R. J.; Alaee, M.; Allchin, C. R.; Boon, J. P.; Lebeuf, M.; Lepom, P. Levels and Trends of "
     "Polybrominated Diphenyl Ethers and Other Brominated Flame Retardants in Wildlife. Environ Int 2003, 29, "
     "757–770.", ["Law", "Alaee", "Allchin", "Boon", "Lebeuf", "Lepom"], 2003,
     "Levels and Trends of Polybrominated Diphenyl Ethers and Other Brominated Flame Retardants in Wildlife"),
    ("(43) Forrest, D.; Sjöberg, M.; Vennström, B. Contrasting Developmental and Tissue-specific Expression of "
     "Α and Β Thyroid Hormone Receptor Genes. EMBO J 1990, 9, 1519–1528.", ["Forrest", "Sjöberg", "Vennström"],
     1990, "Contrasting Developmental and Tissue-specific Expression of Α and Β Thyroid Hormone Receptor Genes"),
    # MLA: first author family-first, the others given-first; quoted title; year after the volume
    ("Gaspard, N., and P. Vanderhaeghen. “Mechanisms of Neural Specification from Embryonic Stem Cells”. Curr "
     "Opin Neurobiol, vol. 20, 2010, pp. 37–43.", ["Gaspard", "Vanderhaeghen"], 2010,
     "Mechanisms of Neural Specification from Embryonic Stem Cells"),
    ("Forrest, D., et al. “Contrasting Developmental and Tissue-specific Expression of Α and Β Thyroid Hormone "
     "Receptor Genes”. EMBO J, vol. 9, 1990, pp. 1519–28.", ["Forrest"], 1990,
     "Contrasting Developmental and Tissue-specific Expression of Α and Β Thyroid Hormone Receptor Genes"),
    ("Vanden Berghe, E. The Ocean Biogeographic Information System. 2007, http://www.iobis.org.",
     ["Vanden Berghe"], 2007, None),
    # Chicago / Taylor & Francis: given-first after the first author, a capitalised particle
    ("Laird, D. J., A. W. De Tomaso, and I. L. Weissman. 2005. “Stem Cells Are Units of Natural Selection in a "
     "Colonial Ascidian”. Cell 123 (7): 1351–60.", ["Laird", "De Tomaso", "Weissman"], 2005,
     "Stem Cells Are Units of Natural Selection in a Colonial Ascidian"),
    # IEEE: given-first, quoted title, year at the end
    ("[2] R. J. Law, M. Alaee, C. R. Allchin, J. P. Boon, M. Lebeuf, and P. Lepom, “Levels and trends of "
     "polybrominated diphenyl ethers and other brominated flame retardants in wildlife”, Environ Int, vol. 29, "
     "pp. 757–770, 2003.", ["Law", "Alaee", "Allchin", "Boon", "Lebeuf", "Lepom"], 2003,
     "Levels and trends of polybrominated diphenyl ethers and other brominated flame retardants in wildlife"),
    # Elsevier numeric: given-first list closed by a comma, "vol (year) pages"
    ("[1] S. Sanaye, M.M. Ghafurian, Thermo-economic optimization of an ice thermal storage system, Energy 40 "
     "(2012) 123–135.", ["Sanaye", "Ghafurian"], 2012, "Thermo-economic optimization of an ice thermal storage system"),
    # Science: given-first, title without quotes, year in brackets at the end
    ("1. D. Locker, S. T. Reisine, Oral health and quality of life. Community Dent. Health 5, 3–18 (1988).",
     ["Locker", "Reisine"], 1988, "Oral health and quality of life"),
    # APS and RSC print no article title: the title is empty, the journal is the container
    ("[2] D. Locker, S. T. Reisine, and G. D. Slade, Phys. Rev. Lett. 97, 140401 (2006).",
     ["Locker", "Reisine", "Slade"], 2006, ""),
    ("2 D. Locker, S. T. Reisine and G. D. Slade, J. Mater. Chem. A, 2019, 7, 1234–1240.",
     ["Locker", "Reisine", "Slade"], 2019, ""),
    # Oxford journals: no punctuation around the year
    ("Albert DM, Bowyer RT 1991 Factors related to growth of white-tailed deer. J Mammal 72:1-8.",
     ["Albert", "Bowyer"], 1991, "Factors related to growth of white-tailed deer"),
]


@pytest.mark.parametrize("entry, names, year, title", ENTRIES)
def test_entry_fields_in_each_style_family(entry, names, year, title):
    ref = parse_reference(entry)
    assert families(ref) == names
    assert ref.year == year
    if title is not None:
        assert ref.title == title


def test_nature_entry_keeps_its_location_apart_from_the_year():
    ref = parse_reference(ENTRIES[0][0])
    assert (ref.container_title, ref.volume, ref.page) == ("Environ Sci Technol", "38", "945-956")
    assert ref.citation_number == "1"


def test_elsevier_location_with_the_year_in_brackets():
    ref = parse_reference(ENTRIES[10][0])
    assert (ref.container_title, ref.volume, ref.page) == ("Energy", "40", "123-135")


def test_no_title_styles_give_the_journal_as_container():
    aps, rsc = parse_reference(ENTRIES[12][0]), parse_reference(ENTRIES[13][0])
    assert (aps.container_title, aps.volume, aps.page) == ("Phys. Rev. Lett", "97", "140401")
    assert (rsc.container_title, rsc.volume, rsc.page) == ("J. Mater. Chem. A", "7", "1234-1240")


def _paper(body: str, references: list[str]):
    text = "A Test Paper\n\n" + body + "\n\nReferences\n\n" + "\n\n".join(references) + "\n"
    return load_bytes(text.encode(), "paper.txt")


def _cited(paper):
    ids = {r.id: r.raw for r in paper.references}
    return [(c.text, [[ids[i][:12] for i in item.refs] for item in c.items]) for c in paper.citations]


NATURE_REFS = [
    "1. Hites, R. A. Polybrominated diphenyl ethers in the environment. Environ Sci Technol 38, 945–956 (2004).",
    "2. Law, R. J. et al. Levels and trends of polybrominated diphenyl ethers. Environ Int 29, 757–770 (2003).",
    "3. Birnbaum, L. S. & Staskal, D. F. Brominated flame retardants. Environ Health Perspect 112, 9–17 (2004).",
    "4. Boas, M. et al. Environmental chemicals and thyroid function. Eur J Endocrinol 154, 599–611 (2006).",
    "5. McDonald, T. A. A perspective on the potential health risks. Chemosphere 46, 745–755 (2002).",
]


def test_superscripts_flattened_onto_words_are_citations():
    body = ("PBDEs are found in the tissues of humans and wildlife1,2. They disrupt the thyroid axis3. "
            "Levels of thyroxine (T4) fall in rats given PBDEs, and Sox2 rises. Law et al.2 measured them and "
            "Sox2 was unchanged. Plasma T44 fell. CO2 at 20 ppm and Sox2 again in mice, and the axis3,5.")
    cited = _cited(_paper(body, NATURE_REFS))
    assert [text for text, _ in cited] == ["1,2", "3", "2", "4", "3,5"]
    assert cited[0][1] == [["1. Hites, R."], ["2. Law, R. J"]]
    assert cited[3][1] == [["4. Boas, M. "]]  # "T4" is printed alone: "T44" is T4 + citation 4


def test_flattened_superscripts_glued_to_a_formula_the_paper_never_prints_alone():
    # "CO23,4" is CO2 + citations 3,4: a group whose numbers are the next new ones, after a symbol that keeps a
    # digit; "CO2 rose" elsewhere is no citation, nor is "H2O 5" or a formula with one number glued ("NO23")
    body = ("Warming follows the gases1,2. Plants fix CO23,4 at night. NO23 then rose, and later CO24 too. "
            "The uptake of water5 follows.")
    cited = _cited(_paper(body, NATURE_REFS))
    assert [text for text, _ in cited] == ["1,2", "3,4", "5"]
    assert cited[1][1] == [["3. Birnbaum,"], ["4. Boas, M. "]]
    # a range splits where all its numbers are new: "Cx3613–15" is Cx36 + 13-15, not Cx361 + 3-15
    names = ["Adams", "Baker", "Clark", "Davis", "Evans", "Fisher", "Green", "Hughes", "Irwin", "Jones", "King",
             "Lewis", "Moore", "Nolan", "Owen"]
    refs = [f"{n}. {name}, A. B. Gap junctions in the retina, part {n}. Vision Res {n}, 10–20 (2000)."
            for n, name in enumerate(names, 1)]
    body = ("Gap junctions couple cells1,2. They open in the dark3. Rods and cones4–12 differ. Rods express "
            "Cx3613–15 in the retina.")
    cited = _cited(_paper(body, refs))
    assert [text for text, _ in cited] == ["1,2", "3", "4–12", "13–15"]
    assert cited[3][1] == [["13. Moore, A"], ["14. Nolan, A"], ["15. Owen, A."]]


def test_numbered_list_items_after_citations_are_not_citations():
    refs = [r.replace(f"{n}. ", f"{n}. ", 1) for n, r in enumerate(NATURE_REFS, 1)]
    body = ("PBDEs are found in humans (1) and wildlife (2). Exposure lowers thyroxine (3,4).\n\n"
            "Answers were scored hardly ever (1), occasionally (2), often (3) and always (4). "
            "The scale was used before (5).")
    cited = _cited(_paper(body, refs))
    assert [text for text, _ in cited] == ["(1)", "(2)", "(3,4)", "(5)"]


MLA_REFS = [
    "Locker, D. “Concepts of Oral Health”. Community Dent Health, vol. 5, 1988, pp. 1–10.",
    "Reisine, S. T., et al. “Impact of Dental Conditions”. Soc Sci Med, vol. 20, 1985, pp. 231–39.",
    "Slade, G. D., and A. J. Spencer. “Development and Evaluation of the Oral Health Impact Profile”. Community "
    "Dent Health, vol. 11, 1994, pp. 3–11.",
    "Slade, G. D. “Derivation and Validation of a Short-form Oral Health Impact Profile”. Community Dent Oral "
    "Epidemiol, vol. 25, 1997, pp. 284–90.",
    "Slade, G. D. “Assessing Change in Quality of Life Using the Oral Health Impact Profile”. Community Dent "
    "Oral Epidemiol, vol. 26, 1998, pp. 52–61.",
]


def test_mla_author_only_citations_link_when_the_work_is_unique():
    body = ("Oral health shapes daily life (Locker). Reisine et al. examined work loss, and others agreed "
            "(Slade and Spencer; Reisine et al.). A short form followed (Slade, “Derivation and Validation”), "
            "and the profile (Slade) was used twice. See Figure 2 (Locker Street) for the site.")
    paper = _paper(body, MLA_REFS)
    cited = _cited(paper)
    assert cited[:4] == [("(Locker)", [["Locker, D. “"]]), ("Reisine et al.", [["Reisine, S. "]]),
                         ("(Slade and Spencer; Reisine et al.)", [["Slade, G. D."], ["Reisine, S. "]]),
                         ("(Slade, “Derivation and Validation”)", [["Slade, G. D."]])]
    assert paper.references[2].raw.startswith("Slade, G. D., and")
    assert paper.citations[2].items[0].refs == [paper.references[2].id]
    assert paper.citations[3].items[0].refs == [paper.references[3].id]
    slade = paper.citations[4]  # two works of Slade alone, no title to tell them apart
    assert slade.text == "(Slade)" and slade.items[0].status == "ambiguous"
    assert slade.items[0].refs == [paper.references[3].id, paper.references[4].id]
    assert len(paper.citations) == 5  # "(Locker Street)" names no work


def test_mla_author_only_group_that_also_points_at_a_figure():
    # stylebench's MLA rendering of eLife articles: "(Manni and Burighel; Figure 1A–D)", "(reproduced from
    # Figure 3; Cangiano et al., “...”)": the figure part is no citation, the names still are; a bracket of
    # figures alone names no work
    body = ("Colonies bud from one larva (Slade and Spencer; Figure 1A–D). The loss was shown before "
            "(reproduced from Figure 3; Reisine et al.), and (Figure 2; Table 1) show it again (Locker).")
    cited = _cited(_paper(body, MLA_REFS))
    assert cited == [("(Slade and Spencer; Figure 1A–D)", [["Slade, G. D."]]),
                     ("(reproduced from Figure 3; Reisine et al.)", [["Reisine, S. "]]),
                     ("(Locker)", [["Locker, D. “"]])]


def test_author_date_groups_listing_every_author():
    refs = ["Forrest, D., T. A. Reh, and A. Rüsch. 2002. “Neurodevelopmental Control by Thyroid Hormone "
            "Receptors”. Curr Opin Neurobiol 12 (2002): 49–56.",
            "Leino, R. L., K. M. Jensen, and G. T. Ankley. 2005. “Gonadal Histology”. Environ Toxicol Pharmacol "
            "19 (2005): 85–98.",
            "Laird, D. J., A. W. De Tomaso, and I. L. Weissman. 2005. “Stem Cells Are Units of Natural Selection "
            "in a Colonial Ascidian”. Cell 123 (7): 1351–60."]
    body = ("The receptors play distinct roles (Forrest, Reh, and Rüsch 2002). Stages were scored as "
            "described by Leino, Jensen, and Ankley (2005), and colonies (Laird, De Tomaso, and Weissman 2005).")
    paper = _paper(body, refs)
    assert [(c.text, [i.status for i in c.items]) for c in paper.citations] == [
        ("(Forrest, Reh, and Rüsch 2002)", ["resolved"]), ("Leino, Jensen, and Ankley (2005)", ["resolved"]),
        ("(Laird, De Tomaso, and Weissman 2005)", ["resolved"])]


def test_apa_list_ending_with_a_particle_stays_one_entry():
    refs = ["Dehal, P., Satou, Y., Campbell, R. K., Chapman, J., Degnan, B., & De Tomaso, A. (2002). The draft "
            "genome of Ciona intestinalis. Science, 298, 2157–67.",
            "Darwin, C. (1874). The Descent of man. The Modern library.",
            "Denoeud, F., Henriet, S., Aury, J. M., Da Silva, C., & Brinkmann, H. (2010). Plasticity of animal "
            "genome architecture. Science, 330, 1381–5."]
    paper = _paper("Chordates (Darwin, 1874; Dehal et al., 2002; Denoeud et al., 2010) differ.", refs)
    assert [families(r)[0] for r in paper.references] == ["Dehal", "Darwin", "Denoeud"]
    assert [families(r)[-1] for r in paper.references] == ["De Tomaso", "Darwin", "Brinkmann"]
    assert [i.status for c in paper.citations for i in c.items] == ["resolved"] * 3


def test_organisations_two_word_surnames_and_a_comma_before_et_al():
    # issue 11's examples from real articles held apart from the corpus
    refs = ["World Health Organization and UNICEF. (2013). Ending preventable child deaths from pneumonia and "
            "diarrhoea by 2025. Geneva: WHO.",
            "Russell Stothard, J., Sousa-Figueiredo, J. C., Betson, M., Bustinduy, A., & Reinhard-Rupp, J. (2013). "
            "Schistosomiasis in African infants and preschool children. Parasitology, 140(1), 1-12.",
            "Ronan, K. R., Crellin, K., & Johnston, D. M. (2013). Community readiness for a new tsunami warning "
            "system. Natural Hazards, 61, 1411-1425.",
            "Albert DM, Bowyer RT 1991 Factors related to growth of white-tailed deer. J Mammal 72:1-8."]
    body = ("Deaths fell (World Health Organization and UNICEF, 2013). Infants carry worms (Russell Stothard et al., "
            "2013; Ronan, et al., 2013), and deer grow (Albert and Bowyer 1991).")
    paper = _paper(body, refs)
    ids = [r.id for r in paper.references]
    assert [(i.status, i.refs) for c in paper.citations for i in c.items] == [
        ("resolved", [ids[0]]), ("resolved", [ids[1]]), ("resolved", [ids[2]]), ("resolved", [ids[3]])]


def test_parenthesised_numbers_that_are_not_citations():
    body = ("PBDEs are found in humans (1) and wildlife (2,3). In Eq. (1) the rate is shown, and the groups "
            "differ, F(1,30) = 1.235, p = 0.27. Fish were scored (see also 4; Figure 2) as in ZFP354B (5).")
    cited = _cited(_paper(body, NATURE_REFS))
    assert [text for text, _ in cited] == ["(1)", "(2,3)", "4", "(5)"]


def test_forms_that_count_only_when_the_list_has_the_work():
    # oup-2026-heapro-daag003 (pages 2-3 and its list on page 9), springer-2023-s12053-023-10099-4 (page 6, list
    # page 24 prints "de JotaSouza"): each form links to the entry the printed list has
    refs = ["Eriksson M, Lindström B. Validity of Antonovsky’s sense of coherence scale: a systematic review. "
            "J Epidemiol Community Health 2005;59:460–6.",
            "Eriksson M, Lindström B. A salutogenic interpretation of the Ottawa Charter. Health Promot Int "
            "2008;23:190–9.",
            "Golberstein E, Gonzales G, Meara E. How do economic downturns affect the mental health of children? "
            "Health Econ 2019;28:955–70.",
            "The U.S. Surgeon General’s Advisory. Protecting Youth Mental Health. Washington, DC: US Department of "
            "Health and Human Services, 2021.",
            "World Health Organization. Constitution. 1946. https://www.who.int/about/governance/constitution",
            "de JotaSouza, P. R. D. S. A. P. A., & da Silva, V. R. B. (2017). Energy performance indexes: analysis "
            "in public schools in Brazil. Energy Efficiency, 10(6), 1433–1451."]
    body = ("Health beyond ‘complete’ health, as denoted in the World Health Organization (WHO) (1946)’s definition "
            "of health. In Eriksson and Lindström’s 2008 paper, the charter is read again. Instability (Golberstein "
            "et al. 2019, The U.S. Surgeon General’s Advisory 2021) reshapes health. The most traditional way "
            "(Jota et al., 2017). Parkinson’s 2020 cohort and Eriksson’s 2012 remark cite nothing here, nor does "
            "the Food and Drug Administration (FDA) (2019).")
    paper = _paper(body, refs)
    assert families(paper.references[3]) == ["The U.S. Surgeon General’s Advisory"]
    assert _cited(paper) == [
        ("World Health Organization (WHO) (1946)", [["World Health"]]),
        ("Eriksson and Lindström’s 2008", [["Eriksson M, "]]),
        ("(Golberstein et al. 2019, The U.S. Surgeon General’s Advisory 2021)", [["Golberstein "], ["The U.S. Sur"]]),
        ("(Jota et al., 2017)", [["de JotaSouza"]])]
    assert paper.citations[1].items[0].refs == [paper.references[1].id]  # 2008, not 2005


def test_flattened_superscripts_after_a_short_word_a_quote_and_a_stop_or_e_g():
    # stylebench's Nature rendering of eLife and PLOS articles: "reviewed in1–3)", "(e.g.,4,5)", "assembly’;3,4)"
    body = ("PBDEs are found in humans1,2 and in rats3. Silencing is well known (reviewed in1–3). Repositories "
            "(e.g.,4,5) hold them, and the ‘whole-genome assembly’;3,4). A field of 5 cm2 was used.")
    cited = _cited(_paper(body, NATURE_REFS))
    assert [text for text, _ in cited] == ["1,2", "3", "1–3", "4,5", "3,4"]


def test_flattened_superscript_after_the_same_plain_word_again_and_again():
    # stylebench's Nature rendering of an EHP article: "reproductive activity in this species3." and later
    # "previous exposures with this species3." (never "species" alone): the first is the next number in
    # order, so the word is no name like "Sox2" printed again and again ("Sox2" stays no citation)
    body = ("PBDEs are found in humans1 and wildlife2. Sox2 rises. It impaired reproduction in this species3. "
            "Sox2 falls. We chose doses from earlier exposures with this species3. Thyroid levels fell4.")
    cited = _cited(_paper(body, NATURE_REFS))
    assert [text for text, _ in cited] == ["1", "2", "3", "3", "4"]
    assert cited[2][1] == cited[3][1] == [["3. Birnbaum,"]]
