"""Small text normalisations that every loader and the citation engine share."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Ligatures become letters, invisible characters go, odd spaces become plain ones. ZWJ/ZWNJ stay: Persian
# and Indic scripts need them. Newlines and tabs are kept (callers split lines on them).
_CHARACTERS: dict[int, str] = {
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "ft", 0xFB06: "st",
    0x00AD: "", 0x200B: "", 0x2060: "", 0xFEFF: "",
    0xFFFD: "",  # a glyph that had no Unicode meaning: left out rather than shown as a box
    0x2126: "Ω", 0x212A: "K", 0x212B: "Å",  # ohm, kelvin, ångström signs: the letters Unicode equates them with
}
_CHARACTERS.update({c: " " for c in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000)})
_CHARACTERS.update({c: " " for c in range(0x2000, 0x200B)})
_CHARACTERS.update({c: "" for c in range(0x00, 0x20) if c not in (0x09, 0x0A, 0x0D)})

PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
"""A line that is only a page label: ``12``, ``Page 3``, ``3 of 10``, ``5/16``."""


# The table by what each character becomes. str.translate looks every character up in the dict (slow beyond
# ASCII); a regex with a fixed replacement, or str.replace, passes over unchanged text in C. No replacement holds
# a character of the table, so doing them one after the other is the same as translating at once.
_DROPPED = re.compile("[" + "".join(re.escape(chr(c)) for c, to in sorted(_CHARACTERS.items()) if to == "") + "]")
_SPACES = re.compile("[" + "".join(re.escape(chr(c)) for c, to in sorted(_CHARACTERS.items()) if to == " ") + "]")
_LETTERS = [(chr(c), to) for c, to in sorted(_CHARACTERS.items()) if to.strip()]
_ENCLOSING_CIRCLE = "\u20dd"
_ENCIRCLED = re.compile("([cCrR])" + _ENCLOSING_CIRCLE)
_ENCIRCLED_AS = {"c": "©", "r": "®"}
# Mathematical italic letters (Word's Cambria Math sets "𝛽-ocimene", "20 𝜇l", "patients (𝑛)") are the plain
# letters in italic: read as the plain letter, as the JATS and a search have them. Bold, script, fraktur and
# double-struck ones stay: in mathematics they mean something else (𝐱 a vector, ℝ the reals, 𝒢 a graph).
_MATH_ITALIC = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x1D400, 0x1D800)
                if unicodedata.name(chr(cp), "").startswith("MATHEMATICAL ITALIC ")}
_MATH_ALPHANUMERIC = "\U0001d400-\U0001d7ff"
_MATH_LETTER = re.compile(f"[{_MATH_ALPHANUMERIC}]")
# A degree sign that a PDF drew with another glyph: TeX's $^\circ$ ("60 ◦C", U+25E6 or U+2218), a spacing ring
# ("27±2 ˚C"), an ordinal "º" ("37 ºC"). Only after a number and before C or F; TeX's circle also before a
# space or a sign (an angle: "45◦ rotation"). A ring is otherwise an accent ("1.14 ˚A" is 1.14 Å) and "1º" alone
# an ordinal.
_DEGREE_LOOKALIKES = "\u25e6\u2218\u02da\u00ba"
_DEGREE = re.compile("(?<=\\d)(\\s?)(?:[\u25e6\u2218\u02da\u00ba](?=\\s?[CF](?![a-z]))|[\u25e6\u2218](?=[^\\w]))")
_DEGREE_LOOKALIKE = re.compile(f"[{_DEGREE_LOOKALIKES}]")
_ANY = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CHARACTERS)) + _ENCLOSING_CIRCLE
                  + _MATH_ALPHANUMERIC + _DEGREE_LOOKALIKES + "]")


def degree_signs(text: str) -> str:
    """Degree signs drawn with look-alike glyphs made real: ``60 ◦C`` -> ``60 °C``, ``45◦,`` -> ``45°,``.

    One character for one, so offsets into the text stay right."""
    return _DEGREE.sub(lambda m: m.group(1) + "°", text)


def normalize_characters(text: str) -> str:
    """Ligatures to letters, soft hyphens and zero-width characters out, odd spaces to plain spaces."""
    if not _ANY.search(text):  # most texts have none: one pass, not one per kind
        return text
    text = _SPACES.sub(" ", _DROPPED.sub("", text))
    if _MATH_LETTER.search(text):
        text = text.translate(_MATH_ITALIC)
    text = degree_signs(text)
    if _ENCLOSING_CIRCLE in text:  # LaTeX's \textcopyright as PDF text layers give it: "c⃝2020"
        text = _ENCIRCLED.sub(lambda m: _ENCIRCLED_AS[m.group(1).lower()], text)
    for ligature, letters in _LETTERS:
        if ligature in text:
            text = text.replace(ligature, letters)
    return text


# Accents that PDF text layers give as separate characters next to their letter (TeX sets "ö" as "¨" + "o"):
# spacing accents and combining marks, with the combining mark each stands for.
_ACCENTS = {
    "\u00a8": "\u0308", "\u02da": "\u030a", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303",
    "\u00af": "\u0304", "\u02d8": "\u0306", "\u02d9": "\u0307", "\u00b8": "\u0327", "\u02db": "\u0328",
    "\u02dd": "\u030b", "\u02c7": "\u030c", "\u0060": "\u0300", "\u02cb": "\u0300", "\u02ca": "\u0301",
}
_ACCENTS.update({chr(c): chr(c) for c in range(0x0300, 0x0370)})
_ACCENTS[_ENCLOSING_CIRCLE] = _ENCLOSING_CIRCLE  # "c⃝" (LaTeX's \textcopyright) when c and circle are apart
_DOTLESS = {"\u0131": "i", "\u0237": "j"}  # TeX puts accents over a dotless i: "ı" + "´" is "í"


def _composed(letter: str, mark: str) -> str | None:
    """The one precomposed character for letter + combining mark, or None."""
    if not letter.isalpha():
        return None
    if mark == _ENCLOSING_CIRCLE:
        return _ENCIRCLED_AS.get(letter.lower()) if letter in "cCrR" else None
    out = unicodedata.normalize("NFC", _DOTLESS.get(letter, letter) + mark)
    return out if len(out) == 1 else None


def _rare(letter: str | None) -> bool:
    """A composed letter from Latin Extended Additional (ẗ, ẽ, ẅ): Vietnamese and phonetics, seldom in papers."""
    return letter is not None and 0x1E00 <= ord(letter) <= 0x1EFF


def _common(letter: str | None) -> bool:
    return letter is not None and not _rare(letter)


def compose_accents(text: str) -> tuple[str, list[int]]:
    """Accents set apart from their letter joined to it: ``L´opez`` -> ``López``, ``˚A`` -> ``Å``,
    ``Rodrı́guez`` -> ``Rodríguez``, ``Charite´`` -> ``Charité``.

    Returns the text and, for every index of the input (and its end), the index it has in the output, so
    spans into the line can follow. A mark that makes no precomposed letter stays as it was.
    """
    if _DEGREE_LOOKALIKE.search(text):
        text = degree_signs(text)  # one character for one: the offsets stay
    if not any(ch in _ACCENTS for ch in text):
        return text, list(range(len(text) + 1))
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        mark = _ACCENTS.get(ch)
        if mark is not None:
            before = out[-1] if out else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            combining = ch == mark
            # a combining mark belongs to the letter before it; a spacing accent to the letter after it (TeX
            # writes it first), else to the one before it ("Charite´", "Franc¸ois")
            if combining:
                options = [("before", before)]
            elif _rare(_composed(after, mark)) and _common(_composed(before, mark)):
                # an accent set after its letter and before one it also composes with, rarely: "Schu¨ttelkopf"
                # is Schüttelkopf, not "Schuẗtelkopf"
                options = [("before", before)]
            else:
                options = [("after", after), ("before", before)]
            done = False
            for side, letter in options:
                joined = _composed(letter, mark) if letter else None
                if joined is None:
                    continue
                if side == "before":
                    out[-1] = joined
                    where.append(len(out) - 1)
                else:
                    where.extend((len(out), len(out)))
                    out.append(joined)
                    i += 1
                done = True
                break
            if done:
                i += 1
                continue
        where.append(len(out))
        out.append(ch)
        i += 1
    where.append(len(out))
    return "".join(out), where


def squash(text: str) -> str:
    """Runs of white space to one space, trimmed (str.split is several times faster than a regex)."""
    return " ".join(text.split())


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats (compared case-insensitively) and without empty ones, first spelling kept."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
