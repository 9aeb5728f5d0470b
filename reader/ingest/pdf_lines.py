"""PDF text layer -> printed lines in reading order, for structure recovery (``reader.ingest.structure``).

``extract_lines(data)`` opens a PDF from memory with pymupdf and returns a ``PdfContent``: the lines of every
page in reading order, each with its font size, boldness, box, indent and paragraph signals, plus the PDF's
own metadata and the body font size.

The steps, per document:

1. **Fragments.** Each pymupdf text line (``page.get_text("dict")``) becomes a fragment: its spans, its
   baseline and its box. Text that does not run in the page's main direction (a rotated journal name in the
   margin, an arXiv stamp) is dropped. Ligatures, soft hyphens and odd spaces are normalised.
2. **Running headers and footers.** In the top/bottom 12% of each page, text that repeats (digits masked,
   so "Page 3 of 10" and "Smith et al. 2014, 5:12" match) at about the same height on several pages is
   dropped, and so are page numbers: a lone number whose value follows the page index, "Page 3 of 10",
   "3/16". A large line at the top of page 1 (the title) is kept even if a running header repeats it.
3. **Reading order.** Each page is cut recursively at column gutters. A gutter candidate is a valley in the
   horizontal coverage of the narrower fragments; it is accepted when, between the fragments that span it,
   there are stretches with at least three lines on each side keeping off it. Spanning fragments (title,
   abstract, a wide figure caption) cut the page into bands; inside a band the left column is read before
   the right one. A narrow sidebar left of the main column (dates, licence, editor) is read after it.
   On page 1, a wide shaded box of text (an abstract box: ``_shaded_boxes``) is read as a band of its own.
   pymupdf's own block order is not trusted: it interleaves columns on some journals.
4. **Lines.** Inside a column, fragments on one baseline are joined into one line (pymupdf splits lines at
   wide justified spaces, numbered headings, superscripts); a drop cap joins the line beside it.
5. **Signals.** ``gap_before``: a new page or column, a vertical gap clearly wider than the document's line
   pitch, or a new pymupdf block (unless it starts after a full line without indent: pymupdf also starts
   blocks mid-paragraph), or a new entry of a hanging-indent list. ``indent``: from the column's left edge.
   ``heading_level``: 1 or 2 for a clearly larger font or a short all-bold line standing alone, ranked by
   size (never a caption's wrapped lines: same size, no gap under its label line); the page-1 title gets
   1 when it is unambiguous. ``superscripts``: raised, smaller runs of text.

Step 1 lives in ``pdf_fragments``, step 3 in ``pdf_columns``; this module does the rest and the wiring.
Nothing here imports Qt. Parsing hostile PDFs should go through ``reader.ingest.sandbox.run_isolated``.
"""
from __future__ import annotations

import html
import math
import re
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pymupdf

from reader.errors import EncryptedFile, ParseError
from reader.ingest.lines import Line
from reader.ingest.pdf_columns import Leaf, order_page
from reader.ingest.pdf_ligatures import DROPPED, has_private_use, private_use_meanings
from reader.ingest.pdf_messages import collected
from reader.ingest.pdf_fragments import (MULTISPACE, UPRIGHT, Frag, Frame, box_from_frame, box_to_frame,
                                          group_rows, images_in_text_pass, is_drop_cap, normalise_text,
                                          page_content, page_furniture, page_images, rounded)
from reader.ingest.asides import CAPTION_SENTENCE
from reader.ingest.paragraphs import REFERENCES
from reader.ingest.pdf_floats import FIGURE, TABLE, float_region, inside, row_rules, thin_rules
from reader.normalize import PAGE_NUMBER, compose_accents

_DIGITS = re.compile(r"\d+")
_BARE_NUMBER = re.compile(r"^\d{1,5}$")
_CAPTION = re.compile(r"^(fig(ure)?|(continued\s+)?table|scheme|box|plate)\.?\s*[A-Z]?\d", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")
_TWO_LETTERS = re.compile(r"[^\W\d_][\W\d_]*[^\W\d_]")

_MARGIN_BAND = 0.12  # running headers/footers live in the top/bottom 12% of the page


@dataclass
class PdfContent:
    """What a PDF's text layer gives: lines in reading order, and facts about the document."""

    lines: list[Line]
    page_count: int
    metadata: dict[str, str]  # the PDF's own title/author/subject/keywords, cleaned; empty ones left out
    body_size: float  # the dominant font size of the body text, in points
    warnings: list[str] = field(default_factory=list)  # pages that could not be read, and the like
    first_page: list[str] = field(default_factory=list)  # every text line of page 1, top to bottom
    running: list[str] = field(default_factory=list)  # running heads and feet taken out of the flow


# ------------------------------------------------------------------------------- running headers, page numbers


def _margin_key(frag: Frag) -> str:
    return _DIGITS.sub("#", " ".join(frag.text.lower().split()))


def _drop_margins(pages: list[list[Frag]], heights: list[float], body_size: float) -> list[list[Frag]]:
    """Remove running headers/footers and page numbers from the top/bottom margin bands."""

    def in_band(f: Frag, h: float) -> bool:
        return f.y1 <= h * _MARGIN_BAND or f.y0 >= h * (1 - _MARGIN_BAND)

    band = [[f for f in frags if in_band(f, heights[pno])] for pno, frags in enumerate(pages)]

    # Running headers: the same text (digits masked) at the same height on several pages. Short labels and
    # captions ("F1", "Table 2" atop two tables) are not headers.
    at_height: defaultdict[tuple[str, int], set[int]] = defaultdict(set)
    for pno, frags in enumerate(band):
        for f in frags:
            key = _margin_key(f)
            if len(key) >= 6 and _LETTERS.search(key) and not _CAPTION.match(f.text):
                at_height[(key, round(f.base / 6))].add(pno)
    need = max(2, math.ceil(0.2 * len(pages)))
    repeated: set[str] = set()
    for (key, slot), found in at_height.items():
        near = found | at_height.get((key, slot - 1), set()) | at_height.get((key, slot + 1), set())
        if len(near) >= need:
            repeated.add(key)  # dropped at any height: page 1 often sets its header lower or higher
    dropped = {id(f) for pno, frags in enumerate(band) for f in frags
               if _margin_key(f) in repeated and not (pno == 0 and f.size >= 1.15 * body_size)}  # keep a title

    def alone(f: Frag, frags: list[Frag]) -> bool:
        """Nothing else on its row but running-header text, or nothing near it (a page number in the
        margin beside a heading)."""
        return not any(g is not f and id(g) not in dropped and abs(g.base - f.base) < 0.5 * f.size
                       and max(g.x0 - f.x1, f.x0 - g.x1) < 4 * f.size for g in frags)

    # Page numbers: a lone number whose value minus the page index is the same on many pages (a table's
    # numbers in the band are neither alone on their row nor in step with the pages), or "Page 3 of 10".
    numbers = [(pno, f, int(f.text) - pno) for pno, frags in enumerate(band) for f in frags
               if _BARE_NUMBER.match(f.text) and alone(f, band[pno])]
    steps = Counter(step for _, _, step in numbers)
    need_numbers = 1 if len(pages) == 1 else max(2, math.ceil(0.3 * len(pages)))
    dropped |= {id(f) for _, f, step in numbers if steps[step] >= need_numbers}
    dropped |= {id(f) for pno, frags in enumerate(band) for f in frags
                if PAGE_NUMBER.match(f.text) and not _BARE_NUMBER.match(f.text) and alone(f, band[pno])}
    if pages:
        dropped |= _first_page_footer(pages[0], heights[0], body_size, dropped)
        # the Crossmark badge's words beside the title: page decoration, not the abstract's first words
        dropped |= {id(f) for f in pages[0] if _CROSSMARK.match(f.text)}
    return [[f for f in frags if id(f) not in dropped] for frags in pages]


# the journal's own line at the foot of page 1: its DOI or web address ("Entropy 2020, 22, 1365;
# doi:10.3390/e22121365", "www.mdpi.com/journal/entropy", "https://doi.org/10.1016/...")
# (a journal's web address may be printed bare, with its path: "wileyonlinelibrary.com/journal/aphw")
_JOURNAL_FOOT = re.compile(r"\bdoi\b|\b10\.\d{4,9}/|\bwww\.|https?://|\b[a-z][\w-]*\.(?:com|org|net)/[a-z]",
                           re.IGNORECASE)
# a conference paper's page-1 foot: "Proceedings of the 58th Annual Meeting of the ..., pages 2270–2282" over
# "July 5 - 10, 2020. ©2020 Association for Computational Linguistics" (© as "c" and an enclosing circle)
_PROCEEDINGS_FOOT = re.compile(r"^Proceedings of\b.*\bpages\s+\d+|^.{0,40}(?:©|c\u20dd)\s*(?:19|20)\d\d\s+\w+")
_SENTENCE_WORDS = re.compile(r"\b(?:the|of|is|are|at|for|this|from|available|see|can|be)\b", re.IGNORECASE)
_CROSSMARK = re.compile(r"^check for updates$", re.IGNORECASE)
_NOTE_START = re.compile(r"^(?:[*†‡§¶∗#]|\d{1,2}\b(?![,.]\d)|[a-z]\b)")


def _first_page_footer(frags: list[Frag], height: float, body_size: float, dropped: set[int]) -> set[int]:
    """Page 1's footer, printed once (so no repetition finds it): rows of small type at the page's foot,
    set apart below the text, one naming the article's DOI or the journal's address ("Entropy 2020, 22,
    1365; doi:10.3390/e22121365", "Ecology Letters, 2026; 29:e70435" over "https://doi.org/..."), the
    others short (a journal's citation line, "Vol.:(0123456789)"). A page-foot note opens with its mark
    ("1 https://github.com/..."), a licence is a sentence: then nothing is taken."""
    def small(f: Frag) -> bool:
        return f.size < body_size - 0.4 and not _NOTE_START.match(f.text.strip())

    foot = [f for f in frags if f.y0 >= height * (1 - _MARGIN_BAND) and id(f) not in dropped]
    seeds = [f for f in foot if small(f) and _JOURNAL_FOOT.search(f.text) and len(f.text.split()) <= 12
             and len(_SENTENCE_WORDS.findall(f.text)) < 2]  # not "... is available online at https://..."
    if not seeds:  # a conference paper's foot (only without a journal's: a journal's licence names © too)
        seeds = [f for f in foot if small(f) and _PROCEEDINGS_FOOT.search(f.text)]
    if not seeds:
        return set()
    def short(f: Frag) -> bool:  # a journal's citation line, "Vol.:(0123456789)"
        return small(f) and len(f.text.split()) <= 8 and any(c.isdigit() for c in f.text)

    group = {id(f) for f in seeds}
    top = min(f.y0 for f in seeds)
    grown = True
    while grown:  # the short rows stacked right above the DOI's
        above_rows = [f for f in foot if id(f) not in group and short(f) and f.y1 > top - 0.6 * f.size]
        grown = bool(above_rows)
        group |= {id(f) for f in above_rows}
        top = min([top] + [f.y0 for f in above_rows])
    below = [f for f in foot if f.y1 > top + 1]
    if not all(id(f) in group or short(f) for f in below):
        return set()
    above = [f for f in frags if f.y1 <= top + 1 and id(f) not in dropped]
    if above and top - max(f.y1 for f in above) < 1.2 * body_size:
        # set on the text's own pitch: the end of a reference list or a note; but a foot in small type two
        # of its lines or more under the licence above it (Wiley's) is set apart by its own measure
        first = min(f.base for f in below)
        if first - max(f.base for f in above) < 2 * statistics.median(f.size for f in below):
            return set()
    return {id(f) for f in below}


# ------------------------------------------------------------------------------------------------------- lines


@dataclass(slots=True)
class _Row:
    line: Line
    column: str
    base: float
    x0: float  # in the layout frame
    x1: float
    block_start: bool
    bold_share: float  # fraction of the line's letters set in bold


def _build_line(row: list[Frag], page_no: int) -> tuple[Line, float, float]:
    """Join a row's fragments into a Line; returns it with its dominant baseline and its bold share."""
    by_size: dict[float, int] = {}
    bold_chars = total_chars = 0
    for f in row:
        for s in f.spans:
            by_size[s.size1] = by_size.get(s.size1, 0) + s.chars
            total_chars += s.chars
            if s.bold:
                bold_chars += s.chars
    total_chars = total_chars or 1
    size = max(by_size, key=by_size.__getitem__)  # (the first of equals, as Counter.most_common)
    bases = sorted(s.base for f in row for s in f.spans if s.size1 == size)
    base = (bases[(len(bases) - 1) // 2] + bases[len(bases) // 2]) / 2  # the median

    text = ""
    sups: list[tuple[int, int]] = []
    wide_gaps = sum(1 for a, b in zip(row, row[1:]) if b.x0 - a.x1 > 2 * size)
    for fi, f in enumerate(row):
        if (fi and text and not text.endswith(" ") and not is_drop_cap(row[fi - 1], size)
                and f.x0 - row[fi - 1].x1 > 0.15 * size):
            text += " "  # pymupdf split the row at a wide space (justified text, a numbered heading)
        # a fragment standing apart (a gap of 1.5 ems on each side it has a neighbour: a panel beside the
        # text, a table cell) is measured against itself: smaller type there is no superscript
        if len(row) > 1 and (fi == 0 or f.x0 - row[fi - 1].x1 > 1.5 * size) and (
                fi == len(row) - 1 or row[fi + 1].x0 - f.x1 > 1.5 * size):
            raised_below, smaller_than = f.base - 0.15 * f.size, 0.9 * f.size
        else:
            raised_below, smaller_than = base - 0.15 * size, 0.9 * size
        for si, s in enumerate(f.spans):
            piece = s.text
            if s.soft_hyphen_end and fi == len(row) - 1 and si == len(f.spans) - 1:
                piece = piece.rstrip() + "-"  # a soft hyphen that broke the line shows as a hyphen
            if "  " in piece:
                piece = MULTISPACE.sub(" ", piece)
            if (not text or text.endswith(" ")) and piece.startswith(" "):
                piece = piece[1:]
            if not piece:
                continue
            raised = s.base < raised_below
            smaller = s.size < smaller_than
            if s.chars and ((raised and smaller) or (s.sup_flag and (raised or smaller))):
                core = piece.strip(" ")
                start = len(text) + (len(piece) - len(piece.lstrip(" ")))
                sups.append((start, start + len(core)))
            text += piece
    if not text.isascii() or "`" in text:  # (plain ASCII has no accent to compose but the grave)
        text, where = compose_accents(text)  # accents that the text layer set apart from their letters
        sups = [(where[a], where[b]) for a, b in sups]
    stripped = text.rstrip(" ")
    if not sups and _LETTERSPACED.match(stripped):
        stripped = close_letterspacing(stripped)
    merged: list[tuple[int, int]] = []
    for a, b in sups:
        b = min(b, len(stripped))
        if a >= b:
            continue
        if merged and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if len(row) == 1:  # (most rows)
        x0, y0, x1, y1 = row[0].bbox
    else:
        x0 = min(f.bbox[0] for f in row)
        y0 = min(f.bbox[1] for f in row)
        x1 = max(f.bbox[2] for f in row)
        y1 = max(f.bbox[3] for f in row)
    line = Line(text=stripped, size=size, bold=bold_chars * 2 > total_chars, page=page_no,
                bbox=(round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)), superscripts=merged,
                wide_gaps=wide_gaps, pieces=_pieces(row, size) if len(row) > 1 else [])
    return line, base, bold_chars / total_chars


# a label set letter-spaced, every letter a word of its own ("a b s t r a c t", "A R T I C L E I N F O")
_LETTERSPACED = re.compile(r"^(?:[^\W\d_] ){4,}[^\W\d_]$")
# the words such labels are made of (a first page's panels), to find the word breaks the spacing hides
_LABEL_WORDS = ("article", "info", "information", "abstract", "keywords", "history", "highlights", "summary",
                "graphical", "introduction", "references", "contents", "research", "review", "original")


def close_letterspacing(text: str) -> str:
    """``a r t i c l e i n f o`` -> ``article info``, when the letters spell label words; else as it was."""
    letters = text.replace(" ", "")
    words: list[str] = []
    at = 0
    while at < len(letters):
        word = next((w for w in sorted(_LABEL_WORDS, key=len, reverse=True)
                     if letters[at:at + len(w)].lower() == w), None)
        if word is None:
            return text
        words.append(letters[at:at + len(word)])
        at += len(word)
    return " ".join(words)


def _pieces(row: list[Frag], size: float) -> list[tuple[float, float, str]]:
    """The parts of a row with a gap wider than two ems (a table row's cells), each with its x-range: cut
    at every gap wider than 1.5 ems (a table set in 7-pt type leaves 11-12 pt between some of its columns
    and 20-40 between others; a word space is half an em)."""
    groups: list[list[Frag]] = [[row[0]]]
    for a, b in zip(row, row[1:]):
        if _gap(a, b, size) > 1.5 * size:
            groups.append([])
        groups[-1].append(b)
    if len(groups) == 1:
        return []
    out = []
    for group in groups:
        text = " ".join(MULTISPACE.sub(" ", "".join(s.text for s in f.spans)).strip() for f in group)
        # x in the layout frame: on a turned page a table's cells are read in the frame, as its rows run
        out.append((min(f.x0 for f in group), max(f.x1 for f in group), compose_accents(text)[0]))
    return out


def _gap(a: Frag, b: Frag, size: float) -> float:
    """The white between two fragments of a row: a fragment's box takes in a space it ends or opens with
    (about a quarter em), which is no part of the gap between a table's columns."""
    gap = b.x0 - a.x1
    if a.spans[-1].text.endswith(" "):
        gap += 0.25 * size
    if b.spans[0].text.startswith(" "):
        gap += 0.25 * size
    return gap


def _page_rows(leaves: list[Leaf], page_no: int) -> list[_Row]:
    rows: list[_Row] = []
    for leaf in leaves:
        for frags in group_rows(leaf.frags):
            line, base, bold_share = _build_line(frags, page_no)
            if line.text:
                x0, x1 = (frags[0].x0, frags[0].x1) if len(frags) == 1 else (
                    min(f.x0 for f in frags), max(f.x1 for f in frags))
                rows.append(_Row(line, leaf.column, base, x0, x1, frags[0].block_start, bold_share))
    return rows


# ----------------------------------------------------------------------------------------------------- signals


def _left_edge(xs: list[float]) -> float:
    """A column's left edge: the leftmost x shared by a fair number of its lines (ignores stray outliers)."""
    xs = sorted(xs)
    need = max(2, math.ceil(0.1 * len(xs)))
    if len(xs) < need:
        return xs[0]
    j = 0
    for i, x in enumerate(xs):
        while j < len(xs) and xs[j] <= x + 1.5:
            j += 1
        if j - i >= need:
            return x
    return xs[0]


def _hanging_indents(rows: list[_Row]) -> list[float]:
    """For each row, the continuation indent of the hanging-indent list it is in (references), else 0.

    A stretch is consecutive rows of one column and font size (a reference list is usually set smaller
    than the text above it, and a heading in between ends a stretch). In running text an indented line
    starts a paragraph and most lines at the left edge are followed by another such line; in a hanging
    list most lines at the left edge (an entry's first line) are followed by an indented one.
    """
    out = [0.0] * len(rows)
    start = 0
    for end in range(1, len(rows) + 1):
        if end < len(rows) and (rows[end].column, round(rows[end].line.size)) == (
                rows[start].column, round(rows[start].line.size)):
            continue
        indents = [r.line.indent for r in rows[start:end]]
        em = rows[start].line.size
        counts = Counter(round(i) for i in indents if i > 0.5 * em)
        if len(indents) >= 4 and counts:
            usual, n = counts.most_common(1)[0]
            out_then_in = outdented = 0
            for a, b in zip(indents, indents[1:]):
                if a < usual - 0.5 * em:
                    outdented += 1
                    out_then_in += abs(b - usual) <= 0.5 * em
            if n >= 0.15 * len(indents) and outdented and out_then_in > 0.5 * outdented:
                out[start:end] = [float(usual)] * (end - start)
        start = end
    return out


def _line_pitch(rows: list[_Row]) -> tuple[float, dict[float, float]]:
    """The document's usual baseline distance as a multiple of the font size (about 1.2), and the usual
    distance in points for each font size used on enough lines: a reference list or a caption in small
    type is often set tighter than the body, so the body's pitch would hide the gaps between its entries."""
    ratios = []
    by_size: defaultdict[float, list[float]] = defaultdict(list)
    for a, b in zip(rows, rows[1:]):
        if a.column == b.column and a.line.page == b.line.page and abs(a.line.size - b.line.size) < 0.5:
            r = (b.base - a.base) / b.line.size
            if 0.8 < r < 2.5:
                ratios.append(r)
                by_size[round(b.line.size * 2) / 2].append(b.base - a.base)
    pitch = statistics.median(ratios) if ratios else 1.2
    # the lower quartile: most pairs are lines inside a paragraph, but a list of short entries has many gaps
    usual = {size: statistics.quantiles(ds, n=4)[0] for size, ds in by_size.items() if len(ds) >= 20}
    return pitch, usual


def _set_gaps_and_indents(pages: list[list[_Row]]) -> None:
    """``indent`` from each column's left edge; ``gap_before`` at paragraph signals; ``new_page``."""
    pitch, pitch_by_size = _line_pitch([r for rows in pages for r in rows])
    for rows in pages:
        lefts: defaultdict[str, list[float]] = defaultdict(list)
        rights: defaultdict[str, list[float]] = defaultdict(list)
        for r in rows:
            lefts[r.column].append(r.x0)
            rights[r.column].append(-r.x1)
        left = {col: _left_edge(xs) for col, xs in lefts.items()}
        right = {col: -_left_edge(xs) for col, xs in rights.items()}
        for r in rows:
            r.line.indent = round(r.x0 - left[r.column], 2)
        hanging = _hanging_indents(rows)
        prev: _Row | None = None
        for r, usual in zip(rows, hanging):
            if prev is None:
                # a new page; in a hanging-indent list a line at the list's indent continues an entry
                r.line.gap_before = not (usual > 0 and abs(r.line.indent - usual) <= 0.5 * r.line.size)
            else:
                # Physical continuity, not column names: a short last line of a full-width abstract sits in
                # another "column" but continues it; moving up the page means a new column.
                delta = r.base - prev.base
                size = max(r.line.size, prev.line.size)
                expected = pitch_by_size.get(round(size * 2) / 2, pitch * size) if abs(
                    r.line.size - prev.line.size) < 0.5 else pitch * size
                jumped = delta < 0.5 * r.line.size or delta > 1.3 * expected or r.x0 > prev.x1 or r.x1 < prev.x0
                # pymupdf also starts blocks inside paragraphs (a change in line spacing, a formula): a block
                # start after a line that runs to the column's right edge, without indent, is not a paragraph.
                em = r.line.size
                mid_paragraph = prev.x1 >= right[r.column] - em and abs(r.line.indent - usual) <= 0.5 * em
                if usual > 0:
                    # a hanging-indent list (references): a line set out to the left starts an entry, and
                    # pymupdf's blocks there follow no rule worth trusting
                    r.line.gap_before = r.line.indent < usual - 0.5 * em or (
                        jumped and abs(r.line.indent - usual) > 0.5 * em)  # an entry runs on into the next column
                else:
                    r.line.gap_before = jumped or (r.block_start and not mid_paragraph)
            prev = r
        if rows:
            rows[0].line.new_page = True


def _count_row_mates(rows: list[_Row]) -> None:
    """``row_mates``: the other lines of the page on the same baseline (cells of a table row, the line
    beside it in the other column)."""
    bases = sorted(r.base for r in rows)
    for r in rows:
        r.line.row_mates = bisect_right(bases, r.base + 1.0) - bisect_left(bases, r.base - 1.0) - 1


def _take_out_floats(lines: list[Line], graphics: dict[int, list[tuple[float, float, float, float]]],
                     body_size: float, frames: dict[int, Frame] | None = None) -> list[Line]:
    """Find the region of each figure and table caption; the lines printed inside it leave the flow and
    go with the caption line (``float_lines``).

    On a page whose text runs sideways (``frames``: a landscape table on a turned page) the float is found
    in the layout frame, where the table's rules run across its rows; its region is given back in page
    coordinates and its cells carry their boxes in the frame, as the table's rows are read from them."""
    by_page: defaultdict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        if ln.page in graphics and ln.bbox is not None:
            by_page[ln.page].append(ln)
    taken: set[int] = set()
    for page_no, page_lines in by_page.items():
        frame = (frames or {}).get(page_no, UPRIGHT)
        page_graphics = graphics[page_no]
        if frame == UPRIGHT:
            box = {id(ln): ln.bbox for ln in page_lines}
        else:
            box = {id(ln): box_to_frame(ln.bbox, frame) for ln in page_lines}  # type: ignore[arg-type]
            page_graphics = [box_to_frame(g, frame) for g in page_graphics]
        boxes = [(box[id(ln)], ln.text.strip(), abs(ln.size - body_size) <= 0.4, not ln.wide_gaps)
                 for ln in page_lines]
        rules = thin_rules(page_graphics)
        for ln in page_lines:
            text = ln.text.strip()
            table = bool(TABLE.match(text))
            if id(ln) in taken or not (table or FIGURE.match(text)) or CAPTION_SENTENCE.match(text):
                continue
            region = float_region(box[id(ln)], page_graphics, boxes, table, rules)  # type: ignore[arg-type]
            if region is None:
                continue
            frames_drawn = [] if table else _label_boxes(page_graphics, region, body_size, [
                box[id(o)] for o in page_lines if o is not ln and (FIGURE.match(o.text) or TABLE.match(o.text))])
            inner = [o for o in page_lines if o is not ln and id(o) not in taken and inside(box[id(o)], region)
                     and not (FIGURE.match(o.text.strip()) or TABLE.match(o.text.strip()))
                     and (table or not _running_text(o, box[id(o)], region, body_size, frames_drawn))]
            taken.update(id(o) for o in inner)
            if frame != UPRIGHT:
                inner = [replace(o, bbox=box[id(o)]) for o in inner]
            ln.float_kind, ln.float_lines = ("table" if table else "figure"), inner
            ln.float_bbox = region if frame == UPRIGHT else box_from_frame(region, frame)
            if table:
                ln.float_rules = row_rules(region, rules)
            ln.gap_before = True  # a caption starts a paragraph of its own
    kept = []
    pages_started: set[int] = set()
    for k, ln in enumerate(lines):
        if id(ln) in taken:
            continue
        if k and id(lines[k - 1]) in taken:
            ln.gap_before = True  # the text after a float starts anew (a broken sentence is joined later)
        if ln.page not in pages_started:  # a page that opens with a float still starts a page
            pages_started.add(ln.page)
            ln.new_page = True
        kept.append(ln)
    return kept


def _label_boxes(graphics: list[tuple[float, float, float, float]], region: tuple[float, float, float, float],
                 body_size: float, captions: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """The small frames drawn inside a figure's region (the boxes of a flow chart), at most five lines deep;
    not a panel shaded behind another float's caption (a table's, set inside the figure's reach)."""
    return [g for g in graphics if inside(g, region) and g[2] - g[0] > 2 * body_size
            and 1.2 * body_size < g[3] - g[1] < 6 * body_size and not any(inside(c, g) for c in captions)]


def _running_text(line: Line, bbox: tuple[float, float, float, float], region: tuple[float, float, float, float],
                  body_size: float, label_boxes: list[tuple[float, float, float, float]] | None = None) -> bool:
    """A line (``bbox``: its box) inside a figure's region that reads as running text (a long line of many
    words, or a few words in the body's type) is text the region wrongly took in, not a label: it stays
    in the flow. A line whose words stand apart in the boxes of a flow chart (gaps wider than two ems), or
    that a small drawn frame holds, is a label, whatever its type."""
    if line.wide_gaps or any(inside(bbox, g) for g in label_boxes or ()):
        return False
    words = len(line.text.split())
    if words >= 8 and bbox[2] - bbox[0] >= 0.4 * (region[2] - region[0]):
        return True
    return words >= 4 and line.size >= body_size - 0.4


def _mark_table_cells(lines: list[Line]) -> None:
    """Lines that read as table cells: one of three or more on a baseline, or a "References" column head
    in plain type where the document sets its real "References" heading as a heading."""
    for ln in lines:
        ln.table_cell = ln.row_mates >= 2
    named = [ln for ln in lines if REFERENCES.match(ln.text.strip())]
    if any(ln.heading_level for ln in named):
        for ln in named:
            ln.table_cell = ln.table_cell or not ln.heading_level


def _set_heading_levels(rows: list[_Row], body_size: float) -> None:
    """Level 1/2 for lines in a clearly larger font or short bold lines standing alone; the title gets 1."""
    lines = [r.line for r in rows]
    all_bold = {id(r.line) for r in rows if r.bold_share >= 0.9}  # not a run-in "Methods. We ..." line
    title = _title_lines(lines, body_size)
    title_ids = {id(t) for t in title}
    # Front matter (page 1 before the first body-text line) sets author names in bold or a little larger;
    # there a line is a heading only if it is a word or three ("Abstract") or set much larger.
    front_end = next((i for i, ln in enumerate(lines) if ln.page != lines[0].page
                      or (abs(ln.size - body_size) <= 0.6 and len(ln.text) >= 40)), len(lines))
    # A bold cell in a table row is no heading: a heading shares its baseline with at most the line beside
    # it in the other column.
    baselines: defaultdict[int | None, list[float]] = defaultdict(list)
    for r in rows:
        baselines[r.line.page].append(r.base)

    def in_table_row(r: _Row) -> bool:
        return sum(1 for b in baselines[r.line.page] if abs(b - r.base) <= 1.0) > 2

    candidates: list[int] = []
    in_caption = False  # the line above is a caption's or a line of its run
    for i, (r, ln) in enumerate(zip(rows, lines)):
        # a caption's next lines, same size and no gap, are the caption wrapped (a bold or larger "Table 1 |
        # ... feed-" / "back and oceanic heat ..."), no heading
        in_caption = bool(_CAPTION.match(ln.text)) or (in_caption and not ln.gap_before and i > 0
                                                        and abs(ln.size - lines[i - 1].size) < 0.3)
        if id(ln) in title_ids or not _texty(ln) or in_caption:
            continue
        words = len(ln.text.split())
        if i < front_end and words > 3 and ln.size < 1.3 * body_size:
            continue
        if (ln.size >= 1.12 * body_size and words <= 25) or (
                id(ln) in all_bold and ln.size >= 0.95 * body_size and _stands_alone(lines, i)
                and not in_table_row(r)):
            candidates.append(i)
    # Sizes ranked by how many headings use them (a heading of two lines counts once): the largest size
    # used by at least two headings is level 1, smaller ones level 2. A title repeated on a supplement's
    # first page is one heading, so it does not push the section headings down to level 2.
    uses: Counter[float] = Counter()
    for k, i in enumerate(candidates):
        size = round(lines[i].size * 2) / 2
        if not (k and candidates[k - 1] == i - 1 and round(lines[i - 1].size * 2) / 2 == size):
            uses[size] += 1
    frequent = [size for size, n in uses.items() if n >= 2] or list(uses)
    top = max(frequent) if frequent else 0.0
    for i in candidates:
        lines[i].heading_level = 1 if round(lines[i].size * 2) / 2 >= top else 2
    _set_numbered_heads(lines, body_size, title_ids, in_table_row=lambda i: in_table_row(rows[i]))
    for ln in title:
        ln.heading_level = 1


# IEEE's section heads in body type: "VIII. COMPETING INTERESTS" (small capitals, centred) and, in a paper
# that has them, its subsection heads "A. Bacterial strains" (italic), each on a line of its own
_ROMAN_CAPS_HEAD = re.compile(r"^[IVX]{1,5}\.\s+[A-Z][A-Z0-9 ,:&’'\-–]{2,70}$")
_LETTER_HEAD = re.compile(r"^[A-H]\.\s+[A-Z][^.!?;]{2,70}$")


def _set_numbered_heads(lines: list[Line], body_size: float, title_ids: set[int], in_table_row) -> None:  # type: ignore[no-untyped-def]
    """Level 1 for roman-numbered heads in capitals set in the body's type on a line of their own, and level
    2 for lettered heads in a paper that has at least two of those (a size or bold rule misses both)."""
    def own_line(i: int) -> bool:
        ln = lines[i]
        before = i == 0 or ln.gap_before or lines[i - 1].text.rstrip().endswith((".", ":", "?", "!"))
        after = i + 1 >= len(lines) or lines[i + 1].gap_before or lines[i + 1].text[:1].isupper()
        # (small capitals come out in the smaller size of their lower-case letters: 8 pt in 10 pt text)
        return (before and after and 0.75 * body_size <= ln.size <= 1.15 * body_size and len(ln.text.split()) <= 9
                and id(ln) not in title_ids and not in_table_row(i))

    roman = [i for i, ln in enumerate(lines) if _ROMAN_CAPS_HEAD.match(ln.text.strip()) and own_line(i)]
    if len(roman) < 2:
        return
    for i in roman:
        lines[i].heading_level = 1
    for i, ln in enumerate(lines):
        if not ln.heading_level and _LETTER_HEAD.match(ln.text.strip()) and own_line(i):
            ln.heading_level = 2


def _texty(line: Line) -> bool:
    """Enough letters to be a heading, and not a figure/table caption."""
    return len(line.text) <= 200 and _TWO_LETTERS.search(line.text) is not None and not _CAPTION.match(line.text)


def _title_lines(lines: list[Line], body_size: float) -> list[Line]:
    """The title: the longest run of lines in page 1's largest font, in its top half; [] when unsure."""
    first = [ln for ln in lines if ln.page == lines[0].page and ln.bbox] if lines else []
    sized = [ln for ln in first if _texty(ln)]
    if not sized:
        return []
    top_size = max(ln.size for ln in sized)
    if top_size < 1.3 * body_size:
        return []
    runs: list[list[Line]] = []  # consecutive lines of that size and weight ("Research Article" is not one)
    for k, ln in enumerate(first):
        if _texty(ln) and abs(ln.size - top_size) < 0.3:
            if runs and k and runs[-1][-1] is first[k - 1] and runs[-1][-1].bold == ln.bold:
                runs[-1].append(ln)
            else:
                runs.append([ln])
    best = max(runs, key=lambda run: sum(len(ln.text) for ln in run))
    middle = (min(ln.bbox[1] for ln in first) + max(ln.bbox[3] for ln in first)) / 2
    if len(best) > 5 or best[0].bbox[1] > middle or len(" ".join(ln.text for ln in best).split()) < 2:
        return []
    return best


def _stands_alone(lines: list[Line], i: int) -> bool:
    """A bold line (or a run of at most three) set off from non-bold text around it: a heading, not a phrase."""
    start = i
    while start > 0 and lines[start - 1].bold and not lines[start].gap_before and i - start < 3:
        start -= 1
    end = i
    while end + 1 < len(lines) and lines[end + 1].bold and not lines[end + 1].gap_before and end - i < 3:
        end += 1
    run = lines[start:end + 1]
    text = " ".join(ln.text for ln in run)
    if len(run) > 3 or len(text) > 200 or _CAPTION.match(run[0].text):
        return False
    if text.rstrip().endswith((",", ";")) or text.count(",") > 2:
        return False  # a list of names (bold authors in a reference list), not a heading
    before_ok = start == 0 or lines[start].gap_before or not lines[start - 1].bold
    after_ok = end + 1 >= len(lines) or lines[end + 1].gap_before or not lines[end + 1].bold
    return before_ok and after_ok


# ------------------------------------------------------------------------------------------------------- public


def _clean_metadata(meta: dict[str, str] | None) -> dict[str, str]:
    """title/author/subject/keywords, whitespace tidied; empty values and placeholder junk left out."""
    out: dict[str, str] = {}
    for key in ("title", "author", "subject", "keywords", "creationDate"):
        value = " ".join(normalise_text(_unescape((meta or {}).get(key) or "")).translate(DROPPED).split())
        if key == "title":
            value = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", value)
            if re.search(r"\.(docx?|pdf|tex|dvi|indd|rtf|odt)$", value, re.IGNORECASE) \
                    or value.lower() in ("untitled", "title") \
                    or len(re.findall(r"[^\W\d_]{2,}", value)) < 2:
                value = ""  # a file name or a typesetter's job number, not the paper's title
        if value:
            out[key] = value
    return out


# A character reference whose "&" a publisher's pipeline wrote as "#_" (PLOS: "TNF-#_#x03B1;").
_MANGLED_REFERENCE = re.compile(r"#_(#x[0-9a-fA-F]{2,6};|#[0-9]{2,7};)")


def _unescape(value: str) -> str:
    """Metadata written with XML/HTML character references ("Pranlukast&apos;s") reads as printed."""
    if "&" not in value and "#_#" not in value:
        return value
    return html.unescape(_MANGLED_REFERENCE.sub(r"&\1", value))


def _body_size(sizes: Counter[float]) -> float:
    """The body font size: the most used size, or a larger one used nearly as much.

    A reference list in a smaller font can outweigh the body in a short paper (or an excerpt); body text is
    rarely smaller than the references, so a larger size with at least a third of the top count wins.
    """
    top_size, top_count = sizes.most_common(1)[0]
    return max(s for s, n in sizes.items() if n >= 0.35 * top_count and s <= 1.5 * top_size)


def _open(data: bytes) -> pymupdf.Document:
    if not data:
        raise ParseError("empty file")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # pymupdf raises several types for broken files
        raise ParseError(f"not a readable PDF: {exc}") from None
    if doc.needs_pass:  # pymupdf has already tried the empty password
        doc.close()
        raise EncryptedFile("encrypted PDF: a password is needed")
    if doc.page_count == 0:
        doc.close()
        raise ParseError("not a readable PDF: it has no pages")
    return doc


def extract_lines(data: bytes, source: str = "") -> PdfContent:
    """The text lines of a PDF in reading order, with layout signals for structure recovery.

    Raises ``ParseError`` for empty, non-PDF or damaged input and for PDFs without a text layer, and
    ``EncryptedFile`` when a password is needed. Call it through ``sandbox.run_isolated`` for untrusted files.
    """
    with collected(source) as mupdf, _colour_management_off():
        content = _extract(data)
    if note := mupdf.warning():
        content.warnings.insert(0, note)
    return content


@contextmanager
def _colour_management_off() -> Iterator[None]:
    """MuPDF's ICC colour management off while the text is read: the text pass converts the colour of
    every glyph and path to sRGB, and with ICC on it first builds colour transforms for the document's
    own profiles (a tenth of a second for a Nature paper, on every file). Colours play no part in the
    layout; nothing else in the worker renders. Turned back on after (the window renders with ICC, which
    is MuPDF's default and never turned off elsewhere)."""
    if not pymupdf.mupdf.FZ_ENABLE_ICC:
        yield
        return
    pymupdf.TOOLS.set_icc(False)
    try:
        yield
    finally:
        pymupdf.TOOLS.set_icc(True)


def _extract(data: bytes) -> PdfContent:
    doc = _open(data)
    warnings: list[str] = []
    try:
        metadata = _clean_metadata(doc.metadata)
        pages: list[list[Frag]] = []
        heights: list[float] = []
        graphics: dict[int, list[tuple[float, float, float, float]]] = {}
        frames: dict[int, Frame] = {}
        edges: list[list[tuple[float, float, float, float]]] = []
        boxes: dict[int, list[tuple[float, float, float, float]]] = {}
        for pno in range(doc.page_count):
            try:
                page = doc.load_page(pno)
                inline = images_in_text_pass(page)
                content = page_content(page, images=inline)
                pages.append(content.frags)
                heights.append(content.height)
                graphics[pno + 1] = content.graphics
                frames[pno + 1] = content.frame
                edges.append(content.edge)
                if pno == 0:
                    boxes[1] = _shaded_boxes(page, content.frame)
                # otherwise images are placed (a second pass over the page) only where a caption needs them
                # and the page's resources hold any (checking costs nothing)
                if not inline and content.has_caption and page.get_images():
                    graphics[pno + 1] = graphics[pno + 1] + page_images(page)
            except Exception as exc:  # one damaged page should not lose the rest of the paper
                warnings.append(f"page {pno + 1} could not be read: {exc}")
                pages.append([])
                heights.append(1.0)
        page_count = doc.page_count
    finally:
        doc.close()
    _read_private_use(pages)
    if furniture := page_furniture(edges):
        graphics = {pno: [b for b in boxes if rounded(b) not in furniture] for pno, boxes in graphics.items()}

    chars_by_size: dict[float, int] = {}  # summed by exact size first: rounding per span cost a pass of its own
    for frags in pages:
        for f in frags:
            for s in f.spans:
                chars_by_size[s.size] = chars_by_size.get(s.size, 0) + s.chars
    sizes: Counter[float] = Counter()
    for size, n in chars_by_size.items():  # (in order of first use, as most_common breaks ties by it)
        sizes[round(size * 2) / 2] += n
    if not sizes:
        if warnings and len(warnings) == page_count:
            raise ParseError("not a readable PDF: no page could be read")
        raise ParseError("no text layer (scanned PDF?)")
    body_size = _body_size(sizes)

    first_page = [f.text for f in sorted(pages[0], key=lambda f: (f.cy, f.x0))]
    kept = _drop_margins(pages, heights, body_size)
    left = {id(f) for frags in kept for f in frags}
    running = _unique(f.text for frags in pages for f in frags
                      if id(f) not in left and not f.text.strip().isdigit())
    pages = kept
    page_rows = [_page_rows(order_page(frags, boxes=boxes.get(pno + 1, ()), front=pno == 0), pno + 1)
                 for pno, frags in enumerate(pages)]
    _set_gaps_and_indents(page_rows)
    for page in page_rows:
        _count_row_mates(page)
    rows = [r for page in page_rows for r in page]
    _set_heading_levels(rows, body_size)
    lines = _take_out_floats([r.line for r in rows], graphics, body_size, frames)
    _mark_table_cells(lines)
    return PdfContent(lines=lines, page_count=page_count, metadata=metadata, body_size=body_size,
                      warnings=warnings, first_page=first_page, running=running[:40])


def _shaded_boxes(page: pymupdf.Page, frame: Frame) -> list[tuple[float, float, float, float]]:
    """The shaded boxes of a page (filled, not white, larger than a rule or a bullet), in the layout
    frame: an abstract box or a key-points panel is read as a unit (``pdf_columns._box_bands``).

    Asked for page 1 only, where front matter sets such boxes across the columns: MuPDF walks the page's
    content again for them (a few ms on a first page; on every page, a fifth more than the text pass)."""
    width, height = page.rect.width, page.rect.height
    out = []
    for path in page.get_cdrawings():
        fill = path.get("fill")
        if not fill or all(c > 0.97 for c in fill) or path.get("fill_opacity", 1.0) < 0.1:
            continue
        x0, y0, x1, y1 = path["rect"]
        if x1 - x0 >= 100 and y1 - y0 >= 20 and (x1 - x0) * (y1 - y0) < 0.8 * width * height:
            out.append(box_to_frame((x0, y0, x1, y1), frame))
    return out


def _read_private_use(pages: list[list[Frag]]) -> None:
    """Private-use characters to the ligatures the paper's words show, or left out (``pdf_ligatures``)."""
    if not any(has_private_use(f.text) for frags in pages for f in frags):
        return
    table = private_use_meanings([f.text for frags in pages for f in frags])
    for frags in pages:
        for f in frags:
            if has_private_use(f.text):
                f.text = MULTISPACE.sub(" ", f.text.translate(table)).strip()
                for span in f.spans:
                    span.text = span.text.translate(table)
        frags[:] = [f for f in frags if f.text]  # a line of glyphs that mean nothing is no line (as before)


def _unique(texts) -> list[str]:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    out = []
    for t in texts:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out
