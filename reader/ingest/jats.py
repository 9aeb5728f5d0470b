"""JATS/NLM articles (eLife, PLOS, PMC) to a Paper.

The reading text is built in document order: title, abstract, other summaries (eLife digest, PLOS
author summary), body, back matter (acknowledgements, appendices), sub-articles (eLife decision letters),
then the reference list. In-text citations come straight from ``<xref ref-type="bibr">``: the span is
wherever the xref's text landed in ``Paper.text``, so nothing is guessed from prose.

The tree must come from :func:`reader.ingest.xmlsafe.parse_xml` (namespace prefixes stripped).
"""
from __future__ import annotations

import re

from lxml import etree

from reader.ingest import PARSER_VERSION
from reader.ingest.builder import TextBuilder
from reader.ingest.jats_elements import (ENDS_SENTENCE, NAME_TAGS, YEAR, child_text, person_name, plain_text,
                                         reference_from_jats, squash)
from reader.ingest.xmlsafe import local_attr
from reader.model import Block, Citation, CitationItem, Paper, Reference, paper_id_for
from reader.normalize import unique

_Element = etree._Element

# Never part of the reading text: display formulas, graphics, media, files, DOIs of figures (tables are
# written as table blocks by ``_Writer.table``, not inline).
_SKIP = frozenset({
    "object-id", "graphic", "inline-graphic", "media", "supplementary-material", "disp-formula",
    "disp-formula-group", "table", "tex-math", "alt-text", "long-desc", "permissions",
    "sec-meta", "ref-list", "private-char", "processing-meta", "related-object",
})
# Elements that break a paragraph when they sit inside one (JATS allows lists and figures in <p>).
_BLOCKS = frozenset({
    "p", "sec", "list", "fig", "fig-group", "table-wrap", "table-wrap-group", "chem-struct-wrap",
    "disp-quote", "boxed-text", "statement", "def-list", "verse-group", "speech", "preformat", "code",
    "glossary", "fn-group", "app", "app-group", "ack", "notes",
})
# Footnote and affiliation markers: superscript symbols, noise in the reading text.
_MARKER_XREFS = frozenset({"fn", "aff", "corresp", "author-notes", "table-fn"})
# ASCII white space only: a no-break or thin space from the source is a character worth keeping.
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_DIGITS = re.compile(r"\d+")
_NUMERIC_XREF = re.compile(r"^[\[(]?\s*\d+\s*[\])]?$")
_RANGE_GAP = re.compile(r"^\s*[\])]?\s*[-\u2010\u2011\u2012\u2013\u2014]\s*[\[(]?\s*$")
# eLife closes abstracts, sections and captions with a "DOI: http://dx.doi.org/..." line: a link, not prose.
_DOI_LINE = re.compile(r"^DOI:\s*\S+$", re.I)

_PREFERRED_DATES = frozenset({"epub", "ppub", "collection", "epub-ppub", "pub"})


class _Writer:
    """Walks the article tree into a TextBuilder, recording where each bibr xref landed."""

    def __init__(self, ref_ids: dict[str, str]) -> None:
        self.tb = TextBuilder()
        self.ref_ids = ref_ids
        self.xrefs: list[tuple[int, int, list[str]]] = []  # (start, end, xml rids)
        self._spans: list[tuple[int, int]] | None = None  # collecting the spans of the open xref
        self.level = 0

    def write(self, s: str | None) -> None:
        if not s:
            return
        start, end = self.tb.write(s)
        if self._spans is not None and end > start:
            self._spans.append((start, end))

    # -- inline content ----------------------------------------------------------------------------
    def inline(self, el: _Element, kind: str) -> None:
        """Write an element's text and inline children into the open block (kind ``kind``)."""
        self.write(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag in _BLOCKS:
                # A list or figure inside a paragraph: end the paragraph, write the block, resume.
                self.tb.close_block(kind)
                self.block(child, kind)
                self.tb.open_block()
            elif tag in _SKIP or tag == "fn":  # a footnote inside a sentence is not read inline
                self.write(" ")
            elif tag == "xref":
                self._xref(child, kind)
            elif tag == "inline-formula":
                self.write(_formula_text(child))
            elif tag == "break":
                self.write(" ")
            else:
                self.inline(child, kind)
            self.write(child.tail)

    def _xref(self, el: _Element, kind: str) -> None:
        ref_type = el.get("ref-type", "")
        if ref_type in _MARKER_XREFS:
            return
        if ref_type != "bibr" or self._spans is not None:
            self.inline(el, kind)
            return
        self._spans = []
        self.inline(el, kind)
        spans, self._spans = self._spans, None
        if spans:  # an empty xref (PLOS range middles) marks nothing
            self.xrefs.append((spans[0][0], spans[-1][1], el.get("rid", "").split()))

    # -- blocks --------------------------------------------------------------------------------------
    def paragraph(self, el: _Element, kind: str) -> Block | None:
        self.tb.open_block()
        self.inline(el, kind)
        return self.tb.close_block(kind)

    def heading(self, label: _Element | None, title: _Element | None, level: int,
                default: str = "") -> None:
        self.tb.open_block()
        if label is not None:
            self.inline(label, "heading")
            self.write(" ")
        if title is not None:
            self.inline(title, "heading")
        elif label is None:
            self.write(default)
        self.tb.close_block("heading", max(level, 1))

    def caption(self, el: _Element, kind: str = "caption") -> Block | None:
        """A figure's or table's label, caption title and paragraphs as one block of ``kind``."""
        self.tb.open_block()
        label = el.find("label")
        if label is not None:
            text = plain_text(label)
            self.inline(label, "caption")
            if text and not ENDS_SENTENCE.search(text):
                self.write(".")
            self.write(" ")
        cap = el.find("caption")
        if cap is not None:
            for part in cap:
                if part.tag in ("title", "p") and not _is_doi_line(part):
                    self.inline(part, "caption")
                    self.write(" ")
        for attrib in el.findall("attrib"):  # "Figure modified from Smith, 2013"
            self.inline(attrib, "caption")
        return self.tb.close_block(kind)

    def figure(self, el: _Element) -> None:
        """A figure block: its span is the label and caption, ``src`` the image file the record names."""
        block = self.caption(el, "figure")
        graphic = next(el.iter("graphic"), None)
        if block is not None and graphic is not None:
            block.src = local_attr(graphic, "href")

    def table_wrap(self, el: _Element) -> None:
        """Each table as a table block (cells joined by tab, rows by newline), then its caption, then the
        table's footnotes."""
        for table in el.iter("table"):
            self.table(table)
        self.caption(el)
        for foot in el.findall("table-wrap-foot"):
            for item in foot.iter("fn", "p"):
                if item.tag == "p" and item.getparent() is not None and item.getparent().tag == "fn":
                    continue  # written with its footnote
                self.tb.open_block()
                label = item.find("label") if item.tag == "fn" else None
                if label is not None:
                    self.inline(label, "footnote")
                    self.write(" ")
                paras = item.findall("p") if item.tag == "fn" else [item]
                for p in paras:
                    self.inline(p, "footnote")
                    self.write(" ")
                self.tb.close_block("footnote")

    def table(self, table: _Element) -> None:
        rows = [[cell for cell in tr if cell.tag in ("th", "td")] for tr in table.iter("tr")]
        rows = [row for row in rows if row]
        if not rows:
            return
        self.tb.open_block()
        for r, row in enumerate(rows):
            if r:
                self.tb.write_separator("\n")
            for c, cell in enumerate(row):
                if c:
                    self.tb.write_separator("\t")
                self.inline(cell, "table")
        self.tb.close_block("table")

    def block(self, el: _Element, kind: str = "paragraph") -> None:
        """Write one block-level element (``p``, ``sec``, ``list``, ``fig``, ...) and what it holds."""
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "p":
            if not _is_doi_line(el):
                self.paragraph(el, kind)
        elif tag == "fig":
            self.figure(el)
        elif tag == "table-wrap":
            self.table_wrap(el)
        elif tag == "chem-struct-wrap":
            self.caption(el)
        elif tag in ("fig-group", "table-wrap-group"):
            if el.find("caption") is not None:
                self.caption(el)
            for child in el:
                if child.tag == "fig":
                    self.figure(child)
                elif child.tag == "table-wrap":
                    self.table_wrap(child)
        elif tag == "list":
            for item in el:
                if item.tag == "list-item":
                    self.list_item(item, kind)
        elif tag == "def-list":
            for item in el.iter("def-item"):
                self.tb.open_block()
                self.inline_children(item, kind, ": ")
                self.tb.close_block(kind)
        elif tag in ("preformat", "code"):
            self.paragraph(el, kind)
        else:  # sec, boxed-text, disp-quote, statement, ack, app, fn-group, ... : titled containers
            self.container(el, kind)

    def list_item(self, item: _Element, kind: str) -> None:
        """Each paragraph of a list item is a paragraph; the item's label starts the first one."""
        if not any(c.tag in _BLOCKS for c in item):
            self.paragraph(item, kind)  # bare text (its label, if any, is written inline)
            return
        label = plain_text(item.find("label"))
        for child in item:
            if child.tag == "label" or not isinstance(child.tag, str):
                continue
            if child.tag == "p" and label:
                self.tb.open_block()
                self.write(label + " ")
                self.inline(child, kind)
                self.tb.close_block(kind)
                label = ""
            else:
                self.block(child, kind)

    def inline_children(self, el: _Element, kind: str, sep: str) -> None:
        for i, child in enumerate(c for c in el if isinstance(c.tag, str)):
            if i:
                self.write(sep)
            self.inline(child, kind)

    def container(self, el: _Element, kind: str, default_title: str = "") -> None:
        """A block holding other blocks; its label and title become a heading one level deeper."""
        title, label = el.find("title"), el.find("label")
        self.level += 1
        if title is not None or label is not None or default_title:
            self.heading(label, title, self.level, default_title)
        if el.text and el.text.strip() and el.tag not in ("sec", "app"):
            self.paragraph(el, kind)  # e.g. a disp-quote with bare text
        else:
            for child in el:
                if child.tag not in ("title", "label"):
                    self.block(child, kind)
        self.level -= 1


def _is_doi_line(p: _Element) -> bool:
    if len(p) > 2:
        return False
    head = (p.text or "") + ((p[0].text or "") if len(p) else "")
    return head.lstrip()[:3].upper() == "DOI" and bool(_DOI_LINE.match(plain_text(p)))


def _formula_text(el: _Element) -> str:
    """An inline formula as plain characters, so a sentence is not left with a hole: its MathML leaves, else
    its TeX, else its alt text; a formula given only as a picture reads "[formula]"."""
    math = next(el.iter("math"), None)
    if math is not None:
        text = "".join(t.strip() for t in math.itertext())
        if text:
            return text
    for tag in ("tex-math", "alt-text"):
        found = next(el.iter(tag), None)
        if found is not None and "".join(found.itertext()).strip():
            return squash("".join(found.itertext()))
    return "[formula]"


def _year(meta: _Element) -> int | None:
    """The publication year: the earliest sensible epub/ppub/collection date, else any pub-date."""
    preferred: list[int] = []
    others: list[int] = []
    for date in meta.findall("pub-date"):
        m = YEAR.search(child_text(date, "year"))
        if not m:
            continue
        kind = date.get("pub-type") or date.get("date-type") or ""
        (preferred if kind in _PREFERRED_DATES else others).append(int(m.group(1)))
    years = preferred or others
    return min(years) if years else None


def _metadata(paper: Paper, root: _Element) -> None:
    front = root.find("front")
    meta = front.find("article-meta") if front is not None else None
    journal = front.find("journal-meta") if front is not None else None
    if journal is not None:
        paper.venue = plain_text(next(journal.iter("journal-title"), None)) or plain_text(
            next(journal.iter("abbrev-journal-title"), None))
        paper.issn = child_text(journal, "issn")
    if meta is None:
        return
    paper.title = plain_text(meta.find("title-group/article-title"))
    for group in meta.findall("contrib-group"):
        for contrib in group.findall("contrib"):
            if contrib.get("contrib-type", "author") != "author":
                continue
            el = next((c for c in contrib if c.tag in NAME_TAGS), None)
            name = person_name(el) if el is not None else None
            if name:
                paper.authors.append(name)
    paper.year = _year(meta)
    paper.volume = child_text(meta, "volume")
    paper.issue = child_text(meta, "issue")
    for aid in meta.findall("article-id"):
        if aid.get("pub-id-type") == "doi":
            paper.doi = plain_text(aid)
    # eLife adds a group naming the organism studied ("Human", "Other"): not the authors' keywords
    groups = [g for g in meta.iter("kwd-group") if g.get("kwd-group-type") != "research-organism"]
    paper.keywords = unique(plain_text(k) for g in groups for k in g.iter("kwd"))


def _main_abstract(abstracts: list[_Element]) -> _Element | None:
    untyped = [a for a in abstracts if a.get("abstract-type") in (None, "", "abstract")]
    if untyped:
        return untyped[0]
    others = [a for a in abstracts if a.get("abstract-type") not in ("toc", "executive-summary", "summary")]
    return others[0] if others else None


# -- citations ---------------------------------------------------------------------------------------

def _citations(text: str, xrefs: list[tuple[int, int, list[str]]], refs: list[Reference],
               ref_ids: dict[str, str]) -> list[Citation]:
    """One Citation per bibr xref; a numeric range tagged only at its ends becomes one citation."""
    with_year = sum(1 for s, e, _ in xrefs if _HAS_YEAR.search(text[s:e]))
    style = "author-year" if xrefs and with_year * 2 >= len(xrefs) else "numeric"
    order = {r.id: i for i, r in enumerate(refs)}
    out: list[Citation] = []
    prev_single: int | None = None  # ref index of the previous citation, when it is one numeric ref
    for start, end, rids in xrefs:
        label = text[start:end]
        ids = [ref_ids[r] for r in rids if r in ref_ids]
        single = order[ids[0]] if len(ids) == 1 and _NUMERIC_XREF.match(label) else None
        if (style == "numeric" and out and prev_single is not None and single is not None and prev_single < single
                and _RANGE_GAP.match(text[out[-1].end:start])):
            first = out[-1]
            # The untagged middle of a range, labelled like its first end ("[5]" -> "[6]").
            middle = [CitationItem(_DIGITS.sub(refs[k].citation_number or str(k + 1), first.items[0].label, 1),
                                   "resolved", [refs[k].id])
                      for k in range(prev_single + 1, single)]
            first.items += middle + [CitationItem(label, "resolved", [ids[0]])]
            first.end = end
            first.text = text[first.start:end]
            prev_single = None  # a range is closed; "5–7–9" is not a thing
            continue
        items = [CitationItem(label, "resolved", [i]) for i in ids] or [CitationItem(label)]
        out.append(Citation(start, end, label, style, items))
        prev_single = single
    return out


# -- the loader --------------------------------------------------------------------------------------

def load_jats(root: _Element, data: bytes, source_path: str) -> Paper:
    """Turn a parsed JATS/NLM ``<article>`` into a Paper (metadata, reading text, references, citations)."""
    paper = Paper(id=paper_id_for(data), source_path=source_path, format="jats",
                  parser_version=PARSER_VERSION)
    _metadata(paper, root)
    back = root.find("back")
    ref_els = list(back.iter("ref")) if back is not None else []
    ref_ids: dict[str, str] = {}
    refs: list[Reference] = []
    for i, ref_el in enumerate(ref_els, 1):
        rid = f"r{i}"
        if ref_el.get("id"):
            ref_ids.setdefault(ref_el.get("id", ""), rid)
        refs.append(reference_from_jats(ref_el, rid))

    w = _Writer(ref_ids)
    meta = root.find("front/article-meta")
    title = meta.find("title-group/article-title") if meta is not None else None
    if title is not None:
        w.paragraph(title, "title")

    abstracts = meta.findall("abstract") if meta is not None else []
    main = _main_abstract(abstracts)
    abstract_span: tuple[int, int] | None = None
    if main is not None:
        w.tb.add_block("heading", "Abstract", level=1)
        first = len(w.tb.blocks)
        w.level = 1
        for child in main:
            if child.tag not in ("title", "label"):
                w.block(child, "abstract")
        w.level = 0
        if len(w.tb.blocks) > first:
            abstract_span = (w.tb.blocks[first].start, w.tb.blocks[-1].end)
    for extra in abstracts:
        if extra is not main and extra.get("abstract-type") in ("executive-summary", "summary"):
            w.container(extra, "paragraph", default_title="Summary")

    body = root.find("body")
    if body is not None:
        for child in body:
            w.block(child)
    if back is not None:
        for child in back:
            if child.tag == "ack":
                w.container(child, "paragraph", default_title="Acknowledgements")
            elif child.tag in ("sec", "app-group", "app", "boxed-text"):
                w.block(child)
    for sub in root.iter("sub-article"):  # eLife decision letters and author responses
        sub_title = sub.find("front-stub/title-group/article-title")
        if sub_title is None:
            sub_title = sub.find("front/article-meta/title-group/article-title")
        w.heading(None, sub_title, 1, default="Sub-article")
        sub_body = sub.find("body")
        if sub_body is not None:
            w.level = 1
            for child in sub_body:
                w.block(child)
            w.level = 0

    if refs:
        w.tb.add_block("heading", "References", level=1)
        for ref in refs:
            block = w.tb.add_block("reference", ref.raw)
            if block is not None:
                ref.start, ref.end = block.start, block.end

    paper.text = w.tb.text()
    paper.blocks = w.tb.blocks
    paper.references = refs
    if abstract_span is not None:
        paper.abstract = paper.text[abstract_span[0]:abstract_span[1]]
    paper.citations = _citations(paper.text, w.xrefs, refs, ref_ids)
    return paper


__all__ = ["load_jats", "plain_text", "squash"]

