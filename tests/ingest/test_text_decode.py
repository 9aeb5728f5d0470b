"""Decoding text files whatever their encoding, and undoing markdown."""
from __future__ import annotations

import codecs

from reader.ingest.text import clean_markdown, decode_text


def test_encodings():
    word = "Café naïve — “quoted”"
    assert decode_text(word.encode("utf-8")) == (word, None)
    assert decode_text(codecs.BOM_UTF8 + word.encode("utf-8")) == (word, None)
    assert decode_text(word.encode("utf-16")) == (word, None)
    assert decode_text(word.encode("cp1252")) == (word, "not UTF-8: read as Windows-1252")
    text, warning = decode_text("Caf\u00e9 ok".encode("utf-8") + b"\xff" + " and more text".encode())
    assert text == "Café ok\ufffd and more text" and warning == "1 byte(s) were not valid UTF-8 and were replaced"


def test_markdown_artefacts():
    assert clean_markdown("## 2. Methods") == ("2. Methods", 2)
    assert clean_markdown("costs \\$33 in *Arbor* and **bold** [a link](https://x.org) <sup>2</sup>") == (
        "costs $33 in Arbor and bold a link 2", 0)
    assert clean_markdown("2 * 3 * 4 stays") == ("2 * 3 * 4 stays", 0)
