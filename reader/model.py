"""The data model: plain, typed dataclasses that every layer shares.

Everything that points into a document is a span ``(start, end)`` of Python string indices into one
canonical reading text, ``Paper.text``. Blocks, references, citations, search hits and highlights all
use it, so jumps, highlights and exports agree with each other.

``to_json()`` gives plain dicts (reference fields use CSL-JSON names such as ``container-title``);
``from_json()`` reads them back. ``Paper.from_json(paper.to_json()) == paper`` holds.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

# The values the string fields below take (documentation for readers of the JSON):
#   Block.kind: title, heading, paragraph, abstract, reference, and, out of the sentence flow:
#     figure    a picture; ``page``/``bbox`` is the region of a PDF page to show, ``src`` a JATS image
#               file name; its span is its label and caption text (may be empty)
#     table     a table; its span holds the cells as printed, cells joined by tab, rows by newline, so
#               citations in cells keep their offsets; ``page``/``bbox`` as for figures
#     caption   the caption of the figure or table block just before it
#     footnote  a footnote (page foot or table foot), kept apart from the paragraph it interrupted
#     matter    front or back matter outside the reading flow: affiliations, correspondence, licence,
#               received/accepted lines, "equal contribution" notes
#   Paper.format: pdf, text (plain or markdown), jats, xml (loose journal records)
#   Citation.style: author-year, numeric;  CitationItem.status: resolved, ambiguous, unresolved


def paper_id_for(data: bytes) -> str:
    """A paper's id: the first 16 hex digits of the sha256 of its source bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


# What a paper id looks like (paper_id_for): checked wherever an id read from a file becomes a path or is shown.
PAPER_ID = re.compile(r"[0-9a-f]{16}")


@dataclass
class Name:
    """A person or an organisation, as a CSL name: ``family``/``given``, or ``literal`` for bodies."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def display(self) -> str:
        """The name as a reader writes it: ``Ghulam Mustafa``, ``Human Rights Watch``."""
        if self.literal:
            return self.literal
        return f"{self.given} {self.family}".strip()

    def to_json(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        out = {"family": self.family}
        if self.given:
            out["given"] = self.given
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Name:
        return cls(family=d.get("family", ""), given=d.get("given", ""), literal=d.get("literal", ""))


@dataclass
class Block:
    """One structural unit of the reading text: ``text[start:end]``."""

    kind: str
    start: int
    end: int
    level: int = 0
    page: int | None = None  # 1-based page of a PDF where the block starts
    bbox: tuple[float, float, float, float] | None = None  # figure/table region on ``page``, PDF points
    src: str = ""  # figure: the image file a JATS record names (relative to the record)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.level:
            out["level"] = self.level
        if self.page is not None:
            out["page"] = self.page
        if self.bbox is not None:
            out["bbox"] = [round(v, 2) for v in self.bbox]
        if self.src:
            out["src"] = self.src
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Block:
        bbox = d.get("bbox")
        return cls(d["kind"], d["start"], d["end"], d.get("level", 0), d.get("page"),
                   tuple(bbox) if bbox else None, d.get("src", ""))  # type: ignore[arg-type]


@dataclass
class PageSpan:
    """Where a stretch of ``Paper.text`` (one printed line) sits on a PDF page, in PDF points."""

    start: int
    end: int
    page: int  # 1-based
    bbox: tuple[float, float, float, float]

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.page, [round(v, 2) for v in self.bbox]]

    @classmethod
    def from_json(cls, d: list[Any]) -> PageSpan:
        return cls(d[0], d[1], d[2], tuple(d[3]))  # type: ignore[arg-type]


# CSL-JSON variables of a reference, as (attribute, CSL name).
_CSL_TEXT_FIELDS = (
    ("type", "type"),
    ("title", "title"),
    ("container_title", "container-title"),
    ("publisher", "publisher"),
    ("publisher_place", "publisher-place"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("page", "page"),
    ("DOI", "DOI"),
    ("URL", "URL"),
    ("PMID", "PMID"),
    ("year_suffix", "year-suffix"),
    ("citation_number", "citation-number"),
    ("note", "note"),
)


CSL_ATTRIBUTES = tuple(attr for attr, _ in _CSL_TEXT_FIELDS) + ("author", "issued")
"""The attributes of a Reference that hold its CSL-JSON fields."""


@dataclass
class Reference:
    """One entry of the reference list: the entry as printed (``raw``) and its CSL-JSON fields.

    ``issued`` holds CSL date-parts (``[2023]`` or ``[2023, 7, 4]``); ``year_suffix`` keeps the ``a`` of
    ``2004a``. ``start``/``end`` is the entry's span in ``Paper.text`` (``-1`` when it is not shown).
    """

    id: str
    raw: str
    start: int = -1
    end: int = -1
    type: str = ""
    author: list[Name] = field(default_factory=list)
    issued: list[int] = field(default_factory=list)
    year_suffix: str = ""
    title: str = ""
    container_title: str = ""
    publisher: str = ""
    publisher_place: str = ""
    volume: str = ""
    issue: str = ""
    page: str = ""
    DOI: str = ""
    URL: str = ""
    PMID: str = ""
    citation_number: str = ""
    note: str = ""

    @property
    def year(self) -> int | None:
        return self.issued[0] if self.issued else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "raw": self.raw, "start": self.start, "end": self.end}
        for attr, csl in _CSL_TEXT_FIELDS:
            value = getattr(self, attr)
            if value:
                out[csl] = value
        if self.author:
            out["author"] = [a.to_json() for a in self.author]
        if self.issued:
            out["issued"] = {"date-parts": [list(self.issued)]}
        return out

    def to_csl(self) -> dict[str, Any]:
        """Only the CSL-JSON item (for citeproc and reference managers): no span, no raw text."""
        out = self.to_json()
        for key in ("raw", "start", "end"):
            out.pop(key, None)
        out.setdefault("type", "article-journal" if self.container_title else "document")
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Reference:
        ref = cls(d["id"], d.get("raw", ""), d.get("start", -1), d.get("end", -1))
        for attr, csl in _CSL_TEXT_FIELDS:
            if csl in d:
                setattr(ref, attr, d[csl])
        ref.author = [Name.from_json(a) for a in d.get("author", [])]
        parts = (d.get("issued") or {}).get("date-parts") or [[]]
        ref.issued = [int(p) for p in parts[0]]
        return ref


@dataclass
class CitationItem:
    """One cited work inside an in-text citation marker.

    ``start``/``end`` is the item's own span in ``Paper.text`` (``Lee et al., 2019a`` inside a group), or
    -1 when the item has no text of its own (the 6 of ``[5-7]``).
    """

    label: str
    status: str = "unresolved"
    refs: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    start: int = -1
    end: int = -1

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "status": self.status, "refs": list(self.refs),
                "suggestions": list(self.suggestions), "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CitationItem:
        return cls(d.get("label", ""), d.get("status", "unresolved"), list(d.get("refs", [])),
                   list(d.get("suggestions", [])), d.get("start", -1), d.get("end", -1))


@dataclass
class Citation:
    """One in-text citation marker, ``text[start:end]``, citing one or more works."""

    start: int
    end: int
    text: str
    style: str
    items: list[CitationItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "style": self.style,
                "items": [i.to_json() for i in self.items]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Citation:
        return cls(d["start"], d["end"], d["text"], d.get("style", ""),
                   [CitationItem.from_json(i) for i in d.get("items", [])])


@dataclass
class Paper:
    """A parsed paper. ``text`` is the document as the reader sees it; every span points into it."""

    id: str
    source_path: str
    format: str
    title: str = ""
    authors: list[Name] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    volume: str = ""
    issue: str = ""
    issn: str = ""
    doi: str = ""
    url: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    pages: list[PageSpan] = field(default_factory=list)
    superscripts: list[tuple[int, int]] = field(default_factory=list)  # raised small type in a PDF
    page_count: int = 0
    warnings: list[str] = field(default_factory=list)  # what the loader noticed and worked around
    parser_version: int = 0

    def headings(self) -> list[str]:
        """The text of every heading block, in order."""
        return [self.text[b.start:b.end] for b in self.blocks if b.kind == "heading"]

    def block_text(self, block: Block) -> str:
        """``text[block.start:block.end]``."""
        return self.text[block.start:block.end]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_path": self.source_path,
            "format": self.format,
            "parser_version": self.parser_version,
            "title": self.title,
            "authors": [a.to_json() for a in self.authors],
            "year": self.year,
            "venue": self.venue,
            "volume": self.volume,
            "issue": self.issue,
            "issn": self.issn,
            "doi": self.doi,
            "url": self.url,
            "abstract": self.abstract,
            "keywords": list(self.keywords),
            "text": self.text,
            "blocks": [b.to_json() for b in self.blocks],
            "references": [r.to_json() for r in self.references],
            "citations": [c.to_json() for c in self.citations],
            "pages": [p.to_json() for p in self.pages],
            "superscripts": [list(span) for span in self.superscripts],
            "page_count": self.page_count,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Paper:
        return cls(
            id=d["id"],
            source_path=d.get("source_path", ""),
            format=d.get("format", ""),
            parser_version=d.get("parser_version", 0),
            title=d.get("title", ""),
            authors=[Name.from_json(a) for a in d.get("authors", [])],
            year=d.get("year"),
            venue=d.get("venue", ""),
            volume=d.get("volume", ""),
            issue=d.get("issue", ""),
            issn=d.get("issn", ""),
            doi=d.get("doi", ""),
            url=d.get("url", ""),
            abstract=d.get("abstract", ""),
            keywords=list(d.get("keywords", [])),
            text=d.get("text", ""),
            blocks=[Block.from_json(b) for b in d.get("blocks", [])],
            references=[Reference.from_json(r) for r in d.get("references", [])],
            citations=[Citation.from_json(c) for c in d.get("citations", [])],
            pages=[PageSpan.from_json(p) for p in d.get("pages", [])],
            superscripts=[(a, b) for a, b in d.get("superscripts", [])],
            page_count=d.get("page_count", 0),
            warnings=list(d.get("warnings", [])),
        )
