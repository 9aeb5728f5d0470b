"""A PDF's metadata from its first page: the abstract's parts, the issue, journal and volume from citation lines
and running heads, a byline without spaces, a citation line out of the reading flow.

Expected values read off the rendered pages (pymupdf, 70-110 dpi).
"""
from __future__ import annotations

import pytest

from reader.ingest.asides import _is_citation_line
from reader.ingest.frontmatter import parse_author_line
from reader.ingest.matter import is_matter
from reader.ingest.pdf import load_pdf
from reader.ingest.pdf_metadata import _issue, _printed_citation, _running_citation


def _load(path):
    return load_pdf(path.read_bytes(), str(path))


def _names(names) -> list[tuple[str, str]]:
    return [(n.family, n.given) for n in names]


# -- bylines


def test_a_byline_whose_text_layer_lost_its_spaces() -> None:
    # Hindawi sets the second byline line in a font without word spaces: "Zhangwen Ge,2 Feng Yi,2 ... Jack
    # DeHovitz,3 Sten H. Vermund,4 and Syed Ali" reads "ZhangwenGe,2FengYi,2...,4andSyed Ali"
    assert _names(parse_author_line("ZhangwenGe,2FengYi,2YimingShao,2JackDeHovitz,3StenH.Vermund,4andSyed Ali")) == [
        ("Ge", "Zhangwen"), ("Yi", "Feng"), ("Shao", "Yiming"), ("DeHovitz", "Jack"), ("Vermund", "Sten H."),
        ("Ali", "Syed")]
    # a one-word "name" that is no glued name still makes no byline
    assert parse_author_line("McWhirter, MacKenzie") == []


def test_hindawi_byline_without_spaces_gives_all_ten_authors(realpdf) -> None:
    paper = _load(realpdf / "hindawi-2020-9701920.pdf")
    assert [a.family for a in paper.authors] == ["Aibekova", "Bexeitova", "Aldabergenova", "Hortelano", "Ge", "Yi",
                                                 "Shao", "DeHovitz", "Vermund", "Ali"]


# -- the abstract


def test_a_structured_abstract_whose_labels_run_in_keeps_all_its_parts(realpdf) -> None:
    # T&F: "Abstract" over "Background: ...", "Methods: ...", "Results: ...", "Conclusions: ..." beside the
    # ARTICLE HISTORY / KEYWORDS panel
    paper = _load(realpdf / "tandf-2021-0886022x.2020.1866009.pdf")
    parts = [p.split(":")[0] for p in paper.abstract.split("\n\n")]
    assert parts == ["Background", "Methods", "Results", "Conclusions"]
    assert "ARTICLE HISTORY" not in paper.abstract
    # Iran J Basic Med Sci: the ARTICLE INFO panel (history, keywords) is read between "Objective(s):" and
    # "Materials and Methods:"; "Results:" runs on in the paragraph of Methods, cut at the panel's foot
    paper = _load(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    assert "Objective(s): Periodontal diseases" in paper.abstract
    assert "Materials and Methods: Electronic databases" in paper.abstract
    assert "Results: Herbal medicines" in paper.abstract
    assert "triphala were also significantly effective" in paper.abstract
    assert paper.abstract.endswith("confirmation of the efficacy of these medicinal plants.")
    assert "Received" not in paper.abstract and "Keywords" not in paper.abstract


def test_an_unlabelled_abstract_in_two_paragraphs_before_the_first_heading(realpdf) -> None:
    # Royal Society: the shaded abstract box ("The recent hype ... comes into reach.") and the note of the theme
    # issue, above "1. Introduction"
    paper = _load(realpdf / "royalsociety-2021-rsta.2020.0097.pdf")
    assert paper.abstract.startswith("The recent hype about artificial intelligence")
    assert "There is some evidence that better weather forecasts" in paper.abstract
    assert paper.abstract.endswith("‘Machine learning for weather and climate modelling’.")
    assert "The history of numerical weather prediction" not in paper.abstract


def test_an_unlabelled_abstract_cut_inside_a_sentence_is_whole(realpdf) -> None:
    # Communications Biology: one paragraph, "... during an “unprecedented” 2015/16 Tasman Sea MHW, ..."
    paper = _load(realpdf / "nature-2024-s42003-023-05702-4.pdf")
    assert paper.abstract.startswith("Marine heatwaves (MHWs) cause disruption to marine ecosystems")
    assert "2015/16 Tasman Sea MHW" in paper.abstract
    assert paper.abstract.endswith("monitoring, prediction and adaptation efforts.")


def test_a_paper_without_an_abstract_has_none(realpdf) -> None:
    # Frontiers opinion piece: KEYWORDS under the byline, then the text ("Emerging adulthood, spanning ...")
    paper = _load(realpdf / "frontiers-2026-fpsyt.2025.1738103.pdf")
    assert paper.abstract == ""


def test_an_article_type_heading_does_not_end_the_search_for_the_abstract(realpdf) -> None:
    # RSC: "PAPER" set as a heading under the masthead, the abstract unlabelled beside "Cite this: ..."
    paper = _load(realpdf / "rsc-2025-d5ra05505a.pdf")
    assert paper.abstract.startswith("A novel, eco-friendly, and highly sensitive spectrofluorimetric method")
    assert "Introduction" not in paper.abstract


def test_a_citation_line_under_the_abstract_is_matter_and_gives_the_doi(realpdf) -> None:
    # JMIR: "J Med Internet Res 2026;28:e82426; doi: 10.2196/82426" under the abstract, at the top of page 2
    paper = _load(realpdf / "jmir-2026-82426.pdf")
    assert paper.doi == "10.2196/82426"
    assert "J Med Internet Res" not in paper.abstract
    line = next(b for b in paper.blocks if paper.block_text(b).startswith("J Med Internet Res 2026;28:e82426"))
    assert line.kind == "matter"


def test_frontiers_keywords_with_commas_are_matter() -> None:
    assert is_matter("KEYWORDS Bion, climate change, eco-anxiety, safety prior, societal denial, Winnicott")
    assert not is_matter("KEYWORDS are given by the authors, and we read them, with care.")


def test_a_citation_line_is_recognised_only_with_the_journal_in_capitals() -> None:
    assert _is_citation_line("Cambridge Prisms: Global Mental Health, 13, e78, 1–10 https://doi.org/10.1017/gmh.2026.10191")
    assert not _is_citation_line("see our earlier work, 13, e78, https://doi.org/10.1017/gmh.2026.10191")


# -- journal, volume, issue


@pytest.mark.parametrize(("texts", "volume", "issue"), [
    (["docking studies. PLoS ONE 13(3): e0193451."], "13", "3"),                  # PLOS's citation box
    (["receiving cisplatin-based regimens. Medicine 2021;100:7(e24588)."], "100", "7"),  # LWW
    (["Health Promotion International, 2026, Volume 41, Issue 1"], "41", "1"),    # OUP's running head
    (["Iran J Basic Med Sci, Vol. 21, No. 10, Oct 2018"], "21", "10"),
    (["2021, VOL. 43, NO. 1, 159–167"], "43", "1"),                               # T&F
    (["Chronic Stress 10(0)"], "10", ""),                                          # no issue 0
    (["in 13 (3) cases"], "13", ""),                                               # a count in the text
])
def test_the_issue_is_read_beside_the_volume(texts, volume, issue) -> None:
    assert _issue(texts, volume) == issue


def test_citation_lines_dated_by_month_and_running_heads_with_a_volume() -> None:
    # "J Arthropod-Borne Dis, September 2017, 11(3): 427–432" atop the page, the running title after it
    assert _printed_citation(["J Arthropod-Borne Dis, September 2017, 11(3): 427–432 H Bilal et al.: Citrus"]) == (
        "J Arthropod-Borne Dis", 2017, "11")
    # SAGE's running head on page 2
    assert _running_citation(["Léger-Goodes et al.", "Chronic Stress 10(0)"], "") == ("Chronic Stress", "10")
    assert _running_citation(["Page 3(4)"], "") == ("", "")


@pytest.mark.parametrize(("name", "venue", "volume", "issue"), [
    # "... Africa: A Scoping Review. Annals of Global Health. 2026; 92(1): 5, 1–14." (how to cite, page 1)
    ("ubiquity-2026-aogh.5110.pdf", "Annals of Global Health", "92", "1"),
    # "Cite this article: ... Arab nations. Cambridge Prisms: Global Mental Health, 13, e78, 1–10"
    ("cambridge-2026-gmh.2026.10191.pdf", "Cambridge Prisms: Global Mental Health", "13", ""),
    # "© 2026 The Author(s). GeoHealth published by Wiley Periodicals LLC on behalf of ..."
    ("wiley-2026-2025gh001597.pdf", "GeoHealth", "10", ""),  # (its citation prints no issue)
    # "Citation: ... Life Cycle Sustainability. Research 2025;8:Article 0986."
    ("aaas-2025-research.0986.pdf", "Research", "8", ""),
    # the running head "The Scientific World Journal"; page 1's text layer reads "e Scientific World Journal"
    ("hindawi-2018-3127214.pdf", "The Scientific World Journal", "2018", ""),
    ("tums-2017-PMC5758638.pdf", "J Arthropod-Borne Dis", "11", "3"),
    ("sage-2026-24705470261442334.pdf", "Chronic Stress", "10", ""),
])
def test_journal_volume_and_issue_from_page_one(realpdf, name, venue, volume, issue) -> None:
    paper = _load(realpdf / name)
    assert (paper.venue, paper.volume, paper.issue) == (venue, volume, issue)


def test_a_two_word_family_name_from_the_papers_own_citation_on_its_last_page(realpdf) -> None:
    # JMIR prints "Please cite as: MacKay M, Zamani Alavijeh S, Gosselin S, ..." on the last page only
    paper = _load(realpdf / "jmir-2026-82426.pdf")
    assert [a.family for a in paper.authors] == ["MacKay", "Zamani Alavijeh", "Gosselin", "Zarrinkalam", "McWhirter"]
    label = next(b for b in paper.blocks if paper.block_text(b).startswith("Please cite as:"))
    assert label.kind == "matter" and "Zamani Alavijeh S" in paper.block_text(label)


def test_an_abstract_closed_by_the_copyright_line_keeps_its_second_paragraph(realpdf) -> None:
    # Elsevier's Data in Brief: the abstract's first sentence ends a line ("... human skin keratinocytes."), so
    # the structure cuts the abstract there; the rest runs down to "© 2018 The Authors. Published by Elsevier"
    paper = _load(realpdf / "elsevier-2018-j.dib.2018.03.044.pdf")
    assert paper.abstract.startswith("This article describes the effects of extracts")
    assert "This study especially focuses on the plants traditionally used" in paper.abstract
    assert paper.abstract.endswith("The expression profiles are provided as line graphs.")
    assert "©" not in paper.abstract


# -- keywords


@pytest.mark.parametrize(("name", "keywords"), [
    # T&F's side panel: "KEYWORDS Cardiovascular disease readmission; peritoneal dialysis; risk factors; outcomes"
    ("tandf-2021-0886022x.2020.1866009.pdf",
     ["Cardiovascular disease readmission", "peritoneal dialysis", "risk factors", "outcomes"]),
    # SAGE: "Keywords" set as a heading, the list under it wrapped onto a second line
    ("sage-2026-24705470261442334.pdf",
     ["climate change", "eco-anxiety", "coping with climate change", "art-based intervention",
      "philosophical inquiry", "self-determination", "existential psychology", "positive psychology"]),
    # Cambridge: "Keywords:" alone over "climate change anxiety; psychological distress; ..."
    ("cambridge-2026-gmh.2026.10191.pdf",
     ["climate change anxiety", "psychological distress", "mental health", "hope", "Arab countries"]),
])
def test_keywords_printed_under_their_label(realpdf, name, keywords) -> None:
    assert _load(realpdf / name).keywords == keywords


def test_keywords_and_subjects_read_into_the_abstract_leave_it(realpdf) -> None:
    # Springer: "Keywords SARS-CoV-2 · Vaccines · Phase III trials · ..." under the abstract
    paper = _load(realpdf / "springer-2021-s10654-021-00729-5.pdf")
    assert paper.keywords == ["SARS-CoV-2", "Vaccines", "Phase III trials", "Generalizability", "External validity",
                              "Epidemiology"]
    assert "Keywords" not in paper.abstract
    assert paper.abstract.endswith("first targeting the elderly and most vulnerable persons.")


def test_peerj_subjects_and_keywords_leave_the_abstract(shared_dir) -> None:
    # PeerJ: "Subjects Bioinformatics, Computational Biology" and "Keywords Selective pressure analysis, ..." under
    # the abstract, which ends "... http://www.mol-evol.org/VESPA."
    paper = _load(shared_dir / "corpus" / "pdf" / "peerj-cs-118.publisher.pdf")
    assert paper.abstract.endswith("http://www.mol-evol.org/VESPA.")
    assert paper.keywords[:2] == ["Selective pressure analysis", "Protein molecular evolution"]


def test_a_copyright_line_names_the_journal_only_in_capitals() -> None:
    from reader.ingest.pdf_metadata import _copyright_journal
    assert _copyright_journal(["© 2020 The Authors. Ecology and Evolution published by John Wiley & Sons"]) == \
        "Ecology and Evolution"
    assert _copyright_journal(["© 2020 The Authors. This article is published by Wiley"]) == ""


def test_an_abstract_closed_by_the_licence_line_keeps_its_sentences(realpdf) -> None:
    # Wiley's shaded abstract box: one paragraph whose sentences the structure cut ("Fourteen databases were
    # searched ...", "Fifty-nine studies ...", "Our results highlight ..."), the licence line under the box
    paper = _load(realpdf / "wiley-2026-aphw.70157.pdf")
    assert paper.abstract.startswith("This paper systematically reviews the literature on levels of eco-emotions")
    assert "Fourteen databases were searched for relevant studies." in paper.abstract
    assert paper.abstract.endswith("which is lacking in the current literature.")
    assert "open access" not in paper.abstract


def test_the_authors_in_the_order_of_the_papers_own_citation(realpdf) -> None:
    # Ubiquity: the byline in capitals in two columns (Ndifoin, Kanmounye, Kukuia | Endomba, Noula, Jumbam), read
    # row by row; page 1 cites "Ndifoin BN, Kanmounye US, Kukuia KKE, Endomba FT, Noula AGM, Jumbam DT."
    paper = _load(realpdf / "ubiquity-2026-aogh.5110.pdf")
    assert [a.family for a in paper.authors] == ["Ndifoin", "Kanmounye", "Kukuia", "Endomba", "Noula", "Jumbam"]


def test_a_citation_that_misses_an_author_changes_no_order() -> None:
    from reader.ingest.pdf_metadata import _in_cited_order
    from reader.model import Name
    authors = [Name("Lee", "Ann"), Name("Kim", "Bo"), Name("Park", "Chan")]
    assert [a.family for a in _in_cited_order(authors, ["Kim B, Lee A, Park C. A title. J 2020"])] == \
        ["Kim", "Lee", "Park"]
    assert _in_cited_order(authors, ["Kim B, Lee A. A title. J 2020"]) == authors
    assert _in_cited_order(authors, ["Ann Lee, Bo Kim and Chan Park"]) == authors  # a byline is no citation


def test_a_conference_foot_printed_on_page_one_only_names_the_venue(shared_dir) -> None:
    # NAACL 2018: "Proceedings of NAACL-HLT 2018, pages 84–91" at the foot of page 1, no running feet
    paper = _load(shared_dir / "corpus" / "pdf" / "acl-N18-3011.publisher.pdf")
    assert paper.venue == "Proceedings of NAACL-HLT 2018"


def test_a_running_head_in_capitals_with_vol_and_no() -> None:
    # IEEE's running head (a made-up line in its form): journal in capitals, "VOL.", "NO.", month and year
    head = "IEEE TRANSACTIONS ON PATTERN ANALYSIS AND MACHINE INTELLIGENCE, VOL. 42, NO. 3, MARCH 2020"
    assert _printed_citation([head]) == ("IEEE TRANSACTIONS ON PATTERN ANALYSIS AND MACHINE INTELLIGENCE", 2020, "42")
    assert _issue([head], "42") == "3"
