"""Reading order on a PDF page: columns found at their gutters, left before right, inside bands cut by
full-width items (title, abstract, wide captions); a narrow sidebar is read last."""
from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

from reader.ingest.pdf_fragments import Frag, group_rows

_WORD = re.compile(r"[^\W\d_]{3}")  # a word of three letters or more


@dataclass(slots=True)
class Leaf:
    """Fragments read top to bottom as one column stretch; ``column`` names the column they belong to."""

    frags: list[Frag]
    column: str


@dataclass(slots=True)
class _Gutter:
    """A column gutter: its centre ``x`` and the free strip ``lo``..``hi`` between the columns' text."""

    x: float
    lo: float
    hi: float
    reach: float  # how far a line must reach into both columns to span the gutter

    def spanned_by(self, f: Frag) -> bool:
        """True for a line set across the gutter (title, abstract, wide caption), not one that merely
        overflows into it from its own column (a long URL or formula)."""
        if not f.x0 < self.x < f.x1:
            return False
        return self.lo <= f.cx <= self.hi or (f.x0 < self.lo - self.reach and f.x1 > self.hi + self.reach)


Box = tuple[float, float, float, float]


def order_page(frags: list[Frag], column: str = "", depth: int = 0, whole: bool = True,
               boxes: list[Box] | tuple[Box, ...] = (), front: bool = False) -> list[Leaf]:
    """Fragments in reading order, as leaves: columns left to right inside bands cut by full-width items.

    ``whole``: ``frags`` are a whole page (not a slab of one), so a page that shows no gutter may be cut
    into slabs. ``boxes``: the page's shaded boxes (layout frame), each read as a unit (``_box_bands``).
    ``front``: the page opens the article (its byline may run across the gutter: ``_front_rows``)."""
    if depth == 0 and whole and boxes and (bands := _box_bands(frags, boxes)):
        # a box and what stands beside it are read as a column's stretch is (a gutter inside needs a strip
        # wider than a justified line's word spaces)
        # (each part a column of its own: lines are measured against their column's edges and pitch)
        return [leaf for band, box in bands
                for part, name in (_box_parts(band, box, column) if box else [(band, column)])
                for leaf in (order_page(part, name, depth=1) if box else order_page(part, name, front=front))]
    gutter = _find_gutter(frags, nested=depth > 0, slab=not whole and depth == 0) if depth < 6 and len(frags) >= 6 else None
    if gutter is None and depth == 0 and len(frags) >= 6:
        gutter = _body_gutter(frags)
    if depth == 0 and whole and len(frags) >= 6 and (groups := _slab_groups(frags, gutter)):
        return [leaf for group in groups for leaf in order_page(group, column, 0, whole=False, front=front)]
    if gutter is None:
        return _panel_leaves(frags, column)
    x = gutter.x
    names = (f"{column}/L{x:.0f}", f"{column}/R{x:.0f}")
    sidebar_first = depth == 0 and _is_sidebar(frags, gutter)
    cut = _cut_lines(frags, gutter) if sidebar_first else set()
    if depth == 0 and front:
        cut |= _front_rows(frags, gutter)
    out: list[Leaf] = []
    for run, spanning in _bands(frags, gutter, cut, beside=depth == 0 and front):
        left = [f for f in run if f.cx < x]
        right = [f for f in run if f.cx >= x]
        if left and right and len(group_rows(run)) == 1:
            out.append(Leaf(run, column))  # one printed row (author names under a title), not two columns
        else:
            sides = [(left, names[0]), (right, names[1])]
            if sidebar_first or _one_row_above(right, left):
                sides.reverse()
            for part, name in sides:
                if part:
                    out.extend(order_page(part, name, depth + 1))
        if spanning:
            out.extend(order_page(spanning, column, depth + 1))
    return out


def _box_bands(frags: list[Frag], boxes: list[Box] | tuple[Box, ...]) -> list[tuple[list[Frag], Box | None]] | None:
    """The page cut into bands at the top and bottom of its wide shaded boxes, each with its box (None for
    the bands between them), or None.

    For a box of text set across the page's columns (an abstract box, a key-points or significance
    panel, an author summary): its own two columns may share the gutter of the body's columns below it,
    and read by that gutter the box's right half would come after the body's left column. The box is
    read as a band of its own, before what is below it. A box counts when it is at least half as wide as
    the page's text, holds two rows or more wholly inside it, and no line crosses its top or bottom edge;
    what stands beside it, level with it, must be set apart from the text above and below (a side panel
    of dates or keywords, read with the box; not a column running on past a box inside the other column,
    which is read with its column)."""
    if len(frags) < 6:
        return None
    x_min, x_max = min(f.x0 for f in frags), max(f.x1 for f in frags)
    taken: list[Box] = []
    for box in sorted(boxes, key=lambda b: (b[1], -(b[2] - b[0]))):
        x0, y0, x1, y1 = box
        if x1 - x0 < 0.5 * (x_max - x_min) or any(_holds(t, box) or t[1] < y1 and y0 < t[3] for t in taken):
            continue
        inside = [f for f in frags if _holds(box, (f.x0, f.top, f.x1, f.base))]
        if len({round(f.base) for f in inside}) < 2:
            continue
        if any(f.top < edge < f.base for f in frags for edge in (y0, y1)) or not _set_apart(frags, box, inside):
            continue
        taken.append(box)
    if not taken:
        return None
    taken.sort(key=lambda b: b[1])
    cuts = [y for box in taken for y in (box[1], box[3])]
    bands: list[list[Frag]] = [[] for _ in range(len(cuts) + 1)]
    for f in frags:
        bands[bisect_right(cuts, f.cy)].append(f)
    return [(band, taken[i // 2] if i % 2 else None) for i, band in enumerate(bands) if band]


def _box_parts(band: list[Frag], box: Box, column: str) -> list[tuple[list[Frag], str]]:
    """A box's band in reading order, each part with its column's name: what stands left of the box, the
    box, what stands right of it."""
    left = [f for f in band if f.x1 <= box[0] + 1]
    right = [f for f in band if f.x0 >= box[2] - 1]
    sides = {id(f) for f in left + right}
    inside = [f for f in band if id(f) not in sides]
    name = f"{column}/box{box[1]:.0f}"
    return [(part, f"{name}{suffix}") for part, suffix in ((left, "L"), (inside, ""), (right, "R")) if part]


def _set_apart(frags: list[Frag], box: Box, inside: list[Frag]) -> bool:
    """What stands beside the box, level with it, is set apart from the text above and below it (a side
    panel of its own), not a column running on past the box at its line pitch."""
    ids = {id(f) for f in inside}
    level = [f for f in frags if id(f) not in ids and f.base > box[1] and f.top < box[3]]
    level_ids = {id(f) for f in level}
    return not any(id(g) not in level_ids and id(g) not in ids and g.x0 < f.x1 and f.x0 < g.x1
                   and (0 <= f.top - g.base < 1.5 * f.size or 0 <= g.top - f.base < 1.5 * f.size)
                   for f in level for g in frags)


def _holds(outer: Box, inner: Box) -> bool:
    return outer[0] - 1 <= inner[0] and outer[1] - 1 <= inner[1] and inner[2] <= outer[2] + 1 and inner[3] <= outer[3] + 1


def _panel_leaves(frags: list[Frag], column: str) -> list[Leaf]:
    """A stretch read as one column, with a side panel beside it taken out and read after it.

    For a first page's front matter: a panel in much smaller type (a journal's volume, copyright and
    permissions lines beside the title; the received/accepted dates beside the byline) stands on the same
    baselines as the title, byline or abstract, too few lines to show a gutter; joined into their rows, its
    words would land inside the title. See ``_side_panel``."""
    panel = _side_panel(frags)
    if not panel:
        return [Leaf(frags, column)]
    return [Leaf([f for f in frags if id(f) not in panel], column),
            Leaf([f for f in frags if id(f) in panel], f"{column}/panel")]


def _side_panel(frags: list[Frag]) -> set[int]:
    """The fragments (ids) of a side panel among the fragments of one stretch, or an empty set.

    A panel's line shares a printed row with a main line, in clearly smaller type (7% or more), at
    least two ems of the main type apart (a gutter, not a word space or a superscript); the panel's
    lines line up at one edge (left, or right when set flush right) over two rows or more, and stay
    wholly on their side of that gap."""
    if len(frags) < 3:
        return set()
    for row in group_rows(frags):
        for i, (a, b) in enumerate(zip(row, row[1:])):
            gap = b.x0 - a.x1
            for main, side, side_is_right, mains in ((a, b, True, row[:i + 1]), (b, a, False, row[i + 1:])):
                if side.size > 0.93 * main.size or gap < 2 * main.size:
                    continue
                # the main side is a line of text (a title's, a byline's), not a figure's label or a cell
                if max(f.x1 for f in mains) - min(f.x0 for f in mains) < 15 * main.size:
                    continue
                panel = _panel_lines(frags, side, side_is_right, a.x1 + 0.5 * gap)
                if panel:
                    return panel
    return set()


def _panel_lines(frags: list[Frag], seed: Frag, right: bool, split: float) -> set[int]:
    """The lines in the seed's type on its side of ``split`` that share its left (or right) edge, when
    there are two or more on different rows and no other line stands on that side between them."""
    beside = [f for f in frags if (f.x0 >= split if right else f.x1 <= split)]
    for edge in ((lambda f: f.x0), (lambda f: f.x1)):
        lines = [f for f in beside if abs(f.size - seed.size) < 0.3 and abs(edge(f) - edge(seed)) <= 2]
        # (words, not a plot's tick values or a table's numbers)
        if len({round(f.base) for f in lines}) < 2 or not all(_WORD.search(f.text) for f in lines):
            continue
        # nothing else stands on the panel's side level with it (a figure's labels scattered beside the text)
        top, bottom = min(f.top for f in lines), max(f.base for f in lines)
        ids = {id(f) for f in lines}
        if not any(id(f) not in ids and f.base > top and f.top < bottom for f in beside):
            return ids
    return set()


def _one_row_above(upper: list[Frag], lower: list[Frag]) -> bool:
    """The right side of a band is one printed row standing above all of the left side (a running head
    over the right column, above the title beside it): read it first, as the page shows it."""
    return (bool(upper) and bool(lower) and max(f.base for f in upper) < min(f.top for f in lower)
            and len(group_rows(upper)) == 1)


def _body_gutter(frags: list[Frag]) -> _Gutter | None:
    """The page's gutter found among the lines in its main type alone: a table's cells and a figure's
    labels across the gutter (a float above or below two short columns) fill the valley that the running
    text leaves between its columns."""
    chars: Counter[int] = Counter()
    for f in frags:
        chars[round(f.size)] += len(f.text)
    main = chars.most_common(1)[0][0]
    body = [f for f in frags if round(f.size) == main]
    if len(body) == len(frags) or len(body) < 6:
        return None
    return _find_gutter(body)


def _slabs(frags: list[Frag]) -> list[list[Frag]]:
    """The page cut at the white bands that run across all of it, top to bottom.

    For a page whose gutter no search over the whole page shows: on a first page, front matter set
    across part of the page (an abstract over the right two-thirds beside a column of dates, an abstract
    panel beside a side panel of keywords) fills the gutter of the two columns below it; cut apart at the
    white between them, each slab shows its own columns. A white band counts when it is at least two
    lines of the page's usual type deep (a paragraph's or a heading's gap is less)."""
    size = statistics.median(f.size for f in frags)
    slabs: list[list[Frag]] = []
    bottom = None
    for f in sorted(frags, key=lambda f: f.top):
        if bottom is None or f.top - bottom >= 2 * size:
            slabs.append([])
            bottom = f.base
        slabs[-1].append(f)
        bottom = max(bottom, f.base)
    return slabs


def _slab_groups(frags: list[Frag], gutter: _Gutter | None) -> list[list[Frag]] | None:
    """The page's slabs to read one after the other, or None to read the page whole.

    Read by slabs when a slab shows columns of text and the page as a whole shows no gutter (front
    matter across part of a first page fills it) or another one (a full-width table above the columns:
    a gutter between the table's columns wins over the one between the text's). A gutter that every
    slab with columns agrees with stays the page's. Slabs that share their gutter are read as one (both
    columns may leave a white band at the same height, a heading in each), and so is a slab beside
    them that keeps off it (one column's heading alone)."""
    slabs = _slabs(frags)
    if len(slabs) < 2:
        return None
    size = statistics.median(f.size for f in frags)
    gutters = [_text_columns(slab) for slab in slabs]
    set_under = {k for k in range(1, len(slabs))
                 if gutters[k] is not None and gutters[k - 1] is not None and _set_under(slabs[k - 1], slabs[k])}
    if not any(g is not None and (gutter is None or abs(g.x - gutter.x) > 2 * size) for g in gutters):
        if not set_under:
            return None
        # one gutter down the page: the body and the list under it, each read whole
        parts: list[list[Frag]] = []
        for k, slab in enumerate(slabs):
            if k == 0 or k in set_under:
                parts.append([])
            parts[-1].extend(slab)
        return parts
    groups: list[tuple[list[Frag], _Gutter | None]] = []
    for k, (slab, own) in enumerate(zip(slabs, gutters)):
        last = groups[-1][1] if groups else None
        if last is not None and k not in set_under and (abs(own.x - last.x) <= 2 * size if own is not None
                                                        else not any(f.x0 < last.x < f.x1 for f in slab)):
            groups[-1][0].extend(slab)
        else:
            groups.append((list(slab), own))
    return [group for group, _ in groups]


def _set_under(upper: list[Frag], lower: list[Frag]) -> bool:
    """Two columns of smaller type set under two columns of text, across a white band: the reference list
    or the notes after the body's end (revtex's Physical Review and AIP pages, and many physics and
    chemistry journals, print the list under a rule below the last paragraph, in two columns of its own).
    Read as one with the body, the list's left column would come before the body's right column."""
    return _main_size(lower) < 0.92 * _main_size(upper)


def _main_size(frags: list[Frag]) -> float:
    """The type size most of the fragments' characters are set in."""
    chars: Counter[float] = Counter()
    for f in frags:
        chars[round(f.size, 1)] += len(f.text)
    return chars.most_common(1)[0][0]


def _text_columns(frags: list[Frag]) -> _Gutter | None:
    """The gutter of a slab set in columns of text: lines of at least six ems on both sides (a table's
    cells or a figure's labels do not make the page worth reading by slabs)."""
    if len(frags) < 6:
        return None
    x_min = min(f.x0 for f in frags)
    width = max(f.x1 for f in frags) - x_min
    # (most slabs are a single column's lines, or a figure's labels: too few lines of a column's width to
    # be worth the search)
    if sum(1 for f in frags if 6 * f.size <= f.x1 - f.x0 < 0.65 * width) < 4:
        return None
    gutter = _find_gutter(frags, slab=True)
    if gutter is None:
        return None
    sides = ([f for f in frags if f.cx < gutter.x and not gutter.spanned_by(f)],
             [f for f in frags if f.cx >= gutter.x and not gutter.spanned_by(f)])
    if all(side and statistics.median(f.x1 - f.x0 for f in side) >= 6 * statistics.median(f.size for f in side)
           for side in sides):
        return gutter
    return None


def _bands(frags: list[Frag], gutter: _Gutter, cut: set[int], beside: bool = False) -> list[tuple[list[Frag], list[Frag]]]:
    """Top to bottom: (the column stretch, the spanning lines below it) pairs; ``cut``: the fragments (ids)
    of lines the gutter cuts in two, which span it too.

    A fragment on the same row as a spanning line goes with it ("Table 1" left of its wide caption); with
    ``beside`` (a first page), so does one inside or beside a block of spanning lines (``_in_block``).
    """
    crossing = sorted((f for f in frags if gutter.spanned_by(f) or id(f) in cut), key=lambda f: f.cy)
    cross_ids = {id(f) for f in crossing}
    cuts = [f.cy for f in crossing]
    runs: list[list[Frag]] = [[] for _ in range(len(crossing) + 1)]
    spanning: list[list[Frag]] = [[f] for f in crossing] + [[]]
    for f in frags:
        if id(f) in cross_ids:
            continue
        k = bisect_right(cuts, f.cy)
        for j in (k - 1, k):
            if 0 <= j < len(crossing) and abs(crossing[j].base - f.base) < 0.5 * min(crossing[j].size, f.size):
                spanning[j].append(f)
                break
        else:
            if beside and 0 < k < len(crossing) and _in_block(f, crossing[k - 1], crossing[k]):
                spanning[k - 1].append(f)
                continue
            runs[k].append(f)
    # consecutive spanning lines with no column text between them form one band
    bands: list[tuple[list[Frag], list[Frag]]] = []
    for run, span in zip(runs, spanning):
        if bands and not run:
            bands[-1][1].extend(span)
        else:
            bands.append((run, list(span)))
    return bands


def _in_block(f: Frag, above: Frag, below: Frag) -> bool:
    """The fragment belongs with the block of gutter-spanning lines it stands in, between two of its lines
    (under three lines of their type apart): a line of a panel beside the block, more than an em clear of
    both lines on one side (the article-information panel left of an abstract set across the page's
    gutter), or a paragraph's short last line inside it, at its left edge and its pitch. Read as column
    text, each would cut the block into bands, and the panel's lines would come one between each pair of
    the abstract's lines."""
    if below.top - above.base > 3 * max(above.size, below.size):
        return False
    if f.x1 < min(above.x0, below.x0) - f.size or f.x0 > max(above.x1, below.x1) + f.size:
        return True
    return (abs(f.x0 - above.x0) <= 2 and f.top - above.base < 1.5 * f.size
            and below.top - f.base < 1.5 * f.size)


def _cut_lines(frags: list[Frag], gutter: _Gutter) -> set[int]:
    """The fragments (ids) of printed lines that a sidebar's gutter cuts in two: a line that runs from the
    sidebar's width on into the main column (MDPI sets a long byline so, over its sidebar of dates and
    editors; a table's cells beside each other, in a page without a sidebar, are not looked at).
    A fragment left of the gutter and one right of it on one baseline, in one type, less than 1.5 ems
    apart, where the right one starts clearly left of the right column's edge (where three or more of
    its lines start): no line of a column starts there."""
    x = gutter.x
    right = [f for f in frags if f.cx >= x and not gutter.spanned_by(f)]
    starts = sorted(f.x0 for f in right)
    edge = next((a for a, b in zip(starts, starts[2:]) if b - a <= 2), None)
    if edge is None:
        return set()
    cut: set[int] = set()
    for b in right:
        if b.x0 >= edge - 0.5 * b.size:
            continue
        for a in frags:
            if (a.cx < x and not gutter.spanned_by(a) and abs(a.base - b.base) < 0.3 * b.size
                    and abs(a.size - b.size) < 0.5 and a.spans[-1].bold == b.spans[0].bold
                    and 0 < b.x0 - a.x1 < 1.5 * b.size):
                cut.update((id(a), id(b)))
    return cut


def _front_rows(frags: list[Frag], gutter: _Gutter) -> set[int]:
    """The fragments (ids) of front-matter rows that run across the page's gutter, read as lines across it.

    For a byline set over the page's width above where its columns start (names parted by "|" or commas,
    in rows): the gutter of the columns below cuts such a row where a name or a separator happens to
    stand, and the names come out column by column. A row counts when it stands above the first line of
    each column's main type, its fragments on both sides of the gutter are in one type, and those that
    face each other across the gutter stand less than three ems of it apart (a grid of names in two
    columns, read column by column, leaves a wider gap). The row under it in its type, at its pitch, on
    one side only (the byline's last names) goes with it."""
    x = gutter.x
    side = [f for f in frags if not gutter.spanned_by(f)]
    left = [f for f in side if f.cx < x]
    right = [f for f in side if f.cx >= x]
    if not left or not right:
        return set()
    columns_top = min(_main_type_top(left), _main_type_top(right))
    out: set[int] = set()
    last: Frag | None = None
    for row in group_rows([f for f in side if f.base < columns_top]):
        lefts = [f for f in row if f.cx < x]
        rights = [f for f in row if f.cx >= x]
        a = max(lefts, key=lambda f: f.x1, default=None)
        b = min(rights, key=lambda f: f.x0, default=None)
        if a is not None and b is not None and _one_type(row) and b.x0 - a.x1 < 3 * a.size:
            out.update(id(f) for f in row)
            last = row[0]
        elif (last is not None and _one_type(row + [last]) and row[0].top - last.base < 1.2 * last.size):
            out.update(id(f) for f in row)
            last = None
        else:
            last = None
    return out


def _main_type_top(frags: list[Frag]) -> float:
    """The top of the highest line in the most used type size of these fragments (by characters)."""
    chars: Counter[float] = Counter()
    for f in frags:
        chars[round(f.size, 1)] += len(f.text)
    main = chars.most_common(1)[0][0]
    return min(f.top for f in frags if round(f.size, 1) == main)


def _one_type(row: list[Frag]) -> bool:
    """The fragments share one type: sizes within 0.3 pt, all bold or none."""
    sizes = [f.size for f in row]
    return max(sizes) - min(sizes) <= 0.3 and len({f.spans[0].bold for f in row}) == 1


def _is_sidebar(frags: list[Frag], gutter: _Gutter) -> bool:
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


def _find_gutter(frags: list[Frag], nested: bool = False, slab: bool = False) -> _Gutter | None:
    """The best column gutter among the fragments, or None.

    Candidates are valleys in the x-coverage of the narrower fragments; a candidate counts only if, between
    the fragments that span it, there are stretches with lines on both sides that keep off it. In a slab
    of a page (``slab``) showing none, the valleys of all fragments' coverage are candidates: an abstract
    panel, wide beside a narrow side panel, leaves its gutter where only the narrow lines would not show it.
    """
    x_min = min(f.x0 for f in frags)
    width = max(f.x1 for f in frags) - x_min
    if width < 120:
        return None
    by_height = sorted(frags, key=lambda f: f.cy)
    # Justified text leaves word spaces of about one em, at places that can line up by chance. A gutter
    # inside a column is wider than that and has a column with a left edge to its right; a page's own
    # gutter may be narrow, but with few lines on each side (a short last page) it needs that edge too.
    min_strip = 1.5 * statistics.median(f.size for f in frags) if nested else 0.0
    best = _best_gutter(frags, by_height, _gutter_candidates(frags, x_min, width), width, nested, min_strip)
    if best is None and slab:
        best = _best_gutter(frags, by_height, _gutter_candidates(frags, x_min, width, wide=True), width, nested,
                            min_strip)
    return best


def _best_gutter(frags: list[Frag], by_height: list[Frag], candidates: list[float], width: float, nested: bool,
                 min_strip: float) -> _Gutter | None:
    """The candidate that separates the most lines into columns (see ``_find_gutter``), or None."""
    best: tuple[int, _Gutter] | None = None
    for x in candidates:
        gutter = _Gutter(x, max((f.x1 for f in frags if f.x1 <= x), default=x),
                         min((f.x0 for f in frags if f.x0 >= x), default=x), 0.08 * width)
        if gutter.hi - gutter.lo < min_strip and not _text_gutter(frags, gutter):
            continue
        score = _gutter_score(by_height, gutter)
        if score and (nested or score < 40) and not (
                _left_aligned([f for f in frags if f.x0 >= x and not gutter.spanned_by(f)])
                or _justified_to(gutter, [f for f in frags if f.x1 <= x and not gutter.spanned_by(f)])):
            continue
        if score and (best is None or _better(score, gutter, *best)):
            best = (score, gutter)
    return best[1] if best else None


def _text_gutter(frags: list[Frag], gutter: _Gutter) -> bool:
    """Two columns of running text beside each other, parted by a gutter of about an em (a page's two
    columns beside its sidebar): eight lines or more on each side, most of the left ones ending where
    the strip starts (justified), most of the right ones starting where it ends. Word spaces that line
    up by chance in one column do not end and start lines so."""
    left = [f for f in frags if f.x1 <= gutter.x]
    right = [f for f in frags if f.x0 >= gutter.x]
    if len(left) < 8 or len(right) < 8:
        return False
    return (sum(f.x1 >= gutter.lo - 3 for f in left) >= 0.6 * len(left)
            and sum(f.x0 <= gutter.hi + 3 for f in right) >= 0.6 * len(right))


def _better(score: int, gutter: _Gutter, best_score: int, best: _Gutter) -> bool:
    """More lines separated; at nearly the same count, the wider free strip (the page's gutter, not the
    gap between a column's entry numbers and its text, which a line across the gutter makes score higher)."""
    if score >= 1.1 * best_score or best_score >= 1.1 * score:
        return score > best_score
    return gutter.hi - gutter.lo > 1.5 * (best.hi - best.lo)


def _gutter_candidates(frags: list[Frag], x_min: float, width: float, wide: bool = False) -> list[float]:
    """Centres of the (at most five) deepest valleys in how many fragments cover each x (2-pt bins).

    Full-width lines are left out of the count: on a page opening with a title and an abstract they would
    fill the gutter (``wide``: they are counted). A valley must be local, away from the edges, and at most about half the coverage
    found on either side of it.
    """
    n_bins = int(width // 2) + 1
    diff = [0] * (n_bins + 1)
    for f in frags:
        if wide or f.x1 - f.x0 < 0.65 * width:
            diff[int((f.x0 - x_min) // 2)] += 1
            diff[int((f.x1 - x_min) // 2) + 1] -= 1
    cover = list(accumulate(diff[:n_bins]))  # (running sums and maxima in C: a page is cut hundreds of times)
    peak_before = list(accumulate(cover, max))
    peak_after = list(accumulate(reversed(cover), max))[::-1]
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


def _gutter_score(frags: list[Frag], gutter: _Gutter) -> int:
    """How many fragments the gutter separates into columns (0: it is not a gutter).

    ``frags`` must be sorted top to bottom (by ``cy``). Lines that span the gutter cut the page into
    stretches; a stretch counts when it has three lines on each side, or two if the right ones start at
    one left edge (a short last column; justified lines that pymupdf split at a wide space do not), and
    is not a column of bullets or numbers. A column of a single line is not told from a row of names.
    """
    x = gutter.x
    score = 0
    run: list[Frag] = []
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


def _left_aligned(frags: list[Frag]) -> bool:
    """Most of the fragments start at one x: a column's left edge, not words of justified lines that
    happen to leave a gap at about the same place."""
    if len(frags) < 2:
        return False
    xs = [round(f.x0 / 3) for f in frags]
    return Counter(xs).most_common(1)[0][1] >= 0.6 * len(frags)


def _justified_to(gutter: _Gutter, frags: list[Frag]) -> bool:
    """The lines left of the gutter are a justified column of text that ends at it: most of them end
    where the free strip starts, and they are lines of running text (ten ems wide or more, not a table's
    cells). A short last page of references, whose right column's entries hang their second lines, has
    no single left edge right of its gutter but has this one left of it."""
    if len(frags) < 4:
        return False
    if statistics.median(f.x1 - f.x0 for f in frags) < 10 * statistics.median(f.size for f in frags):
        return False
    return sum(f.x1 >= gutter.lo - 3 for f in frags) >= 0.6 * len(frags)


def _aligned(frags: list[Frag]) -> bool:
    """At least two of the fragments start at the same x: a column's left edge."""
    xs = sorted(f.x0 for f in frags)
    return any(b - a <= 2 for a, b in zip(xs, xs[1:]))
