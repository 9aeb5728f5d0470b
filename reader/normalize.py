"""Small text normalisations that every loader and the citation engine share."""
from __future__ import annotations

import re
from collections.abc import Iterable

# Ligatures become letters, invisible characters go, odd spaces become plain ones. ZWJ/ZWNJ stay: Persian
# and Indic scripts need them. Newlines and tabs are kept (callers split lines on them).
_CHARACTERS: dict[int, str] = {
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "ft", 0xFB06: "st",
    0x00AD: "", 0x200B: "", 0x2060: "", 0xFEFF: "",
}
_CHARACTERS.update({c: " " for c in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000)})
_CHARACTERS.update({c: " " for c in range(0x2000, 0x200B)})
_CHARACTERS.update({c: "" for c in range(0x00, 0x20) if c not in (0x09, 0x0A, 0x0D)})

PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
"""A line that is only a page label: ``12``, ``Page 3``, ``3 of 10``, ``5/16``."""


def normalize_characters(text: str) -> str:
    """Ligatures to letters, soft hyphens and zero-width characters out, odd spaces to plain spaces."""
    return text.translate(_CHARACTERS)


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
