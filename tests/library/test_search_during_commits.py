"""A search in one process while another process commits (issue 14 item 5): a commit deletes the files of the
generation it replaces once the new one is recorded; a searcher that was opening or reading that generation
reads the new one. Never a rebuild, never an internal error."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ALAM, GADI
from reader.library import Library, search


@pytest.fixture
def two_processes(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A library with one paper, opened by a reader; ``commit()`` imports a second paper as another process
    would (its own Library on the same folder)."""
    root = tmp_path / "lib"
    with Library.open(root) as first:
        first.import_paths([ALAM])
    reader = Library.open(root)
    rebuilds: list[str] = []
    reader.on_rebuild = lambda reason, progress: rebuilds.append(reason) if progress is None else None

    def commit() -> None:
        with Library.open(root) as writer:
            writer.import_paths([GADI])

    yield reader, commit, rebuilds
    reader.close()


def test_a_commit_landing_while_a_searcher_opens_is_read_not_rebuilt(two_processes, monkeypatch) -> None:
    reader, commit, rebuilds = two_processes
    real_open = search._open_searcher
    opened: list[int] = []

    def commit_meanwhile(ix):  # type: ignore[no-untyped-def]
        if not opened:  # between reading which generation is newest and opening its files
            commit()
        opened.append(ix.generation)
        return real_open(ix)

    monkeypatch.setattr(search, "_open_searcher", commit_meanwhile)
    assert len(reader.search('"durand line"')) == 2  # both papers: the generation the commit made
    assert len(opened) == 2 and opened[1] > opened[0] and rebuilds == []


def test_a_commit_deleting_files_an_open_searcher_reads_is_read_not_rebuilt(two_processes) -> None:
    reader, commit, rebuilds = two_processes
    assert len(reader.search('"durand line"')) == 1
    commit()
    searcher = reader._searcher
    real_search = searcher._searcher.search

    def file_gone(*args, **kwargs):  # type: ignore[no-untyped-def]
        searcher._searcher.search = real_search
        raise FileNotFoundError(2, "No such file or directory", "_MAIN_1.toc")  # as a lazily opened file

    searcher._searcher.search = file_gone
    searcher._checked = float("inf")  # the searcher has not looked for a new generation yet
    assert len(reader.search('"durand line"')) == 2
    assert rebuilds == []


def test_a_file_missing_with_no_commit_is_damage(two_processes) -> None:
    reader, _, rebuilds = two_processes
    assert len(reader.search('"durand line"')) == 1
    searcher = reader._searcher

    def file_gone(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise FileNotFoundError(2, "No such file or directory", "_MAIN_1.toc")

    searcher._searcher.search = file_gone
    searcher._checked = float("inf")
    assert len(reader.search('"durand line"')) == 1  # rebuilt, and answered
    assert len(rebuilds) == 1 and "damaged" in rebuilds[0]
