"""What a PDF's private-use characters stand for, read from the paper's own words.

A font may give a glyph no Unicode meaning: MuPDF then reports a private-use code point (U+E000-U+F8FF), or
``pdf_glyphs`` makes one of a control code set between letters (U+F0000 + the code). Most
often it is a ligature the typesetter drew as one glyph ("\ue104uorescence", "signi\ue103cant"); dropping it
leaves "uorescence", which nobody searches for. A code is read as the ligature (fi, fl, ff, ffi, ffl) that turns
the words it sits in into words the same paper prints elsewhere with plain letters (a title, a heading or the
references set in another font), and as nothing when no ligature does: a symbol or an icon is left out, as
before. The choice is made once per code for the whole paper, by the distinct words that support it.
"""
from __future__ import annotations

import re
from collections import defaultdict

# MuPDF's private-use codes, and those ``pdf_glyphs`` gives a font's unknown control codes (U+F0000 + code)
_CODES = "\ue000-\uf8ff\U000f0000-\U000f001f"
_PRIVATE = re.compile(f"[{_CODES}]")
_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"{_LETTER}+")
_WORD_WITH_PRIVATE = re.compile(rf"{_LETTER}*[{_CODES}]{_LETTER}*")
# the ligatures typesetters draw as one glyph; "ti", "tt" and "ft" are those of the fonts word processors
# use (Calibri, Cambria: "popula\x02on")
_LIGATURES = ("fi", "fl", "ff", "ffi", "ffl", "ti", "tt", "ft")
DROPPED = {c: None for c in [*range(0xE000, 0xF900), *range(0xF0000, 0xF0020)]}  # every one left out


def has_private_use(text: str) -> bool:
    return _PRIVATE.search(text) is not None


def private_use_meanings(texts: list[str]) -> dict[int, str | None]:
    """A ``str.translate`` table for the paper's texts: each private-use code to the ligature its words show,
    or to nothing."""
    marked = [t for t in texts if has_private_use(t)]
    if not marked:
        return DROPPED
    vocabulary = {w.lower() for t in texts for w in _WORD.findall(t)}
    support: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for text in marked:
        for match in _WORD_WITH_PRIVATE.finditer(text):
            word = match.group()
            codes = set(_PRIVATE.findall(word))
            if len(codes) != 1 or len(word) < 3:
                continue  # a lone glyph, or two unknown glyphs in one word: nothing to read it by
            code = codes.pop()
            for ligature in _LIGATURES:
                spelt = word.replace(code, ligature).lower()
                if spelt in vocabulary:
                    support[code][ligature].add(spelt)
    table = dict(DROPPED)
    for code, by_ligature in support.items():
        ranked = sorted(by_ligature.items(), key=lambda item: -len(item[1]))
        if len(ranked) == 1 or len(ranked[0][1]) > len(ranked[1][1]):
            table[ord(code)] = ranked[0][0]
    return table
