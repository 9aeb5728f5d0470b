"""A highlight: a span of a paper's reading text, kept with the words it covers so it can be found again."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

# The palette, in the order a menu offers it; the hex values are what exports and the window paint.
COLORS = {"yellow": "#ffe066", "green": "#a9e34b", "blue": "#74c0fc", "pink": "#faa2c1", "purple": "#b197fc"}
DEFAULT_COLOR = "yellow"
CONTEXT_CHARS = 32  # prefix and suffix kept beside the quote (W3C TextQuoteSelector)
ANCHOR_STATES = ("exact", "moved", "fuzzy", "orphaned")


@dataclass
class Highlight:
    """One highlight. ``start``/``end`` are offsets into ``Paper.text``; ``quote``, ``prefix`` and ``suffix``
    are the words there when it was placed, so it can be placed again when the text changes.
    ``anchor`` says how well it is placed now: exact, moved (same words elsewhere), fuzzy (nearly the same
    words) or orphaned (its words are gone; kept, and shown apart)."""

    id: str
    paper_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    color: str = DEFAULT_COLOR
    note: str = ""
    tags: list[str] = field(default_factory=list)
    created: str = ""
    modified: str = ""
    anchor: str = "exact"
    text_hash: str = ""  # the hash of the text it was placed in: another hash means "place it again"

    @classmethod
    def new(cls, paper_id: str, text: str, start: int, end: int, color: str = DEFAULT_COLOR, note: str = "",
            tags: list[str] | None = None, text_hash: str = "") -> Highlight:
        """A highlight of ``text[start:end]``, with its context and timestamps."""
        if not 0 <= start < end <= len(text):
            raise ValueError(f"a highlight needs 0 <= start < end <= {len(text)}, got {start}..{end}")
        check_color(color)
        now = now_iso()
        quote, prefix, suffix = quote_selector(text, start, end)
        return cls(id=str(uuid.uuid4()), paper_id=paper_id, start=start, end=end, quote=quote, prefix=prefix,
                   suffix=suffix, color=color, note=note, tags=list(tags or []), created=now, modified=now,
                   text_hash=text_hash)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "paper_id": self.paper_id, "start": self.start, "end": self.end,
                "quote": self.quote, "prefix": self.prefix, "suffix": self.suffix, "color": self.color,
                "note": self.note, "tags": list(self.tags), "created": self.created, "modified": self.modified,
                "anchor": self.anchor}


def quote_selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(quote, prefix, suffix) of ``text[start:end]``, with up to CONTEXT_CHARS of context each side."""
    return text[start:end], text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]


def check_color(color: str) -> None:
    if color not in COLORS:
        raise ValueError(f"unknown colour {color!r} (use one of: {', '.join(COLORS)})")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    """A short fingerprint of a paper's text: highlights placed in another text are placed again."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
