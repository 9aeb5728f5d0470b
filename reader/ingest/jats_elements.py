"""Reading JATS elements: plain text, personal names, and reference entries as CSL-JSON.

Shared by the JATS loader (``reader.ingest.jats``); the tree must come from
:func:`reader.ingest.xmlsafe.parse_xml` (namespace prefixes stripped).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from reader.ingest.xmlsafe import xlink_href
from reader.model import Name, Reference

_Element = etree._Element

_CITATION_TAGS = ("element-citation", "mixed-citation", "nlm-citation", "citation")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_ANY_SPACES = re.compile(r"\s+")  # what TextBuilder collapses: a reference's raw must match its block
YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)([a-z]?)(?![\d])")
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/\S+[^\s.,;])")
_PUBMED_LINK = re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(\d+)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
ENDS_SENTENCE = re.compile(r"[.?!:]$")
_CSL_TYPES = {
    "journal": "article-journal", "book": "book", "web": "webpage", "webpage": "webpage",
    "website": "webpage", "data": "dataset", "dataset": "dataset", "software": "software",
    "software-url": "software", "report": "report", "thesis": "thesis", "confproc": "paper-conference",
    "conf-proceedings": "paper-conference", "conference": "paper-conference", "patent": "patent",
    "preprint": "article", "newspaper": "article-newspaper", "chapter": "chapter",
}


def squash(s: str) -> str:
    """Collapse runs of ASCII white space to one space and trim; a no-break space (&nbsp;) is kept."""
    return _SPACES.sub(" ", s).strip()


def plain_text(el: _Element | None, skip: Iterable[str] = ("object-id", "xref")) -> str:
    """The text of an element without the subtrees in ``skip`` (tails are kept), white space squashed."""
    if el is None:
        return ""
    if not len(el):  # the common case: a leaf such as <surname> or <year>
        return squash(el.text or "")
    skipped = frozenset(skip)
    parts: list[str] = []

    def walk(e: _Element) -> None:
        if e.text:
            parts.append(e.text)
        for c in e:
            if isinstance(c.tag, str) and c.tag not in skipped:
                walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(el)
    return squash("".join(parts))


def child_text(el: _Element | None, tag: str) -> str:
    return plain_text(el.find(tag)) if el is not None else ""


def person_name(el: _Element) -> Name | None:
    """A ``name``/``string-name``/``collab`` element as a CSL name."""
    if el.tag == "collab":
        literal = plain_text(el, skip=("contrib-group", "xref", "object-id", "fn"))
        return Name(literal=literal) if literal else None
    if el.tag == "name-alternatives":
        first = next((c for c in el if c.tag in ("name", "string-name")), None)
        return person_name(first) if first is not None else None
    family, given = child_text(el, "surname"), child_text(el, "given-names")
    if not family and not given:
        literal = plain_text(el)
        return Name(literal=literal) if literal else None
    return Name(family=family, given=given) if family else Name(literal=given)


NAME_TAGS = ("name", "string-name", "collab", "name-alternatives")



def reference_from_jats(ref: _Element, rid: str) -> Reference:
    """Fields of one ``<ref>`` as CSL-JSON, and its printed (or rendered) string as ``raw``."""
    cit = next((c for c in ref if c.tag in _CITATION_TAGS), ref)
    out = Reference(id=rid, raw="")
    out.citation_number = plain_text(ref.find("label"))
    pub_type = (cit.get("publication-type") or cit.get("citation-type") or "").lower()

    groups = cit.findall("person-group")
    authors = next((g for g in groups if g.get("person-group-type", "author") == "author"), None)
    editors = next((g for g in groups if g.get("person-group-type") == "editor"), None)
    # Without an author group, names sit directly in the citation (BMC, PLOS mixed-citations).
    name_source = authors if authors is not None else cit
    out.author = [n for n in (person_name(c) for c in name_source if c.tag in NAME_TAGS) if n]
    has_etal = authors is not None and authors.find("etal") is not None or cit.find("etal") is not None

    for year in cit.iter("year"):
        if year.getparent() is not None and year.getparent().tag == "date-in-citation":
            continue  # an access date, not the publication date
        m = YEAR.search(plain_text(year))
        if m:
            out.issued, out.year_suffix = [int(m.group(1))], m.group(2)
            break

    title_el = next((c for c in cit if c.tag in ("article-title", "chapter-title", "data-title")), None)
    title = plain_text(title_el).rstrip(".") if title_el is not None else ""
    source = plain_text(cit.find("source"))
    csl_type = _CSL_TYPES.get(pub_type, "")
    if cit.find("chapter-title") is not None or (pub_type == "book" and title and source):
        csl_type = "chapter"
    out.type = csl_type
    if title:
        out.title, out.container_title = title, source
    elif csl_type != "article-journal":
        out.title = source  # a book, web page or data set is cited by its own title
    else:
        out.container_title = source

    out.volume = child_text(cit, "volume")
    out.issue = child_text(cit, "issue")
    fpage, lpage = child_text(cit, "fpage"), child_text(cit, "lpage")
    out.page = f"{fpage}-{lpage}" if fpage and lpage else fpage or child_text(cit, "elocation-id")
    out.publisher = child_text(cit, "publisher-name")
    out.publisher_place = child_text(cit, "publisher-loc")
    _identifiers(cit, out)
    raw = _printed(cit) if cit.tag == "mixed-citation" else ""
    out.raw = _ANY_SPACES.sub(" ", raw or _render(out, editors, has_etal, fpage, lpage, source)).strip()
    return out


def _identifiers(cit: _Element, out: Reference) -> None:
    """DOI, PMID and URL from pub-id/object-id, ext-link, uri and 'doi:' comments."""
    for el in cit.iter("pub-id", "object-id"):
        kind, value = el.get("pub-id-type", "").lower(), plain_text(el)
        if kind == "doi" and not out.DOI:
            out.DOI = _DOI_PREFIX.sub("", value)
        elif kind == "pmid" and not out.PMID:
            out.PMID = value
    for el in cit.iter("ext-link", "uri"):
        href = xlink_href(el) or plain_text(el)
        if el.get("ext-link-type") == "doi" or "doi.org/10." in href:
            out.DOI = out.DOI or _DOI_PREFIX.sub("", href)
        elif pubmed := _PUBMED_LINK.search(href):  # PLOS prints "PubMed: <link>"
            out.PMID = out.PMID or pubmed.group(1)
        elif href and not out.URL:
            out.URL = href
    if not out.DOI:
        for comment in cit.iter("comment"):
            m = _DOI_IN_TEXT.search(plain_text(comment))
            if m:
                out.DOI = m.group(1)
                break


def _printed(cit: _Element) -> str:
    """A mixed-citation as printed, punctuation included; "" when it has no punctuation (BMC)."""
    between = (cit.text or "") + "".join(c.tail or "" for c in cit)
    if not between.strip():
        return ""  # fields only, like an element-citation: render it instead
    parts: list[str] = []

    def walk(e: _Element) -> None:
        if e.text:
            parts.append(e.text)
        for c in e:
            if c.tag == "name":  # some PLOS files glue <surname>Alder</surname><given-names>JK</given-names>
                name = person_name(c)
                parts.append(_person_short(name) if name else "")
            elif c.tag == "object-id":  # PLOS prints its PubMed id as "pmid:15830999"
                kind = c.get("pub-id-type", "")
                parts.append(f"{kind}:{plain_text(c)}" if kind else plain_text(c))
            elif isinstance(c.tag, str):
                walk(c)
            if c.tail:
                parts.append(c.tail)

    walk(cit)
    return "".join(parts)


def _person_short(n: Name) -> str:
    return n.literal or f"{n.family} {n.given}".strip()


def _render(ref: Reference, editors: _Element | None, etal: bool, fpage: str, lpage: str,
            source: str) -> str:
    """Render field-only citations like "Surname AB, Surname C. 2012. Title. Journal 5:158–63. doi: ..."."""
    parts: list[str] = []
    names = [_person_short(n) for n in ref.author]
    if etal:
        names.append("et al")
    if names:
        parts.append(", ".join(names))
    if ref.issued:
        parts.append(f"{ref.issued[0]}{ref.year_suffix}")
    if ref.title:
        parts.append(ref.title)
    pages = f"{fpage}–{lpage}" if fpage and lpage else fpage or ref.page
    if ref.container_title:
        where = source
        if editors is not None:
            eds = [_person_short(n) for n in (person_name(c) for c in editors if c.tag in NAME_TAGS) if n]
            if eds:
                where = f"In: {', '.join(eds)}, editor{'s' if len(eds) > 1 else ''}. {source}"
        if ref.volume:
            where += f" {ref.volume}"
            if ref.issue:
                where += f"({ref.issue})"
            if pages:
                where += f":{pages}"
        elif pages:
            where += f", {pages}"
        parts.append(where)
    publisher = ": ".join(p for p in (ref.publisher_place, ref.publisher) if p)
    if publisher:
        parts.append(publisher)
    if ref.DOI:
        parts.append(f"doi: {ref.DOI}")
    elif ref.URL:
        parts.append(ref.URL)
    out = ""
    for part in parts:
        if out:
            out += " " if ENDS_SENTENCE.search(out) else ". "
        out += part
    return squash(out)


# -- front matter ------------------------------------------------------------------------------------
