"""Highlights in a library: kept across restarts, placed again when the text changes, found by search."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ALAM, SAMPLES
from reader.library import Library


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib")
    library.import_paths([SAMPLES])
    yield library
    library.close()


def _alam(lib: Library) -> str:
    return next(e.id for e in lib.entries() if e.source_name == ALAM.name)


def _rewrite_text(lib: Library, paper_id: str, change) -> str:
    """Change the cached paper's text as a new parser might (same version number: the text is what counts)."""
    cache = lib.folder.paper_dir(paper_id) / "paper.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["text"] = change(data["text"])
    cache.write_text(json.dumps(data), encoding="utf-8")
    return data["text"]


def test_a_highlight_survives_a_restart(lib: Library) -> None:
    pid = _alam(lib)
    h = lib.add_highlight_by_quote(pid, "the Durand Line", color="green", note="border")
    lib.close()
    with Library.open(lib.root) as again:
        [back] = again.highlights_for(pid)
        assert back.to_json() == h.to_json()


def test_highlights_follow_their_words_when_the_text_changes(lib: Library) -> None:
    pid = _alam(lib)
    moved = lib.add_highlight_by_quote(pid, "One of the main challenges")
    doomed = lib.add_highlight_by_quote(pid, "This border has caused a huge gap")
    text = _rewrite_text(lib, pid, lambda t: "A running header\n\n" + t.replace(
        "This border has caused a huge gap in several securityrelated areas between Pakistan and Afghanistan.", ""))
    placed = {h.id: h for h in lib.highlights_for(pid)}
    assert placed[moved.id].anchor == "moved"
    assert text[placed[moved.id].start:placed[moved.id].end] == "One of the main challenges"
    assert placed[doomed.id].anchor == "orphaned"  # its words are gone: kept, marked, never guessed
    assert [h.id for h in lib.highlights_for(pid)][-1] == doomed.id  # orphans listed last
    # saved: a second look finds them placed already
    stored = {h.id: h for h in lib.highlights.for_paper(pid)}
    assert stored[moved.id].start == placed[moved.id].start and stored[moved.id].anchor == "moved"


def test_notes_and_highlighted_words_are_searchable(lib: Library) -> None:
    pid = _alam(lib)
    assert lib.search("notes:frontier") == []
    h = lib.add_highlight_by_quote(pid, "the Durand Line", note="the frontier question")
    assert lib.catch_up() == 1  # searchable once indexed (the window and `litreader search` catch up)
    assert [hit.paper_id for hit in lib.search("notes:frontier")] == [pid]
    assert [hit.paper_id for hit in lib.search("frontier")] == [pid]  # notes are a default field
    lib.remove_highlight(h.id)
    lib.catch_up()
    assert lib.search("notes:frontier") == []


def test_removing_a_paper_keeps_its_highlights(lib: Library) -> None:
    pid = _alam(lib)
    h = lib.add_highlight_by_quote(pid, "the Durand Line")
    lib.remove(pid)
    assert [x.id for x in lib.highlights.for_paper(pid)] == [h.id]
    lib.import_paths([ALAM])
    assert [x.id for x in lib.highlights_for(pid)] == [h.id]


def test_undo_a_removal(lib: Library) -> None:
    pid = _alam(lib)
    h = lib.add_highlight_by_quote(pid, "the Durand Line", note="n")
    removed = lib.remove_highlight(h.id)
    lib.restore_highlight(removed)
    assert [x.to_json() for x in lib.highlights_for(pid)] == [h.to_json()]


def test_importing_an_older_export_never_reverts_newer_edits(lib: Library) -> None:
    """Issue 14 item 3: the copy modified later wins, and the report says what happened to each."""
    from reader.highlights.export import read_annotations

    pid = _alam(lib)
    h = lib.add_highlight_by_quote(pid, "the Durand Line", color="green", note="first thoughts")
    exported = json.loads(lib.export_highlights([pid], "json")[0])
    annotation = exported["first"]["items"][0]
    lib.update_highlight(h.id, note="second thoughts", color="blue")

    annotation["modified"] = "2001-01-01T00:00:00+00:00"  # an export older than the edit
    report, unknown = lib.import_highlights(read_annotations(exported))
    assert (report.added, report.updated, report.kept_newer, report.unchanged) == (0, 0, 1, 0)
    assert unknown == []
    [kept] = lib.highlights_for(pid)
    assert (kept.note, kept.color) == ("second thoughts", "blue")

    annotation["modified"] = "2999-01-01T00:00:00Z"  # made later elsewhere: it wins
    annotation["body"][0]["value"] = "third thoughts"
    report, _ = lib.import_highlights(read_annotations(exported))
    assert (report.added, report.updated, report.kept_newer, report.unchanged) == (0, 1, 0, 0)
    [updated] = lib.highlights_for(pid)
    assert (updated.note, updated.color) == ("third thoughts", "green")

    report, _ = lib.import_highlights(read_annotations(exported))  # the same again
    assert (report.added, report.updated, report.kept_newer, report.unchanged) == (0, 0, 0, 1)

    lib.remove_highlight(h.id)
    report, _ = lib.import_highlights(read_annotations(exported))
    assert (report.added, report.updated, report.kept_newer, report.unchanged) == (1, 0, 0, 0)
    assert report.summary() == "1 added, 0 updated, 0 kept (the library's copy is newer), 0 unchanged"
