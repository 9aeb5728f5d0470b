"""Placing highlights again in a changed text: exact, moved, fuzzy, orphaned; never silently wrong."""
from __future__ import annotations

from reader.highlights.anchoring import max_edits, normalise, place
from reader.highlights.model import quote_selector

OLD = ("Pakistan faces both possibilities and problems as a result of its key geographic location. One of the "
       "main challenges is the Durand Line, which separates Pakistan and Afghanistan. This border has caused "
       "a huge gap in several security-related areas. The Durand Line was drawn in 1893.")


def _placed(old: str, new: str, quote: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(quote, start + 1)
    end = start + len(quote)
    q, prefix, suffix = quote_selector(old, start, end)
    p = place(new, start, end, q, prefix, suffix)
    return p, new[p.start:p.end]


def test_unchanged_text_is_exact() -> None:
    p, words = _placed(OLD, OLD, "the Durand Line, which separates")
    assert p.anchor == "exact" and words == "the Durand Line, which separates"


def test_text_inserted_before_moves_it() -> None:
    p, words = _placed(OLD, "Running header 12\n" + OLD, "the Durand Line, which separates")
    assert p.anchor == "moved" and words == "the Durand Line, which separates"


def test_the_saved_context_picks_the_right_one_of_two() -> None:
    new = "Preface. " + OLD
    p, _ = _placed(OLD, new, "Durand Line", occurrence=1)  # the second: "The Durand Line was drawn"
    assert new[p.start - 4:p.end + 10] == "The Durand Line was drawn"
    p, _ = _placed(OLD, new, "Durand Line", occurrence=0)
    assert new[p.start - 4:p.end + 7] == "the Durand Line, which"


def test_rewrapped_and_rehyphenated_text_is_found_on_the_same_words() -> None:
    new = OLD.replace("several security-related", "sev-\neral\nsecurity-related").replace(
        "Durand Line, which", "Durand\nLine, which").replace("One of the", "“One”  of the")
    p, words = _placed(OLD, new, "This border has caused a huge gap in several security-related areas.")
    assert p.anchor == "moved"
    assert " ".join(words.split()) == "This border has caused a huge gap in sev- eral security-related areas."
    p, words = _placed(OLD, new, "the Durand Line, which separates")
    assert p.anchor == "moved" and words == "the Durand\nLine, which separates"


def test_ligatures_and_quote_marks_are_the_same_words() -> None:
    old = "We find ‘significant’ effects of the ﬁrst treatment on yield."
    new = "We find 'significant' effects of the first treatment on yield."
    p, words = _placed(old, new, "‘significant’ effects of the ﬁrst treatment")
    assert p.anchor == "moved" and words == "'significant' effects of the first treatment"


def test_a_small_edit_is_fuzzy_on_the_right_words() -> None:
    quote = "One of the main challenges is the Durand Line, which separates Pakistan and Afghanistan."
    new = OLD.replace("main challenges", "major challenges")
    p, words = _placed(OLD, new, quote)
    assert p.anchor == "fuzzy"
    assert words == quote.replace("main", "major")


def test_deleted_words_are_orphaned_never_guessed() -> None:
    quote = "This border has caused a huge gap in several security-related areas."
    new = OLD.replace(quote, "")
    p, _ = _placed(OLD, new, quote)
    assert p.anchor == "orphaned"


def test_a_rewritten_sentence_is_orphaned() -> None:
    quote = "One of the main challenges is the Durand Line, which separates Pakistan and Afghanistan."
    new = OLD.replace(quote, "Among the biggest problems is the contested frontier between the two countries.")
    p, _ = _placed(OLD, new, quote)
    assert p.anchor == "orphaned"


def test_normalise_maps_back_to_the_original() -> None:
    text = "a ﬁne “day” — co-\noperate  x"
    norm, where = normalise(text)
    assert norm == 'a fine "day" - cooperate x'
    assert [text[where[i]] for i in range(len(norm)) if norm[i] == "c"] == ["c"]
    assert len(where) == len(norm)


def test_edit_budget_grows_with_length_and_is_capped() -> None:
    assert max_edits(5) == 1 and max_edits(100) == 10 and max_edits(10_000) == 40
