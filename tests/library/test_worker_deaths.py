"""Issue 14: worker deaths that are not a full disk are bounded. A paper whose worker dies while writing the
segment it is in is handed out again once, in a segment of its own; when that worker dies too, the paper fails
with one line and is never handed out again, the papers that shared its first segment are imported, and the
import ends."""
from __future__ import annotations

from pathlib import Path

import fake_parsers
from test_faults import DEADLINE, assert_searchable, assert_whole, by_path, ids_of, papers, run_import  # noqa: F401

from reader.library import Library


def test_a_paper_that_kills_its_worker_twice_fails_once_and_the_import_ends(tmp_path: Path, papers: list[Path]
                                                                          ) -> None:
    good = papers[:6]
    bomb = tmp_path / "bomb.xml"
    source = papers[6].read_bytes()  # a real article: it parses; only its segment cannot be written
    bomb.write_bytes(source.replace(b"<article", b"<!--" + fake_parsers.FLUSH_CRASH_MARK + b"--><article", 1))
    files = [*good[:3], bomb, *good[3:]]
    spawned: list[int] = []
    lib = Library.open(tmp_path / "lib", workers=2, parse=fake_parsers.segment_crash_parse)
    try:
        from reader.library import workers

        real_spawn = workers.WorkerPool._spawn

        def counting_spawn(self: workers.WorkerPool) -> workers._Worker:
            spawned.append(1)
            return real_spawn(self)

        workers.WorkerPool._spawn = counting_spawn  # type: ignore[method-assign]
        try:
            report = run_import(lib, files)  # fails the test if it has not ended within DEADLINE
        finally:
            workers.WorkerPool._spawn = real_spawn  # type: ignore[method-assign]
        results = by_path(report, files)  # one result per file: the bomb is reported once
        assert results[str(bomb)].status == "failed"
        assert results[str(bomb)].reason.startswith("its import process died twice while indexing it")
        assert [results[str(p)].status for p in good] == ["imported"] * len(good)
        assert 2 + 2 <= len(spawned) <= 2 + 2  # the two workers, and one replacement for each death
        assert_whole(lib, ids_of(good))
        assert_searchable(lib, ids_of(good))
        assert not (lib.folder.root / "papers" / next(iter(ids_of([bomb])))).exists()  # nothing of it kept
    finally:
        lib.close()


def test_writing_a_segment_does_not_count_against_the_next_files_time(tmp_path: Path, papers: list[Path]) -> None:
    """A worker that takes longer than the time limit to write its segment (a large one on a busy machine) is
    not taken for one stuck on the file queued behind it: that file is not failed, nothing is killed."""
    files = papers[:8]
    with Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.slow_segment_parse, time_limit=6) as lib:
        report = run_import(lib, files)
        assert [r.status for r in report.results] == ["imported"] * len(files), report.failed
        assert_whole(lib, ids_of(files))
