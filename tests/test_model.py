"""The data model survives a JSON round trip, and its CSL output is what reference managers read."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from reader.ingest.builder import TextBuilder
from reader.model import Block, Citation, CitationItem, Name, PageSpan, Paper, Reference, paper_id_for

names = st.builds(Name, family=st.text(max_size=12), given=st.text(max_size=12))
refs = st.builds(Reference, id=st.text(min_size=1, max_size=4), raw=st.text(max_size=40),
                 author=st.lists(names, max_size=3), issued=st.lists(st.integers(1, 3000), max_size=3),
                 title=st.text(max_size=20), container_title=st.text(max_size=20), DOI=st.text(max_size=10),
                 year_suffix=st.sampled_from(["", "a", "b"]))
items = st.builds(CitationItem, label=st.text(max_size=10), status=st.sampled_from(["resolved", "ambiguous",
                                                                                   "unresolved"]),
                  refs=st.lists(st.text(min_size=1, max_size=4), max_size=3),
                  suggestions=st.lists(st.text(min_size=1, max_size=4), max_size=2))
papers = st.builds(
    Paper, id=st.text(min_size=16, max_size=16), source_path=st.text(max_size=20),
    format=st.sampled_from(["pdf", "text", "jats", "xml"]), title=st.text(max_size=30),
    authors=st.lists(names, max_size=3), year=st.none() | st.integers(1900, 2100), keywords=st.lists(st.text(max_size=8)),
    text=st.text(max_size=200),
    blocks=st.lists(st.builds(Block, kind=st.sampled_from(["title", "heading", "paragraph"]),
                              start=st.integers(0, 99), end=st.integers(0, 99), level=st.integers(0, 3),
                              page=st.none() | st.integers(1, 9)), max_size=4),
    references=st.lists(refs, max_size=3),
    citations=st.lists(st.builds(Citation, start=st.integers(0, 99), end=st.integers(0, 99), text=st.text(max_size=9),
                                 style=st.sampled_from(["author-year", "numeric"]), items=st.lists(items, max_size=3)),
                       max_size=3),
    pages=st.lists(st.builds(PageSpan, start=st.integers(0, 9), end=st.integers(0, 9), page=st.integers(1, 9),
                             bbox=st.tuples(*[st.integers(0, 600).map(float)] * 4)), max_size=2),
)


@given(papers)
def test_paper_json_round_trip(paper):
    data = json.loads(json.dumps(paper.to_json()))
    assert Paper.from_json(data) == paper


def test_reference_uses_csl_names():
    ref = Reference(id="r1", raw="Cao R, Zhang Y. 2004a. Title. Mol Cell 15:57–67.", author=[Name("Cao", "R")],
                    issued=[2004], year_suffix="a", title="Title", container_title="Mol Cell", volume="15",
                    page="57–67", DOI="10.1/x", type="article-journal")
    csl = ref.to_csl()
    assert csl == {"id": "r1", "type": "article-journal", "author": [{"family": "Cao", "given": "R"}],
                   "issued": {"date-parts": [[2004]]}, "year-suffix": "a", "title": "Title",
                   "container-title": "Mol Cell", "volume": "15", "page": "57–67", "DOI": "10.1/x"}
    assert ref.year == 2004


def test_paper_id_is_sha256_prefix():
    assert paper_id_for(b"abc") == "ba7816bf8f01cfea"


def test_text_builder_spans_are_exact():
    b = TextBuilder()
    b.add_block("title", "  A   Title ")
    b.open_block()
    b.write("Text with a ")
    span = b.write(" (Smith,\n 2020) ")
    b.write(" and more. ")
    b.close_block("paragraph")
    assert b.add_block("paragraph", "   ") is None  # empty blocks vanish, separator included
    text = b.text()
    assert text == "A Title\n\nText with a (Smith, 2020) and more."
    assert text[span[0]:span[1]] == "(Smith, 2020)"
    assert [(x.kind, text[x.start:x.end]) for x in b.blocks] == [
        ("title", "A Title"), ("paragraph", "Text with a (Smith, 2020) and more.")]
    assert b.last_block_text() == "Text with a (Smith, 2020) and more."
