"""Searching a library's index: the query language, the result list and snippets that say where the hit is.

Queries use Whoosh's syntax: words are ANDed and searched in the title, authors, keywords, abstract, body,
references and the user's notes; ``"durand line"`` is a phrase, ``author:gadi`` / ``title:`` / ``venue:`` /
``keywords:`` / ``references:`` / ``notes:`` name a field, ``year:2023`` and ``year:[2020 TO 2023]`` take
years, ``negot*`` is a prefix and ``taliban~`` (or ``taliban~2``) allows typos.

Snippets are cut from ``papers/<id>/text.txt`` around the densest cluster of matched words, found by their
positions in the body and placed by the body's word map (a line or two re-read, whatever the paper's
length: reader.library.documents.body_words), and carry
the offset in ``Paper.text`` of the first matched word there, so a result opens the paper right at the hit.
"""
from __future__ import annotations

import copy
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser
from whoosh.codec import whoosh3
from whoosh.query import AndMaybe, AndNot, Not, NullQuery, Or, Phrase, Query
from whoosh.searching import Searcher as WhooshSearcher

from reader.errors import LibraryBusy, QueryError
from reader.library.catalog import Catalog
from reader.collector import collector_paused
from reader.library.documents import DEFAULT_FIELD, FIELD_ALIASES, TITLE_BOOST, words_at
from reader.library.folder import LibraryFolder
from reader.library.index import DAMAGE_ERRORS, IndexUnusable, SearchIndex, UntrustedFile, damage_reason
from reader.library.phrases import PostingsRead, fast_phrases, keep_best, posting_value, postings_read

SNIPPET_CHARS = 220
# Occurrences of one matched word considered for a snippet: plenty to find the best cluster in a long paper.
_POSITIONS_PER_TERM = 400
# A snippet's SNIPPET_CHARS hold about this many indexed words (stop words are not counted).
_SNIPPET_WORDS = 24
# Words of an expanded prefix or fuzzy term looked up for snippets (``a*`` may expand to thousands).
_MAX_SNIPPET_TERMS = 64
_FIELD_NAME = re.compile(r'(?:^|[\s(+\-])([A-Za-z_]\w*):(?=\S)')
_QUOTED = re.compile(r'"[^"]*"')
_LOOSE_COLON = re.compile(r"(\w):(?=\s|$)")
_LOOSE_QUESTION = re.compile(r"(\w)\?+(?=\s|$)")
# A query of this many words and no operators is taken as a pasted passage (see QueryParser.parse).
_FRAGMENT_WORDS = 5
FRAGMENT_BOOST = 4.0
_OPERATORS = re.compile(r'["*~^]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


@dataclass
class SearchHit:
    """One paper found: what to show in a result list, and where in the paper the best hit is."""

    paper_id: str
    title: str
    authors: list[str]
    year: int | None
    venue: str
    score: float
    snippet: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)  # matched words, as offsets into ``snippet``
    offset: int | None = None  # where the snippet's first matched word is in Paper.text (None: no body hit)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.paper_id, "title": self.title, "authors": self.authors, "year": self.year,
                "venue": self.venue, "score": round(self.score, 4), "snippet": self.snippet,
                "marks": [list(m) for m in self.marks], "offset": self.offset}


class QueryParser:
    """Turns what the user typed into a Whoosh query, or a QueryError that says what is wrong."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._parser = self._make(DEFAULT_FIELD)
        self._title_parser = self._make("title")
        self._fields = set(schema.names()) | {alias for aliases in FIELD_ALIASES.values() for alias in aliases}

    def _make(self, field: str) -> qparser.QueryParser:
        parser = qparser.QueryParser(field, self.schema)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
        return parser

    def parse(self, text: str) -> Query:
        """The Whoosh query for what the user typed, with exact phrases checked lazily (reader.library.phrases)."""
        return fast_phrases(self._parse(text))

    def _parse(self, text: str) -> Query:
        text = text.strip()
        if not text:
            raise QueryError("the query is empty")
        if text.count('"') % 2:
            raise QueryError("a quote is not closed")
        named = [n for n in _FIELD_NAME.findall(_QUOTED.sub(" ", text)) if n.lower() in self._fields]
        for name in _FIELD_NAME.findall(_QUOTED.sub(" ", text)):
            if name.lower() in self._fields:
                continue
            if name.isalpha() and name.islower():  # "autor:gadi": a field name mistyped
                known = ", ".join(sorted(n for n in self._fields if n != "id"))
                raise QueryError(f"no field called {name!r} (fields: {known})")
            text = text.replace(f"{name}:", f"{name} ")  # "CHCl3:methanol" pasted from a paper: just words
        # "Results: we found" pasted from a paper is no field query: a colon before a space is punctuation;
        # so is a question mark ending a word (inside a word it is Whoosh's one-letter wildcard)
        text = _LOOSE_COLON.sub(r"\1", text)
        text = _LOOSE_QUESTION.sub(r"\1", text)
        try:
            query = self._parser.parse(text)
            if named or query is NullQuery:
                return query
            # the same words in the title add to the score (they do not make it a requirement)
            in_title = self._title_parser.parse(text)
            in_title.boost = TITLE_BOOST
            bonus: list[Query] = [in_title]
            words = text.split()
            if len(words) >= _FRAGMENT_WORDS and not _OPERATORS.search(text):
                # a sentence pasted from a paper: the paper with those words in that order comes first
                in_order = self._parser.parse('"' + " ".join(w.strip('"') for w in words) + '"')
                in_order.boost = FRAGMENT_BOOST
                bonus.append(in_order)
            return AndMaybe(query, Or(bonus) if len(bonus) > 1 else in_title)
        except Exception as exc:  # noqa: BLE001 - Whoosh raises plain exceptions for odd input
            raise QueryError(f"cannot understand the query: {exc}") from None


class LibrarySearcher:
    """An open searcher on a library's index: reuse it for many queries; it picks up new commits itself."""

    def __init__(self, index: SearchIndex, catalog: Catalog, folder: LibraryFolder) -> None:
        self.index, self.catalog, self.folder = index, catalog, folder
        self._ix, self._searcher = _open_newest(index)
        self.parser = QueryParser(self._ix.schema)
        self._checked = time.monotonic()

    def close(self) -> None:
        self._searcher.close()

    def expect_changes(self) -> None:
        """This process just committed: look for the new generation at the next search, not a second later."""
        self._checked = 0.0

    def refresh(self) -> None:
        """Move to the latest committed index, if there is a newer one (checked at most once a second)."""
        now = time.monotonic()
        if now - self._checked < 1.0:
            return
        self._checked = now
        if self.index.generation() != self._searcher.reader().generation():
            self._reopen()

    def _reopen(self) -> None:
        ix, searcher = _open_newest(self.index)  # a new generation must pass the trust check too
        self._searcher.close()
        self._ix, self._searcher = ix, searcher

    def _unusable(self, exc: BaseException) -> Exception:
        """What an error reading the index means: the files of the generation this searcher reads deleted by
        another process's commit (remove_unlisted, once the new one is recorded): read the new one; else
        damage (rebuild)."""
        if isinstance(exc, (FileNotFoundError, UntrustedFile)) and \
                self.index.generation() != self._searcher.reader().generation():
            return _MovedOn()
        return IndexUnusable(f"the search index is damaged ({type(exc).__name__}: {exc})")

    def _newest(self, read: Any, *args: Any) -> Any:
        """``read(*args)`` on the newest generation: again on the new one when a commit moved the index on while
        it read (a few times at most: commits are seconds apart)."""
        for _ in range(_OPEN_ATTEMPTS - 1):
            try:
                return read(*args)
            except _MovedOn:
                self._reopen()
        try:
            return read(*args)
        except _MovedOn:
            raise LibraryBusy("another litreader process is rewriting the search index; search again in a "
                              "moment") from None

    def search(self, text: str, limit: int = 10, snippets: int | None = None) -> list[SearchHit]:
        """The best ``limit`` papers for the query, the first ``snippets`` of them (all: None) with snippets;
        ``add_snippets`` gives the others theirs later. Raises QueryError, IndexUnusable."""
        with collector_paused():  # postings of thousands of papers, each a small tuple (see reader/collector.py)
            return self._newest(self._search, text, limit, snippets)

    def _search(self, text: str, limit: int, snippets: int | None) -> list[SearchHit]:
        query = self.parser.parse(text)
        self.refresh()
        try:
            # each segment gives only the papers that can make the list, for this one search (a matcher made
            # again for a segment would find it fuller than it is)
            keep_best(query, limit)
            # Not terms=True: that makes Whoosh record the matched terms of every matching paper, not only
            # of the few shown. The query's own body terms, looked up for the shown papers, are enough.
            results = self._searcher.search(query, limit=limit)
            found = [(hit["id"], hit.score, hit.docnum, hit.fields().get("wordmap", b"")) for hit in results]
        except DAMAGE_ERRORS as exc:
            raise self._unusable(exc) from None
        finally:
            keep_best(query, None)
        entries = self.catalog.get_many([paper_id for paper_id, *_ in found])
        hits, places = [], []
        for paper_id, score, docnum, word_map in found:
            entry = entries.get(paper_id)
            if entry is None:
                continue  # removed from the library; the index catches up at its next commit
            hits.append(SearchHit(paper_id, entry.title, entry.authors, entry.year, entry.venue, score))
            places.append((docnum, word_map))
        count = len(hits) if snippets is None else min(snippets, len(hits))
        self._add_snippets(query, hits[:count], places[:count], postings_read(query))
        return hits

    def add_snippets(self, text: str, hits: list[SearchHit]) -> list[SearchHit]:
        """Copies of ``hits`` (found by ``search(text, ...)``), each with its snippet, read from the index as it
        is now. Raises QueryError, IndexUnusable."""
        with collector_paused():
            return self._newest(self._add_snippets_to_copies, text, hits)

    def _add_snippets_to_copies(self, text: str, hits: list[SearchHit]) -> list[SearchHit]:
        query = self.parser.parse(text)
        self.refresh()
        hits = [copy.copy(hit) for hit in hits]
        try:
            places = []
            for hit in hits:
                docnum = self._searcher.document_number(id=hit.paper_id)
                word_map = self._searcher.stored_fields(docnum).get("wordmap", b"") if docnum is not None else b""
                places.append((docnum, word_map))
        except DAMAGE_ERRORS as exc:
            raise self._unusable(exc) from None
        self._add_snippets(query, hits, places)
        return hits

    def _add_snippets(self, query: Query, hits: list[SearchHit], places: list[tuple[int | None, bytes]],
                      read: PostingsRead | None = None) -> None:
        """Each hit's snippet, from its paper's place in the index: (document number, word map); ``read``: the
        postings the search read already (positions are looked up again only where they are not there)."""
        phrases = _body_phrases(query, self._searcher.schema["body"])
        try:
            terms = self._body_terms(query)
            # the words matched outside a phrase: where a paper holds the phrase, the others are not hits
            alone = set(self._body_terms(query, phrases=False)) if phrases else set(terms)
            positions = self._body_positions([d for d, _ in places if d is not None], terms, read or {})
        except DAMAGE_ERRORS as exc:
            raise self._unusable(exc) from None
        for hit, (docnum, word_map) in zip(hits, places):
            self._snippet(hit, positions.get(docnum, {}) if docnum is not None else {}, word_map, phrases, alone)

    def _body_terms(self, query: Query, phrases: bool = True) -> list[bytes]:
        """The body terms the query can match (a prefix or fuzzy word expanded to the words it matches; the
        words of its phrases too, or not)."""
        terms = query.existing_terms(self._searcher.reader(), phrases=phrases, expand=True, fieldname="body")
        return sorted(text for field, text in terms if field == "body")[:_MAX_SNIPPET_TERMS]

    def _body_positions(self, docnums: list[int], terms: list[bytes], read: PostingsRead
                        ) -> dict[int, dict[bytes, list[int]]]:
        """For each of ``docnums``, the word positions of each of the query's words in its body (from ``read``
        where the search read them, else from the index)."""
        found: dict[int, dict[bytes, list[int]]] = {}
        wanted = sorted(set(docnums))
        # the searcher's schema, read when it opened: the index's would read its generation's table of contents
        # again, which a merge by another process may have deleted since (the open segments stay readable)
        decode = self._searcher.schema["body"].format.decode_positions
        # segment by segment, and only in the segments that hold a hit: a library has tens of segments, and
        # looking a word up in each of them cost more than reading its positions in ten papers
        for segment, offset in self._searcher.reader().leaf_readers():
            here = [d - offset for d in wanted if offset <= d < offset + segment.doc_count_all()]
            if not here:
                continue
            for term in terms:
                postings, every_paper = read.get((segment, "body", term), ({}, False))
                missing = []
                for docnum in here:
                    if docnum in postings:
                        found.setdefault(docnum + offset, {})[term] = decode(posting_value(postings[docnum]))
                    elif not every_paper:
                        missing.append(docnum)
                if not missing or ("body", term) not in segment:
                    continue
                matcher = segment.postings("body", term)
                for docnum in missing:
                    if not matcher.is_active():
                        break
                    if matcher.id() < docnum:
                        matcher.skip_to(docnum)
                        if not matcher.is_active():
                            break
                    if matcher.id() != docnum:
                        continue
                    found.setdefault(docnum + offset, {})[term] = matcher.value_as("positions")
        return found

    def _snippet(self, hit: SearchHit, positions: dict[bytes, list[int]], word_map: bytes,
                 phrases: list[tuple[bytes, ...]], alone: set[bytes]) -> None:
        """The hit's snippet around its densest run of matched words; where the query asks for a phrase and the
        paper's text holds it, a run holding the phrase (the densest run of its words alone may be elsewhere)."""
        text = self.folder.read_text(hit.paper_id) or ""
        text_words = int.from_bytes(word_map[:4], sys.byteorder) if len(word_map) >= 4 else 0
        # not the words after the text (authors, keywords, notes): a snippet shows the paper's own text
        units = _matched_units(positions, phrases, alone, text_words)
        spans: list[tuple[int, int]] = []  # a unit's characters: from its first word's start to its last's end
        words: list[list[tuple[int, int]]] = []  # each unit's words' characters (a phrase: several)
        required: list[bool] | None = None  # which units are a phrase (None: no phrase in the text)
        if units:
            # the densest run of matched words by position, then the characters of those words only
            first, last = _densest_window([(a, b) for a, b, _ in units], _SNIPPET_WORDS, _phrase_flags(units))
            run = units[first:last + 1]
            chars = words_at(text, word_map, sorted({p for a, b, _ in run for p in range(a, b + 1)}))
            flags = []
            for a, b, is_phrase in run:
                placed = [chars.get(p) for p in range(a, b + 1)]
                if all(placed) and placed[-1][1] <= len(text):  # type: ignore[index]
                    spans.append((placed[0][0], placed[-1][1]))  # type: ignore[index]
                    words.append(placed)  # type: ignore[arg-type]
                    flags.append(is_phrase)
            required = flags if any(flags) else None
        if not spans:
            hit.snippet = _clip(text, 0, SNIPPET_CHARS)[0]
            return
        first, last = _densest_window(spans, SNIPPET_CHARS, required)
        window_start, window_end = spans[first][0], spans[last][1]
        pad = max(0, (SNIPPET_CHARS - (window_end - window_start)) // 2)
        snippet, origin = _clip(text, window_start - pad, window_end + pad)
        hit.snippet = snippet
        hit.marks = [(s - origin, e - origin) for unit in words[first:last + 1] for s, e in unit
                     if 0 <= s - origin and e - origin <= len(snippet)]
        hit.offset = spans[first][0]


def _body_phrases(query: Query, body: Any) -> list[tuple[bytes, ...]]:
    """The exact phrases of two words or more the query looks for in the body (not those it excludes), each
    as the index's words."""
    found = []
    parts = [query]
    while parts:
        part = parts.pop()
        if isinstance(part, Phrase):
            if part.fieldname == "body" and part.slop == 1 and len(part.words) > 1:
                try:
                    found.append(tuple(body.to_bytes(word) for word in part.words))
                except ValueError:
                    pass
        elif isinstance(part, AndNot):
            parts.append(part.a)
        elif not isinstance(part, Not):
            parts.extend(part.children())
    return found


def _matched_units(positions: dict[bytes, list[int]], phrases: list[tuple[bytes, ...]], alone: set[bytes],
                   text_words: int) -> list[tuple[int, int, bool]]:
    """The matched words of a paper's text as (first position, last position, is a phrase), sorted: each
    occurrence of a phrase of the query as one unit, and the words matched ``alone`` (outside a phrase) each
    a unit of their own; where the text holds none of the phrases, every word of the query alone."""
    occurrences: set[tuple[int, int]] = set()
    for phrase in phrases:
        if not all(word in positions for word in phrase):
            continue
        starts = set(positions[phrase[0]])
        for offset, word in enumerate(phrase[1:], 1):
            starts.intersection_update(map((-offset).__add__, positions[word]))
        occurrences.update((s, s + len(phrase) - 1) for s in starts if s + len(phrase) - 1 < text_words)
    # each word's first occurrences: plenty to find the best cluster in a long paper
    if not occurrences:
        singles = {p for found in positions.values() for p in found[:_POSITIONS_PER_TERM] if p < text_words}
        return [(p, p, False) for p in sorted(singles)]
    singles = {p for word, found in positions.items() if word in alone for p in found[:_POSITIONS_PER_TERM]
               if p < text_words}
    covered = {p for a, b in occurrences for p in range(a, b + 1)}
    units = [(a, b, True) for a, b in occurrences] + [(p, p, False) for p in singles if p not in covered]
    units.sort()
    return units


def _phrase_flags(units: list[tuple[int, int, bool]]) -> list[bool] | None:
    flags = [is_phrase for _, _, is_phrase in units]
    return flags if any(flags) else None


# How many times a search reads the index again when commits keep moving it on while it reads.
_OPEN_ATTEMPTS = 4


class _MovedOn(Exception):
    """The generation being read was replaced by another process's commit, and its files deleted."""


def _open_newest(index: SearchIndex) -> tuple[Any, WhooshSearcher]:
    """The newest committed generation, checked and opened. A commit by another process that lands while it is
    opened deletes the files of the generation being opened: the new one is opened then (a missing file is
    damage only when no commit explains it)."""
    for _ in range(_OPEN_ATTEMPTS):
        generation = index.generation()
        ix = index.open()
        try:
            return ix, _open_searcher(ix)
        except (FileNotFoundError, UntrustedFile) as exc:
            if index.generation() == generation:
                raise IndexUnusable(damage_reason(exc)) from None
    raise LibraryBusy("another litreader process is rewriting the search index; search again in a moment")


def _open_searcher(ix: Any) -> WhooshSearcher:
    """A searcher whose segments keep the body's and title's field lengths in memory.

    Why: BM25 needs the length of the field in every paper it scores, and Whoosh reads it from the lengths
    column one byte at a time (a seek and a read through the file handle per paper): at 10,000 papers a
    fifth of a phrase query's time. The column is one byte a paper, so a library of 10,000 papers keeps
    20 KB here. Whoosh's per-document reader takes any object indexed by document number as that column's
    reader (``W3PerDocReader._readers``, Whoosh-Reloaded 2.7, pinned in pyproject.toml).
    """
    searcher = ix.searcher()
    for leaf, _ in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if not isinstance(perdoc, whoosh3.W3PerDocReader):
            continue
        for fieldname in (DEFAULT_FIELD, "title"):
            column = whoosh3._lenfield(fieldname)
            if column in perdoc._readers or not perdoc.has_column(column):
                continue
            f, offset, length = perdoc._get_column_file(column)
            try:
                f.seek(offset)
                lengths = f.read(length)
            finally:
                f.close()
            count = perdoc._doccount
            perdoc._readers[column] = lengths[:count].ljust(count, b"\0")  # a paper not written: length 0
    return searcher


def _densest_window(spans: list[tuple[int, int]], width: int, required: list[bool] | None = None
                    ) -> tuple[int, int]:
    """Indices (first, last) of the run of spans within ``width`` characters holding the most spans; with
    ``required``, the densest of the runs that hold a span marked True there (a span wider than ``width``
    alone is a run of its own)."""
    best: tuple[int, int] | None = None
    first = 0
    marked = 0  # required spans in spans[first:last + 1]
    for last in range(len(spans)):
        marked += bool(required and required[last])
        while first < last and spans[last][1] - spans[first][0] > width:
            marked -= bool(required and required[first])
            first += 1
        if required and not marked:
            continue
        if best is None or last - first > best[1] - best[0]:
            best = (first, last)
    return best or (0, 0)


def _clip(text: str, start: int, end: int) -> tuple[str, int]:
    """``text[start:end]`` widened to whole words, one line, with "…" where it was cut; and where the
    returned string's offset 0 falls in ``text`` (shifted by the leading "…")."""
    start, end = max(0, start), min(len(text), end)
    while start > 0 and not text[start - 1].isspace() and start > end - SNIPPET_CHARS - 40:
        start -= 1
    while end < len(text) and not text[end].isspace() and end < start + SNIPPET_CHARS + 40:
        end += 1
    body = text[start:end].replace("\n", " ")  # same length: offsets stay valid
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + body + suffix, start - len(prefix)
