"""Real publisher PDFs through the whole PDF loader (sandboxed), checked against their printed pages.

Titles, bylines and reference counts below were read off the rendered first pages and reference lists.
"""
from __future__ import annotations

import pymupdf
import pytest

from reader.ingest import load_paper


@pytest.fixture(scope="module")
def pdf_dir(corpus_dir):
    return corpus_dir / "pdf"


def load(pdf_dir, name):
    return load_paper(pdf_dir / name)


def test_every_corpus_pdf_parses(pdf_dir):
    for path in sorted(pdf_dir.glob("*.pdf")):
        paper = load_paper(path)
        assert paper.format == "pdf" and paper.page_count > 0 and len(paper.text) > 5000, path.name
        assert paper.title, path.name


@pytest.mark.parametrize("name, title, families, references", [
    ("hindawi-rrp-2010-157939.publisher.pdf", "Patient Experiences of Structured Heart Failure Programmes",
     ["Tully", "Morgan", "Burke", "McGee"], 17),
    ("bmc-hsr-2014-agyeman-duah.publisher.pdf",
     "Understanding the barriers to setting up a healthcare quality improvement process in resource-limited "
     "settings: a situational analysis at the Medical Department of Kamuzu Central Hospital in Lilongwe, Malawi",
     ["Agyeman-Duah", "Theurer", "Munthali", "Alide", "Neuhann"], 31),
    ("acl-2020.acl-main.207.publisher.pdf",
     "SPECTER: Document-level Representation Learning using Citation-informed Transformers",
     ["Cohan", "Feldman", "Beltagy", "Downey", "Weld"], None),
    ("bmc-jtmo-2010-4-1.publisher.pdf",
     "Complications related to deep venous thrombosis prophylaxis in trauma: a systematic review of the literature",
     ["Datta", "Ball", "Rudmik", "Hameed", "Kortbeek"], 79),
    ("elife-00569.rendered-from-jats.pdf", "The genome sequence of the colonial chordate, Botryllus schlosseri",
     [], 96),
])
def test_front_matter_and_reference_list(pdf_dir, name, title, families, references):
    paper = load(pdf_dir, name)
    assert paper.title == title
    assert [a.family for a in paper.authors] == families
    if references is not None:
        assert len(paper.references) == references
    for ref in paper.references:
        assert paper.text[ref.start:ref.end] == ref.raw


def test_numbered_reference_lists_keep_their_numbers(pdf_dir):
    paper = load(pdf_dir, "hindawi-rrp-2010-157939.publisher.pdf")
    assert [r.citation_number for r in paper.references] == [str(n) for n in range(1, 18)]
    assert paper.references[0].raw.startswith("[1] E. Braunwald, “Shattuck lecture")


def test_page_spans_map_text_back_onto_the_page(pdf_dir):
    path = pdf_dir / "peerj-cs-118.publisher.pdf"
    paper = load_paper(path)
    assert paper.pages
    doc = pymupdf.open(path)
    sample = paper.pages[:: max(1, len(paper.pages) // 40)]
    for span in sample:
        words = paper.text[span.start:span.end].split()
        word = max(words, key=len)
        hits = doc[span.page - 1].search_for(word, clip=pymupdf.Rect(span.bbox) + (-2, -2, 2, 2))
        assert hits, (span.page, word)
