"""The highlights store: every change saved at once, read back the same, migrations and errors clear."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.highlights import Highlight, HighlightError, HighlightStore
from reader.highlights.store import MIGRATIONS

TEXT = "Alpha beta gamma. The Durand Line separates Pakistan and Afghanistan. Omega."


@pytest.fixture
def store(tmp_path: Path) -> HighlightStore:
    s = HighlightStore(tmp_path / "library.sqlite")
    yield s
    s.close()


def _new(start: int, end: int, **kw) -> Highlight:
    return Highlight.new("paper1", TEXT, start, end, **kw)


def test_a_new_highlight_keeps_its_words_and_context() -> None:
    h = _new(22, 33, color="blue", note="the border")
    assert h.quote == "Durand Line"
    assert h.prefix == TEXT[0:22] and h.suffix == TEXT[33:65]  # up to 32 characters each side
    assert len(h.suffix) == 32 and h.created == h.modified and len(h.id) == 36


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 3), (10, 500)])
def test_a_highlight_needs_a_span_inside_the_text(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        _new(start, end)


def test_unknown_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown colour 'red'"):
        _new(0, 5, color="red")


def test_saved_the_moment_the_call_returns(store: HighlightStore, tmp_path: Path) -> None:
    h = store.add(_new(22, 33, note="n", tags=["a", "b"]))
    other = sqlite3.connect(tmp_path / "library.sqlite")  # another connection, as another process would
    assert other.execute("SELECT quote, note, tags FROM highlights").fetchall() == [("Durand Line", "n", '["a", "b"]')]
    other.close()
    assert store.get(h.id).to_json() == h.to_json()
    assert store.get(h.id[:8]).id == h.id


def test_document_order_update_remove_and_undo(store: HighlightStore) -> None:
    late, early = store.add(_new(34, 43)), store.add(_new(0, 5))
    assert [h.id for h in store.for_paper("paper1")] == [early.id, late.id]
    changed = store.update(late.id, color="pink", note="new note", tags=["x"])
    assert (changed.color, changed.note, changed.tags) == ("pink", "new note", ["x"])
    assert store.get(late.id).note == "new note"
    removed = store.remove(late.id)
    assert [h.id for h in store.for_paper("paper1")] == [early.id]
    store.add(removed)  # undo
    assert store.get(late.id).to_json() == removed.to_json()
    with pytest.raises(HighlightError, match="no such highlight"):
        store.remove("00000000-nope")


def test_notes_keep_every_character(store: HighlightStore) -> None:
    note = "**bold** <b>html</b> \"quotes\" 'single'\nline two\n\n😀 emoji · עברית right-to-left · =1+1"
    h = store.add(_new(0, 5, note=note))
    assert store.get(h.id).note == note


def test_migrations_are_recorded_and_a_newer_store_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    HighlightStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM highlights_schema").fetchall() == [(len(MIGRATIONS),)]
    db.execute("UPDATE highlights_schema SET version = 99")
    db.commit()
    db.close()
    with pytest.raises(HighlightError, match="newer litreader"):
        HighlightStore(path)


def test_a_read_only_store_refuses_writes_clearly(store: HighlightStore, tmp_path: Path) -> None:
    store.add(_new(0, 5))
    store.close()
    ro = HighlightStore(tmp_path / "library.sqlite", read_only=True)
    assert len(ro.for_paper("paper1")) == 1
    with pytest.raises(HighlightError, match="read-only"):
        ro.add(_new(6, 10))
    ro.close()


def test_a_full_disk_is_a_clear_error_and_loses_nothing(store: HighlightStore) -> None:
    kept = store.add(_new(0, 5))
    store._db.execute("PRAGMA max_page_count = 1")  # as good as a full disk for this connection
    page_count = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {page_count}")
    with pytest.raises(HighlightError, match="cannot save highlights"):
        store.add(_new(6, 10, note="x" * 200_000))
    assert [h.id for h in store.for_paper("paper1")] == [kept.id]


def test_an_edit_in_the_same_second_still_moves_modified_on(store: HighlightStore, monkeypatch) -> None:
    """Stamps count seconds: an edit made within the second the highlight was saved (or synced from Zotero) must
    still read as later, or a sync that compares stamps takes the reader's note for unchanged and overwrites it."""
    import reader.highlights.store as store_module

    h = store.add(_new(22, 33, note="first"))
    monkeypatch.setattr(store_module, "now_iso", lambda: h.modified)  # the clock has not moved to the next second
    first = store.update(h.id, note="second")
    second = store.update(h.id, note="third")
    assert h.modified < first.modified < second.modified
    assert store.get(h.id).modified == second.modified and store.get(h.id).note == "third"
