"""Issue 14 item 8: a text far longer than any paper (a 50 MB file with no line breaks) parses in seconds; what
it gives the reader, and the shortcuts that make it fast, each checked against the plain way."""
from __future__ import annotations

import random
import re
import sys

import pytest

import reader.ingest
from reader.ingest import load_bytes
from reader.ingest.builder import TextBuilder
from reader.ingest.text import _MD_ITALIC, _MD_UNDERSCORE_ITALIC

REFERENCE = "Huss, M. (2012). Extrapolating glacier mass balance to the mountain-range scale. The Cryosphere 6, 713-727."
SENTENCE = "The glaciers of the Alps lost a third of their volume since 1980 (Huss, 2012). "
PAPER = f"Glacier retreat in the Alps\n\nIntroduction\n\n{SENTENCE * 40}\n\nReferences\n\n{REFERENCE}\n".encode()


def test_a_paper_within_the_limit_has_its_citations_linked() -> None:
    paper = load_bytes(PAPER, "alps.txt")
    assert len(paper.citations) == 40
    assert all([(i.status, i.refs) for i in c.items] == [("resolved", ["r1"])] for c in paper.citations)
    assert paper.references[0].issued and paper.warnings == []


def test_a_text_longer_than_any_paper_is_read_but_its_citations_are_not_searched(monkeypatch) -> None:
    within = load_bytes(PAPER, "alps.txt")
    monkeypatch.setattr(reader.ingest, "MAX_CITED_TEXT", 1_000)
    paper = load_bytes(PAPER, "alps.txt")
    assert paper.citations == []
    assert paper.warnings == [f"citations were not linked and reference lists were kept as text: the text is "
                              f"{len(within.text):,} characters long, more than any paper (the limit is 1,000)"]
    # the same text; the reference list is a paragraph under its heading, not entries
    assert paper.text == within.text and paper.references == []
    assert [(b.kind, paper.text[b.start:b.end]) for b in paper.blocks[-2:]] == [("heading", "References"),
                                                                              ("paragraph", REFERENCE)]
    assert [b.kind for b in within.blocks[-2:]] == ["heading", "reference"]


def test_the_limit_is_far_above_a_long_paper() -> None:
    # a long review article is some 200,000 characters (the corpus's longest, elife02863, is 163,000)
    assert reader.ingest.MAX_CITED_TEXT >= 20 * 200_000


def _plain_italic(text: str) -> str:
    """The star rule as first written: the look-behind before the star."""
    return re.sub(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*\\])\*(?![\w*])", r"\1", text)


def _plain_underscore(text: str) -> str:
    return re.sub(r"(?<![\w\\])_(?=\S)([^_\n]{1,300}?)(?<=\S)_(?!\w)", r"\1", text)


def test_emphasis_marks_are_found_as_the_plain_rules_find_them() -> None:
    rng = random.Random(14)
    alphabet = "ab *_\\\n é*_1"
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _MD_ITALIC.sub(r"\1", text) == _plain_italic(text), text
        assert _MD_UNDERSCORE_ITALIC.sub(r"\1", text) == _plain_underscore(text), text
    assert _MD_ITALIC.sub(r"\1", "a *word* and 2*3*4, \\*not\\*") == "a word and 2*3*4, \\*not\\*"


def test_every_white_space_but_the_plain_space_is_unprintable() -> None:
    """The builder skips its regex on printable text without a double space: right only if this holds."""
    odd = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() and chr(c) != " "]
    assert len(odd) > 20 and not any(c.isprintable() for c in odd)


@pytest.mark.parametrize("piece, written", [
    ("a  b", "a b"), ("a\u00a0b", "a b"), ("a\u2029\u3000b", "a b"), ("naïve “text”", "naïve “text”"),
])
def test_the_builder_collapses_white_space(piece: str, written: str) -> None:
    b = TextBuilder()
    b.open_block()
    b.write(piece)
    b.close_block("paragraph")
    assert b.text() == written


def _plain_unheaded_list_at(paras):
    """The rule as first written: every "1." reads all the lines after it."""
    from reader.ingest.structure import _FIRST_LABEL, _LABEL, _YEAR
    for i in range(len(paras) - 1, 0, -1):
        if paras[i].heading_level or not _FIRST_LABEL.match(paras[i].first.text):
            continue
        expected, dated = 2, int(bool(_YEAR.search(paras[i].text)))
        for p in paras[i:]:
            for ln in p.lines:
                m = _LABEL.match(ln.text)
                if m and int(m.group(1)) == expected:
                    expected += 1
                    dated += bool(_YEAR.search(p.text))
            if expected > 5:
                return i if dated >= 3 else None
    return None


def test_an_unheaded_reference_list_is_found_where_the_plain_rule_finds_it() -> None:
    from reader.ingest.lines import Line
    from reader.ingest.paragraphs import Paragraph
    from reader.ingest.structure import _unheaded_list_at

    rng = random.Random(8)
    starts = ["1. Lee", "[1] Lee", "2. Kim", "[2] Kim", "3. Ode", "4. Ray", "5. Sun", "6. Tao", "7. Abe", "Text"]
    found = 0
    for _ in range(3_000):
        paras = []
        for _ in range(rng.randint(1, 12)):
            lines = [Line(f"{rng.choice(starts)} {rng.choice(['2004.', 'p.'])}") for _ in range(rng.randint(1, 4))]
            p = Paragraph(lines, heading_level=int(rng.random() < 0.1))
            p.text = " ".join(ln.text for ln in lines)
            paras.append(p)
        expected = _plain_unheaded_list_at(paras)
        assert _unheaded_list_at(paras) == expected
        found += expected is not None
    assert found > 100  # the lists found, not only the absences


def test_many_short_numbered_lists_cost_linear_time() -> None:
    """Numbered steps (1., 2., 3.) all through a long text: each "1." used to read every later line."""
    import time

    steps = "\n\n".join(f"{n}. Step {n} of the method is done with care." for n in (1, 2, 3))
    text = ("A long manual\n\n" + "\n\n".join([steps] * 6_000)).encode()
    start = time.process_time()
    paper = load_bytes(text, "manual.txt")
    assert paper.references == [] and len(paper.blocks) > 15_000
    assert time.process_time() - start < 10  # quadratic, it took minutes


def test_a_text_with_no_sentence_end_is_not_one_giant_paragraph() -> None:
    """The pieces of a line with no full stop are joined again (the sentence goes on), up to a paragraph longer
    than any printed one; so are lines with no blank line between them."""
    from reader.ingest.paragraphs import MAX_PARAGRAPH

    lines = "".join(f"a line of words, the {n}th\n" for n in range(12_000))  # (lines that repeat are furniture)
    for data in (("word " * 60_000).encode(), lines.encode()):
        paper = load_bytes(data, "words.txt")
        paragraphs = [paper.text[b.start:b.end] for b in paper.blocks if b.kind == "paragraph"]
        assert len(paragraphs) >= len(data) // MAX_PARAGRAPH
        assert all(len(p) <= MAX_PARAGRAPH + 4000 for p in paragraphs)
        assert " ".join(paper.text[b.start:b.end] for b in paper.blocks).split() == data.decode().split()
