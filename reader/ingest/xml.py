"""XML files: JATS/NLM articles, or loose journal records (several top-level elements, custom tags)."""
from __future__ import annotations

from lxml import etree

from reader.errors import ParseError, UnsupportedFormat
from reader.ingest.jats import load_jats
from reader.ingest.xmlrecord import load_xml_record, parse_record
from reader.ingest.xmlsafe import parse_xml
from reader.model import Paper

_ARTICLE_PARTS = ("front", "body", "back")


def _jats_article(root: etree._Element) -> etree._Element | None:
    """The JATS ``<article>`` of a document: the root itself, or the one inside a PMC article set."""
    candidates = [root] if root.tag == "article" else [c for c in root if c.tag == "article"][:1]
    for article in candidates:
        if any(article.find(part) is not None for part in _ARTICLE_PARTS):
            return article
    return None


def load_xml(data: bytes, source_path: str) -> Paper:
    """Parse an XML file into a Paper: JATS when it is a JATS ``<article>``, else a loose record.

    Raises ParseError (with a short reason) for malformed XML or a file with no article content.
    """
    first_error: ParseError | None = None
    try:
        root = parse_xml(data)
    except UnsupportedFormat:
        raise
    except ParseError as exc:
        first_error, root = exc, None
    if root is not None:
        article = _jats_article(root)
        if article is not None:
            return _checked(load_jats(article, data, source_path))
    try:
        record = parse_record(data)
    except ParseError:
        # Several top-level elements is what the record path is for; for any other error the
        # message from the file as it stands is the clearer one.
        if first_error is not None and "Extra content" not in str(first_error):
            raise first_error from None
        raise
    return _checked(load_xml_record(record, data, source_path))


def _checked(paper: Paper) -> Paper:
    if not paper.title and not paper.text:
        raise ParseError("no article content found")
    return paper
