"""What the search index holds for a paper: the Whoosh schema and the document built from a Paper.

One document per paper (DESIGN.md section 5). A query that names no field searches one field, ``body``:
the paper's whole reading text (``Paper.text``, so its character offsets are offsets into the text), with
the authors, keywords and the user's notes appended after it. One field, not an OR over six, because
Whoosh's cost per word grows with the fields it is looked up in (measured at 10,000 papers: two to three
times slower with six). Titles still count more: the query is also run, optionally, on ``title``. The other
fields (title, authors, venue, keywords, abstract, references, notes, year) serve field queries.

Stored are ``id`` and the body's word map: titles and authors for a result list come from the catalog, and
snippet text from ``papers/<id>/text.txt``. ``body`` keeps word positions only (no character offsets); a
snippet finds the characters of the few matched words it shows from the word map, a checkpoint every few
lines (see body_words), scanning a line or two of the text instead of the whole paper.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import os
import pickle
import re
import threading
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import STOP_WORDS, CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.system import _INT_SIZE, pack_uint
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

from reader.library.userdata import UserData
from reader.model import Paper

# The field a query word searches when it names none, and how much a match in the title adds.
DEFAULT_FIELD = "body"
TITLE_BOOST = 2.0
# Other names people type for a field.
FIELD_ALIASES = {"authors": ["author", "au"], "title": ["ti"], "venue": ["journal"],
                 "keywords": ["keyword", "kw"], "references": ["reference", "ref", "refs"], "notes": ["note"],
                 "tags": ["tag"], "collections": ["collection"]}


_COUNTS = [pack_uint(count) for count in range(1024)]  # a position list's length, as it starts the value


_ONE_POSITION: dict[int, bytes] = {}  # the value of a word at one position (below 65,536), made once


def _encode_deltas(count: int, deltas: Any, top: int) -> bytes:
    head = _COUNTS[count] if count < len(_COUNTS) else pack_uint(count)
    if top < 0x100:
        return head + b"B" + bytes(deltas)
    if top < 0x10000:
        return head + b"H" + array("H", deltas).tobytes()
    return head + b"I" + array("I", deltas).tobytes()


class PackedPositions(Positions):
    """Whoosh's Positions format (frequency, weight, positions) with the positions packed as a typed array
    of deltas instead of a pickled list: decoding is ``array`` + ``accumulate`` in C, where Whoosh's own
    format unpickles and adds up the list in Python, and a phrase query decodes positions in every paper it
    checks. The value starts with the frequency (``pack_uint``) as Whoosh's does, so ``decode_frequency``
    and ``decode_weight`` are inherited unchanged.

    Why not Characters (start and end offsets too): three numbers per occurrence made the body's postings
    three times the size to decode, merge and write, and indexing a 50 MB text built a tuple per word. A
    snippet finds its characters from the paper's word map instead (see body_words).
    """

    def encode(self, positions: Any) -> bytes:
        # Called once per word of every indexed field: the common short lists take the fewest steps.
        count = len(positions)
        if count == 1:
            top = positions[0]
            value = _ONE_POSITION.get(top)
            if value is None:  # a word met once: about half of a paper's words
                value = _encode_deltas(1, (top,), top)
                if top < 0x10000:
                    _ONE_POSITION[top] = value
            return value
        if count == 2:
            first, second = positions
            deltas: Any = (first, second - first)
            top = max(deltas)
        else:
            deltas = list(map(operator.sub, positions, itertools.chain((0,), positions)))
            top = max(deltas, default=0)
        return _encode_deltas(count, deltas, top)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        code = chr(valuestring[_INT_SIZE])
        return list(itertools.accumulate(array(code, valuestring[_INT_SIZE + 1:])))

    def combine(self, vs: Any) -> bytes:
        return self.encode(sorted({p for v in vs for p in self.decode_positions(v)}))


class AnalyzedText:
    """A field's text with its postings already made (by document_for, with body_words), so its words are
    read once. It holds the text, not a copy: a str subclass would copy it (100 MB for a 50 MB text of
    two-byte characters, the largest piece of a worker's peak)."""

    __slots__ = ("text", "postings")

    def __init__(self, text: str, postings: list[tuple[bytes, int, float, bytes]]) -> None:
        self.text = text
        self.postings = postings

    def __str__(self) -> str:
        return self.text


class StemmedText(TEXT):
    """A TEXT field with Whoosh's StemmingAnalyzer, indexed by one loop instead of a chain of generators.

    Why: indexing is most of an import's time, and half of that is the analyzer passing Token objects through
    four generators (tokenize, lower-case, drop stop words, stem). This does the same in one pass and
    produces exactly what the analyzer would (tests/library/test_documents.py checks it on real text);
    queries still go through the analyzer itself. Positions are stored packed (PackedPositions).
    """

    def __init__(self, phrase: bool = True) -> None:
        super().__init__(analyzer=StemmingAnalyzer(), phrase=phrase)
        if phrase:
            self.format = PackedPositions(field_boost=self.format.field_boost)

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, AnalyzedText) and value.postings is not None:
            return value.postings
        if not isinstance(value, str) or kwargs.get("start_pos") or kwargs.get("start_char"):
            return super().index(value, **kwargs)
        return body_words(value, self.format)[0]


_WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")  # whoosh.analysis.tokenizers.default_pattern
_STOP_WORDS = frozenset(STOP_WORDS)
_stems: dict[str, str] = {}


class _Kept(dict):
    """Word -> whether the index keeps it (StopFilter: two characters or more, not a stop word), learnt as words
    are met: ``filter(_KEPT.__getitem__, words)`` runs in C for every word met before."""

    def __missing__(self, word: str) -> bool:
        keep = self[word] = len(word) > 1 and word not in _STOP_WORDS
        return keep


_KEPT = _Kept()
# A word map has a checkpoint at the first line start after this many words since the last one.
_MAP_STRIDE = 32
_BODY_FORMAT = PackedPositions()  # the body field's (field boost 1)


# A line longer than this many characters is read in pieces (so a 50 MB one-line text is never one list of
# millions of words), each cut at a character that no word holds (see _WORD): the words are the same.
_PIECE = 1 << 16
_NOT_IN_A_WORD = re.compile(r"[^\w\*.]")


def _pieces(text: str, start: int = 0, size: int = -1) -> Iterator[tuple[int, int]]:
    """(start, end) of every line of ``text[start:size]`` in order, as ``text.split("\\n")`` gives them, a long
    line as consecutive pieces of about _PIECE characters."""
    if size < 0:
        size = len(text)
    while True:
        end = text.find("\n", start, size)
        if end < 0:
            end = size
        while end - start > _PIECE:
            cut = _NOT_IN_A_WORD.search(text, start + _PIECE, end)
            if cut is None:
                break
            yield start, cut.start()
            start = cut.start()
        yield start, end
        if end == size:
            return
        start = end + 1


# What is not in a word, for ASCII text: every character but letters, digits, "_", "*" and "." becomes a space.
_ASCII_SPACES = {code: " " for code in range(128) if not re.fullmatch(r"[\w*.\n]", chr(code))}
# A full stop that does not join two word characters ("e.g." keeps its inner one: "e.g").
_LONE_DOT = re.compile(r"\.(?:(?![\w*])|(?<![\w*]\.))")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _lowered_words(text: str, start: int, end: int) -> list[str]:
    """``[w.lower() for w in _WORD.findall(text, start, end)]``, the same words, found faster: ASCII stretches
    by str.translate and str.split (in C, no regular expression run per word), the words around a non-ASCII
    character (cut at spaces, which no word holds) by the expression itself."""
    piece = text[start:end]
    if piece.isascii():
        return _ascii_words(piece)
    words: list[str] = []
    at, size = 0, len(piece)
    while at < size:
        found = _NOT_ASCII.search(piece, at)
        if found is None:
            words += _ascii_words(piece[at:])
            break
        left = piece.rfind(" ", at, found.start()) + 1 or at
        right = piece.find(" ", found.end())
        if right < 0:
            right = size
        if left > at:
            words += _ascii_words(piece[at:left])
        words += map(str.lower, _WORD.findall(piece, left, right))
        at = right
    return words


def _ascii_words(piece: str) -> list[str]:
    cleaned = piece.translate(_ASCII_SPACES)
    if "." in cleaned:
        cleaned = _LONE_DOT.sub(" ", cleaned)
    return cleaned.lower().split()


def body_words(text: str, fmt: Any, text_end: int = -1) -> tuple[list[tuple[bytes, int, float, bytes]], bytes]:
    """What ``fmt.word_values`` yields for ``text`` under StemmingAnalyzer, as FieldType.index returns it
    (word as UTF-8, frequency, weight, encoded positions or the packed count), and the text's word map.

    The word map (an ``array("I")`` as bytes) lets a snippet find a word's characters from its position
    without the index storing offsets: first the position after the last word before ``text_end`` (words from
    there on are not in the paper's text: authors, notes), then pairs (character offset of a line start, or of
    a piece of a long line: see _pieces; position of the first word from there), one at most every _MAP_STRIDE
    words. Scanning the text from a
    pair's offset with the same rules (``words_at``) gives every later word's position and characters.
    """
    if len(_stems) > 500_000:
        _stems.clear()
    if len(_KEPT) > 500_000:
        _KEPT.clear()
    if len(text) >= TWO_PROCESSES_FROM and _may_fork():
        return _body_words_in_two(text, fmt, text_end)
    counted = _count_words(text, 0, len(text), text_end)
    return _postings(counted.places, fmt), _word_map(counted)


@dataclass
class _Counted:
    """The kept words of a stretch of text: each word's positions, the word map's checkpoints (pairs of
    character offset and position), the position the next word kept would get, and the position after the
    last word before ``text_end`` (-1: text_end is not in the stretch)."""

    places: dict[str, array]
    marks: array
    next_position: int
    text_words: int


def _count_words(text: str, start: int, stop: int, text_end: int, renumber: bool = True) -> _Counted:
    """The positions of the words kept in ``text[start:stop]`` (``start`` is a line start or a character no
    word holds). ``renumber``: the first word kept keeps its place among all words, as StopFilter numbers
    them from a text's start; else it is position 0 (the second half of a text, see _count_in_two)."""
    kept = _KEPT.__getitem__
    stop_words = _STOP_WORDS
    # positions by lower-cased word (merged by stem at the end: one stem look-up per distinct word)
    seen: defaultdict[str, array] = defaultdict(functools.partial(array, "I"))
    marks = array("I")
    pos = -1  # position of the last word kept
    last_mark = -_MAP_STRIDE
    text_words = -1
    index = 0  # words met before the first one kept, stop words included
    for start, end in _pieces(text, start, stop):
        if text_words < 0 and start >= text_end >= 0:
            text_words = pos + 1
        if pos - last_mark >= _MAP_STRIDE:  # a checkpoint: the next word kept gets position pos + 1
            marks.extend((start, pos + 1))
            last_mark = pos
        words = _lowered_words(text, start, end)
        if not words:
            continue
        if pos < 0 and renumber:
            # StopFilter(renumber=True): the first word kept keeps its place, the next ones follow on from it
            for number, word in enumerate(words):
                if len(word) > 1 and word not in stop_words:
                    pos = index + number - 1
                    words = words[number:]
                    break
            else:
                index += len(words)
                continue
        for pos, word in enumerate(filter(kept, words), pos + 1):
            seen[word].append(pos)
    return _Counted(dict(seen), marks, pos + 1, text_words)


# A text this long (characters; a paper is about 60,000) has its words counted in two processes at once, when
# the machine has two cores: a 50 MB text's 8 million words take about 5 s in one.
TWO_PROCESSES_FROM = 4_000_000


_forking_allowed = False


def count_long_texts_in_two_processes() -> None:
    """Called by an import worker at its start: a process with one thread and nothing else to do, where a fork
    is safe (never in the window, whose Qt threads Python's threading module does not see)."""
    global _forking_allowed
    _forking_allowed = True


def _may_fork() -> bool:
    """Whether this process may count half a text in a child: a worker with no other thread, and a second core
    to run the child on."""
    if not _forking_allowed or not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"):
        return False
    return threading.active_count() == 1 and len(os.sched_getaffinity(0)) >= 2


def _word_map(counted: _Counted) -> bytes:
    head = counted.text_words if counted.text_words >= 0 else counted.next_position
    return (array("I", [head]) + counted.marks).tobytes()


def _by_stem(seen: dict[str, array]) -> dict[str, array]:
    """Positions by word as positions by stem (one stem look-up per distinct word)."""
    by_stem: dict[str, array] = {}
    for word, places in seen.items():
        stem = _stems.get(word)
        if stem is None:
            stem = _stems[word] = porter_stem(word)
        if stem in by_stem:  # two words of one stem ("model", "models"): their positions, in order
            by_stem[stem] = array("I", sorted(itertools.chain(by_stem[stem], places)))
        else:
            by_stem[stem] = places
    return by_stem


def _postings(seen: dict[str, array], fmt: Any) -> list[tuple[bytes, int, float, bytes]]:
    """Positions by word as Whoosh's postings by stem (word as UTF-8, frequency, weight, value)."""
    by_stem = _by_stem(seen)
    boost = fmt.field_boost
    if isinstance(fmt, Frequency):  # Frequency.word_values: the count, packed
        return [(word.encode("utf-8"), len(places), len(places) * boost, pack_uint(len(places)))
                for word, places in by_stem.items()]
    encode = fmt.encode
    return [(word.encode("utf-8"), len(places), len(places) * boost, encode(places))
            for word, places in by_stem.items()]


@dataclass
class _Half:
    """Half a text's words, counted apart: the word map's checkpoints and, by stem, (first position, last
    position, the gaps between its positions, the largest gap): the gaps are the same wherever the half
    starts, so the child that counted the second half also made them."""

    counted: _Counted
    runs: dict[str, tuple[int, int, array, int]]


def _half(text: str, start: int, stop: int, text_end: int, renumber: bool) -> _Half:
    counted = _count_words(text, start, stop, text_end, renumber)
    runs = {}
    for stem, places in _by_stem(counted.places).items():
        gaps = array("I", map(operator.sub, itertools.islice(places, 1, None), places))
        runs[stem] = (places[0], places[-1], gaps, max(gaps, default=0))
    counted.places = {}  # what is left to hand over: the runs and the checkpoints
    return _Half(counted, runs)


def _body_words_in_two(text: str, fmt: Any, text_end: int) -> tuple[list[tuple[bytes, int, float, bytes]], bytes]:
    """body_words, with the second half of the text counted in a forked child meanwhile: the same postings;
    the word map may have one checkpoint more (at the cut), which words_at reads like any other."""
    cut = _NOT_IN_A_WORD.search(text, len(text) // 2)
    if cut is None:
        counted = _count_words(text, 0, len(text), text_end)
        return _postings(counted.places, fmt), _word_map(counted)
    middle = cut.start()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: count the second half, hand it over, and leave without running any clean-up
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(_half(text, middle, len(text), text_end, renumber=False), out, protocol=5)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        first = _half(text, 0, middle, text_end, renumber=True)
        with os.fdopen(read_end, "rb") as answer:
            second: _Half | None = pickle.load(answer)  # our own child's, through our own pipe
    except (OSError, EOFError, pickle.UnpicklingError):  # the child failed (out of memory, killed)
        second = None
    finally:
        os.waitpid(child, 0)
    if first.counted.next_position == 0:  # no word kept in the first half: the second numbers from the start
        counted = _count_words(text, 0, len(text), text_end)
        return _postings(counted.places, fmt), _word_map(counted)
    if second is None:
        second = _half(text, middle, len(text), text_end, renumber=False)
    offset = first.counted.next_position  # the second half's positions follow on from the first's
    marks = array("I", [value + offset if n % 2 else value for n, value in enumerate(second.counted.marks)])
    text_words = first.counted.text_words
    if text_words < 0 <= second.counted.text_words:
        text_words = second.counted.text_words + offset
    word_map = _word_map(_Counted({}, first.counted.marks + marks, offset + second.counted.next_position,
                                  text_words))
    boost = fmt.field_boost
    counts_only = isinstance(fmt, Frequency)
    postings = []
    for stem in {**first.runs, **second.runs}:
        before, after = first.runs.get(stem), second.runs.get(stem)
        if before is None:
            assert after is not None
            runs = [(after[0] + offset, after[2], after[3])]
        elif after is None:
            runs = [(before[0], before[2], before[3])]
        else:
            runs = [(before[0], before[2], before[3]), (after[0] + offset - before[1], after[2], after[3])]
        count = sum(1 + len(gaps) for _, gaps, _ in runs)
        if counts_only:
            value = pack_uint(count)
        else:
            deltas = array("I")
            for gap, gaps, _ in runs:  # each run's first gap is from the run before (from 0 for the first)
                deltas.append(gap)
                deltas += gaps
            top = max(max(gap, top) for gap, _, top in runs)
            # gaps of one byte go through bytes(), which needs a list (of an array it gives the machine bytes)
            value = _encode_deltas(count, deltas.tolist() if top < 0x100 else deltas, top)
        postings.append((stem.encode("utf-8"), count, count * boost, value))
    return postings, word_map


def words_at(text: str, word_map: bytes, wanted: list[int]) -> dict[int, tuple[int, int]]:
    """The (start, end) characters in ``text`` of the words at the ``wanted`` positions (sorted), found by
    scanning from the word map's checkpoint before each (see body_words)."""
    marks = array("I")
    marks.frombytes(word_map[: len(word_map) // 4 * 4])
    starts, positions = marks[1::2], marks[2::2]
    found: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(wanted):
        at = bisect.bisect_right(positions, wanted[i]) - 1
        offset, pos = (starts[at], positions[at] - 1) if at >= 0 else (0, -1)
        index = 0
        for match in _WORD.finditer(text, offset):
            word = match.group().lower()
            index += 1
            if len(word) < 2 or word in _STOP_WORDS:
                continue
            pos = index - 1 if pos < 0 else pos + 1
            while i < len(wanted) and wanted[i] < pos:
                i += 1  # not in the text (a stale map): skipped
            if i < len(wanted) and wanted[i] == pos:
                found[pos] = match.span()
                i += 1
                if i < len(wanted) and wanted[i] - pos > 4 * _MAP_STRIDE:
                    break  # far on: start again from its own checkpoint
            if i >= len(wanted):
                break
        else:
            break  # the text ended
    return found


def build_schema() -> Schema:
    """The index schema. Pickled into the index, so only Whoosh's own classes and the one above."""
    # "bermudez" finds "Bermúdez". The same stop words as the text fields: a word like "the" dropped from
    # every other field but kept here would become a required "authors:the" and match nothing.
    names = RegexTokenizer() | LowercaseFilter() | StopFilter() | CharsetFilter(accent_map)
    return Schema(
        id=ID(stored=True, unique=True),
        title=StemmedText(),  # words, lower case, no stop words, Porter stems: "negotiations" finds "negotiation"
        authors=TEXT(analyzer=names),
        year=NUMERIC(int, bits=32, signed=False),
        venue=StemmedText(),
        keywords=StemmedText(),
        abstract=StemmedText(),
        body=StemmedText(),
        wordmap=STORED(),  # where the body's words are, for snippets: see body_words
        references=StemmedText(phrase=False),  # the body has them with positions: here for references:
        notes=StemmedText(),
        tags=TEXT(analyzer=names),  # the reader's own words, unstemmed: tag:"deep learning", tag:review
        collections=TEXT(analyzer=names),  # every collection a paper is filed in, with its parents' names
    )


def document_for(paper: Paper, user: UserData | None = None) -> dict[str, Any]:
    """The index document for a paper (with its metadata corrections already applied), and what the reader
    added to it: highlights and notes, tags, collections."""
    user = user or UserData()
    notes = user.notes
    authors = " ; ".join(a.display() for a in paper.authors)
    keywords = " ; ".join(paper.keywords)
    unshown = [r.raw for r in paper.references if r.start < 0]  # entries the reading text does not show
    extra = "\n\n".join(part for part in (authors, keywords, "\n".join(unshown), notes) if part)
    text = paper.text + ("\n\n" + extra if extra else "")  # a prefix: offsets are Paper.text's (no copy alone)
    postings, word_map = body_words(text, _BODY_FORMAT, len(paper.text))
    body = AnalyzedText(text, postings) if text else ""
    doc: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "authors": authors,
        "venue": paper.venue,
        "keywords": keywords,
        "abstract": paper.abstract,
        "body": body,
        "wordmap": word_map,
        "references": "\n".join(r.raw for r in paper.references),
    }
    if paper.year:
        doc["year"] = paper.year
    if notes:
        doc["notes"] = notes
    if user.tags:
        doc["tags"] = " ; ".join(user.tags)
    if user.collections:
        doc["collections"] = " ; ".join(user.collections)
    return {k: v for k, v in doc.items() if v not in ("", None)}
