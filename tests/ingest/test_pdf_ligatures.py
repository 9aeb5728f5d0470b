"""Private-use characters in a PDF's text (issue 10 item 4): a ligature the font gave no Unicode meaning is
read from the paper's own words; anything else is left out, as before."""
from __future__ import annotations

from pathlib import Path

from reader.ingest import load_paper
from reader.ingest.pdf_ligatures import private_use_meanings

FL, FI, ICON = "\ue104", "\ue103", "\ue0a0"


def test_a_code_is_the_ligature_that_makes_words_the_paper_prints_elsewhere() -> None:
    texts = [f"Native {FL}uorescence was signi{FI}cant", "Fluorescence of a significant flask",
             f"the {FL}ask and the {FL}uorescence"]
    table = private_use_meanings(texts)
    assert [t.translate(table) for t in texts[::2]] == ["Native fluorescence was significant",
                                                        "the flask and the fluorescence"]


def test_a_code_no_word_explains_is_left_out() -> None:
    texts = [f"{ICON} Open access", f"de{ICON}ne the model", "nothing here defines it"]
    table = private_use_meanings(texts)
    assert texts[0].translate(table) == " Open access"
    assert texts[1].translate(table) == "dene the model"  # "defi/defl/deff..ne" is no word of this paper


def test_a_paper_without_private_use_characters_is_untouched() -> None:
    assert "fluorescence".translate(private_use_meanings(["fluorescence"])) == "fluorescence"


def test_an_rsc_paper_s_ligatures_read_as_printed(realpdf: Path) -> None:
    """RSC Advances sets fi, fl and ff in its body font as glyphs with no Unicode meaning; checked against
    page 2 as rendered: "the use of native fluorescence, without derivatization or fluorescent tagging,
    offers an even greener approach"."""
    text = " ".join(load_paper(realpdf / "rsc-2025-d5ra05505a.pdf").text.split())
    assert ("the use of native fluorescence, without derivatization or fluorescent tagging, offers an even "
            "greener approach") in text
    assert " uorescence" not in text and "signicant" not in text and "\ue104" not in text
