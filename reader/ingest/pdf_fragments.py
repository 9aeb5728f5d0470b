"""PDF text as positioned fragments: what pymupdf reports, one fragment per text line, and rows of them.

Used by ``pdf_columns`` (reading order) and ``pdf_lines`` (lines and their signals).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pymupdf

from reader.ingest.pdf_floats import FIGURE, TABLE
from reader.ingest.pdf_glyphs import (CONTROL, by_code, glyph_name_table, needs_glyph_names, overstruck_plus_minus,
                                      unknown_glyph)
from reader.normalize import normalize_characters

# Keep whitespace as printed and clip to the page; no ligature preservation (MuPDF then expands them),
# no images (faster), no CID-for-unknown (that gives garbage letters instead of U+FFFD).
# Vector graphics come in the same pass (blocks of type 3, nearly free): they place figures and tables; a
# separate graphics pass costs as much again on a page of dense plots. Images are asked for apart, and only
# on pages with a caption (keeping them in this pass copies every image's bytes).
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_COLLECT_VECTORS
_IMAGE_BLOCK, _VECTOR_BLOCK = 1, 3
# What MuPDF's passes cost, measured on real pages (CPU): reading the page's content streams about 100 ns per
# compressed byte; an image kept in the text pass about 40 ns per pixel when its bytes must be re-encoded as
# PNG (anything but JPEG) or it has a soft mask, about 100 ns per pixel for a CMYK JPEG (re-encoded as JPEG),
# next to nothing for another JPEG (its bytes are handed over).
_NS_PER_CONTENT_BYTE, _NS_PER_PIXEL, _NS_PER_CMYK_JPEG_PIXEL = 100, 40, 100
_PASSTHROUGH_FILTERS = {"DCTDecode", "JPXDecode"}
_HEAVY_CONTENT = 100_000  # bytes: below this a pass of its own costs a few milliseconds, whatever is saved
_SUPERSCRIPT_FLAG = 1  # pymupdf span flag bit
_BOLD_FLAG = 16

MULTISPACE = re.compile(r" {2,}")
_MINUS = {"−", "-", "–", "_"}
# Bold weights in font names: "Helvetica-Bold", "Minion-Black", TeX's CMBX, "NimbusRomNo9L-Medi", "AdvXYZ.B"
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|cmbx|sfbx|lmbx|-medi(um)?(ital)?$|[.\-,+_]b$|-bd$",
                        re.IGNORECASE)


def normalise_text(text: str) -> str:
    """Ligatures -> letters, odd and zero-width spaces -> plain/none, soft hyphens dropped; the rest as is.
    Glyphs without a Unicode meaning (private-use characters) stay: the whole paper's words tell what they
    are (``pdf_ligatures``), and the rest are left out then."""
    if text.isascii() and text.isprintable():
        return text  # (the common case: nothing to change)
    return normalize_characters(text).replace("\t", " ").replace("\n", " ").replace("\r", " ")


@dataclass(slots=True)
class Span:
    text: str  # as printed, normalised (``normalise_text``)
    size: float
    bold: bool
    sup_flag: bool
    base: float  # baseline y in the layout frame
    chars: int  # non-space characters
    soft_hyphen_end: bool = False  # ends with a soft hyphen (a word broken at the line end)
    size1: float = 0.0  # the size rounded to a tenth of a point, as lines compare sizes


@dataclass(slots=True)
class Frag:
    """One pymupdf line: the smallest unit of layout analysis."""

    spans: list[Span]
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
def is_bold(font: str, flags: int) -> bool:
    """pymupdf's bold flag, or a bold weight in the font's name (many embedded fonts set no flag)."""
    return bool(flags & _BOLD_FLAG) or bool(_BOLD_NAME.search(font))


# The layout frame of a page whose text runs sideways (a landscape table on a page turned by /Rotate, or
# set rotated): (dx, dy, off_x, off_y), the text's direction and the shift that makes it read left to right,
# top to bottom. Fragments carry both boxes; graphics and line boxes are in page coordinates, and a float
# on such a page is found in the frame (a table's rules run across its rows there).
Frame = tuple[int, int, float, float]
UPRIGHT: Frame = (1, 0, 0.0, 0.0)


def box_to_frame(box: tuple[float, float, float, float], frame: Frame) -> tuple[float, float, float, float]:
    """A box in page coordinates, in the layout frame (a quarter turn or a half turn of it)."""
    dx, dy, off_x, off_y = frame
    x0, y0, x1, y1 = box
    ax, ay = x0 * dx + y0 * dy + off_x, -x0 * dy + y0 * dx + off_y
    bx, by = x1 * dx + y1 * dy + off_x, -x1 * dy + y1 * dx + off_y
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def box_from_frame(box: tuple[float, float, float, float], frame: Frame) -> tuple[float, float, float, float]:
    """A box in the layout frame, back in page coordinates (the turn undone)."""
    dx, dy, off_x, off_y = frame
    u0, v0, u1, v1 = box[0] - off_x, box[1] - off_y, box[2] - off_x, box[3] - off_y
    ax, ay = u0 * dx - v0 * dy, u0 * dy + v0 * dx
    bx, by = u1 * dx - v1 * dy, u1 * dy + v1 * dx
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


@dataclass(slots=True)
class PageContent:
    """A page's text fragments in a left-to-right frame, the frame's height, and the boxes of its images
    and vector graphics (PDF page coordinates). Graphics only place figures and tables, so they are kept
    only on a page with a line starting like a caption (``has_caption``): a page of plots without one
    would cost thousands of boxes for nothing."""

    frags: list[Frag]
    height: float
    graphics: list[tuple[float, float, float, float]]
    has_caption: bool = False
    # graphics that touch the page's edge (bled off it): a publisher's side tab, banner or colour bar when
    # the same box comes back on other pages (``page_furniture``)
    edge: list[tuple[float, float, float, float]] = field(default_factory=list)
    frame: Frame = UPRIGHT  # how page coordinates turn into the layout frame (``box_to_frame``)


def page_content(page: pymupdf.Page, images: bool = False) -> PageContent:
    """Fragments and graphics of a page from one text-extraction pass; with ``images``, the pass also
    places the page's images (their boxes come with the graphics; see ``images_in_text_pass``)."""
    flags = _TEXT_FLAGS | pymupdf.TEXT_PRESERVE_IMAGES if images else _TEXT_FLAGS
    text_blocks, graphics = [], []
    for b in page.get_text("dict", flags=flags)["blocks"]:  # one loop: a page of plots has thousands
        if b["type"] == 0:
            text_blocks.append(b)
        else:  # an image or a vector path
            graphics.append(b["bbox"])
    frags, height, frame = _fragments(page, text_blocks)
    x0, y0, x1, y1 = page.rect
    edge = [b for b in graphics if b[0] <= x0 + 1 or b[1] <= y0 + 1 or b[2] >= x1 - 1 or b[3] >= y1 - 1]
    if not any(FIGURE.match(f.text) or TABLE.match(f.text) for f in frags):
        return PageContent(frags, height, [], edge=edge, frame=frame)
    return PageContent(frags, height, _usable(page, graphics), True, edge, frame)  # type: ignore[arg-type]


def page_furniture(edges: list[list[tuple[float, float, float, float]]]) -> set[tuple[int, int, int, int]]:
    """The boxes (rounded) of edge graphics printed at the same place on three pages or more: the
    journal's page decoration (a side tab with the page number, a banner), never part of a figure."""
    counts = Counter(box for boxes in edges for box in {rounded(b) for b in boxes})
    return {box for box, n in counts.items() if n >= 3}


def rounded(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    return round(box[0]), round(box[1]), round(box[2]), round(box[3])


def images_in_text_pass(page: pymupdf.Page) -> bool:
    """Is it cheaper to place the page's images in its text pass than in a pass of their own?

    A pass of their own reads the page's content again, which on a page of dense vector plots (megabytes
    of paths) costs as much as the text pass; placing them in the text pass costs little unless the images
    must be re-encoded (MuPDF hands each image's bytes over). Decided from the stream sizes and the image
    list, before either pass; a pass of their own is needed only on pages with a caption, about every
    other page that has images.
    """
    images = page.get_images()
    if not images:
        return False
    doc = page.parent
    streams = page.get_contents() + [x[0] for x in page.get_xobjects()]
    content = sum(len(doc.xref_stream_raw(xref) or b"") for xref in streams)
    if content < _HEAVY_CONTENT:
        return False
    cost = 0
    for _, smask, width, height, _, colorspace, _, _, flt, *_ in images:
        if flt not in _PASSTHROUGH_FILTERS or smask:
            cost += width * height * _NS_PER_PIXEL
        if flt == "DCTDecode" and colorspace == "DeviceCMYK":
            cost += width * height * _NS_PER_CMYK_JPEG_PIXEL
    return content * _NS_PER_CONTENT_BYTE > 2 * cost


def page_images(page: pymupdf.Page) -> list[tuple[float, float, float, float]]:
    """The boxes of the page's images (a MuPDF pass of their own)."""
    return _usable(page, [tuple(info["bbox"]) for info in page.get_image_info()])  # type: ignore[misc]


def _usable(page: pymupdf.Page, boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Graphics boxes without page-sized backgrounds and frames, dots, and the decoration of the page's
    head and foot (a publisher's banner or rule there is no part of a figure). A table's closing rule may
    reach into the foot band: a rule there as wide as a rule of the page's body is kept."""
    # in the page's own coordinates, which /Rotate does not turn (page.rect is the page as displayed)
    rect = page.rect * page.derotation_matrix if page.rotation else page.rect
    area = rect.width * rect.height
    top, bottom = rect.y0 + 0.07 * rect.height, rect.y1 - 0.07 * rect.height
    boxes = [(x0, y0, x1, y1) for x0, y0, x1, y1 in boxes
             if (x1 - x0) * (y1 - y0) <= 0.8 * area and (x1 - x0 >= 0.5 or y1 - y0 >= 0.5)]
    inner = [b for b in boxes if b[3] > top and b[1] < bottom]
    widths = {(round(b[0]), round(b[2])) for b in inner if b[3] - b[1] <= 4 and b[2] - b[0] >= 40}
    return inner + [b for b in boxes if not (b[3] > top and b[1] < bottom) and b[3] - b[1] <= 4
                    and (round(b[0]), round(b[2])) in widths]


def page_fragments(page: pymupdf.Page) -> tuple[list[Frag], float]:
    """The page's text lines that run in its main direction, as fragments in a left-to-right frame.

    Returns them with the frame's height (the page height, or its width when the text runs vertically,
    as on a landscape table set sideways).
    """
    content = page_content(page)
    return content.frags, content.height


def _fragments(page: pymupdf.Page, blocks: list[dict]) -> tuple[list[Frag], float, Frame]:  # type: ignore[type-arg]
    # The main direction by character count; text at other angles is margin decoration.
    directions = {line["dir"] for block in blocks for line in block.get("lines", ())}
    width, height = page.cropbox.width, page.cropbox.height  # text coordinates ignore /Rotate
    if not directions:
        return [], height, UPRIGHT
    if len(directions) == 1:  # (nearly every page: all its text runs one way)
        dx, dy = (round(c) for c in directions.pop())
    else:
        weights: Counter[tuple[int, int]] = Counter()
        for block in blocks:
            for line in block.get("lines", ()):
                d = (round(line["dir"][0]), round(line["dir"][1]))
                weights[d] += sum(len(s["text"]) for s in line["spans"])
        dx, dy = weights.most_common(1)[0][0]
    if (dx, dy) == (0, 0):
        dx, dy = 1, 0
    # Rotate (and shift) so that the main direction reads left to right, top to bottom (identity normally).
    off_x = height if dy < 0 else width if dx < 0 else 0.0
    off_y = width if dy > 0 else height if dx < 0 else 0.0

    def to_frame(x: float, y: float) -> tuple[float, float]:
        return x * dx + y * dy + off_x, -x * dy + y * dx + off_y

    upright = (dx, dy) == (1, 0)  # the frame is the page's own (nearly always)
    fonts: dict[tuple[str, int], tuple[bool, bool, bool]] = {}  # (font, flags) -> bold, wrong Unicode, raised
    tenths: dict[float, float] = {}  # size -> size rounded to a tenth
    frags: list[Frag] = []
    named: dict[str, dict[int, str]] = {}  # font -> its control codes' meanings by glyph name, on this page
    codes: list[dict] | None = None  # type: ignore[type-arg]  # the page's text with the codes of unknown glyphs
    for bno, block in enumerate(blocks):
        first_in_block = True
        for lno, line in enumerate(block.get("lines", ())):
            ldx, ldy = line["dir"]
            if abs(ldx - dx) > 0.05 or abs(ldy - dy) > 0.05:
                continue
            spans: list[Span] = []
            last: dict | None = None  # type: ignore[type-arg]  # pymupdf's span behind spans[-1]
            for sno, s in enumerate(line["spans"]):
                raw = s["text"]
                if not raw:
                    continue
                if "\ufffd" in raw:  # a glyph MuPDF found no Unicode for: its font's code may still tell
                    if codes is None:
                        codes = _text_with_codes(page)
                    raw = _with_codes(raw, codes, bno, lno, sno)
                if last is not None and raw in _MINUS and spans[-1].text.strip() == "+" \
                        and overstruck_plus_minus(last, s):
                    spans[-1].text = spans[-1].text.replace("+", "±")  # a "−" drawn under a "+"
                    continue
                if spans and not raw.strip(" "):
                    # a space set as a span of its own (some typesetters give every space its own font, and
                    # MuPDF's own spaces between words set apart are spans of their own: a third of all
                    # spans): it belongs to the text before; a soft hyphen before it broke no line
                    spans[-1].text += raw
                    spans[-1].soft_hyphen_end = False
                    continue
                key = (s["font"], s["flags"])
                if (kind := fonts.get(key)) is None:
                    kind = fonts[key] = (is_bold(*key), by_code(key[0]), bool(key[1] & _SUPERSCRIPT_FLAG))
                if kind[1]:
                    raw = raw.translate(kind[1])
                if not raw.isprintable() and CONTROL.search(raw):
                    raw = _control_codes(page, s["font"], raw, named)
                text = raw if raw.isascii() and raw.isprintable() else normalise_text(raw)  # (the usual case)
                chars = len(raw) - raw.count(" ")
                size = s["size"]
                if (size1 := tenths.get(size)) is None:
                    size1 = tenths[size] = round(size, 1)  # (slow: it rounds through the decimal digits)
                last = s
                spans.append(Span(text, size, kind[0], kind[2],
                                  s["origin"][1] if upright else to_frame(*s["origin"])[1], chars,
                                  "\u00ad" in raw and raw.rstrip().endswith("\u00ad"), size1))
            if not spans:
                continue
            if len(spans) == 1:
                dominant = spans[0]
                text = dominant.text
                if not text.strip():
                    continue
            else:
                if not any(sp.text.strip() for sp in spans):
                    continue
                dominant = max(spans, key=_chars)
                text = "".join(sp.text for sp in spans)
            bx0, by0, bx1, by1 = line["bbox"]
            if upright and by1 - by0 > 1.6 * max(sp.size for sp in spans):
                # a font whose ascender and descender are given far too large (boxes three lines deep):
                # the box as the letters stand, from the baselines and sizes
                by0 = max(by0, min(sp.base - 1.05 * sp.size for sp in spans))
                by1 = min(by1, max(sp.base + 0.35 * sp.size for sp in spans))
            if upright:
                ax, ay, bx, by = bx0, by0, bx1, by1
            else:
                ax, ay = to_frame(bx0, by0)
                bx, by = to_frame(bx1, by1)
            if "  " in text:
                text = MULTISPACE.sub(" ", text)
            frags.append(Frag(spans, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by),
                               (bx0, by0, bx1, by1), dominant.base, dominant.size, bno, first_in_block,
                               text.strip()))
            first_in_block = False
    return frags, (width if dy else height), (dx, dy, off_x, off_y)


def _text_with_codes(page: pymupdf.Page) -> list[dict]:  # type: ignore[type-arg]
    """The page's text blocks again, with each glyph that has no Unicode meaning given as its code (a second
    text pass, only on a page with such glyphs: about 5 ms)."""
    flags = _TEXT_FLAGS | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE
    return [b for b in page.get_text("dict", flags=flags)["blocks"] if b["type"] == 0]


def _with_codes(raw: str, blocks: list[dict], bno: int, lno: int, sno: int) -> str:  # type: ignore[type-arg]
    """A span's U+FFFD as the control codes the same span shows in the second pass (codes of simple fonts);
    anything else stays U+FFFD and is left out, as before."""
    try:
        coded = blocks[bno]["lines"][lno]["spans"][sno]["text"]
    except (IndexError, KeyError):
        return raw
    if len(coded) != len(raw):
        return raw
    return "".join(c if r == "\ufffd" and c < " " else r for r, c in zip(raw, coded))


def _control_codes(page: pymupdf.Page, font: str, raw: str, named: dict[str, dict[int, str]]) -> str:
    """A span's control codes read by the glyph names of its font where they are known, and those between
    letters kept as unknown glyphs for the paper's words to explain (``pdf_glyphs``); the rest are left out
    later, as before."""
    if needs_glyph_names(font):
        if font not in named:
            named[font] = glyph_name_table(page, font)
        raw = raw.translate(named[font])
    return unknown_glyph(raw)


def _chars(span: Span) -> int:
    return span.chars


def is_drop_cap(f: Frag, typical: float) -> bool:
    return len(f.text) == 1 and f.text.isalpha() and f.size >= 2.2 * typical


def group_rows(frags: list[Frag]) -> list[list[Frag]]:
    """Fragments grouped into printed rows (same baseline), top to bottom, each row left to right.

    A drop cap (one big initial letter beside the first lines of a paragraph) joins the first row beside it.
    """
    typical = statistics.median(f.size for f in frags) if frags else 0.0
    caps = [f for f in frags if is_drop_cap(f, typical)]
    if caps:
        frags = [f for f in frags if not is_drop_cap(f, typical)]
    rows: list[list[Frag]] = []
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
