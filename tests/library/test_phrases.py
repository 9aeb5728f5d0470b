"""FastPhrase (reader.library.phrases) finds exactly what Whoosh's own phrase query finds, in the same order,
with the same scores: on hundreds of papers in several segments, with words that repeat, stop words inside the
phrase, and result lists short enough that papers are skipped without their positions being read."""
from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import RamStorage
from whoosh.query import NumericRange, Phrase, Term

from reader.library.documents import build_schema
from reader.library.phrases import (FastWords, FastPhrase, FastRange, FastTerm, PhraseMatcher, fast_phrases,
                                    keep_best)
from reader.library.search import QueryParser

WORDS = ["cell", "line", "growth", "factor", "of", "the", "tumour", "model", "data", "analysis"]


@pytest.fixture(scope="module")
def index():
    rng = random.Random(7)
    ix = RamStorage().create_index(build_schema())
    for segment in range(3):  # three segments, as a library has after a few commits
        writer = ix.writer()
        for n in range(250):  # two postings blocks and more per common word in each segment
            words = [rng.choice(WORDS) for _ in range(rng.randint(5, 400))]
            writer.add_document(id=f"{segment}-{n}", body=" ".join(words), title=" ".join(words[:6]),
                                year=n % 5)
        writer.commit(merge=False)
    return ix


def whoosh_phrase(query):
    """The query as Whoosh's own classes make it (FastWords.apply gives back a plain And)."""
    def whooshs(q):
        if isinstance(q, FastPhrase):
            return Phrase(q.fieldname, q.words, boost=q.boost)
        if isinstance(q, FastTerm):
            return Term(q.fieldname, q.text, boost=q.boost)
        if isinstance(q, FastRange):
            return NumericRange(q.fieldname, q.start, q.end, q.startexcl, q.endexcl, boost=q.boost)
        return q
    return query.accept(whooshs)


@pytest.mark.parametrize("text", ['"cell line"', '"growth factor"', '"cell cell"', '"line cell line"',
                                  '"growth of the factor"', '"tumour model data analysis"',
                                  'title:"cell line"', '"cell line" OR "model data"', 'growth "factor tumour"',
                                  'the cell line growth factor model',  # a pasted passage
                                  'cell line -model', 'tumour analysis OR growth data',
                                  'cell', 'analysis', 'title:growth', 'cell tumour model',  # FastTerm
                                  # a pruned part beside another: the two must stay on the same paper
                                  'cell title:line', '"cell line" title:growth', 'growth factor title:model',
                                  'tumour model year:[1 TO 3]', 'year:[1 TO 3]', 'year:[4 TO 9]'])
@pytest.mark.parametrize("limit", [1, 5, 10, None])
def test_same_hits_scores_and_order_as_whoosh(index, text: str, limit: int | None) -> None:
    parser = QueryParser(index.schema)
    fast = parser.parse(text)
    slow = whoosh_phrase(fast)
    assert fast != slow or "cell" not in text or '"' not in text  # the query did get a FastPhrase
    with index.searcher() as searcher:
        got = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(fast, limit=limit)]
        # as LibrarySearcher searches: each segment gives only the papers that can make the list
        keep_best(fast, limit)
        best = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(fast, limit=limit)]
        keep_best(fast, None)
        # the best of every paper Whoosh's own query finds, unpruned (its pruned search missed some papers
        # whose title bonus lifts them into the list, before phrases._replace_boosted)
        want = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(slow, limit=None)][:limit]
        assert [(hit["id"], round(hit.score, 9)) for hit in searcher.search(slow, limit=limit)] == want
    assert got == want
    assert best == want
    if limit is None and '"cell line"' == text:
        assert 20 < len(got) < 750  # a phrase that separates: neither every paper nor none


def has_pair(query) -> bool:
    return isinstance(query, FastWords) or any(has_pair(q) for q in query.children())


@pytest.mark.parametrize("text", ['growth factor', 'cell tumour', 'title:cell title:line', '"data" model',
                                  '(growth factor) OR (cell line)'])
@pytest.mark.parametrize("limit", [1, 5, 10, None])
def test_two_words_find_the_best_papers_with_whooshs_scores(index, text: str, limit: int | None) -> None:
    """FastWords gives the best ``limit`` of all the papers Whoosh's And finds, with Whoosh's scores."""
    parser = QueryParser(index.schema)
    fast = parser.parse(text)
    assert has_pair(fast)
    slow = whoosh_phrase(fast)
    with index.searcher() as searcher:
        got = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(fast, limit=limit)]
        keep_best(fast, limit)
        best = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(fast, limit=limit)]
        keep_best(fast, None)
        everything = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(slow, limit=None)]
    assert got == everything[:limit]
    assert best == everything[:limit]


def test_only_exact_phrases_are_replaced() -> None:
    schema = build_schema()
    query = fast_phrases(QueryParser(schema)._parser.parse('"cell line" "growth factor"~3'))
    kinds = sorted(type(q).__name__ for q in query.children())
    assert kinds == ["FastPhrase", "Phrase"]


def test_papers_that_cannot_make_the_list_are_not_checked(index, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a short list, most papers with both words are passed over without decoding their positions."""
    checked = []
    holds = PhraseMatcher._holds

    def counting(self):
        checked.append(1)
        return holds(self)

    monkeypatch.setattr(PhraseMatcher, "_holds", counting)
    with index.searcher() as searcher:
        query = FastPhrase("body", ["cell", "line"], prune=True)
        everything = len(searcher.search(query, limit=None))
        checked.clear()
        searcher.search(query, limit=3)
    assert len(checked) < everything / 2, (len(checked), everything)


def test_deleted_papers_are_not_found_and_scores_stay_whooshs() -> None:
    """A segment with deleted papers (a paper removed or indexed again): the postings still list them, the
    phrase must not."""
    rng = random.Random(11)
    ix = RamStorage().create_index(build_schema())
    writer = ix.writer()
    for n in range(300):
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 200))]
        writer.add_document(id=f"p{n}", body=" ".join(words), title="")
    writer.commit()
    writer = ix.writer()
    for n in range(0, 300, 3):
        writer.delete_by_term("id", f"p{n}")
    writer.commit(merge=False)
    fast = FastPhrase("body", ["cell", "line"], prune=True)
    with ix.searcher() as searcher:
        assert isinstance(fast.matcher(searcher.leaf_searchers()[0][0], searcher.context()), PhraseMatcher)
        got = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(fast, limit=None)]
        want = [(hit["id"], round(hit.score, 9)) for hit in searcher.search(Phrase("body", ["cell", "line"]),
                                                                          limit=None)]
    assert got == want
    assert got and not any(int(paper_id[1:]) % 3 == 0 for paper_id, _ in got)


def test_plain_words_are_fast_words() -> None:
    parser = QueryParser(build_schema())
    assert isinstance(parser.parse("growth factor").a, FastWords)  # .a: the words; .b: the title bonus
    assert isinstance(parser.parse("growth factor tumour").a, FastWords)
    assert isinstance(parser.parse("the cell line growth factor model").a, FastWords)  # a pasted passage


@pytest.mark.parametrize("text", ['cell tumour model', 'cell line growth factor', 'tumour model data analysis cell',
                                  'growth growth factor', 'title:cell title:line title:model',
                                  'the cell line growth factor model', 'data model line -cell'])
def test_three_words_or_more_score_exactly_as_whooshs_and(index, text: str) -> None:
    """Whoosh's And adds its words' scores in a tree it builds by their frequencies in each segment; a sum
    of three floats differs with the order, so FastWords must add them in that tree's order: the same
    papers in the same order with the same scores to the last bit, and with a list of 3, the same best 3."""
    parser = QueryParser(index.schema)
    fast = parser.parse(text)
    assert has_pair(fast)
    slow = whoosh_phrase(fast)
    with index.searcher() as searcher:
        got = [(hit["id"], hit.score) for hit in searcher.search(fast, limit=None)]
        want = [(hit["id"], hit.score) for hit in searcher.search(slow, limit=None)]
        keep_best(fast, 3)
        best = [(hit["id"], hit.score) for hit in searcher.search(fast, limit=3)]
        keep_best(fast, None)
    assert got == want and len(got) > 3
    assert best == want[:3]


def test_postings_read_in_blocks_are_whooshs_own() -> None:
    """_read_postings reads Whoosh's postings blocks itself (a word's in one read, the values when asked for): the
    same papers, weights and values as Whoosh's matcher gives, for words in two, three, hundreds of papers
    (blocks of one to 128 postings, weights that differ and weights all 1), with and without wanted papers."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from reader.library.phrases import _postings_file, _read_postings, posting_value

    rng = random.Random(5)
    ix = RamStorage().create_index(build_schema())
    for segment in range(2):
        writer = ix.writer()
        for n in range(300):
            # "duo": twice in two papers, so its block stores one weight (2.0); "flat": weights all 1
            words = ["zebra"] * rng.randint(1, 9) + ["flat"] * (n % 2) + ["duo"] * (2 * (n in (7, 200)))
            words += ["trio"] * (n in (3, 150, 299)) + [rng.choice(WORDS) for _ in range(rng.randint(1, 50))]
            rng.shuffle(words)
            writer.add_document(id=f"{segment}-{n}", body=" ".join(words), title="")
        writer.commit(merge=False)
    compared = 0
    with ix.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            for word in reader.lexicon("body"):
                walk = reader.postings("body", word)
                if not isinstance(walk, W3LeafMatcher):
                    continue
                whooshs = {}
                while walk.is_active():
                    whooshs[walk.id()] = (walk.weight(), walk.value())
                    walk.next()
                postfile, info = _postings_file(reader, reader.schema["body"]), reader.term_info("body", word)
                mine = _read_postings(postfile, info, None)
                assert {doc: (p[0], posting_value(p)) for doc, p in mine.items()} == whooshs
                wanted = sorted(whooshs)[::3]
                some = _read_postings(postfile, info, wanted)
                assert {doc: (p[0], posting_value(p)) for doc, p in some.items()} == {d: whooshs[d] for d in wanted}
                compared += 1
    assert compared >= 20
