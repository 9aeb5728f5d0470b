"""What the library holds about a paper beyond its parse: the reader's own words and order.

The index takes it along with the paper, so people find papers by what they wrote and how they filed them:
highlight texts and notes, notes on the paper, corrected metadata, tags and collections.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class UserData:
    notes: str = ""  # highlight quotes and notes, and notes on the paper, as one text
    corrections: dict[str, Any] = field(default_factory=dict)  # see reader.library.corrections
    tags: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)  # paths, "Thesis/Chapter 2"
