"""What a font's glyphs mean where the PDF's text layer gives them no Unicode, or the wrong one.

Four kinds of fonts, each read through what is known of it, never guessed:

- *Fonts with a wrong Unicode table* (``by_code``): TeX's "mathastext" fonts (TeX-matha10: "37 ˝C",
  "0.62 ˘ 0.07"); the Advent 3B2 typesetter's math fonts, whose codes read as Latin-1 ("p ¼ 0.01", "SST ðT0Þ");
  TeX's math symbol fonts set with no encoding (Advent's TeX_CM_Maths_Symbols, CMSY, MathTime's MT2SY), whose
  control codes are TeX's OMS encoding ("mol L\\x00 1" is "mol L− 1", "\\x06" is "±"); the Symbol font of
  word processors, whose Greek and math come as private-use codes (U+F06D for μ) or as the Latin letters
  the Symbol encoding puts them at.
- *Advent's subset fonts* (``by_glyph_name``): their control codes differ from paper to paper (\\x01 is "−"
  in one, "×" in another), but the font's encoding names each glyph ("/C2"), and a name means the same
  glyph in every paper: "C2" of AdvP4C4E74 is "×" ("0.25mm×40mm"), "C19" of AdvP4C4E59 an acute accent
  ("L´opez"). Each name here was read off printed pages and the publishers' JATS; the rest are left out.
- *A plus over a minus* (``overstruck_plus_minus``): some typesetters draw "±" as a "+" with a "−" set
  below it at the same place ("11.21 +− 0.74 nM").
- *Any other control code between letters* is a glyph with no meaning the font gives, most often a
  ligature drawn as one glyph ("popula\\x02on", Calibri's "ti"): it becomes a private-use code of its own
  (``unknown_glyph``) and ``pdf_ligatures`` reads it from the paper's words, like MuPDF's private-use codes.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pymupdf

_SUBSET = r"^(?:[A-Z]{6}\+)?"

# TeX's OMS encoding (the math symbol fonts cmsy and its clones): its control codes.
_OMS_CONTROLS = {
    0x00: "−", 0x01: "·", 0x02: "×", 0x03: "∗", 0x04: "÷", 0x05: "⋄", 0x06: "±", 0x07: "∓", 0x08: "⊕",
    0x09: "⊖", 0x0A: "⊗", 0x0B: "⊘", 0x0C: "⊙", 0x0D: "○", 0x0E: "∘", 0x0F: "•", 0x10: "≍", 0x11: "≡",
    0x12: "⊆", 0x13: "⊇", 0x14: "≤", 0x15: "≥", 0x16: "⪯", 0x17: "⪰", 0x18: "∼", 0x19: "≈", 0x1A: "⊂",
    0x1B: "⊃", 0x1C: "≪", 0x1D: "≫", 0x1E: "≺", 0x1F: "≻",
}
# The Adobe Symbol encoding where it differs from ASCII: Greek at the Latin letters, and the math signs.
_SYMBOL_LETTERS = dict(zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖαβχδεφγηιϕκλμνοπθρστυϖωξψζ"))
_SYMBOL_HIGH = {
    0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5C: "∴", 0x5E: "⊥", 0x7E: "∼",
    0xA1: "ϒ", 0xA2: "′", 0xA3: "≤", 0xA4: "⁄", 0xA5: "∞", 0xA6: "ƒ", 0xA7: "♣", 0xA8: "♦", 0xA9: "♥",
    0xAA: "♠", 0xAB: "↔", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB2: "″",
    0xB3: "≥", 0xB4: "×", 0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡", 0xBB: "≈",
    0xBC: "…", 0xC0: "ℵ", 0xC1: "ℑ", 0xC2: "ℜ", 0xC3: "℘", 0xC4: "⊗", 0xC5: "⊕", 0xC6: "∅", 0xC7: "∩",
    0xC8: "∪", 0xC9: "⊃", 0xCA: "⊇", 0xCB: "⊄", 0xCC: "⊂", 0xCD: "⊆", 0xCE: "∈", 0xCF: "∉", 0xD0: "∠",
    0xD1: "∇", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xD5: "∏", 0xD6: "√", 0xD7: "⋅", 0xD8: "¬", 0xD9: "∧",
    0xDA: "∨", 0xDB: "⇔", 0xDC: "⇐", 0xDD: "⇑", 0xDE: "⇒", 0xDF: "⇓", 0xE0: "◊", 0xE1: "〈", 0xE2: "®",
    0xE3: "©", 0xE4: "™", 0xE5: "∑", 0xF1: "〉", 0xF2: "∫",
}


def _symbol_table() -> dict[int, str]:
    table = {ord(latin): greek for latin, greek in _SYMBOL_LETTERS.items()}
    # Word's Symbol font: every code at U+F000 + its Symbol code (U+F06D is "m", so μ)
    for code in range(0x20, 0x100):
        table[0xF000 + code] = _SYMBOL_HIGH.get(code) or _SYMBOL_LETTERS.get(chr(code)) or (
            chr(code) if code < 0x7F else "")
    return table


_ADVENT_MATH = str.maketrans({"¼": "=", "þ": "+", "ð": "(", "Þ": ")"})
_BY_CODE = (
    (re.compile(_SUBSET + r"TeX-matha\d*$"),
     str.maketrans({"˘": "±", "ˆ": "×", "˝": "°", "´": "−", "¨": "·", "“": "=", "p": "(", "q": ")", "{": "/"})),
    (re.compile(_SUBSET + r"(?:AdvP4C4E\d\d|AdvMacMthSy\w*)$"), _ADVENT_MATH),
    # Advent's own Computer Modern symbols: its Latin-1 codes as in its math fonts, its control codes and
    # braces as TeX's OMS encoding puts them ("{100 − (OD of Test − OD of Control)}")
    (re.compile(_SUBSET + r"(?:TeX_CM_Maths_Symbols|CMSY\d*)$"),
     {**_ADVENT_MATH, **_OMS_CONTROLS, ord("f"): "{", ord("g"): "}"}),
    (re.compile(_SUBSET + r"MT2SY\w*$"), dict(_OMS_CONTROLS)),  # MathTime: only its control codes are OMS
    # TeX's text fonts with no encoding (OT1): the accents at control codes ("Balc̆i\x16unaite")
    (re.compile(_SUBSET + r"(?:TeX_CM_Roman|CMR\d*)$"),
     {0x00: "Γ", 0x01: "Δ", 0x02: "Θ", 0x03: "Λ", 0x04: "Ξ", 0x05: "Π", 0x06: "Σ", 0x07: "Υ", 0x08: "Φ",
      0x09: "Ψ", 0x0A: "Ω", 0x0B: "ff", 0x0C: "fi", 0x0D: "fl", 0x0E: "ffi", 0x0F: "ffl", 0x10: "ı", 0x11: "ȷ",
      0x12: "`", 0x13: "´", 0x14: "ˇ", 0x15: "˘", 0x16: "¯", 0x17: "˚", 0x18: "¸", 0x19: "ß", 0x1A: "æ",
      0x1B: "œ", 0x1C: "ø", 0x1D: "Æ", 0x1E: "Œ", 0x1F: "Ø"}),
    # Advent's AdvTA42 (Elsevier's copyright lines): "&" is drawn as "©" ("2352-3409/© 2018 The Authors")
    (re.compile(_SUBSET + r"AdvTA42$"), str.maketrans({"&": "©"})),
    (re.compile(_SUBSET + r"Symbol(?:MT|PS)?(?:[-,](?:Bold|Italic|BoldItalic|Regular))?$"), _symbol_table()),
)

_BY_GLYPH_NAME = (
    (re.compile(_SUBSET + r"AdvP4C4E74$"),
     {"C0": "−", "C2": "×", "C3": "*", "C6": "±", "C14": "°", "C15": "• ", "C21": "≥", "C24": "~"}),
    (re.compile(_SUBSET + r"AdvMacMthSyN$"), {"C0": "−", "C1": "·", "C15": "• "}),
    (re.compile(_SUBSET + r"AdvP4C4E59$"), {"C19": "\u00b4", "C22": "\u00af"}),  # accents, joined later
    (re.compile(_SUBSET + r"AdvT001$"), {"C223": "©"}),
)

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UNKNOWN_BASE = 0xF0000  # supplementary private use: no font's own private-use codes collide with these
_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[\x00-\x08\x0b\x0c\x0e-\x1f](?=[^\W\d_])")
_DIFFERENCES = re.compile(r"/Differences\s*\[(.*?)\]", re.S)


@lru_cache(maxsize=512)
def by_code(font: str) -> dict[int, str] | None:
    """The translation that gives a font's codes their meaning, for a font known to need one."""
    return next((table for name, table in _BY_CODE if name.match(font)), None)


@lru_cache(maxsize=512)
def _named_glyphs(font: str) -> dict[str, str] | None:
    return next((table for name, table in _BY_GLYPH_NAME if name.match(font)), None)


def needs_glyph_names(font: str) -> bool:
    return _named_glyphs(font) is not None


def glyph_name_table(page: pymupdf.Page, font: str) -> dict[int, str]:
    """A font's control codes on this page to what their glyph names mean (``by_glyph_name``). A code
    that two subsets of the font on the page name differently is left alone."""
    meanings = _named_glyphs(font) or {}
    table: dict[int, str] = {}
    clash: set[int] = set()
    doc = page.parent
    for xref, _ext, _type, base, _name, _enc in page.get_fonts():
        if base.split("+")[-1] != font:
            continue
        for code, glyph in _differences(doc, xref).items():
            if code >= 0x20 or glyph not in meanings:
                continue
            if table.get(code, meanings[glyph]) != meanings[glyph]:
                clash.add(code)
            table[code] = meanings[glyph]
    for code in clash:
        del table[code]
    return table


def _differences(doc: pymupdf.Document, font_xref: int) -> dict[int, str]:
    """The glyph names a font's encoding gives its codes (its /Differences array)."""
    kind, value = doc.xref_get_key(font_xref, "Encoding")
    if kind == "xref":
        value = doc.xref_object(int(value.split()[0]))
    elif kind != "dict":
        return {}
    match = _DIFFERENCES.search(value)
    if not match:
        return {}
    names: dict[int, str] = {}
    code = 0
    for token in match.group(1).split():
        if token.startswith("/"):
            names[code] = token[1:]
            code += 1
        elif token.isdigit():
            code = int(token)
    return names


def unknown_glyph(text: str) -> str:
    """Control codes between letters as private-use codes of their own (read later from the paper's words)."""
    return _BETWEEN_LETTERS.sub(lambda m: chr(_UNKNOWN_BASE + ord(m.group())), text)


def overstruck_plus_minus(plus: dict, minus: dict) -> bool:  # type: ignore[type-arg]
    """A "−" span drawn over (just below) a "+" span of the same size: together they are "±"."""
    (px0, py0, px1, py1), (mx0, my0, mx1, my1) = plus["bbox"], minus["bbox"]
    size = plus["size"]
    overlap = min(px1, mx1) - max(px0, mx0)
    drop = minus["origin"][1] - plus["origin"][1]
    return (abs(minus["size"] - size) < 0.1 * size and overlap > 0.6 * (px1 - px0) > 0
            and 0.15 * size < drop < 0.7 * size)
