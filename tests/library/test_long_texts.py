"""A text of millions of characters (a 50 MB one-line text, issue 14) is indexed by a worker that counts its
second half's words in a forked child: searched and shown exactly as a short paper is."""
from __future__ import annotations

from pathlib import Path

from conftest import ALAM
from reader.ingest import load_paper
from reader.library import Library, documents


def test_a_long_one_line_text_is_found_at_the_right_words_on_both_sides_of_the_cut(tmp_path: Path) -> None:
    one_line = " ".join(load_paper(ALAM).text.split())
    half = " ".join([one_line] * (documents.TWO_PROCESSES_FROM // len(one_line) // 2 + 1))
    # two words found nowhere else, side by side where the text is cut in two (at the first character no word
    # holds from its middle on: the space after "quokkas"), and a phrase found nowhere else near the end
    left, right = half, half + " The zanzibarite measurements closed the study."
    left += " " * max(0, len(right) + 6 - len(left))
    right += " " * max(0, len(left) - 6 - len(right))
    text = left + " quokkas photographed " + right
    assert text.index(" photographed") == len(text) // 2 and len(text) >= documents.TWO_PROCESSES_FROM
    source = tmp_path / "long.txt"
    source.write_text(text, encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    report = library.import_paths([source])
    assert not report.failed
    [hit] = library.search("zanzibarite")
    paper = library.paper(hit.paper_id)
    assert hit.offset is not None
    assert paper.text[hit.offset:hit.offset + len("zanzibarite")] == "zanzibarite"
    assert "zanzibarite measurements" in hit.snippet
    [start, end] = hit.marks[0]
    assert hit.snippet[start:end] == "zanzibarite"
    assert [h.paper_id for h in library.search('"zanzibarite measurements closed"')] == [hit.paper_id]
    [across] = library.search('"quokkas photographed"')  # one position after the other across the cut
    assert across.snippet[across.marks[0][0]:across.marks[-1][1]] == "quokkas photographed"


def test_only_a_worker_counts_in_two_processes() -> None:
    """The window's process never forks (Qt's threads are invisible to Python's threading module)."""
    assert documents._forking_allowed is False
