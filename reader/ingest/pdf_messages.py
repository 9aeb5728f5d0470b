"""MuPDF's own warnings and errors about a damaged PDF: kept out of stdout, sent to the log, counted.

MuPDF reports what it repairs ("syntax error in content stream", "cannot find XObject resource") through
pymupdf, which prints them to stdout by default. Our stdout is machine output (``parse --json``), so while
we read a PDF MuPDF shows nothing; afterwards its messages go to the ``reader.ingest.pdf`` logger and the
paper gets one warning with their number.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pymupdf

LOG = logging.getLogger("reader.ingest.pdf")
_KEEP = 200  # a damaged file can report thousands of messages; the log gets the first ones

# pymupdf's own notices (outside the MuPDF error store) go to the log too, never to stdout.
pymupdf.set_messages(pylogging_logger=LOG, pylogging_level=logging.INFO)


class MupdfMessages:
    """What MuPDF said while a document was read (filled when the ``collected`` block ends)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def warning(self) -> str | None:
        """One line for ``Paper.warnings``, or None when MuPDF said nothing."""
        if not self.messages:
            return None
        n = len(self.messages)
        return f"the PDF is damaged: MuPDF repaired {n} problem{'s' if n != 1 else ''} while reading it " \
               f"(first: {self.messages[0][:120]})"


@contextmanager
def collected(source: str = "") -> Iterator[MupdfMessages]:
    """Silence MuPDF's messages inside the block; log them (and count them) when it ends."""
    tools = pymupdf.TOOLS
    show_errors, show_warnings = tools.mupdf_display_errors(), tools.mupdf_display_warnings()
    tools.mupdf_display_errors(False)
    tools.mupdf_display_warnings(False)
    tools.reset_mupdf_warnings()
    found = MupdfMessages()
    try:
        yield found
    finally:
        text = tools.mupdf_warnings(reset=True) or ""
        tools.mupdf_display_errors(show_errors)
        tools.mupdf_display_warnings(show_warnings)
        found.messages = [line.strip() for line in text.splitlines() if line.strip()]
        for line in found.messages[:_KEEP]:
            LOG.info("%s: MuPDF: %s", source or "PDF", line.encode("utf-8", "replace").decode("utf-8"))
        if len(found.messages) > _KEEP:
            LOG.info("%s: MuPDF: %d more messages", source or "PDF", len(found.messages) - _KEEP)
