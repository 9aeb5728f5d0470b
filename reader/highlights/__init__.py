"""Highlights: the store (in the library's database), placing them again when a text changes, and exports.

Pure Python, no Qt. ``reader.library.Library`` ties them to papers; the window and the CLI use that.
"""
from reader.highlights.anchoring import Placement, place
from reader.highlights.model import COLORS, Highlight, text_hash
from reader.highlights.store import HighlightError, HighlightStore

__all__ = ["COLORS", "Highlight", "HighlightError", "HighlightStore", "Placement", "place", "text_hash"]
