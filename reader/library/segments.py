"""Building index segments in a worker process, away from the index itself (see reader.library.index).

A segment is written in Whoosh's own format (its codec's per-document and field writers), but without Whoosh's
``SegmentWriter`` and its posting pool. Why: the pool keeps every posting as a 5-tuple, spills sorted runs to
disk (pickled) past a size limit and merges them back, then hands the postings one by one through two layers
of checks: writing a segment was about 40% of an import's time. Here each field keeps, per word, its postings
in one flat array of 32-bit numbers (document, frequency, where its value is in the field's byte buffer and its
size): about 25 bytes a posting with its value, instead of about 150; at the end the words are sorted once and
each word's postings are written block by block by ``write_term``, which writes the bytes the codec's field
and posting writers write. The files are the ones Whoosh would write for the same documents
(tests/library/test_segments.py compares them byte for byte).
"""
from __future__ import annotations

import itertools
import operator
import os
import shutil
import struct
import zlib
from array import array
from hashlib import md5
from pickle import dumps
from pathlib import Path
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC as _MAGIC
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from reader.library.documents import build_schema, document_for
from reader.library.index import INDEX_NAME, StagedSegment
from reader.library.userdata import UserData
from reader.model import Paper

# A posting in a word's array: document number, frequency (its weight: no field here has a boost), offset and
# length of its value in the field's buffer.
_STRIDE = 4
_TERM_INFO = W3TermInfo._struct  # flags, weight, documents, lengths (bytes), weight, first and last document


class _FieldPostings:
    """One field's postings in a segment being built: per word (as bytes), a flat array("I") of postings (see
    _STRIDE), and one buffer of all the values."""

    __slots__ = ("words", "values")

    def __init__(self) -> None:
        self.words: dict[bytes, array] = {}
        self.values = bytearray()


class SegmentWriter:
    """Writes one segment of ``schema`` into ``storage``: ``add_document`` as Whoosh's writer takes it (fields
    by name; no boosts, spelling words or term vectors, which this library's schema does not use), ``finish``
    writes the postings and returns the Segment."""

    def __init__(self, storage: FileStorage, schema: Schema) -> None:
        self.storage = storage
        self.schema = schema
        self.codec = default_codec()
        self.segment = self.codec.new_segment(storage, INDEX_NAME)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.fields: dict[str, _FieldPostings] = {}
        self.docnum = 0

    def add_document(self, **fields: Any) -> None:
        schema, perdoc, docnum = self.schema, self.perdoc, self.docnum
        names = sorted(fields)
        for name in names:
            if name.startswith("_") or name not in schema:
                raise ValueError(f"no field {name!r} in the index schema (boosts are not supported)")
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    postings = self.fields.get(name)
                    if postings is None:
                        postings = self.fields[name] = _FieldPostings()
                    words, values = postings.words, postings.values
                    for word, freq, weight, value_bytes in field.index(value):
                        if weight != freq:
                            raise ValueError(f"a weighted posting in {name!r}: field boosts are not supported")
                        places = words.get(word)
                        if places is None:
                            places = words[word] = array("I")
                        size = len(value_bytes) if value_bytes else 0
                        places.extend((docnum, freq, len(values), size))
                        if size:
                            values += value_bytes
                        length += freq
                    if not field.scorable:
                        length = 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except BaseException:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self.docnum += 1

    def finish(self) -> Segment:
        """Write the postings (fields by name, words in byte order, documents in order: as Whoosh's sorted pool
        gives them), close the files and assemble the compound segment file."""
        keep_freed_memory()
        self.perdoc.close()
        segment = self.segment
        segment.set_doc_count(self.docnum)
        lengths_reader = self.codec.per_document_reader(self.storage, segment) if self.codec.length_stats else None
        writer = self.codec.field_writer(self.storage, segment)
        try:
            for name in sorted(self.fields):
                postings = self.fields.pop(name)  # freed field by field
                lengths = length_bytes(_doc_lengths(lengths_reader, name, self.docnum))
                writer.start_field(name, self.schema[name])
                values = bytes(postings.values)
                postings.values = bytearray()
                for word in sorted(postings.words):
                    places = postings.words.pop(word)
                    if len(places) == _STRIDE:  # a word in one paper of the segment: about two thirds of them
                        docnum, freq, at, size = places
                        write_one_posting(writer, word, docnum, float(freq), values[at:at + size], lengths)
                        continue
                    # Whoosh's weights are floats (3.0, not 3: it pickles them)
                    write_term(writer, word, places[0::_STRIDE], array("d", places[1::_STRIDE]),
                               [values[at:at + size] for at, size in zip(places[2::_STRIDE], places[3::_STRIDE])],
                               lengths)
                writer.finish_field()
        finally:
            writer.close()
            if lengths_reader is not None:
                lengths_reader.close()
        if segment.should_assemble():
            segment.create_compound_file(self.storage)
        return segment

    def cancel(self) -> None:
        if not self.perdoc.is_closed:
            try:
                self.perdoc.close()  # Whoosh writes its columns as it closes them
            except OSError:
                pass  # a full disk: the segment is being thrown away, what it could not write is not wanted
        self.fields.clear()


def _doc_lengths(reader: Any, name: str, count: int) -> list[int | None]:
    """Each document's length of field ``name`` as Whoosh's own writer reads it back for the posting blocks'
    statistics (quantised to a byte, None when 0)."""
    if reader is None:
        return [0] * count
    return [reader.doc_field_length(docnum, name) for docnum in range(count)]


def length_bytes(lengths: list[int | None]) -> bytes:
    """Each document's field length (as ``_doc_lengths`` gives it) as the byte Whoosh stores it as
    (``length_to_byte``; 0 for none), once per field: a block's shortest and longest are then a C ``min`` and
    ``max`` over bytes. The same figures: ``length_to_byte`` never decreases, and gives 0 only for no length."""
    return bytes(length_to_byte(length) if length else 0 for length in lengths)


# A block whose pickled postings are shorter than this is stored as it is, not compressed (its info says
# compression 0, which every reader honours: Whoosh's matcher, phrases.py, merging.py). Why: zlib.compress
# costs 20-50 µs a call whatever the size (it sets up its 256 KB of state each time), and most of a segment's
# blocks are a rare word's few postings, which zlib makes no smaller: measured on 400 papers, the blocks under
# 256 bytes were 78% of the calls and 16% of the bytes, and compressing them saved 0.4 MB of 17.6.
COMPRESS_FROM = 256
_LENGTHS = struct.Struct("!ii")  # a term table record's key and value sizes (filetables._lengths)


def write_term(fieldwriter: Any, word: bytes, ids: array, weights: array, values: list[bytes],
               lengths: bytes) -> None:
    """One word's postings (document numbers in order, their weights, and their values: one each, or none where
    the field keeps none) into the field writer's postings file and term table, between its start_field and
    finish_field: the bytes its start_term, add (per posting) and finish_term write, the same blocks
    (W3PostingsWriter._write_block: up to 128 postings, the ids delta-coded, weights and values minified,
    pickled, compressed when at least COMPRESS_FROM bytes, after the block's statistics from ``lengths``, each
    document's field length byte: see ``length_bytes``) and the same term info (W3TermInfo.add_block,
    to_bytes). Why not those methods: a segment has about 200 words a paper, most with a few postings, and
    their objects and layers of calls were half the time of writing it. Also used for merging segments
    (reader.library.merging)."""
    postwriter = fieldwriter._postwriter
    postfile = fieldwriter._postfile
    count = len(ids)
    if count < postwriter._inlinelimit:
        raise ValueError("postings inlined in the term table: not with Whoosh's default codec, not written here")
    fixed = fieldwriter._format.fixed_value_size()
    limit, compression = postwriter._blocklimit, postwriter._compression
    start = postfile.tell()
    # the term's statistics, as W3TermInfo starts them and add_block updates them
    total_weight: Any = 0
    min_length = 0
    max_length = 0
    max_weight: Any = 0
    blocks = [_MAGIC]
    single = count <= limit
    for at in range(0, count, limit):
        block_ids = ids if single else ids[at:at + limit]
        raw_weights = weights if single else weights[at:at + limit]
        block_weights = array("f", raw_weights)
        block_max_weight = max(0, max(raw_weights))
        block_lengths = bytes(map(lengths.__getitem__, block_ids))
        block_max_length = max(block_lengths)
        block_min_length = min(block_lengths.translate(None, b"\0"), default=0)
        total_weight += sum(block_weights)
        if block_min_length and (not min_length or block_min_length < min_length):
            min_length = block_min_length
        if block_max_length > max_length:
            max_length = block_max_length
        if block_max_weight > max_weight:
            max_weight = block_max_weight
        if block_weights.count(1.0) == len(block_weights):
            mini_weights: Any = None
        elif block_weights.count(block_weights[0]) == len(block_weights):
            mini_weights = block_weights[0]
        else:
            mini_weights = tuple(block_weights)
        block_values = values if single else values[at:at + limit]
        if fixed is None or fixed < 0:
            mini_values: Any = tuple(filter(None, block_values))
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(block_values)
        data = dumps((tuple(map(operator.sub, block_ids, itertools.chain((0,), block_ids))), mini_weights,
                      mini_values), 2)
        compressed = compression if len(data) >= COMPRESS_FROM else 0
        if compressed:
            data = zlib.compress(data, compressed)
        info = dumps((len(block_ids), block_ids[-1], block_max_weight, compressed, block_min_length,
                      block_max_length), 2)
        size = len(info) + len(data)
        blocks += (pack_int(-size if at + limit >= count else size), info, data)
    data = b"".join(blocks)
    postfile.write(data)
    key = pack_ushort(fieldwriter._fieldid) + word
    _add_to_term_table(fieldwriter._tindex, key, _TERM_INFO.pack(False, total_weight, count, min_length,
                                                                 max_length, max_weight, ids[0], ids[-1])
                       + pack_long(start) + pack_int(len(data)))


def write_one_posting(fieldwriter: Any, word: bytes, docnum: int, weight: float, value: bytes,
                      lengths: bytes) -> None:
    """``write_term`` for a word with one posting (most of a segment's words), with the same bytes: its
    statistics and its one block worked out directly, without the arrays, slices and reductions a block of
    many postings needs (they were most of the time of writing such a word)."""
    postwriter = fieldwriter._postwriter
    if postwriter._inlinelimit > 1:
        raise ValueError("postings inlined in the term table: not with Whoosh's default codec, not written here")
    fixed = fieldwriter._format.fixed_value_size()
    block_weight = _FLOAT32.unpack(_FLOAT32.pack(weight))[0]  # as array("f") holds it
    max_weight = max(0, weight)
    length = lengths[docnum]
    if fixed is None or fixed < 0:
        mini_values: Any = (value,) if value else ()
    elif fixed == 0:
        mini_values = None
    else:
        mini_values = value
    data = dumps(((docnum,), None if block_weight == 1.0 else block_weight, mini_values), 2)
    compressed = postwriter._compression if len(data) >= COMPRESS_FROM else 0
    if compressed:
        data = zlib.compress(data, compressed)
    info = dumps((1, docnum, max_weight, compressed, length, length), 2)
    size = len(info) + len(data)
    data = _MAGIC + pack_int(-size) + info + data
    postfile = fieldwriter._postfile
    start = postfile.tell()
    postfile.write(data)
    _add_to_term_table(fieldwriter._tindex, pack_ushort(fieldwriter._fieldid) + word,
                       _TERM_INFO.pack(False, 0 + block_weight, 1, length, length, max_weight, docnum, docnum)
                       + pack_long(start) + pack_int(len(data)))


_FLOAT32 = struct.Struct("f")


def _add_to_term_table(table: Any, key: bytes, value: bytes) -> None:
    """``OrderedHashWriter.add(key, value)``: the same record and hash (``filetables.md5_hash``: the MD5
    digest's low 32 bits), in one write and without its per-call checks of types and hex digests."""
    if table.hashtype != 0:  # not MD5 (not Whoosh's default): not the hash made here
        raise ValueError("a term table hashed otherwise than with MD5")
    if key <= table.lastkey:
        raise ValueError(f"keys must increase: {table.lastkey!r}..{key!r}")
    dbfile = table.dbfile
    pos = dbfile.tell()
    table.index.append(pos)
    dbfile.write(_LENGTHS.pack(len(key), len(value)) + key + value)
    digest = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")
    table.buckets[digest & 255].append((digest, pos))
    table.lastkey = key


def keep_freed_memory() -> None:
    """Keep up to 1 MB of freed memory at the top of the heap (glibc's default: 128 KB). Why: zlib allocates
    and frees about 270 KB for every block it compresses; past the default, each free hands the heap's top
    back to the system and the next block faults it in again: 96 µs to compress a block of 65 bytes instead
    of 16 µs (this process's heap is often small and tidy: the window's, or a fresh worker's). Measured in a
    fresh process: 63 µs to compress a 62-byte block, 9 µs with this; 282 -> 218 µs for 5 KB."""
    global _TRIM_SET
    if _TRIM_SET:
        return
    _TRIM_SET = True
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(_M_TRIM_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


_TRIM_SET = False
_M_TRIM_THRESHOLD = -1  # glibc's malloc.h


class SegmentBuilder:
    """Adds papers to one segment at a time in a private staging folder; ``finish()`` hands the segment over.

    Memory: a segment's postings stay in memory until it is finished (about 25 bytes a posting; a 38 KB paper
    has about 2,500), which the importer's bound on papers per segment (importer.COMMIT_MAX_PAPERS) keeps
    small.
    """

    def __init__(self, folder: Path, ready: Path) -> None:
        self.folder = Path(folder)
        self.ready = Path(ready)  # finished segments wait here for a commit, safe from this folder's removal
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ready.mkdir(parents=True, exist_ok=True)
        self._storage = FileStorage(str(self.folder))
        self._schema = build_schema()
        self._writer: SegmentWriter | None = None
        self._ids: list[str] = []

    def add(self, paper: Paper, user: UserData | None = None) -> None:
        if self._writer is None:
            self._writer = SegmentWriter(self._storage, self._schema)
        self._writer.add_document(**document_for(paper, user))
        self._ids.append(paper.id)

    def finish(self) -> StagedSegment | None:
        """Close the current segment and describe it (None when nothing was added since the last one)."""
        writer, self._writer = self._writer, None
        if writer is None:
            return None
        segment = writer.finish()
        ids, self._ids = self._ids, []
        staged = StagedSegment(segment, self.folder, ids)
        for path in staged.files():
            os.replace(path, self.ready / path.name)
        return StagedSegment(segment, self.ready, ids)

    def discard(self) -> None:
        """Drop the segment being built and the staging folder."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        shutil.rmtree(self.folder, ignore_errors=True)
