"""Benchmark: the PDF loader on real publisher PDFs, per page, against the budget of 1 s for 20 pages.

Run: .venv/bin/python tests/benchmarks/bench_pdf_layout.py [--shared ../shared] [--limit N]
Times ``load_pdf`` (text layer, layout, structure; CPU time of this process, one core, no citation linking),
citation linking alone (``annotate`` on that paper, CPU) and ``load_bytes`` (wall time of the whole parse a user
pays: the sandboxed worker and citation linking) on every PDF of ``corpus/realpdf`` and ``corpus/pdf``. Prints the
median and slowest time per 20 pages, the slowest files, and the PDFs of 10 pages or more whose whole parse
takes over 1 s per 20 pages (wall time: run it on a quiet machine).
"""
from __future__ import annotations

import argparse
import copy
import os
import statistics
import time
from pathlib import Path

from reader.cite.engine import annotate
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
        paper = copy.deepcopy(paper)  # (a fresh copy, as the parent receives it from the worker)
        start = time.process_time()
        annotate(paper)
        cite = time.process_time() - start
        start, start_cpu, start_workers = time.perf_counter(), time.process_time(), _workers_cpu()
        load_bytes(data, str(path))
        whole = time.perf_counter() - start
        whole_cpu = time.process_time() - start_cpu + _workers_cpu() - start_workers
        pages = max(1, paper.page_count)
        rows.append((path.name, pages, layout * 1000, whole * 1000, cite * 1000, whole_cpu * 1000))
    per20 = [(r[2] / r[1] * 20, r[3] / r[1] * 20, r[4] / r[1] * 20, r[5] / r[1] * 20) for r in rows]
    print(f"{len(rows)} PDFs, {sum(r[1] for r in rows)} pages")
    print(f"{'ms per 20 pages':24s} {'median':>8s} {'p95':>8s} {'max':>8s}")
    for k, name in enumerate(("load_pdf (layout, CPU)", "load_bytes (whole, wall)", "citation linking (CPU)",
                              "load_bytes (whole, CPU)")):
        values = sorted(v[k] for v in per20)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{name:24s} {statistics.median(values):8.0f} {p95:8.0f} {values[-1]:8.0f}")
    print("slowest (ms: layout CPU, whole wall, citation linking CPU, whole CPU; pages):")
    for name, pages, layout, whole, cite, whole_cpu in sorted(rows, key=lambda r: -r[2] / r[1])[:5]:
        print(f"  {name[:44]:44s} {layout:7.0f} {whole:7.0f} {cite:7.0f} {whole_cpu:7.0f} {pages:4d}")
    for k, kind in ((3, "wall"), (5, "CPU")):
        over = [r for r in rows if r[1] >= 10 and r[k] / r[1] * 20 > 1000]
        print(f"PDFs of 10 pages or more over 1 s per 20 pages (whole, {kind}): {len(over)} of "
              f"{sum(1 for r in rows if r[1] >= 10)}")
        for r in over:
            print(f"  {r[0][:44]:44s} {r[k] / r[1] * 20:7.0f} ms per 20 pages ({r[1]} pages)")


def _workers_cpu() -> float:
    """CPU seconds of the parser workers so far: the forkserver reaps them, so their time adds up in its
    children's time (/proc, Linux; 0 elsewhere, and then the whole parse's CPU is this process's alone)."""
    from multiprocessing import forkserver
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return 0.0
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime + cstime


if __name__ == "__main__":
    main()
