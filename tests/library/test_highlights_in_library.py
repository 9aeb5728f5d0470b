"""Highlights in a library: kept across restarts, placed again when the text changes, found by search."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ALAM, SAMPLES
from reader.highlights import Highlight
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


def test_the_in_process_pool_waits_when_it_has_nothing_to_report(tmp_path: Path) -> None:
    """A catch-up does its few papers in this process and commits in a thread. Its pool's poll() returned at
    once, so the loop spun, and the commit thread waited for the GIL at each of its reads: the catch-up after
    removing a highlight (the test above) took 110 s instead of under one."""
    import time

    from reader.library.folder import LibraryFolder
    from reader.library.workers import InlinePool

    pool = InlinePool(LibraryFolder(tmp_path / "lib"))
    start = time.monotonic()
    assert pool.poll(timeout=0.2) == []
    assert time.monotonic() - start >= 0.15


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


def _damage_a_note_and_a_title(lib: Library) -> tuple[str, Highlight, Highlight]:
    """Two highlights; bytes that are not UTF-8 written into one's note and into the paper's title (the
    library closed), with integrity_check still "ok"."""
    import sqlite3

    pid = _alam(lib)
    good = lib.add_highlight_by_quote(pid, "the Durand Line", note="fine")
    bad = lib.add_highlight_by_quote(pid, "Afghanistan", note="to be damaged")
    lib.close()
    with sqlite3.connect(lib.root / "library.sqlite") as db:
        db.execute("UPDATE highlights SET note = CAST(X'6e6f7465ff20fe' AS TEXT) WHERE id = ?", (bad.id,))
        db.execute("UPDATE papers SET title = CAST(X'5469746c65c3' AS TEXT) WHERE id = ?", (pid,))
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    return pid, good, bad


def test_a_damaged_note_is_put_back_from_the_journal(lib: Library) -> None:
    """Issue 14 item 6: a note damaged in the database (integrity_check "ok") is noticed at the next start,
    by comparing with the journal of changes, and put back as the reader wrote it; the notice says so."""
    pid, good, bad = _damage_a_note_and_a_title(lib)
    with Library.open(lib.root) as again:
        assert any("1 highlights and the notes, tags or corrections of 0 papers were damaged" in n
                   for n in again.notices), again.notices
        listed = {h.id: h for h in again.highlights_for(pid)}
        assert {k: h.note for k, h in listed.items()} == {good.id: "fine", bad.id: "to be damaged"}
        assert again.highlights.damaged == {}
    with Library.open(lib.root) as third:  # repaired for good: nothing to say the next time
        assert third.notices == []


def test_a_damaged_row_is_shown_as_far_as_it_can_be_read(lib: Library, tmp_path: Path) -> None:
    """Issue 14 item 6: bytes that are not UTF-8 in a note (integrity_check still "ok") or a title hide
    nothing, also with no journal to repair them from: every highlight is listed and exported, the damaged
    one named; the paper is listed."""
    import subprocess
    import sys

    pid, good, bad = _damage_a_note_and_a_title(lib)
    (lib.root / "library.journal").unlink()  # a library from before the journal, or one copied without it
    with Library.open(lib.root) as again:
        listed = {h.id: h for h in again.highlights_for(pid)}
        assert set(listed) == {good.id, bad.id}
        assert listed[good.id].note == "fine" and listed[bad.id].note == "note\ufffd \ufffd"
        assert "note" in again.highlights.damaged[bad.id] and good.id not in again.highlights.damaged
        markdown = again.export_highlights([pid], "markdown")[0].decode()
        assert "**Note:** fine" in markdown and "**Note:** note\ufffd \ufffd" in markdown
        [entry] = [e for e in again.entries() if e.id == pid]
        assert entry.title == "Title\ufffd" and "damaged" in entry.warnings[-1]
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "reader", "highlights", "list", "--library", str(lib.root), pid],
                          capture_output=True, text=True, cwd=repo, timeout=120)
    assert proc.returncode == 0 and "internal error" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 2 and f"highlight {bad.id}: damaged in the database (note)" in proc.stderr
    for fmt in ("markdown", "json", "csv"):  # an export names the damaged highlight too
        proc = subprocess.run([sys.executable, "-m", "reader", "highlights", "export", "--library", str(lib.root),
                               pid, "--format", fmt], capture_output=True, text=True, cwd=repo, timeout=120)
        assert proc.returncode == 0 and "fine" in proc.stdout
        assert f"highlight {bad.id}: damaged in the database (note)" in proc.stderr


def test_a_flipped_byte_in_the_wal_loses_no_acknowledged_highlight(lib: Library, tmp_path: Path) -> None:
    """Issue 14 item 6: a process killed with its WAL holding acknowledged highlights, then a byte of that
    WAL flipped (SQLite drops the frame and all after it): every highlight is still there, because each
    user action is checkpointed into the database file before it is acknowledged."""
    import shutil

    pid = _alam(lib)
    made = [lib.add_highlight(pid, 100 + 40 * k, 120 + 40 * k, note=f"note {k}") for k in range(30)]
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):  # the files as a kill -9 leaves them (the library is still open)
        source = lib.root / f"library.sqlite{suffix}"
        if source.exists():
            shutil.copy2(source, crashed / source.name)
    wal = crashed / "library.sqlite-wal"
    if wal.exists() and wal.stat().st_size > 64:
        data = bytearray(wal.read_bytes())
        data[len(data) // 2] ^= 0xFF
        wal.write_bytes(bytes(data))
    (crashed / "library.sqlite-shm").unlink(missing_ok=True)  # rebuilt from the WAL on opening, as after a reboot
    from reader.highlights import HighlightStore

    store = HighlightStore(crashed / "library.sqlite")
    try:
        assert {h.id for h in store.for_paper(pid)} == {h.id for h in made}
    finally:
        store.close()
