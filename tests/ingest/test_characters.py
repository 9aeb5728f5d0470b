"""Characters as printed: accents joined to their letters, broken font tables read right, no U+FFFD.

The real-page expectations were read off the rendered pages (pymupdf clip at 150 dpi).
"""
from __future__ import annotations

import pymupdf
import pytest

from reader.ingest import load_paper
from reader.ingest.pdf_fragments import normalise_text
from reader.ingest.pdf_ligatures import private_use_meanings
from reader.ingest.pdf_lines import extract_lines
from reader.normalize import compose_accents, normalize_characters


@pytest.mark.parametrize("raw, printed", [
    ("L´opez", "López"),  # spacing acute before its letter (TeX)
    ("1.14 ˚A", "1.14 Å"),
    ("Rodrı́guez", "Rodríguez"),  # dotless i with a combining acute
    ("Lo¨ıc", "Loïc"),
    ("ˇReh˚uˇrek", "Řehůřek"),
    ("Charite´ Berlin", "Charité Berlin"),  # an accent ending the word goes on the letter before it
    ("Franc¸ois", "François"),
    ("Or˘a¸stie", "Orăştie"),
    ("Z̆agminas", "Z̆agminas"),  # no precomposed letter: left as it was
    ("Schu¨ttelkopf", "Schüttelkopf"),  # set after its letter: "ü", not the rare "ẗ" it also makes
    ("o¨a", "oä"),  # both common: the letter after it, as TeX writes it
    ("c\u20dd2020 by", "©2020 by"),  # LaTeX's \textcopyright, circle and c in two fonts
    ("at 60 \u25e6C, then 7\u25e6C/min", "at 60 °C, then 7°C/min"),  # TeX's $^\circ$
    ("27±2 \u02daC", "27±2 °C"),  # a spacing ring after a number and before C is a degree
    ("turned 45\u2218, then", "turned 45°, then"),
    ("1.14 \u02daA, 1\u00ba lugar, f\u2218g", "1.14 Å, 1º lugar, f∘g"),  # an ångström, an ordinal, a composition
    ("it’s 3^2", "it’s 3^2"),
])
def test_accents_join_their_letters(raw: str, printed: str) -> None:
    text, where = compose_accents(raw)
    assert text == printed
    assert len(where) == len(raw) + 1 and where[-1] == len(text)


def test_offsets_follow_the_composition() -> None:
    raw = "L´opez12 and more"
    text, where = compose_accents(raw)
    assert text[where[6]:where[8]] == "12"  # a superscript after the name keeps pointing at "12"


def test_replacement_character_is_left_out() -> None:
    assert normalize_characters("figure \ufffd\ufffd text") == "figure  text"


def test_private_use_glyphs_are_left_out() -> None:
    """A span keeps them (the whole paper's words may show a ligature: ``pdf_ligatures``); a glyph no word
    explains is left out of the paper's text then."""
    text = normalise_text("a symbol \ue001 with no meaning")
    assert text == "a symbol \ue001 with no meaning"
    assert text.translate(private_use_meanings([text])) == "a symbol  with no meaning"


def test_accents_in_a_made_pdf() -> None:
    doc = pymupdf.open()
    page = doc.new_page()  # Helvetica's WinAnsi encoding has the spacing diaeresis, acute and cedilla
    page.insert_text((72, 200), "Results by L\u00b4opez, St\u00a8ockle and Franc\u00b8ois were repeated.",
                     fontsize=11)
    lines = [ln.text for ln in extract_lines(doc.tobytes()).lines]
    assert lines == ["Results by López, Stöckle and François were repeated."]


def test_tex_accents_on_a_real_page(realpdf) -> None:
    paper = load_paper(realpdf / "hindawi-2016-6047876.pdf")
    assert "U. Stöckle, and M. Raschke" in paper.text  # reference [1], page 4
    assert "¨" not in paper.text


def test_mathastext_font_reads_as_printed(realpdf) -> None:
    # MDPI 2016 set operators in TeX-matha fonts whose Unicode table is wrong: "±" came out as "˘"
    paper = load_paper(realpdf / "mdpi-2016-molecules21020183.pdf")
    assert "Results were means ± SEM of" in paper.text  # page 3
    assert "resistance values exceed 600 Ω· cm2 were used" in paper.text  # page 10: "Ω·cm²" printed
    assert "˘" not in paper.text and "˝" not in paper.text


def test_angstrom_on_a_real_page(realpdf) -> None:
    paper = load_paper(realpdf / "hindawi-2018-3127214.pdf")
    assert "with an atomic size of 1.14 Å, form" in paper.text  # page 6


def test_tex_degrees_and_copyright_on_a_real_page(realpdf) -> None:
    paper = load_paper(realpdf / "mdpi-2017-ma10010045.pdf")
    assert "a temperature program starting at 60 °C, with a heating rate of 7 °C/min" in paper.text  # page 16
    assert "\u25e6" not in paper.text


def test_accent_after_its_letter_on_a_real_page(realpdf) -> None:
    paper = load_paper(realpdf / "plos-2018-journal.pone.0193451.pdf")
    assert any("Schüttelkopf AW, van Aalten DM" in ref.raw for ref in paper.references)  # reference 41, page 21
