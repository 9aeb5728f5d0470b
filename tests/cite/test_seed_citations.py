"""The PDF-extracted seed paper: every in-text citation found and linked as a reader checks it by hand.

Each expected entry below was looked up in the seed's reference list by the author and year printed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.cite.link import citing_places, uncited_references
from reader.ingest import load_paper

SEED = Path(__file__).resolve().parents[2] / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"

# (marker as printed, the reference entry it cites by its opening words, or None when the list has no entry)
EXPECTED = [
    ("(Shahbaz, 2023)", "Shahbaz, M. (2023)"),
    ("(Bolsinger et al., 2024)", "Bolsinger, D. I. (2024)"),
    ("(Jamal, 2021)", None),
    ("(Ullah et al., 2023)", "Ullah, A., Sulaiman, S., & Bukhari"),
    ("(Abdul, 2023)", None),
    ("(Warraich et al., 2023)", "Warraich, S. K."),
    ("(Hussain 2023)", "Hussain,.(2023,) Pakistan mosque bombing"),
    ("(Haidari, 2024)", "Haidari, M. (2024)"),
    ("(Khalid et al., 2023)", "Khalid, A., Hussain"),
    ("(Khan et al., 2023)", "Khan, M. K. U., & Bakar, O. (2023)"),
    ("(Khan, 2023)", "Khan, M. K. U., & Bakar, O. (2023)"),
    ("(Tahir, 2023)", "Tahir, J. (2023)"),
    ("(Elahi et al., 2023)", "Elahi, M. M."),
    ("(Youhana, 2023)", "Youhana, A. (2023)"),
    ("(Hussain et al., 2023)", "Hussain, S. S., & Khan, M. A. (2023)"),
    ("(Umami et al., 2023)", "Umami, L., & Cipto, B. (2023)"),
    ("(Chawla, 2023)", "Chawla, S. (Ed.). (2023)"),
    ("(Akhtar et al., 2023)", "Akhtar, S., & Ahmed, Z. S. (2023)"),
    ("(Akhtar, 2024)", "Akhtar, N., & Ullah, B. (2024)"),
    ("(Imran et al., 2024)", "Imran, M., Saeed"),
    ("(Abbas, 2023)", "Abbas, H. (2023)"),
    ("(Abbas, 2023)", "Abbas, H. (2023)"),
    ("(Ahmad, 2023)", None),
    ("Ali (2020)", None),
    ("(Akhtar, 2024)", "Akhtar, N., & Ullah, B. (2024)"),
    ("(Manisha, 2023)", "Manisha, P.(2023, July 4)"),
    ("(Ullah, 2023)", "Ullah, A., Sulaiman, S., & Bukhari"),
    ("(Akhtar, 2023)", "Akhtar, S., & Ahmed, Z. S. (2023)"),
    ("(Aslam, 2023)", "Aslam, W. (2023)"),
    ("(Bibi et al., 2024)", "Bibi, H., Khan, M. D., & Saeed, S. (2024)"),
    ("(Bibi et al., 2024)", "Bibi, H., Khan, M. D., & Saeed, S. (2024)"),
    ("(Bano et al., 2024)", "Bano, G., Razzaq"),
    ("(Ahmad et al., 2024)", "Ahmad, R., Tahir, M., Jabeen, S., & Khanam, A. (2024)"),
    ("(Ahmad et al., 2024)", "Ahmad, R., Tahir, M., Jabeen, S., & Khanam, A. (2024)"),
    ("(United Nations official, 2022)", None),
    ("(Jadoon, 2024)", "Jadoon, A., & Lucas, C. (2024)"),
]


@pytest.fixture(scope="module")
def paper():
    return load_paper(SEED)


def test_every_marker_found_and_nothing_else(paper):
    assert [c.text for c in paper.citations] == [marker for marker, _ in EXPECTED]
    for c in paper.citations:
        assert paper.text[c.start:c.end] == c.text
        assert c.style == "author-year" and len(c.items) == 1


def test_each_marker_links_to_the_right_entry(paper):
    raw = {r.id: r.raw for r in paper.references}
    for citation, (marker, entry) in zip(paper.citations, EXPECTED):
        item = citation.items[0]
        if entry is None:
            assert item.status == "unresolved" and item.refs == [], marker
        else:
            assert item.status == "resolved", marker
            assert len(item.refs) == 1 and raw[item.refs[0]].startswith(entry), (marker, raw[item.refs[0]][:60])
    assert sum(c.items[0].status == "resolved" for c in paper.citations) == 31


def test_unresolved_ahmad_2023_suggests_the_2024_entry(paper):
    ahmad = next(c for c in paper.citations if c.text == "(Ahmad, 2023)")
    raw = {r.id: r.raw for r in paper.references}
    assert [raw[r][:30] for r in ahmad.items[0].suggestions] == ["Ahmad, R., Tahir, M., Jabeen, "]


def test_entries_know_their_citing_places(paper):
    places = citing_places(paper)
    akhtar = next(r for r in paper.references if r.raw.startswith("Akhtar, N., & Ullah, B. (2024)"))
    assert [c.text for c in places[akhtar.id]] == ["(Akhtar, 2024)", "(Akhtar, 2024)"]
    starts = [c.start for c in places[akhtar.id]]
    assert starts == sorted(starts) and starts[0] < starts[1]
    uncited = {r.raw.split("(")[0].strip() for r in uncited_references(paper)}
    assert uncited == {"UMAROV, A."}  # the one entry of the 25 that the text never cites
