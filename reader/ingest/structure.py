"""Structure recovery: from printed lines to a readable paper.

Paragraphs come from ``paragraphs``, the title block from ``frontmatter``; this module decides which
paragraphs are the abstract, the body and the reference list, and writes the paper through one
``TextBuilder`` so that every block, reference and page span has exact offsets.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from reader.cite.split import number_label, separate_trailing_text, split_references
from reader.errors import ParseError
from reader import ingest
from reader.ingest.asides import classify_asides
from reader.ingest.backmatter import starts_like_entry, untangle_reference_list
from reader.ingest.builder import TextBuilder
from reader.ingest.frontmatter import (FrontMatter, byline_text, is_byline_continuation, is_journal_name,
                                      parse_author_line,
                                      parse_front_matter, parse_keywords)
from reader.ingest.lines import Line
from reader.ingest.matter import is_matter
from reader.ingest.pdf_floats import caption_lines_to_flow, carry_tables_over, drop_continuation_cells, table_grid
from reader.ingest.paragraphs import (ABSTRACT, ABSTRACT_INLINE, AFTER_REFERENCES, KEYWORDS, Paragraph,
                                      Vocabulary, drop_furniture, group_paragraphs, is_references_heading,
                                      join_broken_paragraphs)
from reader.model import PageSpan, Paper, Reference


def recover_structure(lines: list[Line], paper: Paper) -> None:
    """Fill ``paper`` (metadata, text, blocks, references, page spans) from its printed lines."""
    drop_continuation_cells(lines)
    lines = [ln for ln in drop_furniture(carry_tables_over(caption_lines_to_flow(lines))) if ln.text.strip()]
    vocabulary = Vocabulary(lines)
    paragraphs = untangle_reference_list(group_paragraphs(lines))
    classify_asides(paragraphs)
    paragraphs = join_broken_paragraphs(paragraphs, vocabulary)
    for p in paragraphs:
        p.pieces = vocabulary.pieces(p.lines)
        p.text = "".join(piece + sep for piece, sep in p.pieces)
    # A text longer than any paper has no citations linked (see load_bytes): its reference lists stay text, as
    # splitting them into entries costs seconds per megabyte and serves no link.
    read_lists = sum(len(ln.text) for ln in lines) <= ingest.MAX_CITED_TEXT
    _Assembler(paper, paragraphs, vocabulary, read_lists).run()
    if not paper.text.strip():
        raise ParseError("no readable text found")





class _Assembler:
    """Classifies paragraphs (front matter, abstract, body, references) and writes the paper."""

    def __init__(self, paper: Paper, paragraphs: list[Paragraph], vocabulary: Vocabulary,
                 read_lists: bool = True) -> None:
        self.read_lists = read_lists
        self.paper = paper
        self.paragraphs = paragraphs
        self.vocabulary = vocabulary
        self.builder = TextBuilder()
        self.page_spans: list[PageSpan] = []

    def run(self) -> None:
        paras = self.paragraphs
        refs_at = next((i for i in range(1, len(paras)) if self._is_references_heading(paras[i])), len(paras))
        unheaded = _unheaded_list_at(paras) if refs_at == len(paras) and self.read_lists else None
        if unheaded is not None:
            refs_at = unheaded
        main = paras[:refs_at]
        abstract_at = self._abstract_at(main)
        front_end = abstract_at if abstract_at is not None else self._front_end(main)
        front = parse_front_matter(main[:front_end])
        keywords_at = next((i for i, p in enumerate(main[:front_end + 40]) if KEYWORDS.match(p.text)), None)
        self._set_metadata(front)
        if keywords_at is not None:
            self.paper.keywords = parse_keywords(KEYWORDS.match(main[keywords_at].text).group("rest"))
        if self.paper.title:
            self.builder.add_block("title", self.paper.title, page=main[0].first.page if main else None)
        pdf = bool(main and main[0].first.size)
        for p, kind in front.parts:
            if kind == "other":
                self._write_paragraph(p, p.kind or ("matter" if self._restates_title(p) else "paragraph"))
            elif pdf and kind != "keywords":  # bylines, affiliations, dates: kept, out of the flow
                # (a float's caption set among them, a data article's "Specifications Table", is a caption)
                self._write_paragraph(p, "caption" if p.first.float_bbox is not None else "matter")
        body_start = front_end
        if abstract_at is not None:
            body_start = self._write_abstract(main, abstract_at, keywords_at)
        for i in range(body_start, len(main)):
            if i != keywords_at:
                self._write_body(main[i])
            elif pdf:
                self._write_paragraph(main[i], "matter")
        i = refs_at
        if unheaded is not None:  # a numbered list with no heading over it ends the paper
            end = self._references_end(unheaded - 1)
            self._write_references(paras[unheaded:end])
            i = end
        while i < len(paras):  # reference lists, and whatever follows them (appendices, supplements)
            if self._is_references_heading(paras[i]):
                end = self._references_end(i)
                self._write_paragraph(paras[i], "heading", 1)
                self._write_references(paras[i + 1:end])
                i = end
            else:
                self._write_body(paras[i])
                i += 1
        self.paper.text = self.builder.text()
        self.paper.blocks = self.builder.blocks
        self.paper.pages = self.page_spans

    def _write_body(self, p: Paragraph) -> None:
        if p.kind:
            self._write_paragraph(p, p.kind)
        elif self._restates_title(p) or self._late_byline(p):
            self._write_paragraph(p, "matter")
        elif p.heading_level:
            self._write_paragraph(p, "heading", p.heading_level)
        else:
            self._write_paragraph(p, "paragraph")

    @staticmethod
    def _late_byline(p: Paragraph) -> bool:
        """On a PDF's first page: a byline that the column order put after the abstract (names with two or
        more raised affiliation marks, "Krystian Konieczny 1,* Marianna Mazza 4,5"): matter, not a heading."""
        return (p.first.page == 1 and bool(p.first.size) and is_byline_continuation(p)
                and bool(parse_author_line(byline_text(p))))

    def _restates_title(self, p: Paragraph) -> bool:
        """On a PDF's first page: a line of the printed title that the title block already shows (the
        PDF's title field won), or how to cite the article (its title with authors, year, DOI)."""
        if not p.first.size or p.first.page != 1 or not self.paper.title:
            return False
        title, text = _words(self.paper.title), _words(p.text)
        if len(text) < 15:
            return False
        return text in title or (title in text and len(text) <= len(title) + 400)

    # -- finding the parts

    def _is_references_heading(self, p: Paragraph) -> bool:
        return self.read_lists and len(p.lines) == 1 and is_references_heading(p.first)

    def _references_end(self, refs_at: int) -> int:
        """Where a reference list ends: another section (a PDF heading, an appendix, a new list)."""
        for i in range(refs_at + 1, len(self.paragraphs)):
            p = self.paragraphs[i]
            if self._is_references_heading(p) or (p.heading_level and p.first.size > 0):
                return i
            if len(p.lines) <= 2 and len(p.text) < 80 and AFTER_REFERENCES.match(p.text) and p.heading_level:
                return i
        return len(self.paragraphs)

    def _abstract_at(self, main: list[Paragraph]) -> int | None:
        for i, p in enumerate(main[:40]):
            m = ABSTRACT.match(p.text)
            if m and (not m.group("rest") or ABSTRACT_INLINE.match(p.text)):
                if p.text.lower().startswith("summary") and not p.heading_level:
                    continue
                return i
        return None

    def _front_end(self, main: list[Paragraph]) -> int:
        """Without an abstract: the front matter ends at the first section heading or long paragraph after
        the title (in a PDF, the largest type on the first page; labels above it belong to the front)."""
        first_page = [i for i, p in enumerate(main[:40]) if p.first.page == main[0].first.page]
        sized = [i for i in first_page if main[i].size > 0]
        sized = [i for i in sized if not is_journal_name(main[i].text)] or sized  # a masthead set large
        title_at = max(sized, key=lambda i: (round(main[i].size), i)) if sized else 0  # the last of equals
        for i in range(title_at + 1, min(30, len(main))):
            if (main[i].heading_level and not parse_author_line(byline_text(main[i]))
                    and not is_byline_continuation(main[i])) or len(main[i].text) > 300:
                return i  # (a byline set large is no section heading)
        return min(title_at + 1, len(main))

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
        inline = ABSTRACT_INLINE.match(first.text)
        end = at + 1
        while end < len(main) and end != keywords_at and not main[end].heading_level:
            end += 1
        if end - at > 6 and keywords_at is None:  # no heading closes it: only the first paragraph
            end = at + 2 if not inline else at + 1
        self.builder.add_block("heading", "Abstract", 1, first.first.page)
        parts: list[str] = []
        if inline:  # "Abstract: The strong social ..." (or "Abstract." over the lines below): drop the label
            label = _ABSTRACT_LABEL.match(first.first.text)
            rest = first.first.text[label.end():] if label else first.first.text
            lines = ([replace(first.first, text=rest)] if rest.strip() else []) + first.lines[1:]
            if lines:
                self._write_paragraph(Paragraph(lines), "abstract")
                parts.append(self.vocabulary.join(lines))
        for p in main[at + 1:end]:
            if p.kind:  # a page-foot note or a licence line beside the abstract
                self._write_paragraph(p, p.kind)
                continue
            self._write_paragraph(p, "abstract")
            parts.append(p.text)
        self.paper.abstract = "\n\n".join(parts)
        return end

    def _write_paragraph(self, p: Paragraph, kind: str, level: int = 0) -> None:
        for ln in p.lines:  # a figure or table goes before the paragraph its caption line ended up in
            if ln.float_bbox is not None:
                self._write_float(ln)
        b = self.builder
        b.open_block()
        pieces = p.pieces if p.pieces is not None and len(p.pieces) == len(p.lines) else self.vocabulary.pieces(p.lines)
        for ln, (piece, sep) in zip(p.lines, pieces):
            start, end = b.write(piece)
            self._record_page(ln, start, end)
            self._record_superscripts(ln, start, end)
            b.write(sep)
        b.close_block(kind, level, p.first.page)

    def _write_float(self, caption: Line) -> None:
        """The figure (its picture: region only) or the table (its cells, row by row) a caption belongs to; a
        table whose cells cannot be read into columns is, like a figure, its region (the window shows its
        picture)."""
        bbox = caption.float_bbox
        assert bbox is not None
        if caption.float_kind == "table" and caption.float_lines:
            rows = table_grid(caption.float_lines, caption.float_rules)  # [] when its cells cannot be read
            block = self.builder.add_table(rows, caption.page, bbox)
            if block is not None:
                return
        self.builder.add_empty_block(caption.float_kind or "figure", caption.page, bbox)

    def _record_superscripts(self, ln: Line, start: int, end: int) -> None:
        """Raised small type (superscript citation numbers in PDFs), as spans of the reading text."""
        if not ln.superscripts or _formula(ln.text):
            return  # the raised numbers of a displayed formula are exponents and limits, not citations
        lead = len(ln.text) - len(ln.text.lstrip())
        for a, b in ln.superscripts:
            s, e = max(start, start + a - lead), min(end, start + b - lead)
            if s < e:
                self.paper.superscripts.append((s, e))

    def _record_page(self, ln: Line, start: int, end: int) -> None:
        if ln.page is not None and ln.bbox is not None and end > start:
            self.page_spans.append(PageSpan(start, end, ln.page, ln.bbox))

    def _write_references(self, paragraphs: list[Paragraph]) -> None:
        lines: list[Line] = []
        for p in paragraphs:
            for k, ln in enumerate(p.lines):
                lines.append(ln if k or ln.gap_before else _with_gap(ln))
        lines = [_spaced_label(ln) for ln in lines if ln.text.strip()]
        for ln in lines:  # a float whose caption fell among the entries is kept, before the list
            if ln.float_bbox is not None:
                self._write_float(ln)
        for k in range(1, len(lines)):  # an entry cut by a page break: the new page does not open an entry
            ln = lines[k]
            if ln.new_page and ln.gap_before and not starts_like_entry(ln.text):
                lines[k] = replace(ln, gap_before=False)
        matter_at = len(lines)  # dates or a licence printed under the list ("Manuscript received: ...")
        while matter_at > 0 and lines[matter_at - 1].size and is_matter(lines[matter_at - 1].text):
            matter_at -= 1
        lines, matter = lines[:matter_at], lines[matter_at:]
        entries, trailing = separate_trailing_text(lines, split_references(lines)) if lines else ([], [])
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
        trailing_paragraphs: list[Paragraph] = []
        for frag in trailing:  # whole lines after the list: keep them as text, one paragraph per block
            ln = lines[frag.line]
            if ln.gap_before or not trailing_paragraphs:
                trailing_paragraphs.append(Paragraph([ln]))
            else:
                trailing_paragraphs[-1].lines.append(ln)
        for p in trailing_paragraphs:
            self._write_paragraph(p, "paragraph")
        for ln in matter:
            self._write_paragraph(Paragraph([ln]), "matter")


_FIRST_LABEL = re.compile(r"^\s*(?:\[1\]|1\.)\s+\S")
_LABEL = re.compile(r"^\s*\[?(\d{1,4})[\].]\s+\S")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)[a-z]?\b")


def raised_label(ln: Line) -> int | None:
    """The length of a raised number that opens the line and is glued to a letter ("¹A. S. Levey, ...":
    AIP's and other physics journals' reference entries), or None."""
    for start, end in ln.superscripts[:1]:
        if start == 0 and 0 < end <= 3 and ln.text[:end].isdigit() and ln.text[end:end + 1].isalpha():
            return end
    return None


def _spaced_label(ln: Line) -> Line:
    """A line whose raised label is glued to the entry's first letter, with a space after the label (so the
    entry reads "12 A. S. Levey, ..." and its number is read as the label)."""
    k = raised_label(ln)
    if k is None:
        return ln
    moved = [(a + (a >= k), b + (b > k)) for a, b in ln.superscripts]
    return replace(ln, text=ln.text[:k] + " " + ln.text[k:], superscripts=moved)


def _unheaded_list_at(paras: list[Paragraph]) -> int | None:
    """Where a reference list printed without a heading starts: the last paragraph opening with "[1]" or
    "1." that the next numbers (2, 3, 4, 5) follow at line starts, in order, most of them with a year (a
    numbered list of steps is no reference list)."""
    # Each "1." looks for its "2." after it, then the "3." after that, ...: by the lines each number opens (a
    # binary search), not by reading every later line again for every "1." (quadratic in a long text).
    para_of: list[int] = []  # the paragraph of every line, in reading order
    first_line: list[int] = []  # every paragraph's first line
    opening: dict[int, list[int]] = {}  # a number -> the lines that open with it, in order
    for k, p in enumerate(paras):
        first_line.append(len(para_of))
        for ln in p.lines:
            m = _LABEL.match(ln.text)
            raised = None if m else raised_label(ln)
            if m or raised:
                opening.setdefault(int(m.group(1) if m else ln.text[:raised]), []).append(len(para_of))
            para_of.append(k)
    dated_paragraphs: dict[int, bool] = {}

    def dated(k: int) -> bool:
        if k not in dated_paragraphs:
            dated_paragraphs[k] = bool(_YEAR.search(paras[k].text))
        return dated_paragraphs[k]

    for i in range(len(paras) - 1, 0, -1):
        first = paras[i].first
        if paras[i].heading_level or not (_FIRST_LABEL.match(first.text) or
                                          (raised_label(first) and first.text.startswith("1") and
                                           not first.text[1].isdigit())):
            continue
        expected, count, line = 2, int(dated(i)), first_line[i] - 1
        while True:
            lines = opening.get(expected, [])
            n = bisect_right(lines, line)
            # past 5, only the rest of the paragraph that reached it counts
            if n == len(lines) or (expected > 5 and para_of[lines[n]] != para_of[line]):
                break
            line = lines[n]
            expected += 1
            count += dated(para_of[line])
        if expected > 5:
            return i if count >= 3 else None
    return None


_ABSTRACT_LABEL = re.compile(r"\s*abstract\s*[:.\-–—]?\s*", re.I)


def _formula(text: str) -> bool:
    """A line of a displayed formula: an equals sign or a sum and hardly a word ("H1(i) = i=1 20"), or
    operators between names of quantities with a capital, their subscripts run on, and hardly a lowercase
    word ("FPNK = Fref × (IPNK/Iref) × (Aref/APNK) × (hPNK/href)2")."""
    if not re.search(r"[=≈∑∏∫]", text):
        return False
    if len(re.findall(r"[^\W\d_]{3,}", text)) <= 2:
        return True
    return len(re.findall(r"[=≈×∑∏∫+−]", text)) >= 3 and len(re.findall(r"\b[^\W\d_A-Z]{3,}\b", text)) <= 1


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _with_gap(ln: Line) -> Line:
    return replace(ln, gap_before=True)
