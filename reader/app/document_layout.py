"""A paper as a Qt text document: title, byline, headings, paragraphs and references, citations as links.

Everything else in the window points into ``Paper.text`` (citations, search hits, highlights), so the
document is built block by block from the paper's own blocks, each block's text inserted unchanged (line
breaks inside a block become spaces: same length), and a ``TextMap`` records where each block landed. Lines
that are not in ``Paper.text`` (the byline, the venue line) are inserted between blocks and simply not
mapped.
"""
from __future__ import annotations

from bisect import bisect_right
from urllib.parse import quote
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (QColor, QFont, QGuiApplication, QImage, QPalette, QTextBlockFormat, QTextCharFormat,
                           QTextCursor, QTextDocument, QTextFrameFormat, QTextImageFormat, QTextLength,
                           QTextOption, QTextTableFormat)

from reader.model import Block, Paper

DOI_LINK = "https://doi.org/"  # the paper's own DOI in the byline links here

# Relative sizes and spacing: a calm page, headings set off by space more than by size.
_TITLE_SCALE = 1.6
_HEADING_SCALE = {1: 1.25, 2: 1.12, 3: 1.0}
_SMALL_SCALE = 0.9


@dataclass
class CitationLink:
    """Where a citation marker sits in the document, and which of ``Paper.citations`` it is."""

    index: int
    doc_start: int
    doc_end: int


class TextMap:
    """Offsets in ``Paper.text`` to positions in the document and back, for the mapped blocks."""

    def __init__(self) -> None:
        self._text_starts: list[int] = []
        self._doc_starts: list[int] = []
        self._lengths: list[int] = []

    def add(self, text_start: int, doc_start: int, length: int) -> None:
        self._text_starts.append(text_start)
        self._doc_starts.append(doc_start)
        self._lengths.append(length)

    def to_doc(self, offset: int) -> int | None:
        """The document position of a text offset (the next shown text if it falls between blocks)."""
        i = bisect_right(self._text_starts, offset) - 1
        if i < 0:
            return self._doc_starts[0] if self._doc_starts else None
        if offset <= self._text_starts[i] + self._lengths[i]:
            return self._doc_starts[i] + offset - self._text_starts[i]
        if i + 1 < len(self._doc_starts):
            return self._doc_starts[i + 1]
        return self._doc_starts[i] + self._lengths[i]

    def to_text(self, position: int) -> int | None:
        """The text offset of a document position, or None outside the mapped text (the byline)."""
        i = bisect_right(self._doc_starts, position) - 1
        if i < 0 or position > self._doc_starts[i] + self._lengths[i]:
            return None
        return self._text_starts[i] + position - self._doc_starts[i]

    def text_range(self, doc_start: int, doc_end: int) -> tuple[int, int] | None:
        """A document selection as a text span, clipped to mapped text; None if it holds none."""
        start = self._clamp(doc_start, forward=True)
        end = self._clamp(doc_end, forward=False)
        if start is None or end is None or end <= start:
            return None
        return start, end

    def _clamp(self, position: int, forward: bool) -> int | None:
        i = bisect_right(self._doc_starts, position) - 1
        if i >= 0 and position <= self._doc_starts[i] + self._lengths[i]:
            return self._text_starts[i] + position - self._doc_starts[i]
        if forward:
            return self._text_starts[i + 1] if i + 1 < len(self._text_starts) else None
        return self._text_starts[i] + self._lengths[i] if i >= 0 else None


@dataclass
class Fold:
    """A run of matter blocks (affiliations, correspondence, dates, licence, mastheads) folded away behind a
    line the reader clicks to show them: out of the reading flow, still there."""

    toggle: int  # document position of the line's arrow ("▸" folded, "▾" shown)
    blocks: list[int]  # the QTextBlock numbers of the matter
    shown: bool = False
    first: int = 0  # the index of its first block among the blocks shown


@dataclass
class Layout:
    document: QTextDocument
    text_map: TextMap
    citations: list[CitationLink]
    outline: list[tuple[Block, int]]  # headings, figures and tables, with their document position
    folds: list[Fold] = field(default_factory=list)


@dataclass
class Styles:
    """Colours for the document, from the window's theme."""

    text: QColor
    muted: QColor
    link: QColor
    unresolved: QColor


def build_layout(paper: Paper, styles: Styles, base_font: QFont, images: dict[int, QImage] | None = None,
                 image_width: float = 640) -> Layout:
    """The paper as a QTextDocument (see the module doc). ``images``: a figure's picture by its block's start
    (cut from the PDF page, or the JATS image file), drawn at most ``image_width`` pixels wide."""
    images = images or {}
    outline: list[tuple[Block, int]] = []
    doc = QTextDocument()
    doc.setDefaultFont(base_font)
    doc.setDocumentMargin(24)
    # a word longer than its line (a wide table's cell, "|ΔANPPS_C + H| > |ΔANPPG_C + H|") breaks anywhere
    # rather than widen the page: the text never scrolls sideways
    wrap = QTextOption()
    wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(wrap)
    cursor = QTextCursor(doc)
    text_map = TextMap()
    links: list[CitationLink] = []
    citations = sorted(enumerate(paper.citations), key=lambda ic: ic[1].start)
    raised = sorted(paper.superscripts)
    notes = note_marks(paper, raised)
    blocks = _shown_blocks(paper)
    first = True
    wrote_byline = False
    printed = next((b for b in blocks if b.kind == "title"), None)
    if printed is not None and paper.title and _words(paper.text[printed.start:printed.end]) != _words(paper.title):
        # the reader corrected the title: theirs shows as the title, the printed one below it, small
        blocks = [b if b is not printed else Block("matter", b.start, b.end) for b in blocks]
    if not any(b.kind == "title" for b in blocks):  # a title from the metadata, then the byline
        title = QTextCharFormat()
        title.setFontPointSize(base_font.pointSizeF() * _TITLE_SCALE)
        title.setFontWeight(QFont.Weight.DemiBold)
        cursor.insertText(paper.title or "(untitled)", title)
        _insert_byline(cursor, paper, styles, base_font)
        first, wrote_byline = False, True
    folding = _matter_runs(paper, blocks)
    folds: list[Fold] = []
    for i, block in enumerate(blocks):
        if i in folding:
            if not first:
                cursor.insertBlock()
            first = False
            folds.append(_insert_fold_line(cursor, len(folds), folding[i], styles, base_font))
            folds[-1].first = i
        image = images.get(block.start) if block.kind in ("figure", "table") else None
        picture = image is not None and not image.isNull()
        if block.end <= block.start and not picture:
            continue  # a figure's place whose picture could not be cut: its caption shows
        if not first:
            cursor.insertBlock()
        first = False
        if block.kind in ("heading", "figure", "table"):
            outline.append((block, cursor.position()))
        if picture:
            _insert_image(doc, cursor, image, block, image_width)
            if block.end <= block.start:
                continue  # a PDF figure is its region only: the picture, then its caption block
            cursor.insertBlock()
        if block.kind == "table" and "\t" in paper.text[block.start:block.end] and image is None:
            _insert_table(cursor, paper, block, citations, styles, links, text_map, base_font, raised, notes)
            cursor.movePosition(QTextCursor.MoveOperation.End)  # the empty block after the table
            first = True  # the next block goes into it
            continue
        _format_block(cursor, block, base_font)
        start = cursor.position()
        text = paper.text[block.start:block.end].replace("\n", " ").replace("\t", " ")
        _insert_with_citations(cursor, block, text, citations, styles, links, _raised_in(raised, block), notes)
        text_map.add(block.start, start, len(text))
        if folds and len(folds[-1].blocks) < folding.get(folds[-1].first, 0) and block.kind == "matter":
            folds[-1].blocks.append(cursor.block().blockNumber())  # a matter block of the run just folded
        if block.kind == "title" and not wrote_byline:
            _insert_byline(cursor, paper, styles, base_font)
            wrote_byline = True
    for fold in folds:
        for number in fold.blocks:
            doc.findBlockByNumber(number).setVisible(False)
    return Layout(doc, text_map, links, outline, folds)


FOLD_MIN_BLOCKS, FOLD_MIN_CHARS = 2, 160  # less matter than this stays in view: its line would be no shorter


def _matter_runs(paper: Paper, blocks: list[Block]) -> dict[int, int]:
    """Runs of consecutive matter blocks worth folding: the index of each run's first block, and its length."""
    runs: dict[int, int] = {}
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].kind == "matter":
            j += 1
        # one long block folds on the first page only, where front matter is: a lone "matter" paragraph further
        # on may be body text the parser took for matter (MDPI's "Corresponding Papp values ..." on page 3)
        if j > i and (j - i >= FOLD_MIN_BLOCKS or (blocks[i].page in (None, 1)
                                                   and sum(b.end - b.start for b in blocks[i:j]) >= FOLD_MIN_CHARS)):
            runs[i] = j - i
        i = max(j, i + 1)
    return runs


def _insert_fold_line(cursor: QTextCursor, index: int, count: int, styles: Styles, base: QFont) -> Fold:
    """The line that stands for a folded run of matter; clicking it (a ``fold:`` link) shows or hides it."""
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(base.pointSizeF() * 0.6)
    cursor.setBlockFormat(fmt)
    char = QTextCharFormat()
    char.setFontPointSize(base.pointSizeF() * _SMALL_SCALE)
    char.setFontWeight(QFont.Weight.Normal)
    char.setFontItalic(False)
    char.setForeground(styles.muted)
    char.setAnchor(True)
    char.setAnchorHref(f"fold:{index}")
    toggle = cursor.position()
    what = "1 passage" if count == 1 else f"{count} passages"
    cursor.insertText(f"▸ {what} set apart from the reading text (affiliations, dates, licence…): click to show",
                      char)
    return Fold(toggle, [])


def _insert_image(doc: QTextDocument, cursor: QTextCursor, image: QImage, block: Block, width: float) -> None:
    """A figure's picture on a line of its own, centred, no wider than the text."""
    name = f"figure:{block.start}"
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    fmt = QTextBlockFormat()
    fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    fmt.setTopMargin(8)
    cursor.setBlockFormat(fmt)
    picture = QTextImageFormat()
    picture.setName(name)
    scale = min(1.0, width / max(1, image.width()))
    picture.setWidth(image.width() * scale)
    picture.setHeight(image.height() * scale)
    cursor.insertImage(picture)


def _insert_table(cursor: QTextCursor, paper: Paper, block: Block, citations: list[tuple[int, object]],
                  styles: Styles, links: list[CitationLink], text_map: TextMap, base: QFont,
                  raised: list[tuple[int, int]], notes: dict[tuple[int, int], tuple[int, int]]) -> None:
    """A table block (cells by tab, rows by newline) as a table; each cell's text is mapped as it is."""
    rows: list[list[tuple[int, int]]] = []  # each cell as a span of Paper.text
    at = block.start
    for line in paper.text[block.start:block.end].split("\n"):
        row = []
        for cell in line.split("\t"):
            row.append((at, at + len(cell)))
            at += len(cell) + 1
        rows.append(row)
    columns = max(len(r) for r in rows)
    fmt = QTextTableFormat()
    fmt.setCellPadding(3)
    fmt.setCellSpacing(0)
    fmt.setBorder(0.5)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(styles.muted)
    fmt.setHeaderRowCount(1)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    fmt.setBottomMargin(base.pointSizeF() * 0.6)
    table = cursor.insertTable(len(rows), columns, fmt)
    char = QTextCharFormat()
    char.setFontPointSize(base.pointSizeF() * _SMALL_SCALE)
    for r, row in enumerate(rows):
        char.setFontWeight(QFont.Weight.DemiBold if r == 0 else QFont.Weight.Normal)
        for c, (start, end) in enumerate(row):
            cell_cursor = table.cellAt(r, c).firstCursorPosition()
            cell_cursor.setCharFormat(char)
            doc_start = cell_cursor.position()
            cell = Block("table", start, end)
            _insert_with_citations(cell_cursor, cell, paper.text[start:end], citations, styles, links,
                                   _raised_in(raised, cell), notes)
            text_map.add(start, doc_start, end - start)


NOTE_MARK_CHARS = 3  # "a", "12", "∗", "†": a longer raised run is an exponent or a unit, not a note's mark
_MARKED_KINDS = ("paragraph", "abstract", "caption", "table", "heading")  # where a mark points to a note


def note_marks(paper: Paper, raised: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """The raised marks in the text that point to a footnote (or a table's note): each mark's span, and the
    span of the note that opens with the same raised mark, the nearest one after it (a note is printed at the
    foot of the mark's page or under its table; table notes "a", "b" repeat from table to table)."""
    notes: list[tuple[str, int, int]] = []  # (mark, note start, note end), in text order
    starts = {s: e for s, e in raised}
    for block in sorted((b for b in paper.blocks if b.kind == "footnote"), key=lambda b: b.start):
        body = paper.text[block.start:block.end]
        lead = block.start + len(body) - len(body.lstrip())
        if lead in starts and 0 < starts[lead] - lead <= NOTE_MARK_CHARS:
            notes.append((paper.text[lead:starts[lead]], block.start, block.end))
    if not notes:
        return {}
    marked = [b for b in paper.blocks if b.kind in _MARKED_KINDS]
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for s, e in raised:
        if e - s > NOTE_MARK_CHARS or not any(b.start <= s < b.end for b in marked):
            continue
        mark = paper.text[s:e]
        after = [(start, end) for m, start, end in notes if m == mark and start > s]
        if after:
            found[(s, e)] = after[0]
    return found


def _raised_in(raised: list[tuple[int, int]], block: Block) -> list[tuple[int, int]]:
    """The raised spans that overlap ``block`` (``raised`` is sorted)."""
    spans = []
    for span in raised[max(bisect_right(raised, (block.start, block.start)) - 1, 0):]:
        if span[0] >= block.end:
            break
        if span[1] > block.start:
            spans.append(span)
    return spans


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def _shown_blocks(paper: Paper) -> list[Block]:
    """The paper's blocks in order, plus any stretch of text no block covers (so nothing is hidden).

    A PDF figure is a region of its page with no text of its own: an empty block where the figure stands in
    the reading order (before its caption). It is kept, for its picture; at the same offset it comes first."""
    blocks = sorted((b for b in paper.blocks if b.end > b.start or _is_picture_place(b)),
                    key=lambda b: (b.start, b.end > b.start, -b.end))
    shown: list[Block] = []
    at = 0

    def uncovered(end: int) -> None:  # the text between the last block and ``end``, if any, as a paragraph
        gap = paper.text[at:end]
        if gap.strip():
            shown.append(Block("paragraph", at + len(gap) - len(gap.lstrip()), end - (len(gap) - len(gap.rstrip()))))

    for b in blocks:
        if b.start < at:
            continue  # nested in the previous one (a figure's place inside a block would split its text)
        uncovered(b.start)
        shown.append(b)
        at = b.end
    uncovered(len(paper.text))
    return shown


def _is_picture_place(block: Block) -> bool:
    return block.kind in ("figure", "table") and block.bbox is not None


def _format_block(cursor: QTextCursor, block: Block, base: QFont) -> None:
    fmt = QTextBlockFormat()
    fmt.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    fmt.setBottomMargin(base.pointSizeF() * 0.8)
    char = QTextCharFormat()
    char.setFontPointSize(base.pointSizeF())
    char.setFontWeight(QFont.Weight.Normal)
    char.setFontItalic(False)
    if block.kind == "title":
        char.setFontPointSize(base.pointSizeF() * _TITLE_SCALE)
        char.setFontWeight(QFont.Weight.DemiBold)
        fmt.setLineHeight(120, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setBottomMargin(base.pointSizeF() * 0.5)
    elif block.kind == "heading":
        char.setFontPointSize(base.pointSizeF() * _HEADING_SCALE.get(block.level or 1, 1.0))
        char.setFontWeight(QFont.Weight.DemiBold)
        fmt.setTopMargin(base.pointSizeF() * 1.2)
        fmt.setBottomMargin(base.pointSizeF() * 0.4)
    elif block.kind == "reference":
        char.setFontPointSize(base.pointSizeF() * _SMALL_SCALE)
        fmt.setLeftMargin(base.pointSizeF() * 1.5)
        fmt.setTextIndent(-base.pointSizeF() * 1.5)
        fmt.setBottomMargin(base.pointSizeF() * 0.4)
    elif block.kind in ("abstract", "caption", "figure", "footnote", "table", "matter"):
        char.setFontPointSize(base.pointSizeF() * (0.95 if block.kind == "abstract" else _SMALL_SCALE))
        if block.kind in ("caption", "figure"):
            char.setFontItalic(True)
        elif block.kind in ("footnote", "matter"):  # out of the reading flow: there, but quiet
            char.setForeground(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))
    cursor.setBlockFormat(fmt)
    cursor.setCharFormat(char)


def _insert_with_citations(cursor: QTextCursor, block: Block, text: str, citations: list[tuple[int, object]],
                           styles: Styles, links: list[CitationLink], raised: list[tuple[int, int]] = (),
                           notes: dict[tuple[int, int], tuple[int, int]] | None = None) -> None:
    """``text`` (the block's, same length) with its citations as links and its ``raised`` spans (offsets in
    ``Paper.text``) set as superscripts."""
    plain = cursor.charFormat()
    at = block.start
    for index, citation in citations:
        c_start, c_end = citation.start, citation.end  # type: ignore[attr-defined]
        if c_end <= block.start or c_start >= block.end or c_start < at:
            continue
        _insert_raised(cursor, text, block.start, at, c_start, raised, plain, notes, styles)
        doc_start = cursor.position()
        _insert_raised(cursor, text, block.start, c_start, min(c_end, block.end), raised,
                       _citation_format(plain, citation, styles, index))
        links.append(CitationLink(index, doc_start, cursor.position()))
        at = min(c_end, block.end)
    _insert_raised(cursor, text, block.start, at, block.end, raised, plain, notes, styles)


def _insert_raised(cursor: QTextCursor, text: str, base: int, start: int, end: int, raised: list[tuple[int, int]],
                   fmt: QTextCharFormat, notes: dict[tuple[int, int], tuple[int, int]] | None = None,
                   styles: Styles | None = None) -> None:
    """``Paper.text[start:end]`` (``text`` begins at offset ``base``) in ``fmt``, its raised spans as superscripts:
    a PDF's raised small type (citation numbers, "10⁶", "mL⁻¹", "R²", affiliation marks) read inline as "106",
    "mL−1" and "R2" otherwise."""
    at = start
    for r_start, r_end in raised:
        r_start, r_end = max(r_start, at), min(r_end, end)
        if r_start >= r_end:
            continue
        cursor.insertText(text[at - base:r_start - base], fmt)
        up = QTextCharFormat(fmt)
        up.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        note = notes.get((r_start, r_end)) if notes and not fmt.isAnchor() else None
        if note is not None:  # a note's mark: a link to the note (hovering shows it)
            up.setAnchor(True)
            up.setAnchorHref(f"note:{note[0]}:{note[1]}")
            if styles is not None:
                up.setForeground(styles.link)
        cursor.insertText(text[r_start - base:r_end - base], up)
        at = r_end
    cursor.insertText(text[at - base:end - base], fmt)


def _citation_format(plain: QTextCharFormat, citation: object, styles: Styles, index: int) -> QTextCharFormat:
    fmt = QTextCharFormat(plain)
    fmt.setAnchor(True)
    fmt.setAnchorHref(f"cite:{index}")
    statuses = {item.status for item in citation.items}  # type: ignore[attr-defined]
    if statuses == {"resolved"}:
        fmt.setForeground(styles.link)
    elif "resolved" in statuses or "ambiguous" in statuses:
        fmt.setForeground(styles.link)
        fmt.setFontUnderline(True)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    else:
        fmt.setForeground(styles.unresolved)
        fmt.setFontUnderline(True)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    return fmt


def _insert_byline(cursor: QTextCursor, paper: Paper, styles: Styles, base: QFont) -> None:
    """Authors, then venue, year and the paper's DOI (a link to doi.org)."""
    authors = ", ".join(a.display() for a in paper.authors)
    venue = ", ".join(p for p in (paper.venue, str(paper.year or "")) if p)
    char = QTextCharFormat()
    char.setForeground(styles.muted)
    char.setFontPointSize(base.pointSizeF() * 0.95)
    char.setFontWeight(QFont.Weight.Normal)
    lines = [line for line in (authors, venue) if line]
    if paper.doi and not lines:
        lines.append("")
    for i, line in enumerate(lines):
        cursor.insertBlock()
        fmt = QTextBlockFormat()
        fmt.setBottomMargin(base.pointSizeF() * 0.3)
        cursor.setBlockFormat(fmt)
        cursor.insertText(line, char)
        if i == len(lines) - 1 and paper.doi:
            link = QTextCharFormat(char)
            link.setAnchor(True)
            link.setAnchorHref(DOI_LINK + quote(paper.doi.strip(), safe="/:;()._-"))
            link.setForeground(styles.link)
            cursor.insertText(", " if line else "", char)
            cursor.insertText(f"doi:{paper.doi}", link)
    if lines:
        spacer = QTextBlockFormat()
        spacer.setBottomMargin(base.pointSizeF() * 0.8)
        cursor.setBlockFormat(spacer)
