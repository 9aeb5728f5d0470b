"""Builds a paper's reading text block by block, keeping every offset exact.

Loaders write blocks (title, headings, paragraphs, references) through one ``TextBuilder``; blocks are
separated by a blank line. Inside a block, runs of white space collapse to one space, and ``write``
returns the span of what it wrote, so a loader can record where an in-text citation landed.
"""
from __future__ import annotations

import re

from reader.model import Block

BLOCK_SEPARATOR = "\n\n"
# runs of white space other than one plain space (which stays as it is): the same result as replacing every
# run, without rebuilding a paragraph at each of its spaces
_SPACES = re.compile(r"[^\S ]\s*| \s+")
_ODD_SPACE = re.compile(r"[^\S ]")  # a character class alone: the regex engine scans for it in C


class TextBuilder:
    """Accumulates ``Paper.text`` and its ``Block`` list."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self._open_at: int | None = None  # offset where the open block's text starts
        self._open_part: int = 0  # index into _parts where the open block begins (separator included)
        self._open_length = 0  # the text's length before the open block (to drop it when it stays empty)
        self._ends_with_space = True
        self._last_text = ""

    def text(self) -> str:
        return "".join(self._parts)

    def _append(self, s: str) -> None:
        if s:
            self._parts.append(s)
            self._length += len(s)

    def open_block(self) -> None:
        """Start a block; ``write`` adds to it and ``close_block`` ends it."""
        if self._open_at is not None:
            raise RuntimeError("a block is already open")
        self._open_part = len(self._parts)
        self._open_length = self._length
        if self._length:
            self._append(BLOCK_SEPARATOR)
        self._open_at = self._length
        self._ends_with_space = True

    def write(self, s: str) -> tuple[int, int]:
        """Append inline text to the open block; return the span of its non-space part."""
        if self._open_at is None:
            raise RuntimeError("no block is open")
        # Most text has nothing to change: not a regex step at every space. Every white-space character but the
        # plain space is unprintable, and isprintable() is a quicker scan than the regex's.
        if "  " in s or (not s.isprintable() and _ODD_SPACE.search(s)):
            s = _SPACES.sub(" ", s)
        if self._ends_with_space and s.startswith(" "):
            s = s[1:]
        core = s.strip(" ")
        lead = len(s) - len(s.lstrip(" "))
        start = self._length + lead
        self._append(s)
        if s:
            self._ends_with_space = s.endswith(" ")
        return start, start + len(core)

    def write_separator(self, sep: str) -> None:
        """Append a tab or a newline as it is (between a table's cells and rows), dropping a space before it."""
        if self._open_at is None:
            raise RuntimeError("no block is open")
        if self._length > self._open_at and self._parts[-1].endswith(" "):
            last = self._parts.pop()
            self._length -= len(last)
            self._append(last.rstrip(" "))
        self._append(sep)
        self._ends_with_space = True

    def close_block(self, kind: str, level: int = 0, page: int | None = None) -> Block | None:
        """End the open block. An empty block is dropped (with its separator) and gives None."""
        if self._open_at is None:
            raise RuntimeError("no block is open")
        start = self._open_at
        self._open_at = None
        if self._length > start and self._parts and self._parts[-1].endswith(" "):
            last = self._parts.pop()
            self._length -= len(last)
            self._append(last.rstrip(" "))
        if self._length == start:
            del self._parts[self._open_part:]
            self._length = self._open_length
            return None
        block = Block(kind, start, self._length, level, page)
        self.blocks.append(block)
        self._last_text = "".join(self._parts[self._open_part:]).removeprefix(BLOCK_SEPARATOR)
        return block

    def last_block_text(self) -> str:
        """The text of the block closed last (cheap: no copy of the whole text)."""
        return self._last_text

    def add_empty_block(self, kind: str, page: int | None, bbox: tuple[float, float, float, float]) -> Block:
        """A block with no text of its own (a figure shown as its picture), at the current end of the text."""
        if self._open_at is not None:
            raise RuntimeError("a block is open")
        block = Block(kind, self._length, self._length, 0, page, bbox)
        self.blocks.append(block)
        return block

    def add_table(self, rows: list[list[str]], page: int | None,
                  bbox: tuple[float, float, float, float]) -> Block | None:
        """A table block: cells as printed, joined by tab, rows by newline (white space inside a cell
        collapses to one space). Returns None when there is no cell text."""
        cells = [[" ".join(c.split()) for c in row] for row in rows]
        text = "\n".join("\t".join(row) for row in cells if any(row))
        if not text.strip():
            return None
        self.open_block()
        start = self._length
        self._append(text)
        block = self.close_block("table", 0, page)
        if block is not None:
            block.bbox = bbox
            block.start = start
        return block

    def add_block(self, kind: str, text: str, level: int = 0, page: int | None = None) -> Block | None:
        """Add a whole block of text at once."""
        self.open_block()
        self.write(text)
        return self.close_block(kind, level, page)
