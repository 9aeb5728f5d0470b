"""Benchmark: the parse cost of one paper as an import pays it, and of a huge one-line text file.

Run: .venv/bin/python tests/benchmarks/bench_parse_papers.py [-n 150] [--seed 1] [--huge [MB]] [--lines] [--profile]

Papers: N synthetic text papers from make_papers.py (the ones bench_library.py imports, same seed), each
parsed with ``load_bytes`` (loader + citation linking). Prints median, 95th percentile and slowest CPU
milliseconds per paper (``time.process_time``: what the workers pay, whatever else the machine runs), and
how the time splits between the loader and the citation engine.

``--huge``: one text file of MB megabytes (default 50, the text limit) with no line break at all, made by
repeating a real paper's text (the sample library's seed paper) with its line breaks turned into spaces.
It is parsed once in a fresh process; prints CPU seconds, wall seconds and the process's peak memory
(``ru_maxrss``, MB). The file is made in a temporary folder, never kept. ``--lines`` keeps the paper's line
breaks (and so its headings and reference list, once per copy): the same size, a different shape.

``--profile``: the papers under cProfile; prints the 25 functions with the most time of their own.
"""
from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from make_papers import make_papers  # noqa: E402

from reader.cite.engine import annotate  # noqa: E402
from reader.ingest import MAX_TEXT_BYTES, _load_format, load_bytes  # noqa: E402

SEED_PAPER = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def bench_papers(n: int, seed: int, profile: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_papers(Path(tmp), n, seed=seed)
        files = [(p.read_bytes(), str(p)) for p in paths]
    load_bytes(*files[0])  # imports, the labeller's model: paid once per worker, not per paper
    totals, loads, cites = [], [], []
    profiler = cProfile.Profile() if profile else None
    for data, name in files:
        if profiler:
            profiler.enable()
        start = time.process_time()
        paper = _load_format(data, name)
        loaded = time.process_time()
        annotate(paper)
        end = time.process_time()
        if profiler:
            profiler.disable()
        totals.append((end - start) * 1000)
        loads.append((loaded - start) * 1000)
        cites.append((end - loaded) * 1000)
    print(f"{n} synthetic papers (seed {seed}), CPU ms per paper:")
    print(f"  {'':24s} {'median':>8s} {'p95':>8s} {'max':>8s}")
    for label, values in (("parse (load_bytes)", totals), ("  loader", loads), ("  citations", cites)):
        print(f"  {label:24s} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f} {max(values):8.1f}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def huge_text(megabytes: float, lines: bool = False) -> bytes:
    """A real paper's text, its line breaks made spaces (or kept), repeated to ``megabytes`` (within the text
    limit)."""
    one = SEED_PAPER.read_bytes() if lines else b" ".join(SEED_PAPER.read_bytes().split()) + b" "
    size = min(int(megabytes * 2**20), MAX_TEXT_BYTES)
    return (one * (size // len(one) + 1))[:size]


def _parse_huge(path: str, conn) -> None:
    data = Path(path).read_bytes()
    cpu, wall = time.process_time(), time.perf_counter()
    paper = load_bytes(data, path)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send((cpu, wall, peak, len(paper.blocks), len(paper.citations), len(paper.references)))


def bench_huge(megabytes: float, lines: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one-line.txt"
        path.write_bytes(huge_text(megabytes, lines))
        size = path.stat().st_size
        here, there = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.get_context("spawn").Process(target=_parse_huge, args=(str(path), there))
        process.start()
        cpu, wall, peak, blocks, citations, refs = here.recv()
        process.join()
    print(f"{'text with line breaks' if lines else 'one-line text'} of {size / 2**20:.1f} MB: {cpu:.1f} s CPU, {wall:.1f} s wall, peak {peak:.0f} MB "
          f"({blocks} blocks, {citations} citations, {refs} references)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=150, help="synthetic papers (default 150)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--huge", type=float, nargs="?", const=50.0, metavar="MB",
                    help="also parse a one-line text file of MB megabytes (default 50)")
    ap.add_argument("--lines", action="store_true", help="--huge keeps the paper's line breaks")
    ap.add_argument("--profile", action="store_true", help="cProfile the papers: top 25 by own time")
    args = ap.parse_args()
    if args.n:
        bench_papers(args.n, args.seed, args.profile)
    if args.huge:
        bench_huge(args.huge, args.lines)


if __name__ == "__main__":
    main()
