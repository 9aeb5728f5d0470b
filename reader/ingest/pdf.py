"""Loader for PDFs: pymupdf gives positioned lines, structure recovery does the rest.

MuPDF is C code and PDFs come from anywhere, so ``load_pdf_isolated`` parses in a worker process with a
time limit: a hostile or broken file can hang or crash that process, never the app.
"""
from __future__ import annotations

from reader.collector import collector_paused
from reader.ingest import PARSER_VERSION
from reader.ingest.pdf_lines import extract_lines
from reader.ingest.sandbox import run_isolated
from reader.ingest.pdf_metadata import fill_from_pdf, title_from_pdf
from reader.ingest.structure import recover_structure
from reader.model import Paper, paper_id_for


def load_pdf(data: bytes, source_path: str) -> Paper:
    """Parse a PDF in this process (use ``load_pdf_isolated`` for files you did not make)."""
    with collector_paused():  # pymupdf's hundreds of thousands of short-lived dicts (reader/collector.py)
        content = extract_lines(data, source_path)
        paper = Paper(id=paper_id_for(data), source_path=source_path, format="pdf",
                      parser_version=PARSER_VERSION, page_count=content.page_count)
        paper.warnings.extend(content.warnings)
        paper.title = title_from_pdf(content.first_page, content.metadata)  # the title block shows it
        recover_structure(content.lines, paper)
        fill_from_pdf(paper, content.first_page, content.running, content.metadata)
    return paper


def load_pdf_isolated(data: bytes, source_path: str, timeout: float) -> Paper:
    """Parse a PDF in a worker process; a hang or crash becomes a ``ParserAborted``."""
    return run_isolated(load_pdf, data, source_path, timeout=timeout)
