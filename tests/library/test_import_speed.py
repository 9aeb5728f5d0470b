"""Issue 15, import at 10,000 papers: what keeps an import's workers busy and its commits short."""
from __future__ import annotations

import gc
from pathlib import Path

import fake_parsers
import pytest
from test_faults import papers, run_import  # noqa: F401

from reader.ingest import load_bytes
from reader.library import Library, importer, merging
from reader.library import index as index_module
from reader.library.index import SearchIndex
from reader.library.workers import WORKER_COLLECT_EVERY
from reader.model import Paper


def threshold_in_title(data: bytes, path: str) -> Paper:
    """The real parser, the paper's title replaced by its worker's cycle-collector thresholds."""
    paper = load_bytes(data, path)
    paper.title = "gc " + " ".join(map(str, gc.get_threshold()))
    return paper


def test_an_import_worker_collects_cycles_rarely(tmp_path: Path, papers: list[Path]) -> None:
    """A worker makes millions of short-lived objects, nearly none in cycles: the collector's passes every 700
    of them were 8% of its CPU. In a real worker process the first threshold is WORKER_COLLECT_EVERY; the
    importing process (the window's, the CLI's) keeps Python's own."""
    before = gc.get_threshold()
    with Library.open(tmp_path / "lib", workers=1, parse=threshold_in_title) as lib:
        report = run_import(lib, papers[:2])
        assert report.count("imported") == 2
        titles = {entry.title for entry in lib.entries()}
    assert titles == {f"gc {WORKER_COLLECT_EVERY} {before[1]} {before[2]}"}
    assert WORKER_COLLECT_EVERY >= 10_000
    assert gc.get_threshold() == before


def test_the_first_commits_tiny_segments_are_merged_after_their_commit(
        tmp_path: Path, papers: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Merging the tiny segments of an import's first commits was the one long commit of a 10,000-paper
    import (15 s beside the workers at load 9): the commit's papers were neither searchable nor counted as
    committed meanwhile. The commit now records them first; the merge follows on the commit thread, and the
    index ends as before: no three tiny segments left, every paper found."""
    monkeypatch.setattr(index_module, "TINY_SEGMENT", 1000)  # every segment of this small import is tiny
    monkeypatch.setattr(importer, "COMMIT_MAX_PAPERS", 2)  # many commits, a segment or two each
    monkeypatch.setattr(importer, "COMMIT_PAPERS", 1)
    monkeypatch.setitem(importer.ImportRun.__init__.__kwdefaults__, "first_commit", 3600.0)
    in_commit = [False]
    merges: list[tuple[bool, int]] = []  # (inside a commit?, papers indexed in the catalog then)
    commit, merge_segments = SearchIndex.commit, merging.merge_segments

    def recording_commit(self, *args, **options):
        in_commit[0] = True
        try:
            return commit(self, *args, **options)
        finally:
            in_commit[0] = False

    def recording_merge(storage, schema, segments, *args, **options):
        merges.append((in_commit[0], len(library.catalog.ids()) - len(library.catalog.unindexed())))
        return merge_segments(storage, schema, segments, *args, **options)

    monkeypatch.setattr(SearchIndex, "commit", recording_commit)
    monkeypatch.setattr(merging, "merge_segments", recording_merge)
    files = papers[:16]
    with Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.slow_parse) as library:
        report = run_import(library, files)
        assert report.count("imported") == len(files)
        assert merges and not any(inside for inside, _ in merges), merges
        # each merge came after a commit had made its papers searchable: at least 3 tiny segments' worth
        assert all(indexed >= 3 for _, indexed in merges), merges
        assert report.tiny_merged > 0 and report.tiny_merge_seconds > 0
        sizes = library.index.segment_sizes()
        assert len(sizes) < 3 or len([s for s in sizes if s < 1000]) < 3, sizes
        assert library.index.problem() is None and library.catalog.unindexed() == []
        with library.index.open().searcher() as searcher:
            assert searcher.doc_count() == len(files)
