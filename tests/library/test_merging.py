"""Merging segments with our own writer (reader.library.merging) gives the segment Whoosh's own merge writes, and
changes no search result."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from test_segments import _documents, _segment_files
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.qparser import QueryParser
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter as WhooshSegmentWriter

from reader.library.documents import build_schema
from reader.library.index import PinnedIndex
from reader.library import merging as merging_module
from reader.library.merging import MergeCancelled, merge_segments
from reader.library import segments as segments_module
from reader.library.segments import SegmentWriter

QUERIES = ["peace", "taliban talks", '"peace process"', "model", "everywhere", "twoblocks", "w7 w12", "title:border",
           "authors:bermudez", "year:[1995 TO 2005]", "notes:note", "references:trade", "collections:thesis",
           "naïve", "tags:review"]


def _segments(folder: Path, docs: list[dict], sizes: list[int]) -> list:
    """Segments of ``docs`` in order, of the given sizes, written by SegmentWriter into ``folder``."""
    storage = FileStorage(str(folder))
    segments, at = [], 0
    for size in sizes:
        writer = SegmentWriter(storage, build_schema())
        for doc in docs[at:at + size]:
            writer.add_document(**doc)
        segments.append(writer.finish())
        at += size
    assert at == len(docs)
    return segments


def _whoosh_merge(folder: Path, segments: list):
    """What Whoosh's own writer makes of the segments: every segment added to a new one (its merge)."""
    storage = FileStorage(str(folder))
    schema = build_schema()
    ix = PinnedIndex(storage, 1, toc=TOC(schema, segments, 1))
    writer = WhooshSegmentWriter(ix, _lk=False, limitmb=1)  # a small pool: its external sort runs too
    for segment in segments:
        reader = SegmentReader(storage, schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = writer._finalize_segment()
    writer._finish()
    return merged


def _stored(folder: Path, segment) -> list[dict]:
    reader = SegmentReader(FileStorage(str(folder)), build_schema(), segment)
    try:
        return [reader.stored_fields(n) for n in range(segment.doc_count_all())]
    finally:
        reader.close()


def _results(folder: Path, segments: list) -> dict[str, list[tuple[str, float]]]:
    """Every query's hits (paper id and BM25F score), best first, over an index of ``segments``."""
    ix = PinnedIndex(FileStorage(str(folder)), 9, toc=TOC(build_schema(), segments, 9))
    out = {}
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        for text in QUERIES:
            query = QueryParser("body", ix.schema).parse(text)
            out[text] = [(hit["id"], hit.score) for hit in searcher.search(query, limit=None)]
    return out


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return _documents()


def test_a_merged_segment_is_what_whoosh_merges(tmp_path: Path, docs: list[dict], monkeypatch) -> None:
    monkeypatch.setattr(segments_module, "COMPRESS_FROM", 0)  # every block compressed, as Whoosh's writer does
    ours_folder, theirs_folder = tmp_path / "ours", tmp_path / "theirs"
    ours_folder.mkdir()
    segments = _segments(ours_folder, docs, [1, 150, 2, 249])  # words over blocks, across segments
    segments[1].delete_document(3)  # deleted papers are left out, their postings too
    segments[1].delete_document(140)
    segments[3].delete_document(0)
    shutil.copytree(ours_folder, theirs_folder)

    ours = merge_segments(FileStorage(str(ours_folder)), build_schema(), segments)
    theirs = _whoosh_merge(theirs_folder, segments)

    assert ours.doc_count_all() == theirs.doc_count_all() == len(docs) - 3
    assert not ours.has_deletions()
    our_files, their_files = _segment_files(ours_folder, ours), _segment_files(theirs_folder, theirs)
    assert sorted(our_files) == sorted(their_files)
    for name in their_files:
        if name != "._stored.col":  # Whoosh writes each stored dict's keys in a set's order: compared below
            assert our_files[name] == their_files[name], name
    assert _stored(ours_folder, ours) == _stored(theirs_folder, theirs)
    # the one difference on purpose: the field length totals are the papers' own (Whoosh adds them up as
    # stored, each rounded to a byte), minus the deleted papers' (as stored, all that is known of them)
    assert set(ours._fieldlengths) == set(theirs._fieldlengths)
    assert ours._fieldlengths != theirs._fieldlengths
    exact = {name: sum(s._fieldlengths.get(name, 0) for s in segments) for name in ours._fieldlengths}
    assert all(ours._fieldlengths[name] < exact[name] for name in ("body", "title"))


def test_a_merge_says_how_far_it_is(tmp_path: Path, docs: list[dict], monkeypatch) -> None:
    monkeypatch.setattr(merging_module, "_REPORT_EVERY", 50)
    segments = _segments(tmp_path, docs, [100, 150, 152])
    storage = FileStorage(str(tmp_path))
    words = 0
    for segment in segments:
        reader = SegmentReader(storage, build_schema(), segment)
        words += len(list(reader.all_terms()))
        reader.close()
    shares: list[float] = []
    merge_segments(storage, build_schema(), segments, progress=shares.append)
    assert len(shares) >= words // 50 - 1 and shares == sorted(shares)
    assert shares[0] < 0.05 and 0.95 < shares[-1] <= 1.0


def test_merging_changes_no_search_result(tmp_path: Path, docs: list[dict]) -> None:
    segments = _segments(tmp_path, docs, [40, 1, 200, 161])
    before = _results(tmp_path, segments)
    assert all(before[q] for q in QUERIES), [q for q in QUERIES if not before[q]]  # every query finds papers
    merged = merge_segments(FileStorage(str(tmp_path)), build_schema(), segments)
    assert merged.doc_count_all() == len(docs)
    assert merged._fieldlengths == {name: sum(s._fieldlengths.get(name, 0) for s in segments)
                                    for name in merged._fieldlengths}
    assert _results(tmp_path, [merged]) == before  # the same papers, in the same order, with the same scores
    # merging some of them (listed after the others, as a commit lists it): each paper keeps its score; only
    # the order of papers with equal scores may differ, since their numbers changed
    again = merge_segments(FileStorage(str(tmp_path)), build_schema(), segments[:2])
    after = _results(tmp_path, [*segments[2:], again])
    assert {q: sorted(hits) for q, hits in after.items()} == {q: sorted(hits) for q, hits in before.items()}


def test_a_cancelled_merge_leaves_nothing_behind(tmp_path: Path, docs: list[dict]) -> None:
    segments = _segments(tmp_path, docs, [200, 202])
    files = sorted(p.name for p in tmp_path.iterdir())
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(MergeCancelled):
        merge_segments(FileStorage(str(tmp_path)), build_schema(), segments, cancel=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == files


def test_commits_merge_the_tiny_segments_and_every_paper_stays_found_once(tmp_path: Path) -> None:
    from reader.library import Library

    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    files = []
    for n, word in enumerate(words):
        path = tmp_path / f"paper{n}.txt"
        path.write_text(f"A study of {word}zz\n\n" + f"The {word}zz results are plain. " * 20, encoding="utf-8")
        files.append(path)
    with Library.open(tmp_path / "lib", workers=1) as lib:
        sizes = []
        for path in files:  # one commit each
            assert lib.import_paths([path]).count("imported") == 1
            sizes.append(lib.index.segment_sizes())
        # the fourth commit found three tiny segments and merged them (listed after its own); the sixth, again
        assert sizes == [[1], [1, 1], [1, 1, 1], [1, 3], [1, 3, 1], [1, 5]]
        for word in words:
            assert len(lib.search(f"{word}zz")) == 1, word
        # a paper indexed again: its old document (in the merged segment) is deleted by the commit
        paper_id = lib.search("alphazz")[0].paper_id
        lib.add_highlight(paper_id, 0, 5, note="golfzz")
        assert lib.catch_up() == 1
        assert [hit.paper_id for hit in lib.search("golfzz")] == [paper_id]
        assert [hit.paper_id for hit in lib.search("alphazz")] == [paper_id]  # its text still has the word
        assert len(lib.search("resultsdoesnotexist OR plain", limit=20)) == len(words)


def test_the_library_merges_its_segments_when_asked(tmp_path: Path) -> None:
    from reader.library import Library

    files = []
    for n in range(5):
        path = tmp_path / f"paper{n}.txt"
        path.write_text(f"Paper {n}\n\n" + f"The word{n}x results are plain. " * 20, encoding="utf-8")
        files.append(path)
    with Library.open(tmp_path / "lib", workers=1) as lib:
        for path in files[:2]:
            lib.import_paths([path])
        lib.import_paths(files[2:])
        assert sorted(lib.index.segment_sizes()) == [1, 1, 3]
        before = {n: lib.search(f"word{n}x") for n in range(5)}
        other = Library.open(tmp_path / "lib")  # another window on the library, its searcher open on the old
        assert other.search("word0x") == before[0]  # segments while they are merged and removed
        cancel = threading.Event()
        cancel.set()
        assert lib.merge_segments(cancel=cancel) == 0
        assert sorted(lib.index.segment_sizes()) == [1, 1, 3]
        assert lib.merge_segments(most_papers=2) == 2  # the two smallest
        assert sorted(lib.index.segment_sizes()) == [2, 3]
        assert lib.merge_segments() == 5
        assert lib.index.segment_sizes() == [5]
        assert lib.merge_segments() == 0  # nothing left to merge
        assert {n: lib.search(f"word{n}x") for n in range(5)} == before
        assert {n: other.search(f"word{n}x") for n in range(5)} == before
        other.close()
        assert lib.index.problem() is None
    # the old segments' files are gone: the index folder holds one segment and its table of contents
    assert len(list((tmp_path / "lib" / "index").glob("*.seg"))) == 1


def test_a_merge_killed_before_it_is_recorded_leaves_the_old_segments(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """As if killed after writing the new segment and table of contents, before recording the manifest: the
    old generation is the index (the new files are unlisted: never read, deleted by the next writer)."""
    from reader.library import Library
    from reader.library.index import SearchIndex

    for n in range(3):
        (tmp_path / f"paper{n}.txt").write_text(f"Paper {n}\n\n" + f"The word{n}x results. " * 30, encoding="utf-8")
    with Library.open(tmp_path / "lib", workers=1) as lib:
        for n in range(3):
            lib.import_paths([tmp_path / f"paper{n}.txt"])
        files = sorted(p.name for p in (tmp_path / "lib" / "index").iterdir())
        before = {n: lib.search(f"word{n}x") for n in range(3)}

        def killed(*args: object, **kwargs: object) -> None:
            raise KeyboardInterrupt  # the process ends here

        with monkeypatch.context() as m:
            m.setattr(SearchIndex, "_signed_manifest_of", killed)
            with pytest.raises(KeyboardInterrupt):
                lib.merge_segments()
        assert len(list((tmp_path / "lib" / "index").iterdir())) > len(files)  # the new files are there ...
    with Library.open(tmp_path / "lib") as lib:  # ... and a fresh start reads the old generation
        assert lib.index.problem() is None
        assert sorted(lib.index.segment_sizes()) == [1, 1, 1]
        assert {n: lib.search(f"word{n}x") for n in range(3)} == before
        assert lib.merge_segments() == 3
        assert {n: lib.search(f"word{n}x") for n in range(3)} == before
        assert len(list((tmp_path / "lib" / "index").glob("*.seg"))) == 1  # the unlisted files are gone
