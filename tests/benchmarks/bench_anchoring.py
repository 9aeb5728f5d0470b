"""Benchmark: placing highlights again after a new parser changed the paper's text (reader.highlights.anchoring).

Run: .venv/bin/python tests/benchmarks/bench_anchoring.py [--seed 1] [--per-paper 20] [--papers N]
                                                          [--corpus ../shared/corpus/jats] [--examples 10]
                                                          [--jobs 1]

For every JATS article of the corpus (all by default, or the first N by name with --papers) it highlights
``--per-paper`` random sentences of its paragraphs (sentences of 25 characters or more; one highlight in four
is a run of 3-6 words inside a sentence instead, to test short quotes), saves each one's quote, prefix and
suffix with ``quote_selector``, then perturbs the text the way another parser would and places every
highlight again with ``place()``. The perturbations, each alone and then all together:

  re-wrap      a hard line break (a space turned into "\\n") every 62-78 characters;
  hyphenation  long words broken at those (virtual) line ends as "exam-\\nple", and hyphenated compounds
               broken after their own hyphen ("thermally-\\ninducible");
  headers      a running header line "\\nJournal of <venue> <year> | <page>\\n" put in place of the first
               white space after every 3000 characters (so it can fall inside a sentence, as in a PDF);
  normalise    ' " - become ’ “” – (dashes only between digits) and ’ ‘ “ ” – — become ' " -; half of the
               ff/fi/fl/ffi/ffl in words become ligatures (ﬁ ...);
  delete-para  one random paragraph that holds a highlight is deleted, with the white space after it;
  word-edit    in one highlight in four, one inner word is changed ("the" -> "a", "of" -> "in", ...; or one
               letter of a longer word), to test fuzzy placement;
  all          all of the above, in the order delete-para, word-edit, normalise, re-wrap + hyphenation,
               headers (each step makes the same random choices as when it runs alone).

Every perturbation is built as a list of edits (old start, old end, new piece, substitute | delete), so the
TRUE new span of each highlight is known: from the new position of its first character to just after the
new position of its last (a piece inserted strictly inside it, like a header or "-\\n", is inside the span);
a highlight is "deleted" when any of its characters was deleted.

Each placement is classified:
  correct            not orphaned and the span equals the true span (up to white space at either end);
  misplaced          placed somewhere else than the true span, or placed at all although its words were
                     deleted (a silent error: the worst outcome);
  orphaned-wrongly   its words survive (perhaps with one word edited) but it came back orphaned;
  orphaned-correctly its words were deleted and it came back orphaned.

It prints one table, a row per perturbation:
  hl         highlights placed;
  surv       highlights whose words survive unedited; correct% is the share of them placed correctly
             (the goal is >= 99%); no-dup% the same without those tagged dup (below);
  misplaced  silently misplaced (over all highlights, edited and deleted ones included);
  orph-wrong surviving unedited highlights reported orphaned;
  edited     highlights with one word changed: how many, and correct / orphaned / misplaced;
  deleted    highlights whose words were deleted, and the share of them reported orphaned (goal 100%);
  anchors    how many came back exact / moved / fuzzy / orphaned;
  ms p50/p95/max  time of one place() call.
Then, per perturbation, the failures counted by what touched the highlight (tags below; a misplaced one
that "overlaps the true span" has a wrong start or end, the others went elsewhere), and the first
``--examples`` misplaced and wrongly orphaned highlights (paper, perturbation, tags, quote, the true span's
text, the placed span's text, anchor) for whoever fixes ``place()``.

Tags: wrap / hyphen / hyphen-compound / header / quote / dash / ligature / word-edit = an edit of that kind
inside the highlight; short = its normalised quote is under 32 characters (a few words: a fuzzy match may
then differ by 3 edits at most); dup = its quote occurs more than once in the original text (compared after
normalise(): eLife articles repeat the reviewers' words in the decision letter and the author response, and
author contributions repeat phrases); ctx-deleted = the deleted paragraph touched its prefix or suffix;
del = it was in the deleted paragraph.

A benchmark, not a test: pytest does not collect it. It takes a few minutes on the whole corpus (place()
normalises the whole text on every call that does not find the quote verbatim); --jobs N runs papers in N
processes (the timings are then taken under load).
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import multiprocessing
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from reader.highlights.anchoring import normalise, place
from reader.highlights.model import CONTEXT_CHARS, quote_selector
from reader.ingest import load_paper

REPO = Path(__file__).resolve().parents[2]
VARIANTS = ("re-wrap", "hyphenation", "headers", "normalise", "delete-para", "word-edit", "all")
HEADER_EVERY = 3000
HYPHENATE_SHARE = 0.5  # of the line ends where a long word could be broken
LIGATURE_SHARE = 0.5
SUBSPAN_EVERY = 4  # one highlight in four is a few words, not a sentence
EDIT_EVERY = 4  # one highlight in four gets one word changed (word-edit)

# a sentence ends at . ! ? (maybe followed by a closing quote or bracket), then space, then a capital,
# digit or opening bracket/quote
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z0-9“\"(\[])")
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"\S+|\s+")
_SWAPS = {"the": "a", "a": "the", "an": "the", "of": "in", "in": "of", "and": "or", "or": "and", "is": "was",
          "was": "is", "are": "were", "were": "are", "to": "for", "for": "to", "with": "without", "by": "from"}
_FORM = re.compile(r"ffi|ffl|ff|fi|fl|[’‘“”–—'\"]|(?<=\d)-(?=\d)|[ﬀﬁﬂﬃﬄ]")
_LIGATURE_OF = {"ff": "ﬀ", "fi": "ﬁ", "fl": "ﬂ", "ffi": "ﬃ", "ffl": "ﬄ"}
_UNLIGATURE = {v: k for k, v in _LIGATURE_OF.items()}


# ----------------------------------------------------------------------------------------------- edits

@dataclass
class Edit:
    a: int  # [a, b) of the current text; a == b inserts before character a
    b: int
    new: str
    kind: str  # tag: wrap, hyphen, header, quote, dash, ligature, word-edit, del
    delete: bool = False  # the old characters are gone (not just rewritten)


@dataclass
class Track:
    """A highlight's span in the current text, or None once any of its characters was deleted."""

    span: tuple[int, int] | None
    tags: set[str] = field(default_factory=set)


def apply(text: str, edits: list[Edit], tracks: list[Track]) -> str:
    """Apply non-overlapping ``edits`` to ``text``; move every track to its span in the result."""
    edits = sorted(edits, key=lambda e: (e.a, e.b))
    for prev, cur in itertools.pairwise(edits):
        if cur.a < prev.b:
            raise AssertionError(f"overlapping edits {prev} {cur}")
    pieces, at, shift = [], 0, 0
    starts, new_starts, shifts_after = [], [], []
    for e in edits:
        pieces.append(text[at:e.a])
        starts.append(e.a)
        new_starts.append(e.a + shift)
        pieces.append(e.new)
        shift += len(e.new) - (e.b - e.a)
        shifts_after.append(shift)
        at = e.b
    pieces.append(text[at:])

    def where(p: int) -> tuple[int, int] | None:
        """The new range of current character ``p``; None if it was deleted."""
        k = bisect.bisect_right(starts, p) - 1
        if k >= 0 and edits[k].a <= p < edits[k].b:
            if edits[k].delete:
                return None
            return new_starts[k], new_starts[k] + len(edits[k].new)
        shifted = p + (shifts_after[k] if k >= 0 else 0)
        return shifted, shifted + 1

    for t in tracks:
        if t.span is None:
            continue
        x, y = t.span
        for e in edits:
            if e.a < y and (e.b > x if e.b > e.a else e.a > x):
                t.tags.add(e.kind)
        first, last = where(x), where(y - 1)
        if first is None or last is None or any(e.delete and e.a < y and e.b > x for e in edits):
            t.span = None
        else:
            t.span = (first[0], last[1])
    return "".join(pieces)


# --------------------------------------------------------------------------------------- perturbations

def delete_paragraph(text: str, paragraphs: list[tuple[int, int]], highlights: list[tuple[int, int]],
                     rng: Random) -> list[Edit]:
    holding = [(s, e) for s, e in paragraphs if any(s <= hs and he <= e for hs, he in highlights)]
    if not holding:
        return []
    s, e = rng.choice(holding)
    m = re.compile(r"\s*").match(text, e)
    end = m.end() if m else e
    if end >= len(text):  # the last block: take the white space before it instead
        while s > 0 and text[s - 1].isspace():
            s -= 1
    return [Edit(s, end, "", "del", delete=True)]


def edit_words(text: str, tracks: list[Track], chosen: list[int], rng: Random) -> list[Edit]:
    """Change one inner word of each chosen highlight (those still there)."""
    edits = []
    for i in chosen:
        if tracks[i].span is None:
            continue
        x, y = tracks[i].span
        words = list(_WORD.finditer(text, x, y))
        inner = words[1:-1]
        if not inner:
            continue
        swappable = [w for w in inner if w.group().lower() in _SWAPS]
        if swappable:
            w = rng.choice(swappable)
            edits.append(Edit(w.start(), w.end(), _SWAPS[w.group().lower()], "word-edit"))
            continue
        longer = [w for w in inner if len(w.group()) >= 5 and w.group().isalpha()]
        if not longer:
            continue
        w = rng.choice(longer)
        at = w.start() + rng.randrange(1, len(w.group()) - 1)
        old = text[at]
        new = "e" if old.lower() != "e" else "a"
        edits.append(Edit(at, at + 1, new, "word-edit"))
    return edits


def normalise_form(text: str, rng: Random) -> list[Edit]:
    """Swap quote marks, dashes and ligatures both ways, as another parser would."""
    edits = []
    for m in _FORM.finditer(text):
        s, g = m.start(), m.group()
        if g in _LIGATURE_OF:
            # only inside a word, and only half of them
            if rng.random() < LIGATURE_SHARE:
                edits.append(Edit(s, m.end(), _LIGATURE_OF[g], "ligature"))
        elif g in _UNLIGATURE:
            edits.append(Edit(s, m.end(), _UNLIGATURE[g], "ligature"))
        elif g in "’‘":
            edits.append(Edit(s, s + 1, "'", "quote"))
        elif g in "“”":
            edits.append(Edit(s, s + 1, '"', "quote"))
        elif g == "'":
            edits.append(Edit(s, s + 1, "’", "quote"))
        elif g == '"':
            opening = s == 0 or text[s - 1].isspace() or text[s - 1] in "([{"
            edits.append(Edit(s, s + 1, "“" if opening else "”", "quote"))
        elif g in "–—":
            edits.append(Edit(s, s + 1, "-", "dash"))
        elif g == "-":
            edits.append(Edit(s, s + 1, "–", "dash"))
    return edits


def wrap_lines(text: str, rng: Random, wrap: bool, hyphenate: bool) -> list[Edit]:
    """Fill lines of 62-78 characters: the space before a word that does not fit becomes "\\n" (if
    ``wrap``), or a long word is broken across the line end (if ``hyphenate``). With ``hyphenate`` alone,
    the lines are virtual: only the broken words show."""
    edits: list[Edit] = []
    col = 0
    width = rng.randint(62, 78)
    prev_space: re.Match | None = None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0].isspace():
            if "\n" in tok:
                col = len(tok) - tok.rfind("\n") - 1
                prev_space = None
            else:
                col += len(tok)
                prev_space = m
            continue
        if col + len(tok) <= width or col == 0:
            col += len(tok)
            continue
        room = width - col - 1  # characters of the word that fit before "-"
        broke = False
        if hyphenate and rng.random() < HYPHENATE_SHARE:
            compound = [i for i, ch in enumerate(tok) if ch == "-" and 2 <= i < len(tok) - 2 and i < room
                        and tok[i - 1].isalpha() and tok[i + 1].isalpha()]
            letters = [i for i in range(3, len(tok) - 2) if i <= room and tok[:i].isalpha()
                       and tok[i].islower() and tok[i].isalpha() and tok[i:].rstrip(".,;:)").isalpha()]
            if compound:
                i = compound[-1] + 1
                edits.append(Edit(m.start() + i, m.start() + i, "\n", "hyphen-compound"))
                broke = True
            elif len(tok) >= 8 and letters:
                i = letters[-1]
                edits.append(Edit(m.start() + i, m.start() + i, "-\n", "hyphen"))
                broke = True
            if broke:
                col = len(tok) - i
        if not broke:
            if wrap and prev_space is not None and prev_space.group() == " ":
                edits.append(Edit(prev_space.start(), prev_space.end(), "\n", "wrap"))
            col = len(tok)
        width = rng.randint(62, 78)
    return edits


def page_headers(text: str, venue: str, year: str) -> list[Edit]:
    """A header line in place of the first white space after every HEADER_EVERY characters (the first
    line end within 100 characters of there if there is one)."""
    edits = []
    page = 1
    mark = HEADER_EVERY
    while mark < len(text):
        nl = text.find("\n", mark, mark + 100)
        m = re.compile(r"\s").search(text, mark)
        at = nl if nl >= 0 else (m.start() if m else -1)
        if at < 0:
            break
        page += 1
        edits.append(Edit(at, at + 1, f"\nJournal of {venue} {year} | {page}\n", "header"))
        mark = max(at + 1, mark + HEADER_EVERY)
    return edits


# ------------------------------------------------------------------------------------------ highlights

@dataclass
class Saved:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tags: set[str]


def sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in paragraphs:
        at = s
        ends = list(_SENTENCE_END.finditer(text, s, e))
        for m in ends + [None]:
            stop = m.start() if m else e
            a, b = at, stop
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a >= 25:
                out.append((a, b))
            if m:
                at = m.end()
    return out


def pick_highlights(text: str, paragraphs: list[tuple[int, int]], n: int, rng: Random) -> list[Saved]:
    pool = sentences(text, paragraphs)
    norm_text = normalise(text)[0]
    chosen = sorted(rng.sample(pool, min(n, len(pool))))
    picked = []
    for k, (s, e) in enumerate(chosen):
        if k % SUBSPAN_EVERY == SUBSPAN_EVERY - 1:
            words = list(_WORD.finditer(text, s, e))
            if len(words) >= 4:
                count = rng.randint(3, min(6, len(words) - 1))
                first = rng.randrange(0, len(words) - count + 1)
                a, b = words[first].start(), words[first + count - 1].end()
                while a < b and text[a] in "([\"“'‘":
                    a += 1
                while b > a and text[b - 1] in ".,;:)]\"”'’":
                    b -= 1
                if b - a >= 8:
                    s, e = a, b
        quote, prefix, suffix = quote_selector(text, s, e)
        tags = set()
        norm_quote = normalise(quote)[0]
        if len(norm_quote) < 32:
            tags.add("short")
        if norm_text.count(norm_quote) > 1:
            tags.add("dup")
        picked.append(Saved(s, e, quote, prefix, suffix, tags))
    return picked


# ----------------------------------------------------------------------------------------------- a paper

def perturb(variant: str, text: str, paragraphs: list[tuple[int, int]], saved: list[Saved], seed: int,
            name: str, venue: str, year: str) -> tuple[str, list[Track]]:
    """The perturbed text, and every highlight's true span in it."""
    tracks = [Track((h.start, h.end)) for h in saved]

    def rng(step: str) -> Random:
        return Random(f"{seed}:{name}:{step}")

    steps = VARIANTS[:-1] if variant == "all" else (variant,)
    if "delete-para" in steps:
        edits = delete_paragraph(text, paragraphs, [(h.start, h.end) for h in saved], rng("delete-para"))
        if edits:
            s, e = edits[0].a, edits[0].b
            for h, t in zip(saved, tracks):
                if (s < h.start and h.start - CONTEXT_CHARS < e) or (h.end < e and s < h.end + CONTEXT_CHARS):
                    t.tags.add("ctx-deleted")
        text = apply(text, edits, tracks)
    if "word-edit" in steps:
        r = rng("word-edit")
        chosen = [i for i in range(len(saved)) if r.randrange(EDIT_EVERY) == 0]
        text = apply(text, edit_words(text, tracks, chosen, r), tracks)
    if "normalise" in steps:
        text = apply(text, normalise_form(text, rng("normalise")), tracks)
    wrap, hyphenate = "re-wrap" in steps, "hyphenation" in steps
    if wrap or hyphenate:
        text = apply(text, wrap_lines(text, rng("wrap"), wrap, hyphenate), tracks)
    if "headers" in steps:
        text = apply(text, page_headers(text, venue, year), tracks)
    return text, tracks


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def run_paper(job: tuple[str, int, int]) -> dict | None:
    path, seed, per_paper = job
    name = Path(path).name
    paper = load_paper(path)
    text = paper.text
    paragraphs = [(b.start, b.end) for b in paper.blocks if b.kind == "paragraph"]
    saved = pick_highlights(text, paragraphs, per_paper, Random(f"{seed}:{name}:pick"))
    if not saved:
        return None
    venue = (paper.venue or "Things").split(":")[0][:40]
    year = str(paper.year or 2019)
    results = {}
    for variant in VARIANTS:
        new, tracks = perturb(variant, text, paragraphs, saved, seed, name, venue, year)
        rows = []
        for h, t in zip(saved, tracks):
            t0 = time.perf_counter()
            p = place(new, h.start, h.end, h.quote, h.prefix, h.suffix)
            ms = (time.perf_counter() - t0) * 1000
            tags = sorted(h.tags | t.tags)
            edited = "word-edit" in t.tags
            if t.span is None:
                outcome = "orphaned-correctly" if p.anchor == "orphaned" else "misplaced"
            elif p.anchor == "orphaned":
                outcome = "orphaned-wrongly"
            else:
                outcome = "correct" if _trim(new, p.start, p.end) == _trim(new, *t.span) else "misplaced"
            row = {"paper": name, "variant": variant, "outcome": outcome, "anchor": p.anchor, "ms": ms,
                   "deleted": t.span is None, "edited": edited, "tags": tags}
            if outcome in ("misplaced", "orphaned-wrongly"):
                row.update(quote=h.quote,
                           true=None if t.span is None else new[t.span[0]:t.span[1]],
                           true_span=t.span, placed=new[p.start:p.end] if p.anchor != "orphaned" else None,
                           placed_span=(p.start, p.end), old_span=(h.start, h.end))
            if outcome == "misplaced" and t.span is not None:
                row["overlap"] = p.start < t.span[1] and t.span[0] < p.end
            rows.append(row)
        results[variant] = rows
    return {"paper": name, "results": results}


# ------------------------------------------------------------------------------------------------ report

def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def _short(s: str | None, n: int = 160) -> str:
    if s is None:
        return "None"
    s = repr(s)
    return s if len(s) <= n else s[:n - 20] + " ... " + s[-15:]


def report(papers: list[dict], examples: int, wall: float) -> None:
    by_variant: dict[str, list[dict]] = {v: [] for v in VARIANTS}
    for p in papers:
        for v, rows in p["results"].items():
            by_variant[v].extend(rows)
    n_hl = len(by_variant[VARIANTS[0]])
    print(f"{len(papers)} papers, {n_hl} highlights each perturbation "
          f"({sum('short' in r['tags'] for r in by_variant[VARIANTS[0]])} short quotes), "
          f"{wall:.0f} s wall-clock\n")
    head = (f"{'perturbation':12s} {'hl':>5s} {'surv':>5s} {'correct%':>8s} {'no-dup%':>7s} {'misplaced':>9s} {'orph-wrong':>10s}"
            f" {'edited c/o/m':>14s} {'deleted':>7s} {'del->orph':>9s} {'exact/moved/fuzzy/orph':>23s}"
            f" {'ms p50':>7s} {'p95':>6s} {'max':>6s}")
    print(head)
    print("-" * len(head))
    for v in VARIANTS:
        rows = by_variant[v]
        surv = [r for r in rows if not r["deleted"] and not r["edited"]]
        edited = [r for r in rows if not r["deleted"] and r["edited"]]
        deleted = [r for r in rows if r["deleted"]]
        oc = Counter(r["outcome"] for r in surv)
        ec = Counter(r["outcome"] for r in edited)
        anchors = Counter(r["anchor"] for r in rows)
        ms = sorted(r["ms"] for r in rows)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        nodup = [r for r in surv if "dup" not in r["tags"]]
        nodup_ok = sum(r["outcome"] == "correct" for r in nodup)
        print(f"{v:12s} {len(rows):5d} {len(surv):5d} {_pct(oc['correct'], len(surv)):>8s}"
              f" {_pct(nodup_ok, len(nodup)):>7s}"
              f" {sum(r['outcome'] == 'misplaced' for r in rows):9d} {oc['orphaned-wrongly']:10d}"
              f" {f'''{len(edited)}: {ec['correct']}/{ec['orphaned-wrongly']}/{ec['misplaced']}''':>14s}"
              f" {len(deleted):7d} {_pct(sum(r['outcome'] == 'orphaned-correctly' for r in deleted), len(deleted)):>9s}"
              f" {'/'.join(str(anchors[a]) for a in ('exact', 'moved', 'fuzzy', 'orphaned')):>23s}"
              f" {statistics.median(ms):7.2f} {p95:6.1f} {ms[-1]:6.0f}")
    print("\nfailures by tag (a failure can carry several tags; 'none' = no tag)")
    for v in VARIANTS:
        for outcome in ("misplaced", "orphaned-wrongly"):
            fails = [r for r in by_variant[v] if r["outcome"] == outcome]
            if not fails:
                continue
            tags = Counter(t for r in fails for t in (r["tags"] or ["none"]))
            deleted = sum(r["deleted"] for r in fails)
            overlap = sum(bool(r.get("overlap")) for r in fails)
            notes = [f"{overlap} overlap the true span"] if overlap else []
            notes += [f"{deleted} deleted"] if deleted else []
            extra = f" ({', '.join(notes)})" if notes else ""
            print(f"  {v:12s} {outcome:17s} {len(fails):4d}{extra}: "
                  + ", ".join(f"{t} {c}" for t, c in tags.most_common()))
    slow = sorted((r for v in VARIANTS for r in by_variant[v]), key=lambda r: -r["ms"])[:3]
    print("\nslowest placements: " + "; ".join(f"{r['ms']:.0f} ms ({r['paper']}, {r['variant']}, {r['anchor']})"
                                               for r in slow))
    for outcome in ("misplaced", "orphaned-wrongly"):
        # round robin over the perturbations, so each shows up
        queues = {v: [r for r in by_variant[v] if r["outcome"] == outcome] for v in VARIANTS}
        shown = []
        while len(shown) < examples and any(queues.values()):
            for v in VARIANTS:
                if queues[v] and len(shown) < examples:
                    shown.append(queues[v].pop(0))
        total = sum(r["outcome"] == outcome for v in VARIANTS for r in by_variant[v])
        print(f"\n{outcome}: first {len(shown)} of {total}")
        for r in shown:
            print(f"- {r['paper']} [{r['variant']}] anchor={r['anchor']} tags={','.join(r['tags']) or '-'}"
                  f" old={r['old_span']} true={r['true_span']} placed={r['placed_span']}")
            print(f"    quote : {_short(r['quote'])}")
            print(f"    true  : {_short(r['true'])}")
            print(f"    placed: {_short(r['placed'])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-paper", type=int, default=20)
    ap.add_argument("--papers", type=int, default=None, help="only the first N articles (by file name)")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "jats")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.xml"))[:args.papers]
    if not files:
        sys.exit(f"no JATS files in {args.corpus}")
    jobs = [(str(f), args.seed, args.per_paper) for f in files]
    t0 = time.perf_counter()
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            done = pool.map(run_paper, jobs, chunksize=1)
    else:
        done = [run_paper(j) for j in jobs]
    papers = [d for d in done if d is not None]
    skipped = [Path(f).name for f, d in zip(files, done) if d is None]
    if skipped:
        print(f"skipped (no sentence of 25+ characters in a paragraph): {', '.join(skipped)}")
    report(papers, args.examples, time.perf_counter() - t0)


if __name__ == "__main__":
    main()
