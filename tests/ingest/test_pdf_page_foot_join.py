"""A sentence cut at page 1's foot goes on at the top of page 2's running text, though page 1's side panel
(key points, correspondence, citation, history, author contributions: read after the main column) and page 2's
figure stand between them. Checked on the rendered pages of Wiley's GeoHealth commentary: page 1 ends "at the
community level, including", page 2's text under Figure 1 opens "population mental health (National
Academies ..., 2024)"."""
from __future__ import annotations

from reader.ingest import load_paper


def test_the_sentence_goes_on_across_the_side_panel(realpdf) -> None:
    text = load_paper(realpdf / "wiley-2026-2025gh001597.pdf").text
    assert "at the community level, including population mental health (National Academies" in text
