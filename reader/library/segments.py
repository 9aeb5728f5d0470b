"""Building index segments in a worker process, away from the index itself (see reader.library.index).

A segment is written in Whoosh's own format (its codec's per-document and field writers), but without Whoosh's
``SegmentWriter`` and its posting pool. Why: the pool keeps every posting as a 5-tuple, spills sorted runs to
disk (pickled) past a size limit and merges them back, then hands the postings one by one through two layers
of checks: writing a segment was about 40% of an import's time. Here each field keeps, per word, its postings
in one flat array of 32-bit numbers (document, frequency, where its value is in the field's byte buffer and its
size): about 25 bytes a posting with its value, instead of about 150; at the end the words are sorted once and each word's postings are written block by block
with the posting writer's own block encoding. The files are the ones Whoosh would write for the same documents
(tests/library/test_segments.py compares them byte for byte).
"""
from __future__ import annotations

import os
import shutil
from array import array
from pathlib import Path
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from reader.library.documents import build_schema, document_for
from reader.library.index import INDEX_NAME, StagedSegment
from reader.library.userdata import UserData
from reader.model import Paper

# A posting in a word's array: document number, frequency (its weight: no field here has a boost), offset and
# length of its value in the field's buffer.
_STRIDE = 4


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
        self.perdoc.close()
        segment = self.segment
        segment.set_doc_count(self.docnum)
        lengths_reader = self.codec.per_document_reader(self.storage, segment) if self.codec.length_stats else None
        writer = self.codec.field_writer(self.storage, segment)
        try:
            for name in sorted(self.fields):
                postings = self.fields.pop(name)  # freed field by field
                lengths = _doc_lengths(lengths_reader, name, self.docnum)
                writer.start_field(name, self.schema[name])
                values = bytes(postings.values)
                postings.values = bytearray()
                for word in sorted(postings.words):
                    writer.start_term(word)
                    places = postings.words.pop(word)
                    # Whoosh's weights are floats (3.0, not 3: it pickles them)
                    write_postings(writer._postwriter, places[0::_STRIDE], array("d", places[1::_STRIDE]),
                                   [values[at:at + size] for at, size in zip(places[2::_STRIDE], places[3::_STRIDE])],
                                   lengths)
                    writer.finish_term()
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
            self.perdoc.close()
        self.fields.clear()


def _doc_lengths(reader: Any, name: str, count: int) -> list[int | None]:
    """Each document's length of field ``name`` as Whoosh's own writer reads it back for the posting blocks'
    statistics (quantised to a byte, None when 0)."""
    if reader is None:
        return [0] * count
    return [reader.doc_field_length(docnum, name) for docnum in range(count)]


def write_postings(postwriter: Any, ids: array, weights: array, values: list[bytes], lengths: list[int | None]
                   ) -> None:
    """One word's postings (document numbers in order, their weights, and their values: one each, or none where
    the field keeps none) into Whoosh's posting writer, a block at a time: what its ``add_posting`` would have
    buffered for each block (the ids, the weights as float32, the non-empty values, the block's statistics from
    ``lengths``, each document's field length as stored), then its own block writer. A block is written when the
    next posting would not fit, the last one by ``finish_postings`` (the caller's finish_term), which also
    inlines a short list. Also used for merging segments (reader.library.merging)."""
    limit = postwriter._blocklimit
    for start in range(0, len(ids), limit):
        if start:
            postwriter._write_block()
        end = start + limit
        block_weights = weights[start:end]
        block_lengths = [length for length in map(lengths.__getitem__, ids[start:end]) if length]
        postwriter._ids = ids[start:end]
        postwriter._weights = array("f", block_weights)
        postwriter._maxweight = max(0, max(block_weights))
        postwriter._values = [value for value in values[start:end] if value]
        postwriter._minlength = min(block_lengths) if block_lengths else None
        postwriter._maxlength = max(block_lengths, default=0)


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
