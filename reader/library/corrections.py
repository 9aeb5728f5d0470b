"""The user's corrections of a paper's metadata: title, authors, year, venue and DOI.

A parser can read a title or a year wrong (a PDF's first page is not a record); the reader's word then wins
over every re-parse. Corrections are kept in the catalog database (``library.sqlite``), never in a paper's
cache, which holds what the parser read: so a correction can be taken back and the parsed value shows
again. Whatever shows a paper (``Library.paper``, the catalog row, the search index) applies them with
``apply_corrections``.
"""
from __future__ import annotations

import json
import re
from typing import Any

from reader.errors import LibraryError
from reader.model import Name, Paper

FIELDS = ("title", "authors", "year", "venue", "doi")

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise(field: str, value: Any) -> Any:
    """A correction's value as stored, checked: raises LibraryError with a one-line reason when it is not one.

    title, venue: text (a title cannot be empty); authors: a list of ``Name`` (or CSL-JSON name dicts); year:
    a whole number from 1000 to 2999; doi: ``10.NNNN/...``, with or without a ``https://doi.org/`` or ``doi:``
    prefix, or empty to say the paper has none.
    """
    if field not in FIELDS:
        raise LibraryError(f"{field}: not a field that can be corrected (use one of: {', '.join(FIELDS)})")
    if field == "authors":
        if not isinstance(value, list):
            raise LibraryError("authors: give a list of names")
        names = [v if isinstance(v, Name) else Name.from_json(v) if isinstance(v, dict) else None for v in value]
        if any(n is None or not (n.family.strip() or n.literal.strip()) for n in names):
            raise LibraryError("authors: every name needs a family name (or is an organisation's name)")
        return [Name(n.family.strip(), n.given.strip(), n.literal.strip()) for n in names]  # type: ignore[union-attr]
    if field == "year":
        try:
            year = int(str(value).strip())
        except ValueError:
            raise LibraryError(f"year: {value!r} is not a year") from None
        if not 1000 <= year <= 2999:
            raise LibraryError(f"year: {year} is not a plausible year of publication")
        return year
    if not isinstance(value, str):
        raise LibraryError(f"{field}: give text")
    text = " ".join(value.split())
    if field == "title" and not text:
        raise LibraryError("title: a title cannot be empty (remove the correction to show the parsed title)")
    if field == "doi" and text:
        text = _DOI_PREFIX.sub("", text)
        if not _DOI.fullmatch(text):
            raise LibraryError(f"doi: {value!r} is not a DOI (they look like 10.1234/abc.567)")
    return text


def apply_corrections(paper: Paper, corrections: dict[str, Any]) -> Paper:
    """Put the user's corrections over the parsed metadata of ``paper`` (in place; returns it)."""
    for field, value in corrections.items():
        setattr(paper, field, list(value) if field == "authors" else value)
    return paper


def encode(field: str, value: Any) -> str:
    """A stored correction's value as JSON text."""
    if field == "authors":
        return json.dumps([n.to_json() for n in value], ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def decode(field: str, text: str) -> Any:
    """The value of a stored correction; raises ValueError when the row is not one this version wrote."""
    value = json.loads(text)
    if field == "authors":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ValueError("authors is not a list of names")
        return [Name.from_json(v) for v in value]
    if field == "year" and not isinstance(value, int):
        raise ValueError("year is not a number")
    if field in ("title", "venue", "doi") and not isinstance(value, str):
        raise ValueError(f"{field} is not text")
    return value


def parse_names(text: str) -> list[Name]:
    """Names as people type them, separated by semicolons: ``Family, Given`` or ``Given Family``, and an
    organisation in braces, as BibTeX writes it: ``Rossi, Maria; Ali Khan; {World Health Organization}``."""
    names = []
    for part in text.split(";"):
        part = " ".join(part.split())
        if not part:
            continue
        if part.startswith("{") and part.endswith("}"):
            names.append(Name(literal=part[1:-1].strip()))
        elif "," in part:
            family, given = part.split(",", 1)
            names.append(Name(family.strip(), given.strip()))
        else:
            given, _, family = part.rpartition(" ")
            names.append(Name(family, given))
    return names
