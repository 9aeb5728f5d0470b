"""Merging index segments into one, with the codec's own writers and without Whoosh's posting pool.

Why not Whoosh's merge (``SegmentWriter.add_reader``): it turns every posting of every segment into a Python
tuple, sorts them all through its posting pool (pickled runs on disk past its memory limit) and writes them
one by one: merging a 2,000-paper library's 11 segments took 231 s of CPU, more than indexing the papers.
Here each word's postings are read a block at a time (one decompress and unpickle per block of up to 128
postings), renumbered, and written a block at a time with the posting writer's own block encoder, as
``segments.SegmentWriter`` writes a new segment; words are walked in order in every segment at once, so only
one word's postings are in memory.

What comes out is what Whoosh's merge writes (tests/library/test_merging.py compares the files), with one
difference on purpose: a segment's total length of each field (BM25's average field length) is the sum of
the papers' real lengths, as in the segments merged, where Whoosh adds up the lengths as stored for each
paper (rounded to a byte), so every score changed after a Whoosh merge. Merging segments without deleted
papers therefore changes no search result, not even a score.
"""
from __future__ import annotations

import heapq
import io
import itertools
import pickle
import struct
import threading
import zlib
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort

from reader.library.index import INDEX_NAME
from reader.library.segments import keep_freed_memory, length_bytes, write_term

_HEADER = 4  # the magic bytes before a word's first block
_REPORT_EVERY = 2000  # words merged between two calls of a merge's progress callback


def smallest_segments(segments: list[Segment], most_papers: int | None) -> list[Segment]:
    """The smallest segments that together hold at most ``most_papers`` papers (None: every segment), to merge
    into one: none when that would be fewer than two."""
    chosen: list[Segment] = []
    papers = 0
    for segment in sorted(segments, key=lambda s: s.doc_count_all()):
        if most_papers is not None and papers + segment.doc_count_all() > most_papers:
            break
        chosen.append(segment)
        papers += segment.doc_count_all()
    return chosen if len(chosen) >= 2 else []


class MergeCancelled(Exception):
    """The merge was asked to stop; its half-written segment was removed and nothing else changed."""


def merge_segments(storage: Storage, schema: Schema, segments: list[Segment],
                   cancel: threading.Event | None = None,
                   progress: Callable[[float], None] | None = None) -> Segment:
    """Write one new segment into ``storage`` holding the papers of ``segments`` (in order, without those
    marked deleted), and return it. The segments themselves are left as they are: the caller lists the new
    one in place of them in the next table of contents. Raises MergeCancelled when ``cancel`` is set (checked
    between words). ``progress`` is told the share of the segments' words merged so far (0 to 1) now and
    then, so a progress bar moves while a merge of some seconds runs."""
    keep_freed_memory()
    codec = default_codec()
    new = codec.new_segment(storage, INDEX_NAME)
    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    try:
        try:
            maps, lengths, totals = _write_documents(codec, storage, schema, new, readers)
            _write_postings(codec, storage, schema, new, readers, maps, lengths, cancel, progress)
        except BaseException:
            _remove_segment_files(storage, new)
            raise
    finally:
        for reader in readers:
            reader.close()
    new._fieldlengths = totals
    if new.should_assemble():
        new.create_compound_file(storage)
    return new


def _write_documents(codec: Any, storage: Storage, schema: Schema, new: Segment, readers: list[SegmentReader]
                     ) -> tuple[list[array], dict[str, list[int | None]], dict[str, int]]:
    """Every paper's stored fields, field lengths and column values into the new segment, in order.

    Returns, per segment, its documents' new numbers (-1: deleted); per field, each new document's length as
    stored (what the posting blocks' statistics are made of); and the field length totals (see the module's
    docstring)."""
    perdoc = codec.per_document_writer(storage, new)
    names = sorted(schema.names())  # every field, as Whoosh's merge adds them (a length of 0 adds nothing)
    scored = [name for name in names if schema[name].scorable]
    lengths: dict[str, list[int | None]] = {name: [] for name in scored}
    totals: dict[str, int] = {}
    maps: list[array] = []
    docnum = 0
    try:
        for reader in readers:
            count = reader.doc_count_all()
            docmap = array("i", [-1]) * count
            columns = {name: _column(reader, schema, name) for name in names if schema[name].column_type}
            columns = {name: column for name, column in columns.items() if column is not None}
            for name, total in reader.segment()._fieldlengths.items():
                totals[name] = totals.get(name, 0) + total
            for old in range(count):
                stored = reader._perdoc.stored_fields(old)
                if reader.is_deleted(old):
                    for name in scored:  # its length is in the segment's total: take it out (as stored)
                        totals[name] = totals.get(name, 0) - (reader.doc_field_length(old, name) or 0)
                    continue
                docmap[old] = docnum
                perdoc.start_doc(docnum)
                for name in names:
                    field = schema[name]
                    length = reader.doc_field_length(old, name)  # as stored (None: no length)
                    perdoc.add_field(name, field, stored.get(name), length)
                    if name in lengths:
                        lengths[name].append(length)
                    if name in columns:
                        perdoc.add_column_value(name, field.column_type, columns[name][old])
                perdoc.finish_doc()
                docnum += 1
            maps.append(docmap)
    finally:
        perdoc.close()
    new.set_doc_count(docnum)
    return maps, lengths, {name: total for name, total in totals.items() if total > 0}


def _column(reader: SegmentReader, schema: Schema, name: str) -> Any:
    from whoosh import columns

    if not reader.has_column(name):
        return None
    column = reader.column_reader(name, schema[name].column_type)
    if isinstance(column, columns.TranslatingColumnReader):
        column = column.raw_column()
    return column


def _write_postings(codec: Any, storage: Storage, schema: Schema, new: Segment, readers: list[SegmentReader],
                    maps: list[array], lengths: dict[str, list[int | None]], cancel: threading.Event | None,
                    progress: Callable[[float], None] | None = None) -> None:
    writer = codec.field_writer(storage, new)
    # every word of every segment is taken once: the words taken so far, of all, is how far the merge is
    total = max(1, sum(reader._terms._tindex.indexlen for reader in readers))
    taken = 0
    next_report = 0
    try:
        fields = sorted({name for r in readers for name in r.indexed_field_names() if name in schema})
        for name in fields:
            field = schema[name]
            fixed = field.format.fixed_value_size()
            field_lengths = length_bytes(lengths.get(name) or [0] * new.doc_count_all())
            sources = [_words(reader, index, name) for index, reader in enumerate(readers)]
            started = False
            for word, group in itertools.groupby(heapq.merge(*sources), key=lambda item: item[0]):
                if cancel is not None and cancel.is_set():
                    raise MergeCancelled("the merge was cancelled")
                ids = array("I")
                weights = array("d")
                values: list[bytes] = []
                for _, index, info in group:
                    _read_postings(readers[index], info, maps[index], fixed, ids, weights, values)
                    taken += 1
                if progress is not None and taken >= next_report:
                    progress(taken / total)
                    next_report = taken + _REPORT_EVERY
                if not ids:
                    continue  # every paper that had the word was deleted
                if not started:
                    writer.start_field(name, field)
                    started = True
                write_term(writer, word, ids, weights, values, field_lengths)
            if started:
                writer.finish_field()
    finally:
        writer.close()


def _words(reader: SegmentReader, index: int, name: str) -> Iterator[tuple[bytes, int, bytes]]:
    """(word, index, term info as stored) for every word of field ``name`` in the segment, in byte order."""
    terms = reader._terms
    number = terms._fieldmap.get(name)
    if number is None:
        return
    prefix = pack_ushort(number)
    for key, info in terms._tindex.items_from(prefix):
        if key[:2] != prefix:
            return
        yield key[2:], index, info


# W3TermInfo's layout: flags (1: the postings are inlined after it), weight, document frequency, lengths,
# weight, first and last document; then the postings' offset (8 bytes) in the postings file.
_TERM_INFO = struct.Struct("!BfIBBfII")
_OFFSET = struct.Struct("!q")
_SIZE = struct.Struct("!i")


def _read_postings(reader: SegmentReader, info: bytes, docmap: array, fixed: int | None,
                   ids: array, weights: array, values: list[bytes]) -> None:
    """Append one segment's postings of a word (renumbered, deleted papers left out) to ``ids``, ``weights``
    and ``values`` (the values only where the field has them: those a posting writer keeps)."""
    head = _TERM_INFO.size
    if info[0]:  # inlined in the term table
        block_ids, block_weights, block_values = pickle.loads(info[head:])
        _add(list(block_ids), list(block_weights), list(block_values or ()), docmap, ids, weights, values)
        return
    postfile = reader._terms._postfile
    at = _OFFSET.unpack_from(info, head)[0] + _HEADER
    while True:
        size = _SIZE.unpack(postfile.get(at, _SIZE.size))[0]
        at += _SIZE.size
        block = io.BytesIO(postfile.get(at, abs(size)))
        at += abs(size)
        count, _, _, compression, _, _ = pickle.load(block)  # the block's statistics, then its postings
        raw = block.read()
        block_ids, block_weights, block_values = pickle.loads(zlib.decompress(raw) if compression else raw)
        block_ids = list(itertools.accumulate(block_ids))  # delta-coded
        if block_weights is None:
            block_weights = [1.0] * count
        elif isinstance(block_weights, float):
            block_weights = [block_weights] * count
        if fixed is None or fixed < 0:
            block_values = list(block_values)
        elif fixed == 0:
            block_values = []
        else:
            block_values = [block_values[i:i + fixed] for i in range(0, len(block_values), fixed)]
        _add(block_ids, list(block_weights), block_values, docmap, ids, weights, values)
        if size < 0:  # the last block
            return


def _add(block_ids: list[int], block_weights: list[float], block_values: list[bytes], docmap: array,
         ids: array, weights: array, values: list[bytes]) -> None:
    new_ids = list(map(docmap.__getitem__, block_ids))
    if -1 in new_ids:  # deleted papers
        keep = [i for i, doc in enumerate(new_ids) if doc >= 0]
        new_ids = [new_ids[i] for i in keep]
        block_weights = [block_weights[i] for i in keep]
        if block_values:
            block_values = [block_values[i] for i in keep]
    ids.extend(new_ids)
    weights.extend(block_weights)
    values.extend(block_values)


def _remove_segment_files(storage: Storage, segment: Segment) -> None:
    prefix = segment.segment_id() + "."
    for name in list(storage.list()):
        if name.startswith(prefix):
            try:
                storage.delete_file(name)
            except OSError:
                pass
