"""Benchmark: how long parsing takes, per format, on the shared corpus and the sample library.

Run: .venv/bin/python tests/benchmarks/bench_parse.py [--shared ../shared]
Prints one row per format: files, median, 95th percentile and slowest time per file, in milliseconds.
PDFs are timed twice: in this process (the parser's own cost) and through the sandboxed worker (what
`litreader parse` and imports pay).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from reader.ingest import PDF_TIMEOUT_SECONDS, load_bytes
from reader.ingest.pdf import load_pdf
from reader.ingest.text import load_text

REPO = Path(__file__).resolve().parents[2]


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def row(name: str, times: list[float]) -> str:
    if not times:
        return f"{name:32s} {'-':>6s}"
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return (f"{name:32s} {len(times):6d} {statistics.median(times):10.1f} {p95:10.1f} {times[-1]:10.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    corpus = args.shared / "corpus"
    jats = sorted((corpus / "jats").glob("*.xml"))
    pdfs = sorted((corpus / "pdf").glob("*.pdf"))
    samples = sorted((REPO / "library").iterdir())

    results: dict[str, list[float]] = {}
    results["JATS XML (corpus)"] = [timed(load_bytes, p.read_bytes(), str(p)) for p in jats]
    results["sample library (text, XML)"] = [timed(load_bytes, p.read_bytes(), str(p)) for p in samples]
    long_text = (REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt").read_bytes()
    results["text, 10x the seed (390 KB)"] = [timed(load_text, long_text * 10, "x.txt") for _ in range(3)]
    results["PDF in process"] = [timed(load_pdf, p.read_bytes(), str(p)) for p in pdfs]
    results["PDF via sandboxed worker"] = [timed(load_bytes, p.read_bytes(), str(p)) for p in pdfs]

    print(f"{'format':32s} {'files':>6s} {'median ms':>10s} {'p95 ms':>10s} {'max ms':>10s}")
    for name, times in results.items():
        print(row(name, times))
    print(f"(PDF time limit per file: {PDF_TIMEOUT_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
