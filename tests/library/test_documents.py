"""The index document and the fast text field: exactly what Whoosh's StemmingAnalyzer would index."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT

from conftest import ALAM, GADI
from reader.ingest import load_paper
from reader.library.userdata import UserData
from reader.library.documents import StemmedText, document_for


def _reference_index(text: str, chars: bool) -> list:
    return sorted(TEXT(analyzer=StemmingAnalyzer(), chars=chars).index(text))


@pytest.mark.parametrize("chars", [False, True])
def test_fast_field_matches_the_analyzer_on_real_papers(chars: bool, corpus_dir: Path) -> None:
    texts = [load_paper(p).text for p in (ALAM, GADI, *sorted((corpus_dir / "jats").glob("*.xml"))[:3])]
    for text in texts:
        assert sorted(StemmedText(chars=chars).index(text)) == _reference_index(text, chars)


_words = st.sampled_from(["the", "The", "a", "of", "Taliban", "negotiations", "p<0.05", "3.14", "U.S.", "x*",
                          "İstanbul", "straße", "naïve", "e.g.", "1", "ÆON", "co-operation", "…", "—", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_words, st.text(max_size=8)), max_size=40).map(" ".join))
def test_fast_field_matches_the_analyzer_on_any_text(text: str) -> None:
    for chars in (False, True):
        assert sorted(StemmedText(chars=chars).index(text)) == _reference_index(text, chars)


def test_document_body_is_the_text_then_authors_keywords_and_notes() -> None:
    paper = load_paper(ALAM)
    doc = document_for(paper, UserData(notes="my own words"))
    assert doc["body"].startswith(paper.text)  # a prefix: offsets below len(text) are offsets into Paper.text
    tail = doc["body"][len(paper.text):]
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
