"""Placing a highlight again when its paper's text changed (a new parser, a better file of the same paper).

A highlight keeps its position and its words (W3C TextPositionSelector + TextQuoteSelector). Placing it
again tries, in order:

1. **exact**: the words are still at the same position;
2. **moved**: the same words elsewhere, the occurrence whose surrounding words best match the saved prefix
   and suffix (then the one nearest the old place); also when only the text's *form* changed (line breaks
   and hyphenation, quote marks and dashes, ligatures, spaces), by comparing a normalised copy of both;
3. **fuzzy**: nearly the same words: the normalised quote within a bounded edit distance (a tenth of its
   length, at most 40), searched only around exact matches of its first, middle and last pieces, so a
   paper-length text costs a few milliseconds, never a full alignment;
4. **orphaned**: otherwise. The highlight is kept where it was, marked, never dropped or guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SAME = str.maketrans({**{c: "'" for c in "‘’‚‛′`´"}, **{c: '"' for c in "“”„‟″«»"},
                       **{c: "-" for c in "‐‑‒–—―−"}})
_SPACE = re.compile(r"\s+")
# "-" then white space then a lower-case letter, after a letter: a word broken at a line end
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-\s+(?=[a-zß-ÿ])")
_PIECE = 16  # length of the exact pieces that seed a fuzzy search


@dataclass
class Placement:
    """Where a highlight goes in the new text, and how sure we are."""

    start: int
    end: int
    anchor: str  # exact | moved | fuzzy | orphaned


def place(text: str, start: int, end: int, quote: str, prefix: str, suffix: str) -> Placement:
    """Place a highlight (saved as ``start``/``end``/``quote``/``prefix``/``suffix``) in ``text``."""
    if quote and text[start:end] == quote:
        return Placement(start, end, "exact")
    if not quote.strip():
        return Placement(start, end, "orphaned")
    found = _occurrences(text, quote)
    if found:
        best = _best(found, text, prefix, suffix, start)
        return Placement(best[0], best[1], "exact" if best[0] == start else "moved")
    norm_text, where = normalise(text)
    norm_quote, _ = normalise(quote)
    if not norm_quote.strip():
        return Placement(start, end, "orphaned")
    spans = [(s, s + len(norm_quote)) for s in _find_all(norm_text, norm_quote)]
    anchor = "moved"
    if not spans:
        spans = _fuzzy(norm_text, norm_quote)
        anchor = "fuzzy"
    if not spans:
        return Placement(start, end, "orphaned")
    candidates = [(where[s], where[e - 1] + 1) for s, e in spans]
    best = _best(candidates, text, prefix, suffix, start)
    return Placement(best[0], best[1], anchor)


def normalise(text: str) -> tuple[str, list[int]]:
    """A copy of ``text`` that ignores form (see the module doc), and for each of its characters the offset
    in ``text`` it came from."""
    out: list[str] = []
    where: list[int] = []
    joins = {m.start(): m.end() for m in _BROKEN_WORD.finditer(text)}
    i, n = 0, len(text)
    pending_space = -1
    while i < n:
        if i in joins:
            i = joins[i]
            continue
        ch = text[i]
        if ch == "\u00ad":  # soft hyphen
            i += 1
            continue
        if ch.isspace():
            if pending_space < 0:
                pending_space = i
            i += 1
            continue
        if pending_space >= 0:
            if out:
                out.append(" ")
                where.append(pending_space)
            pending_space = -1
        for piece in _LIGATURES.get(ch, ch).translate(_SAME):
            out.append(piece)
            where.append(i)
        i += 1
    return "".join(out), where


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    return [(s, s + len(quote)) for s in _find_all(text, quote)]


def _find_all(text: str, needle: str, limit: int = 200) -> list[int]:
    found = []
    at = text.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _best(candidates: list[tuple[int, int]], text: str, prefix: str, suffix: str,
          old_start: int) -> tuple[int, int]:
    """The candidate whose surroundings best match the saved context; then the nearest the old place."""
    if len(candidates) == 1:
        return candidates[0]
    norm_prefix = normalise(prefix)[0]
    norm_suffix = normalise(suffix)[0]

    def score(span: tuple[int, int]) -> tuple[int, int]:
        s, e = span
        before = normalise(text[max(0, s - 3 * len(prefix) - 8):s])[0]
        after = normalise(text[e:e + 3 * len(suffix) + 8])[0]
        return (_common_suffix(before, norm_prefix) + _common_prefix(after, norm_suffix), -abs(s - old_start))

    return max(candidates, key=score)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def max_edits(length: int) -> int:
    """How many single-character edits a fuzzy match of a quote this long may have."""
    return min(40, max(1, length // 10))


def _fuzzy(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans of ``text`` within ``max_edits`` of ``quote`` (both normalised), best first."""
    k = max_edits(len(quote))
    m = len(quote)
    piece = min(_PIECE, max(4, m // 3))
    if m < 2 * piece:  # too short to tell a near match from a different sentence
        return []
    seeds = sorted({0, (m - piece) // 2, m - piece})
    windows: set[int] = set()
    for offset in seeds:
        for at in _find_all(text, quote[offset:offset + piece], limit=50):
            windows.add(max(0, at - offset - k))
    results: list[tuple[int, int, int]] = []
    for lo in sorted(windows):
        window = text[lo:lo + m + 2 * k]
        aligned = _align(quote, window, k)
        if aligned is not None:
            distance, s, e = aligned
            results.append((distance, lo + s, lo + e))
    results.sort()
    if not results:
        return []
    best = results[0][0]
    return list(dict.fromkeys((s, e) for d, s, e in results if d == best))


def _align(quote: str, window: str, k: int) -> tuple[int, int, int] | None:
    """The substring of ``window`` closest to ``quote`` by edit distance, as (distance, start, end), if the
    distance is at most ``k``. Semi-global alignment (Sellers), computed only in a band around the
    diagonal: the match starts within the first 2k characters of the window."""
    m, n = len(quote), len(window)
    big = k + 1
    # prev[j]: (cost, start) of aligning quote[:i] ending at window[:j]
    prev = [(0, j) for j in range(n + 1)]
    for i in range(1, m + 1):
        lo, hi = max(1, i - k), min(n, i + 3 * k)
        cur = [(big, 0)] * (n + 1)
        cur[0] = (i, 0) if i <= k else (big, 0)
        qc = quote[i - 1]
        for j in range(lo, hi + 1):
            diag_cost, diag_start = prev[j - 1]
            best = (diag_cost + (qc != window[j - 1]), diag_start)
            up_cost, up_start = prev[j]
            if up_cost + 1 < best[0]:
                best = (up_cost + 1, up_start)
            left_cost, left_start = cur[j - 1]
            if left_cost + 1 < best[0]:
                best = (left_cost + 1, left_start)
            cur[j] = best if best[0] <= k else (big, 0)
        prev = cur
    ends = [(cost, start, j) for j, (cost, start) in enumerate(prev) if cost <= k]
    if not ends:
        return None
    # the fewest edits; among those, the length nearest the quote's
    return min(ends, key=lambda t: (t[0], abs(t[2] - t[1] - m)))
