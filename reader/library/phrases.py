"""Phrase queries that check word positions only where it can change the result list.

Whoosh matches a phrase (``Phrase`` -> ``SpanNear2``) by building a Span object for every occurrence of every
word in every paper that holds all the words, and it cannot skip ahead: with common words at 10,000 papers that
was most of a phrase query's time (hundreds of ms, over a second at worst). The score Whoosh gives a phrase hit
is the score of its words together (an intersection); the positions only decide whether a paper is a hit.

``FastPhrase`` keeps that meaning and that score, and changes the order of work: papers holding all the words
are walked with Whoosh's own block-quality skipping, and a paper's positions are decoded and compared (as sets
of integers) only when its score could still put it among the results the collector keeps. A paper that can
no longer make the list is dropped without looking at its positions, as Whoosh's own matchers drop what cannot
reach the collector's minimum (``Matcher.replace(minquality)``).

How the papers holding all the words are found. Whoosh's intersection walks its word matchers one paper at a
time, several Python calls per paper and word: at 10,000 papers, with words in thousands of papers, that walk
was most of a phrase query's time. With Whoosh's own postings format and BM25F (what a library uses),
``PhraseMatcher`` reads the words' postings block by block instead (a block of 128 papers is one unpickle,
and a block holding none of the papers still wanted is not read at all), intersects the paper numbers as
sets, and scores the papers left with the scorer's own formula, summed in the order Whoosh's intersection
tree sums them: the same scores to the last bit. Anything else (another weighting, another codec) takes the
walking matcher, ``WalkingPhraseMatcher``.
"""
from __future__ import annotations

import copy
import io
import pickle
import zlib
from array import array
from bisect import bisect_left, bisect_right
from heapq import heappush, heapreplace
from itertools import accumulate, repeat
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo, W3TermsReader, _lenfield
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.matching import AndMaybeMatcher, IntersectionMatcher, Matcher, NullMatcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query import And, AndMaybe, AndNot, NumericRange, Phrase, Query, Require, Term
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

# The postings a query read in each segment, for the snippets of its hits: (segment reader, field, word) ->
# ({paper: (weight, value)}, whether that holds every paper with the word or only those still wanted then)
Postings = dict[int, tuple[float, "BlockValues", int]]  # paper -> (weight, its block's values, index there)
PostingsRead = dict[tuple[Any, str, bytes], tuple[Postings, bool]]

# Whoosh stores a field's length in a paper as one byte: the lengths those bytes stand for
_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def _replace_boosted(self: WrappingMatcher, minquality: float = 0) -> Any:
    """WrappingMatcher.replace, asking the child for the minimum *before* the boost.

    Why: Whoosh's own passes the boosted minimum to the unboosted child, so under a boost of 2 (the title
    bonus) the child drops papers that score half of what would still count, and with them their bonus: the
    result list then misses papers that belong in it (tests/library/test_phrases.py: a list of one held a
    paper scoring 22.41 where one scores 23.75). Whoosh-Reloaded 2.7, pinned in pyproject.toml."""
    boost = getattr(self, "boost", 1.0)  # a subclass that sets none scores as its child does
    child = self.child.replace(minquality / boost if boost > 0 else minquality)
    return self._replacement(child) if child is not self.child else self


WrappingMatcher.replace = _replace_boosted


class _ReadInBulk:
    """What FastPhrase, FastTerm and FastWords share: the length and best scores of the list a search fills
    (keep_best), and their segment's matcher from postings read in bulk, made ready for that list."""

    top: int | None = None  # see keep_best
    kept: list[float] | None = None

    def _init_bulk(self, prune: bool) -> None:
        self.prune = prune
        self._scorers: tuple[Any, list[Any]] | None = None  # (the searcher they are for, one per word)
        self.postings_read: PostingsRead = {}

    def _bulk_matcher_ready(self, searcher: Any, context: Any) -> Any:
        """The segment's bulk matcher (see each class's bulk_matcher), or None where it does not read in bulk."""
        found = self.bulk_matcher(searcher, context)  # type: ignore[attr-defined]
        return found.ready(self.top, self.kept) if isinstance(found, PhraseMatcher) else found


class FastPhrase(_ReadInBulk, Phrase):
    """A phrase of words one right after another (slop 1), as Whoosh's Phrase matches it, checked lazily;
    ``prune``: papers that cannot reach the collector's minimum score may be passed over (see fast_phrases)."""

    def __init__(self, *args: Any, prune: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_bulk(prune)

    def bulk_matcher(self, searcher: Any, context: Any = None) -> Matcher | None:
        """This segment's PhraseMatcher, its positions not checked yet (see PhraseMatcher.ready), a NullMatcher,
        or None where the postings are not read in bulk."""
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if self.slop != 1 or field is None or not field.format or not field.format.supports("positions"):
            return None
        weighting = context.weighting if context is not None else searcher.weighting
        if type(weighting).scorer is not BM25F.scorer:
            return None
        return _bulk_matcher(self, searcher, [field.to_bytes(word) for word in self.words], weighting, True)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        found = self._bulk_matcher_ready(searcher, context)
        if found is not None:
            return found
        fieldname = self.fieldname
        field = searcher.schema[fieldname] if fieldname in searcher.schema else None
        if self.slop != 1 or field is None or not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # Whoosh's own (an error for a field without positions)
        weighting = context.weighting if context is not None else searcher.weighting
        matchers = []
        for word in self.words:
            try:
                # one look-up of the word in the segment (Term.matcher makes three: two "in" and its postings)
                matchers.append(searcher.postings(fieldname, field.to_bytes(word), weighting=weighting))
            except (ValueError, TermNotFound):
                return NullMatcher()  # a word no paper has: no paper has the phrase
        if not all(m.is_active() for m in matchers):
            return NullMatcher()
        return WalkingPhraseMatcher(matchers, field.format, self.boost, prune=self.prune)


def _bulk_matcher(query: FastPhrase | FastWords | FastTerm, searcher: Any, words: list[bytes], weighting: BM25F,
                  in_a_row: bool) -> Matcher | None:
    """The PhraseMatcher of this segment for the papers holding all ``words`` (``in_a_row``: as a phrase),
    or None where its postings are not Whoosh's own (walk them)."""
    reader = searcher.reader()
    fieldname = query.fieldname
    field = searcher.schema[fieldname]
    postfile = _postings_file(reader, field)
    if postfile is None:
        return None
    postings = []
    for word in words:
        try:
            # the word's entry in the term table: its statistics and where its postings are (one look-up;
            # Whoosh's reader.postings makes its own and reads the first block's header a few bytes at a time)
            info = reader.term_info(fieldname, word)
        except (ValueError, TermNotFound):
            return NullMatcher()
        if info.is_inlined():
            return None  # a codec that keeps short lists in the term table (not Whoosh's default): walk them
        postings.append((info.doc_frequency(), len(postings), info))
    # the rarest word first: it leaves the fewest papers, and the other words' blocks without one are skipped
    postings.sort(key=lambda p: p[:2])
    found: list[Postings] = [{}] * len(words)
    wanted: list[int] | None = None
    for _, order, info in postings:
        here = _read_postings(postfile, info, wanted)
        found[order] = here
        query.postings_read[(reader, fieldname, words[order])] = (here, wanted is None)
        wanted = sorted(here) if wanted is None else [d for d in wanted if d in here]
        if not wanted:
            return NullMatcher()
    deleted = reader.deleted_docs_set if reader.has_deletions() else ()
    docs = [d for d in wanted if d not in deleted]
    if not docs:
        return NullMatcher()
    # BM25F's score needs the global statistics only (idf, average length): one scorer per word and search
    parent = searcher.get_parent()
    if query._scorers is None or query._scorers[0] is not parent:
        query._scorers = (parent, [weighting.scorer(searcher, fieldname, word) for word in words])
    scorers = query._scorers[1]
    # what Whoosh's intersection says of its best possible score (the sum of each word's best in the
    # segment): matchers above this one prune by it, so it must be Whoosh's own figure, not a tighter one
    infos = [info for *_, info in sorted(postings, key=lambda p: p[1])]
    best = _tree_sum([scorer._score(info.max_weight(), info.min_length())
                      for scorer, info in zip(scorers, infos)]) * query.boost
    column = _length_column(reader, fieldname)
    lengths = [_LENGTH_OF_BYTE[column[doc]] if column is not None and column[doc]
               else searcher.doc_field_length(doc, fieldname, 1) for doc in docs]
    weights = [[here[doc][0] for doc in docs] for here in found]
    parts = [_scores(scorer, word_weights, lengths) for scorer, word_weights in zip(scorers, weights)]
    boost = query.boost
    if not in_a_row and len(parts) > 2:
        # an And of three words or more: Whoosh adds their scores up in the tree it builds by their
        # frequencies in this segment (floating-point sums of three differ with the order); its bound too
        tree = _weighted_tree([info.doc_frequency() for info in infos])
        best = _tree_value(tree, [scorer._score(info.max_weight(), info.min_length())
                                  for scorer, info in zip(scorers, infos)]) * boost
        scores = [score * boost for score in _tree_sums(tree, parts)] if boost != 1.0 else _tree_sums(tree, parts)
    elif len(parts) == 1:
        scores = [a * boost for a in parts[0]] if boost != 1.0 else parts[0]
    elif len(parts) == 2:
        scores = [(a + b) * boost for a, b in zip(*parts)]
    elif len(parts) == 3:
        scores = [(a + (b + c)) * boost for a, b, c in zip(*parts)]
    else:
        scores = [_tree_sum(list(each)) * boost for each in zip(*parts)]
    return PhraseMatcher(docs, scores, found if in_a_row else None, field.format, best, prune=query.prune)


def _weighted_tree(frequencies: list[int]) -> Any:
    """The tree Whoosh's And builds over its words' matchers in a segment (``make_weighted_tree``, Whoosh-Reloaded
    2.7, each word weighted by minus its number of papers there): a leaf is a word's index, a node a pair.

    Whoosh sorts (weight, matcher) pairs and inserts each new node after those of equal weight; its matchers
    compare as neither smaller nor greater, so ties keep their order: a stable sort and a bisect to the right."""
    nodes: list[tuple[int, Any]] = sorted(((-f, i) for i, f in enumerate(frequencies)), key=lambda n: n[0])
    while len(nodes) > 1:
        (weight_a, a), (weight_b, b) = nodes.pop(0), nodes.pop(0)
        weight = weight_a + weight_b
        nodes.insert(bisect_right([w for w, _ in nodes], weight), (weight, (a, b)))
    return nodes[0][1]


def _tree_value(tree: Any, values: list[float]) -> float:
    """The sum of ``values`` in the tree's order (IntersectionMatcher: the left's plus the right's)."""
    if isinstance(tree, int):
        return values[tree]
    return _tree_value(tree[0], values) + _tree_value(tree[1], values)


def _tree_sums(tree: Any, parts: list[list[float]]) -> list[float]:
    """Each paper's sum of its ``parts`` in the tree's order."""
    if isinstance(tree, int):
        return parts[tree]
    return [a + b for a, b in zip(_tree_sums(tree[0], parts), _tree_sums(tree[1], parts))]


class BlockValues:
    """The values (positions) of one postings block, unpickled the first time one of them is asked for.

    Why: Whoosh pickles a block's values as protocol-2 bytes, each a call to ``codecs.encode(text,
    "latin1")``: at 10,000 papers unpickling them was a fifth of a phrase query's time, and a query needs the
    values of few papers (those whose positions it checks, those it shows a snippet of). The values are
    unpickled with ``slice`` in the place of ``codecs.encode`` (the cheapest builtin that takes the same two
    arguments and keeps them), and only a value asked for is encoded: the same bytes, without 128 trips
    through the codec registry a block."""

    __slots__ = ("_data", "_cut", "_values")

    def __init__(self, data: bytes = b"", cut: int = 0, values: Any = None) -> None:
        self._data, self._cut, self._values = data, cut, values

    def __getitem__(self, index: int) -> bytes:
        if self._values is None:
            data, cut = self._data, self._cut
            self._values = pickle.loads(data[:cut] + _VALUES_KEPT + data[cut + len(_VALUES_START):])[2]
            self._data = b""
        value = self._values[index]
        return value.start.encode("latin-1") if type(value) is slice else value


# A block's data is the pickle of (ids, weights, values); the values start with a MARK and the first value's
# GLOBAL (protocol 2 pickles bytes as codecs.encode(text, "latin1")). Ids are ints and weights floats, which
# pickle as no such bytes.
_VALUES_START = b"(c_codecs\nencode\n"
_VALUES_KEPT = b"(cbuiltins\nslice\n"  # see BlockValues
_TUPLE2_STOP = b"\x86."


def _split_block(data: bytes, count: int) -> tuple[tuple[int, ...], Any, BlockValues]:
    """A block's (ids as stored, weights as stored, values read later): the ids and weights unpickled from
    the stream cut before the values where it can be (checked against the block's count), else all of it."""
    cut = data.find(_VALUES_START)
    if cut > 0:
        try:
            ids, weights = pickle.loads(data[:cut] + _TUPLE2_STOP)
            if len(ids) == count and (weights is None or isinstance(weights, float) or len(weights) == count):
                return ids, weights, BlockValues(data, cut)
        except (pickle.UnpicklingError, ValueError, TypeError, EOFError):
            pass
    ids, weights, values = pickle.loads(data)
    return ids, weights, BlockValues(values=values)


def _postings_file(reader: Any, field: Any) -> Any:
    """The segment's postings file, where its postings are Whoosh's own blocks with values of variable size
    (what _read_postings reads), else None (walk Whoosh's matchers)."""
    terms = getattr(reader, "_terms", None)
    fixed = field.format.fixed_value_size() if field.format else 0
    if not isinstance(terms, W3TermsReader) or (fixed is not None and fixed >= 0):
        return None
    return terms._postfile


def _read_postings(postfile: Any, info: W3TermInfo, wanted: list[int] | None) -> Postings:
    """{paper: (weight, its block's values, its index there)} of a word's postings in a segment (``info``: its
    entry in the term table), only of ``wanted`` papers when given; a postings block holding none of them is
    passed over unread (see _postings_file for the formats this reads).

    Reads the blocks as Whoosh's W3LeafMatcher does (whoosh.codec.whoosh3, Whoosh-Reloaded 2.7, pinned), with
    the same numbers, but all of the word's postings in one read of the file (Whoosh reads a block's header
    a few bytes at a time), and its values only when asked for (BlockValues)."""
    start, size = info.extent()
    if isinstance(size, tuple):  # W3TermInfo.from_bytes leaves it in its unpacked tuple (Whoosh's matcher never reads it)
        size = size[0]
    raw = postfile.get(start, size)
    if raw[:_INT_SIZE] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"postings damaged: no block tag at {start}")  # as Whoosh's matcher refuses them
    position = _INT_SIZE
    out: Postings = {}
    wanted_set = set(wanted) if wanted is not None else None
    previous_max = -1
    last_block = False
    while not last_block:
        length = unpack_int(raw[position:position + _INT_SIZE])[0]
        last_block = length < 0
        length = abs(length)
        block = raw[position + _INT_SIZE:position + _INT_SIZE + length]
        position += _INT_SIZE + length
        stream = io.BytesIO(block)
        count, maxid, _, compression, _, _ = pickle.load(stream)
        if wanted is not None:
            k = bisect_right(wanted, previous_max)
            if k == len(wanted):
                break  # no paper left to find in this word's later blocks
            if wanted[k] > maxid:
                previous_max = maxid
                continue
        previous_max = maxid
        data = block[stream.tell():]
        ids, weights, values = _split_block(zlib.decompress(data) if compression else data, count)
        ids = tuple(accumulate(ids))  # stored as gaps (Whoosh's reader passes no byteids)
        if weights is None:
            weights = (1.0,) * count
        elif isinstance(weights, float):  # one weight for the block, which Whoosh reads back as a C float
            weights = (array("f", [weights])[0],) * count
        block_postings = zip(ids, zip(weights, repeat(values), range(count)))
        if wanted_set is None:
            out.update(block_postings)
        else:
            here = dict(block_postings)
            out.update((doc, here[doc]) for doc in wanted_set.intersection(ids))
    return out


def posting_value(posting: tuple[float, BlockValues, int]) -> bytes:
    """The value (the positions, encoded) of a posting read by _read_postings."""
    return posting[1][posting[2]]


def _scores(scorer: Any, weights: list[float], lengths: list[int]) -> list[float]:
    """The scorer's score of each (weight, field length): BM25F's formula written out as whoosh.scoring.bm25
    writes it (the same operations in the same order, so the same floats), a call a paper fewer."""
    if type(scorer) is not BM25FScorer:
        return [scorer._score(weight, length) for weight, length in zip(weights, lengths)]
    idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1  # noqa: N806 - BM25's names
    return [idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))) for tf, fl in zip(weights, lengths)]


def _length_column(reader: Any, fieldname: str) -> Any:
    """The segment's one-byte field lengths by paper, when they are in memory (search._open_searcher)."""
    perdoc = getattr(reader, "_perdoc", None)
    column = getattr(perdoc, "_readers", {}).get(_lenfield(fieldname))
    return column if isinstance(column, bytes) else None


def _tree_sum(parts: list[float]) -> float:
    """The sum as Whoosh's intersection of these words adds it (make_binary_tree: halves, left first)."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


class FastTerm(_ReadInBulk, Term):
    """One word of one field, matched as Whoosh's Term with the same scores, its postings read block by block
    and scored in one pass (as FastPhrase does) instead of a paper at a time through Whoosh's collector:
    every word typed alone, and a query's title bonus."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0, prune: bool = False) -> None:
        super().__init__(fieldname, text, boost=boost)
        self._init_bulk(prune)

    def bulk_matcher(self, searcher: Any, context: Any = None) -> Matcher | None:
        """As FastPhrase.bulk_matcher."""
        weighting = context.weighting if context is not None else searcher.weighting
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if field is None or not field.scorable or type(weighting).scorer is not BM25F.scorer:
            return None
        try:
            word = field.to_bytes(self.text)
        except ValueError:
            return NullMatcher()
        return _bulk_matcher(self, searcher, [word], weighting, False)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        found = self._bulk_matcher_ready(searcher, context)
        return found if found is not None else super().matcher(searcher, context)


class FastWords(_ReadInBulk, And):
    """Plain words of one field that must all be there (what typing words asks for), matched as Whoosh's And
    of their Terms with the same scores, reading the postings as FastPhrase does."""

    def __init__(self, subqueries: list[Query], boost: float = 1.0, prune: bool = False) -> None:
        super().__init__(subqueries, boost=boost)
        self._init_bulk(prune)

    @property
    def fieldname(self) -> str:
        return self.subqueries[0].fieldname

    def apply(self, fn: Any) -> Query:
        return And([fn(q) for q in self.subqueries], boost=self.boost)

    def bulk_matcher(self, searcher: Any, context: Any = None) -> Matcher | None:
        """As FastPhrase.bulk_matcher."""
        weighting = context.weighting if context is not None else searcher.weighting
        if self.fieldname not in searcher.schema or type(weighting).scorer is not BM25F.scorer:
            return None
        field = searcher.schema[self.fieldname]
        try:
            words = [field.to_bytes(q.text) for q in self.subqueries]
        except ValueError:
            return NullMatcher()
        return _bulk_matcher(self, searcher, words, weighting, False)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        found = self._bulk_matcher_ready(searcher, context)
        return found if found is not None else super().matcher(searcher, context)


class FastAndMaybe(AndMaybe):
    """Papers of ``a``, with the score of ``b`` added where they have it too (a query and its title bonus), as
    Whoosh's AndMaybe scores them. Where both sides are read in bulk in a segment, the sums are made there
    in one pass, so papers that cannot make the list are passed over by their whole score, not by ``a``'s
    alone (Whoosh's AndMaybe walks every paper of ``a`` for the bonus it might get)."""

    top: int | None = None  # see keep_best
    kept: list[float] | None = None

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        a = self.a.bulk_matcher(searcher, context) if hasattr(self.a, "bulk_matcher") else None
        if a is not None and not a.is_active():
            return a  # the required side matches nothing here
        b = self.b.bulk_matcher(searcher, context) if hasattr(self.b, "bulk_matcher") else None
        if isinstance(a, PhraseMatcher):
            if isinstance(b, PhraseMatcher):
                return a.with_bonus(b.ready()).ready(self.top, self.kept)
            if b is not None and not b.is_active():
                return a.ready(self.top, self.kept)
            a = a.ready()
        else:
            a = self.a.matcher(searcher, context)
        if b is None:
            b = self.b.matcher(searcher, context)
        elif isinstance(b, PhraseMatcher):
            b = b.ready()
        return AndMaybeMatcher(a, b)


class FastRange(NumericRange):
    """A range of numbers (``year:[2004 TO 2008]``) as Whoosh matches it: every paper in it scores the same
    (the range's boost, a constant score), so the list is the papers with the lowest paper numbers. Searched
    as the whole query (keep_best), a segment after the list is full is not read at all: its papers come
    later and lose the tie (at 10,000 papers, looking each range term up in each segment was most of the
    time)."""

    top: int | None = None  # see keep_best
    kept: list[float] | None = None

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        full = self.top and self.kept is not None and self.constantscore
        if full and len(self.kept) >= self.top:
            return NullMatcher()
        found = super().matcher(searcher, context)
        if full and found.is_active():
            self.kept.extend(self.boost for _ in found.copy().all_ids())
        return found


def _is_plain_and(query: Query) -> bool:
    """An And of two or more plain unboosted Terms of one field: its score is the sum of theirs (in the order
    Whoosh's And adds them: see _weighted_tree), times the And's boost."""
    if type(query) is not And or len(query.subqueries) < 2:
        return False
    words = query.subqueries
    return all(type(q) is Term and q.fieldname == words[0].fieldname and q.boost == 1.0 and not q.minquality
               for q in words)


def keep_best(query: Query, limit: int | None) -> None:
    """Tell the query searched (its score is each paper's) that the collector keeps the best ``limit``: each
    segment then gives only the papers that can still be among them (PhraseMatcher.ready)."""
    if isinstance(query, (FastAndMaybe, FastPhrase, FastWords, FastTerm, FastRange)):
        query.top, query.kept = limit, []


def postings_read(query: Query) -> PostingsRead:
    """Every postings list the query's parts read in bulk in its last search (see PostingsRead)."""
    read: PostingsRead = {}
    parts = [query]
    while parts:
        part = parts.pop()
        read.update(getattr(part, "postings_read", {}))
        parts.extend(part.children())
    return read


def fast_phrases(query: Query, required: bool = True) -> Query:
    """The query with every exact phrase in it made a FastPhrase (other phrases, e.g. with a slop, stay), and
    plain words that must all be there a FastWords.

    Papers are passed over by score only where the phrase is required (the query itself, a part of an And,
    the required side of AndMaybe / AndNot / Require): there a paper whose phrase score cannot reach the
    collector's minimum cannot make the list whatever the rest adds. In an Or, or on an optional side, the
    phrase adds to the score of papers found otherwise, so every one of its papers is checked."""
    if type(query) is Phrase and query.slop == 1:
        return FastPhrase(query.fieldname, list(query.words), slop=1, boost=query.boost,
                          char_ranges=query.char_ranges, prune=required)
    if type(query) is NumericRange:
        return FastRange(query.fieldname, query.start, query.end, query.startexcl, query.endexcl,
                         boost=query.boost, constantscore=query.constantscore)
    if type(query) is Term and not query.minquality:
        return FastTerm(query.fieldname, query.text, boost=query.boost, prune=required)
    if _is_plain_and(query):
        return FastWords(list(query.subqueries), boost=query.boost, prune=required)
    if isinstance(query, And):
        return query.apply(lambda q: fast_phrases(q, required))
    if type(query) is AndMaybe:
        return FastAndMaybe(fast_phrases(query.a, required), fast_phrases(query.b, False))
    if isinstance(query, (AndMaybe, AndNot, Require)):
        new = copy.copy(query)
        new.a, new.b = fast_phrases(query.a, required), fast_phrases(query.b, False)
        new.subqueries = (new.a, new.b)  # what children() walks
        return new
    return query.apply(lambda q: fast_phrases(q, False))


class PhraseMatcher(Matcher):
    """The papers of a segment that hold all the phrase's words, with their scores and the words' positions
    (as stored): a paper is a hit once its positions are checked, and checked only when its score could still
    make the collector's list (``minquality``), where ``prune`` allows that."""

    def __init__(self, docs: list[int], scores: list[float], postings: list[Postings] | None, fmt: Any,
                 best: float, minquality: float = 0.0, prune: bool = False) -> None:
        # postings: each word's, in the phrase's order, for the positions of the papers checked (None: not
        # checked, the words need not be in a row)
        self.docs, self.scores, self.postings, self.format = docs, scores, postings, fmt
        self.best = best  # max_quality: Whoosh's bound for its intersection of the words
        self.prune = prune
        self.minquality = minquality
        self._i = 0

    def ready(self, top: int | None = None, kept: list[float] | None = None) -> PhraseMatcher:
        """This matcher, on its first hit (it is made without checking any positions).

        ``top`` (where this matcher's score is the whole query's: see keep_best): only the papers of this
        segment that can be among the ``top`` the collector keeps. ``kept`` holds the ``top`` best scores of
        the hits found so far in this search (a heap, earlier segments included); a paper is checked only if
        fewer than ``top`` of them reach its score (those found earlier win a tie: lower paper numbers), and
        in the collector's order (the highest score first, the lower paper number first among equal ones),
        so checking stops at the first paper that cannot make the list. For a phrase of common words, most
        papers holding the words are never checked."""
        if not top:
            self._settle()
            return self
        kept = [] if kept is None else kept
        scores, docs = self.scores, self.docs
        floor = kept[0] if len(kept) >= top else None
        order = [i for i, score in enumerate(scores) if floor is None or score > floor]
        order.sort(key=scores.__getitem__, reverse=True)  # stable: the lower paper number first
        hits = []
        for i in order:
            score = scores[i]
            if len(kept) >= top and kept[0] >= score:
                break
            self._i = i
            if self._holds():
                hits.append(i)
                if len(kept) < top:
                    heappush(kept, score)
                else:
                    heapreplace(kept, score)
        hits.sort()
        return PhraseMatcher([docs[i] for i in hits], [scores[i] for i in hits], None, self.format, self.best)

    def _holds(self) -> bool:
        """Whether the current paper has the words in a row (positions p, p+1, p+2 ...); always, when the
        words need not be in a row (``postings`` None)."""
        if self.postings is None:
            return True
        decode = self.format.decode_positions
        doc = self.docs[self._i]
        postings = [here[doc] for here in self.postings]
        starts = set(decode(posting_value(postings[0])))
        for offset in range(1, len(postings)):
            starts.intersection_update(map((-offset).__add__, decode(posting_value(postings[offset]))))
            if not starts:
                return False
        return True

    def _settle(self) -> None:
        """Move to the first paper from here on that is a hit (or that may score enough to be one)."""
        scores, count, minquality = self.scores, len(self.docs), self.minquality
        while self._i < count:
            if minquality and scores[self._i] < minquality:
                self._i += 1
                continue
            if self._holds():
                return
            self._i += 1

    def with_bonus(self, bonus: Matcher) -> PhraseMatcher:
        """This matcher with ``bonus``'s score added to each paper the bonus matches too (AndMaybe's sum,
        a.score() + b.score(); its bound, the sum of the two bounds). Every paper of the bonus is checked: an
        optional part prunes nothing."""
        if not bonus.is_active():
            return self
        best = self.best + bonus.max_quality()  # AndMaybe's bound: the sum of its two sides' bounds
        extra: dict[int, float] = {}
        while bonus.is_active():
            extra[bonus.id()] = bonus.score()
            bonus.next()
        scores = [score + extra[doc] if doc in extra else score for doc, score in zip(self.docs, self.scores)]
        return PhraseMatcher(self.docs, scores, self.postings, self.format, best, self.minquality, self.prune)

    def copy(self) -> PhraseMatcher:
        return copy.copy(self)  # the lists are never changed, only the position in them

    def is_active(self) -> bool:
        return self._i < len(self.docs)

    def id(self) -> int:
        return self.docs[self._i]

    def score(self) -> float:
        return self.scores[self._i]

    def max_quality(self) -> float:
        return self.best

    def supports_block_quality(self) -> bool:
        return False

    def replace(self, minquality: float = 0) -> Any:
        if not self.is_active():
            return NullMatcher()
        if self.prune and minquality > self.minquality:
            # a matcher that moves must be a new one: a parent given back the same object takes it to be
            # where it was (Whoosh's IntersectionMatcher then reports a paper its other side does not hold)
            moved = copy.copy(self)
            moved.minquality = minquality
            moved._settle()
            if not moved.is_active():
                return NullMatcher()
            if moved._i != self._i:
                return moved
            self.minquality = minquality  # on the same paper: only papers further on are passed over
        return self

    def all_ids(self) -> Any:
        while self.is_active():
            yield self.id()
            self.next()

    def next(self) -> bool:
        self._i += 1
        self._settle()
        return False

    def skip_to(self, id: int) -> None:
        if self.is_active() and id > self.docs[self._i]:
            self._i = bisect_left(self.docs, id, self._i)
            self._settle()

    def reset(self) -> None:
        self._i = 0
        self._settle()

    def supports(self, astype: str) -> bool:
        return False  # no value is given (nothing here asks for one)

    def spans(self) -> list[Any]:
        raise NotImplementedError("PhraseMatcher does not give spans")


class WalkingPhraseMatcher(WrappingMatcher):
    """The papers of an intersection of word matchers in which the words follow one another."""

    def __init__(self, words: list[Any], fmt: Any, boost: float = 1.0, minquality: float = 0.0,
                 prune: bool = False) -> None:
        super().__init__(make_binary_tree(IntersectionMatcher, words), boost)
        self.words = words  # the leaf matchers, positioned on the intersection's current paper
        self.format = fmt
        self.prune = prune
        self.minquality = minquality  # papers scoring below this cannot reach the collector: not checked
        self._settle()

    def copy(self) -> WalkingPhraseMatcher:
        return WalkingPhraseMatcher([m.copy() for m in self.words], self.format, self.boost, self.minquality, self.prune)

    def _holds(self) -> bool:
        """Whether the current paper has the words in a row (positions p, p+1, p+2 ...)."""
        starts: set[int] | None = None
        for offset, matcher in enumerate(self.words):
            here = {p - offset for p in self.format.decode_positions(matcher.value())}
            starts = here if starts is None else starts & here
            if not starts:
                return False
        return True

    def _settle(self) -> None:
        """Move to the first paper from here on that is a hit (or that may score enough to be one)."""
        child = self.child
        while child.is_active():
            if self.minquality:
                if child.block_quality() * self.boost < self.minquality:
                    child.skip_to_quality(self.minquality / self.boost)  # no paper of this block can do
                    continue
                if child.score() * self.boost < self.minquality:
                    child.next()
                    continue
            if self._holds():
                return
            child.next()

    def replace(self, minquality: float = 0) -> Any:
        if not self.child.is_active():
            return NullMatcher()
        if self.prune:
            self.minquality = minquality
        return self

    def all_ids(self) -> Any:
        while self.is_active():
            yield self.id()
            self.next()

    def next(self) -> bool:
        self.child.next()
        self._settle()
        return True  # may have moved to another block: the collector checks block quality again

    def skip_to(self, id: int) -> None:
        self.child.skip_to(id)
        self._settle()

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._settle()
        return skipped

    def supports(self, astype: str) -> bool:
        return False  # the intersection's value is not the phrase's (nothing here asks for it)

    def spans(self) -> list[Any]:
        raise NotImplementedError("PhraseMatcher does not give spans")
