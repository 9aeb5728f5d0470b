"""Front matter out of the reading flow, and the metadata a PDF's first page gives (issue 10, items 3 and 6).

Expected values were read off the rendered first pages (pymupdf, 70-100 dpi)."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.matter import is_matter
from reader.ingest.pdf import load_pdf
from reader.ingest.pdf_lines import close_letterspacing


@pytest.fixture(scope="module")
def realpdf(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "realpdf"


def _load(path: Path):  # type: ignore[no-untyped-def]
    return load_pdf(path.read_bytes(), str(path))


def _blocks(paper, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(paper.text[b.start:b.end].split()) for b in paper.blocks if b.kind == kind]


# -- matter.py: the forms by themselves

@pytest.mark.parametrize("text", [
    "2352-3409/& 2018 The Authors. Published by Elsevier Inc. This is an open access article",  # © read as &
    "& 2018 The Authors. Published by Elsevier Inc. This is an open",
    "2021 The Author(s). Published by Informa UK Limited, trading as Taylor & Francis Group.",  # © lost
    "⁎ Corresponding author.",  # Elsevier's mark, U+204E
    "/ Published online: 16 March 2023",  # the end of Springer's "Received: ... / Accepted: ..." row
    "CONTACT Jenson Lim jenson.lim@stir.ac.uk",  # T&F's label in capitals
    "KEYWORDS",  # T&F: the side panel's label alone on its line
    "access article under the CC BY license (http://creativecommons.org/licenses/by/4.0/).",  # Elsevier
    "Dmitry Brychkov and Gary Goggins contributed equally to this work.",
    "Anne-Wil Kramer and Judith van de Wetering shared first authorship.",  # Wiley, page 1 foot
    "This is an open-access article distributed under the terms of the Creative Commons Attribution License",
])
def test_matter_forms(text: str) -> None:
    assert is_matter(text)


@pytest.mark.parametrize("text", [
    "In 2018 the authors found that the extracts lowered the count.",
    "Patients contributed equally to both arms of the trial.",
    "Contact with patients was made by telephone.",
])
def test_sentences_are_no_matter(text: str) -> None:
    assert not is_matter(text)


# -- pdf_lines.py: a letter-spaced label

def test_letterspaced_labels_read_as_words() -> None:
    assert close_letterspacing("a r t i c l e i n f o") == "article info"
    assert close_letterspacing("a b s t r a c t") == "abstract"
    assert close_letterspacing("A R T I C L E I N F O A B S T R A C T") == "ARTICLE INFO ABSTRACT"
    assert close_letterspacing("r e s u l t s x") == "r e s u l t s x"  # no label words: left as printed


# -- real first pages

def test_elsevier_masthead_and_notes_leave_the_flow(realpdf: Path) -> None:
    """Data in Brief: the masthead above the title, the corresponding-author note, its e-mail and the
    licence (© printed by a symbol font whose text layer says "&") are matter; "a b s t r a c t" heads the
    abstract."""
    paper = _load(realpdf / "elsevier-2018-j.dib.2018.03.044.pdf")
    paragraphs = " ".join(_blocks(paper, "paragraph"))
    matter = _blocks(paper, "matter")
    for printed in ("Contents lists available at ScienceDirect", "journal homepage: www.elsevier.com/locate/dib",
                    "Data Article", "⁎ Corresponding author.", "E-mail address: ka_maeda@albion.co.jp (K. Sano)."):
        assert printed not in paragraphs
        assert printed in matter
    assert "2018 The Authors. Published by Elsevier" not in paragraphs
    assert paper.abstract.startswith("This article describes the effects of extracts of several plants")


def test_springer_author_addresses_beside_the_abstract_are_matter(realpdf: Path) -> None:
    """Energy Efficiency: each author's address with the e-mail, in small type, sits in the columns of
    the abstract; "contributed equally" and "/ Published online: 16 March 2023" too."""
    paper = _load(realpdf / "springer-2023-s12053-023-10099-4.pdf")
    paragraphs = " ".join(_blocks(paper, "paragraph") + _blocks(paper, "abstract"))
    for printed in ("e-mail: a.singh@tudelft.nl", "University of Galway", "contributed equally",
                    "Published online: 16 March 2023"):
        assert printed not in paragraphs
    matter = " ".join(_blocks(paper, "matter"))
    assert "A. Singh e-mail: a.singh@tudelft.nl" in matter
    assert paper.abstract.startswith("Schools are complex physical and social institutions")  # "Abstract" run in


def test_byline_on_a_paragraph_per_line(realpdf: Path) -> None:
    """European Psychiatry: four byline lines, each read as a paragraph of its own; all eleven names."""
    paper = _load(realpdf / "cambridge-2026-j.eurpsy.2026.10169.pdf")
    assert [a.family for a in paper.authors] == [
        "Peuskens", "Detraux", "Catthoor", "Van den Broeck", "Bellens", "Vandendriessche", "Van Meel", "De Hert",
        "Luykx", "Van Den Bossche", "Morrens"]
    assert paper.venue == "European Psychiatry"  # its cite-as line: "... a scoping review. European Psychiatry, 69(1), e35"


def test_venue_from_the_cite_as_line_and_a_structured_abstract(realpdf: Path) -> None:
    """PLOS ONE prints the journal only in its citation line ("... docking studies. PLoS ONE 13(3): e0193451.")
    and a structured abstract under "Abstract" (Background, Methods, Results, Conclusion)."""
    paper = _load(realpdf / "plos-2018-journal.pone.0193451.pdf")
    assert paper.venue == "PLoS ONE"
    assert paper.abstract.startswith("Ursolic acid (UA) is a promising molecule")
    assert "The overall results proved that the prepared OLE-NLCs were very effective" in paper.abstract
    assert "Rheumatoid arthritis (RA) is a most common" not in paper.abstract  # the Introduction's first words


def test_venue_from_a_running_head_page_one_prints(realpdf: Path) -> None:
    """Renal Failure (T&F): "RENAL FAILURE" atop page 1 and as the running head of the pages after."""
    paper = _load(realpdf / "tandf-2021-0886022x.2020.1866009.pdf")
    assert paper.venue == "RENAL FAILURE"


def test_unlabelled_abstract_is_the_first_long_paragraph(realpdf: Path) -> None:
    """Scientific Reports sets the abstract in bold under the byline, with no heading."""
    paper = _load(realpdf / "nature-2018-s41598-017-17153-z.pdf")
    assert paper.abstract.startswith("Ocimum kilimandscharicum is unique in possessing terpenoids")
    assert "Ocimum (Tulsi), an important member of Lamiaceae" not in paper.abstract


def test_conference_foot_of_page_one(shared_dir: Path) -> None:
    """ACL 2020: "Proceedings of the 58th Annual Meeting ..., pages 2270–2282 / July 5 - 10, 2020. ©2020
    Association for Computational Linguistics" at the foot of page 1 was read into the sentence above it."""
    paper = _load(shared_dir / "corpus" / "pdf" / "acl-2020.acl-main.207.publisher.pdf")
    assert "Proceedings of the 58th" not in paper.text
    assert "outperform the state-of-the-art on a variety of document-level tasks" in " ".join(paper.text.split())
    assert paper.venue == "Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics"


def test_venue_from_the_whole_cite_as_paragraph_and_without_the_author(realpdf: Path, shared_dir: Path) -> None:
    """Jaypee: "How to cite this article: Pai RK, ... An in vitro Study. Int J Clin Pediatr Dent 2015;8(2):99-101."
    whose last line alone ("Dent 2015;8(2):99-101.") gave the venue "Dent"; eLife's running foot "Marder. eLife
    2012;1:e00353" names the author (page 1: "Eve Marder explains ...") before the journal."""
    assert _load(realpdf / "jaypee-2015-jp-journals-10005-1292.pdf").venue == "Int J Clin Pediatr Dent"
    assert _load(shared_dir / "corpus" / "pdf" / "elife-00353-v1.publisher.pdf").venue == "eLife"


def test_keywords_panel_under_its_label_is_matter(realpdf: Path) -> None:
    """Frontiers: "KEYWORDS" in 5.5-pt capitals over the list in the text's 8-pt type, in the side panel."""
    paper = _load(realpdf / "frontiers-2026-fpls.2026.1798826.pdf")
    assert ("KEYWORDS citrus, climate change, drought, elevated CO2, fertigation, fruit quality, Huanglongbing, "
            "nutrient-use-efficiency") in _blocks(paper, "matter")
    assert not any(t.startswith(("KEYWORDS", "citrus, climate change")) for t in _blocks(paper, "paragraph"))
    # the correspondence panel's addresses, cut off from their label: names and e-mail addresses, no sentence
    assert "aksrivas2007@gmail.com" not in " ".join(_blocks(paper, "paragraph"))
