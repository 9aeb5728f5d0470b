"""A library end to end: import (dedupe, per-file results), list, open, remove, reindex, first start."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ALAM, GADI, SAMPLES
from reader.errors import LibraryError
from reader.ingest import PARSER_VERSION
from reader.library import Library


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()


def _statuses(report) -> dict[str, tuple[str, str]]:
    return {Path(r.path).name: (r.status, r.reason) for r in report.results}


def test_import_stores_catalogues_and_indexes(library: Library, sample_ids: dict[str, str]) -> None:
    report = library.import_paths([SAMPLES])
    assert {s for s, _ in _statuses(report).values()} == {"imported"}
    entries = {e.id: e for e in library.entries()}
    assert set(entries) == set(sample_ids.values())
    gadi = entries[sample_ids["gadi"]]
    assert (gadi.title, gadi.authors, gadi.year, gadi.format) == (
        "Against all Expectations: Afghanistan-Pakistan Relations after the American Withdrawal", ["Ido Gadi"],
        2023, "xml")
    assert gadi.source_name == GADI.name and gadi.indexed
    folder = library.folder.paper_dir(gadi.id)
    assert (folder / "source.xml").read_bytes() == GADI.read_bytes()  # the source, byte for byte
    cached = json.loads((folder / "paper.json").read_text(encoding="utf-8"))
    assert cached["parser_version"] == PARSER_VERSION
    assert (folder / "text.txt").read_text(encoding="utf-8") == library.paper(gadi.id).text
    assert library.index.problem() is None


def test_the_same_bytes_are_imported_once(library: Library, tmp_path: Path) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    shutil.copy(ALAM, copies / "one.txt")
    shutil.copy(ALAM, copies / "two.txt")  # same bytes, another name: the same paper
    report = library.import_paths([copies])
    assert sorted(s for s, _ in _statuses(report).values()) == ["already there", "imported"]
    again = library.import_paths([ALAM])
    assert _statuses(again)[ALAM.name][0] == "already there"
    assert again.results[0].title == "Pakistan's Role in Afghan Peace Process: An Analysis"
    assert library.catalog.count() == 1
    with library.index.open().searcher() as s:
        assert s.doc_count() == 1


def test_a_folder_of_odds_and_ends(library: Library, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(GADI, mixed / "paper.xml")
    (mixed / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (mixed / "bundle.zip").write_bytes(b"PK\x03\x04" + bytes(100))
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "note.txt").write_text("call the library about the journal\n")
    (mixed / "junk.pdf").write_bytes(bytes(range(256)) * 20)
    (mixed / "broken.xml").write_text("<article><front><title>Unclosed")
    report = library.import_paths([mixed])
    got = _statuses(report)
    assert got["paper.xml"][0] == "imported"
    assert got["figure.png"][0] == got["bundle.zip"][0] == "skipped"
    assert got["empty.txt"] == ("failed", "the file is empty")
    assert got["note.txt"][0] == "failed" and "too little text" in got["note.txt"][1]
    assert got["junk.pdf"][0] == "failed" and got["junk.pdf"][1]
    assert got["broken.xml"][0] == "failed" and got["broken.xml"][1]
    assert library.catalog.count() == 1  # only the paper


def test_remove_takes_a_paper_out_of_everything(library: Library, sample_ids: dict[str, str]) -> None:
    library.import_paths([SAMPLES])
    gone = library.remove(sample_ids["alam"][:8])  # an id prefix, as copied from a list
    assert gone.id == sample_ids["alam"]
    assert [e.id for e in library.entries()] == [sample_ids["gadi"]]
    assert [h.paper_id for h in library.search('"durand line"')] == [sample_ids["gadi"]]
    assert not library.folder.paper_dir(sample_ids["alam"]).exists()
    with pytest.raises(LibraryError, match="no such paper"):
        library.remove(sample_ids["alam"])
    again = library.import_paths([ALAM])  # and it can come back
    assert _statuses(again)[ALAM.name][0] == "imported"
    assert len(library.search('"durand line"')) == 2


def test_an_outdated_parse_is_redone(library: Library, sample_ids: dict[str, str]) -> None:
    library.import_paths([GADI])
    cache = library.folder.paper_dir(sample_ids["gadi"]) / "paper.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["parser_version"] = PARSER_VERSION - 1
    data["title"] = "an old title"
    cache.write_text(json.dumps(data), encoding="utf-8")
    paper = library.paper(sample_ids["gadi"])
    assert paper.parser_version == PARSER_VERSION and paper.title.startswith("Against all Expectations")
    assert json.loads(cache.read_text(encoding="utf-8"))["parser_version"] == PARSER_VERSION


def test_papers_from_an_older_parser_are_reparsed_and_reindexed(library: Library,
                                                                sample_ids: dict[str, str]) -> None:
    library.import_paths([SAMPLES])
    added = {e.id: e.added for e in library.entries()}
    with library.catalog.transaction() as db:
        db.execute("UPDATE papers SET parser_version = 0, title = 'stale'")
    for entry in library.entries():  # as an older parser would have left them
        cache = library.folder.paper_dir(entry.id) / "paper.json"
        data = json.loads(cache.read_text(encoding="utf-8"))
        data["parser_version"] = 0
        cache.write_text(json.dumps(data), encoding="utf-8")
    assert library.outdated() == 2
    assert len(library.search('"durand line"')) == 2  # a search does not stop to re-parse the library
    assert library.outdated() == 2
    report = library.reindex()
    assert report.indexed == 2
    entries = library.entries()
    assert {e.parser_version for e in entries} == {PARSER_VERSION}
    assert "stale" not in {e.title for e in entries}
    assert {e.id: e.added for e in entries} == added  # its place in the library is kept
    assert len(library.search('"durand line"')) == 2
    with library.index.open().searcher() as s:
        assert s.doc_count() == 2


def test_reindex_rebuilds_the_same_search(library: Library) -> None:
    library.import_paths([SAMPLES])
    before = [(h.paper_id, h.offset) for h in library.search('"durand line"')]
    report = library.reindex()
    assert report.indexed == 2 and not report.failed
    assert [(h.paper_id, h.offset) for h in library.search('"durand line"')] == before


def test_listing_comes_from_the_catalog(library: Library, sample_ids: dict[str, str]) -> None:
    """The list needs no paper file: it still lists with every paper folder gone."""
    library.import_paths([SAMPLES])
    shutil.rmtree(library.folder.papers)
    assert {e.id for e in library.entries("title")} == set(sample_ids.values())


def test_progress_reports_reach_the_total(library: Library) -> None:
    seen = []
    library.import_paths([SAMPLES], progress=seen.append)
    assert seen and seen[-1].done == seen[-1].total == 2
    assert seen[-1].imported == 2


def _drop_from_index(library: Library, paper_id: str) -> None:
    """As a run cut short between a paper's catalog row and its index commit leaves it."""
    library.lock.acquire("test")
    with library.lock:
        library.catalog.set_indexed([paper_id], False)
        library.index.commit([], delete_ids=[paper_id])


def test_a_search_answers_from_what_is_indexed_and_never_indexes(library: Library, sample_ids: dict[str, str]
                                                                 ) -> None:
    library.import_paths([SAMPLES])
    _drop_from_index(library, sample_ids["alam"])
    reader = Library.open(library.root)
    try:
        assert reader.unindexed_count() == 1
        assert [h.paper_id for h in reader.search('"durand line"')] == [sample_ids["gadi"]]
        assert reader.unindexed_count() == 1  # the search left it for catch_up
        seen = []
        assert reader.catch_up(progress=seen.append) == 1
        assert seen and seen[-1].done == seen[-1].total == 1
        assert reader.unindexed_count() == 0
        assert {h.paper_id for h in reader.search('"durand line"')} == set(sample_ids.values())
        assert reader.catch_up() == 0  # nothing left
        with reader.index.open().searcher() as s:
            assert s.doc_count() == 2  # indexed again, not twice
    finally:
        reader.close()


def test_a_search_never_waits_for_another_writer(library: Library, sample_ids: dict[str, str]) -> None:
    """With another process writing, search answers at once and catch_up says it is busy at once."""
    import time

    from reader.errors import LibraryBusy
    from reader.library.locking import WriterLock

    library.import_paths([SAMPLES])
    _drop_from_index(library, sample_ids["alam"])
    other = WriterLock(library.folder.lock)
    other.acquire("import", timeout=1)  # as another process would (flock: a second open file conflicts)
    try:
        reader = Library.open(library.root)
        start = time.monotonic()
        assert len(reader.search('"durand line"')) == 1
        with pytest.raises(LibraryBusy):
            reader.catch_up()
        assert time.monotonic() - start < 5
        assert library.catalog.unindexed() == [sample_ids["alam"]]  # left for the writer
        reader.close()
    finally:
        other.release()


def test_changed_notes_are_searchable_after_catch_up(library: Library, sample_ids: dict[str, str]) -> None:
    library.import_paths([SAMPLES])
    library.add_highlight_by_quote(sample_ids["gadi"], "Durand", note="zanzibarian marmalade")
    assert library.search("zanzibarian") == []  # not indexed yet: the search does not wait for it
    assert library.unindexed_count() == 1
    assert library.catch_up() == 1
    assert [h.paper_id for h in library.search("zanzibarian")] == [sample_ids["gadi"]]


def test_catch_up_on_a_read_only_library_does_nothing(library: Library, sample_ids: dict[str, str]) -> None:
    library.import_paths([SAMPLES])
    _drop_from_index(library, sample_ids["alam"])
    library.close()
    reader = Library(library.root, read_only=True)
    try:
        assert reader.unindexed_count() == 1
        assert reader.catch_up() == 0
        assert [h.paper_id for h in reader.search('"durand line"')] == [sample_ids["gadi"]]
    finally:
        reader.close()


def test_the_writer_lock_is_per_thread(tmp_path: Path) -> None:
    """The window imports on one thread and searches on another: the second thread must wait its turn."""
    import threading

    from reader.errors import LibraryBusy
    from reader.library.locking import WriterLock

    lock = WriterLock(tmp_path / "write.lock")
    lock.acquire("import")
    lock.acquire("nested, same thread")  # re-entrant for its holder
    outcome = []

    def other() -> None:
        try:
            lock.acquire("search catch-up", timeout=0)
            outcome.append("acquired")
        except LibraryBusy:
            outcome.append("busy")

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["busy"]
    lock.release()
    lock.release()
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["busy", "acquired"]
