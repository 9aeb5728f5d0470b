"""Glyphs the PDF text layer gives no Unicode for, read as printed (issue 10 item 4: "±, ×, ° ... as printed,
no U+FFFD in the text: a glyph with no Unicode meaning is left out").

Every expected string was checked by hand against the rendered page (pymupdf at 200 dpi):
- clinsci page 1 prints "(Ki = 11.21 ± 0.74 nM)", its ± drawn as a "+" with a "−" set under it;
- LWW md.24588 page 2 prints "0.25 mm × 40 mm", Advent's glyph "C2" in AdvP4C4E74 (code \\x01 there);
- Wiley aphw.70157 prints "1.1°C" (glyph "C14"), "Hróbjartsson" (an acute accent, "C19" of AdvP4C4E59),
  "g = −0.06" (glyph "C0"), and a URL's "#:~:text=" (glyph "C24");
- T&F renal page 2 prints "Patients aged ≥18 years" ("C21"), page 1 "Jianbo Lia,b*" and "© 2021" (AdvT001);
- Cambridge eurpsy page 1 prints "(b = −0.08, SE = 0.07" (glyph "C0" at another code than in Wiley);
- Wiley cssc page 6 prints "0.1 mol L−1 sugar" with TeX_CM_Maths_Symbols's code \\x00 (TeX's OMS minus);
- PLOS pone.0193451 Table 2 prints "1.47 ± 0.06**" with the OMS asterisk (\\x03).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest import load_paper
from reader.ingest.pdf_glyphs import by_code
from reader.ingest.pdf_ligatures import private_use_meanings
from reader.normalize import normalize_characters


def _text(path: Path) -> str:
    return " ".join(load_paper(path).text.split())


def test_a_plus_drawn_over_a_minus_is_plus_minus(corpus_dir: Path) -> None:
    text = _text(corpus_dir / "pdf" / "clinsci-2014-cs20130403.publisher.pdf")
    assert "(Ki = 11.21 ±0.74 nM)" in text
    assert "+−" not in text


def test_advent_glyphs_read_by_their_names(realpdf: Path) -> None:
    lww = _text(realpdf / "lww-2021-md.0000000000024588.pdf")
    assert "0.25mm×40mm" in lww
    wiley = _text(realpdf / "wiley-2026-aphw.70157.pdf")
    assert "1.1°C above 1850-1900" in wiley
    assert "Hróbjartsson, A." in wiley
    assert "from g = −0.06 to 0.57" in wiley
    assert "anxiety#:~:text=Anxiety" in wiley


def test_one_glyph_name_means_one_sign_whatever_its_code(realpdf: Path) -> None:
    """AdvP4C4E74's minus is code \\x02 in Wiley's font subset and \\x01 in Cambridge's."""
    cambridge = _text(realpdf / "cambridge-2026-j.eurpsy.2026.10169.pdf")
    assert "(b = −0.08, SE = 0.07" in cambridge
    tandf = _text(realpdf / "tandf-2021-0886022x.2020.1866009.pdf")
    assert "Patients aged ≥18 years" in tandf
    assert "Jianbo Lia,b*" in tandf


def test_elsevier_copyright_sign(realpdf: Path) -> None:
    """Data in Brief page 1 prints "© 2018 The Authors. Published by Elsevier Inc." (checked on the render);
    Advent's AdvTA42 gives that © the code of "&"."""
    everything = _text(realpdf / "elsevier-2018-j.dib.2018.03.044.pdf")  # matter blocks included
    assert "© 2018 The Authors. Published by Elsevier Inc." in everything
    assert "& 2018 The Authors" not in everything


def test_tex_math_symbols_without_an_encoding_read_as_tex_prints_them(realpdf: Path) -> None:
    cssc = _text(realpdf / "wiley-2025-cssc.202401973.pdf")
    assert "0.1 molL−1 sugar" in cssc
    plos = _text(realpdf / "plos-2018-journal.pone.0193451.pdf")
    assert "1.47 ± 0.06∗∗" in plos


def test_word_processor_symbol_font() -> None:
    """Word's Symbol font gives its glyphs as U+F000 + the Symbol code (Adobe's Symbol encoding: 0x6D is μ,
    0x62 β, 0xB1 ±, 0xB3 ≥); fonts that merely have Symbol in their name are left alone."""
    table = by_code("SymbolMT")
    assert table is not None
    assert "\uf06d \uf062\uf03d\uf032 \uf0b1\uf0b3".translate(table) == "μ β=2 ±≥"
    assert "a".translate(by_code("ABCDEF+Symbol") or {}) == "α"
    for font in ("SymbolGreekU", "EuclidSymbol", "MinionPro-Regular", "Calibri"):
        assert by_code(font) is None


def test_copyright_sign_drawn_as_c_in_a_circle() -> None:
    assert normalize_characters("July 5 - 10, 2020. c\u20dd2020 Association") == "July 5 - 10, 2020. ©2020 Association"
    assert normalize_characters("C\u20ddThe Authors") == "©The Authors"
    assert normalize_characters("R\u20dd") == "®"


def test_unknown_glyph_between_letters_read_as_the_ligature_the_paper_shows() -> None:
    """Calibri's "ti" drawn as one glyph with no Unicode ("popula\\x02on" in a Word PDF's figure)."""
    unknown = "\U000f0002"
    texts = [f"General popula{unknown}on (n=63)", f"Double publica{unknown}on", "the general population",
             "in this publication"]
    table = private_use_meanings(texts)
    assert texts[0].translate(table) == "General population (n=63)"
    assert "a lone \U000f0005 sign".translate(private_use_meanings(["a lone \U000f0005 sign"])) == "a lone  sign"


@pytest.mark.parametrize("font", ["AdvP4C4E74", "AdvMacMthSyN", "TeX_CM_Maths_Symbols", "MT2SYT"])
def test_letters_and_digits_of_the_math_fonts_stay(font: str) -> None:
    table = by_code(font)
    assert table is not None and "abc xyz 0123".translate(table) == "abc xyz 0123"
