"""Benchmark: how quickly the reading window responds, on a library you give it (offscreen Qt).

Run: .venv/bin/python tests/benchmarks/bench_window.py LIBRARY_DIR [--paper FILE_OR_ID] [--queries 30]

Prints, in milliseconds:
  cold start        a fresh process: import Qt and the app, open the library, build the window, list the papers
                    (measured in a subprocess, so imports are cold-ish: the OS file cache stays warm)
  open paper        the largest paper in the library (or --paper), parsed paper from the cache to a laid-out
                    page with its references and highlights: median of 5
  citation click    from a click on a citation to its entry selected and shown: median over every citation
  search            from the last key to the results on screen (the rows that fit, with their snippets), for
                    --queries queries of 1-2 words taken from the library's titles: median and 95th percentile
                    (the typing pause is included); searches run in the window's own background threads, as
                    for a person typing; then the time until every row is in with its snippet (the rows below
                    the ones that show come after); "where the time went" splits the first figure: the pause
                    and the hand-off to the search thread, the search, the hand-off back, the model reset,
                    and laying the rows out and painting them; CPU of the search thread and the GUI thread
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COLD_START = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QSettings
from reader.library import Library
from reader.app.main_window import MainWindow
app = QApplication([])
lib = Library.open(sys.argv[1])
window = MainWindow(lib, QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
app.processEvents()
print((time.perf_counter() - t0) * 1000)
"""


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))]


class Marks:
    """When each step of a search happened: the search in its thread (first rows with snippets) and the rows
    handed to the list, to tell where the time from the last key to the painted rows goes."""

    PARTS = ("to the search thread", "search", "back to the GUI thread", "rows reset", "layout and paint")

    def __init__(self, library, model, viewport) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent, QObject

        self.times: dict[str, float] = {}
        times = self.times

        class Painted(QObject):
            def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]  # noqa: N802
                if event.type() == QEvent.Type.Paint and "rows end" in times:
                    times.setdefault("painted", time.perf_counter())
                return False

        self._painted = Painted()
        viewport.installEventFilter(self._painted)
        search, set_hits = library.search, model.set_hits

        def timed_search(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.times.setdefault("search start", time.perf_counter())
            cpu = time.thread_time()
            try:
                hits = search(*args, **kwargs)
                self.times.setdefault("hits", len(hits))
                return hits
            finally:
                self.times.setdefault("search end", time.perf_counter())
                self.times.setdefault("search cpu", (time.thread_time() - cpu) * 1000)

        def timed_set_hits(hits):  # type: ignore[no-untyped-def]
            self.times.setdefault("rows start", time.perf_counter())
            set_hits(hits)
            self.times.setdefault("rows end", time.perf_counter())

        library.search, model.set_hits = timed_search, timed_set_hits

    def clear(self) -> None:
        self.times.clear()

    def parts(self, start: float, end: float) -> dict[str, float]:
        t = self.times
        points = [start, t.get("search start", end), t.get("search end", end), t.get("rows start", end),
                  t.get("rows end", end), end]
        return {name: (b - a) * 1000 for name, a, b in zip(self.PARTS, points, points[1:])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("library", type=Path)
    ap.add_argument("--paper", help="a paper id (default: the library's largest)")
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--search-only", action="store_true", help="only the search figures (no cold start, no paper)")
    args = ap.parse_args()

    starts = []
    for i in range(0 if args.search_only else 3):
        out = subprocess.run([sys.executable, "-c", COLD_START, str(args.library), f"/tmp/bench-window-{i}.ini"],
                             capture_output=True, text=True, check=True)
        starts.append(float(out.stdout.strip().splitlines()[-1]))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from reader.app.main_window import MainWindow
    from reader.app.tasks import Background
    from reader.library import Library

    app = QApplication([])
    library = Library.open(args.library)
    window = MainWindow(library, QSettings("/tmp/bench-window.ini", QSettings.Format.IniFormat),
                        Background(synchronous=True))
    window.idle_merge.stop()  # the library stays as it is: runs compare, and no merge competes with the searches
    window.resize(1400, 900)
    window.show()
    entries = library.entries()
    paper_id = args.paper or max(entries, key=lambda e: e.source_size).id
    opens, clicks = [], []
    for _ in range(0 if args.search_only else 5):
        window.paper = None
        start = time.perf_counter()
        window.open_paper(paper_id)
        app.processEvents()
        opens.append((time.perf_counter() - start) * 1000)
    paper = window.paper
    for index in range(len(paper.citations) if paper else 0):
        start = time.perf_counter()
        window.follow_citation(index)
        app.processEvents()
        clicks.append((time.perf_counter() - start) * 1000)

    rng = random.Random(1)
    words = [w for e in rng.sample(entries, min(len(entries), 200)) for w in e.title.split() if w.isalpha() and len(w) > 4]
    panel = window.library_panel
    # searching as a person types: in the window's background threads (the rest above ran synchronously)
    window.background = Background()
    marks = Marks(library, panel.results_model, panel.results.viewport())
    searches, complete, parts, cpus = [], [], [], []
    for _ in range(args.queries):
        query = " ".join(rng.sample(words, rng.randint(1, 2)))
        marks.clear()
        start, gui_cpu = time.perf_counter(), time.thread_time()
        panel.search_box.setText(query)
        while panel.timer.isActive() or panel.status.text() == "Searching…":  # the pause, then the search
            app.processEvents()
            time.sleep(0.001)
        while "painted" not in marks.times and time.perf_counter() - start < 10:  # the rows laid out and painted
            app.processEvents()
        end = time.perf_counter()  # after the turn of the event loop that painted them
        searches.append((end - start) * 1000)
        parts.append(marks.parts(start, end))
        cpus.append((marks.times.get("search cpu", 0.0), (time.thread_time() - gui_cpu) * 1000))
        model = panel.results_model
        while (len(model.hits) < marks.times.get("hits", 0) or any(not hit.snippet for hit in model.hits)) \
                and time.perf_counter() - start < 10:  # the rows below, added or filled in after
            app.processEvents()
            time.sleep(0.001)
        complete.append((time.perf_counter() - start) * 1000)
        window.background.wait()
        panel.search_box.clear()
        settle = time.perf_counter()  # the library list shows again before the next query is typed
        while time.perf_counter() - settle < 0.2:
            app.processEvents()
            time.sleep(0.005)

    print(f"library: {args.library} ({len(entries):,} papers)")
    if paper is not None:
        print(f"paper: {paper.title[:60]!r}, {len(paper.text) // 1000} KB of text, {paper.page_count or '-'} pages, "
              f"{len(paper.citations)} citations")
        print(f"cold start        median {statistics.median(starts):7.0f} ms   (3 runs: "
              f"{', '.join(f'{s:.0f}' for s in starts)})")
        print(f"open paper        median {statistics.median(opens):7.0f} ms")
        print(f"citation click    median {statistics.median(clicks):7.1f} ms   p95 {p95(clicks):.1f} ms"
              if clicks else "citation click    (the paper has no citations)")
    print(f"search (typing pause included)  median {statistics.median(searches):7.0f} ms   p95 {p95(searches):.0f} ms")
    print(f"  every row's snippet in         median {statistics.median(complete):7.0f} ms   p95 {p95(complete):.0f} ms")
    print("  where the time went, median / p95 ms: " + ", ".join(
        f"{name} {statistics.median(p[name] for p in parts):.1f} / {p95([p[name] for p in parts]):.1f}"
        for name in Marks.PARTS))
    search_cpu, gui_cpu = [c[0] for c in cpus], [c[1] for c in cpus]
    print(f"  CPU, median / p95 ms: search thread {statistics.median(search_cpu):.1f} / {p95(search_cpu):.1f}, "
          f"GUI thread (waiting included) {statistics.median(gui_cpu):.1f} / {p95(gui_cpu):.1f}")
    window.close()
    library.close()
    # delete the window before the application object: PySide6 can crash at interpreter exit otherwise
    window.deleteLater()
    app.processEvents()
    del window
    app.shutdown()


if __name__ == "__main__":
    main()
