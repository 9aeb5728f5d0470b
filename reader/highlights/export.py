"""Highlights out to the tools people keep notes in, and back in.

- Markdown (Obsidian, Logseq): the paper's citation line as a heading, then each highlight as a block quote
  with its page, colour and note, in document order; optional YAML front matter; the references a
  highlight cites become footnotes.
- W3C Web Annotation JSON (an AnnotationCollection): TextQuoteSelector + TextPositionSelector, the note as
  a TextualBody, tags as tagging bodies, the colour as a styleClass with its CSS. ``read_annotations``
  reads it back.
- CSV with Readwise's columns, every cell safe from spreadsheet formula injection.
"""
from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reader.highlights.model import COLORS, DEFAULT_COLOR, Highlight, check_color
from reader.model import PAPER_ID, Paper

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PAPER_URN = "urn:litreader:paper:"
FORMATS = ("markdown", "json", "csv", "pdf")


@dataclass
class PaperHighlights:
    """A paper and its highlights, as exports take them."""

    paper: Paper
    highlights: list[Highlight]


def citation_line(paper: Paper) -> str:
    """"Gadi, I. (2023). Title. Venue. https://doi.org/…" for a heading."""
    names = [a.display() for a in paper.authors]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
    parts = [f"{authors} ({paper.year})" if paper.year else authors, paper.title, paper.venue]
    line = ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip()) + "."
    if paper.doi:
        line += f" https://doi.org/{paper.doi}"
    return line.lstrip(". ")


def page_of(paper: Paper, offset: int) -> int | None:
    """The printed page of a position in the text (PDF sources), else None."""
    if not paper.pages:
        return None
    starts = [span.start for span in paper.pages]
    i = bisect_right(starts, offset) - 1
    return paper.pages[max(0, i)].page


# Markdown


def to_markdown(items: Sequence[PaperHighlights], front_matter: bool = False) -> str:
    """One section per paper: its citation line, then its highlights in document order."""
    out: list[str] = []
    if front_matter and len(items) == 1:
        out += _front_matter(items[0])
    for item in items:
        out += _markdown_section(item)
    return "\n".join(out).rstrip() + "\n"


def _front_matter(item: PaperHighlights) -> list[str]:
    p = item.paper
    lines = ["---", f"title: {_yaml(p.title)}"]
    if p.authors:
        lines += ["authors:"] + [f"  - {_yaml(a.display())}" for a in p.authors]
    else:
        lines.append("authors: []")
    if p.year:
        lines.append(f"year: {p.year}")
    if p.doi:
        lines.append(f"doi: {_yaml(p.doi)}")
    tags = sorted({t for h in item.highlights for t in h.tags})
    lines.append("tags: [" + ", ".join(_yaml(t) for t in tags) + "]")
    return lines + ["---", ""]


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _markdown_section(item: PaperHighlights) -> list[str]:
    paper = item.paper
    out = [f"## {citation_line(paper)}", ""]
    footnotes: dict[str, int] = {}
    for h in sorted(item.highlights, key=lambda h: (h.start, h.end)):
        quote = _escape_markdown(h.quote.strip())
        marks = []
        for ref_id in _cited_refs(paper, h):
            number = footnotes.setdefault(ref_id, len(footnotes) + 1)
            marks.append(f"[^{_slug(paper.id)}-{number}]")
        lines = quote.splitlines() or [""]
        out += [f"> {line}".rstrip() for line in lines]
        if marks:
            out[-1] += " " + " ".join(marks)
        details = []
        page = page_of(paper, h.start)
        if page:
            details.append(f"p. {page}")
        details.append(h.color)
        if h.anchor == "orphaned":
            details.append("its words are no longer in the paper")
        if h.tags:
            details.append(" ".join(f"#{_tag(t)}" for t in h.tags))
        out += ["", f"— {' · '.join(details)}"]
        if h.note:  # the user's own Markdown, as written (split on line ends only, not on every
            # character str.splitlines() takes for one: a form feed or U+2028 pasted from a PDF stays)
            note = _contain_note(h.note).split("\n")
            out += ["", f"**Note:** {note[0]}", *note[1:]]
        out.append("")
    if footnotes:
        refs = {r.id: r for r in paper.references}
        for ref_id, number in footnotes.items():
            raw = refs[ref_id].raw if ref_id in refs else ref_id
            out.append(f"[^{_slug(paper.id)}-{number}]: {' '.join(raw.split())}")
        out.append("")
    return out


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _escape_markdown(text: str) -> str:
    """The paper's words shown as they are, not read as Markdown or HTML (a "*" or "<b>" in a quote)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# A line that opens or closes a code block (``` or ~~~, up to 3 spaces in): left open, it would swallow the rest
# of the document.
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})", re.MULTILINE)
# What in a note could end its highlight's section, pass for another highlight or hide what follows: HTML
# (``<!--``, ``<script>``), a heading or a footnote definition of its own, a block quote (the form a highlight
# takes: "> Forged quote" then "— pink"), a thematic break (read as YAML front matter's end at the top).
_NOTE_BLOCK_START = re.compile(r"^( {0,3})(#{1,6}(?=\s|$)|\[\^|>|-{3,}\s*$|={3,}\s*$)", re.MULTILINE)


def _contain_note(note: str) -> str:
    """The user's own Markdown kept (emphasis, lists, links), but unable to break the document around it."""
    note = note.replace("\r\n", "\n").replace("\r", "\n")
    note = _FENCE.sub(lambda m: m.group(1) + "\\" + m.group(2), note)
    note = _NOTE_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), note)
    return note.replace("<", "&lt;")


def _tag(tag: str) -> str:
    """A tag as Obsidian and Logseq read one: no spaces, nothing Markdown or HTML would take."""
    return re.sub(r"[\s#<>\[\]`*_|\\]+", "-", tag).strip("-") or "tag"


def _slug(paper_id: str) -> str:
    return paper_id[:6]


def _cited_refs(paper: Paper, h: Highlight) -> list[str]:
    """Reference ids cited (and resolved) inside the highlight, in order."""
    found: list[str] = []
    for citation in paper.citations:
        if citation.start >= h.end or citation.end <= h.start:
            continue
        for item in citation.items:
            if item.status == "resolved":
                found += [r for r in item.refs if r not in found]
    return found


# W3C Web Annotation


def to_annotations(items: Sequence[PaperHighlights]) -> dict[str, Any]:
    """An AnnotationCollection (one page) holding every highlight as a W3C Web Annotation."""
    annotations = [to_annotation(h, item.paper) for item in items for h in
                   sorted(item.highlights, key=lambda h: (h.start, h.end))]
    return {"@context": ANNOTATION_CONTEXT, "type": "AnnotationCollection", "label": "litreader highlights",
            "total": len(annotations), "first": {"type": "AnnotationPage", "startIndex": 0, "items": annotations}}


def to_annotation(h: Highlight, paper: Paper | None = None) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if h.note:
        body.append({"type": "TextualBody", "value": h.note, "format": "text/plain", "purpose": "commenting"})
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in h.tags]
    target: dict[str, Any] = {
        "source": PAPER_URN + h.paper_id,
        "styleClass": h.color,
        "selector": [
            {"type": "TextQuoteSelector", "exact": h.quote, "prefix": h.prefix, "suffix": h.suffix},
            {"type": "TextPositionSelector", "start": h.start, "end": h.end},
        ],
    }
    if paper is not None and paper.doi:
        target["scope"] = f"https://doi.org/{paper.doi}"
    annotation: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{h.id}",
        "type": "Annotation",
        "motivation": "commenting" if h.note else "highlighting",
        "created": h.created,
        "modified": h.modified,
        "stylesheet": {"type": "CssStylesheet", "value": f".{h.color} {{ background-color: {COLORS[h.color]} }}"},
        "target": target,
    }
    if body:
        annotation["body"] = body
    return annotation


def read_annotations(data: Any) -> list[Highlight]:
    """Highlights from W3C Web Annotation JSON (a collection, a page, a list or one annotation) as exported
    above. Raises ValueError, saying which annotation and why, for anything it cannot take."""
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        data = (data.get("first") or {}).get("items", [])
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        data = data.get("items", [])
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError("not W3C Web Annotation JSON (no annotations found)")
    return [_from_annotation(a, i) for i, a in enumerate(data, 1)]


def _from_annotation(a: Any, number: int) -> Highlight:
    where = f"annotation {number}"
    try:
        return _annotation_highlight(a, where)
    except (TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        # a value of the wrong type somewhere (a number for a list, a list for text): one line, not a crash
        raise ValueError(f"{where}: malformed ({type(exc).__name__}: {exc})") from None


def _annotation_highlight(a: Any, where: str) -> Highlight:
    if not isinstance(a, dict) or a.get("type") != "Annotation":
        raise ValueError(f"{where}: not an Annotation")
    target = a.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, dict) or not _text(target.get("source", ""), where, "target").startswith(PAPER_URN):
        raise ValueError(f"{where}: its target is not a litreader paper ({PAPER_URN}<id>)")
    selectors = _objects(target.get("selector") or [], where, "selector")
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise ValueError(f"{where}: no TextQuoteSelector with the highlighted words")
    start = _offset(position["start"], where) if position else -1
    end = _offset(position["end"], where) if position else -1
    bodies = _objects(a.get("body") or [], where, "body")
    note = "\n\n".join(_text(b.get("value", ""), where, "note") for b in bodies
                        if b.get("purpose", "commenting") == "commenting")
    tags = [_text(b.get("value", ""), where, "tag") for b in bodies if b.get("purpose") == "tagging"]
    color = target.get("styleClass") or DEFAULT_COLOR
    if not isinstance(color, str):
        raise ValueError(f"{where}: its colour is not a name")
    check_color(color)
    ident = _text(a.get("id", ""), where, "id")
    created = _text(a.get("created", ""), where, "created")
    paper_id = target["source"][len(PAPER_URN):]
    if not PAPER_ID.fullmatch(paper_id):  # it is shown, stored, and may one day name a folder
        raise ValueError(f"{where}: its target is not a litreader paper ({PAPER_URN} and 16 hex digits)")
    return Highlight(id=ident.removeprefix("urn:uuid:") or f"imported-{where.split()[-1]}",
                     paper_id=paper_id, start=start, end=end, quote=quote["exact"],
                     prefix=_text(quote.get("prefix", ""), where, "prefix"),
                     suffix=_text(quote.get("suffix", ""), where, "suffix"), color=color, note=note,
                     tags=tags, created=created, modified=_text(a.get("modified", created), where, "modified"),
                     anchor="exact", text_hash="")


def _text(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: its {what} is not text")
    return value


def _objects(value: Any, where: str, what: str) -> list[dict[str, Any]]:
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError(f"{where}: its {what} is not an object or a list of objects")
    return items


def _offset(value: Any, where: str) -> int:
    """A character offset: a whole number (JSON may hold 1e400, Infinity, "12" or true instead)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
            or value in (float("inf"), float("-inf")) or int(value) != value or not 0 <= value < 2**53:
        raise ValueError(f"{where}: its TextPositionSelector offsets are not character positions")
    return int(value)


# CSV (Readwise)

READWISE_COLUMNS = ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
# What a spreadsheet may read as the start of a formula, also after leading spaces, and in the full-width and
# small forms some spreadsheets fold to it (U+FF1D, U+FF0B, U+FF0D, U+FF20; U+FE66, U+FE62, U+FE63, U+FE6B).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20",
                  "\ufe66", "\ufe62", "\ufe63", "\ufe6b")


def to_csv(items: Sequence[PaperHighlights]) -> str:
    """Readwise's CSV columns; Location is the page (PDF) or the position in the text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(READWISE_COLUMNS)
    for item in items:
        paper = item.paper
        authors = ", ".join(a.display() for a in paper.authors)
        url = f"https://doi.org/{paper.doi}" if paper.doi else paper.url
        for h in sorted(item.highlights, key=lambda h: (h.start, h.end)):
            location = page_of(paper, h.start) or h.start
            writer.writerow([_cell(v) for v in (h.quote, paper.title, authors, url, h.note, str(location),
                                                 h.created)])
    return buffer.getvalue()


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe (OWASP)."""
    return "'" + value if value.lstrip(" \u3000\u00a0").startswith(_FORMULA_START) else value
