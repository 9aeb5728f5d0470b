"""Character normalising (reader/normalize.py) as every loader uses it: each rule, checked by hand."""
from __future__ import annotations

import pytest

from reader.normalize import normalize_characters


@pytest.mark.parametrize("raw, normal", [
    ("\ufb01nd the o\ufb03ce and \ufb06op", "find the office and stop"),  # ligatures to letters
    ("co\u00adoperate zero\u200bwidth\u2060 \ufeffmark", "cooperate zerowidth mark"),  # invisible ones out
    ("a\u00a0b\u2009c\u3000d\u202fe", "a b c d e"),  # odd spaces to plain ones
    ("bell\x07 and\x0c feed\x1f", "bell and feed"),  # control characters out
    ("tab\there\nnew line\r", "tab\there\nnew line\r"),  # tab, newline and return kept
    ("box \ufffd gone", "box  gone"),
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937"),  # ZWNJ, ZWJ stay
    ("plain ASCII text.", "plain ASCII text."),
    ("Z-\U0001d6fd-ocimene, 20 \U0001d707l, patients (\U0001d45b)", "Z-\u03b2-ocimene, 20 \u03bcl, patients (n)"),  # math italic
    ("graph \U0001d4a2, vector \U0001d431", "graph \U0001d4a2, vector \U0001d431"),  # script and bold mean other things
    ("at 60 \u25e6C and 45\u25e6, 37 \u00baC", "at 60 °C and 45°, 37 °C"),  # degree look-alikes
    ("600 \u2126, 1.5 \u212b, 300 \u212a", "600 \u03a9, 1.5 \u00c5, 300 K"),  # ohm, ångström, kelvin signs
])
def test_each_character_rule(raw: str, normal: str) -> None:
    assert normalize_characters(raw) == normal


def test_a_long_text_with_few_changes_keeps_the_rest_as_it_is() -> None:
    text = "Caf\u00e9 r\u00e9sum\u00e9 na\u00efve \u2013 " * 20_000 + "e\ufb00ect"
    assert normalize_characters(text) == text[:-5] + "effect"
