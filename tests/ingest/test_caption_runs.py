"""Captions and table notes on real pages: a caption wrapped in heading-sized type, a caption label alone
on its line, a table's notes in small type without a label. Expected texts read off the rendered pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.pdf import load_pdf


@pytest.fixture(scope="module")
def nature(realpdf: Path):  # type: ignore[no-untyped-def]
    path = realpdf / "nature-2024-s41467-024-48900-2.pdf"
    return load_pdf(path.read_bytes(), str(path))


@pytest.fixture(scope="module")
def frontiers(realpdf: Path):  # type: ignore[no-untyped-def]
    path = realpdf / "frontiers-2026-fpls.2026.1819890.pdf"
    return load_pdf(path.read_bytes(), str(path))


def _blocks(paper, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [paper.block_text(b) for b in paper.blocks if b.kind == kind]


def test_a_caption_wrapped_in_larger_type_is_one_caption(nature) -> None:  # type: ignore[no-untyped-def]
    # page 4: "Table 1 | Contribution of wind–evaporation–SST (WES) feed- / back and oceanic heat transport
    # to the formation of sea sur- / face temperature (SST) pattern", 9 pt over 8-pt text
    captions = _blocks(nature, "caption")
    assert "Table 1 | Contribution of wind–evaporation–SST (WES) feedback and oceanic heat transport to the " \
           "formation of sea surface temperature (SST) pattern" in captions
    assert any(c.startswith("Table 2 | The average of mixed-layer heat budget terms of Ningaloo Niño region by "
                            "choosing decadal Ningaloo Niño events (before 1985 and after 1985)") for c in captions)
    headings = _blocks(nature, "heading")
    assert not any(h.startswith(("back and oceanic", "Ningaloo Niño region by")) for h in headings)


def test_table_notes_without_a_label_are_footnotes_after_their_table(nature) -> None:  # type: ignore[no-untyped-def]
    # page 4: the 6-pt notes right under Table 1 ("Regression of the December–January–February ...") and
    # Table 2 ("The chosen events are December 1970 ...")
    kinds = [(b.kind, nature.block_text(b)) for b in nature.blocks]
    for note in ("Regression of the December–January–February Sea Surface Temperature Anomaly",
                 "The chosen events are December 1970 to December 1972"):
        at = next(i for i, (_, text) in enumerate(kinds) if text.startswith(note))
        assert kinds[at][0] == "footnote"
        assert kinds[at - 1][0] == "caption" and kinds[at - 1][1].startswith("Table")
    paragraphs = _blocks(nature, "paragraph")
    assert not any(p.startswith(("Regression of the December", "The chosen events")) for p in paragraphs)


def test_a_label_alone_takes_the_caption_text_under_it(frontiers) -> None:  # type: ignore[no-untyped-def]
    # page 6: "FIGURE 2" (5.5 pt) alone, then "Impact of climate change on crops. The red text ..." (7 pt)
    # right under it across the page; page 2 likewise "FIGURE 1" over "Research framework. ..."
    captions = _blocks(frontiers, "caption")
    assert any(c.startswith("FIGURE 2 Impact of climate change on crops. The red text in the figure") and
               c.endswith("regional-scale impact of climate change on the crops.") for c in captions)
    assert any(c.startswith("FIGURE 1 Research framework. This review systematically") for c in captions)
    assert "FIGURE 2" not in captions
    paragraphs = _blocks(frontiers, "paragraph")
    assert not any(p.startswith(("Impact of climate change on crops.", "Research framework.")) for p in paragraphs)


def test_notes_set_one_under_another_under_a_table_are_all_footnotes(realpdf: Path) -> None:
    # page 4, under Table 1: "∗After stability test." / "Each observation is the mean values ± SD." /
    # "The formulations were hardened by 2% (w/v) of calcium chloride solution." (three lines of notes)
    path = realpdf / "hindawi-2018-3127214.pdf"
    paper = load_pdf(path.read_bytes(), str(path))
    notes = _blocks(paper, "footnote")
    assert "Each observation is the mean values ± SD." in notes
    assert "The formulations were hardened by 2% (w/v) of calcium chloride solution." in notes
    assert not any("hardened by 2%" in p for p in _blocks(paper, "paragraph"))


def test_a_section_in_smaller_type_under_a_tables_notes_stays_in_the_text(realpdf: Path) -> None:
    # page 3: Table 1's note "ID No. Identification number; +, yes; −, no; /, not tested", then a line of
    # white and the section "Respiratory virus detection / Nucleic acids were extracted from 140 μl ..."
    path = realpdf / "bmc-2020-s12879-020-05258-2.pdf"
    paper = load_pdf(path.read_bytes(), str(path))
    assert "ID No. Identification number; +, yes; −, no; /, not tested" in _blocks(paper, "footnote")
    assert not any("Nucleic acids were extracted" in n for n in _blocks(paper, "footnote"))
    assert any("Nucleic acids were extracted from 140 μl" in p for p in _blocks(paper, "paragraph"))
