"""Figures and tables on a PDF page: the region a caption belongs to, and the text printed inside it.

A figure's caption sits under (sometimes over) its picture, a table's caption over (sometimes under) its
rules. The picture and the rules are graphics in the page's content (images and vector paths, which the
text extraction collects in the same pass: ``pdf_fragments.page_content``). From the caption, a figure's region grows through the graphics next to it in
the caption's columns, one gap of at most a few lines at a time; a table's region runs from rule to rule
while the text between them reads as cells. Text lines that lie wholly inside the region are the
figure's labels or the table's cells: they leave the reading flow.
"""
from __future__ import annotations

import re
from dataclasses import replace
from operator import itemgetter

from reader.ingest.lines import Line

Rect = tuple[float, float, float, float]
# a text line's box, its text, whether it is set in the body's type, and whether it flows (no gap of
# more than two ems inside it, as between the cells of a table row)
TextBox = tuple[Rect, str, bool, bool]

FIGURE = re.compile(r"^(?i:fig(?:ure)?s?|scheme|plate|chart|graph)\.?\s*[A-Z]?\d{1,3}[A-Za-z]?(?:\s*[.:|—–]|\s+[A-Z(\[]|\s*$)")
TABLE = re.compile(r"^(?i:(?:continued\s+)?table)\s*[A-Z]?\d{1,3}[A-Za-z]?(?:\s*[.:|—–]|\s+[A-Z(\[]|\s*$)"
                   # an unnumbered table with a standing name, alone on its line (a data article's key/value table)
                   r"|^(?i:specifications?|key\s+resources?)\s+(?i:table)\s*$")
# a note that a table (or a box) goes on over the page: "(Continued)", "(continued on next page)", "Continued
# from previous page"; a bare word only capitalised ("continued." may end a sentence)
_PAGE_NAMED = r"(?i:\s+(?:on|from)\s+(?:the\s+)?(?:next|previous|following|preceding)\s+page)?"
CONTINUATION_LABEL = re.compile(rf"^(?:\((?i:continued|cont'd){_PAGE_NAMED}\.?\)|(?:Continued|CONTINUED){_PAGE_NAMED}\.?)$")
_WORD = re.compile(r"[^\W\d_]{3,}")
_REACH = 24.0  # points: the largest gap inside one figure (between panels) or one table (between rules)
_MIN_AREA = 1500.0
_LABEL_GAP = 8.0  # points: a plot's tick values and axis titles stand this close to its graphics


def thin_rules(graphics: list[Rect]) -> list[Rect]:
    """The thin horizontal graphics among a page's (a table's rules and cell borders): what ``float_region``
    and ``row_rules`` walk for a table, picked once per page (a page of plots has thousands of graphics)."""
    return [r for r in graphics if r[3] - r[1] <= 4]


def float_region(caption: Rect, graphics: list[Rect], texts: list[TextBox], table: bool,
                 rules: list[Rect] | None = None) -> Rect | None:
    """The figure's or table's region for a caption box: below the caption first for a table, above it
    first for a figure. ``rules``: ``thin_rules(graphics)``, when the caller has it already."""
    sides = ("below", "above") if table else ("above", "below")
    if table and rules is None:
        rules = thin_rules(graphics)
    for side in sides:
        region = _rules(caption, rules, texts, side) if table else _grow(caption, graphics, texts, side)  # type: ignore[arg-type]
        if region is not None:
            return region if table else _with_labels(caption, _widen(caption, region, graphics, texts), texts)
    if table:
        return None
    region = _grow_beside(caption, graphics, texts)
    return None if region is None else _with_labels(caption, region, texts)


def _with_labels(caption: Rect, region: Rect, texts: list[TextBox]) -> Rect:
    """A plot's tick values and panel letters set as text just outside its graphics ("100", "0.05",
    "(a)" left of an axis or over a panel) belong to its picture: such lines that start within a few
    points of the region join it. Only values and letters: a short line of words there may be the end
    of a caption or a heading."""
    x0, y0, x1, y1 = region
    g, far = _LABEL_GAP, 5 * _LABEL_GAP
    grown = region
    for box, text, _, _ in texts:
        if box == caption or inside(box, region) or not _LABEL.match(text):
            continue
        if box[0] > x1 + g or box[2] < x0 - g or box[1] > y1 + g or box[3] < y0 - g \
                or not inside(box, (x0 - far, y0 - far, x1 + far, y1 + far), 0):
            continue  # (it starts more than a few points away from the graphics)
        grown = (min(grown[0], box[0]), min(grown[1], box[1]), max(grown[2], box[2]), max(grown[3], box[3]))
    return grown


# a tick value or a panel letter: digits, signs and at most one letter or two ("1.E10", "(a)", "−0.5")
_LABEL = re.compile(r"^(?=[^A-Za-z]*(?:[A-Za-z][^A-Za-z]*){0,2}$)[\d\s.,:;%+\-−–×()\[\]A-Za-z*]{1,12}$")


def _beside(caption: Rect, boxes: list[Rect], side: str) -> list[Rect]:
    """The boxes in the caption's columns, on the chosen side of it (one comprehension: a page of plots
    has thousands of graphics)."""
    cx0, cy0, cx1, cy1 = caption
    lo, hi = cx0 - 6, cx1 + 6
    if side == "above":
        return [r for r in boxes if r[3] <= cy0 + 2 and r[2] > lo and r[0] < hi and r[2] > r[0]]
    return [r for r in boxes if r[1] >= cy1 - 2 and r[2] > lo and r[0] < hi and r[2] > r[0]]


def _rules(caption: Rect, thin: list[Rect], texts: list[TextBox], side: str) -> Rect | None:
    """A table: its rules (``thin``: the page's thin horizontal graphics; cell shading and plots are not
    walked through), walked from the caption while the text between two rules reads as cells (no line of
    prose running across the table, no other caption)."""
    width = caption[2] - caption[0]
    below = side == "below"
    # the rules on that side, nearest first
    rules = sorted((r for r in thin if (r[1] >= caption[3] - 2 if below else r[3] <= caption[1] + 2)),
                   key=lambda r: (r[1] if below else -r[3], r[0]))
    drawn = _beside(caption, rules, side)
    if not drawn or (drawn[0][1] - caption[3] if below else caption[1] - drawn[0][3]) > 2 * _REACH:
        # no rules at all: the rows of cells right under the caption ("Continued Table 1" atop a page)
        return _unruled_rows(caption, caption, texts, width) if below else None
    first = drawn[0]
    x0, y0, x1, y1 = first
    for _ in range(3):  # a rule drawn cell by cell: its segments at one height, past a short caption
        for r in rules:
            if abs(r[1] - first[1]) <= 1 and r[0] <= x1 + 2 and r[2] >= x0 - 2:
                x0, x1 = min(x0, r[0]), max(x1, r[2])
    # a line of prose runs across most of the caption or of the table (whichever is wider: a short caption
    # over a wide table of long cells), or across a good part of it in the body's type
    width = max(width, x1 - x0)
    for r in rules:
        if r is first or min(r[2], x1 + 6) <= max(r[0], x0 - 6):
            continue  # (a rule of another column)
        lo, hi = (y1, r[1]) if below else (r[3], y0)
        if hi - lo > 600:
            break
        if hi - lo <= 1:  # overlaps the region so far: no text between
            x0, y0, x1, y1 = min(x0, r[0]), min(y0, r[1]), max(x1, r[2]), max(y1, r[3])
            continue
        between = [(box, t, body, flowing) for box, t, body, flowing in texts if box[1] >= lo - 1
                   and box[3] <= hi + 1 and min(box[2], x1) > max(box[0], x0)]
        if any(flowing and ((_prose(box, t, width) and (body or not _heads_rows(box, between)))
                            or (body and _prose(box, t, 0.45 * width)))
               or FIGURE.match(t) or TABLE.match(t) for box, t, body, flowing in between):
            break
        if below and r[2] - r[0] < 0.5 * (x1 - x0) and _covered(sorted(
                (o[0], o[2]) for o in rules if abs(o[1] - r[1]) <= 1)) < 0.5 * (x1 - x0):
            # a short rule under the rows (the rule over a page's foot notes, a link's underline): the
            # region ends at the rows over it (or the row it underlines), not at the rule
            y1 = max([y1] + [box[3] for box, _, _, _ in texts if lo - 1 <= box[1] <= r[1]
                             and min(box[2], x1) > max(box[0], x0)])
            continue
        x0, y0, x1, y1 = min(x0, r[0]), min(y0, r[1]), max(x1, r[2]), max(y1, r[3])
    if below and (y1 - y0 <= 4 or _head_only((x0, y0, x1, y1), texts)):
        # one rule, or rules around the column heads only: the body runs on without rules (to the page
        # foot, or to the prose after it)
        return _unruled_rows(caption, (x0, y0, x1, y1), texts, width) or _big_enough((x0, y0, x1, y1))
    return _big_enough((x0, y0, x1, y1))


def _heads_rows(box: Rect, between: list[TextBox]) -> bool:
    """A table of questions or statements: a long sentence in the table's own type with rows of cells
    under it between the same rules (two lines or more with wide gaps) heads those rows; it is a cell,
    not prose after the table (a table's notes under its last rows head none)."""
    return sum(1 for other, _, _, flowing in between if not flowing and other[1] > box[1]) >= 2


def _big_enough(region: Rect) -> Rect | None:
    x0, y0, x1, y1 = region
    if (x1 - x0) * (y1 - y0) < _MIN_AREA or x1 - x0 < 40 or y1 - y0 < 20:
        return None
    return region


def _head_only(region: Rect, texts: list[TextBox]) -> bool:
    """Do the rules enclose one row of text, at most three lines deep (the column heads)?"""
    tops = sorted({round(box[1]) for box, _, _, _ in texts if inside(box, region)})
    if not tops:
        return False
    height = max(box[3] - box[1] for box, _, _, _ in texts if inside(box, region))
    return region[3] - region[1] <= 4 * height and len(tops) <= 3


def _unruled_rows(caption: Rect, region: Rect, texts: list[TextBox], width: float) -> Rect | None:
    """A table body set without rules under ``region`` (the caption, or the rules of the column heads):
    the lines below it, one small gap at a time, while they read as cells (no line of prose, no caption);
    at least three rows must show the wide gaps between cells. The region widens to the lines that
    overlap it, so the cells of every column come in."""
    x0, y0, x1, y1 = region

    def prose(box: Rect, text: str, body: bool, flowing: bool) -> bool:
        """Prose, or a line across the whole table without a gap between cells (a note under it)."""
        return flowing and (_prose(box, text, width) or (body and _prose(box, text, 0.45 * width))
                            or (box[2] - box[0] >= 0.85 * width and len(_WORD.findall(text)) >= 5))

    below = sorted((t for t in texts if t[0][1] >= y1 - 1), key=lambda t: t[0][1])
    lo, hi = min(x0, caption[0]), max(x1, caption[2])
    first = next((t for t in below if min(t[0][2], hi) > max(t[0][0], lo)), None)
    if first is None or first[0][1] - y1 > 2 * _REACH:
        return None
    # the table's width: the first row, all its cells (a short caption over a wide table)
    for box, text, body, flowing in below:
        if abs(box[1] - first[0][1]) <= 2 and not prose(box, text, body, flowing):
            lo, hi = min(lo, box[0]), max(hi, box[2])
    width = max(width, hi - lo)
    gapped = 0
    bottom = first[0][1]
    for box, text, body, flowing in below:
        if not min(box[2], hi) > max(box[0], lo):
            continue  # another column
        if box[1] - bottom > _REACH / 2:
            break
        if prose(box, text, body, flowing) or FIGURE.match(text) or TABLE.match(text):
            break
        gapped += not flowing
        lo, hi, bottom = min(lo, box[0]), max(hi, box[2]), max(bottom, box[3])
    if gapped < 3:
        return None
    x0, x1 = min(x0, lo), max(x1, hi)
    cells = [box for box, text, body, flowing in below if box[3] <= bottom + 1 and not prose(box, text, body, flowing)]
    for _ in range(3):  # the cells of columns beside those walked (read apart by the column finder)
        wider = [box for box in cells if min(box[2], x1) > max(box[0], x0)]
        x0, x1 = min([x0] + [b[0] for b in wider]), max([x1] + [b[2] for b in wider])
    return _big_enough((x0, y0, x1, bottom))


def _prose(box: Rect, text: str, width: float) -> bool:
    """A line of running text: across most of the width, with many words (a row of numbers is no prose),
    one of them a little word that sentences have (a row of column heads has none)."""
    return box[2] - box[0] >= 0.85 * width and len(_WORD.findall(text)) >= 7 and bool(_FUNCTION_WORD.search(text))


_FUNCTION_WORD = re.compile(r"\b(?:the|of|and|in|to|a|an|is|are|was|were|for|with|that|this|on|by|as|from|at|"
                            r"be|it|or|which|we|not|but|these|than|its|has|have)\b", re.IGNORECASE)


def _grow(caption: Rect, graphics: list[Rect], texts: list[TextBox], side: str) -> Rect | None:
    """A figure: the graphics nearest to the caption and those within a small gap of them, never across
    a line of running text (a rule or a banner beyond the text is no part of the figure)."""
    cy0, cy1 = caption[1], caption[3]
    drawn = _beside(caption, graphics, side)
    if not drawn:
        return None
    above = side == "above"
    # nearest first (a stable sort: among equals, page order)
    if above:
        drawn.sort(key=itemgetter(3), reverse=True)
    else:
        drawn.sort(key=itemgetter(1))
    nearest = drawn[0]
    gap = cy0 - nearest[3] if above else nearest[1] - cy1
    if gap > _REACH * 2:
        return None
    # one sweep away from the caption: a graphic joins while it starts within reach of the region so far
    x0, y0, x1, y1 = nearest
    width = caption[2] - caption[0]
    prose = [box for box, t, _, flowing in texts if flowing and _prose(box, t, min(width, box[2] - box[0] + 1))
             and min(box[2], caption[2]) > max(box[0], caption[0])]
    for r in drawn:
        if above and r[3] < y0 - _REACH or not above and r[1] > y1 + _REACH:
            break
        lo, hi = (r[3], y0) if above else (y1, r[1])
        if hi - lo > 1 and any(box[1] >= lo - 1 and box[3] <= hi + 1 for box in prose):
            break  # (checked only across a gap: most graphics of a plot overlap the region so far)
        x0, y0, x1, y1 = min(x0, r[0]), min(y0, r[1]), max(x1, r[2]), max(y1, r[3])
    if (x1 - x0) * (y1 - y0) < _MIN_AREA or x1 - x0 < 40 or y1 - y0 < 20:
        return None
    return (x0, y0, x1, y1)


def _widen(caption: Rect, region: Rect, graphics: list[Rect], texts: list[TextBox]) -> Rect:
    """A figure wider than its caption's column (a caption in the left column under panels that run across
    the page): the graphics level with the region, within reach of it sideways, join it, unless that
    would take in a line of prose or another float's caption (a figure beside ours has its own)."""
    x0, y0, x1, y1 = region
    level = [r for r in graphics if r[1] >= y0 - 2 and r[3] <= y1 + 2 and (r[0] < x0 - 1 or r[2] > x1 + 1)]
    if not level:
        return region
    grown = _sideways(region, level)
    if grown == region or _blocked(caption, grown, texts):
        return region
    return grown


def _sideways(region: Rect, level: list[Rect]) -> Rect:
    """The region grown left and right through ``level`` (graphics at its height), one gap of at most
    ``_REACH`` at a time."""
    x0, y0, x1, y1 = region
    for r in sorted((r for r in level if r[2] > x1), key=itemgetter(0)):
        if r[0] > x1 + _REACH:
            break
        x1 = max(x1, r[2])
    for r in sorted((r for r in level if r[0] < x0), key=itemgetter(2), reverse=True):
        if r[2] < x0 - _REACH:
            break
        x0 = min(x0, r[0])
    return (x0, y0, x1, y1)


def _blocked(caption: Rect, region: Rect, texts: list[TextBox]) -> bool:
    """Would ``region`` take in a line of prose, or stand over or under another float's caption (within
    two reaches: that picture is the other float's)?"""
    x0, y0, x1, y1 = region
    for box, text, _, flowing in texts:
        if box == caption or min(box[2], x1) <= max(box[0], x0):
            continue
        if flowing and inside(box, region) and _prose(box, text, min(x1 - x0, box[2] - box[0] + 1)):
            return True
        if (FIGURE.match(text) or TABLE.match(text)) and y0 - 2 * _REACH <= box[1] and box[3] <= y1 + 2 * _REACH:
            return True
    return False


def _grow_beside(caption: Rect, graphics: list[Rect], texts: list[TextBox]) -> Rect | None:
    """A figure with its caption set beside it (a caption in the right column, level with the top of
    the picture in the left one): the graphics on one side of the caption, the nearest within two
    reaches of it and level with its first line, and all those joined to them through gaps of at most
    ``_REACH``; never across prose or over another float's caption."""
    cx0, cy0, cx1, cy1 = caption
    for left in (True, False):
        pool = [r for r in graphics if (r[2] <= cx0 + 2 if left else r[0] >= cx1 - 2) and r[2] > r[0]]
        level = [r for r in pool if r[1] <= cy1 + _REACH and r[3] >= cy0 - _REACH]
        if not level:
            continue
        seed = max(level, key=itemgetter(2)) if left else min(level, key=itemgetter(0))
        if (cx0 - seed[2] if left else seed[0] - cx1) > 2 * _REACH:
            continue
        region = _joined(seed, pool, texts)
        if _big_enough(region) is not None and not _blocked(caption, region, texts):
            return region
    return None


def _joined(seed: Rect, pool: list[Rect], texts: list[TextBox]) -> Rect:
    """The seed's box grown through the boxes of ``pool`` that come within ``_REACH`` of it (sweeps until
    none joins), never over a line of prose."""
    prose = [box for box, t, _, flowing in texts if flowing and _prose(box, t, box[2] - box[0] + 1)]
    x0, y0, x1, y1 = seed
    rest = pool
    for _ in range(8):
        left: list[Rect] = []
        for r in rest:
            if r[0] > x1 + _REACH or r[2] < x0 - _REACH or r[1] > y1 + _REACH or r[3] < y0 - _REACH:
                left.append(r)
                continue
            grown = (min(x0, r[0]), min(y0, r[1]), max(x1, r[2]), max(y1, r[3]))
            if grown != (x0, y0, x1, y1) and any(inside(box, grown, 0) and not inside(box, (x0, y0, x1, y1), 0)
                                                for box in prose):
                continue  # (dropped: it lies across running text)
            x0, y0, x1, y1 = grown
        if len(left) == len(rest):
            break
        rest = left
    return (x0, y0, x1, y1)


def inside(box: Rect, region: Rect, slack: float = 2.0) -> bool:
    """Is ``box`` wholly inside ``region`` (with a little slack for glyph boxes)?"""
    return (box[0] >= region[0] - slack and box[1] >= region[1] - slack
            and box[2] <= region[2] + slack and box[3] <= region[3] + slack)


def row_rules(region: Rect, thin: list[Rect]) -> list[float]:
    """The heights of the rules drawn across a table between its rows (not its top and bottom rules):
    thin horizontal graphics (``thin_rules``) inside the region, one rule or a row of cell borders at one
    height, that together run across at least half of it."""
    x0, y0, x1, y1 = region
    segments = sorted(((r[1] + r[3]) / 2, r[0], r[2]) for r in thin
                      if r[2] - r[0] >= 2 and r[0] >= x0 - 2 and r[2] <= x1 + 2
                      and y0 + 3 < (r[1] + r[3]) / 2 < y1 - 3)
    out: list[float] = []
    k = 0
    while k < len(segments):  # segments within 3 pt of each other: one rule (cell borders, a double rule)
        j = k
        while j + 1 < len(segments) and segments[j + 1][0] - segments[j][0] <= 3:
            j += 1
        if _covered(sorted((a, b) for _, a, b in segments[k:j + 1])) >= 0.5 * (x1 - x0):
            out.append(segments[k][0])
        k = j + 1
    return out


def _covered(spans: list[tuple[float, float]]) -> float:
    """The length of the union of sorted intervals."""
    total, end = 0.0, float("-inf")
    for a, b in spans:
        if b > end:
            total += b - max(a, end)
            end = b
    return total


# ------------------------------------------------------------------------------------------- a table's cells

Cell = tuple[float, float, str]  # a cell's x-range and text


def table_grid(lines: list[Line], rules: list[float]) -> list[list[str]]:
    """A table's rows of cells (``lines``: the text lines inside its region; ``rules``: ``row_rules``), each
    cell in its column: a row with no text in a column (the empty corner over a table's row heads, a
    blank cell) has an empty cell there, so every head stands over its column. [] when the cells cannot
    be read reliably (cells of neighbouring columns run together, rows fit no columns): the table is
    then shown as its picture.

    With rules between the rows, the lines between two rules are one row and the lines of a row that
    overlap horizontally are one cell, read top to bottom (a cell wrapped onto four lines stays one cell).
    Without them, rows are baselines, and a row that only continues cells of the row above (its first
    column empty, most of the others too: a cell wrapped onto a second line) joins that row."""
    placed = [ln for ln in lines if ln.bbox is not None]
    if not placed:
        return []
    ruled = len(rules) >= 2
    rows, bottoms = _ruled_rows(placed, rules) if ruled else _baseline_rows(placed)
    if not rows:
        return []
    columns = _columns(rows)
    if columns is None:
        return []
    wrapped = _wrapped_rows(bottoms) if not ruled else set()
    grid: list[list[str]] = []
    fitted = 0
    for i, row in enumerate(rows):
        slots = _slots(row, columns)
        if slots is None:
            grid.append([text for _, _, text in row])
            continue
        fitted += 1
        cells = [""] * len(columns)
        for slot, (_, _, text) in zip(slots, row):
            cells[slot] = text
        if not ruled and grid and not cells[0] and len(grid[-1]) == len(columns) and grid[-1][0] \
                and (i in wrapped or sum(bool(c) for c in cells) * 2 <= len(columns)):
            # a continuation line: each piece goes on its cell of the row above
            grid[-1] = [_joined_text(above, below) for above, below in zip(grid[-1], cells)]
            continue
        grid.append(cells)
    if fitted < 0.7 * len(rows) or _run_together(rows[1:], columns):
        return []
    return grid


def _joined_text(above: str, below: str) -> str:
    if not below:
        return above
    if not above:
        return below
    return above + ("" if above.endswith("-") else " ") + below


def _units(ln: Line) -> list[tuple[float, float, float, str]]:
    """A line's pieces (cut at its wide gaps) with their x-ranges and the line's bottom."""
    x0, _, x1, y1 = ln.bbox  # type: ignore[misc]
    return [(a, b, y1, text.strip()) for a, b, text in (ln.pieces or [(x0, x1, ln.text)]) if text.strip()]


def _wrapped_rows(bottoms: list[float]) -> set[int]:
    """The rows (by index) set at the pitch of a cell's wrapped lines, in a table whose rows stand
    further apart than that (PeerJ: 11 pt within a row, 13.5 pt between rows): the second line of a row,
    not a row of its own."""
    gaps = [b - a for a, b in zip(bottoms, bottoms[1:])]
    if len(gaps) < 3:
        return set()
    pitch, apart = min(gaps), max(gaps)
    if pitch <= 0 or apart < 1.15 * pitch:
        return set()
    return {k + 1 for k, gap in enumerate(gaps) if gap < (pitch + apart) / 2}


def _ruled_rows(lines: list[Line], rules: list[float]) -> tuple[list[list[Cell]], list[float]]:
    bands: list[list[tuple[float, float, float, str]]] = [[] for _ in range(len(rules) + 1)]
    for ln in lines:
        _, y0, _, y1 = ln.bbox  # type: ignore[misc]
        bands[sum(1 for y in rules if y < (y0 + y1) / 2)].extend(_units(ln))
    rows: list[list[Cell]] = []
    for band in bands:
        cells: list[tuple[float, float, list[tuple[float, float, float, str]]]] = []
        for unit in sorted(band):
            if cells and unit[0] < cells[-1][1] - 1:
                cx0, cx1, cell = cells[-1]
                cells[-1] = (cx0, max(cx1, unit[1]), cell + [unit])
            else:
                cells.append((unit[0], unit[1], [unit]))
        stacks = [sorted(cell, key=lambda u: (u[2], u[0])) for _, _, cell in cells]
        depth = len(stacks[0]) if stacks else 0
        if len(stacks) >= 2 and depth >= 2 and all(len(stack) == depth for stack in stacks):
            # every cell as many lines deep: rows that share no rule between them, not wrapped cells
            rows.extend([(stack[k][0], stack[k][1], stack[k][3]) for stack in stacks] for k in range(depth))
        elif stacks:
            rows.append([(cx0, cx1, _stack_text(stack)) for (cx0, cx1, _), stack in zip(cells, stacks)])
    return rows, []


def _stack_text(units: list[tuple[float, float, float, str]]) -> str:
    text = ""
    for _, _, _, piece in units:
        text = _joined_text(text, piece)
    return text


def _baseline_rows(lines: list[Line]) -> tuple[list[list[Cell]], list[float]]:
    """The lines grouped by baseline, top to bottom, each row's cells left to right; and each row's
    bottom."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.bbox[3], ln.bbox[0])):  # type: ignore[index]
        if rows and abs(ln.bbox[3] - rows[-1][0].bbox[3]) <= 0.5 * max(ln.size, 1.0):  # type: ignore[index]
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return ([sorted(((a, b, t) for ln in row for a, b, _, t in _units(ln)), key=itemgetter(0)) for row in rows],
            [row[0].bbox[3] for row in rows])  # type: ignore[index]


def _columns(rows: list[list[Cell]]) -> list[tuple[float, float]] | None:
    """The table's columns: the x-ranges of the cells of the rows with the most cells that are common
    (two rows or more, and a fifth of the rows: a row cut into too many pieces is rare; a table's rows
    with blank cells at their end are not the measure), their cells lined up; None when no such rows."""
    counts: dict[int, int] = {}
    for row in rows:
        counts[len(row)] = counts.get(len(row), 0) + 1
    for width in sorted((k for k, n in counts.items() if k >= 2 and n >= max(2, 0.2 * len(rows))), reverse=True):
        full = [row for row in rows if len(row) == width]
        # the middle of the full rows' cell edges (one cell of two columns run together moves no column)
        columns = [(_median([row[k][0] for row in full]), _median([row[k][1] for row in full]))
                   for k in range(width)]
        if all(columns[k][1] <= columns[k + 1][0] + 2 for k in range(width - 1)):
            return _with_missing_columns(columns, rows)
    return None


def _with_missing_columns(columns: list[tuple[float, float]], rows: list[list[Cell]]) -> list[tuple[float, float]]:
    """The columns, with one added where cells of many rows stand in a gap between them, touching none (a
    table whose rows of most cells leave a column blank: "Gender | | −7.16 | 2,842" over "Male | 4.30 ±
    3.28" rows). Such cells of a fifth of the rows, two at least, that overlap one another are a column;
    only cells beside others on their row count (a group's label alone on its row, "Healthy Adults" over
    its rows, makes no column)."""
    loose = sorted((x0, x1, i) for i, row in enumerate(rows) if len(row) >= 2 for x0, x1, _ in row
                   if all(min(x1, b) - max(x0, a) <= 0 for a, b in columns))
    groups: list[list[tuple[float, float, int]]] = []
    for cell in loose:
        if groups and cell[0] < max(c[1] for c in groups[-1]):
            groups[-1].append(cell)
        else:
            groups.append([cell])
    added = [(_median([c[0] for c in g]), _median([c[1] for c in g])) for g in groups
             if len({c[2] for c in g}) >= max(2, 0.2 * len(rows))]
    if not added:
        return columns
    merged = sorted(columns + added)
    if any(merged[k][1] > merged[k + 1][0] + 2 for k in range(len(merged) - 1)):
        return columns
    return merged


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _slots(row: list[Cell], columns: list[tuple[float, float]]) -> list[int] | None:
    """The column of each cell of a row (the first it reaches well into, else the one it overlaps most,
    else the nearest), left to right, no
    two in one column; None when the row fits no such way."""
    slots: list[int] = []
    for x0, x1, _ in row:
        overlaps = [min(x1, b) - max(x0, a) for a, b in columns]
        # a cell across columns (a head over two) goes in the first it reaches well into
        reached = [k for k, d in enumerate(overlaps) if d > 0.3 * (columns[k][1] - columns[k][0]) and d > 2]
        best = reached[0] if reached else max(range(len(columns)), key=lambda k: overlaps[k])
        if overlaps[best] <= 0:
            best = min(range(len(columns)), key=lambda k: min(abs(x0 - columns[k][1]), abs(x1 - columns[k][0])))
        if slots and best <= slots[-1]:
            return None
        slots.append(best)
    return slots


def _run_together(rows: list[list[Cell]], columns: list[tuple[float, float]]) -> bool:
    """Do cells of the body run across the columns (more than one cell in ten reaching well into a
    second column: the text of neighbouring cells read as one)? Heads may span columns; rows are the
    body's (the first row left out)."""
    cells = [cell for row in rows for cell in row]
    if not cells:
        return False
    spanning = 0
    for x0, x1, _ in cells:
        into = [min(x1, b) - max(x0, a) for a, b in columns]
        spanning += sum(1 for (a, b), d in zip(columns, into) if d > 0.3 * (b - a) and d > 6) >= 2
    return spanning > 0.1 * len(cells)


# ------------------------------------------------------------------ a table that runs on over a page break

def carry_tables_over(lines: list[Line]) -> list[Line]:
    """A table without rules between its rows that fills its page to the foot and goes on at the top of the
    next page with no caption (a data article's key/value "Specifications Table" over two pages): the rows
    atop the next page that stand in the table's columns (in its type, two cells or more to a row; facing
    pages may shift the whole table sideways) join the table's cells, set under its last row. Returns the
    lines left in the flow."""
    moved: set[int] = set()
    by_page: dict[int | None, list[Line]] = {}
    for ln in lines:
        if ln.bbox is not None:
            by_page.setdefault(ln.page, []).append(ln)
    for caption in lines:
        if caption.float_kind != "table" or caption.float_bbox is None or len(caption.float_rules) >= 2 \
                or caption.page is None:
            continue
        cells = [ln for ln in caption.float_lines if ln.bbox is not None]
        if not cells:
            continue
        rows = _rows_atop_next_page(caption, cells, by_page)
        if not rows:
            continue
        taken = [ln for row in rows for ln in row]
        last_bottom = max(ln.bbox[3] for ln in cells)  # type: ignore[index]
        first_top = min(ln.bbox[1] for ln in taken)  # type: ignore[index]
        pitch = _row_pitch(cells)
        dx = min(ln.bbox[0] for ln in cells) - min(ln.bbox[0] for ln in rows[0])  # type: ignore[index]
        dy = last_bottom - first_top + pitch
        shifted = [_shifted(ln, dx, dy) for ln in taken]
        if not table_grid(cells + shifted, caption.float_rules):
            continue  # (the cells no longer read as a table)
        caption.float_lines = caption.float_lines + shifted
        moved.update(id(ln) for ln in taken)
    if not moved:
        return lines
    kept: list[Line] = []
    page_started: set[int | None] = set()
    for ln in lines:
        if id(ln) in moved:
            continue
        if ln.page not in page_started and any(id(o) in moved for o in by_page.get(ln.page, [])):
            ln.new_page = ln.gap_before = True  # the page's text starts under the table's last rows
        page_started.add(ln.page)
        kept.append(ln)
    return kept


def _rows_atop_next_page(caption: Line, cells: list[Line], by_page: dict[int | None, list[Line]]) -> list[list[Line]]:
    """The rows at the top of the page after the caption's that go on with its table (see
    ``carry_tables_over``); [] when the table does not end its page or nothing goes on."""
    x0, _, x1, bottom = caption.float_bbox  # type: ignore[misc]
    size = _median([ln.size for ln in cells])
    # the table ends its page: nothing under it in its type or larger (page-foot notes are smaller)
    if any(ln.bbox[1] > bottom and min(ln.bbox[2], x1) > max(ln.bbox[0], x0) and ln.size >= size - 0.2  # type: ignore[index]
           for ln in by_page.get(caption.page, []) if ln is not caption):
        return []
    lefts = sorted({round(ln.bbox[0]) for ln in cells})  # type: ignore[index]
    below = sorted(by_page.get(caption.page + 1, []), key=lambda ln: ln.bbox[1])  # type: ignore[operator, index]
    rows: list[list[Line]] = []
    for ln in below:
        if rows and abs(ln.bbox[3] - rows[-1][0].bbox[3]) <= 0.5 * size:  # type: ignore[index]
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out: list[list[Line]] = []
    shift: float | None = None
    for row in rows:
        if any(ln.float_kind or ln.float_bbox is not None or abs(ln.size - size) > 0.3 for ln in row):
            break
        if shift is None:
            shift = lefts[0] - min(ln.bbox[0] for ln in row)  # type: ignore[index]
        columns = {_column_at(ln.bbox[0] + shift, lefts) for ln in row}  # type: ignore[index]
        if None in columns or len(columns) < len(row):
            break
        # a row of two cells or more; a lone cell only in a later column (a value wrapped onto a second line)
        if len(row) < 2 and 0 in columns:
            break
        if out and min(ln.bbox[1] for ln in row) - max(ln.bbox[3] for ln in out[-1]) > 1.5 * size:  # type: ignore[index]
            break
        out.append(row)
    return out if any(len(row) >= 2 for row in out) else []


def _column_at(x: float, lefts: list[int]) -> int | None:
    return next((k for k, left in enumerate(lefts) if abs(x - left) <= 2), None)


def _row_pitch(cells: list[Line]) -> float:
    bottoms = sorted({round(ln.bbox[3], 1) for ln in cells})  # type: ignore[index]
    gaps = [b - a for a, b in zip(bottoms, bottoms[1:]) if b - a > 1]
    return min(gaps) - (cells[0].bbox[3] - cells[0].bbox[1]) if gaps else 2.0  # type: ignore[index]


def _shifted(ln: Line, dx: float, dy: float) -> Line:
    x0, y0, x1, y1 = ln.bbox  # type: ignore[misc]
    pieces = [(a + dx, b + dx, t) for a, b, t in ln.pieces]
    return replace(ln, bbox=(x0 + dx, y0 + dy, x1 + dx, y1 + dy), pieces=pieces)


# ------------------------------------------------------------------ a caption's lines inside its table's region

def caption_lines_to_flow(lines: list[Line]) -> list[Line]:
    """A caption wrapped onto lines that the table's region took in (the region starts at the caption's
    first line when no rule parts them: Wiley's "TABLE 1 Outlier analyses ... and" over "stress."): the
    lines right under the caption line, in its type and at its left edge, each alone on its row and on
    the caption's pitch, go back into the flow after it, where they join its paragraph. Returns the
    lines of the flow."""
    back: dict[int, list[Line]] = {}
    for caption in lines:
        if caption.float_kind != "table" or caption.bbox is None or not caption.float_lines \
                or caption.float_bbox is None or caption.float_bbox[1] > caption.bbox[1] + 2:
            continue  # (a rule under the caption starts the region: the lines under it are the table's)
        inner = sorted((ln for ln in caption.float_lines if ln.bbox is not None), key=lambda ln: ln.bbox[1])  # type: ignore[index]
        above = caption.bbox
        taken: list[Line] = []
        for ln in inner:
            box = ln.bbox
            assert box is not None
            alone = not any(o is not ln and o.bbox is not None and abs(o.bbox[3] - box[3]) <= 0.5 * ln.size
                            for o in inner)
            if not (alone and not ln.wide_gaps and abs(ln.size - caption.size) <= 0.3
                    and abs(box[0] - caption.bbox[0]) <= 2 and 0 <= box[1] - above[3] <= 0.6 * ln.size):
                break
            taken.append(ln)
            above = box
        if taken:
            caption.float_lines = [ln for ln in caption.float_lines if not any(ln is t for t in taken)]
            back[id(caption)] = [replace(ln, gap_before=False, new_page=False) for ln in taken]
    if not back:
        return lines
    out: list[Line] = []
    for ln in lines:
        out.append(ln)
        out.extend(back.get(id(ln), []))
    return out


def drop_continuation_cells(lines: list[Line]) -> None:
    """A "(Continued)" set inside a table's region (beside the label of a table's continued part, Wiley's
    "TABLE 2" ... "(Continued)") is no cell of it."""
    for caption in lines:
        if caption.float_kind == "table" and caption.float_lines:
            caption.float_lines = [ln for ln in caption.float_lines if not CONTINUATION_LABEL.match(ln.text.strip())]
