"""Math fonts whose ToUnicode table is wrong (issue 10 item 4): the Advent 3B2 typesetter's symbol fonts read
as Latin-1 letters ("p ¼ 0.01", "SST ðT0Þ", "model 2 þDM history"). Expected text checked by hand against the
rendered pages (pymupdf at 3x): T&F page 3 prints "p = 0.01" and page 7 "model 2 +DM history + CVD history +";
Nature s41467 page 4 prints "SST (T′)" in Table 1."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest import load_paper
from reader.ingest.pdf_glyphs import by_code as _wrong_unicode


@pytest.fixture(scope="module")
def tandf(realpdf: Path) -> str:
    return load_paper(realpdf / "tandf-2021-0886022x.2020.1866009.pdf").text


def test_advent_equals_and_plus_signs_read_as_printed(tandf: str) -> None:
    assert "21.6 ± 3.5, p = 0.01)" in tandf
    assert "model 2 +DM history + CVD history +" in " ".join(tandf.split())
    assert "¼" not in tandf and "þ" not in tandf


def test_advent_parentheses_read_as_printed(realpdf: Path) -> None:
    text = load_paper(realpdf / "nature-2024-s41467-024-48900-2.pdf").text
    assert "SST (T" in text
    assert "ð" not in text and "Þ" not in text


def test_only_the_known_fonts_are_translated() -> None:
    """Icelandic þ and ð, or a printed ¼, in any other font are letters: nothing changes them."""
    for font in ("MinionPro-Regular", "TimesNewRomanPS", "AdvOT46dcae81", "AdvTT3f84ef53", "Helvetica"):
        assert _wrong_unicode(font) is None
    for font in ("AdvP4C4E74", "ABCDEF+AdvP4C4E59", "AdvMacMthSyN", "TeX_CM_Maths_Symbols"):
        table = _wrong_unicode(font)
        assert table is not None and "p ¼ 0.01 ðaÞ".translate(table) == "p = 0.01 (a)"
    assert "0.62 ˘ 0.07".translate(_wrong_unicode("TeX-matha10")) == "0.62 ± 0.07"  # type: ignore[arg-type]
