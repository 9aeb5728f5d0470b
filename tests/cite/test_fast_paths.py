"""The citation engine's shortcuts give what the plain way gives (they exist for speed only).

Each test states the plain way next to the shortcut: the tagger fed every attribute vs only those the model
knows; the full search for narrative names vs the search from the last word that cannot be a name; glued
superscripts found after any white space, as a token split would cut them.
"""
from __future__ import annotations

import pytest

from reader.cite import labeller
from reader.cite.markers import (_NARRATIVE_NAMES, _may_end_in_names, _names_could_start,
                                 find_flattened_superscripts)

ENTRIES = [
    "Locker, D. (1996). \u201cImpact of life.\u201d Nature 24, 398\u2013402.",
    "Avery SV. Microbial cell individuality. Nat Rev Microbiol. 2006;4:577-87.",
    "E. Braunwald, \"On analysing scientific articles,\" N. Engl. J. Med., vol. 337, no. 19, pp. 1360-1369, 1997.",
    "M\u00fcller-L\u00fcdenscheidt J, O\u2019Brien K, van der Berg P, et al. Tr\u00e8s \u00e9l\u00e9gant. Cell. 2019a;12(3):e1002.",
    "World Health Organization. Global report on diabetes. Geneva: WHO Press; 2016. 88 pp.",
]


@pytest.mark.parametrize("entry", ENTRIES)
def test_the_tagger_gets_only_known_attributes_and_labels_the_same(entry):
    model = labeller.default_labeller()
    if model is None:
        pytest.skip("no usable reference model")
    words = [t.text for t in labeller.tokens(entry)]
    every = labeller.features(words)
    known = labeller.features(words, model._known)
    assert known == [[a.encode() for a in attrs if a in model._known] for attrs in every]
    assert model._tagger.tag(known) == model._tagger.tag(every)


NARRATIVE_BEFORE_YEARS = [
    "as described by van der Berg and Smith ",
    "in the work of Cao, Zhang, Lee, and Wu ",
    "the survey foo/van Berg ",  # the names start inside a word
    "shown by Bolsinger et al. ",
    "results of the WHO ",
    "Smith , Jones , and Lee\u2019s ",
    "as the data show ",
]


@pytest.mark.parametrize("before", NARRATIVE_BEFORE_YEARS)
def test_narrative_names_are_searched_from_where_they_can_start(before):
    end = len(before)
    full = _NARRATIVE_NAMES.search(before, 0, end)
    if not _may_end_in_names(before, 0, end):
        assert full is None
        return
    short = _NARRATIVE_NAMES.search(before, _names_could_start(before, 0, end), end)
    assert (short and short.group("names")) == (full and full.group("names"))


def test_flattened_superscripts_after_any_white_space():
    # digits glued to words, one after an ideographic space and one after a no-break space: each is cited
    text = "Cancer grows fast disease1 and\u3000tumour2 then\u00a0cells3."
    found = find_flattened_superscripts(text, [(0, len(text))], max_number=10)
    assert [text[m.start:m.end] for m in found] == ["1", "2", "3"]
    # a span that starts inside a word reads the word from the span's start, as before
    inside = find_flattened_superscripts(text, [(text.index("ease1"), len(text))], max_number=10)
    assert [text[m.start:m.end] for m in inside] == ["1", "2", "3"]


@pytest.mark.parametrize("more_than", [0, 2, 3, 4, 5])
def test_flattened_superscripts_too_few_for_the_caller_are_none(more_than):
    # four glued numbers (1, 2, 3 and "area51" far ahead of the sequence, which is no citation): the plain
    # search finds three; a caller that needs more than ``more_than`` gets them all or nothing
    text = "Cells grow fast disease1 and tumour2 in the area51 of the plant tissue3."
    spans = [(0, len(text))]
    plain = find_flattened_superscripts(text, spans, max_number=60)
    assert [text[m.start:m.end] for m in plain] == ["1", "2", "3"]
    found = find_flattened_superscripts(text, spans, max_number=60, more_than=more_than)
    assert found == (plain if len(plain) > more_than else [])


@pytest.mark.parametrize("entry", ENTRIES + ["  Tab\tand\u3000ideographic\u00a0no-break\u2003em\nspaces\x1c\x1fsep  "])
def test_the_labellers_tokens_are_the_regex_cut(entry):
    import re

    assert [(t.text, t.start, t.end) for t in labeller.tokens(entry)] == \
        [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", entry)]
