"""What the search index holds for a paper: the Whoosh schema and the document built from a Paper.

One document per paper (DESIGN.md section 5). Only ``id`` is stored: titles and authors for a result list
come from the catalog, and snippet text from ``papers/<id>/text.txt``, which keeps the index small and its
merges fast. ``body`` keeps character offsets (``chars=True``) so a snippet is cut straight from the offsets
of the matched words, without re-reading and re-tokenising the paper; ``body`` is ``Paper.text`` up to the
reference list (a prefix, so its offsets are offsets into ``Paper.text``), and the list itself is the
``references`` field.
"""
from __future__ import annotations

from typing import Any

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.support.charset import accent_map

from reader.model import Paper

# Fields a query word searches when it names none, and how much a hit in each counts.
DEFAULT_FIELDS = ("title", "authors", "keywords", "abstract", "body", "references", "notes")
FIELD_BOOSTS = {"title": 3.0, "authors": 2.0, "keywords": 2.0, "abstract": 1.5}
# Other names people type for a field.
FIELD_ALIASES = {"authors": ["author", "au"], "title": ["ti"], "venue": ["journal"],
                 "keywords": ["keyword", "kw"], "references": ["reference", "ref", "refs"], "notes": ["note"]}


def build_schema() -> Schema:
    """The index schema. Built-in Whoosh analyzers only: the schema is pickled into the index."""
    words = StemmingAnalyzer()  # words, lower case, no stop words, Porter stems: "negotiations" finds "negotiation"
    # "bermudez" finds "Bermúdez". The same stop words as the text fields: a word like "the" dropped from
    # every other field but kept here would become a required "authors:the" and match nothing.
    names = RegexTokenizer() | LowercaseFilter() | StopFilter() | CharsetFilter(accent_map)
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=words),
        authors=TEXT(analyzer=names),
        year=NUMERIC(int, bits=32, signed=False),
        venue=TEXT(analyzer=words),
        keywords=TEXT(analyzer=words),
        abstract=TEXT(analyzer=words),
        body=TEXT(analyzer=words, chars=True),
        references=TEXT(analyzer=words),
        notes=TEXT(analyzer=words),
    )


def body_end(paper: Paper) -> int:
    """Where the reference list starts in ``paper.text`` (the end of the text when it has none)."""
    starts = [b.start for b in paper.blocks if b.kind == "reference"]
    starts += [r.start for r in paper.references if r.start >= 0]
    return min(starts) if starts else len(paper.text)


def document_for(paper: Paper, notes: str = "") -> dict[str, Any]:
    """The index document for a paper; ``notes`` is the text of the user's highlights and notes on it."""
    end = body_end(paper)
    doc: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "authors": " ; ".join(a.display() for a in paper.authors),
        "venue": paper.venue,
        "keywords": " ; ".join(paper.keywords),
        "abstract": paper.abstract,
        "body": paper.text[:end],
        "references": "\n".join(r.raw for r in paper.references) or paper.text[end:],
    }
    if paper.year:
        doc["year"] = paper.year
    if notes:
        doc["notes"] = notes
    return {k: v for k, v in doc.items() if v not in ("", None)}
