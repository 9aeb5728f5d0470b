"""What a reader brings from another reference manager, as plain records: the same shape whether it came from
a Zotero database, a BibTeX, RIS or CSL-JSON file.

A ``Record`` is one work: its metadata (what the user curated there: it wins over what we parse), the files
that hold it, its collections, tags and notes, and (from Zotero) its annotations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import LibraryError
from reader.model import Name


@dataclass
class Annotation:
    """A Zotero annotation on one of the record's files."""

    key: str  # Zotero's item key, unique in its library
    kind: str  # highlight | underline | note | image | ink | text
    text: str = ""  # the words it marks (highlight, underline)
    comment: str = ""
    color: str = ""  # as Zotero gives it: "#ffd400"
    page_index: int | None = None  # 0-based page, from its position
    page_label: str = ""  # the page as printed
    tags: list[str] = field(default_factory=list)
    modified: str = ""  # when it last changed there


@dataclass
class Attachment:
    """A file of a record: ``path`` where we can read it, or None with ``problem`` saying why not."""

    path: Path | None
    name: str  # as the source names it, for messages
    problem: str = ""
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class Note:
    key: str  # unique in its source: re-imports update rather than duplicate
    text: str  # plain text
    page_label: str = ""


@dataclass
class Record:
    """One work brought in from elsewhere."""

    key: str  # unique in its source (a Zotero item key, a BibTeX citation key, an RIS ID or its position)
    item_type: str = ""  # Zotero's type name or BibTeX's entry type, as given
    title: str = ""
    authors: list[Name] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    abstract: str = ""
    citation_key: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    collections: list[tuple[str, ...]] = field(default_factory=list)  # each a path: ("Thesis", "Chapter 2")
    tags: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    modified: str = ""  # when it last changed there (Zotero's dateModified)

    def metadata(self) -> dict[str, object]:
        """The fields that override the parsed paper's (the library's corrections), where the source has them."""
        fields: dict[str, object] = {"title": self.title, "authors": self.authors, "year": self.year,
                                     "venue": self.venue, "doi": self.doi}
        return {k: v for k, v in fields.items() if v not in ("", None, [])}


class SourceError(LibraryError):
    """The source as a whole cannot be read (not a Zotero folder, a locked or unknown database, a file that is
    not BibTeX): one line for the user."""
