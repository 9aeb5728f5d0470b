"""Benchmark: the PDF loader on real publisher PDFs, per page, against the budget of 1 s for 20 pages.

Run: .venv/bin/python tests/benchmarks/bench_pdf_layout.py [--shared ../shared] [--limit N]
Times ``load_pdf`` (text layer, layout, structure; CPU time of this process, one core, no citation linking)
and ``load_bytes`` (wall time of the whole parse a user pays: the sandboxed worker and citation linking) on every PDF of
``corpus/realpdf`` and ``corpus/pdf``. Prints the median and slowest time per 20 pages, and the slowest files.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from reader.ingest import load_bytes
from reader.ingest.pdf import load_pdf

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    files = sorted((args.shared / "corpus" / "realpdf").glob("*.pdf")) + sorted(
        (args.shared / "corpus" / "pdf").glob("*.pdf"))
    if args.limit:
        files = files[:args.limit]
    if not files:
        raise SystemExit(f"no PDFs under {args.shared / 'corpus'}")
    rows = []
    for path in files:
        data = path.read_bytes()
        start = time.process_time()  # CPU time: on a shared machine wall time measures the neighbours
        paper = load_pdf(data, str(path))
        layout = time.process_time() - start
        start = time.perf_counter()
        load_bytes(data, str(path))
        whole = time.perf_counter() - start
        pages = max(1, paper.page_count)
        rows.append((path.name, pages, layout * 1000, whole * 1000))
    per20 = [(r[2] / r[1] * 20, r[3] / r[1] * 20) for r in rows]
    print(f"{len(rows)} PDFs, {sum(r[1] for r in rows)} pages")
    print(f"{'ms per 20 pages':24s} {'median':>8s} {'p95':>8s} {'max':>8s}")
    for k, name in enumerate(("load_pdf (layout, CPU)", "load_bytes (whole, wall)")):
        values = sorted(v[k] for v in per20)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{name:24s} {statistics.median(values):8.0f} {p95:8.0f} {values[-1]:8.0f}")
    print("slowest (layout ms, whole ms, pages):")
    for name, pages, layout, whole in sorted(rows, key=lambda r: -r[2] / r[1])[:5]:
        print(f"  {name[:48]:48s} {layout:7.0f} {whole:7.0f} {pages:4d}")


if __name__ == "__main__":
    main()
