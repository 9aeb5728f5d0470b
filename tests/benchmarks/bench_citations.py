"""Benchmark: the citation engine on a 40-page paper (reference fields, markers, links).

Run: .venv/bin/python tests/benchmarks/bench_citations.py [--shared ../shared]
The paper is a real eLife article's reading text (author-year) and a PLOS article's (numeric), each
repeated until it is about 40 printed pages (~130,000 characters of body), parsed once as text; then
``annotate`` (what every loader runs) is timed alone, best and median of 7 runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from copy import deepcopy
from pathlib import Path

from reader.cite.engine import annotate
from reader.ingest.text import load_text

REPO = Path(__file__).resolve().parents[2]
PAGE_CHARS = 3300  # a printed journal page of body text


def article_text(shared: Path, name: str) -> str:
    sys.path.insert(0, str(shared / "eval"))
    import citeval  # the scorer renders the article the way a text extractor gives it

    truth = citeval.load_truth(shared / "corpus" / "jats" / name)
    body, _, refs = truth.text.partition("\n\nReferences\n\n")
    repeats = max(1, (40 * PAGE_CHARS) // max(1, len(body)) + 1)
    return "\n\n".join([body] * repeats) + "\n\nReferences\n\n" + refs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    print(f"{'article':28s} {'chars':>9s} {'refs':>5s} {'citations':>9s} {'best ms':>8s} {'median ms':>9s}")
    for name in ("elife00569.xml", "journal.pcbi.1002484.xml"):
        text = article_text(args.shared, name)
        base = load_text(text.encode(), name)
        times = []
        for _ in range(7):
            paper = deepcopy(base)
            start = time.perf_counter()
            annotate(paper)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name:28s} {len(paper.text):9,d} {len(paper.references):5d} {len(paper.citations):9,d} "
              f"{min(times):8.1f} {statistics.median(times):9.1f}")


if __name__ == "__main__":
    main()
