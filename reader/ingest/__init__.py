"""Loaders: one per format, each turns a file's bytes into a Paper (no Qt, no disk writes).

``load_paper(path)`` reads a file, decides its format from the content (not the name), and calls the
loader: ``pdf`` (pymupdf, in a worker process), ``xml`` (JATS or loose journal records), ``text``
(PDF-extracted plain text or markdown).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reader.errors import ParseError, UnsupportedFormat

if TYPE_CHECKING:
    from reader.model import Paper

# Bump when a loader's output changes, so cached papers are re-parsed.
PARSER_VERSION = 3

MAX_FILE_BYTES = 200 * 1024 * 1024  # larger files are refused before anything is parsed
MAX_TEXT_BYTES = 50 * 1024 * 1024
PDF_TIMEOUT_SECONDS = 120.0

_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (e.g. .docx or .epub)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program (ELF binary)",
}


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def sniff_format(data: bytes) -> str:
    """``pdf``, ``xml`` or ``text``, from the bytes themselves; raises for anything else."""
    if not data.strip():
        raise ParseError("empty file")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedFormat(f"{what}, not a PDF, text or XML file")
    head = data[:8192]
    utf16 = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(head)
    if utf16:  # look at the characters, not the bytes
        text_head = head.decode(utf16, errors="replace").lstrip("\ufeff \t\r\n")
        return "xml" if _looks_like_xml(text_head.encode("utf-8", "replace"), data) else "text"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # a count in C, not a loop over bytes
    if b"\x00" in head or controls > len(head) * 0.05:
        raise UnsupportedFormat("binary data, not a PDF, text or XML file")
    return "xml" if _looks_like_xml(head.lstrip(b"\xef\xbb\xbf \t\r\n"), data) else "text"


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when bytes with no BOM are UTF-16 text, else None.

    Told by where the NUL bytes are: text in a Latin script has a NUL as the high byte of most characters (the
    odd bytes in little-endian, the even ones in big-endian) and almost none in the other place; UTF-8 and
    the 8-bit encodings have no NUL at all, and binary data has them everywhere.
    """
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _looks_like_xml(start: bytes, data: bytes) -> bool:
    """A declaration, a DOCTYPE or a comment first; or a start tag and, somewhere, an end tag."""
    if start.startswith((b"<?xml", b"<!DOCTYPE", b"<!--")):
        return True
    return start[:1] == b"<" and start[1:2].isalpha() and (b"</" in data or b"<\x00/" in data)


# A text longer than this is no paper (the longest articles run to a few hundred thousand characters; this is
# a book of some 1,500 pages): its citations are not searched, and its reference lists stay text, not entries
# (reader.ingest.structure). On a text that size both cost seconds per megabyte and link nothing a reader follows.
MAX_CITED_TEXT = 4_000_000


def load_bytes(data: bytes, source_path: str) -> Paper:
    """Parse a file's bytes into a Paper with its citations linked. Raises ``ParseError`` when it cannot."""
    paper = _load_format(data, source_path)
    if len(paper.text) > MAX_CITED_TEXT and paper.format != "jats":
        paper.warnings.append(f"citations were not linked and reference lists were kept as text: the text is "
                              f"{len(paper.text):,} characters long, more than any paper (the limit is "
                              f"{MAX_CITED_TEXT:,})")
    else:
        from reader.cite.engine import annotate

        annotate(paper)
    return paper


def _load_format(data: bytes, source_path: str) -> Paper:
    """The format's own loader: text, blocks, metadata and the reference list as printed."""
    # loaders are imported when needed: they import this module's constants, and pymupdf is heavy
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(MAX_FILE_BYTES)
    fmt = sniff_format(data)
    if fmt == "pdf":
        from reader.ingest.pdf import load_pdf_isolated
        return load_pdf_isolated(data, source_path, timeout=PDF_TIMEOUT_SECONDS)
    if fmt == "xml":
        from reader.ingest.xml import load_xml
        return load_xml(data, source_path)
    if len(data) > MAX_TEXT_BYTES:
        raise _too_large(MAX_TEXT_BYTES)
    from reader.ingest.text import load_text
    return load_text(data, source_path)


_HEAD_BYTES = 8192


def size_limit(head: bytes) -> int:
    """The largest file accepted of the kind its first bytes show: text has its own, lower limit (its cost
    grows with its length); a PDF, or anything that may be XML (it starts with "<"), the general one."""
    if b"%PDF-" in head[:1024]:
        return MAX_FILE_BYTES
    utf16 = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(head)
    start = head.decode(utf16, "replace").encode("utf-8", "replace") if utf16 else head
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or b"\x00" in start:
        return MAX_FILE_BYTES  # XML, or binary that sniffing refuses by its content
    return MAX_TEXT_BYTES


def _too_large(limit: int) -> ParseError:
    kind = "text file" if limit == MAX_TEXT_BYTES else "file"
    return ParseError(f"{kind} too large (the limit is {limit // 2**20} MB)")


def read_input(f: IO[bytes]) -> bytes:
    """All the bytes of an open file, refused by its size before it is read whole: the size ``stat`` gives
    is checked first, and the read stops one byte past the limit (a file that grows, a device that never
    ends, cannot fill memory). Raises ``ParseError`` for a file too large, ``OSError`` when unreadable."""
    size = os.fstat(f.fileno()).st_size
    if size > MAX_FILE_BYTES:
        raise _too_large(MAX_FILE_BYTES)
    head = f.read(_HEAD_BYTES)
    limit = size_limit(head)
    if size > limit:
        raise _too_large(limit)
    data = head + f.read(limit + 1 - len(head))
    if len(data) > limit:
        raise _too_large(limit)
    return data


def load_paper(path: str | Path) -> Paper:
    """Read and parse one file. Raises ``OSError`` when it cannot be read, ``ParseError`` when not parsed."""
    path = Path(path)
    if path.is_dir():
        raise ParseError("is a folder, not a file")
    if path.exists() and not path.is_file():
        raise ParseError("not a regular file (a pipe or a device)")
    with path.open("rb") as f:
        data = read_input(f)
    return load_bytes(data, str(path))
