"""Captions, page-foot notes and matter out of the reading flow, kept as blocks of their own."""
from __future__ import annotations

import pytest

from reader.ingest.matter import is_matter
from reader.ingest.pdf import load_pdf


@pytest.mark.parametrize("text", [
    "Received: 12 March 2020 / Accepted: 3 May 2020",
    "Manuscript received: September 9, 2024",
    "*Correspondence: a.author@example.org",
    "Correspondence to: J. Smith, Department of Things",
    "Citation: Smith J (2020) A paper. PLoS ONE 15(3): e0123.",
    "© The Author(s) 2021. Open Access This article is licensed under a Creative Commons licence",
    "Edited by: Jane Doe, University of Somewhere",
    "These authors contributed equally to this work.",
    "Author details 1School of Public Health, Some University",
])
def test_matter(text: str) -> None:
    assert is_matter(text)


@pytest.mark.parametrize("text", [
    "Received signal strength was low in the 2019 trials.",
    "Accepted patients were treated in 2019 at two sites.",
    "Citation analysis shows that the field grew.",
    "Copy number variation was measured in all samples." * 30,  # long: running text whatever its start
])
def test_not_matter(text: str) -> None:
    assert not is_matter(text)


def test_front_and_back_matter_of_a_bmc_article(realpdf) -> None:
    # Page 1: byline, "* Correspondence: ..." and the licence at the foot of the left column; page 10:
    # "Author details 1School of Public Health, ... 2Child Health Advocacy Institute ..." and
    # "Received: 20 June 2020 Accepted: 7 March 2021".
    paper = load_pdf((realpdf / "bmc-2021-s12913-021-06248-z.pdf").read_bytes(), "bmc.pdf")
    matter = [paper.block_text(b) for b in paper.blocks if b.kind == "matter"]
    assert any(m.startswith("* Correspondence: zhaoliebin@scmc.com.cn") for m in matter)
    assert any(m.startswith("© The Author(s). 2021 Open Access") for m in matter)
    assert any(m.startswith("Author details 1School of Public Health") for m in matter)
    assert "Received: 20 June 2020 Accepted: 7 March 2021" in matter
    paragraphs = [paper.block_text(b) for b in paper.blocks if b.kind in ("paragraph", "abstract")]
    assert not any("Correspondence" in p or "Creative Commons" in p for p in paragraphs)
    captions = [paper.block_text(b) for b in paper.blocks if b.kind == "caption"]
    assert captions and all(c.startswith(("Fig.", "Table")) for c in captions)
