"""Loader for PDFs: pymupdf gives positioned lines, structure recovery does the rest.

MuPDF is C code and PDFs come from anywhere, so ``load_pdf_isolated`` parses in a worker process with a
time limit: a hostile or broken file can hang or crash that process, never the app.
"""
from __future__ import annotations

from reader.ingest import PARSER_VERSION
from reader.ingest.pdf_lines import extract_lines
from reader.ingest.sandbox import run_isolated
from reader.ingest.frontmatter import parse_author_line
from reader.ingest.structure import recover_structure
from reader.model import Paper, paper_id_for


def load_pdf(data: bytes, source_path: str) -> Paper:
    """Parse a PDF in this process (use ``load_pdf_isolated`` for files you did not make)."""
    content = extract_lines(data, source_path)
    paper = Paper(id=paper_id_for(data), source_path=source_path, format="pdf", parser_version=PARSER_VERSION,
                  page_count=content.page_count)
    paper.warnings.extend(content.warnings)
    recover_structure(content.lines, paper)
    _fill_from_pdf_metadata(paper, content.metadata)
    return paper


def load_pdf_isolated(data: bytes, source_path: str, timeout: float) -> Paper:
    """Parse a PDF in a worker process; a hang or crash becomes a ``ParserAborted``."""
    return run_isolated(load_pdf, data, source_path, timeout=timeout)


def _fill_from_pdf_metadata(paper: Paper, metadata: dict[str, str]) -> None:
    """Use the PDF's own metadata where the page gave nothing (it is often empty or wrong, so only then)."""
    title = metadata.get("title", "")
    if not paper.title and len(title.split()) >= 3:
        paper.title = title
    if not paper.authors and metadata.get("author"):
        paper.authors = parse_author_line(metadata["author"])
