"""The index document and the fast text field: exactly what Whoosh's StemmingAnalyzer would index."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT

from conftest import ALAM, GADI
from reader.ingest import load_paper
from reader.library.userdata import UserData
from reader.library import documents
from reader.library.documents import PackedPositions, StemmedText, body_words, document_for, words_at


def _reference_index(text: str) -> list:
    """What Whoosh's own field and analyzer index: (word, frequency, weight, positions)."""
    field = TEXT(analyzer=StemmingAnalyzer())
    return sorted((w, f, wt, field.format.decode_positions(v)) for w, f, wt, v in field.index(text))


def _fast_index(text: str) -> list:
    field = StemmedText()
    return sorted((w, f, wt, field.format.decode_positions(v)) for w, f, wt, v in field.index(text))


def _reference_chars(text: str) -> dict[int, tuple[int, int]]:
    return {t.pos: (t.startchar, t.endchar) for t in StemmingAnalyzer()(text, positions=True, chars=True)}


def test_fast_field_matches_the_analyzer_on_real_papers(corpus_dir: Path) -> None:
    texts = [load_paper(p).text for p in (ALAM, GADI, *sorted((corpus_dir / "jats").glob("*.xml"))[:3])]
    for text in texts:
        assert _fast_index(text) == _reference_index(text)


def test_the_word_map_finds_every_word_where_the_analyzer_does(corpus_dir: Path) -> None:
    """A snippet places words by position through the word map: the characters must be the analyzer's."""
    for path in (ALAM, GADI, *sorted((corpus_dir / "jats").glob("*.xml"))[:3]):
        text = load_paper(path).text
        expected = _reference_chars(text)
        _, word_map = body_words(text, StemmedText().format, len(text))
        assert words_at(text, word_map, sorted(expected)) == expected
        some = sorted(expected)[5::97]  # far apart: each found from its own checkpoint
        assert words_at(text, word_map, some) == {p: expected[p] for p in some}


_words = st.sampled_from(["the", "The", "a", "of", "Taliban", "negotiations", "p<0.05", "3.14", "U.S.", "x*",
                          "İstanbul", "straße", "naïve", "e.g.", "1", "ÆON", "co-operation", "…", "—", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_words, st.text(max_size=8)), max_size=40).map(" ".join))
def test_fast_field_matches_the_analyzer_on_any_text(text: str) -> None:
    assert _fast_index(text) == _reference_index(text)
    expected = _reference_chars(text)
    _, word_map = body_words(text, StemmedText().format, len(text))
    assert words_at(text, word_map, sorted(expected)) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_words, st.text(max_size=8)), max_size=60).map(" ".join), st.integers(1, 12))
def test_a_long_line_read_in_pieces_gives_the_same_words(text: str, piece: int) -> None:
    """A line longer than _PIECE (a 50 MB one-line text) is read in pieces, cut where no word can run across:
    the same words at the same positions, and the word map (checkpoints inside the line too) still finds them."""
    text = text.replace("\n", " ")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(documents, "_PIECE", piece)
        assert _fast_index(text) == _reference_index(text)
        _, word_map = body_words(text, StemmedText().format, len(text))
    expected = _reference_chars(text)
    assert words_at(text, word_map, sorted(expected)) == expected


def test_a_huge_line_gets_checkpoints_inside_it(corpus_dir: Path) -> None:
    text = " ".join(load_paper(ALAM).text.split()) * 3  # one line, about 3 x 60 KB
    _, word_map = body_words(text, StemmedText().format, len(text))
    assert len(word_map) // 8 >= len(text) // documents._PIECE  # a checkpoint at (nearly) every piece
    expected = _reference_chars(text)
    some = sorted(expected)[::501]
    assert words_at(text, word_map, some) == {p: expected[p] for p in some}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9_*. .\t\n-'\"\\/,;()[]\x0b\x1cé€İßı\u00a0\u2014\u0301𝔘")), max_size=40),
       st.integers(0, 3), st.integers(0, 3))
def test_words_are_found_the_way_the_tokenizer_finds_them(text: str, cut_start: int, cut_end: int) -> None:
    """ASCII stretches are split in C, the rest by the tokenizer's expression: the same lower-cased words."""
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert documents._lowered_words(text, start, end) == [w.lower() for w in documents._WORD.findall(text, start,
                                                                                                     end)]


def test_packed_positions_read_back_as_written() -> None:
    fmt = PackedPositions()
    for positions in ([], [0], [3, 4, 300], [7, 70_000, 70_001, 5_000_000]):
        value = fmt.encode(positions)
        assert fmt.decode_positions(value) == positions
        assert fmt.decode_frequency(value) == len(positions)


def test_the_word_map_says_where_the_paper_text_ends() -> None:
    """Words after the text (authors, notes) are in the body but never in a snippet: the map counts the
    text's words."""
    text = "Durand line negotiations.\nTaliban talks"
    _, word_map = body_words(text + "\n\nJaved Alam ; my note", StemmedText().format, len(text))
    assert int.from_bytes(word_map[:4], sys.byteorder) == 5  # durand line negotiations taliban talks


def test_document_body_is_the_text_then_authors_keywords_and_notes() -> None:
    paper = load_paper(ALAM)
    doc = document_for(paper, UserData(notes="my own words"))
    body = str(doc["body"])
    assert body.startswith(paper.text)  # a prefix: offsets below len(text) are offsets into Paper.text
    tail = body[len(paper.text):]
    assert "Javed Alam ; Ghulam Mustafa" in tail and tail.rstrip().endswith("my own words")
    assert doc["references"].splitlines()[0] == paper.references[0].raw
    assert doc["authors"] == "Javed Alam ; Ghulam Mustafa"
    assert doc["notes"] == "my own words"
    assert "year" not in doc  # the text prints none: no made-up year
    assert document_for(load_paper(GADI))["year"] == 2023


def test_fast_field_counts_only_like_whoosh() -> None:
    """The references field keeps counts, not positions: the fast path must match Whoosh there too."""
    text = load_paper(ALAM).text
    assert sorted(StemmedText(phrase=False).index(text)) == \
        sorted(TEXT(analyzer=StemmingAnalyzer(), phrase=False).index(text))


def test_the_document_body_is_analyzed_once() -> None:
    """document_for reads the body's words once (postings and word map together); the field uses them."""
    paper = load_paper(ALAM)
    doc = document_for(paper)
    assert StemmedText().index(doc["body"]) is doc["body"].postings
    assert sorted((w, f, wt, StemmedText().format.decode_positions(v)) for w, f, wt, v in doc["body"].postings) \
        == _reference_index(str(doc["body"]))


def test_the_document_body_holds_the_paper_text_itself_not_a_copy() -> None:
    """A 50 MB text of two-byte characters is 100 MB: a copy of it for the index was the largest part of a
    worker's peak memory (issue 14). With nothing added after the text, the body is the text object."""
    paper = load_paper(ALAM)
    paper.authors, paper.keywords = [], []
    paper.references = [r for r in paper.references if r.start >= 0]
    body = document_for(paper, UserData())["body"]
    assert body.text is paper.text
    assert StemmedText().index(body) is body.postings and body.postings


def test_an_empty_body_is_left_out_of_the_document_as_before() -> None:
    paper = load_paper(ALAM)
    paper.text, paper.blocks, paper.authors, paper.keywords, paper.references = "", [], [], [], []
    assert "body" not in document_for(paper, UserData())


@pytest.fixture
def counted_in_two(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every text counted in two processes (the child forked for the second half), the forks counted."""
    forks: list[int] = []
    real_fork = documents.os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(documents, "TWO_PROCESSES_FROM", 0)
    monkeypatch.setattr(documents, "_may_fork", lambda: True)
    monkeypatch.setattr(documents.os, "fork", fork)
    return forks


def test_a_long_text_counted_in_two_processes_gives_the_same_index(counted_in_two: list[int]) -> None:
    """A 50 MB text's words are counted half in a forked child: the postings are the ones one process makes
    (positions, counts, stems merged across the cut), and the word map still finds every word."""
    paper = load_paper(ALAM)
    text = paper.text + "\n\n" + " ".join(paper.text.split()[:3000])  # lines, then one long line
    for fmt in (StemmedText().format, documents.Frequency()):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(documents, "_may_fork", lambda: False)
            alone = body_words(text, fmt, len(paper.text))
        assert body_words(text, fmt, len(paper.text))[0] == alone[0]
    assert len(counted_in_two) == 2
    expected = _reference_chars(text)
    _, word_map = body_words(text, StemmedText().format, len(paper.text))
    assert words_at(text, word_map, sorted(expected)) == expected
    assert word_map[:4] == alone[1][:4]  # the paper text's word count: the same


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_words, st.text(max_size=8)), max_size=80).map(" ".join))
def test_any_text_counted_in_two_processes_gives_the_same_postings(text: str) -> None:
    """Wherever the cut falls (stop words only before it, a word of one stem on both sides, nothing after)."""
    with pytest.MonkeyPatch.context() as mp:
        alone = body_words(text, StemmedText().format, len(text))
        mp.setattr(documents, "TWO_PROCESSES_FROM", 0)
        mp.setattr(documents, "_may_fork", lambda: True)
        assert body_words(text, StemmedText().format, len(text))[0] == alone[0]


def test_a_child_that_fails_leaves_its_half_to_the_parent(counted_in_two: list[int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    text = load_paper(GADI).text
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(documents, "_may_fork", lambda: False)
        alone = body_words(text, StemmedText().format, len(text))

    def broken_dump(*args: object, **kwargs: object) -> None:
        raise MemoryError  # in the child: it exits at once, having sent nothing

    monkeypatch.setattr(documents.pickle, "dump", broken_dump)
    assert body_words(text, StemmedText().format, len(text))[0] == alone[0]
    assert len(counted_in_two) == 1
