"""Issue 15: an import commits in batches of bounded size, so the last commit (the one the user waits for after
the last file is parsed) is short, and the progress says what is still being saved."""
from __future__ import annotations

import io
from pathlib import Path

import fake_parsers
import pytest
from test_faults import papers, run_import  # noqa: F401

from reader.library import Library, importer
from reader.library import index as index_module
from reader.library.importer import Progress
from reader.library.index import SearchIndex
from reader.library.workers import QUEUE_DEPTH


def test_the_last_commit_holds_a_bounded_number_of_papers(tmp_path: Path, papers: list[Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    bound = 4
    monkeypatch.setattr(importer, "COMMIT_PAPERS", bound)
    # no commits by the clock (the first would come at 2 s): only the rule that makes the last commit short
    monkeypatch.setitem(importer.ImportRun.__init__.__kwdefaults__, "first_commit", 3600.0)
    sizes: list[int] = []
    commit = SearchIndex.commit

    def recording(self, segments, delete_ids=(), indexed_ids=(), **options):
        indexed_ids = list(indexed_ids)
        sizes.append(len(indexed_ids))
        return commit(self, segments, delete_ids, indexed_ids, **options)

    monkeypatch.setattr(SearchIndex, "commit", recording)
    seen: list[Progress] = []
    files = papers[:24]
    with Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.slow_parse) as lib:
        report = run_import(lib, files, progress=seen.append)
        assert report.count("imported") == len(files)
        assert lib.catalog.unindexed() == []
    assert sum(sizes) == len(files), sizes
    # near the end a segment is finished when the bound is reached: it holds the tasks queued on the worker
    # then too, and what it did while the commit before was being written
    assert sizes[-1] <= bound + QUEUE_DEPTH + 3, sizes
    assert len(sizes) >= 3, sizes
    assert seen[-1].uncommitted == 0 and seen[-1].imported == len(files)
    assert max(p.uncommitted for p in seen) > 0  # the progress says what waits for a commit


@pytest.mark.parametrize("workers", [1, 2])
def test_no_commit_anywhere_in_an_import_holds_more_than_the_bound(tmp_path: Path, papers: list[Path], workers: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the last commit: with growing intervals alone a middle commit held 3,812 papers at 10,000 (the
    progress stood still for five minutes). Every commit stays near COMMIT_MAX_PAPERS; with two workers, one
    writes its segment while the other goes on, so a commit at the bound adds one segment."""
    bound = 5
    monkeypatch.setattr(importer, "COMMIT_MAX_PAPERS", bound)
    monkeypatch.setattr(importer, "COMMIT_PAPERS", 1)
    # no commits by the clock: only the bound
    monkeypatch.setitem(importer.ImportRun.__init__.__kwdefaults__, "first_commit", 3600.0)
    sizes: list[int] = []
    commit = SearchIndex.commit

    segment_counts: list[int] = []

    def recording(self, segments, delete_ids=(), indexed_ids=(), **options):
        indexed_ids = list(indexed_ids)
        sizes.append(len(indexed_ids))
        segment_counts.append(len(segments))
        return commit(self, segments, delete_ids, indexed_ids, **options)

    monkeypatch.setattr(SearchIndex, "commit", recording)
    files = papers[:30]
    with Library.open(tmp_path / "lib", workers=workers, parse=fake_parsers.slow_parse) as lib:
        report = run_import(lib, files)
        assert report.count("imported") == len(files)
        assert lib.catalog.unindexed() == []
    assert sum(sizes) == len(files), sizes
    # a segment finished at the bound also holds the tasks queued on the worker, and what it did while the
    # commit before was being written
    if workers == 1:
        assert max(sizes) <= bound + QUEUE_DEPTH + 3, sizes
        assert len(sizes) >= len(files) // (bound + QUEUE_DEPTH + 3), sizes
    else:
        # a worker's segment also holds what it did while the commit before was written (on a loaded machine,
        # many of the fast parser's papers): what is bounded is that one worker at a time stops to write
        assert len(sizes) >= 3, sizes
        # the commits at the bound add one segment each (the last ones, near the end, take both workers')
        assert segment_counts.count(1) >= 2 and max(segment_counts) <= workers, segment_counts


def test_the_bar_says_what_is_still_being_saved() -> None:
    from reader.cli_library import ImportBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    bar = ImportBar(out)
    bar(Progress("importing", 1000, done=400, imported=300, uncommitted=100, elapsed=10))
    bar(Progress("importing", 1000, done=1000, imported=600, uncommitted=400, elapsed=20))
    bar(Progress("importing", 1000, done=1000, imported=1000, uncommitted=0, elapsed=25))
    lines = [line.replace("\x1b[K", "") for line in out.getvalue().split("\r") if line]
    assert lines[0].startswith("importing [") and "400/1,000" in lines[0]
    assert lines[1].startswith("saving 400 to the index [") and "1,000/1,000" in lines[1]
    assert lines[2].startswith("importing [") and "1,000/1,000" in lines[2]


def test_an_import_ends_by_merging_its_smallest_segments(tmp_path: Path, papers: list[Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The last commits shrink towards the end and leave small segments: after the last one, the smallest
    segments holding at most MERGE_AT_END_PAPERS papers are merged into one, and the progress says so."""
    monkeypatch.setattr(importer, "COMMIT_PAPERS", 4)
    monkeypatch.setattr(importer, "MERGE_AT_END_PAPERS", 15)
    monkeypatch.setattr(index_module, "TINY_SEGMENT", 1)  # no merging in the commits: only the one at the end
    monkeypatch.setitem(importer.ImportRun.__init__.__kwdefaults__, "first_commit", 3600.0)
    files = papers[:24]
    seen: list[Progress] = []
    sizes_before: list[list[int]] = []
    merge = SearchIndex.merge

    def recording(self, choose, cancel=None, progress=None):
        sizes_before.append(sorted(self.segment_sizes()))
        return merge(self, choose, cancel, progress)

    monkeypatch.setattr(SearchIndex, "merge", recording)
    with Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.slow_parse) as lib:
        report = run_import(lib, files, progress=seen.append)
        assert report.count("imported") == len(files)
        sizes = sorted(lib.index.segment_sizes())
        assert len(sizes_before) == 1 and len(sizes_before[0]) >= 3, sizes_before
        # the smallest ones, as many as fit in 15 papers, became one segment
        smallest, total = [], 0
        for size in sizes_before[0]:
            if total + size > 15:
                break
            smallest.append(size)
            total += size
        assert report.merged == total >= 2
        assert sizes == sorted([*sizes_before[0][len(smallest):], total])
        assert lib.index.problem() is None
        assert lib.catalog.unindexed() == []
    phases = [p.phase for p in seen]
    assert "merging segments" in phases and phases[-1] == "merging segments"
    # while it merges, the progress says how far it is
    shares = [int(p[len("merging segments "):-1]) for p in phases if p.startswith("merging segments ")]
    assert shares and shares == sorted(shares) and all(0 <= share <= 100 for share in shares)
    assert phases.index("merging segments") > max(i for i, p in enumerate(seen) if p.imported < len(files))
