"""A paragraph cut at a page foot inside a citation group ("... host lipids [Camus et al." / "2002; Cole et
al. 1998] ..."): the full stop of "et al." is no sentence end while the bracket is open, so the two halves are
one paragraph and the group one citation. The pages are made here as LaTeX's author-year styles set them (an
ACM author-year page where the group broke across pages lost all four citations)."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper

FILLER = "The lipolytic enzymes of the bacterium were measured in each of the samples taken from the host"


def _pdf(tmp_path, foot: str, top: str):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 50), "Lipolytic enzymes in the host", fontsize=16)
    for i in range(52):
        page.insert_text((72, 72 + 12.5 * i), FILLER + ("," if i < 51 else ""), fontsize=10)
    page.insert_text((72, 72 + 12.5 * 52), foot, fontsize=10)
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 72), top, fontsize=10)
    for i in range(1, 30):
        page.insert_text((72, 72 + 12.5 * i), FILLER + ("," if i < 29 else "."), fontsize=10)
    path = tmp_path / "cut.pdf"
    doc.save(path)
    return path


def test_a_citation_group_cut_at_the_page_foot_is_joined(tmp_path) -> None:
    paper = load_paper(_pdf(tmp_path, "and so on in membrane host lipids [Camus et al.",
                            "2002; Cole et al. 1998]. Therefore, these enzymes are thought to matter."))
    assert "host lipids [Camus et al. 2002; Cole et al. 1998]. Therefore" in paper.text


def test_a_sentence_ended_at_the_page_foot_stays_ended(tmp_path) -> None:
    paper = load_paper(_pdf(tmp_path, "and so on as described by Camus et al.",
                            "2002 was the year the enzymes were first described in the host."))
    assert "described by Camus et al.\n\n2002 was the year" in paper.text
