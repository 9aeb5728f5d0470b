"""Synthetic papers for benchmarks: real sentences from the shared JATS corpus, recombined into new papers.

Run: .venv/bin/python tests/benchmarks/make_papers.py OUT_DIR [-n 100] [--seed 1] [--check 5]
Writes OUT_DIR/paper-00001.txt ... (about 35-40 KB each, plain text laid out as our text loader reads it),
then parses a few of them with ``load_paper`` and prints what came back next to what was written.

Each paper gets a title (one article's title, sometimes joined to the end of another's), 1-6 authors from
the corpus's bylines, a year from 1995 to 2024, a venue, an abstract paragraph, body paragraphs drawn from
many articles under the usual section headings, and 15-40 numbered references from the corpus's
reference lists. The same seed gives the same files, byte for byte.

From the benchmark: ``make_papers(out_dir, n, seed=1) -> list[Path]``, and ``split_fields(text)`` to read a
generated file back into its parts (title, authors, year, venue, abstract, body, refs) without our parser.
"""
from __future__ import annotations

import argparse
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from reader.ingest import load_paper
from reader.ingest.frontmatter import parse_author_line
from reader.ingest.paragraphs import ABSTRACT, KEYWORDS, REFERENCES

REPO = Path(__file__).resolve().parents[2]
# the project's shared/ folder, beside the repo, or where LITREADER_SHARED says (as tests/conftest.py)
CORPUS = Path(os.environ.get("LITREADER_SHARED") or REPO.parent / "shared") / "corpus" / "jats"
GENERATOR_VERSION = 1  # bump when the output changes, so cached folders are made again

SECTIONS = ["Introduction", "Materials and methods", "Results", "Discussion", "Conclusions"]
SIZE_RANGE = (35_000, 40_000)  # bytes per paper, references included
_LEADING_NUMBER = re.compile(r"^\s*\[?\d{1,3}[.\])]\s*")


@dataclass
class Pool:
    """Everything the papers are made of, taken once from the corpus."""

    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # display names that read back as one name
    venues: list[str] = field(default_factory=list)
    abstracts: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def one_line(text: str) -> str:
    return " ".join(text.split())


def usable_paragraph(text: str) -> bool:
    """A body paragraph that stays a paragraph when printed on its own (no heading, abstract or keyword look)."""
    return (len(text) >= 200 and not ABSTRACT.match(text) and not KEYWORDS.match(text)
            and not REFERENCES.match(text) and text[0].isalpha())


def load_pool(corpus: Path = CORPUS) -> Pool:
    """Parse every JATS article of the corpus once and keep its parts."""
    pool = Pool()
    authors: set[str] = set()
    venues: set[str] = set()
    for path in sorted(corpus.glob("*.xml")):
        paper = load_paper(path)
        if paper.title:
            pool.titles.append(one_line(paper.title))
        for name in paper.authors:
            display = one_line(name.display())
            if name.family and name.given and len(parse_author_line(display)) == 1:
                authors.add(display)
        if paper.venue:
            venues.add(one_line(paper.venue))
        for block in paper.blocks:
            text = one_line(paper.text[block.start:block.end])
            if block.kind == "abstract" and len(text) >= 300:
                pool.abstracts.append(text)
            elif block.kind == "paragraph" and usable_paragraph(text):
                pool.paragraphs.append(text)
        for ref in paper.references:
            raw = _LEADING_NUMBER.sub("", one_line(ref.raw))
            if 40 <= len(raw) <= 400:
                pool.references.append(raw)
    pool.authors = sorted(authors)
    pool.venues = sorted(venues)
    return pool


def make_title(rng: random.Random, pool: Pool) -> str:
    """One article's title, or (half the time) its first words joined to the last words of another's.

    A title of a few capitalised words ("Ensemble Tractography") reads as a byline in plain text, and the
    loader then takes it for the authors; such titles are drawn again.
    """
    while True:
        title = rng.choice(pool.titles)
        if rng.random() < 0.5:
            head, tail = title.split(), rng.choice(pool.titles).split()
            if len(head) >= 4 and len(tail) >= 4:
                title = " ".join(head[:rng.randint(2, len(head) - 2)] + tail[rng.randint(2, len(tail) - 2):])
        title = title.rstrip(".")
        if not parse_author_line(title):
            return title


def byline(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def make_paper(rng: random.Random, pool: Pool) -> str:
    """The text of one paper, laid out as a text file our loader reads (see the module docstring)."""
    title = make_title(rng, pool)
    authors = rng.sample(pool.authors, rng.randint(1, 6))
    year = rng.randint(1995, 2024)
    venue = rng.choice(pool.venues)
    volume = rng.randint(1, 60)
    refs = rng.sample(pool.references, rng.randint(15, 40))
    ref_text = "\n\n".join(f"{i}. {raw}" for i, raw in enumerate(refs, 1))
    # "Published in ..." reads as a meta line (year, volume); the text loader takes a venue only from a journal
    # name printed above the title, so the parsed papers have none (FTS5 gets it from split_fields)
    parts = [title, byline(authors), f"Published in {venue}, Volume {volume}, {year}", "Abstract",
             rng.choice(pool.abstracts)]
    budget = rng.randint(*SIZE_RANGE) - len(ref_text.encode()) - sum(len(p.encode()) + 2 for p in parts)
    paragraphs: list[str] = []
    while budget > 0:
        paragraph = rng.choice(pool.paragraphs)
        if len(paragraph.encode()) > budget + 500:  # keep within the size range: a shorter one, or stop
            paragraph = next((p for p in (rng.choice(pool.paragraphs) for _ in range(20))
                              if len(p.encode()) <= budget + 500), "")
            if not paragraph:
                break
        paragraphs.append(paragraph)
        budget -= len(paragraph.encode()) + 2
    sections = SECTIONS if rng.random() < 0.5 else SECTIONS[:-1]
    cuts = sorted(rng.sample(range(1, len(paragraphs)), len(sections) - 1)) if len(paragraphs) > len(sections) else []
    for heading, start, end in zip(sections, [0] + cuts, cuts + [len(paragraphs)]):
        parts.append(heading)
        parts.extend(paragraphs[start:end])
    parts += ["References", ref_text]
    return "\n\n".join(parts) + "\n"


def make_papers(out_dir: str | Path, n: int, seed: int = 1, pool: Pool | None = None) -> list[Path]:
    """Write ``n`` papers into ``out_dir`` (created if needed); return their paths in order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pool = pool or load_pool()
    rng = random.Random(f"{GENERATOR_VERSION}:{seed}")
    paths = []
    for i in range(1, n + 1):
        path = out / f"paper-{i:05d}.txt"
        path.write_text(make_paper(rng, pool), encoding="utf-8")
        paths.append(path)
    return paths


# reading a generated file back, without our parser (for the FTS5 comparison)

_VENUE_LINE = re.compile(r"^Published in (?P<venue>.*), Volume \d+, (?P<year>\d{4})$")


def split_fields(text: str) -> dict[str, str | int]:
    """The parts of a generated paper, by its layout: title, authors, year, venue, abstract, body, refs."""
    parts = text.strip("\n").split("\n\n")
    venue_line = _VENUE_LINE.match(parts[2])
    refs_at = parts.index("References")
    return {
        "title": parts[0],
        "authors": parts[1],
        "year": int(venue_line.group("year")) if venue_line else 0,
        "venue": venue_line.group("venue") if venue_line else parts[2],
        "abstract": parts[4],
        "body": "\n\n".join(parts[5:refs_at]),
        "refs": "\n".join(parts[refs_at + 1:]),
    }


def check(paths: list[Path]) -> list[str]:
    """Parse generated files with our loader; one line per file saying what was and was not recovered."""
    lines = []
    for path in paths:
        want = split_fields(path.read_text(encoding="utf-8"))
        paper = load_paper(path)
        authors = ", ".join(a.display() for a in paper.authors)
        refs_written = len(str(want["refs"]).splitlines())
        ok = {
            "title": paper.title == want["title"],
            "authors": [a.display() for a in paper.authors] == re.split(r", | and ", str(want["authors"])),
            "year": paper.year == want["year"],
            "refs": len(paper.references) == refs_written,
            "abstract": paper.abstract == want["abstract"],
        }
        bad = [k for k, good in ok.items() if not good]
        lines.append(f"{path.name}: {'all recovered' if not bad else 'WRONG: ' + ', '.join(bad)}")
        for key in bad:
            got = {"title": paper.title, "authors": authors, "year": paper.year, "refs": len(paper.references),
                   "abstract": paper.abstract[:80]}[key]
            written = refs_written if key == "refs" else str(want[key])[:80]
            lines.append(f"    {key}: wrote {written!r}, parsed {got!r}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", type=int, default=5, help="parse this many of the files back and compare")
    args = ap.parse_args()
    paths = make_papers(args.out, args.n, args.seed)
    sizes = sorted(p.stat().st_size for p in paths)
    print(f"{len(paths)} papers in {args.out}: {sizes[0] / 1000:.1f}-{sizes[-1] / 1000:.1f} KB, "
          f"{sum(sizes) / 1e6:.1f} MB in all")
    for line in check(paths[:args.check]):
        print(line)


if __name__ == "__main__":
    main()
