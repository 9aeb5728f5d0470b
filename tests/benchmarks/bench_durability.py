"""Benchmark: what durability costs. The journal of changes per highlight action, and the start-up check.

Run: .venv/bin/python tests/benchmarks/bench_durability.py [--actions 200] [--library-size 5000]

1. Per highlight action (add, then edit its note), the time with the journal (reader.journal: one line
   written and fsync'd before each COMMIT) and with the journal switched off, in a fresh library on the
   folder the benchmark runs in (the cost is the fsync, so it depends on the disk; tmpfs shows none of it).
2. The check at each writable start (reader.library.repair.check) with ``--library-size`` highlights.

Prints the median and 90th percentile per action (ms) and the start-up check's time.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.highlights import Highlight, HighlightStore  # noqa: E402
from reader.journal import Journal  # noqa: E402
from reader.library.repair import check  # noqa: E402

TEXT = "The glaciers of the Alps lost a third of their volume since 1980, and the loss is speeding up. " * 50


def _actions(store: HighlightStore, n: int) -> list[float]:
    times = []
    for k in range(n):
        start = (k * 37) % (len(TEXT) - 60)
        t = time.perf_counter()
        h = store.add(Highlight.new("0123456789abcdef", TEXT, start, start + 40, note=f"note {k}"))
        store.update(h.id, note=f"note {k}, edited")
        times.append((time.perf_counter() - t) / 2)
    return times


def _report(name: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    print(f"{name:28s} median {statistics.median(ms):6.2f} ms   p90 {ms[int(len(ms) * 0.9)]:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--library-size", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        for journal in (True, False):
            db = Path(tmp) / f"journal-{journal}" / "library.sqlite"
            db.parent.mkdir()
            store = HighlightStore(db)
            if not journal:
                store.journal.write_staged = lambda: (store.journal.discard(), None)[1]  # type: ignore[method-assign]
            _report(f"journal {'on' if journal else 'off'}", _actions(store, args.actions))
            store.close()
        db = Path(tmp) / "big" / "library.sqlite"
        db.parent.mkdir()
        store = HighlightStore(db)
        store.add_many(Highlight.new("0123456789abcdef", TEXT, k % 4000, k % 4000 + 30, note=f"note {k}")
                       for k in range(args.library_size))
        store.close()
        from reader.library.catalog import Catalog
        Catalog(db).close()  # the user-data tables the check reads
        for label in ("first start (writes the snapshot)", "later start"):
            t = time.perf_counter()
            check(db)
            print(f"start-up check, {args.library_size:,} highlights, {label}: {time.perf_counter() - t:.3f} s")
        print(f"journal size: {Journal(db).path.stat().st_size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
