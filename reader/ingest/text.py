"""Loader for plain and markdown text, as PDF-to-text and PDF-to-markdown extractors write it."""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from reader.errors import ParseError
from reader.ingest import PARSER_VERSION, utf16_without_bom
from reader.ingest.lines import Line
from reader.ingest.structure import recover_structure
from reader.model import Paper, paper_id_for
from reader.normalize import normalize_characters

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*+•]\s+(?=\S)")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$&%~|<>\"'])")
# Every span is bounded (emphasis within 300 characters, links within 500) so that a line full of
# unmatched "**" or "![" costs linear time, not quadratic.
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,300}?)(?<=\S)\1")
# The emphasis mark comes first and the look-behind after it ("*(?<![\w*\\]\*)" means: no word character,
# star or backslash before the star), so the regex engine skips ahead to each mark instead of trying every position.
_MD_ITALIC = re.compile(r"\*(?<![\w*\\]\*)(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*\\])\*(?![\w*])")
_MD_UNDERSCORE_ITALIC = re.compile(r"_(?<![\w\\]_)(?=\S)([^_\n]{1,300}?)(?<=\S)_(?!\w)")
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\s]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{1,500})\]\((https?://[^)\s]{1,2000})\)")
_HTML_TAG = re.compile(r"</?(?:sup|sub|i|b|em|strong|span|br|p|u)(?:\s[^>\n]{0,200})?/?>", re.I)


_HIGH_BYTES = bytes(range(0x80, 0x100))


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one: told by where its
    NUL bytes are), else Windows-1252.

    Returns the text and a warning when a fallback was needed; never raises on bad bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), None
    if utf16 := utf16_without_bom(data[:8192]):
        return data.decode(utf16, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd")
    high = len(data) - len(data.translate(None, _HIGH_BYTES))  # counted in C, not byte by byte
    if bad <= max(2, high // 50):  # a few broken bytes in a UTF-8 file
        return as_utf8, f"{bad} byte(s) were not valid UTF-8 and were replaced"
    return data.decode("cp1252", errors="replace"), "not UTF-8: read as Windows-1252"


def clean_markdown(line: str) -> tuple[str, int]:
    """Undo markdown artefacts of PDF-to-markdown extraction; return the text and a heading level."""
    level = 0
    # each pattern only where its characters are (a scan for a character costs far less than a regex)
    if line.startswith("#") and (m := _MD_HEADING.match(line)):
        level, line = len(m.group(1)), m.group(2)
    if "![" in line:
        line = _MD_IMAGE.sub("", line)
    if "](" in line:
        line = _MD_LINK.sub(r"\1", line)
    if "<" in line:
        line = _HTML_TAG.sub("", line)
    star, underscore = "*" in line, "_" in line
    if star or underscore:
        line = _MD_BOLD.sub(r"\2", line)
    if star:
        line = _MD_ITALIC.sub(r"\1", line)
    if underscore:
        line = _MD_UNDERSCORE_ITALIC.sub(r"\1", line)
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    return line, level


def text_to_lines(text: str) -> list[Line]:
    """Split decoded text into ``Line`` objects: blank lines become paragraph gaps, bullets start items; a line
    longer than any paragraph (a text with no line breaks) is cut into paragraphs (``_paragraphs_of``)."""
    text = normalize_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[Line] = []
    gap = True
    for raw in _cut_long_lines(text.split("\n")):
        if raw is None:  # between the pieces of a long line: a paragraph break
            gap = True
            continue
        expanded = raw.expandtabs(4)
        if not expanded.strip() or _MD_RULE.match(expanded):
            gap = True
            continue
        indent = len(expanded) - len(expanded.lstrip(" "))
        bullet = _MD_BULLET.match(expanded)
        body = expanded[bullet.end():] if bullet else expanded.strip()
        cleaned, level = clean_markdown(body.strip())
        if not cleaned.strip():
            gap = True
            continue
        lines.append(Line(cleaned, gap_before=gap or bool(bullet) or bool(level), indent=float(indent),
                          heading_level=level))
        gap = False
    return lines


# A line longer than this is no paragraph a person wrote: the text has no line breaks (or lost them). It is
# cut into paragraphs of at least _PARAGRAPH characters, at the first sentence end after that, so the reader
# shows paragraphs and every later step (structure, citations, the index) works on pieces of a usual size.
_LONG_LINE = 4000
_PARAGRAPH = 1200
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)\]]*\s+(?=\S)")


def _cut_long_lines(raw_lines: list[str]) -> Iterator[str | None]:
    """The lines, with each long one as its pieces and None between them (a paragraph break)."""
    for raw in raw_lines:
        if len(raw) <= _LONG_LINE:
            yield raw
            continue
        for n, piece in enumerate(_paragraphs_of(raw)):
            if n:
                yield None
            yield piece


def _paragraphs_of(line: str) -> Iterator[str]:
    """A long line in paragraph-sized pieces: cut at a sentence end, else at a space, else anywhere."""
    start = 0
    while len(line) - start > _LONG_LINE:
        limit = start + _LONG_LINE
        end = _SENTENCE_END.search(line, start + _PARAGRAPH, limit)
        if end is not None:
            cut = end.end()
        else:
            space = line.rfind(" ", start + _PARAGRAPH, limit)
            cut = space + 1 if space >= 0 else limit
        yield line[start:cut]
        start = cut
    yield line[start:]


def load_text(data: bytes, source_path: str) -> Paper:
    """Parse PDF-extracted plain text or markdown into a Paper."""
    text, warning = decode_text(data)
    lines = text_to_lines(text)
    del text  # the lines hold what is kept of it: a large text is not held twice while the paper is built
    if not lines:
        raise ParseError("no text in file")
    paper = Paper(id=paper_id_for(data), source_path=source_path, format="text", parser_version=PARSER_VERSION)
    if warning:
        paper.warnings.append(warning)
    recover_structure(lines, paper)
    return paper
