"""Benchmark: bringing in a Zotero library against a plain import of the same files.

Run: .venv/bin/python tests/benchmarks/bench_zotero.py [--items 1000] [--work /tmp/litreader-zotero-bench]
                                                        [--rounds 3]

Makes a Zotero data directory of N items (each a journal article with Zotero's metadata, a two-page PDF in
``storage/``, two collections, two tags, a child note and two highlight annotations; kept in the work folder and
reused), then, alternately, ``litreader import`` of the ``storage`` folder into a fresh library and
``litreader import-zotero`` of the data directory into another, each in a process of its own, ``--rounds``
times. Prints the median wall-clock seconds of each and their ratio (the goal: import-zotero at most 1.10x).
A benchmark, not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "library" / "external"))
import zotero_db as z  # noqa: E402

WORDS = ("river basin glacier melt snow rain canal farmer harvest season valley gauge record flow silt delta "
         "water summer winter spring drought flood model climate change survey method result").split()


def make_library(folder: Path, items: int) -> None:
    if (folder / "zotero.sqlite").exists():
        return
    rng = random.Random(7)
    records = []
    for n in range(items):
        key = f"B{n:05d}XY"  # its attachment's key (and storage folder) is key[:6] + "A0"
        pages = [" ".join(rng.choice(WORDS) for _ in range(420)) + "." for _ in range(2)]
        quote = " ".join(pages[1].split()[100:112])
        z.make_pdf(folder / "storage" / f"{key[:6]}A0" / "paper.pdf", f"Paper {n} on {rng.choice(WORDS)}", pages)
        records.append(z.Item(key, {"title": f"Study {n} of {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                                    "date": str(1990 + n % 35), "publicationTitle": "Journal of Tests",
                                    "DOI": f"10.5555/bench.{n}"},
                              authors=[("Rossi", "Maria"), (f"Author{n}", "A.")],
                              files=[z.File("storage:paper.pdf", annotations=[
                                  z.Ann(1, quote, "a comment", page_index=1),
                                  z.Ann(1, "words not printed in the paper at all", page_index=0)])],
                              collections=[f"Project {n % 7}/Part {n % 3}"], tags=["bench", f"t{n % 11}"],
                              notes=[f"<p>Note on item {n}</p>"]))
    z.build(folder, records).close()


def timed(command: list[str]) -> float:
    started = time.monotonic()
    proc = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/litreader-zotero-bench"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = args.work / f"zotero-{args.items}"
    print(f"making {args.items} items in {data} (once) ...", flush=True)
    make_library(data, args.items)
    cli = [sys.executable, "-m", "reader"]
    plain, zotero = [], []
    for round_ in range(args.rounds):
        for name, times, command in (("plain import", plain, ["import", str(data / "storage")]),
                                     ("import-zotero", zotero, ["import-zotero", str(data)])):
            library = args.work / "lib"
            shutil.rmtree(library, ignore_errors=True)
            seconds = timed(cli + [command[0], "--library", str(library), *command[1:]])
            times.append(seconds)
            print(f"round {round_ + 1}: {name:14s} {seconds:7.1f} s", flush=True)
    a, b = statistics.median(plain), statistics.median(zotero)
    print(f"\n{args.items} items, median of {args.rounds}: plain import {a:.1f} s, import-zotero {b:.1f} s, "
          f"ratio {b / a:.2f}x")


if __name__ == "__main__":
    main()
