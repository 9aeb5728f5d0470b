"""Back matter interleaved with a reference list, taken out of it.

Journals that set the end of an article in two columns (Frontiers, F1000, ...) start the reference list
in one column while the other still holds short back-matter sections (Funding, Conflict of interest,
Publisher's note), or set the references as a band under them. Read column by column, the list is then
interrupted by those sections, and the rest of it follows them. Here the paragraphs after the
"References" heading are sorted: the back-matter sections (a heading and its paragraphs, or a paragraph in
body type that continues one) move before the heading, the entries stay together after it. A section
after which no entry follows is what comes after the list (appendices, supplements) and stays there.
"""
from __future__ import annotations

import re
import statistics

from reader.ingest.asides import CAPTION
from reader.ingest.matter import is_matter
from reader.ingest.paragraphs import Paragraph, is_references_heading

# How an entry starts: a number label, or a family name and initials ("Smith, J. A.", "Smith JA", "Van der
# Berg, A."); it gives a year somewhere.
_NUMBERED = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.?\s)")
_NAMED = re.compile(r"^\s*(?:[A-Z][^\W\d_]*[-'’ ]){0,3}[A-Z][^\W\d_]+,?\s+(?:[A-Z]{1,3}\b|[A-Z]\.)")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)[a-z]?\b")


def untangle_reference_list(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs with back matter found inside the (first) reference list moved before its heading."""
    at = next((i for i in range(1, len(paragraphs)) if _is_heading(paragraphs[i])), None)
    if at is None:
        return paragraphs
    first = at + 1
    while first < len(paragraphs) and _printed_above(paragraphs[first], paragraphs[at]):
        first += 1
    moved: list[Paragraph] = paragraphs[at + 1:first]
    entries_size = _entries_size(paragraphs[first:first + 3])
    entries: list[Paragraph] = []
    pending: list[Paragraph] = []  # a section begun inside the list: moved if entries follow it
    end = len(paragraphs)
    for j in range(first, len(paragraphs)):
        p = paragraphs[j]
        if _is_heading(p):
            end = j  # another reference list: it and what follows keep their place
            break
        if p.heading_level:
            pending.append(p)
        elif pending:
            if _resumes_list(p, pending, entries_size):
                moved.extend(pending)
                pending = []
                entries.append(p)
            else:
                pending.append(p)
        elif entries and _in_other_type(p, entries_size):
            moved.append(p)  # body text continued from the column beside the list
        else:
            entries.append(p)
    if not moved:
        return paragraphs
    return paragraphs[:at] + moved + [paragraphs[at]] + entries + pending + paragraphs[end:]


def _printed_above(p: Paragraph, heading: Paragraph) -> bool:
    """Is this paragraph, read right after the list's heading, printed above it on the same page? The
    column order reads a two-column block above a heading that spans the page (MDPI's abbreviations:
    "KMO", "M", ... then "References", then "Kaiser–Meyer–Olkin", "Mean", ...) after the heading; no
    entry stands above its own list's heading (a paragraph that reads like one is the list going on at the
    top of the next column, under a heading left at the foot of the column before)."""
    top = heading.first
    return bool(top.bbox) and not p.heading_level and not _looks_like_entry(p) and all(
        ln.page == top.page and ln.bbox is not None and ln.bbox[3] <= top.bbox[1] + 1 for ln in p.lines)


def _is_heading(p: Paragraph) -> bool:
    return len(p.lines) == 1 and is_references_heading(p.first)


def _entries_size(first: list[Paragraph]) -> float:
    sizes = [p.first.size for p in first if not p.heading_level and p.first.size]
    return statistics.median(sizes) if sizes else 0.0


def _text(p: Paragraph) -> str:
    return " ".join(ln.text.strip() for ln in p.lines)


def starts_like_entry(text: str) -> bool:
    """Does a line open a reference entry (a number label, or a family name and initials)?"""
    return bool(_NUMBERED.match(text) or _NAMED.match(text))


def _looks_like_entry(p: Paragraph) -> bool:
    text = _text(p)
    return bool(_NUMBERED.match(text) or _NAMED.match(text)) and bool(_YEAR.search(text))


def _in_other_type(p: Paragraph, entries_size: float) -> bool:
    """Set in another font size than the entries, and not reading like one."""
    return bool(entries_size and p.first.size) and abs(p.first.size - entries_size) >= 0.4 \
        and not _looks_like_entry(p)


def _resumes_list(p: Paragraph, section: list[Paragraph], entries_size: float) -> bool:
    """Does this paragraph, after a back-matter section, carry on the reference list?

    Where the section's text is set in another size than the entries, the size decides; otherwise the
    paragraph must read like an entry.
    """
    if CAPTION.match(p.first.text.strip()) or is_matter(_text(p)):
        # a supplement's figure legends or its dates ("Figure S1 Query ...", "Received 19 July 2013")
        # are set in the entries' small type, but no entry: the section is no back matter interleaved
        return False
    if len({ln.page for q in section for ln in q.lines}) > 2:
        return False  # pages of a supplement after the list, not a short section in the column beside it
    body = [q.first.size for q in section if not q.heading_level and q.first.size]
    if entries_size and body and abs(statistics.median(body) - entries_size) >= 0.4:
        return abs(p.first.size - entries_size) < 0.3 and len(_text(p)) > 40
    if entries_size and p.first.size and abs(p.first.size - entries_size) >= 0.4:
        # the entries of one list share one type: an appendix's numbered items in body type after the list
        # ("1. Random ... (Le and Mikolov, 2014)") read like entries but are no part of it
        return False
    return _looks_like_entry(p)
