"""A segment written by SegmentBuilder's own writer is the segment Whoosh's SegmentWriter writes, byte for byte."""
from __future__ import annotations

import random
import zlib
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter as WhooshSegmentWriter

from conftest import ALAM, GADI
from reader.ingest import load_paper
from reader.library.documents import build_schema, document_for
from reader.library.index import PinnedIndex
from reader.library import segments
from reader.library.segments import SegmentBuilder, SegmentWriter
from reader.library.userdata import UserData


def _documents() -> list[dict]:
    """The two sample papers as the library indexes them, and 400 small documents over a small vocabulary, so
    that common words have postings over several of Whoosh's blocks (128 postings each) and rare ones are
    inlined, with every kind of field the schema has."""
    docs = [document_for(load_paper(ALAM)), document_for(load_paper(GADI), UserData(notes="my note on trust",
                                                                                       tags=["Review"]))]
    rng = random.Random(7)
    vocabulary = ["peace", "talks", "Taliban", "model", "models", "negotiation", "border", "trade", "the", "of",
                  "İstanbul", "naïve", "3.14", "U.S.", "co-operation"] + [f"w{i}" for i in range(300)]
    for n in range(400):
        body = "\n".join(" ".join(rng.choices(vocabulary, k=rng.randint(1, 60))) for _ in range(rng.randint(1, 4)))
        body += " everywhere" + (" twoblocks" if n < 256 else "")  # 400 postings; exactly two full blocks
        doc = {"id": f"{n:016x}", "title": " ".join(rng.choices(vocabulary, k=5)), "body": body,
               "authors": "Ann Bermúdez ; Bo Li" if n % 3 else "", "references": " ".join(rng.choices(vocabulary, k=9))}
        if n % 4:
            doc["year"] = 1990 + n % 30
        if n % 5 == 0:
            doc["notes"] = "a note " * (n % 7 + 1)
        if n % 11 == 0:
            doc["collections"] = "Thesis ; Thesis / Chapter 2"
        docs.append({k: v for k, v in doc.items() if v})
    return docs


def _segment_files(folder: Path, segment) -> dict[str, bytes]:
    """Each file inside the segment's compound file, by its name without the segment's id."""
    compound = segment.open_compound_file(FileStorage(str(folder)))
    files = {}
    for name in compound.list():
        f = compound.open_file(name)
        files[name.replace(segment.segment_id(), "")] = f.read()
        f.close()
    compound.close()
    return files


def test_a_segment_is_what_whoosh_writes_for_the_same_documents(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(segments, "COMPRESS_FROM", 0)  # every block compressed, as Whoosh's writer does
    docs = _documents()
    ours_folder, theirs_folder = tmp_path / "ours", tmp_path / "theirs"
    ours_folder.mkdir()
    theirs_folder.mkdir()
    schema = build_schema()

    ours = SegmentWriter(FileStorage(str(ours_folder)), schema)
    for doc in docs:
        ours.add_document(**doc)
    our_segment = ours.finish()

    ix = PinnedIndex(FileStorage(str(theirs_folder)), 0, toc=TOC(schema, [], 0))
    theirs = WhooshSegmentWriter(ix, _lk=False, limitmb=1)  # a small pool: Whoosh's external sort runs too
    for doc in docs:
        theirs.add_document(**doc)
    their_segment = theirs._finalize_segment()
    theirs._finish()

    assert our_segment.doc_count_all() == their_segment.doc_count_all() == len(docs)
    assert our_segment._fieldlengths == their_segment._fieldlengths
    our_files, their_files = _segment_files(ours_folder, our_segment), _segment_files(theirs_folder, their_segment)
    assert sorted(our_files) == sorted(their_files)
    for name in their_files:
        assert our_files[name] == their_files[name], name


def _postings(folder: Path, segment) -> dict[tuple[str, bytes], list[tuple[int, float, bytes]]]:
    """Every word's postings (document, weight, value) as Whoosh's own reader and matcher read them."""
    reader = SegmentReader(FileStorage(str(folder)), build_schema(), segment)
    try:
        out = {}
        for name, word in reader.all_terms():
            matcher = reader.postings(name, word)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out[(name, word)] = found
        return out
    finally:
        reader.close()


def _block_compressions(folder: Path, segment) -> list[tuple[int, int]]:
    """(size of the pickled postings, compression) of every block of every word, as stored."""
    reader = SegmentReader(FileStorage(str(folder)), build_schema(), segment)
    try:
        blocks = []
        for name, word in reader.all_terms():
            matcher = reader.postings(name, word)
            while True:
                data = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
                blocks.append((len(zlib.decompress(data) if matcher._compression else data), matcher._compression))
                if matcher._lastblock:
                    break
                matcher._next_block()
        return blocks
    finally:
        reader.close()


def test_small_blocks_are_stored_uncompressed_and_read_the_same(tmp_path: Path, monkeypatch) -> None:
    # The one difference from Whoosh's writer: a block under COMPRESS_FROM bytes is not compressed (its info
    # says so). Whoosh's reader reads the same postings either way.
    docs = _documents()
    written = {}
    for threshold in (0, segments.COMPRESS_FROM):
        monkeypatch.setattr(segments, "COMPRESS_FROM", threshold)
        folder = tmp_path / str(threshold)
        folder.mkdir()
        writer = SegmentWriter(FileStorage(str(folder)), build_schema())
        for doc in docs:
            writer.add_document(**doc)
        written[threshold] = (folder, writer.finish())
    everything, some = (_postings(*written[0]), _postings(*written[segments.COMPRESS_FROM]))
    assert everything == some and len(everything) > 300
    blocks = _block_compressions(*written[segments.COMPRESS_FROM])
    assert {compression for size, compression in blocks if size < segments.COMPRESS_FROM} == {0}
    assert {compression for size, compression in blocks if size >= segments.COMPRESS_FROM} == {3}
    assert all(compression == 3 for _, compression in _block_compressions(*written[0]))


def test_the_builder_hands_over_a_segment_whoosh_reads(tmp_path: Path) -> None:
    builder = SegmentBuilder(tmp_path / "w1", tmp_path / "ready")
    assert builder.finish() is None
    paper = load_paper(ALAM)
    paper.id = "0123456789abcdef"
    builder.add(paper)
    staged = builder.finish()
    assert staged is not None and staged.paper_ids == [paper.id]
    assert staged.folder == tmp_path / "ready" and staged.files()
    ix = PinnedIndex(FileStorage(str(tmp_path / "ready")), 1, toc=TOC(build_schema(), [staged.segment], 1))
    with ix.searcher() as searcher:
        assert searcher.document_number(id=paper.id) == 0
        assert searcher.doc_count() == 1
        assert b"taliban" in set(searcher.reader().lexicon("body"))
    builder.discard()
    assert not (tmp_path / "w1").exists()
