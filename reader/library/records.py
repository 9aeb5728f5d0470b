"""Papers the library knows only by their record: brought from a reference manager with no file we can read.

Such a paper shows in the list and in search (title, authors, year, venue, abstract) like any other; it has
no stored source, so its reading text is its title and abstract, and re-parsing leaves it as it is. When
its file turns up (the same library imported again), the record gives way to the paper read from the file.
"""
from __future__ import annotations

import hashlib

from reader.ingest.builder import TextBuilder
from reader.model import Name, Paper

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
