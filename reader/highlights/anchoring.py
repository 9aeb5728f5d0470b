"""Placing a highlight again when its paper's text changed (a new parser, a better file of the same paper).

A highlight keeps its position and its words (W3C TextPositionSelector + TextQuoteSelector). Placing it
again tries, in order:

1. **exact**: the words are still at the same position;
2. **moved**: the same words elsewhere, compared in a normalised copy of both texts that ignores form
   (line breaks and spaces, hyphens between letters, quote marks and dashes, ligatures), so a reformatted
   passage at the old place is found as surely as an untouched one; or the same words with one line put
   between two of them (a running header landing inside the sentence). Among several, the one whose
   surroundings best match the saved prefix and suffix wins, then the one nearest the old place;
3. **fuzzy**: nearly the same words (a tenth of the length in edits, at most 40), found around exact pieces
   of the quote, beginning and ending with the quote's own first and last words; also chosen over a copy
   elsewhere whose context does not match when the near-match's context does (a word edited in place);
4. **orphaned**: otherwise, and whenever a placement would be a guess: a near-match, a short quote, or one of
   several copies must agree with its saved context. The highlight stays where it was, marked, never dropped.

The normalised text of a paper is computed once and kept for its next highlights.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SAME = str.maketrans({**{c: "'" for c in "‘’‚‛′`´"}, **{c: '"' for c in "“”„‟″«»"},
                       **{c: "-" for c in "‐‑‒–—―−"}})
_SPACE = re.compile(r"\s+")
# "-" (and any line break after it) between letters: "exam-\nple" and "example", "figure-\neight" and
# "figure-eight" read the same (which hyphen a parser keeps at a line end cannot be known)
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])[-‐‑‒–—―−]\s*(?=[^\W\d_])")  # any dash: "1N–P" and "1N-P" alike
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
    norm_quote = normalise(quote)[0]
    if len(norm_quote.strip()) < 2:
        return Placement(start, end, "orphaned")
    norm_text, where = _prepared(text)
    context = _Context(norm_text, normalise(prefix)[0], normalise(suffix)[0],
                       bisect_left(where, start) if where else 0)
    # the same words, whatever their form: verbatim copies are among these (so a reformatted passage at the
    # old place is not beaten by an untouched copy elsewhere), then the words with a line put between them
    candidates = [(s, s + len(norm_quote), 0) for s in _find_all(norm_text, norm_quote)]
    candidates = candidates or _gapped(norm_text, norm_quote)
    anchor = "moved"
    best = context.best(candidates)
    if best is None or context.score(best) < _WEAK_CONTEXT:
        # nothing, or only a copy with other words around it: nearly the same words with the right context
        # (one word edited at the old place) may be the better answer
        fuzzy = context.best([c for c in _fuzzy(norm_text, norm_quote) if _same_ends(norm_text, c, norm_quote)])
        if fuzzy is not None and (best is None or context.score(fuzzy) >= context.score(best) + _WEAK_CONTEXT):
            best, anchor = fuzzy, "fuzzy"
    if best is None:
        return Placement(start, end, "orphaned")
    # a guess is worse than an orphan: near-matches, and short quotes, must also agree with their context
    needs_context = anchor == "fuzzy" or len(norm_quote) < _SHORT_QUOTE or len(candidates) > 1
    if needs_context and context.agreement(best) < _MIN_CONTEXT and (len(candidates) > 1 or anchor == "fuzzy"
                                                                     or context.far(best)):
        return Placement(start, end, "orphaned")
    s, e, _ = best
    new_start, new_end = where[s], where[e - 1] + 1
    return Placement(new_start, new_end, "exact" if (new_start, new_end) == (start, end) else anchor)


# Characters of matching context (prefix + suffix, normalised) that make a placement trustworthy.
_WEAK_CONTEXT = 12
_MIN_CONTEXT = 6
_SHORT_QUOTE = 40
_MAX_GAP = 120  # characters of a line (a running header) that may sit between a quote's words


class _Context:
    """Scores a candidate span of the normalised text by how well its surroundings match the saved ones."""

    def __init__(self, text: str, prefix: str, suffix: str, old: int) -> None:
        self.text, self.prefix, self.suffix, self.old = text, prefix, suffix, old

    def agreement(self, span: tuple[int, int, int]) -> int:
        s, e, _ = span
        before = self.text[max(0, s - len(self.prefix) - 1):s]
        after = self.text[e:e + len(self.suffix) + 1]
        return _common_suffix(before.rstrip(), self.prefix.rstrip()) + _common_prefix(after.lstrip(),
                                                                                      self.suffix.lstrip())

    def score(self, span: tuple[int, int, int]) -> int:
        return self.agreement(span) - 2 * span[2]

    def far(self, span: tuple[int, int, int]) -> bool:
        return abs(span[0] - self.old) > 2000

    def best(self, spans: list[tuple[int, int, int]]) -> tuple[int, int, int] | None:
        if not spans:
            return None
        return max(spans, key=lambda sp: (self.score(sp), -abs(sp[0] - self.old)))


@lru_cache(maxsize=8)
def _prepared(text: str) -> tuple[str, list[int]]:
    """normalise(text), kept for the next highlights of the same paper (one pass per paper, not per highlight)."""
    return normalise(text)


def _gapped(text: str, quote: str) -> list[tuple[int, int, int]]:
    """The quote's words with one stretch of at most _MAX_GAP characters between two of them (a running
    header or a page number line put into the sentence): spans of ``text``, distance 1."""
    found: list[tuple[int, int, int]] = []
    spaces = [i for i, ch in enumerate(quote) if ch == " "]
    for cut in spaces[:60]:
        head, tail = quote[:cut], quote[cut + 1:]
        if len(head) < 8 or len(tail) < 8:
            continue
        for h in _find_all(text, head, limit=10):
            region_start = h + len(head) + 2
            at = text.find(" " + tail, region_start, region_start + _MAX_GAP + len(tail) + 1)
            if at >= 0:
                found.append((h, at + 1 + len(tail), 1))
    return list(dict.fromkeys(found))


_WORD = re.compile(r"\w+")


def _same_ends(text: str, span: tuple[int, int, int], quote: str) -> bool:
    """A near-match must begin and end with the quote's own first and last words (not a piece of the line
    next to it)."""
    got = _WORD.findall(text[span[0]:span[1]].lower())
    want = _WORD.findall(quote.lower())
    return bool(got and want) and got[0] == want[0] and got[-1] == want[-1]


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


def _find_all(text: str, needle: str, limit: int = 200) -> list[int]:
    found = []
    at = text.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


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


def _fuzzy(text: str, quote: str) -> list[tuple[int, int, int]]:
    """Spans of ``text`` within ``max_edits`` of ``quote`` (both normalised), with their edit distance."""
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
    results: dict[tuple[int, int], int] = {}
    for lo in sorted(windows):
        window = text[lo:lo + m + 2 * k]
        aligned = _align(quote, window, k)
        if aligned is not None:
            distance, s, e = aligned
            key = (lo + s, lo + e)
            results[key] = min(distance, results.get(key, distance))
    return [(s, e, d) for (s, e), d in results.items()]


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
