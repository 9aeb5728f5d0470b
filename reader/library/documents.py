"""What the search index holds for a paper: the Whoosh schema and the document built from a Paper.

One document per paper (DESIGN.md section 5). A query that names no field searches one field, ``body``:
the paper's whole reading text (``Paper.text``, so its character offsets are offsets into the text), with
the authors, keywords and the user's notes appended after it. One field, not an OR over six, because
Whoosh's cost per word grows with the fields it is looked up in (measured at 10,000 papers: two to three
times slower with six). Titles still count more: the query is also run, optionally, on ``title``. The other
fields (title, authors, venue, keywords, abstract, references, notes, year) serve field queries.

Only ``id`` is stored: titles and authors for a result list come from the catalog, and snippet text from
``papers/<id>/text.txt``. ``body`` keeps character offsets (``chars=True``), so a snippet is cut straight
from the offsets of the matched words, without re-reading and re-tokenising the paper.
"""
from __future__ import annotations

import re
from typing import Any

from whoosh.analysis import STOP_WORDS, CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.formats import Characters, Frequency
from whoosh.system import pack_uint
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


class StemmedText(TEXT):
    """A TEXT field with Whoosh's StemmingAnalyzer, indexed by one loop instead of a chain of generators.

    Why: indexing is most of an import's time, and half of that is the analyzer passing Token objects through
    four generators (tokenize, lower-case, drop stop words, stem). This does the same in one pass and
    produces exactly what the analyzer would (tests/library/test_documents.py checks it on real text);
    queries still go through the analyzer itself.
    """

    def __init__(self, chars: bool = False, phrase: bool = True) -> None:
        super().__init__(analyzer=StemmingAnalyzer(), chars=chars, phrase=phrase)

    def index(self, value: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or kwargs.get("start_pos") or kwargs.get("start_char"):
            return super().index(value, **kwargs)
        return _index_words(value, self.format)


_WORD = re.compile(r"[\w\*]+(\.?[\w\*]+)*")  # whoosh.analysis.tokenizers.default_pattern
_STOP_WORDS = frozenset(STOP_WORDS)
_stems: dict[str, str] = {}


def _index_words(text: str, fmt: Any) -> list[tuple[bytes, int, float, bytes]]:
    """What ``fmt.word_values`` yields for ``text`` under StemmingAnalyzer, as FieldType.index returns it:
    (word as UTF-8, frequency, weight, encoded positions, or positions with start and end characters)."""
    if len(_stems) > 500_000:
        _stems.clear()
    with_chars = isinstance(fmt, Characters)
    counts_only = isinstance(fmt, Frequency)
    seen: dict[str, list[Any]] = {}
    pos = -1
    first = True
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group().lower()
        if len(word) < 2 or word in _STOP_WORDS:
            continue
        stem = _stems.get(word)
        if stem is None:
            stem = _stems[word] = porter_stem(word)
        # StopFilter(renumber=True): the first kept word keeps its place, the next ones follow on from it
        pos = index if first else pos + 1
        first = False
        seen.setdefault(stem, []).append((pos, match.start(), match.end()) if with_chars else pos)
    boost = fmt.field_boost
    if counts_only:  # Frequency.word_values: the count, packed
        return [(word.encode("utf-8"), len(places), len(places) * boost, pack_uint(len(places)))
                for word, places in seen.items()]
    encode = fmt.encode
    return [(word.encode("utf-8"), len(places), len(places) * boost, encode(places))
            for word, places in seen.items()]


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
        body=StemmedText(chars=True),
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
    doc: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "authors": authors,
        "venue": paper.venue,
        "keywords": keywords,
        "abstract": paper.abstract,
        "body": paper.text + ("\n\n" + extra if extra else ""),  # offsets below len(text) are Paper.text's
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
