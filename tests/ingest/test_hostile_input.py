"""Inputs built to hurt a parser: every one finishes quickly, without a crash, with a sound paper."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import ParseError
from reader.ingest import load_bytes

HOSTILE = {
    "one 2 MB line": ("x " * 1_000_000).encode(),
    "markdown markers": ("**a " * 30_000 + "\n" + "![x" * 20_000 + "\n" + "[y" * 20_000).encode(),
    "many initials": ("References\n\n" + "Smith, A. B. C. D., " * 5000 + "(2020).\n").encode(),
    "one long corporate word": ("A Paper\n\nIntroduction\n\nBody.\n\nReferences\n\n" + "Org_" * 5000 + " (2020).\n").encode(),
    "unbalanced parentheses": ("A Paper\n\nIntroduction\n\n" + "(Smith, " * 20_000 + "2020" + ")" * 3).encode(),
    "5,000 references": ("A Paper\n\nIntroduction\n\nAs shown (Author1, 2001).\n\nReferences\n\n"
                         + "\n".join(f"Author{i}, A. ({2000 + i % 20}). Title {i}. Journal, {i}(1), 1-2." for i in range(5000))
                         ).encode(),
    "references heading, nothing after": b"A Paper\n\nIntroduction\n\nSome text (Smith, 2020).\n\nReferences\n",
    "unclosed XML comments": ('<?xml version="1.0"?><a>&amp;' + "<!--" * 30_000 + "</a>").encode(),
    "deep XML nesting": ("<article><body>" + "<sec>" * 5000 + "<p>x</p>" + "</sec>" * 5000 + "</body></article>").encode(),
    "one 1 MB paragraph with citations": ("A Paper\n\nIntroduction\n\n" + "Text (Smith, 2020) and [3] more. " * 30_000).encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_handled(name):
    start = time.perf_counter()
    try:
        paper = load_bytes(HOSTILE[name], f"{name}.txt")
    except ParseError:
        pass  # a clear refusal is a fine answer
    else:
        assert_sound(paper)
    assert time.perf_counter() - start < 30, "far slower than linear: some pattern backtracks"


def assert_sound(paper):
    text = paper.text
    last = 0
    for b in paper.blocks:
        assert last <= b.start < b.end <= len(text)
        last = b.end
    for r in paper.references:
        assert text[r.start:r.end] == r.raw
    for c in paper.citations:
        assert text[c.start:c.end] == c.text
        for item in c.items:
            assert item.start == -1 or c.start <= item.start < item.end <= c.end


WORDS = st.sampled_from(["the", "Sleep", "memory", "(Smith, 2020)", "[2]", "(see Lee et al., 2019a; Kim, 2001)",
                         "Ali (2020)", "*bold*", "\\$5", "well-", "known", "References", "Abstract", "Introduction",
                         "1.", "-", "Smith, J. (2020). Title. Journal, 1(2), 3-4.", "é", "‘quote’", "(", ")", "[", "]"])
LINES = st.lists(WORDS, min_size=0, max_size=12).map(" ".join)
DOCUMENTS = st.lists(LINES, min_size=1, max_size=40).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS)
def test_any_text_gives_a_sound_paper(document):
    try:
        paper = load_bytes(document.encode(), "random.txt")
    except ParseError:
        return
    assert_sound(paper)
