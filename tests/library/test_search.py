"""Searching: the issue's example queries on the sample papers, snippets that mark the words, the offset."""
from __future__ import annotations

import pytest

from reader.errors import QueryError
from reader.library import Library


def _ids(library: Library, query: str) -> list[str]:
    return [hit.paper_id for hit in library.search(query)]


def test_a_phrase_finds_both_sample_papers(sample_library: Library, sample_ids: dict[str, str]) -> None:
    # both papers write "Durand Line" (Alam: "is the Durand Line, which separates"; Gadi: "the Durand line by")
    assert sorted(_ids(sample_library, '"durand line"')) == sorted(sample_ids.values())


def test_field_queries(sample_library: Library, sample_ids: dict[str, str]) -> None:
    assert _ids(sample_library, "author:gadi") == [sample_ids["gadi"]]
    assert _ids(sample_library, "author:alam") == [sample_ids["alam"]]
    assert _ids(sample_library, "year:2023") == [sample_ids["gadi"]]  # the Alam text prints no year
    assert _ids(sample_library, "year:[2020 TO 2023]") == [sample_ids["gadi"]]
    assert _ids(sample_library, "year:[1990 TO 2000]") == []
    assert _ids(sample_library, "title:withdrawal") == [sample_ids["gadi"]]


def test_fuzzy_prefix_and_stemmed_terms(sample_library: Library, sample_ids: dict[str, str]) -> None:
    assert sorted(_ids(sample_library, "taliban~")) == sorted(sample_ids.values())
    assert sample_ids["alam"] in _ids(sample_library, "talibn~")  # one letter missing
    # Alam writes "back to the negotiating table": a prefix and a different form of the word both find it
    assert sample_ids["alam"] in _ids(sample_library, "negot*")
    assert sample_ids["alam"] in _ids(sample_library, "negotiation")


def test_words_are_anded(sample_library: Library, sample_ids: dict[str, str]) -> None:
    assert _ids(sample_library, "durand zzyzzx") == []
    assert _ids(sample_library, "durand OR zzyzzx") != []


def test_snippet_marks_the_hit_and_offset_points_into_the_text(sample_library: Library) -> None:
    for hit in sample_library.search('"durand line"'):
        assert hit.marks, hit
        marked = {hit.snippet[s:e].lower() for s, e in hit.marks}
        assert marked <= {"durand", "line"} and "durand" in marked
        text = sample_library.paper(hit.paper_id).text
        assert text[hit.offset:hit.offset + 6].lower() == "durand"
        assert len(hit.snippet) < 400


def test_a_hit_outside_the_body_still_has_a_snippet(sample_library: Library) -> None:
    [hit] = sample_library.search("author:gadi")
    assert hit.snippet.startswith("Against all Expectations")
    assert hit.offset is None and hit.marks == []
    assert hit.title.startswith("Against all Expectations") and hit.authors == ["Ido Gadi"] and hit.year == 2023


@pytest.mark.parametrize(("query", "message"), [
    ("", "empty"),
    ('"durand line', "quote is not closed"),
    ("autor:gadi", "no field called 'autor'"),
])
def test_bad_queries_say_what_is_wrong(sample_library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        sample_library.search(query)


def test_a_pasted_sentence_with_a_colon_is_not_a_field_query(sample_library: Library,
                                                            sample_ids: dict[str, str]) -> None:
    assert sample_ids["alam"] in _ids(sample_library, "Abstract: The strong social, cultural, religious")


def test_limit(sample_library: Library) -> None:
    assert len(sample_library.search("pakistan", limit=1)) == 1
    assert len(sample_library.search("pakistan", limit=10)) == 2


def test_a_pasted_chemical_ratio_is_text_not_a_field(sample_library: Library) -> None:
    assert sample_library.search("CHCl3:methanol extraction") == []  # words, not a field called CHCl3


def test_snippets_for_the_first_hits_now_and_the_others_later(sample_library: Library) -> None:
    """The window shows its first rows before it reads the others' snippets: the same snippets in the end."""
    whole = sample_library.search('"durand line"')
    assert len(whole) == 2 and all(hit.snippet and hit.marks for hit in whole)
    first = sample_library.search('"durand line"', snippets=1)
    assert [h.paper_id for h in first] == [h.paper_id for h in whole]
    assert (first[0].snippet, first[0].marks, first[0].offset) == (whole[0].snippet, whole[0].marks, whole[0].offset)
    assert first[1].snippet == "" and first[1].marks == [] and first[1].offset is None
    later = sample_library.add_snippets('"durand line"', first[1:])
    assert (later[0].snippet, later[0].marks, later[0].offset) == (whole[1].snippet, whole[1].marks, whole[1].offset)
    assert first[1].snippet == ""  # copies: a hit the window shows is never changed under it


@pytest.mark.parametrize("query", ['"durand line"', "taliban", "durand line", "pashtun afghanistan",
                                   "negot*", "title:withdrawal", "durand OR taliban"])
def test_snippets_made_from_the_postings_the_search_read_are_the_ones_read_from_the_index(
        sample_library: Library, query: str) -> None:
    """A search makes its snippets from the positions its matchers already read (phrases.postings_read);
    add_snippets reads them from the index: the same snippets, marks and offsets."""
    hits = sample_library.search(query)
    assert hits
    again = sample_library.add_snippets(query, hits)
    assert [(h.snippet, h.marks, h.offset) for h in hits] == [(h.snippet, h.marks, h.offset) for h in again]
    assert any(h.marks for h in hits) or query.startswith("title:")  # a title query marks no body words


def test_a_phrase_snippet_shows_the_phrase_not_the_densest_cluster_of_its_words(tmp_path) -> None:
    """The phrase's words crowd together in one paragraph ("used ... performed ... using ..."), but only
    the methods sentence holds them in a row: the snippet shows that sentence, its words marked."""
    filler = ("The leaves were collected in spring from three sites along the river bank. Each sample was "
              "dried in the shade for two weeks, ground to a fine powder and stored in sealed jars. ")
    text = ("# Column Chromatography of Plant Extracts\n\nJane Doe\n\n## Methods\n\n"
            "The extraction was performed using a silica column at room temperature.\n\n"
            + filler * 6 + "\n\n## Discussion\n\n"
            "Other groups used ethanol and performed the steps twice, using heat; we performed them once, "
            "used cold solvent and performed checks using a balance, as others performed and used before.\n\n"
            + filler * 6)
    papers = tmp_path / "in"
    papers.mkdir()
    (papers / "doe-columns.md").write_text(text, encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    try:
        assert library.import_paths([papers]).count("imported") == 1
        [hit] = library.search('"was performed using"')
        assert "extraction was performed using a silica column" in hit.snippet
        # "was" is indexed (only a few words are too common to be), so the phrase is its three words
        assert [hit.snippet[s:e] for s, e in hit.marks] == ["was", "performed", "using"]
        paper_text = library.paper(hit.paper_id).text
        assert paper_text[hit.offset:].startswith("was performed using a silica column")
        # a word typed beside the phrase is marked where it falls in the snippet, the phrase still shown
        [hit] = library.search('"was performed using" silica')
        assert "performed using a silica" in hit.snippet
        assert [hit.snippet[s:e] for s, e in hit.marks] == ["was", "performed", "using", "silica"]
    finally:
        library.close()
