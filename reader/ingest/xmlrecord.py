"""Loose journal records: XML-ish exports with ad-hoc tags and often no root element.

A typical record (as exported by small journal platforms) looks like::

    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE article PUBLIC "..." "JATS-journalpublishing1.dtd">
          <Volume-Issue>Volume 4 Issue 1</Volume-Issue>
          <Season>Apr-May 2023</Season>
          <ArticleTitle>...</ArticleTitle>
              <FirstName>Ido Gadi</FirstName>
          <Abstract>...</Abstract>
          <Keywords>Afghanistan, Pakistan, ...</Keywords>
            <Abstract>https://... (the landing page, despite the tag)</Abstract>
            <References>entry&#13;
    entry&#13; ...</References>

Such exports also mangle entities (``&#39;`` comes out as ``__ampersandsign#39;`` or ``and;#39;``);
:func:`demangle_entities` repairs them before the text is parsed. Tags are matched case-insensitively.
Reference entries are kept as printed (``raw``): parsing them is the citation engine's job.
"""
from __future__ import annotations

import re
from collections import defaultdict
from html.entities import html5

from lxml import etree

from reader.ingest import PARSER_VERSION
from reader.ingest.builder import TextBuilder
from reader.ingest.xmlsafe import decode_xml, parse_xml
from reader.model import Name, Paper, Reference, paper_id_for
from reader.cite.names import name_from_words
from reader.normalize import squash, unique

_Element = etree._Element

# -- entity repair -----------------------------------------------------------------------------------

# Each repair produces an XML character reference, so the result is safe in text and in attributes.
_MANGLED_AMP = re.compile(r"__ampersandsign(#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
_MANGLED_QUOTES = {"__doublequotosing": "&quot;", "__singlequotosing": "&apos;"}
_MANGLED_QUOTE = re.compile("|".join(_MANGLED_QUOTES))
# "&amp;" written out as "and;": "&amp;#39;" became "and;#39;" (glued to the word before it).
_AND_REFERENCE = re.compile(r"and;(#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
# A lone "and;" (not the end of a word like "Brand;") was an ampersand: "Small Wars and; Insurgencies".
_AND_ALONE = re.compile(r"(?<![A-Za-z0-9])and;")


def _known_reference(ref: str) -> bool:
    return ref.startswith("#") or ref in html5 or ref[:-1] in ("amp", "lt", "gt", "quot", "apos")


def demangle_entities(text: str) -> str:
    """Repair entities mangled by record exports, as XML references (parse the result as XML).

    ``__ampersandsign#39;`` and ``and;#39;`` -> ``&#39;``; ``__doublequotosing`` -> ``&quot;``;
    a lone ``and;`` -> ``&amp;``. Any numeric reference is handled, not only ``#39``.
    """
    def amp(m: re.Match[str]) -> str:
        ref = m.group(1)
        return "&" + ref if ref and _known_reference(ref) else "&amp;" + (ref or "")

    def and_ref(m: re.Match[str]) -> str:
        ref = m.group(1)
        return "&" + ref if _known_reference(ref) else m.group(0)

    if "__" in text:
        text = _MANGLED_AMP.sub(amp, text)
        text = _MANGLED_QUOTE.sub(lambda m: _MANGLED_QUOTES[m.group(0)], text)
    if "and;" in text:
        text = _AND_REFERENCE.sub(and_ref, text)
        text = _AND_ALONE.sub("&amp;", text)
    return text


def parse_record(data: bytes) -> _Element:
    """Decode, repair entities and parse a record file, wrapping its top-level elements in ``<record>``."""
    return parse_xml(demangle_entities(decode_xml(data)), wrap_root="record")


# -- fields ------------------------------------------------------------------------------------------

_TITLE_TAGS = ("articletitle", "article-title", "papertitle", "title")
_VENUE_TAGS = ("journaltitle", "journal-title", "journalname", "journal", "source", "publication")
_YEAR_TAGS = ("year", "pubyear", "publicationyear")
_DATE_TAGS = ("season", "pubdate", "publicationdate", "date", "published", "issuedate")
_URL_TAGS = ("url", "link", "landingpage", "articleurl", "fulltexturl", "uri")
_BODY_TAGS = ("body", "fulltext", "articletext")
_REFERENCE_ITEM_TAGS = frozenset({"reference", "ref", "citation", "p", "li", "item"})

# A bare link; its query string may hold spaces (the seed's "...&title=Against all Expectations: ...").
_URL_ONLY = re.compile(r"^(?:https?://|www\.)[^\s?]+(?:\?.*)?$", re.I)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_VOLUME = re.compile(r"\bVol(?:ume|\.)?\s*([0-9A-Za-z]+)", re.I)
_ISSUE = re.compile(r"\b(?:Issue|No\.?|Number)\s*([0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)")
_PARAGRAPHS = re.compile(r"\r\n?|\n\s*\n")


_squash = squash


def _text(el: _Element) -> str:
    return _squash("".join(el.itertext()))


def _index(root: _Element) -> dict[str, list[_Element]]:
    """Elements by lower-cased tag name, in document order."""
    out: dict[str, list[_Element]] = defaultdict(list)
    for el in root.iter():
        if isinstance(el.tag, str):
            out[el.tag.lower()].append(el)
    return out


def _first(tags: dict[str, list[_Element]], names: tuple[str, ...], skip_parents: tuple[str, ...] = ()
           ) -> str:
    for name in names:
        for el in tags.get(name, []):
            parent = el.getparent()
            if parent is not None and isinstance(parent.tag, str) and parent.tag.lower() in skip_parents:
                continue
            value = _text(el)
            if value:
                return value
    return ""


def split_name(full: str) -> Name:
    """``"Ido Gadi"`` -> given Ido, family Gadi; ``"Gadi, Ido"`` -> the same; particles stay in family."""
    full = _squash(full).strip(" ,;")
    if "," in full:
        family, given = (p.strip() for p in full.split(",", 1))
        return Name(family=family, given=given)
    return name_from_words(full.split(" "))


def _authors(tags: dict[str, list[_Element]]) -> list[Name]:
    structured: list[Name] = []
    for el in tags.get("author", []):
        parts = {c.tag.lower(): _text(c) for c in el if isinstance(c.tag, str)}
        family = parts.get("lastname") or parts.get("surname") or parts.get("familyname", "")
        given = parts.get("firstname") or parts.get("givenname") or parts.get("givennames", "")
        if family:
            structured.append(Name(family=family, given=given))
        elif given:
            structured.append(split_name(given))
        elif not len(el) and _text(el):
            structured.append(split_name(_text(el)))
    if structured:
        return structured
    firsts = [_text(e) for e in tags.get("firstname", []) + tags.get("givenname", []) if _text(e)]
    lasts = [_text(e) for e in tags.get("lastname", []) + tags.get("surname", []) if _text(e)]
    if lasts and len(firsts) == len(lasts):
        return [Name(family=f, given=g) for g, f in zip(firsts, lasts)]
    if lasts:
        return [Name(family=f) for f in lasts]
    if firsts:  # FirstName holding the whole name, as in the journal exports this module is for
        return [split_name(f) for f in firsts]
    listed = _first(tags, ("authors", "authornames", "creator"))
    if listed:
        pieces = listed.split(";") if ";" in listed else re.split(r",|\band\b|&", listed)
        return [split_name(p) for p in pieces if p.strip()]
    return []


def _keywords(tags: dict[str, list[_Element]]) -> list[str]:
    words: list[str] = []
    for el in tags.get("keywords", []):
        children = [c for c in el if isinstance(c.tag, str)]
        words += [_text(c) for c in children] if children else re.split(r"[;,]", _text(el))
    words += [_text(el) for name in ("keyword", "kwd") for el in tags.get(name, [])]
    return unique(w.strip(" .") for w in words)


def _reference_entries(tags: dict[str, list[_Element]]) -> list[str]:
    """The printed reference entries: one per child element, else split on carriage returns."""
    entries: list[str] = []
    for el in tags.get("references", []) + tags.get("referencelist", []) + tags.get("bibliography", []):
        children = [c for c in el if isinstance(c.tag, str) and c.tag.lower() in _REFERENCE_ITEM_TAGS]
        if children:
            entries += ["".join(c.itertext()) for c in children]
            continue
        text = "".join(el.itertext())
        # The exports end each entry with "&#13;" (a carriage return); without any, one entry per line.
        entries += text.split("\r") if "\r" in text else text.split("\n")
    return [e for e in (_squash(e) for e in entries) if e]


def _paragraphs(text: str) -> list[str]:
    return [p for p in (_squash(p) for p in _PARAGRAPHS.split(text)) if p]


def load_xml_record(root: _Element, data: bytes, source_path: str) -> Paper:
    """Turn a parsed loose record (see :func:`parse_record`) into a Paper: metadata, abstract, references.

    ``root`` must come from text already repaired with :func:`demangle_entities`.
    """
    paper = Paper(id=paper_id_for(data), source_path=source_path, format="xml",
                  parser_version=PARSER_VERSION)
    tags = _index(root)
    paper.title = _first(tags, _TITLE_TAGS, skip_parents=("journal", "references", "reference", "source"))
    paper.authors = _authors(tags)
    paper.venue = _first(tags, _VENUE_TAGS)
    doi = _DOI.search(_first(tags, ("doi",)))
    paper.doi = doi.group(1) if doi else ""
    paper.issn = _first(tags, ("issn", "eissn"))
    paper.url = _first(tags, _URL_TAGS)
    paper.keywords = _keywords(tags)

    volume_issue = _first(tags, ("volume-issue", "volumeissue"))
    vol = _VOLUME.search(volume_issue)
    issue = _ISSUE.search(volume_issue)
    paper.volume = _first(tags, ("volume", "vol")) or (vol.group(1) if vol else "")
    paper.issue = _first(tags, ("issue", "number")) or (issue.group(1) if issue else "")
    for value in (_first(tags, _YEAR_TAGS), _first(tags, _DATE_TAGS)):
        m = _YEAR.search(value)
        if m:
            paper.year = int(m.group(1))
            break

    abstract_paragraphs: list[str] = []
    for el in tags.get("abstract", []) + tags.get("description", []):
        text = "".join(el.itertext())
        if _URL_ONLY.match(_squash(text)):  # a link filed under <Abstract> is the landing page
            paper.url = paper.url or _squash(text)
        elif not abstract_paragraphs:
            abstract_paragraphs = _paragraphs(text)

    tb = TextBuilder()
    if paper.title:
        tb.add_block("title", paper.title)
    if abstract_paragraphs:
        tb.add_block("heading", "Abstract", level=1)
        blocks = [b for b in (tb.add_block("abstract", p) for p in abstract_paragraphs) if b]
        abstract_span = (blocks[0].start, blocks[-1].end) if blocks else None
    else:
        abstract_span = None
    for name in _BODY_TAGS:
        for el in tags.get(name, []):
            for p in _paragraphs("".join(el.itertext())):
                tb.add_block("paragraph", p)
    entries = _reference_entries(tags)
    if entries:
        tb.add_block("heading", "References", level=1)
    for i, entry in enumerate(entries, 1):
        ref = Reference(id=f"r{i}", raw=entry)
        block = tb.add_block("reference", entry)
        if block is not None:
            ref.start, ref.end = block.start, block.end
        paper.references.append(ref)
    paper.text = tb.text()
    paper.blocks = tb.blocks
    if abstract_span:
        paper.abstract = paper.text[abstract_span[0]:abstract_span[1]]
    return paper
