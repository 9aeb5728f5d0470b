"""A note at the foot of page 1's left column, in small type (LaTeX classes put it there: elsarticle's
"Preprint submitted to Elsevier", acmart's permission block ending in a DOI, IEEEtran's affiliations): the
sentence left open above it goes on atop the right column, and that text is no rest of the note. Made as those
pages are set: 10 pt text in two columns, the note in 7 pt under the left column's last line."""
from __future__ import annotations

import pymupdf

from reader.ingest import load_paper

FILLER = "lipolytic enzymes were measured in each sample"


def _page(tmp_path):  # type: ignore[no-untyped-def]
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((54, 60), "Lipolytic enzymes of the host", fontsize=16)
    for i in range(40):
        page.insert_text((54, 100 + 12 * i), FILLER + "," if i < 39 else "and so open the way to", fontsize=10)
    for i, line in enumerate(("Permission to make digital or hard copies of all or part of this work",
                              "is granted without fee. ACM ISBN 978-x-xxxx-xxxx-x/YY/MM",
                              "https://doi.org/10.1145/nnnnnnn.nnnnnnn")):
        page.insert_text((54, 660 + 9 * i), line, fontsize=7)
    page.insert_text((318, 100), "further investigations of the enzymes in it.", fontsize=10)
    for i in range(1, 40):
        page.insert_text((318, 100 + 12 * i), FILLER + ("," if i < 39 else "."), fontsize=10)
    path = tmp_path / "note.pdf"
    doc.save(path)
    return path


def test_the_sentence_goes_on_across_page_ones_note(tmp_path) -> None:
    text = load_paper(_page(tmp_path)).text
    assert "open the way to further investigations of the enzymes" in text
    assert "nnnnnnn.nnnnnnn further" not in text
