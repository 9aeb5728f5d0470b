"""From printed lines to paragraphs: page furniture, headings, page-break joins, line-end hyphens.

Text files and PDFs both arrive as ``Line`` objects. This module removes page furniture (running headers,
page numbers), groups lines into paragraphs (blank lines, hard-wrapped line lengths, PDF text blocks),
recognises heading lines, joins paragraphs split at page or column breaks, and undoes line-end
hyphenation using the document's own vocabulary.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from reader.ingest.lines import Line
from reader.ingest.pdf_floats import CONTINUATION_LABEL
from reader.normalize import PAGE_NUMBER

ABSTRACT = re.compile(r"^(?:abstract|summary)\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I | re.S)
ABSTRACT_INLINE = re.compile(r"^abstract\s*[:.\-–—]\s*(?P<rest>\S.*)$", re.I | re.S)
KEYWORDS = re.compile(r"^(?:key\s*words|keywords|index terms)\s*[:.\-–—]\s*(?P<rest>.*)$", re.I | re.S)
REFERENCES = re.compile(
    r"^(?:\d+\.?\s*)?(?:references?(?: and notes| cited)?|bibliography|literature cited|works cited|"
    r"cited literature|reference list)\s*:?$", re.I)
AFTER_REFERENCES = re.compile(
    r"^(?:\d+\.?\s*|[A-Z]\.?\s+)?(?:appendix|appendices|supplementary|supporting information|acknowledge?ments?|"
    r"figure legends|figures|tables|author contributions|funding|competing interests|conflicts? of interest|"
    r"abbreviations|footnotes|notes|about the authors?|biograph)", re.I)


def is_references_heading(line: Line) -> bool:
    """A line that heads a reference list: "References", "Literature cited", ... standing alone (a table
    column headed "References" shares its row with the other column heads)."""
    return bool(REFERENCES.match(line.text.strip())) and not line.table_cell


# Names of sections that are headings wherever they stand on a line of their own.
_SECTION_NAME = re.compile(
    r"^(?:\d+\.?\s*)?(?:abstract|introduction|background|materials and methods|methods|results|discussion|"
    r"results and discussion|conclusions?|acknowledge?ments?|references|bibliography)\s*:?$", re.I)
_NUMBERED_HEADING = re.compile(r"^(?P<num>(?:\d{1,2}\.)*\d{1,2})\.?\s+(?P<title>[A-Z\u00C0-\u024F].*)$")
_ROMAN_HEADING = re.compile(r"^(?:[IVX]{1,5})\.\s+[A-Z]")
_NOT_HEADING_START = re.compile(r"^(?:fig(?:ure)?s?\.?\s*\d|table\s*\d|supplementary (?:fig|table)|doi\b|https?:)", re.I)
_TERMINAL = (".", "?", "!", ":", '"', "”", "’", "'", "»")
# words that may be joined by a hyphen at a line end and must keep it ("self-consistent", "non-state")
_KEEP_HYPHEN_PREFIXES = {"self", "non", "well", "cross", "anti", "co", "post", "pre", "semi", "multi", "long",
                         "short", "high", "low", "two", "three", "one", "state", "time", "ex", "quasi"}




@dataclass
class Paragraph:
    """Consecutive printed lines that read as one paragraph or one heading."""
    lines: list[Line]
    heading_level: int = 0
    text: str = field(default="", repr=False)
    # out of the reading flow: "matter", "caption", "footnote" (Block kinds); "" for running text
    kind: str = ""
    # each line's text as written and what follows it (``Vocabulary.pieces``), kept with ``text`` when the
    # lines are final, so that writing the paragraph does not work out every line-end join again
    pieces: list[tuple[str, str]] | None = field(default=None, repr=False)

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def size(self) -> float:
        return max((ln.size for ln in self.lines), default=0.0)


# ---------------------------------------------------------------- furniture

def drop_furniture(lines: list[Line]) -> list[Line]:
    """Remove page numbers and running headers/footers (short lines that repeat through the document)."""
    lines = _without_continuation_labels(lines)
    stripped = [ln.text.strip() for ln in lines]
    # a short line printed on three pages or more (a running head); copies on one page are a table's cells
    # or a list's items ("[46]", "unpublished strain" down a table's column), which stay (a text file has no
    # pages: each line counts)
    exact = Counter(t for t, _ in {(t, ln.page if ln.page is not None else i)
                                   for i, (t, ln) in enumerate(zip(stripped, lines)) if 0 < len(t) <= 80})
    first = next((t for t in stripped if t), "")
    page_number = [bool(PAGE_NUMBER.match(t)) and not _wrapped_number(lines, i) for i, t in enumerate(stripped)]
    at_edge = [ln.new_page or (i > 0 and page_number[i - 1]) or (i + 1 < len(lines) and page_number[i + 1])
               for i, ln in enumerate(lines)]
    masked = [re.sub(r"\d+", "#", t) if edge else t for t, edge in zip(stripped, at_edge)]  # read at the edges only
    alike_at_edges = Counter(m for m, edge in zip(masked, at_edge) if edge and 0 < len(m) <= 100)
    pages = 1 + sum(page_number) + sum(1 for ln in lines if ln.new_page)
    edge_repeats = max(2, pages // 3)  # a real header or footer is on most pages
    out: list[Line] = []
    for i, ln in enumerate(lines):
        t = stripped[i]
        if ln.float_bbox is not None:  # a caption ("Table 2. Continued" on every page of a long table)
            out.append(ln)
            continue
        if not t or page_number[i]:
            continue
        if t == first and i < 3:  # the title itself, not a header repeating it
            out.append(ln)
            continue
        if (exact.get(t, 0) >= 3 and not t.endswith((".", ",", ";")) and not is_references_heading(ln)
                and not ln.heading_level):  # (a section heading may repeat the title's last line)
            continue
        # a header or footer repeats at the page edges (page numbers masked), or repeats the title cut short
        if at_edge[i] and (alike_at_edges[masked[i]] >= edge_repeats or (i > 0 and _is_truncated_copy(t, first))):
            continue
        out.append(ln)
    return out


def _without_continuation_labels(lines: list[Line]) -> list[Line]:
    """The lines without continuation labels (``_continuation_label``); the line after one starts a
    paragraph, and a page, when the label did."""
    table_pages = {ln.page for ln in lines if ln.float_kind == "table"}
    out: list[Line] = []
    dropped = False
    page_opened: int | None = None  # the page a dropped label opened
    for ln in lines:
        if _continuation_label(ln, ln.text.strip(), table_pages):
            dropped = True
            page_opened = ln.page if ln.new_page else page_opened
            continue
        if dropped:
            ln = replace(ln, gap_before=True, new_page=ln.new_page or page_opened == ln.page)
            dropped, page_opened = False, None
        out.append(ln)
    return out


def _continuation_label(ln: Line, text: str, table_pages: set[int | None]) -> bool:
    """A PDF line that only says a table or a box goes on over the page ("(Continued)" under the part of a
    table that the page cut, "(Continued on next page)" under a structured abstract's first half): page
    furniture, as the reading text joins nothing by page. A bare "Continued" (no brackets, no page named)
    counts only on a page that holds a table."""
    if not ln.size or not CONTINUATION_LABEL.match(text):
        return False
    return text.startswith("(") or "page" in text.lower() or ln.page in table_pages


def _wrapped_number(lines: list[Line], i: int) -> bool:
    """A PDF line of digits alone that carries on the line right above it: a date wrapped in a narrow side
    panel ("Received 25 September / 2019"), set in the same type at the same left edge on the next line's
    pitch, after words. A page number stands apart from the text (a gap, another edge)."""
    ln = lines[i]
    if i == 0 or ln.new_page or ln.gap_before or ln.bbox is None:
        return False
    above = lines[i - 1]
    if above.bbox is None or above.page != ln.page or not above.text.rstrip()[-1:].isalpha():
        return False
    return (abs(above.size - ln.size) < 0.3 and abs(above.bbox[0] - ln.bbox[0]) <= 1
            and 0 <= ln.bbox[1] - above.bbox[3] < 0.5 * ln.size)


def _is_truncated_copy(text: str, title: str) -> bool:
    """A running header that repeats the title (the first line), maybe cut short: ``Pakistan's Role in Af...``."""
    core = text.rstrip(".… ").strip()
    return len(core) >= 15 and title.startswith(core)


# ---------------------------------------------------------------- paragraphs

# No printed paragraph is this long (about 30 pages of one paragraph): lines that would make one longer (a huge
# text with no blank line or no sentence end) start a new one, so that the view and every later step get
# pieces of a size they can handle.
MAX_PARAGRAPH = 100_000


def group_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group lines into paragraphs and heading lines."""
    width = _typical_width(lines)
    wrapped = width is not None
    refs_line = _references_line(lines)
    paragraphs: list[Paragraph] = []
    prev_ends_paragraph = True
    size = 0  # the characters of the last paragraph
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if refs_line is not None and i > refs_line:
            # inside the reference list only a new section (an appendix, notes) is a heading
            level = ln.heading_level or (1 if AFTER_REFERENCES.match(text) and heading_level_of(text) else 0)
        elif _SECTION_NAME.match(text):
            level = ln.heading_level or 1
        elif ln.size:  # a PDF line: its font already told whether it is a heading
            level = ln.heading_level
        else:
            level = ln.heading_level or _text_heading_level(text, lines, i, prev_ends_paragraph, wrapped)
        starts_new = (not paragraphs or ln.gap_before or prev_ends_paragraph or level > 0
                      or paragraphs[-1].heading_level > 0 or size + len(ln.text) > MAX_PARAGRAPH)
        if level and paragraphs and paragraphs[-1].heading_level == level and ln.heading_level \
                and _same_heading_run(paragraphs[-1], ln) and not _stands_alone(text, paragraphs[-1]):
            paragraphs[-1].lines.append(ln)  # a heading or title set over several lines in a PDF
            size += len(ln.text)
        elif starts_new:
            paragraphs.append(Paragraph([ln], level))
            size = len(ln.text)
        else:
            paragraphs[-1].lines.append(ln)
            size += len(ln.text)
        prev_ends_paragraph = level > 0 or (wrapped and _ends_short_line(text, width))
    for p in paragraphs:  # a "heading" of many lines is a standfirst or a pull quote set in large type
        if p.heading_level and (len(p.lines) > 3 or sum(len(ln.text.split()) for ln in p.lines) > 24):
            p.heading_level = 0
    return paragraphs


def _references_line(lines: list[Line]) -> int | None:
    """Index of the line that heads the (first) reference list, if any."""
    return next((i for i in range(1, len(lines)) if is_references_heading(lines[i])), None)


def _stands_alone(text: str, previous: Paragraph) -> bool:
    """Known section names ("References", "Supplementary Material") are whole headings on their own."""
    last = previous.lines[-1].text.strip()
    return any(p.match(t) for t in (text, last) for p in (_SECTION_NAME, REFERENCES, AFTER_REFERENCES))


def _same_heading_run(paragraph: Paragraph, line: Line) -> bool:
    """Is this PDF line the next line of the same heading: same type, right below, no full stop between?"""
    last = paragraph.lines[-1]
    if abs(last.size - line.size) >= 0.5 or last.page != line.page or last.bold != line.bold:
        return False
    if last.text.rstrip().endswith((".", ":")) or last.bbox is None or line.bbox is None:
        return not line.gap_before
    return -0.4 * line.size <= line.bbox[1] - last.bbox[3] < 0.8 * line.size
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
    if len(text) > 150 or len(text) < 3:  # (before splitting it into words: most lines are long)
        return 0
    words = text.split()
    if not words or len(words) > 16:
        return 0
    if _NOT_HEADING_START.match(text) or REFERENCES.match(text):
        return 1 if REFERENCES.match(text) else 0
    m = _NUMBERED_HEADING.match(text)
    if m and not text.endswith((",", ";")) and len(words) <= 14:
        return min(3, m.group("num").count(".") + 1)
    if _ROMAN_HEADING.match(text):
        return 1
    if not (text[0].isupper() or text[0] in "‘'\"“"):
        return 0
    if text.endswith((".", ",", ";", "?", "!")) and not text.endswith("..."):
        return 0
    if text.endswith(":") and not ABSTRACT.match(text):
        return 0
    if sum(c.isalpha() for c in text) < 0.6 * len(text.replace(" ", "")):
        return 0
    if re.search(r"\bet al\b|\(\s*\d{4}\)|\d{4}[a-z]?\)$|\b\d{4}[a-z]?\.|\. [A-Z]", text):
        return 0  # a reference line or a sentence, not a heading
    return 1


def join_broken_paragraphs(paragraphs: list[Paragraph], vocabulary: Vocabulary) -> list[Paragraph]:
    """Join a paragraph cut by a page or column break: it ends mid-sentence, the next starts lowercase.

    Paragraphs out of the flow (a caption, a footnote, a correspondence line at the page foot) between
    the two halves stay where they are, after the joined paragraph.
    """
    out: list[Paragraph] = []
    sizes: list[int] = []  # the characters of each paragraph in ``out``
    flow_pages = {ln.page for p in paragraphs if not p.kind for ln in p.lines}
    text_size = body_size(paragraphs)
    page_bottoms: dict[int | None, float] = {}
    for q in paragraphs:
        for ln in q.lines:
            if ln.bbox is not None:
                page_bottoms[ln.page] = max(page_bottoms.get(ln.page, 0.0), ln.bbox[3])
    first_page = min((ln.page for p in paragraphs for ln in p.lines if ln.page is not None), default=None)
    for p in paragraphs:
        size = sum(len(ln.text) for ln in p.lines)
        if p.kind or p.heading_level:
            out.append(p)
            sizes.append(size)
            continue
        k = len(out) - 1
        while k >= 0 and out[k].kind:
            k -= 1
        if k >= 0 and not out[k].heading_level and sizes[k] + size <= MAX_PARAGRAPH \
                and _continues(out[k], p, flow_pages, text_size, first_page):
            out[k].lines.extend(p.lines)
            sizes[k] += size
        elif (j := _interrupted_paragraph(out, k, p, flow_pages)) is not None and sizes[j] + size <= MAX_PARAGRAPH:
            out[j].lines.extend(p.lines)  # the interrupting paragraphs stay after the joined one
            sizes[j] += size
        elif (j := _page_foot_paragraph(out, p, page_bottoms, flow_pages)) is not None and \
                sizes[j] + size <= MAX_PARAGRAPH:
            out[j].lines.extend(p.lines)  # what was read between (a side panel) stays after the joined one
            sizes[j] += size
        elif (j := _continued_caption(out, p)) is not None and sizes[j] + size <= MAX_PARAGRAPH:
            out[j].lines.extend(p.lines)
            sizes[j] += size
        else:
            out.append(p)
            sizes.append(size)
    return out


def _page_foot_paragraph(out: list[Paragraph], after: Paragraph, page_bottoms: dict[int | None, float],
                         flow_pages: set[int | None] | None) -> int | None:
    """The index of the paragraph that ends lowest on the page before, when ``after`` opens its page with
    the rest of a sentence in that paragraph's type, however much was read between them (a page-1 side
    panel of key points, correspondence, citation and history, read after the main column: "... at the
    community level, including" / "population mental health (National Academies ..."), or None."""
    first = after.first
    if first.page is None or first.bbox is None or not first.size or not _continues_sentence(first.text.lstrip()):
        return None
    if any(ln.page == first.page and ln.bbox is not None and ln.bbox[1] < first.bbox[1] - 1
           for q in out[-40:] if not q.kind for ln in q.lines):
        return None  # not the page's first running text (a float and its caption may stand above it)
    for j in range(len(out) - 1, max(-1, len(out) - 41), -1):
        p = out[j]
        last = p.lines[-1]
        if last.page != first.page - 1:
            continue
        if p.kind or p.heading_level or last.bbox is None or last.bbox[3] < page_bottoms.get(last.page, 0.0) - 2:
            continue
        same_type = abs(last.size - first.size) < 0.3
        return j if same_type and _continues(p, after, flow_pages) else None
    return None


def _continued_caption(out: list[Paragraph], after: Paragraph) -> int | None:
    """The index of the caption that ``after`` carries on, or None: a caption set in two columns under a
    figure across the page goes on at the top of the next column ("... and thus inclu-" / "sion or
    exclusion, ..."). The rest opens lowercase on the caption's page, wholly in the caption's type, and
    the caption ends mid-sentence; the rest stands level with the caption's first line in the column to
    its right, or the running text read between them is in another type."""
    first = after.first
    if not first.size or first.bbox is None or not _continues_sentence(first.text.lstrip()):
        return None
    size = after.lines[-1].size
    if any(abs(ln.size - size) >= 0.3 for ln in after.lines):
        return None
    same_type_between = False
    for j in range(len(out) - 1, -1, -1):
        p = out[j]
        if p.lines[-1].page != first.page:
            return None
        if not p.kind:
            same_type_between = same_type_between or abs(p.lines[-1].size - size) < 0.5
            continue
        if p.kind != "caption":
            continue
        last, top = p.lines[-1], p.first.bbox
        ends_open = last.text.rstrip().endswith("-") or not last.text.rstrip().endswith(_TERMINAL)
        level = top is not None and abs(first.bbox[1] - top[1]) <= 2 and first.bbox[0] >= top[2] - 2
        return j if ends_open and abs(last.size - size) < 0.3 and (level or not same_type_between) else None
    return None


def _interrupted_paragraph(out: list[Paragraph], k: int, after: Paragraph,
                           flow_pages: set[int | None] | None = None) -> int | None:
    """The index of the paragraph that ``after`` continues across one or two paragraphs set in another
    type, or None.

    A PDF prints things out of the flow between a sentence's two halves that no kind marks: a caption's
    text under a figure whose label stands apart, a pull quote in larger type, a page-one footer or an
    affiliation line in small type. The rest of the sentence opens lowercase, in the type of the paragraph
    it continues; the paragraphs skipped over are wholly in a type of their own (0.5 pt or more apart)."""
    start = after.first.text.lstrip()
    if k < 0 or not after.first.size or not _continues_sentence(start):
        return None
    skipped = 0
    while k >= 0 and skipped <= 2:
        before = out[k]
        if before.kind:
            k -= 1
            continue
        if before.heading_level:
            return None
        size = after.first.size
        if abs(before.lines[-1].size - size) < 0.3:  # (its last line: a note in small type glued to it is no match)
            return k if skipped and _continues(before, after, flow_pages) else None
        if any(abs(ln.size - size) < 0.5 for ln in before.lines):
            return None
        skipped += 1
        k -= 1
    return None


def _continues(before: Paragraph, after: Paragraph, flow_pages: set[int | None] | None = None,
               text_size: float | None = None, first_page: int | None = None) -> bool:
    end = before.lines[-1].text.rstrip()
    start = after.first.text.lstrip()
    if not end or not start:
        return False
    if KEYWORDS.match(start) or ABSTRACT_INLINE.match(start) or REFERENCES.match(start):
        return False
    if end.endswith("-") and _continues_sentence(start):
        return True
    last = before.lines[-1]
    if end.endswith(_TERMINAL) and not (_open_citation(before) and _next_column(last, after.first, flow_pages)):
        return False
    # a sentence cut at the foot of a column or page goes on at the top of the next, whatever its case,
    # in the same type (a caption atop the next column, under its picture, is no rest of it; nor is the
    # text atop the next column the rest of a note in small type at the foot of this one: page 1's
    # "Preprint submitted to Elsevier", ACM's permission block)
    if _next_column(last, after.first, flow_pages):
        if _note_type(last, after.first, text_size, first_page):
            return False
        if _continues_sentence(start):
            return True
        return not (last.size and abs(last.size - after.first.size) >= 0.5)
    return _continues_sentence(start)


def _note_type(last: Line, first: Line, body_size: float | None, first_page: int | None) -> bool:
    """Is ``last`` a note at the foot of the paper's first page's column (in a type half a point or more
    below the running text's), and ``first`` atop the next column in the running text's type? Page 1's
    notes ("Preprint submitted to Elsevier", ACM's permission block, IEEE's affiliations) stand there;
    elsewhere a line in small type at a column's foot may be a display equation the text goes on from."""
    if not body_size or not last.size or not first.size or last.page != first_page:
        return False
    return last.size <= body_size - 0.5 and abs(first.size - body_size) < 0.3


def body_size(paragraphs: list[Paragraph]) -> float | None:
    """The type size most of the running text's characters are set in (PDF lines; None for text)."""
    chars: dict[float, int] = {}
    for p in paragraphs:
        if p.kind:
            continue
        for ln in p.lines:
            if ln.size:
                chars[round(ln.size, 1)] = chars.get(round(ln.size, 1), 0) + len(ln.text)
    return max(chars, key=chars.__getitem__) if chars else None


def _open_citation(p: Paragraph) -> bool:
    """Does the paragraph stop inside a citation: a bracket left open ("... host lipids [Camus et al." at a
    page foot, "2002; Cole et al. 1998]" atop the next)? Its full stop is an abbreviation's, not a
    sentence's end."""
    tail = " ".join(ln.text for ln in p.lines[-4:])[-300:]
    return tail.count("[") > tail.count("]") or tail.count("(") > tail.count(")")


def _next_column(last: Line, first: Line, flow_pages: set[int | None] | None = None) -> bool:
    """Is ``first`` the top of the next column or page after ``last`` (PDF lines only)? ``flow_pages``: the
    pages with running text; the pages between may hold only floats and their notes (a page that is all
    table cuts a sentence the page after it goes on with)."""
    if last.bbox is None or first.bbox is None or last.page is None or first.page is None:
        return False
    if first.page == last.page:
        return first.bbox[1] < last.bbox[1] - 50 and first.bbox[0] > last.bbox[0] + 50
    if first.page == last.page + 1:
        return True
    return (flow_pages is not None and first.page > last.page
            and not any(n in flow_pages for n in range(last.page + 1, first.page)))


def _continues_sentence(text: str) -> bool:
    """Does this line read as the rest of a sentence (lowercase start, and not a URL or e-mail)?"""
    text = text.lstrip()
    return text[:1].islower() and not re.match(r"(?:https?:|www\.|doi:|e-?mail)", text, re.I)


# the last word is a DOI or URL cut at one of its own separators
_BROKEN_IDENTIFIER = re.compile(r"(?:^|\s)(?:https?://|doi:\s?|10\.\d{4,9}/)\S*(?<=[/.\-_=?&#])$", re.I)
_LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)-$")
_LEADING_WORD = re.compile(r"[^\W\d_]+")


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class Vocabulary:
    """Words seen in the document, to decide how to undo a hyphen at a line end."""

    def __init__(self, lines: list[Line]) -> None:
        # The words are gathered when a line-end hyphen first asks for them: a text with none (unwrapped text,
        # a one-line file cut into paragraphs) never pays for a pass over all its words.
        self._texts = [ln.text for ln in lines]
        self._words: set[str] | None = None
        self._hyphenated: set[str] = set()

    def _gather(self) -> None:
        tokens: set[str] = set()  # each distinct token is looked at once: a long text repeats its words
        for text in self._texts:
            tokens.update(text.split())
        # a word never spans a space, so the words of the tokens are those of the lines (one pass over them all;
        # lower case never makes a space or a hyphen, so the distinct words are lowered at once too)
        lowered = " ".join(set(_WORD.findall(" ".join(tokens)))).lower()
        self._words = set(lowered.replace("-", " ").split())  # plain words, and each part of a hyphenated one
        self._hyphenated = {w for w in lowered.split() if "-" in w}
        self._texts = []

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Should ``left-`` at a line end and ``right`` on the next line stay hyphenated?"""
        if self._words is None:
            self._gather()
        assert self._words is not None
        a, b = left.lower(), right.lower()
        if f"{a}-{b}" in self._hyphenated:
            return True
        if a + b in self._words:
            return False
        if right[:1].isupper() or a in _KEEP_HYPHEN_PREFIXES:
            return True
        return False

    def join(self, lines: list[Line]) -> str:
        """The lines as one run of text, hyphens at line ends undone where the words say so."""
        return "".join(piece + sep for piece, sep in self.pieces(lines))

    def pieces(self, lines: list[Line]) -> list[tuple[str, str]]:
        """Each line's text as written into the reading text, with what follows it ('' or ' ')."""
        texts = [ln.text.strip() for ln in lines]
        return [self.join_pair(t, texts[i + 1] if i + 1 < len(texts) else "") for i, t in enumerate(texts)]

    def join_pair(self, text: str, following: str) -> tuple[str, str]:
        """How ``text`` joins the line after it: undo a line-end hyphen, or put one space between."""
        if not following:
            return text, ""
        # (both patterns end at the line's end: only its last two words can match, so only they are searched)
        tail = " ".join(text.rsplit(None, 2)[-2:])
        if _BROKEN_IDENTIFIER.search(tail) and (not text.endswith(".") or following[:1].isalnum()
                                                 and not following[:1].isupper()):
            return text, ""  # a DOI or URL broken over two lines: "10.1016/j." + "cell.2010.01.001"
        left = _LINE_END_HYPHEN.search(tail) if text.endswith("-") else None
        right = _LEADING_WORD.match(following)
        if left and right:
            if self.keeps_hyphen(left.group(1), right.group()):
                return text, ""
            return text[:-1], ""
        return text, " "
