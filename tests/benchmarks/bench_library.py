"""Benchmark: importing, listing and searching a library of synthetic papers, with SQLite FTS5 alongside.

Run: .venv/bin/python tests/benchmarks/bench_library.py [--papers 1000 10000] [--work /tmp/litreader-bench]
                                                        [--queries 200] [--keep]

For each size N it makes N papers of about 38 KB (tests/benchmarks/make_papers.py; kept in the work folder
and reused by later runs), imports them into a fresh library and prints one table:

  import       wall-clock time and papers/s of ``Library.import_paths`` (run in a process of its own); time
               to first searchable (a separate process, started before the import, searches every 0.5 s
               until it gets a hit); peak memory of the importing process and its children (RSS sampled
               every 0.2 s: the peak of the sum, which counts pages shared after a fork more than once, and
               the peak of each process by role: importer, forkserver, workers); CPU seconds (user + system)
               of all those processes, and by role (compare these, not wall-clock times, on a busy machine)
  listing      ``lib.entries()`` in a fresh process: median of 5 calls, and the first
  search       200 queries (--queries) of five kinds in equal shares (common word, rare word, two words,
               2-3 word phrase, field query: author / title / year range), 10 hits with snippets; ms per
               query (p50/p95/max) with the index read through file handles (default) and with mmap, and
               the memory of the searching process (before opening, after the first search, after all
               queries; the last split into anonymous memory and mapped files)
  phrase check every phrase query's hits hold the phrase (in papers/<id>/text.txt, by Whoosh's own analyzer),
               and their number is what a plain scan of every stored text finds (up to 10)
  FTS5         the same papers in an SQLite FTS5 table (porter unicode61), its build time, the same queries
               with snippet() and bm25 ordering; p50/p95 and Whoosh p50 / FTS5 p50

All figures also go to <work>-results.json, next to the work folder. The libraries and FTS5 databases are
deleted after each size unless --keep is given. A benchmark, not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from make_papers import GENERATOR_VERSION, make_papers, split_fields

# Our own helper processes are spawned (never forked from a process with threads); the library starts its
# import workers with forkserver itself.
CTX = multiprocessing.get_context("spawn")
KINDS = ("common", "rare", "two words", "phrase", "field")
# In every generated paper (a section heading), so the first indexed paper answers it. "the" would not do:
# the index drops stop words.
PROBE_QUERY = "introduction"
PROBE_INTERVAL = 0.5
SAMPLE_INTERVAL = 0.2
SEED = 1


# ------------------------------------------------------------------ small helpers


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")


def rss_kb(pid: int | str = "self", kind: str = "VmRSS") -> int:
    """Resident memory of a process in KB (0 when it is gone); ``kind`` RssAnon / RssFile for its parts."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(kind + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb() -> dict[str, float]:
    """This process's RSS, and how much of it is anonymous memory and how much mapped files."""
    return {kind: rss_kb("self", key) / 1024 for kind, key in (("rss", "VmRSS"), ("anon", "RssAnon"),
                                                                 ("file", "RssFile"))}


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run_child(conn, fn, args) -> None:
    """In a helper process: send back fn(*args), or the traceback it raised."""
    try:
        conn.send(("ok", fn(*args)))
    except BaseException:  # noqa: BLE001 - shown by the parent
        conn.send(("error", traceback.format_exc()))


def in_process(fn, *args):
    """fn(*args) in a fresh process (not a daemon: it may start workers of its own); its result."""
    here, there = CTX.Pipe(duplex=False)
    process = CTX.Process(target=run_child, args=(there, fn, args))
    process.start()
    there.close()
    return finish(process, here)


def finish(process, conn):
    try:
        status, value = conn.recv()
    except EOFError:
        process.join()
        status, value = "error", f"the helper process died (exit code {process.exitcode})"
    process.join()
    if status == "error":
        raise RuntimeError(f"in a helper process:\n{value}")
    return value


# ------------------------------------------------------------------ papers


def prepare_papers(work: Path, n: int) -> tuple[Path, list[Path]]:
    """The N generated papers, made once per (n, seed, generator version) and reused by later runs."""
    folder = work / f"papers-n{n}-seed{SEED}-v{GENERATOR_VERSION}"
    done = folder / ".complete"
    if done.exists():
        return folder, sorted(folder.glob("paper-*.txt"))
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    paths = make_papers(folder, n, seed=SEED)
    done.write_text("")
    print(f"  made {n} papers in {time.perf_counter() - start:.1f} s: {folder}", flush=True)
    return folder, paths


# ------------------------------------------------------------------ queries


@dataclass
class BenchQuery:
    kind: str
    whoosh: str  # what a user types into our search
    fts: str | None  # the FTS5 MATCH expression (None: no full-text part)
    years: tuple[int, int] | None = None  # FTS5: WHERE year BETWEEN


def _vocabulary(sample: list[dict]) -> tuple[Counter, list[str]]:
    """Document frequency of plain lower-case words (not stop words) in the sample, and its phrases."""
    from whoosh.analysis import STOP_WORDS

    df: Counter = Counter()
    phrases: list[str] = []
    plain = re.compile(r"^[a-z]{3,}$")
    for fields in sample:
        words = str(fields["body"]).split()
        # sorted: Counter.most_common breaks ties by first insertion, and a set's order follows string hashing,
        # which changes from process to process (the queries must be the same in every run)
        df.update(sorted({w for w in words if plain.match(w) and w not in STOP_WORDS}))
        run: list[str] = []
        for w in words + [""]:
            if plain.match(w) and w not in STOP_WORDS:
                run.append(w)
                continue
            if len(run) >= 2:
                phrases.append(" ".join(run[:3]))
            run = []
    return df, phrases


def build_queries(paths: list[Path], count: int, seed: int = SEED) -> list[BenchQuery]:
    """``count`` queries, the five kinds in turn, drawn from the generated papers' own words and names."""
    from whoosh.analysis import STOP_WORDS

    rng = random.Random(seed)
    sample = [split_fields(p.read_text(encoding="utf-8")) for p in rng.sample(paths, min(300, len(paths)))]
    df, phrases = _vocabulary(sample)
    ranked = [w for w, _ in df.most_common() if len(w) >= 4]
    common = ranked[:40]
    rare = sorted(w for w, c in df.items() if c == 1 and len(w) >= 6)
    middle = [w for w in ranked if 0.05 * len(sample) <= df[w] <= 0.4 * len(sample)]
    families = sorted({name.split()[-1] for f in sample for name in re.split(r", | and ", str(f["authors"]))
                       if re.fullmatch(r"[A-Za-z]{3,}", name.split()[-1])})
    title_words = sorted({w.lower() for f in sample for w in str(f["title"]).split()
                          if re.fullmatch(r"[A-Za-z]{5,}", w) and w.lower() not in STOP_WORDS})
    every = "{title authors abstract body refs}"  # the fields a plain word searches in our library
    queries: list[BenchQuery] = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        if kind == "common":
            w = rng.choice(common)
            queries.append(BenchQuery(kind, w, f'{every} : "{w}"'))
        elif kind == "rare":
            w = rng.choice(rare)
            queries.append(BenchQuery(kind, w, f'{every} : "{w}"'))
        elif kind == "two words":
            a, b = rng.sample(middle, 2)
            queries.append(BenchQuery(kind, f"{a} {b}", f'{every} : ("{a}" "{b}")'))
        elif kind == "phrase":
            p = rng.choice(phrases)
            queries.append(BenchQuery(kind, f'"{p}"', f'{every} : "{p}"'))
        else:
            field_kind = (i // len(KINDS)) % 3
            if field_kind == 0:
                name = rng.choice(families).lower()
                queries.append(BenchQuery(kind, f"author:{name}", f'authors : "{name}"'))
            elif field_kind == 1:
                w = rng.choice(title_words)
                queries.append(BenchQuery(kind, f"title:{w}", f'title : "{w}"'))
            else:
                a = rng.randint(1995, 2020)
                b = a + rng.randint(0, 4)
                queries.append(BenchQuery(kind, f"year:[{a} TO {b}]", None, (a, b)))
    return queries


# ------------------------------------------------------------------ import (with probe and memory sampler)


def import_child(library: str, papers: str, progress_every: float = 5.0) -> dict:
    """In the importing process: import the folder into the library, saying how far it is now and then."""
    from reader.library import Library

    lib = Library.open(library)
    workers = lib.workers or min(2, os.cpu_count() or 1)
    last = [0.0]

    def progress(p) -> None:
        if p.elapsed - last[0] >= progress_every:
            last[0] = p.elapsed
            eta = f"{p.eta:.0f} s" if p.eta is not None else "?"
            print(f"    {p.phase}: {p.done}/{p.total} done, {p.imported} committed, {p.rate:.1f}/s, eta {eta}",
                  file=sys.stderr, flush=True)

    start = time.monotonic()  # CLOCK_MONOTONIC: the probe's clock too
    report = lib.import_paths([papers], progress=progress)
    wall = time.monotonic() - start
    entries = len(lib.entries())
    lib.close()
    return {"start": start, "wall_s": wall, "report_elapsed_s": report.elapsed, "workers": workers,
            "imported": report.count("imported"), "already": report.count("already there"),
            "failed": len(report.failed), "failures": [(r.path, r.reason) for r in report.failed[:5]],
            "interrupted": report.interrupted, "entries_after": entries, "commits": report.commits,
            "commit_s": report.commit_seconds, "longest_commit_s": report.longest_commit,
            "merged_at_end": report.merged, "merge_at_end_s": report.merge_seconds,
            "tiny_merged": getattr(report, "tiny_merged", 0), "tiny_merge_s": getattr(report, "tiny_merge_seconds", 0.0)}


def probe_child(conn, library: str, query: str, stop) -> None:
    """Started before the import: open the library once it exists, search every 0.5 s until a hit.

    Sends ("ready", t), then ("waiting", t, holder) / ("rebuild", t, reason) / ("error", t, text) as they
    happen, and ("found", t, searches, papers listed) or ("gave up", t, searches) at the end.
    """
    from reader.library import Library

    path = Path(library)
    conn.send(("ready", time.monotonic()))
    lib = None
    searches = 0
    seen_errors: set[str] = set()
    while not stop.is_set():
        turn = time.monotonic()
        try:
            if lib is None and (path / "library.sqlite").exists():
                lib = Library.open(path)
                lib.on_wait = lambda holder: conn.send(("waiting", time.monotonic(), holder))
                lib.on_rebuild = lambda reason, _p: reason and conn.send(("rebuild", time.monotonic(), reason))
            if lib is not None:
                searches += 1
                if lib.search(query, limit=1):
                    conn.send(("found", time.monotonic(), searches, len(lib.entries())))
                    lib.close()
                    return
        except Exception as exc:  # noqa: BLE001 - an error while the library is being made: try again
            text = f"{type(exc).__name__}: {exc}"
            if text not in seen_errors:
                seen_errors.add(text)
                conn.send(("error", time.monotonic(), text))
        time.sleep(max(0.0, PROBE_INTERVAL - (time.monotonic() - turn)))
    conn.send(("gave up", time.monotonic(), searches))


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and all its descendants every 0.2 s; keeps the peaks."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.root = root
        self.stop = threading.Event()
        self.peak_total_kb = 0
        self.peak_kb: dict[int, int] = {}
        self.role: dict[int, str] = {}
        self.samples = 0
        self.cpu_s: dict[int, float] = {}  # user + system CPU seconds of each process, as last sampled
        self._ticks: dict[int, int] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            self._ticks = {}
            tree = self.descendants()
            for pid in tree:
                if pid in self._ticks:
                    self.cpu_s[pid] = self._ticks[pid] / os.sysconf("SC_CLK_TCK")
            sizes = {pid: rss_kb(pid) for pid in tree}
            self.peak_total_kb = max(self.peak_total_kb, sum(sizes.values()))
            for pid, kb in sizes.items():
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), kb)
                self.role.setdefault(pid, self.role_of(pid, tree[pid]))
            self.samples += 1
            self.stop.wait(SAMPLE_INTERVAL)

    def descendants(self) -> dict[int, int]:
        """pid -> parent pid for the root and everything below it (from /proc/<pid>/stat)."""
        parent: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat") as f:
                        stat = f.read()
                except OSError:
                    continue
                fields = stat[stat.rindex(")") + 2:].split()
                parent[int(entry.name)] = int(fields[1])
                self._ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime, stime
        tree = {self.root: parent.get(self.root, 0)}
        added = True
        while added:
            added = False
            for pid, ppid in parent.items():
                if ppid in tree and pid not in tree:
                    tree[pid] = ppid
                    added = True
        return tree

    def role_of(self, pid: int, ppid: int) -> str:
        if pid == self.root:
            return "importer"
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmdline = ""
        if "resource_tracker" in cmdline:
            return "resource tracker"
        if ppid == self.root and "forkserver" in cmdline:
            return "forkserver"
        if self.role.get(ppid) == "forkserver":
            return "worker"
        return "other"

    def peaks_by_role(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for pid, kb in self.peak_kb.items():
            role = out.setdefault(self.role.get(pid, "other"), {"processes": 0, "max_mb": 0.0})
            role["processes"] += 1
            role["max_mb"] = max(role["max_mb"], kb / 1024)
        return out

    def cpu_by_role(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, seconds in self.cpu_s.items():
            role = self.role.get(pid, "other")
            out[role] = out.get(role, 0.0) + seconds
        return out


def measure_import(library: Path, papers: Path) -> dict:
    """Import with the probe running and the sampler watching; the import's figures."""
    stop_probe = CTX.Event()
    probe_conn, probe_end = CTX.Pipe(duplex=False)
    probe = CTX.Process(target=probe_child, args=(probe_end, str(library), PROBE_QUERY, stop_probe))
    probe.start()
    probe_end.close()
    assert probe_conn.recv()[0] == "ready"

    here, there = CTX.Pipe(duplex=False)
    importer = CTX.Process(target=run_child, args=(there, import_child, (str(library), str(papers))))
    importer.start()
    there.close()
    sampler = TreeSampler(importer.pid)
    sampler.start()
    try:
        result = finish(importer, here)
    finally:
        sampler.stop.set()
        sampler.join()
    result["probe"] = collect_probe(probe, probe_conn, stop_probe, result["start"])
    result["peak_rss_total_mb"] = sampler.peak_total_kb / 1024
    result["peak_rss_by_role"] = sampler.peaks_by_role()
    result["rss_samples"] = sampler.samples
    result["cpu_s"] = sum(sampler.cpu_s.values())
    result["cpu_by_role_s"] = sampler.cpu_by_role()
    result["papers_per_s"] = result["imported"] / result["wall_s"]
    return result


def collect_probe(probe, conn, stop, start: float, grace: float = 30.0) -> dict:
    """What the probe saw, with times in seconds from the import's start. It gets ``grace`` seconds after
    the import to find its hit (it may have been waiting for the writer lock)."""
    out: dict = {"first_searchable_s": None, "events": []}
    deadline = time.monotonic() + grace
    while True:
        if not conn.poll(max(0.0, deadline - time.monotonic())):
            stop.set()  # too long: ask it to give up, and read its last word
            if not conn.poll(10):
                break
        kind, when, *rest = conn.recv()
        if kind == "found":
            out["first_searchable_s"] = when - start
            out["searches"], out["papers_then"] = rest
            break
        if kind == "gave up":
            out["searches"] = rest[0]
            break
        out["events"].append({"kind": kind, "s": round(when - start, 2), "what": rest[0]})
    probe.join(timeout=10)
    if probe.is_alive():
        out["events"].append({"kind": "killed", "s": None, "what": "the probe did not stop; it was killed"})
        probe.kill()
        probe.join()
    return out


# ------------------------------------------------------------------ listing and search (fresh processes)


def listing_child(library: str, repeats: int = 5) -> dict:
    from reader.library import Library

    lib = Library.open(library)
    times, count = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = len(lib.entries())
        times.append((time.perf_counter() - start) * 1000)
    lib.close()
    return {"rows": count, "first_ms": times[0], "median_ms": statistics.median(times), "ms": times}


def search_child(library: str, mmap: bool, queries: list[BenchQuery]) -> dict:
    """Open the library, search once (the searcher opens then), run every query; time and memory."""
    from reader.library import Library

    before = memory_mb()
    start = time.perf_counter()
    lib = Library.open(library, mmap=mmap)
    lib.search(PROBE_QUERY, limit=10)
    first_ms = (time.perf_counter() - start) * 1000
    first = memory_mb()
    runs, errors = [], []
    for q in queries:
        start = time.perf_counter()
        try:
            hits = len(lib.search(q.whoosh, limit=10))
        except Exception as exc:  # noqa: BLE001 - counted and shown
            hits = -1
            errors.append(f"{q.whoosh}: {type(exc).__name__}: {exc}")
        runs.append((q.kind, (time.perf_counter() - start) * 1000, hits))
    after = memory_mb()
    # the papers each phrase query found (after the timing: asking again costs nothing measured)
    found = {q.whoosh: [hit.paper_id for hit in lib.search(q.whoosh, limit=10)] for q in queries
             if q.kind == "phrase"}
    lib.close()
    return {"open_first_search_ms": first_ms, "runs": runs, "errors": errors[:5], "error_count": len(errors),
            "memory_before_mb": before, "memory_first_mb": first, "memory_after_mb": after, "phrase_hits": found}


# ------------------------------------------------------------------ are the phrase hits right?


def _stems(text: str) -> list[str]:
    """The words of a text as the index sees them (Whoosh's own StemmingAnalyzer: lower case, no stop words,
    Porter stems), in order; positions in the list are the index's positions."""
    from whoosh.analysis import StemmingAnalyzer

    return [token.text for token in StemmingAnalyzer()(text)]


def _holds(stems: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(stems[i:i + n] == phrase for i in range(len(stems) - n + 1) if stems[i] == phrase[0])


def check_phrases(library: Path, found: dict[str, list[str]], limit: int = 10) -> dict:
    """For each phrase query: does every hit hold the phrase (in its stored reading text, papers/<id>/text.txt),
    and is the number of hits the number a plain scan of every stored text finds (up to ``limit``)? One pass
    over the texts; a text is analysed (once, for every query) only if it holds a prefix of each word of a
    query that has not found ``limit`` papers yet."""
    phrases = {query: _stems(query.strip('"')) for query in found}
    # Porter changes at most a stem's last letter, so the rest of it is in the text as written
    prefixes = {query: [stem[:-1][:5] or stem[:1] for stem in stems] for query, stems in phrases.items()}
    counts = dict.fromkeys(found, 0)
    held: dict[tuple[str, str], bool] = {}
    for path in sorted((library / "papers").glob("*/text.txt")):
        text = path.read_text(encoding="utf-8")
        low = text.lower()
        pid = path.parent.name
        asked = [q for q in found if (counts[q] < limit or pid in found[q])
                 and all(p in low for p in prefixes[q])]
        if not asked:
            continue
        stems = _stems(text)
        for query in asked:
            holds = _holds(stems, phrases[query])
            held[(query, pid)] = holds
            counts[query] += holds
    out = {"queries": len(found), "hits_hold": 0, "count_matches": 0, "wrong": []}
    for query, hits in found.items():
        if all(held.get((query, pid), False) for pid in hits):
            out["hits_hold"] += 1
        else:
            out["wrong"].append(f"{query}: a hit without the phrase")
        if min(counts[query], limit) == len(hits):
            out["count_matches"] += 1
        else:
            out["wrong"].append(f"{query}: {len(hits)} hits, the scan finds {counts[query]}")
    return out


# ------------------------------------------------------------------ SQLite FTS5


FTS_COLUMNS = ("title", "authors", "year", "venue", "abstract", "body", "refs")
# Weights for the FTS5 columns, close to what our index does (a title match counts more); year is not text.
FTS_WEIGHTS = "3.0, 2.0, 0.0, 1.0, 1.5, 1.0, 1.0"


def build_fts(db_path: Path, paths: list[Path]) -> dict:
    """An FTS5 table of the generated files, fields split by their layout; the build's time and size."""
    db_path.unlink(missing_ok=True)
    start = time.perf_counter()
    db = sqlite3.connect(db_path)
    columns = ", ".join("year UNINDEXED" if c == "year" else c for c in FTS_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE papers USING fts5({columns}, tokenize='porter unicode61')")
    with db:
        for path in paths:
            fields = split_fields(path.read_text(encoding="utf-8"))
            db.execute(f"INSERT INTO papers VALUES ({', '.join('?' * len(FTS_COLUMNS))})",
                       [fields[c] for c in FTS_COLUMNS])
    db.close()
    return {"build_s": time.perf_counter() - start, "db_mb": db_path.stat().st_size / 1e6}


def fts_search(db: sqlite3.Connection, q: BenchQuery) -> int:
    """One query, 10 rows with a snippet, best bm25 first; the number of rows."""
    if q.fts is None:  # a year range alone: no full-text part, so no rank and no snippet() either
        sql = "SELECT rowid, title, substr(body, 1, 220) FROM papers WHERE year BETWEEN ? AND ? LIMIT 10"
        return len(db.execute(sql, q.years).fetchall())
    sql = (f"SELECT rowid, title, snippet(papers, -1, '[', ']', '…', 32) FROM papers WHERE papers MATCH ? "
           f"ORDER BY bm25(papers, {FTS_WEIGHTS}) LIMIT 10")
    return len(db.execute(sql, (q.fts,)).fetchall())


def measure_fts(db_path: Path, queries: list[BenchQuery]) -> dict:
    db = sqlite3.connect(db_path)
    fts_search(db, BenchQuery("warm-up", PROBE_QUERY, PROBE_QUERY))
    runs, errors = [], []
    for q in queries:
        start = time.perf_counter()
        try:
            hits = fts_search(db, q)
        except sqlite3.Error as exc:
            hits = -1
            errors.append(f"{q.fts}: {exc}")
        runs.append((q.kind, (time.perf_counter() - start) * 1000, hits))
    db.close()
    return {"runs": runs, "errors": errors[:5], "error_count": len(errors)}


# ------------------------------------------------------------------ one size


def latency_table(runs: list[tuple[str, float, int]]) -> dict[str, dict[str, float]]:
    """p50/p95/max ms and zero-hit count per query kind, and for all queries."""
    by_kind: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for kind, ms, hits in runs:
        by_kind[kind].append((ms, hits))
        by_kind["all"].append((ms, hits))
    out = {}
    for kind in (*KINDS, "all"):
        times = [ms for ms, _ in by_kind[kind]]
        out[kind] = {"n": len(times), "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                     "max": max(times, default=float("nan")),
                     "no_hits": sum(1 for _, hits in by_kind[kind] if hits == 0)}
    return out


def bench_size(work: Path, n: int, query_count: int, keep: bool) -> dict:
    print(f"\n{n} papers", flush=True)
    papers, paths = prepare_papers(work, n)
    library = work / f"library-n{n}"
    fts_db = work / f"fts5-n{n}.sqlite"
    shutil.rmtree(library, ignore_errors=True)
    queries = build_queries(paths, query_count)
    result: dict = {"papers": n, "text_mb": sum(p.stat().st_size for p in paths) / 1e6,
                    "queries": [asdict(q) for q in queries]}

    print("  importing ...", flush=True)
    result["import"] = measure_import(library, papers)
    result["library_mb"] = folder_mb(library)
    result["index_mb"] = folder_mb(library / "index")
    result["index_segments"] = len(list((library / "index").glob("*.seg")))
    print("  listing and searching ...", flush=True)
    result["listing"] = in_process(listing_child, str(library))
    for mode, mmap in (("whoosh", False), ("whoosh_mmap", True)):
        run = in_process(search_child, str(library), mmap, queries)
        run["latency"] = latency_table(run["runs"])
        result[mode] = run
    print("  checking the phrase hits ...", flush=True)
    result["phrase_check"] = check_phrases(library, result["whoosh"]["phrase_hits"])
    print("  FTS5 ...", flush=True)
    result["fts5"] = build_fts(fts_db, paths)
    fts = measure_fts(fts_db, queries)
    fts["latency"] = latency_table(fts["runs"])
    result["fts5"].update(fts)
    if not keep:
        shutil.rmtree(library, ignore_errors=True)
        fts_db.unlink(missing_ok=True)
    return result


# ------------------------------------------------------------------ printing


def print_table(r: dict) -> None:
    imp, probe = r["import"], r["import"]["probe"]
    roles = imp["peak_rss_by_role"]
    print(f"\n=== {r['papers']} papers, {r['text_mb']:.1f} MB of text ===")
    print(f"import ({imp['workers']} workers)")
    print(f"  wall clock            {imp['wall_s']:9.1f} s    {imp['papers_per_s']:.1f} papers/s   imported "
          f"{imp['imported']}, failed {imp['failed']}, already there {imp['already']}")
    first = probe["first_searchable_s"]
    print(f"  first searchable      {first:9.1f} s    after the start ({probe.get('papers_then', '?')} papers "
          f"listed then, {probe.get('searches', '?')} searches)" if first is not None else
          "  first searchable          never   (the probe found nothing)")
    for event in probe["events"]:
        print(f"    probe at {event['s']} s: {event['kind']}: {event['what']}")
    print(f"  peak memory, all      {imp['peak_rss_total_mb']:9.0f} MB   (RSS summed over the importer and its "
          f"children, {imp['rss_samples']} samples)")
    for role in ("importer", "forkserver", "worker", "resource tracker", "other"):
        if role in roles:
            print(f"    {role:18s}  {roles[role]['max_mb']:9.0f} MB   (largest of {roles[role]['processes']})")
    print(f"  library on disk       {r['library_mb']:9.0f} MB   (index {r['index_mb']:.0f} MB in "
          f"{r['index_segments']} segments)")
    print(f"  commits               {imp['commits']:9d}      {imp['commit_s']:.1f} s in all, longest "
          f"{imp['longest_commit_s']:.1f} s; merged at the end: {imp['merged_at_end']} papers in "
          f"{imp['merge_at_end_s']:.1f} s; tiny segments merged after commits: {imp.get('tiny_merged', 0)} "
          f"papers in {imp.get('tiny_merge_s', 0.0):.1f} s")
    if imp.get("cpu_s"):
        roles = ", ".join(f"{role} {sec:.1f}" for role, sec in sorted(imp["cpu_by_role_s"].items()))
        print(f"  import CPU            {imp['cpu_s']:9.1f} s    ({roles}; all processes, sampled every 0.2 s)")
    for f in imp["failures"]:
        print(f"    failed: {f[0]}: {f[1]}")
    ls = r["listing"]
    print(f"listing ({ls['rows']} rows)     {ls['median_ms']:9.1f} ms   median of 5 (first {ls['first_ms']:.1f} ms)")

    fts = r["fts5"]
    print(f"search: {len(r['queries'])} queries, 10 hits with snippets; ms per query")
    print(f"  {'kind':10s} {'n':>4s} | {'whoosh p50':>10s} {'p95':>7s} {'max':>7s} | {'mmap p50':>8s} {'p95':>7s} "
          f"{'max':>7s} | {'FTS5 p50':>8s} {'p95':>7s} {'max':>7s} | {'ratio':>5s} | {'no hits W/F':>11s}")
    for kind in (*KINDS, "all"):
        w, m, f = r["whoosh"]["latency"][kind], r["whoosh_mmap"]["latency"][kind], fts["latency"][kind]
        ratio = w["p50"] / f["p50"] if f["p50"] > 0 else float("nan")
        print(f"  {kind:10s} {w['n']:4d} | {w['p50']:10.1f} {w['p95']:7.1f} {w['max']:7.1f} | {m['p50']:8.1f} "
              f"{m['p95']:7.1f} {m['max']:7.1f} | {f['p50']:8.2f} {f['p95']:7.2f} {f['max']:7.2f} | {ratio:5.1f} | "
              f"{w['no_hits']:5d}/{f['no_hits']:<5d}")
    print("  (ratio: Whoosh p50 / FTS5 p50, without mmap; no hits: queries that found nothing, Whoosh/FTS5)")
    print(f"  {'searching process':18s} {'open+1st ms':>11s} {'RSS before':>10s} {'after 1st':>10s} "
          f"{'after all':>10s}  MB (after all: anonymous + mapped files)")
    for mode, label in (("whoosh", "mmap=False"), ("whoosh_mmap", "mmap=True")):
        s = r[mode]
        after = s["memory_after_mb"]
        print(f"  {label:18s} {s['open_first_search_ms']:11.0f} {s['memory_before_mb']['rss']:10.1f} "
              f"{s['memory_first_mb']['rss']:10.1f} {after['rss']:10.1f}  ({after['anon']:.0f} + {after['file']:.0f})")
        for e in s["errors"]:
            print(f"    error ({s['error_count']} in all): {e}")
    check = r.get("phrase_check")
    if check:
        print(f"phrase queries checked against a scan of the stored texts: {check['queries']} queries, every hit "
              f"holds the phrase in {check['hits_hold']}, hit count = scan (up to 10) in {check['count_matches']}")
        for wrong in check["wrong"][:10]:
            print(f"    WRONG: {wrong}")
    print(f"FTS5 build              {fts['build_s']:9.1f} s    (database {fts['db_mb']:.0f} MB)")
    for e in fts["errors"]:
        print(f"    FTS5 error ({fts['error_count']} in all): {e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, nargs="+", default=[1000, 10000], help="library sizes to run")
    ap.add_argument("--work", type=Path, default=Path("/tmp/litreader-bench"),
                    help="generated papers (kept between runs), libraries and FTS5 databases")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the libraries and FTS5 databases")
    args = ap.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out = work.parent / f"{work.name}-results.json"
    results = []
    for n in args.papers:
        results.append(bench_size(work, n, args.queries, args.keep))
        print_table(results[-1])
        out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nfigures: {out}")


if __name__ == "__main__":
    main()
