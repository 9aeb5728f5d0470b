"""Papers the library knows only by their record: brought from a reference manager with no file we can read.

Such a paper shows in the list and in search (title, authors, year, venue, abstract) like any other; it has
no stored source, so its reading text is its title and abstract, and re-parsing leaves it as it is. When
its file turns up (the same library imported again), the record gives way to the paper read from the file.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import hashlib
import re
import unicodedata

from reader.ingest.builder import TextBuilder
from reader.model import Name, Paper

if TYPE_CHECKING:
    from reader.library.catalog import CatalogEntry

RECORD_FORMAT = "record"


def record_id(source: str, key: str) -> str:
    """A record's paper id: stable for the same item of the same source (like a file's, 16 hex digits)."""
    return hashlib.sha256(f"record\0{source}\0{key}".encode("utf-8")).hexdigest()[:16]


def record_paper(paper_id: str, source_label: str, title: str, authors: list[Name], year: int | None,
                 venue: str, doi: str, abstract: str, parser_version: int) -> Paper:
    """The paper of a record: its metadata, and a reading text of its title and abstract."""
    builder = TextBuilder()
    builder.add_block("title", title or "(untitled)")
    if abstract:
        builder.add_block("abstract", abstract)
    paper = Paper(id=paper_id, source_path=source_label, format=RECORD_FORMAT, title=title, authors=list(authors),
                  year=year, venue=venue, doi=doi, abstract=abstract, parser_version=parser_version)
    paper.text, paper.blocks = builder.text(), builder.blocks
    return paper


class SamePaper:
    """Finds the paper of the library that is the same work: same DOI, or same normalised title, year and
    first author's family name (what a reference manager and a PDF's first page both print)."""

    def __init__(self, entries: list[CatalogEntry]) -> None:
        self.by_doi = {e.doi.lower(): e.id for e in entries if e.doi}
        self.by_title: dict[tuple[str, int | None, str], str] = {}
        for e in entries:
            key = (normalised_title(e.title), e.year, e.first_author)
            if key[0] and e.year:
                self.by_title.setdefault(key, e.id)

    def find(self, doi: str, title: str, year: int | None, first_family: str) -> str | None:
        if doi and doi.lower() in self.by_doi:
            return self.by_doi[doi.lower()]
        return self.by_title.get((normalised_title(title), year, first_family.lower()))

    def find_entry(self, entry: CatalogEntry) -> str | None:
        return self.find(entry.doi, entry.title, entry.year, entry.first_author)


def normalised_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[^\w]+", " ", text).strip()
