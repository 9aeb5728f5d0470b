"""Structure recovery: from printed lines to a readable paper.

Text files and PDFs both arrive here as ``Line`` objects. This module removes page furniture (running
headers, page numbers), groups lines into paragraphs (blank lines, hard-wrapped line lengths, PDF text
blocks), joins paragraphs split at page or column breaks, undoes line-end hyphenation, and recognises
the front matter (title, authors, venue, ISSN, abstract, keywords), the section headings, the body and
the reference list. It writes the result into a ``Paper`` through one ``TextBuilder``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from reader.cite.split import number_label, split_references
from reader.ingest.builder import TextBuilder
from reader.ingest.lines import Line
from reader.model import Name, PageSpan, Paper, Reference

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_ABSTRACT = re.compile(r"^(?:abstract|summary)\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I | re.S)
_ABSTRACT_INLINE = re.compile(r"^abstract\s*[:.\-–—]\s*(?P<rest>\S.*)$", re.I | re.S)
_KEYWORDS = re.compile(r"^(?:key\s*words|keywords|index terms)\s*[:.\-–—]\s*(?P<rest>.*)$", re.I | re.S)
_REFERENCES = re.compile(
    r"^(?:\d+\.?\s*)?(?:references?(?: and notes| cited)?|bibliography|literature cited|works cited|"
    r"cited literature|reference list|literature)\s*:?$", re.I)
_AFTER_REFERENCES = re.compile(
    r"^(?:\d+\.?\s*|[A-Z]\.?\s+)?(?:appendix|appendices|supplementary|supporting information|acknowledge?ments?|"
    r"figure legends|figures|tables|author contributions|funding|competing interests|conflicts? of interest|"
    r"abbreviations|footnotes|notes|about the authors?|biograph)", re.I)
# Names of sections that are headings wherever they stand on a line of their own.
_SECTION_NAME = re.compile(
    r"^(?:\d+\.?\s*)?(?:abstract|introduction|background|materials and methods|methods|results|discussion|"
    r"results and discussion|conclusions?|acknowledge?ments?|references|bibliography)\s*:?$", re.I)
_NUMBERED_HEADING = re.compile(r"^(?P<num>(?:\d{1,2}\.)*\d{1,2})\.?\s+(?P<title>[A-Z\u00C0-\u024F].*)$")
_ROMAN_HEADING = re.compile(r"^(?:[IVX]{1,5})\.\s+[A-Z]")
_NOT_HEADING_START = re.compile(r"^(?:fig(?:ure)?s?\.?\s*\d|table\s*\d|supplementary (?:fig|table)|doi\b|https?:)", re.I)
_META = re.compile(
    r"\b(?:ISSN|E-?ISSN|ISBN|Volume|Vol\.|Issue|Received|Accepted|Published|Revised|Copyright|©|"
    r"Citation:|Editor:|Correspondence|Corresponding author|Open Access|licen[cs]e|All rights reserved)\b", re.I)
_AFFILIATION = re.compile(
    r"\b(?:Department|Dept\.|University|Universit[éäà]|Institute|College|School|Faculty|Laboratory|Hospital|"
    r"Cent(?:re|er)|Ph\.?\s?D\.? Scholar|Professor|Lecturer|Email|E-mail|Academy)\b|@", re.I)
_VENUE_WORDS = re.compile(
    r"\b(?:Journal|Review|Proceedings|Transactions|Letters|Annals|Bulletin|Quarterly|Magazine|Conference|"
    r"Research|Studies|Science|Reports)\b")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)])")
_ISSN = re.compile(r"\b(?:E-?)?ISSN(?:-E)?\s*[:\-]?\s*(\d{4}-\d{3}[\dXx])", re.I)
_VOLUME = re.compile(r"\bVol(?:ume)?\.?\s*:?\s*(\d+)", re.I)
_ISSUE = re.compile(r"\b(?:Issue|No\.)\s*:?\s*(\d+)", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_NAME_DECORATION = re.compile(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶#∗,]+$")
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Professor|Mr|Mrs|Ms|Sir)\.?\s+", re.I)
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "le", "la", "al", "bin", "ter", "ten"}
# words that appear in titles but never in a person's name
_NOT_IN_NAMES = {"a", "an", "the", "of", "on", "in", "for", "to", "with", "from", "by", "at", "as", "is", "are",
                 "via", "after", "before", "between", "under", "over", "into", "towards", "toward", "new", "study",
                 "analysis", "review", "journal", "university", "department", "abstract", "introduction"}
_TERMINAL = (".", "?", "!", ":", '"', "”", "’", "'", "»")
# words that may be joined by a hyphen at a line end and must keep it ("self-consistent", "non-state")
_KEEP_HYPHEN_PREFIXES = {"self", "non", "well", "cross", "anti", "co", "post", "pre", "semi", "multi", "long",
                         "short", "high", "low", "two", "three", "one", "state", "time", "ex", "quasi"}


@dataclass
class Paragraph:
    lines: list[Line]
    heading_level: int = 0
    text: str = field(default="", repr=False)

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def size(self) -> float:
        return max((ln.size for ln in self.lines), default=0.0)


@dataclass
class FrontMatter:
    title: str = ""
    authors: list[Name] = field(default_factory=list)
    venue: str = ""
    issn: str = ""
    volume: str = ""
    issue: str = ""
    doi: str = ""
    url: str = ""
    year: int | None = None
    kept: list[Paragraph] = field(default_factory=list)  # unrecognised front paragraphs, kept as text


def recover_structure(lines: list[Line], paper: Paper) -> None:
    """Fill ``paper`` (metadata, text, blocks, references, page spans) from its printed lines."""
    lines = [ln for ln in drop_furniture(lines) if ln.text.strip()]
    vocabulary = _Vocabulary(lines)
    paragraphs = join_broken_paragraphs(group_paragraphs(lines), vocabulary)
    for p in paragraphs:
        p.text = vocabulary.join(p.lines)
    _Assembler(paper, paragraphs, vocabulary).run()


# ---------------------------------------------------------------- furniture

def drop_furniture(lines: list[Line]) -> list[Line]:
    """Remove page numbers and running headers/footers (short lines that repeat through the document)."""
    stripped = [ln.text.strip() for ln in lines]
    masked = [re.sub(r"\d+", "#", t) for t in stripped]
    exact = Counter(t for t in stripped if 0 < len(t) <= 80)
    head = [t for t in stripped if t][:3]
    first = head[0] if head else ""
    page_number = [bool(_PAGE_NUMBER.match(t)) for t in stripped]
    at_edge = [ln.new_page or (i > 0 and page_number[i - 1]) or (i + 1 < len(lines) and page_number[i + 1])
               for i, ln in enumerate(lines)]
    alike_at_edges = Counter(m for m, edge in zip(masked, at_edge) if edge and 0 < len(m) <= 100)
    pages = 1 + sum(page_number) + sum(1 for ln in lines if ln.new_page)
    edge_repeats = max(2, pages // 3)  # a real header or footer is on most pages
    out: list[Line] = []
    for i, ln in enumerate(lines):
        t = stripped[i]
        if not t or page_number[i]:
            continue
        if t == first and i < 3:  # the title itself, not a header repeating it
            out.append(ln)
            continue
        if exact.get(t, 0) >= 3 and not t.endswith((".", ",", ";")):
            continue
        # a header or footer repeats at the page edges (page numbers masked), or repeats the title cut short
        if at_edge[i] and (alike_at_edges[masked[i]] >= edge_repeats or _is_truncated_copy(t, head)):
            continue
        out.append(ln)
    return out


def _is_truncated_copy(text: str, head: list[str]) -> bool:
    """A running header that repeats the title cut short: ``Pakistan's Role in Afghan Pea...``."""
    core = text.rstrip(".… ").strip()
    return len(core) >= 15 and any(h.startswith(core) for h in head)


# ---------------------------------------------------------------- paragraphs

def group_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group lines into paragraphs and heading lines."""
    width = _typical_width(lines)
    wrapped = width is not None
    refs_line = _references_line(lines)
    paragraphs: list[Paragraph] = []
    prev_ends_paragraph = True
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if refs_line is not None and i > refs_line:
            # inside the reference list only a new section (an appendix, notes) is a heading
            level = ln.heading_level or (1 if _AFTER_REFERENCES.match(text) and heading_level_of(text) else 0)
        elif _SECTION_NAME.match(text):
            level = ln.heading_level or 1
        else:
            level = ln.heading_level or _text_heading_level(text, lines, i, prev_ends_paragraph, wrapped)
        starts_new = (not paragraphs or ln.gap_before or prev_ends_paragraph or level > 0
                      or paragraphs[-1].heading_level > 0)
        if level and paragraphs and paragraphs[-1].heading_level == level and not ln.gap_before \
                and ln.heading_level and _same_heading_run(paragraphs[-1], ln):
            paragraphs[-1].lines.append(ln)  # a heading set over two lines in a PDF
        elif starts_new:
            paragraphs.append(Paragraph([ln], level))
        else:
            paragraphs[-1].lines.append(ln)
        prev_ends_paragraph = level > 0 or (wrapped and _ends_short_line(text, width))
    return paragraphs


def _references_line(lines: list[Line]) -> int | None:
    """Index of the line that heads the reference list (the last such line), if any."""
    found = None
    for i, ln in enumerate(lines):
        if i > 0 and _REFERENCES.match(ln.text.strip()):
            found = i
    return found


def _same_heading_run(paragraph: Paragraph, line: Line) -> bool:
    last = paragraph.lines[-1]
    return abs(last.size - line.size) < 0.5 and last.page == line.page and last.bold == line.bold


def _typical_width(lines: list[Line]) -> int | None:
    """The wrap width of hard-wrapped text (PDF lines, fixed-width extracts); None for unwrapped text."""
    lengths = sorted(len(ln.text.strip()) for ln in lines if len(ln.text.strip()) > 20)
    if len(lengths) < 8:
        return None
    p80 = lengths[int(len(lengths) * 0.8)]
    if p80 > 200:  # one paragraph per line: nothing was wrapped
        return None
    return p80


def _ends_short_line(text: str, width: int | None) -> bool:
    """In wrapped text a paragraph ends on a line clearly shorter than the wrap width, with a full stop."""
    if width is None:
        return False
    return len(text) < 0.75 * width and text.endswith((".", "?", "!", ":", '"', "”", ")"))


def _text_heading_level(text: str, lines: list[Line], i: int, after_paragraph_end: bool, wrapped: bool) -> int:
    """Heading level of a plain-text line (0 when it is not a heading)."""
    ln = lines[i]
    standalone = ln.gap_before or i == 0 or after_paragraph_end
    if not standalone:
        return 0
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is not None and _continues_sentence(nxt.text):
        return 0  # the sentence goes on: "... runs on to the next" / "page without a full stop."
    if nxt is not None and not (nxt.gap_before or wrapped or ln.size):
        return 0  # in unwrapped text a heading stands alone between blank lines
    if wrapped and nxt is not None and not nxt.gap_before and ln.size == 0:
        # hard-wrapped text: the line after a heading starts a new paragraph
        if not (nxt.text[:1].isupper() or nxt.text[:1].isdigit()):
            return 0
    return heading_level_of(text)


def heading_level_of(text: str) -> int:
    """1, 2, 3 when the text reads as a section heading, else 0."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > 16 or len(text) > 150 or len(text) < 3:
        return 0
    if _NOT_HEADING_START.match(text) or _REFERENCES.match(text):
        return 1 if _REFERENCES.match(text) else 0
    m = _NUMBERED_HEADING.match(text)
    if m and not text.endswith((",", ";")) and len(words) <= 14:
        return min(3, m.group("num").count(".") + 1)
    if _ROMAN_HEADING.match(text):
        return 1
    if not (text[0].isupper() or text[0] in "‘'\"“"):
        return 0
    if text.endswith((".", ",", ";", "?", "!")) and not text.endswith("..."):
        return 0
    if text.endswith(":") and not _ABSTRACT.match(text):
        return 0
    if sum(c.isalpha() for c in text) < 0.6 * len(text.replace(" ", "")):
        return 0
    if re.search(r"\bet al\b|\(\s*\d{4}\)|\d{4}[a-z]?\)$|\b\d{4}[a-z]?\.|\. [A-Z]", text):
        return 0  # a reference line or a sentence, not a heading
    return 1


def join_broken_paragraphs(paragraphs: list[Paragraph], vocabulary: _Vocabulary) -> list[Paragraph]:
    """Join a paragraph cut by a page or column break: it ends mid-sentence, the next starts lowercase."""
    out: list[Paragraph] = []
    for p in paragraphs:
        if out and not p.heading_level and not out[-1].heading_level and _continues(out[-1], p):
            out[-1].lines.extend(p.lines)
        else:
            out.append(p)
    return out


def _continues(before: Paragraph, after: Paragraph) -> bool:
    end = before.lines[-1].text.rstrip()
    start = after.first.text.lstrip()
    if not end or not start:
        return False
    if _KEYWORDS.match(start) or _ABSTRACT_INLINE.match(start) or _REFERENCES.match(start):
        return False
    if end.endswith("-") and _continues_sentence(start):
        return True
    return not end.endswith(_TERMINAL) and _continues_sentence(start)


def _continues_sentence(text: str) -> bool:
    """Does this line read as the rest of a sentence (lowercase start, and not a URL or e-mail)?"""
    text = text.lstrip()
    return text[:1].islower() and not re.match(r"(?:https?:|www\.|doi:|e-?mail)", text, re.I)


class _Vocabulary:
    """Words seen in the document, to decide how to undo a hyphen at a line end."""

    def __init__(self, lines: list[Line]) -> None:
        words: set[str] = set()
        hyphenated: set[str] = set()
        for ln in lines:
            for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", ln.text.rstrip("-")):
                w = w.lower()
                if "-" in w:
                    hyphenated.add(w)
                    words.update(w.split("-"))
                else:
                    words.add(w)
        self.words = words
        self.hyphenated = hyphenated

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Should ``left-`` at a line end and ``right`` on the next line stay hyphenated?"""
        a, b = left.lower(), right.lower()
        if f"{a}-{b}" in self.hyphenated:
            return True
        if a + b in self.words:
            return False
        if right[:1].isupper() or a in _KEEP_HYPHEN_PREFIXES:
            return True
        return False

    def join(self, lines: list[Line]) -> str:
        return "".join(piece + sep for piece, sep in self.pieces(lines))

    def pieces(self, lines: list[Line]) -> list[tuple[str, str]]:
        """Each line's text as written into the reading text, with what follows it ('' or ' ')."""
        texts = [ln.text.strip() for ln in lines]
        return [self.join_pair(t, texts[i + 1] if i + 1 < len(texts) else "") for i, t in enumerate(texts)]

    def join_pair(self, text: str, following: str) -> tuple[str, str]:
        """How ``text`` joins the line after it: undo a line-end hyphen, or put one space between."""
        if not following:
            return text, ""
        left = re.search(r"([^\W\d_]+)-$", text)
        right = re.match(r"[^\W\d_]+", following)
        if left and right:
            if self.keeps_hyphen(left.group(1), right.group()):
                return text, ""
            return text[:-1], ""
        return text, " "


# ---------------------------------------------------------------- assembling the paper

class _Assembler:
    """Classifies paragraphs (front matter, abstract, body, references) and writes the paper."""

    def __init__(self, paper: Paper, paragraphs: list[Paragraph], vocabulary: _Vocabulary) -> None:
        self.paper = paper
        self.paragraphs = paragraphs
        self.vocabulary = vocabulary
        self.builder = TextBuilder()
        self.page_spans: list[PageSpan] = []

    def run(self) -> None:
        paras = self.paragraphs
        refs_at = self._references_heading()
        refs_end = self._references_end(refs_at) if refs_at is not None else len(paras)
        main = paras[:refs_at] if refs_at is not None else paras
        abstract_at = self._abstract_at(main)
        front_end = abstract_at if abstract_at is not None else self._front_end(main)
        front = parse_front_matter(main[:front_end])
        keywords_at = next((i for i, p in enumerate(main[:front_end + 40]) if _KEYWORDS.match(p.text)), None)
        self._set_metadata(front)
        if keywords_at is not None:
            self.paper.keywords = parse_keywords(_KEYWORDS.match(main[keywords_at].text).group("rest"))
        if self.paper.title:
            self.builder.add_block("title", self.paper.title, page=main[0].first.page if main else None)
        for p in front.kept:
            self._write_paragraph(p, "paragraph")
        body_start = front_end
        if abstract_at is not None:
            body_start = self._write_abstract(main, abstract_at, keywords_at)
        for i in range(body_start, len(main)):
            if i == keywords_at:
                continue
            p = main[i]
            if p.heading_level:
                self._write_paragraph(p, "heading", p.heading_level)
            else:
                self._write_paragraph(p, "paragraph")
        if refs_at is not None:
            self._write_paragraph(paras[refs_at], "heading", 1)
            self._write_references(paras[refs_at + 1:refs_end])
            for p in paras[refs_end:]:
                self._write_paragraph(p, "heading" if p.heading_level else "paragraph", p.heading_level)
        self.paper.text = self.builder.text()
        self.paper.blocks = self.builder.blocks
        self.paper.pages = self.page_spans

    # -- finding the parts

    def _references_heading(self) -> int | None:
        found = None
        for i, p in enumerate(self.paragraphs):
            if len(p.lines) == 1 and _REFERENCES.match(p.text) and i > 0:
                found = i
        return found

    def _references_end(self, refs_at: int) -> int:
        for i in range(refs_at + 1, len(self.paragraphs)):
            p = self.paragraphs[i]
            if len(p.lines) <= 2 and len(p.text) < 80 and _AFTER_REFERENCES.match(p.text) \
                    and (p.heading_level or p.first.size == 0):
                return i
        return len(self.paragraphs)

    def _abstract_at(self, main: list[Paragraph]) -> int | None:
        for i, p in enumerate(main[:40]):
            m = _ABSTRACT.match(p.text)
            if m and (not m.group("rest") or _ABSTRACT_INLINE.match(p.text)):
                if p.text.lower().startswith("summary") and not p.heading_level:
                    continue
                return i
        return None

    def _front_end(self, main: list[Paragraph]) -> int:
        """Without an abstract: the front matter ends at the first heading or long paragraph."""
        for i, p in enumerate(main[:30]):
            if i > 0 and (p.heading_level or len(p.text) > 300):
                return i
        return min(1, len(main))

    def _set_metadata(self, front: FrontMatter) -> None:
        paper = self.paper
        paper.title = paper.title or front.title
        paper.authors = paper.authors or front.authors
        paper.venue = paper.venue or front.venue
        paper.issn = front.issn
        paper.volume = front.volume
        paper.issue = front.issue
        paper.doi = paper.doi or front.doi
        paper.url = paper.url or front.url
        paper.year = paper.year or front.year

    # -- writing

    def _write_abstract(self, main: list[Paragraph], at: int, keywords_at: int | None) -> int:
        """Write the abstract; return the index of the first body paragraph."""
        first = main[at]
        inline = _ABSTRACT_INLINE.match(first.text)
        end = at + 1
        while end < len(main) and end != keywords_at and not main[end].heading_level:
            end += 1
        if end - at > 6 and keywords_at is None:  # no heading closes it: only the first paragraph
            end = at + 2 if not inline else at + 1
        self.builder.add_block("heading", "Abstract", 1, first.first.page)
        parts: list[str] = []
        if inline:  # "Abstract: The strong social ..." on one line: keep the words, drop the label
            label = len(first.first.text.lstrip()) - len(_ABSTRACT_INLINE.match(first.first.text.lstrip()).group("rest"))
            rest_line = replace(first.first, text=first.first.text.lstrip()[label:])
            self._write_paragraph(Paragraph([rest_line, *first.lines[1:]]), "abstract")
            parts.append(inline.group("rest"))
        for p in main[at + 1:end]:
            self._write_paragraph(p, "abstract")
            parts.append(p.text)
        self.paper.abstract = "\n\n".join(parts)
        return end

    def _write_paragraph(self, p: Paragraph, kind: str, level: int = 0) -> None:
        b = self.builder
        b.open_block()
        for ln, (piece, sep) in zip(p.lines, self.vocabulary.pieces(p.lines)):
            start, end = b.write(piece)
            self._record_page(ln, start, end)
            b.write(sep)
        b.close_block(kind, level, p.first.page)

    def _record_page(self, ln: Line, start: int, end: int) -> None:
        if ln.page is not None and ln.bbox is not None and end > start:
            self.page_spans.append(PageSpan(start, end, ln.page, ln.bbox))

    def _write_references(self, paragraphs: list[Paragraph]) -> None:
        lines: list[Line] = []
        for p in paragraphs:
            for k, ln in enumerate(p.lines):
                lines.append(ln if k or ln.gap_before else _with_gap(ln))
        lines = [ln for ln in lines if ln.text.strip()]
        entries = split_references(lines)
        for n, entry in enumerate(entries, 1):
            b = self.builder
            b.open_block()
            for k, frag in enumerate(entry):
                ln = lines[frag.line]
                piece = ln.text[frag.start:frag.end].strip()
                if k == 0:
                    piece = re.sub(r"^[-•*]\s+", "", piece)
                nxt = lines[entry[k + 1].line].text[entry[k + 1].start:] if k + 1 < len(entry) else ""
                piece, sep = self.vocabulary.join_pair(piece, nxt.strip())
                start, end = b.write(piece)
                self._record_page(ln, start, end)
                b.write(sep)
            block = b.close_block("reference", 0, lines[entry[0].line].page)
            if block is None:
                continue
            raw = b.last_block_text()
            ref = Reference(id=f"r{len(self.paper.references) + 1}", raw=raw, start=block.start, end=block.end)
            ref.citation_number = number_label(raw)
            self.paper.references.append(ref)


def _with_gap(ln: Line) -> Line:
    return replace(ln, gap_before=True)


# ---------------------------------------------------------------- front matter

def parse_front_matter(paragraphs: list[Paragraph]) -> FrontMatter:
    """Title, authors, venue, ISSN, volume, issue, DOI and URL from the paragraphs before the abstract."""
    fm = FrontMatter()
    kinds: list[str] = []
    for p in paragraphs:
        kinds.append(_front_kind(p.text))
    for p, kind in zip(paragraphs, kinds):
        text = p.text
        if m := _ISSN.search(text):
            fm.issn = fm.issn or m.group(1)
        if kind == "meta":
            if m := _VOLUME.search(text):
                fm.volume = fm.volume or m.group(1)
            if m := _ISSUE.search(text):
                fm.issue = fm.issue or m.group(1)
        if m := _DOI.search(text):
            fm.doi = fm.doi or m.group(1)
        if kind == "url":
            fm.url = fm.url or text.strip()
    title_at = _choose_title(paragraphs, kinds)
    if title_at is not None:
        fm.title = paragraphs[title_at].text.strip()
        kinds[title_at] = "title"
        for i in range(title_at):  # a journal name printed above the title
            if kinds[i] == "other" and _VENUE_WORDS.search(paragraphs[i].text) and len(paragraphs[i].text) < 160:
                fm.venue = fm.venue or paragraphs[i].text.strip()
                kinds[i] = "venue"
    for p, kind in zip(paragraphs, kinds):
        if kind == "authors" and not fm.authors:
            fm.authors = parse_author_line(p.text)
    fm.kept = [p for p, kind in zip(paragraphs, kinds) if kind == "other" and paragraphs.index(p) > (title_at or 0)]
    return fm


def _front_kind(text: str) -> str:
    t = text.strip()
    if _URL.match(t):
        return "url"
    if _KEYWORDS.match(t):
        return "keywords"
    if re.match(r"^(?:[-•*]\s*)?(?:\d+\.?|[¹²³⁴⁵⁶⁷⁸⁹*†‡§])\s*", t) and _AFFILIATION.search(t):
        return "affiliation"
    if _AFFILIATION.search(t) and not parse_author_line(t):
        return "affiliation"
    if _META.search(t) and len(t) < 300:
        return "meta"
    if parse_author_line(t):
        return "authors"
    return "other"


def _choose_title(paragraphs: list[Paragraph], kinds: list[str]) -> int | None:
    candidates = [i for i, k in enumerate(kinds) if k == "other" and 2 <= len(paragraphs[i].text.split()) <= 40]
    if not candidates:
        return None
    sized = [i for i in candidates if paragraphs[i].size > 0]
    if sized:  # a PDF: the title is set in the largest type on the first page
        first_page = paragraphs[sized[0]].first.page
        on_page = [i for i in sized if paragraphs[i].first.page == first_page]
        return max(on_page, key=lambda i: (paragraphs[i].size, -i))
    # text: the title is printed just above the authors, or is the first plain line
    for i in candidates:
        if i + 1 < len(kinds) and kinds[i + 1] == "authors":
            return i
    not_venue = [i for i in candidates if not (_VENUE_WORDS.search(paragraphs[i].text) and i + 1 < len(kinds)
                                               and kinds[i + 1] in ("url", "meta"))] or candidates
    standalone = [i for i in not_venue if paragraphs[i].heading_level]  # "# Title", or a line of its own
    return (standalone or not_venue)[0]


def parse_author_line(text: str) -> list[Name]:
    """Names from a byline such as ``Javed Alam¹, Dr. Ghulam Mustafa²``; [] when it is not a byline."""
    t = text.strip()
    if not t or len(t) > 600 or t.endswith(".") and not re.search(r"\b[A-Z]\.$", t):
        return []
    parts = [s for s in re.split(r"\s*(?:,|;|\band\b|&)\s*", t) if s.strip()]
    names: list[Name] = []
    for part in parts:
        part = _NAME_DECORATION.sub("", part.strip()).strip()
        part = _HONORIFIC.sub("", part)
        part = re.sub(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶∗]+", " ", part).strip()
        if not part:
            continue
        words = part.split()
        if not 2 <= len(words) <= 5:
            return []
        for w in words:
            if w.lower() in _PARTICLES:
                continue
            if w.lower() in _NOT_IN_NAMES:
                return []
            if not (w[0].isupper() and re.fullmatch(r"[^\W\d_][\w'’.\-]*", w)):
                return []
        if sum(1 for w in words if len(w.strip(".")) > 1) < 1:
            return []
        names.append(_split_name(words))
    return names


def _split_name(words: list[str]) -> Name:
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in _PARTICLES:
        family_start -= 1
    return Name(family=" ".join(words[family_start:]), given=" ".join(words[:family_start]))


def parse_keywords(text: str) -> list[str]:
    """Split a keyword line, drop empty and repeated entries (case-insensitively), keep the order."""
    seen: set[str] = set()
    out: list[str] = []
    for part in re.split(r"\s*[,;·•|]\s*", text.strip().rstrip(".")):
        kw = part.strip().strip(".")
        if kw and kw.casefold() not in seen:
            seen.add(kw.casefold())
            out.append(kw)
    return out
