"""Python's cycle collector paused around work that makes many objects at once and no cycles.

Parsing a PDF (pymupdf hands over hundreds of thousands of short-lived dicts, one per vector path on a page of
plots: 10-15% of the parse), listing a library (10,000 catalog rows and their entries) and searching it (postings of thousands of papers,
each a small tuple) make tens of thousands of objects in a few tens of ms; every 700 of them start a pass of
the cycle collector over the young objects, and every few passes over older ones: 10-40% of a listing or a
search at 10,000 papers, for objects that hold no cycles (reference counting frees them all the same).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the block; on again after it only if it was on before (another thread may
    have paused it too: then the first to finish turns it on, which costs time, never memory for long)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
