"""Loaders: one per format, each turns a file's bytes into a Paper (no Qt, no disk writes).

``load_paper(path)`` reads a file, decides its format from the content (not the name), and calls the
loader: ``pdf`` (pymupdf, in a worker process), ``xml`` (JATS or loose journal records), ``text``
(PDF-extracted plain text or markdown).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look at the characters, not the bytes
        text_head = head.decode("utf-16", errors="replace").lstrip("\ufeff \t\r\n")
        return "xml" if _looks_like_xml(text_head.encode("utf-8", "replace"), data) else "text"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) * 0.05:
        raise UnsupportedFormat("binary data, not a PDF, text or XML file")
    return "xml" if _looks_like_xml(head.lstrip(b"\xef\xbb\xbf \t\r\n"), data) else "text"


def _looks_like_xml(start: bytes, data: bytes) -> bool:
    """A declaration, a DOCTYPE or a comment first; or a start tag and, somewhere, an end tag."""
    if start.startswith((b"<?xml", b"<!DOCTYPE", b"<!--")):
        return True
    return start[:1] == b"<" and start[1:2].isalpha() and (b"</" in data or b"<\x00/" in data)


def load_bytes(data: bytes, source_path: str) -> Paper:
    """Parse a file's bytes into a Paper with its citations linked. Raises ``ParseError`` when it cannot."""
    from reader.cite.engine import annotate

    paper = _load_format(data, source_path)
    annotate(paper)
    return paper


def _load_format(data: bytes, source_path: str) -> Paper:
    """The format's own loader: text, blocks, metadata and the reference list as printed."""
    # loaders are imported when needed: they import this module's constants, and pymupdf is heavy
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"file too large ({len(data) // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")
    fmt = sniff_format(data)
    if fmt == "pdf":
        from reader.ingest.pdf import load_pdf_isolated
        return load_pdf_isolated(data, source_path, timeout=PDF_TIMEOUT_SECONDS)
    if fmt == "xml":
        from reader.ingest.xml import load_xml
        return load_xml(data, source_path)
    if len(data) > MAX_TEXT_BYTES:
        raise ParseError(f"text file too large ({len(data) // 2**20} MB; the limit is {MAX_TEXT_BYTES // 2**20} MB)")
    from reader.ingest.text import load_text
    return load_text(data, source_path)


def load_paper(path: str | Path) -> Paper:
    """Read and parse one file. Raises ``OSError`` when it cannot be read, ``ParseError`` when not parsed."""
    path = Path(path)
    if path.is_dir():
        raise ParseError("is a folder, not a file")
    if path.exists() and not path.is_file():
        raise ParseError("not a regular file (a pipe or a device)")
    with path.open("rb") as f:  # read one byte past the limit, never more: /dev/zero must not fill memory
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"file too large (the limit is {MAX_FILE_BYTES // 2**20} MB)")
    return load_bytes(data, str(path))
