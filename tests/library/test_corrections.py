"""The user's corrections of a paper's metadata: shown everywhere, searchable, kept over re-parses, undoable."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import ALAM, SAMPLES
from reader.errors import LibraryError
from reader.library import Library
from reader.library.corrections import parse_names
from reader.model import Name, paper_id_for

ALAM_ID = paper_id_for(ALAM.read_bytes())
ALAM_TITLE = "Pakistan's Role in Afghan Peace Process: An Analysis"  # as printed on the sample's first line


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib")
    lib.import_paths([SAMPLES])
    yield lib
    lib.close()


def _hits(library: Library, query: str) -> list[str]:
    library.ensure_index()  # corrections reach the index with the next catch-up
    return [h.paper_id for h in library.search(query)]


def test_a_correction_shows_in_the_list_the_paper_and_search(library: Library) -> None:
    # the sample text prints no year and no venue: the parser cannot know them
    assert library.entry(ALAM_ID).year is None
    entry = library.correct_metadata(ALAM_ID, {
        "year": 2024, "venue": "Journal of Peace Studies",
        "authors": [Name("Alam", "Javed"), Name("Mustafa", "Ghulam"), Name(literal="Peace Institute")]})
    assert (entry.year, entry.venue, entry.first_author) == (2024, "Journal of Peace Studies", "alam")
    listed = {e.id: e for e in library.entries("year")}[ALAM_ID]
    assert (listed.year, listed.authors) == (2024, ["Javed Alam", "Ghulam Mustafa", "Peace Institute"])
    paper = library.paper(ALAM_ID)
    assert (paper.year, paper.venue, paper.title) == (2024, "Journal of Peace Studies", ALAM_TITLE)
    assert paper.authors[2] == Name(literal="Peace Institute")
    assert _hits(library, "year:2024") == [ALAM_ID]
    assert _hits(library, "venue:peace") == [ALAM_ID]
    assert _hits(library, "author:institute") == [ALAM_ID]


def test_corrections_survive_reparsing_and_a_new_process(library: Library, tmp_path: Path) -> None:
    library.correct_metadata(ALAM_ID, {"title": "  Pakistan and the Afghan   peace process ", "year": "2024"})
    library.reindex()  # every paper parsed again from its source
    assert library.paper(ALAM_ID).title == "Pakistan and the Afghan peace process"  # spaces folded
    library.close()
    again = Library.open(tmp_path / "lib")
    try:
        assert (again.entry(ALAM_ID).title, again.entry(ALAM_ID).year) == ("Pakistan and the Afghan peace process",
                                                                          2024)
        assert _hits(again, "title:afghan title:peace") == [ALAM_ID]
    finally:
        again.close()


def test_taking_a_correction_back_shows_the_parsed_value(library: Library) -> None:
    library.correct_metadata(ALAM_ID, {"title": "Another title", "year": 2024})
    entry = library.correct_metadata(ALAM_ID, {"title": None})
    assert (entry.title, entry.year) == (ALAM_TITLE, 2024)
    assert library.corrections(ALAM_ID) == {"year": 2024}
    assert library.paper(ALAM_ID).title == ALAM_TITLE
    assert _hits(library, '"another title"') == []


def test_the_cache_keeps_what_the_parser_read(library: Library) -> None:
    library.correct_metadata(ALAM_ID, {"year": 2024})
    assert library.folder.read_cache(ALAM_ID).year is None


@pytest.mark.parametrize("changes, words", [
    ({"year": "20x1"}, "not a year"),
    ({"year": 3024}, "not a plausible year"),
    ({"title": "   "}, "cannot be empty"),
    ({"doi": "doi.org/nothing"}, "not a DOI"),
    ({"authors": [Name(given="Javed")]}, "family name"),
    ({"pages": "1-2"}, "not a field"),
])
def test_a_value_that_is_not_one_changes_nothing(library: Library, changes: dict, words: str) -> None:
    before = library.entry(ALAM_ID)
    with pytest.raises(LibraryError, match=words):
        library.correct_metadata(ALAM_ID, {"venue": "Kept?", **changes})
    assert library.entry(ALAM_ID) == before and library.corrections(ALAM_ID) == {}


def test_a_doi_is_kept_without_its_resolver_prefix(library: Library) -> None:
    assert library.correct_metadata(ALAM_ID, {"doi": "https://doi.org/10.1234/jps.7"}).doi == "10.1234/jps.7"
    assert library.correct_metadata(ALAM_ID, {"doi": "doi: 10.1234/jps.8"}).doi == "10.1234/jps.8"


def test_corrections_come_back_with_a_removed_paper(library: Library) -> None:
    # like highlights: what the reader made of a paper is theirs, not the file's
    library.correct_metadata(ALAM_ID, {"year": 2024})
    library.remove(ALAM_ID)
    library.import_paths([ALAM])
    assert library.entry(ALAM_ID).year == 2024 and library.paper(ALAM_ID).year == 2024


def test_a_damaged_correction_row_does_not_stop_the_paper_opening(library: Library) -> None:
    library.correct_metadata(ALAM_ID, {"year": 2024, "venue": "Journal of Peace Studies"})
    db = sqlite3.connect(library.folder.catalog)
    db.execute("UPDATE corrections SET value = '{not json' WHERE field = 'year'")
    db.commit()
    db.close()
    paper = library.paper(ALAM_ID)
    assert (paper.year, paper.venue) == (None, "Journal of Peace Studies")


def test_a_read_only_library_refuses_corrections(library: Library) -> None:
    library.close()
    ro = Library(library.root, read_only=True)
    try:
        with pytest.raises(LibraryError, match="read-only"):
            ro.correct_metadata(ALAM_ID, {"year": 2024})
    finally:
        ro.close()


def test_names_as_people_type_them() -> None:
    assert parse_names("Alam, Javed; Ghulam Mustafa;  {World Health Organization} ; van der Berg, Jan;") == [
        Name("Alam", "Javed"), Name("Mustafa", "Ghulam"), Name(literal="World Health Organization"),
        Name("van der Berg", "Jan")]
    assert parse_names("Plato") == [Name("Plato", "")]
