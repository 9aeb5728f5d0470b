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
   pymupdf's own block order is not trusted: it interleaves columns on some journals.
4. **Lines.** Inside a column, fragments on one baseline are joined into one line (pymupdf splits lines at
   wide justified spaces, numbered headings, superscripts); a drop cap joins the line beside it.
5. **Signals.** ``gap_before``: a new page or column, a vertical gap clearly wider than the document's line
   pitch, or a new pymupdf block (unless it starts after a full line without indent: pymupdf also starts
   blocks mid-paragraph), or a new entry of a hanging-indent list. ``indent``: from the column's left edge.
   ``heading_level``: 1 or 2 for a clearly larger font or a short all-bold line standing alone, ranked by
   size; the page-1 title gets 1 when it is unambiguous. ``superscripts``: raised, smaller runs of text.

Nothing here imports Qt. Parsing hostile PDFs should go through ``reader.ingest.sandbox.run_isolated``.
"""
from __future__ import annotations

import math
import re
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import pymupdf

from reader.errors import EncryptedFile, ParseError
from reader.ingest.lines import Line
from reader.normalize import PAGE_NUMBER, normalize_characters

# Keep whitespace as printed and clip to the page; no ligature preservation (MuPDF then expands them),
# no images (faster), no CID-for-unknown (that gives garbage letters instead of U+FFFD).
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
_SUPERSCRIPT_FLAG = 1  # pymupdf span flag bit
_BOLD_FLAG = 16

_MULTISPACE = re.compile(r" {2,}")
# Bold weights in font names: "Helvetica-Bold", "Minion-Black", TeX's CMBX, "NimbusRomNo9L-Medi", "AdvXYZ.B"
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|cmbx|sfbx|lmbx|-medi(um)?(ital)?$|[.\-,+_]b$|-bd$",
                        re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_BARE_NUMBER = re.compile(r"^\d{1,5}$")
_CAPTION = re.compile(r"^(fig(ure)?|table|scheme|box|plate)\.?\s*[A-Z]?\d", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")

_MARGIN_BAND = 0.12  # running headers/footers live in the top/bottom 12% of the page


def normalise_text(text: str) -> str:
    """Ligatures -> letters, odd and zero-width spaces -> plain/none, soft hyphens dropped; the rest as is."""
    return normalize_characters(text).replace("\t", " ").replace("\n", " ").replace("\r", " ")


@dataclass
class PdfContent:
    """What a PDF's text layer gives: lines in reading order, and facts about the document."""

    lines: list[Line]
    page_count: int
    metadata: dict[str, str]  # the PDF's own title/author/subject/keywords, cleaned; empty ones left out
    body_size: float  # the dominant font size of the body text, in points
    warnings: list[str] = field(default_factory=list)  # pages that could not be read, and the like


# --------------------------------------------------------------------------------------------------- fragments


@dataclass(slots=True)
class _Span:
    text: str
    size: float
    bold: bool
    sup_flag: bool
    base: float  # baseline y in the layout frame
    chars: int  # non-space characters


@dataclass(slots=True)
class _Frag:
    """One pymupdf line: the smallest unit of layout analysis."""

    spans: list[_Span]
    x0: float  # box in the layout frame (text runs left to right, y grows downwards)
    y0: float
    x1: float
    y1: float
    bbox: tuple[float, float, float, float]  # box in PDF page coordinates, for the caller
    base: float  # baseline of the dominant span
    size: float  # size of the dominant span
    block: int
    block_start: bool
    text: str
    cx: float = 0.0  # horizontal centre
    top: float = 0.0  # top of the letters (about cap height above the baseline), not the font's ascender
    cy: float = 0.0  # middle of the letters: what orders fragments top to bottom

    def __post_init__(self) -> None:
        self.cx = (self.x0 + self.x1) / 2
        self.top = self.base - 0.7 * self.size
        self.cy = self.base - 0.35 * self.size


@lru_cache(maxsize=512)
def _is_bold(font: str, flags: int) -> bool:
    """pymupdf's bold flag, or a bold weight in the font's name (many embedded fonts set no flag)."""
    return bool(flags & _BOLD_FLAG) or bool(_BOLD_NAME.search(font))


def _page_fragments(page: pymupdf.Page) -> tuple[list[_Frag], float]:
    """The page's text lines that run in its main direction, as fragments in a left-to-right frame.

    Returns them with the frame's height (the page height, or its width when the text runs vertically,
    as on a landscape table set sideways).
    """
    blocks = page.get_text("dict", flags=_TEXT_FLAGS)["blocks"]
    # The main direction by character count; text at other angles is margin decoration.
    weights: Counter[tuple[int, int]] = Counter()
    for block in blocks:
        for line in block.get("lines", ()):
            d = (round(line["dir"][0]), round(line["dir"][1]))
            weights[d] += sum(len(s["text"]) for s in line["spans"])
    width, height = page.cropbox.width, page.cropbox.height  # text coordinates ignore /Rotate
    if not weights:
        return [], height
    dx, dy = weights.most_common(1)[0][0]
    if (dx, dy) == (0, 0):
        dx, dy = 1, 0
    # Rotate (and shift) so that the main direction reads left to right, top to bottom (identity normally).
    off_x = height if dy < 0 else width if dx < 0 else 0.0
    off_y = width if dy > 0 else height if dx < 0 else 0.0

    def to_frame(x: float, y: float) -> tuple[float, float]:
        return x * dx + y * dy + off_x, -x * dy + y * dx + off_y

    frags: list[_Frag] = []
    for bno, block in enumerate(blocks):
        first_in_block = True
        for line in block.get("lines", ()):
            ldx, ldy = line["dir"]
            if abs(ldx - dx) > 0.05 or abs(ldy - dy) > 0.05:
                continue
            spans: list[_Span] = []
            for s in line["spans"]:
                text = s["text"]
                if not text:
                    continue
                ox, oy = to_frame(*s["origin"])
                spans.append(_Span(text, float(s["size"]), _is_bold(s["font"], s["flags"]),
                                   bool(s["flags"] & _SUPERSCRIPT_FLAG),
                                   oy, len(text) - text.count(" ")))
            if not spans or not any(sp.text.strip() for sp in spans):
                continue
            bx0, by0, bx1, by1 = line["bbox"]
            ax, ay = to_frame(bx0, by0)
            bx, by = to_frame(bx1, by1)
            dominant = max(spans, key=lambda sp: sp.chars)
            text = normalise_text("".join(sp.text for sp in spans))
            frags.append(_Frag(spans, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by),
                               (bx0, by0, bx1, by1), dominant.base, dominant.size, bno, first_in_block,
                               _MULTISPACE.sub(" ", text).strip()))
            first_in_block = False
    return frags, (width if dy else height)


# ------------------------------------------------------------------------------- running headers, page numbers


def _margin_key(frag: _Frag) -> str:
    return _DIGITS.sub("#", " ".join(frag.text.lower().split()))


def _drop_margins(pages: list[list[_Frag]], heights: list[float], body_size: float) -> list[list[_Frag]]:
    """Remove running headers/footers and page numbers from the top/bottom margin bands."""

    def in_band(f: _Frag, h: float) -> bool:
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

    def alone(f: _Frag, frags: list[_Frag]) -> bool:  # nothing else on its row but running-header text
        return not any(g is not f and id(g) not in dropped and abs(g.base - f.base) < 0.5 * f.size
                       for g in frags)

    # Page numbers: a lone number whose value minus the page index is the same on many pages (a table's
    # numbers in the band are neither alone on their row nor in step with the pages), or "Page 3 of 10".
    numbers = [(pno, f, int(f.text) - pno) for pno, frags in enumerate(band) for f in frags
               if _BARE_NUMBER.match(f.text) and alone(f, band[pno])]
    steps = Counter(step for _, _, step in numbers)
    need_numbers = 1 if len(pages) == 1 else max(2, math.ceil(0.3 * len(pages)))
    dropped |= {id(f) for _, f, step in numbers if steps[step] >= need_numbers}
    dropped |= {id(f) for pno, frags in enumerate(band) for f in frags
                if PAGE_NUMBER.match(f.text) and not _BARE_NUMBER.match(f.text) and alone(f, band[pno])}
    return [[f for f in frags if id(f) not in dropped] for frags in pages]


# ------------------------------------------------------------------------------------------------ reading order


@dataclass(slots=True)
class _Leaf:
    """Fragments read top to bottom as one column stretch; ``column`` names the column they belong to."""

    frags: list[_Frag]
    column: str


@dataclass(slots=True)
class _Gutter:
    """A column gutter: its centre ``x`` and the free strip ``lo``..``hi`` between the columns' text."""

    x: float
    lo: float
    hi: float
    reach: float  # how far a line must reach into both columns to span the gutter

    def spanned_by(self, f: _Frag) -> bool:
        """True for a line set across the gutter (title, abstract, wide caption), not one that merely
        overflows into it from its own column (a long URL or formula)."""
        if not f.x0 < self.x < f.x1:
            return False
        return self.lo <= f.cx <= self.hi or (f.x0 < self.lo - self.reach and f.x1 > self.hi + self.reach)


def _order_page(frags: list[_Frag], column: str = "", depth: int = 0) -> list[_Leaf]:
    """Fragments in reading order, as leaves: columns left to right inside bands cut by full-width items."""
    gutter = _find_gutter(frags, nested=depth > 0) if depth < 6 and len(frags) >= 6 else None
    if gutter is None:
        return [_Leaf(frags, column)]
    x = gutter.x
    names = (f"{column}/L{x:.0f}", f"{column}/R{x:.0f}")
    sidebar_first = depth == 0 and _is_sidebar(frags, gutter)
    out: list[_Leaf] = []
    for run, spanning in _bands(frags, gutter):
        left = [f for f in run if f.cx < x]
        right = [f for f in run if f.cx >= x]
        if left and right and len(_rows(run)) == 1:
            out.append(_Leaf(run, column))  # one printed row (author names under a title), not two columns
        else:
            sides = [(left, names[0]), (right, names[1])]
            for part, name in reversed(sides) if sidebar_first else sides:
                if part:
                    out.extend(_order_page(part, name, depth + 1))
        if spanning:
            out.extend(_order_page(spanning, column, depth + 1))
    return out


def _bands(frags: list[_Frag], gutter: _Gutter) -> list[tuple[list[_Frag], list[_Frag]]]:
    """Top to bottom: (the column stretch, the spanning lines below it) pairs.

    A fragment on the same row as a spanning line goes with it ("Table 1" left of its wide caption).
    """
    crossing = sorted((f for f in frags if gutter.spanned_by(f)), key=lambda f: f.cy)
    cross_ids = {id(f) for f in crossing}
    cuts = [f.cy for f in crossing]
    runs: list[list[_Frag]] = [[] for _ in range(len(crossing) + 1)]
    spanning: list[list[_Frag]] = [[f] for f in crossing] + [[]]
    for f in frags:
        if id(f) in cross_ids:
            continue
        k = bisect_right(cuts, f.cy)
        for j in (k - 1, k):
            if 0 <= j < len(crossing) and abs(crossing[j].base - f.base) < 0.5 * min(crossing[j].size, f.size):
                spanning[j].append(f)
                break
        else:
            runs[k].append(f)
    # consecutive spanning lines with no column text between them form one band
    bands: list[tuple[list[_Frag], list[_Frag]]] = []
    for run, span in zip(runs, spanning):
        if bands and not run:
            bands[-1][1].extend(span)
        else:
            bands.append((run, list(span)))
    return bands


def _is_sidebar(frags: list[_Frag], gutter: _Gutter) -> bool:
    """A narrow column left of a wide one, set smaller (submission dates, licence, editor): read it last.

    Only asked at page level: inside a table a narrow first column is no sidebar.
    """
    side = [f for f in frags if not gutter.spanned_by(f)]
    left = [f for f in side if f.cx < gutter.x]
    right = [f for f in side if f.cx >= gutter.x]
    if not left or not right:
        return False
    left_width = max(f.x1 for f in left) - min(f.x0 for f in left)
    right_width = max(f.x1 for f in right) - min(f.x0 for f in right)
    return (50 <= left_width < 0.4 * right_width
            and statistics.median(f.size for f in left) < 0.95 * statistics.median(f.size for f in right))


def _find_gutter(frags: list[_Frag], nested: bool = False) -> _Gutter | None:
    """The best column gutter among the fragments, or None.

    Candidates are valleys in the x-coverage of the narrower fragments; a candidate counts only if, between
    the fragments that span it, there are stretches with lines on both sides that keep off it.
    """
    x_min = min(f.x0 for f in frags)
    width = max(f.x1 for f in frags) - x_min
    if width < 120:
        return None
    best: tuple[int, _Gutter] | None = None
    by_height = sorted(frags, key=lambda f: f.cy)
    # Justified text leaves word spaces of about one em, at places that can line up by chance. A gutter
    # inside a column is wider than that and has a column with a left edge to its right; a page's own
    # gutter may be narrow, but with few lines on each side (a short last page) it needs that edge too.
    min_strip = 1.5 * statistics.median(f.size for f in frags) if nested else 0.0
    for x in _gutter_candidates(frags, x_min, width):
        gutter = _Gutter(x, max((f.x1 for f in frags if f.x1 <= x), default=x),
                         min((f.x0 for f in frags if f.x0 >= x), default=x), 0.08 * width)
        if gutter.hi - gutter.lo < min_strip:
            continue
        score = _gutter_score(by_height, gutter)
        if score and (nested or score < 40) and not _left_aligned(
                [f for f in frags if f.x0 >= x and not gutter.spanned_by(f)]):
            continue
        if score and (best is None or score > best[0]):
            best = (score, gutter)
    return best[1] if best else None


def _gutter_candidates(frags: list[_Frag], x_min: float, width: float) -> list[float]:
    """Centres of the (at most five) deepest valleys in how many fragments cover each x (2-pt bins).

    Full-width lines are left out of the count: on a page opening with a title and an abstract they would
    fill the gutter. A valley must be local, away from the edges, and at most about half the coverage
    found on either side of it.
    """
    n_bins = int(width // 2) + 1
    diff = [0] * (n_bins + 1)
    for f in frags:
        if f.x1 - f.x0 < 0.65 * width:
            diff[int((f.x0 - x_min) // 2)] += 1
            diff[int((f.x1 - x_min) // 2) + 1] -= 1
    cover, running = [], 0
    for d in diff[:n_bins]:
        running += d
        cover.append(running)
    peak_before = list(cover)
    for i in range(1, n_bins):
        peak_before[i] = max(peak_before[i - 1], cover[i])
    peak_after = list(cover)
    for i in range(n_bins - 2, -1, -1):
        peak_after[i] = max(peak_after[i + 1], cover[i])
    valleys: list[tuple[int, float]] = []
    lo, hi = int(n_bins * 0.1), int(n_bins * 0.9)
    i = lo
    while i < hi:
        j = i
        while j + 1 < hi and cover[j + 1] == cover[i]:
            j += 1
        local = (i == 0 or cover[i - 1] > cover[i]) and (j + 1 >= n_bins or cover[j + 1] > cover[i])
        if local and cover[i] <= 0.5 * min(peak_before[i], peak_after[j]) + 1:
            valleys.append((cover[i], x_min + (i + j + 1)))  # the middle of bins i..j, in points
        i = j + 1
    return [x for _, x in sorted(valleys)[:5]]


def _gutter_score(frags: list[_Frag], gutter: _Gutter) -> int:
    """How many fragments the gutter separates into columns (0: it is not a gutter).

    ``frags`` must be sorted top to bottom (by ``cy``). Lines that span the gutter cut the page into
    stretches; a stretch counts when it has three lines on each side, or two if the right ones start at
    one left edge (a short last column; justified lines that pymupdf split at a wide space do not), and
    is not a column of bullets or numbers. A column of a single line is not told from a row of names.
    """
    x = gutter.x
    score = 0
    run: list[_Frag] = []
    for f in frags + [None]:  # type: ignore[list-item]  # None closes the last run
        if f is not None and not gutter.spanned_by(f):
            run.append(f)
            continue
        if len(run) >= 4:
            left = [g for g in run if g.cx < x]
            right = [g for g in run if g.cx >= x]
            touching = sum(1 for g in run if g.x0 < x < g.x1)
            if ((min(len(left), len(right)) >= 3 or (min(len(left), len(right)) == 2 and _aligned(right)))
                    and touching <= max(1, 0.1 * len(run))
                    and max(g.x1 for g in left) - min(g.x0 for g in left) >= 40
                    and max(g.x1 for g in right) - min(g.x0 for g in right) >= 40):
                score += len(run)
        run = []
    return score if score >= 4 else 0


def _left_aligned(frags: list[_Frag]) -> bool:
    """Most of the fragments start at one x: a column's left edge, not words of justified lines that
    happen to leave a gap at about the same place."""
    if len(frags) < 2:
        return False
    xs = [round(f.x0 / 3) for f in frags]
    return Counter(xs).most_common(1)[0][1] >= 0.6 * len(frags)


def _aligned(frags: list[_Frag]) -> bool:
    """At least two of the fragments start at the same x: a column's left edge."""
    xs = sorted(f.x0 for f in frags)
    return any(b - a <= 2 for a, b in zip(xs, xs[1:]))


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


def _is_drop_cap(f: _Frag, typical: float) -> bool:
    return len(f.text) == 1 and f.text.isalpha() and f.size >= 2.2 * typical


def _rows(frags: list[_Frag]) -> list[list[_Frag]]:
    """Fragments grouped into printed rows (same baseline), top to bottom, each row left to right.

    A drop cap (one big initial letter beside the first lines of a paragraph) joins the first row beside it.
    """
    typical = statistics.median(f.size for f in frags) if frags else 0.0
    caps = [f for f in frags if _is_drop_cap(f, typical)]
    if caps:
        frags = [f for f in frags if not _is_drop_cap(f, typical)]
    rows: list[list[_Frag]] = []
    top = bottom = 0.0
    for f in sorted(frags, key=lambda f: (f.base, f.x0)):
        if rows:
            overlap = min(bottom, f.base) - max(top, f.top)
            if overlap >= 0.5 * min(bottom - top, f.base - f.top):
                rows[-1].append(f)
                top, bottom = min(top, f.top), max(bottom, f.base)
                continue
        rows.append([f])
        top, bottom = f.top, f.base
    for row in rows:
        row.sort(key=lambda f: f.x0)
    for cap in caps:
        beside = [r for r in rows if r[0].x0 >= cap.x1 - 2 and cap.top - 2 < r[0].base <= cap.base + 2]
        if beside:
            beside[0].insert(0, cap)
        else:
            rows.append([cap])
            rows.sort(key=lambda r: r[0].base)
    return rows


def _build_line(row: list[_Frag], page_no: int) -> tuple[Line, float, float]:
    """Join a row's fragments into a Line; returns it with its dominant baseline and its bold share."""
    spans = [s for f in row for s in f.spans]
    by_size: Counter[float] = Counter()
    for s in spans:
        by_size[round(s.size, 1)] += s.chars
    size = by_size.most_common(1)[0][0]
    base = statistics.median(s.base for s in spans if round(s.size, 1) == size)
    bold_chars = sum(s.chars for s in spans if s.bold)
    total_chars = sum(s.chars for s in spans) or 1

    text = ""
    sups: list[tuple[int, int]] = []
    for fi, f in enumerate(row):
        if (fi and text and not text.endswith(" ") and not _is_drop_cap(row[fi - 1], size)
                and f.x0 - row[fi - 1].x1 > 0.15 * size):
            text += " "  # pymupdf split the row at a wide space (justified text, a numbered heading)
        for si, s in enumerate(f.spans):
            raw = s.text
            last = fi == len(row) - 1 and si == len(f.spans) - 1
            if last and raw.rstrip().endswith("\u00ad"):
                raw = raw.rstrip()[:-1] + "-"  # a soft hyphen that broke the line shows as a hyphen
            piece = _MULTISPACE.sub(" ", normalise_text(raw))
            if (not text or text.endswith(" ")) and piece.startswith(" "):
                piece = piece[1:]
            if not piece:
                continue
            raised = s.base < base - 0.15 * size
            smaller = s.size < 0.9 * size
            if s.chars and ((raised and smaller) or (s.sup_flag and (raised or smaller))):
                core = piece.strip(" ")
                start = len(text) + (len(piece) - len(piece.lstrip(" ")))
                sups.append((start, start + len(core)))
            text += piece
    stripped = text.rstrip(" ")
    merged: list[tuple[int, int]] = []
    for a, b in sups:
        b = min(b, len(stripped))
        if a >= b:
            continue
        if merged and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    x0 = min(f.bbox[0] for f in row)
    y0 = min(f.bbox[1] for f in row)
    x1 = max(f.bbox[2] for f in row)
    y1 = max(f.bbox[3] for f in row)
    line = Line(text=stripped, size=size, bold=bold_chars * 2 > total_chars, page=page_no,
                bbox=(round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)), superscripts=merged)
    return line, base, bold_chars / total_chars


def _page_rows(leaves: list[_Leaf], page_no: int) -> list[_Row]:
    rows: list[_Row] = []
    for leaf in leaves:
        for frags in _rows(leaf.frags):
            line, base, bold_share = _build_line(frags, page_no)
            if line.text:
                rows.append(_Row(line, leaf.column, base, min(f.x0 for f in frags), max(f.x1 for f in frags),
                                 frags[0].block_start, bold_share))
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


def _line_pitch(rows: list[_Row]) -> float:
    """The document's usual baseline distance as a multiple of the font size (about 1.2)."""
    ratios = []
    for a, b in zip(rows, rows[1:]):
        if a.column == b.column and a.line.page == b.line.page and abs(a.line.size - b.line.size) < 0.5:
            r = (b.base - a.base) / b.line.size
            if 0.8 < r < 2.5:
                ratios.append(r)
    return statistics.median(ratios) if ratios else 1.2


def _set_gaps_and_indents(pages: list[list[_Row]]) -> None:
    """``indent`` from each column's left edge; ``gap_before`` at paragraph signals; ``new_page``."""
    pitch = _line_pitch([r for rows in pages for r in rows])
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
                r.line.gap_before = True  # a new page
            else:
                # Physical continuity, not column names: a short last line of a full-width abstract sits in
                # another "column" but continues it; moving up the page means a new column.
                delta = r.base - prev.base
                expected = pitch * max(r.line.size, prev.line.size)
                jumped = delta < 0.5 * r.line.size or delta > 1.3 * expected or r.x0 > prev.x1 or r.x1 < prev.x0
                # pymupdf also starts blocks inside paragraphs (a change in line spacing, a formula): a block
                # start after a line that runs to the column's right edge, without indent, is not a paragraph.
                em = r.line.size
                mid_paragraph = prev.x1 >= right[r.column] - em and abs(r.line.indent - usual) <= 0.5 * em
                if usual > 0:
                    # a hanging-indent list (references): a line set out to the left starts an entry, and
                    # pymupdf's blocks there follow no rule worth trusting
                    r.line.gap_before = jumped or r.line.indent < usual - 0.5 * em
                else:
                    r.line.gap_before = jumped or (r.block_start and not mid_paragraph)
            prev = r
        if rows:
            rows[0].line.new_page = True


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
    for i, (r, ln) in enumerate(zip(rows, lines)):
        if id(ln) in title_ids or not _texty(ln):
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
    for ln in title:
        ln.heading_level = 1


def _texty(line: Line) -> bool:
    """Enough letters to be a heading, and not a figure/table caption."""
    return len(_LETTERS.findall(line.text)) >= 2 and len(line.text) <= 200 and not _CAPTION.match(line.text)


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
    for key in ("title", "author", "subject", "keywords"):
        value = " ".join(normalise_text((meta or {}).get(key) or "").split())
        if key == "title":
            value = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", value)
            if re.search(r"\.(docx?|pdf|tex|dvi|indd|rtf|odt)$", value, re.IGNORECASE) \
                    or value.lower() in ("untitled", "title") \
                    or not re.search(r"[^\W\d_]{3,}", value):
                value = ""  # a file name or a typesetter's job number, not the paper's title
        if value:
            out[key] = value
    return out


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


def extract_lines(data: bytes) -> PdfContent:
    """The text lines of a PDF in reading order, with layout signals for structure recovery.

    Raises ``ParseError`` for empty, non-PDF or damaged input and for PDFs without a text layer, and
    ``EncryptedFile`` when a password is needed. Call it through ``sandbox.run_isolated`` for untrusted files.
    """
    doc = _open(data)
    warnings: list[str] = []
    try:
        metadata = _clean_metadata(doc.metadata)
        pages: list[list[_Frag]] = []
        heights: list[float] = []
        for pno in range(doc.page_count):
            try:
                frags, height = _page_fragments(doc.load_page(pno))
                pages.append(frags)
                heights.append(height)
            except Exception as exc:  # one damaged page should not lose the rest of the paper
                warnings.append(f"page {pno + 1} could not be read: {exc}")
                pages.append([])
                heights.append(1.0)
        page_count = doc.page_count
    finally:
        doc.close()

    sizes: Counter[float] = Counter()
    for frags in pages:
        for f in frags:
            for s in f.spans:
                sizes[round(s.size * 2) / 2] += s.chars
    if not sizes:
        if warnings and len(warnings) == page_count:
            raise ParseError("not a readable PDF: no page could be read")
        raise ParseError("no text layer (scanned PDF?)")
    body_size = _body_size(sizes)

    pages = _drop_margins(pages, heights, body_size)
    page_rows = [_page_rows(_order_page(frags), pno + 1) for pno, frags in enumerate(pages)]
    _set_gaps_and_indents(page_rows)
    rows = [r for page in page_rows for r in page]
    _set_heading_levels(rows, body_size)
    lines = [r.line for r in rows]
    return PdfContent(lines=lines, page_count=page_count, metadata=metadata, body_size=body_size,
                      warnings=warnings)
