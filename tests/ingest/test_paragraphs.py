"""Page furniture, heading lines and line-end joins."""
from __future__ import annotations

import pytest

from reader.ingest.lines import Line
from reader.ingest.paragraphs import Vocabulary, drop_furniture, heading_level_of


def test_page_numbers_and_running_headers_go_but_the_title_stays():
    lines = [Line(t) for t in ["Sleep and Memory in Songbirds", "First page text.", "2",
                               "Sleep and Memory in Songbirds", "Second page text.", "3",
                               "Sleep and Memory in Songbirds", "Third page text.", "Page 4 of 9"]]
    assert [ln.text for ln in drop_furniture(lines)] == ["Sleep and Memory in Songbirds", "First page text.",
                                                         "Second page text.", "Third page text."]


def test_a_repeated_sentence_is_not_furniture():
    lines = [Line("The lack of trust appears to be an obstacle.")] * 3
    assert len(drop_furniture(lines)) == 3


@pytest.mark.parametrize("text, level", [
    ("Introduction", 1), ("2.1 Sampling design", 2), ("3.2.1. Statistics", 3), ("IV. RESULTS", 1),
    ("TTP's and the Afghan Taliban's fundamental alliance", 1),
    ("The relationship is tense.", 0), ("Figure 2. Reads per sample", 0), ("Smith J. 2012. A title", 0),
    ("this starts in lower case", 0), ("(Shahbaz, 2023)", 0),
])
def test_heading_lines(text, level):
    assert heading_level_of(text) == level


def test_line_end_joins():
    vocab = Vocabulary([Line("The state-of-the-art well-known method, a headstage and wireless links.")])
    assert vocab.join_pair("a wire-", "less link") == ("a wire", "")          # joined word seen elsewhere
    assert vocab.join_pair("the well-", "known case") == ("the well-", "")      # compound seen elsewhere
    assert vocab.join_pair("Pakistan-", "Afghanistan relations") == ("Pakistan-", "")  # capital after it
    assert vocab.join_pair("doi: 10.1016/j.", "cell.2010.01.001") == ("doi: 10.1016/j.", "")  # a DOI cut
    assert vocab.join_pair("ends here.", "Next line") == ("ends here.", " ")
