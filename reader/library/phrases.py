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
"""
from __future__ import annotations

import copy
from typing import Any

from whoosh.matching import IntersectionMatcher, NullMatcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query import And, AndMaybe, AndNot, Phrase, Query, Require
from whoosh.reading import TermNotFound
from whoosh.util import make_binary_tree


class FastPhrase(Phrase):
    """A phrase of words one right after another (slop 1), as Whoosh's Phrase matches it, checked lazily;
    ``prune``: papers that cannot reach the collector's minimum score may be passed over (see fast_phrases)."""

    def __init__(self, *args: Any, prune: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prune = prune

    def matcher(self, searcher: Any, context: Any = None) -> Any:
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
        return PhraseMatcher(matchers, field.format, self.boost, prune=self.prune)


def fast_phrases(query: Query, required: bool = True) -> Query:
    """The query with every exact phrase in it made a FastPhrase (other phrases, e.g. with a slop, stay).

    Papers are passed over by score only where the phrase is required (the query itself, a part of an And,
    the required side of AndMaybe / AndNot / Require): there a paper whose phrase score cannot reach the
    collector's minimum cannot make the list whatever the rest adds. In an Or, or on an optional side, the
    phrase adds to the score of papers found otherwise, so every one of its papers is checked."""
    if type(query) is Phrase and query.slop == 1:
        return FastPhrase(query.fieldname, list(query.words), slop=1, boost=query.boost,
                          char_ranges=query.char_ranges, prune=required)
    if isinstance(query, And):
        return query.apply(lambda q: fast_phrases(q, required))
    if isinstance(query, (AndMaybe, AndNot, Require)):
        new = copy.copy(query)
        new.a, new.b = fast_phrases(query.a, required), fast_phrases(query.b, False)
        return new
    return query.apply(lambda q: fast_phrases(q, False))


class PhraseMatcher(WrappingMatcher):
    """The papers of an intersection of word matchers in which the words follow one another."""

    def __init__(self, words: list[Any], fmt: Any, boost: float = 1.0, minquality: float = 0.0,
                 prune: bool = False) -> None:
        super().__init__(make_binary_tree(IntersectionMatcher, words), boost)
        self.words = words  # the leaf matchers, positioned on the intersection's current paper
        self.format = fmt
        self.prune = prune
        self.minquality = minquality  # papers scoring below this cannot reach the collector: not checked
        self._settle()

    def copy(self) -> PhraseMatcher:
        return PhraseMatcher([m.copy() for m in self.words], self.format, self.boost, self.minquality, self.prune)

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
