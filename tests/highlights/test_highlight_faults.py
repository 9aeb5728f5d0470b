"""Faults highlights must survive: a process killed while adding, two processes adding at once, a read-only
library, a full disk, notes full of awkward characters going through every export and back, and a damaged
database restored from its backup.

Each test checks what the user relies on afterwards (every confirmed highlight there, with its note and
colour; the database passing ``PRAGMA integrity_check``; a clear one-line error), not only that nothing raised.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import types
from datetime import date, datetime, timedelta
from pathlib import Path

import pymupdf
import pytest
from highlight_helpers import (
    ADD_LOOP,
    ADD_TOGETHER,
    ALAM,
    GADI,
    PALETTE,
    child,
    copy_library,
    deny_writes_under,
    files_under,
    integrity,
    loop_note,
    loop_span,
)

import reader.library.library as library_module
from reader import cli
from reader.errors import LibraryError
from reader.highlights import Highlight, HighlightError, HighlightStore, safety
from reader.highlights.export import PaperHighlights, to_markdown
from reader.highlights.safety import backup_if_due, is_healthy
from reader.ingest import load_paper
from reader.library import Library
from reader.model import paper_id_for

ALAM_ID = paper_id_for(ALAM.read_bytes())
GADI_ID = paper_id_for(GADI.read_bytes())
DEADLINE = 60.0  # a child that takes this long is hung: it is killed and the test fails
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Notes a user might write or paste: Markdown, HTML, quotes, newlines, emoji (with joiners and flags),
# right-to-left text, tabs, control characters (no NUL), and starts a spreadsheet would read as a formula.
NOTES = [
    ("=SUM(A1:A2) starts like a formula\n**bold** _em_ `code` [link](https://example.org) ~~struck~~\n"
     "<b>html</b> &amp; <script>alert('x')</script>\n\"double\" 'single' “curly” «guillemets»\n"
     "\tindented with a tab\nemoji 😀 👩‍👩‍👧 🇵🇰 · right-to-left: עברית العربية\n\n"
     "bell\x07 escape\x1b unit-separator\x1f here\n> not a quote\n# not a heading\n---\nlast line"),
    "\tstarts with a tab, then a comma, and \"quotes\"",
    "-5 is a minus sign first\nand a second line",
    "@mention first; +1",
    "plain note, with a comma",
    "",  # no note at all
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding the two sample papers, closed; tests copy it."""
    root = tmp_path_factory.mktemp("template") / "lib"
    with Library.open(root) as lib:
        report = lib.import_paths([ALAM, GADI])
        assert report.count("imported") == 2, report.results
    assert not Path(str(root / "library.sqlite") + "-wal").exists()  # closed cleanly: one file holds it all
    return root


def _stored(root: Path, paper_id: str = ALAM_ID) -> dict[str, Highlight]:
    with Library.open(root) as lib:
        assert lib.notices == []
        return {h.id: h for h in lib.highlights_for(paper_id)}


def _trample_a_middle_page(db: Path, fill: bytes) -> bytes:
    """Overwrite one whole page in the middle of a closed database file; returns the damaged bytes."""
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert int.from_bytes(data[36:40], "big") == 0  # no free pages: the trampled page is one in use
    middle = len(data) // page_size // 2  # 0-based: never page 1 (the header)
    assert middle >= 1
    data[middle * page_size:(middle + 1) * page_size] = fill * page_size
    db.write_bytes(bytes(data))
    return bytes(data)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process; (exit status, stdout, stderr)."""
    capsys.readouterr()
    status = cli.main([*args])
    out, err = capsys.readouterr()
    return status, out, err


# --- 1. kill -9 in the middle of adding ---


@pytest.mark.parametrize(("kill_after", "pause"), [(1, 0.0), (13, 0.0015), (48, 0.004)])
def test_kill_9_while_adding_loses_no_confirmed_highlight(template: Path, tmp_path: Path, kill_after: int,
                                                           pause: float) -> None:
    """A process adding highlights in a loop is killed (SIGKILL) at some moment: every highlight it had
    confirmed (printed after the add returned) is there with its note and colour, at most the one in flight
    besides it, and the database passes its integrity check."""
    root = copy_library(template, tmp_path / "lib")
    proc = child(ADD_LOOP, tmp_path, str(root), ALAM_ID)
    watchdog = threading.Timer(DEADLINE, proc.kill)
    watchdog.start()
    confirmed: dict[int, str] = {}
    try:
        while len(confirmed) < kill_after:
            line = proc.stdout.readline()
            assert line.endswith("\n"), f"the child stopped before it was killed: {proc.stderr.read()}"
            i, hid = line.split()
            confirmed[int(i)] = hid
        time.sleep(pause)
        proc.send_signal(signal.SIGKILL)
        # read on through the same buffered pipe (communicate() would skip what readline() already buffered)
        rest, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=DEADLINE)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, f"not killed mid-loop (exit {proc.returncode}): {err}"
    for line in rest.splitlines(keepends=True):  # confirmed between our last read and the kill
        if line.endswith("\n"):
            i, hid = line.split()
            confirmed[int(i)] = hid
    assert sorted(confirmed) == list(range(len(confirmed)))

    assert integrity(root / "library.sqlite") == [("ok",)]  # before Library.open could restore anything
    stored = _stored(root)
    with Library.open(root) as lib:
        text = lib.paper(ALAM_ID).text
    for i, hid in confirmed.items():
        assert hid in stored, f"highlight {i} ({hid}) was confirmed, then lost"
        h = stored[hid]
        start, end = loop_span(i, len(text))
        assert (h.note, h.color, h.start, h.end, h.quote, h.anchor) == (
            loop_note(i), PALETTE[i % len(PALETTE)], start, end, text[start:end], "exact")
    in_flight = set(stored) - set(confirmed.values())
    assert len(in_flight) <= 1  # only the add the kill interrupted may have made it to disk
    for hid in in_flight:  # and if it did, it is whole
        assert stored[hid].note == loop_note(len(confirmed))
        assert stored[hid].color == PALETTE[len(confirmed) % len(PALETTE)]


# --- 2. two processes adding at the same moment ---


def test_two_processes_adding_at_once_keep_all_their_highlights(template: Path, tmp_path: Path) -> None:
    """Two processes, each with the library open, add 50 highlights each, started together: all 100 are kept
    with their notes, and neither sees "database is locked" or any other error."""
    root = copy_library(template, tmp_path / "lib")
    procs = [child(ADD_TOGETHER, tmp_path, str(root), ALAM_ID, tag, "50", stdin=subprocess.PIPE) for tag in "ab"]
    watchdogs = [threading.Timer(DEADLINE, p.kill) for p in procs]
    for w in watchdogs:
        w.start()
    try:
        for p in procs:
            assert p.stdout.readline() == "ready\n", p.stderr.read()
        for p in procs:  # both are open and waiting: let them go at the same moment
            p.stdin.write("go\n")
            p.stdin.flush()
        # (nothing past "ready" was buffered by readline(): the children were waiting for "go")
        outputs = [p.communicate(timeout=DEADLINE) for p in procs]
    finally:
        for w in watchdogs:
            w.cancel()
        for p in procs:
            if p.poll() is None:
                p.kill()
    confirmed: dict[str, str] = {}
    times: dict[str, float] = {}
    for tag, p, (out, err) in zip("ab", procs, outputs):
        assert p.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
        for line in out.splitlines():
            kind, *rest = line.split()
            if kind == "id":
                assert rest[0] == tag
                confirmed[rest[2]] = f"{tag} {rest[1]}"
            else:
                times[f"{kind} {tag}"] = float(rest[0])
    assert sorted(confirmed.values()) == sorted(f"{t} {i}" for t in "ab" for i in range(50))
    # they really wrote at the same time (else this test proves nothing)
    assert times["start a"] < times["end b"] and times["start b"] < times["end a"]
    assert integrity(root / "library.sqlite") == [("ok",)]
    assert {hid: h.note for hid, h in _stored(root).items()} == confirmed


def test_two_processes_making_the_days_backup_at_once_both_open_the_library(
        template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes start on a day with no backup yet, and both make it: both open the library, and the
    day's backup is one whole, healthy file, with no temp file left. The race is made deterministic: while
    this process is about to copy, the other process's whole backup runs (it was quicker)."""
    root = copy_library(template, tmp_path / "lib")
    db = root / "library.sqlite"
    shutil.rmtree(root / "backups")
    real_connect = sqlite3.connect
    other: dict[str, object] = {}

    class Source:
        """The source connection of this process's backup; the other process's backup runs first."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def backup(self, target: sqlite3.Connection, *args: object, **kwargs: object) -> None:
            if "result" not in other:
                other["result"] = None
                monkeypatch.setattr(safety, "sqlite3", sqlite3)  # the other process: plain sqlite3
                other["result"] = backup_if_due(db)
            self._conn.backup(target, *args, **kwargs)  # type: ignore[arg-type]

        def __getattr__(self, name: str) -> object:
            return getattr(self._conn, name)

    def connect(database: object, *args: object, **kwargs: object) -> object:
        conn = real_connect(database, *args, **kwargs)  # type: ignore[arg-type]
        return Source(conn) if str(database) == str(db) else conn

    monkeypatch.setattr(safety, "sqlite3", types.SimpleNamespace(connect=connect,
                                                                  DatabaseError=sqlite3.DatabaseError))
    with Library.open(root) as lib:
        assert {e.id for e in lib.entries()} == {ALAM_ID, GADI_ID}
    today = root / "backups" / f"library-{date.today().isoformat()}.sqlite"
    assert other["result"] == today
    assert sorted(p.name for p in (root / "backups").iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        today.name]
    assert is_healthy(today)


# --- 3. a read-only library ---


def test_read_only_library_refuses_highlight_changes_and_changes_nothing(
        template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a library folder it cannot write to (simulated: os.access says no), adding, editing and removing a
    highlight each raise a clear error saying the library is read-only; the database and every other file
    are byte for byte as they were; the highlights are still listed."""
    root = copy_library(template, tmp_path / "lib")
    with Library.open(root) as lib:
        kept = lib.add_highlight_by_quote(ALAM_ID, "the Durand Line", color="blue", note="kept\nas it was")
    before = files_under(root)
    deny_writes_under(monkeypatch, root)
    lib = Library.open(root)
    try:
        assert lib.read_only
        attempts = {
            "add": lambda: lib.add_highlight(ALAM_ID, 0, 10, note="new"),
            "add by quote": lambda: lib.add_highlight_by_quote(ALAM_ID, "Afghan Taliban"),
            "update": lambda: lib.update_highlight(kept.id, note="changed", color="pink"),
            "remove": lambda: lib.remove_highlight(kept.id),
            "restore": lambda: lib.restore_highlight(Highlight.new(ALAM_ID, lib.paper(ALAM_ID).text, 5, 9)),
        }
        for what, attempt in attempts.items():
            with pytest.raises((HighlightError, LibraryError), match="read-only") as info:
                attempt()
            assert "\n" not in str(info.value), what
        assert [h.to_json() for h in lib.highlights_for(ALAM_ID)] == [kept.to_json()]
        assert lib.highlights.get(kept.id[:8]).note == "kept\nas it was"
        assert lib.highlights_for(GADI_ID) == []
    finally:
        lib.close()
    after = files_under(root)
    assert after["library.sqlite"] == before["library.sqlite"]
    assert after == before


# --- 4. a full disk ---


def _fill_disk(db: sqlite3.Connection) -> int:
    """Let the database grow no more (as a full disk); returns the limit to put back."""
    limit = db.execute("PRAGMA max_page_count").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    return int(limit)


def test_full_disk_while_adding_is_a_clear_error_and_loses_nothing(template: Path, tmp_path: Path) -> None:
    """When the disk is full, adding (or growing a note) raises HighlightError "cannot save highlights",
    the highlights saved before are untouched, nothing is left half done, and once there is room again
    adding works."""
    root = copy_library(template, tmp_path / "lib")
    with Library.open(root) as lib:
        earlier = [lib.add_highlight_by_quote(ALAM_ID, q, color=c, note=f"earlier {n} 😀")
                   for n, (q, c) in enumerate([("the Durand Line", "green"), ("Afghan Taliban", "pink")])]
        limits = {db: _fill_disk(db) for db in (lib.highlights._db, lib.catalog._db)}
        with pytest.raises(HighlightError, match="cannot save highlights") as info:
            lib.add_highlight(ALAM_ID, 100, 130, note="a long note " * 2000)
        assert "full" in str(info.value) and "\n" not in str(info.value)
        with pytest.raises(HighlightError, match="cannot save highlights"):
            lib.update_highlight(earlier[0].id, note="grown " * 4000)
        assert not lib.highlights._db.in_transaction
        assert sorted(h.to_json()["id"] for h in lib.highlights_for(ALAM_ID)) == sorted(h.id for h in earlier)
        assert {h.id: h.to_json() for h in lib.highlights_for(ALAM_ID)} == {h.id: h.to_json() for h in earlier}
        for db, limit in limits.items():  # room again
            db.execute(f"PRAGMA max_page_count = {limit}")
        later = lib.add_highlight(ALAM_ID, 100, 130, note="a long note " * 2000)
    assert integrity(root / "library.sqlite") == [("ok",)]
    assert {hid: h.to_json() for hid, h in _stored(root).items()} == {
        h.id: h.to_json() for h in [*earlier, later]}


def test_full_disk_through_the_cli_is_one_clear_line(template: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """`litreader highlights add` on a full disk exits 1 with one line saying the highlights cannot be saved
    (not an internal error, no traceback), and the highlights already there are listed as before."""
    root = copy_library(template, tmp_path / "lib")
    with Library.open(root) as lib:
        kept = lib.add_highlight_by_quote(ALAM_ID, "the Durand Line", note="kept")

    class FullDisk(HighlightStore):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            _fill_disk(self._db)

    with monkeypatch.context() as m:
        m.setattr(library_module, "HighlightStore", FullDisk)
        status, out, err = _cli(capsys, "highlights", "add", "--library", str(root), ALAM_ID, "--quote",
                                "Afghan Taliban", "--note", "a long note " * 2000)
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot save highlights" in err, err
    assert "internal error" not in err and "Traceback" not in err
    status, out, err = _cli(capsys, "highlights", "list", "--library", str(root), ALAM_ID, "--json")
    assert status == 0, err
    assert json.loads(out) == [kept.to_json()]


# --- 5. notes with awkward characters, through every export and back ---


def _runs_of(lines: list[str], run: list[str]) -> int:
    """How many times ``run`` appears as consecutive items of ``lines``."""
    return sum(lines[i:i + len(run)] == run for i in range(len(lines) - len(run) + 1))


def test_notes_survive_the_store_json_markdown_and_csv(template: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Notes full of Markdown, HTML, quotes, newlines, emoji, right-to-left text, tabs, control characters
    and formula starts come back identical from the store (and after a restart); exported as W3C JSON, wiped
    and imported back, every highlight is identical; the Markdown export holds each note line by line as
    written; the CSV export's Note cell is the note (an apostrophe added only before a formula start)."""
    root = copy_library(template, tmp_path / "lib")
    with Library.open(root) as lib:
        made = [lib.add_highlight(ALAM_ID, 200 + k * 400, 230 + k * 400, color=PALETTE[k % len(PALETTE)],
                                  note=note, tags=[f"t{k}", "ünï code"]) for k, note in enumerate(NOTES)]
        assert [lib.highlights.get(h.id).note for h in made] == NOTES
    stored = _stored(root)
    assert [stored[h.id].note for h in made] == NOTES
    before = sorted((h.to_json() for h in stored.values()), key=lambda d: d["id"])
    assert before == sorted((h.to_json() for h in made), key=lambda d: d["id"])

    outputs = {fmt: tmp_path / f"highlights.{fmt}" for fmt in ("json", "markdown", "csv")}
    for fmt, out in outputs.items():
        status, _, err = _cli(capsys, "highlights", "export", "--library", str(root), ALAM_ID, "--format", fmt,
                              "-o", str(out))
        assert status == 0, err

    # JSON -> wipe -> import: identical highlights
    with Library.open(root) as lib:
        for h in made:
            lib.remove_highlight(h.id)
        assert lib.highlights.count() == 0
    status, _, err = _cli(capsys, "highlights", "import", "--library", str(root), str(outputs["json"]))
    assert status == 0 and f"{len(NOTES)} added, 0 updated" in err, err
    assert sorted((h.to_json() for h in _stored(root).values()), key=lambda d: d["id"]) == before

    # Markdown: each note, line by line, as written (its first line after "**Note:** "), except what could
    # break the document around it: HTML ("<" as "&lt;"), and a block quote, a heading or a thematic break
    md_lines = outputs["markdown"].read_bytes().decode("utf-8").split("\n")
    for note in NOTES:
        if note:
            contained = note.replace("<", "&lt;").replace("\n> not a quote\n# not a heading\n---\n",
                                                          "\n\\> not a quote\n\\# not a heading\n\\---\n")
            first, *others = contained.split("\n")
            assert _runs_of(md_lines, [f"**Note:** {first}", *others]) == 1, note
    assert sum(line.startswith("**Note:** ") for line in md_lines) == sum(1 for n in NOTES if n)

    # CSV: the Note cell is the note; an apostrophe only before a formula start
    rows = list(csv.reader(io.StringIO(outputs["csv"].read_bytes().decode("utf-8"), newline="")))
    assert rows[0][4] == "Note" and len(rows) == len(NOTES) + 1
    expected = ["'" + n if n.startswith(CSV_FORMULA_START) else n for n in NOTES]  # made in document order
    assert [row[4] for row in rows[1:]] == expected
    assert expected[0].startswith("'=") and expected[1].startswith("'\t") and expected[4] == NOTES[4]


def test_markdown_keeps_a_note_holding_other_line_separators() -> None:
    """A note with a form feed, a Unicode line/paragraph separator and NEL but no newline is one line of
    the Markdown export, character for character."""
    paper = load_paper(ALAM)
    note = "page one\x0cpage two\u2028same paragraph\u2029next\x85end"
    h = Highlight.new(paper.id, paper.text, 200, 230, note=note)
    md_lines = to_markdown([PaperHighlights(paper, [h])]).split("\n")
    assert f"**Note:** {note}" in md_lines


def test_notes_survive_in_the_annotated_pdf(template: Path, tmp_path: Path, corpus_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A PDF in the library, a few words highlighted on its pages with awkward notes: the annotated PDF
    export has one highlight annotation per highlight whose content is the note, character for character."""
    pdfs = sorted((corpus_dir / "pdf").glob("*.pdf"), key=lambda p: (p.stat().st_size, p.name))
    if not pdfs:
        pytest.skip(f"no PDF in {corpus_dir / 'pdf'}")
    pdf = pdfs[0]
    pdf_id = paper_id_for(pdf.read_bytes())
    notes = [n for n in NOTES if n][:3]
    root = copy_library(template, tmp_path / "lib")
    with Library.open(root) as lib:
        report = lib.import_paths([pdf])
        assert report.count("imported") == 1, report.results
        paper = lib.paper(pdf_id)
        spans = [s for s in paper.pages if len(paper.text[s.start:s.end].split()) >= 5]
        assert len(spans) >= 10
        for k, note in enumerate(notes):
            span = spans[(k + 1) * len(spans) // (len(notes) + 1)]
            words = paper.text[span.start:span.end].split()
            quote = " ".join(words[1:4])
            start = paper.text.find(quote, span.start, span.end)
            if start < 0:  # odd spacing inside the line: take one word
                quote, start = words[1], paper.text.index(words[1], span.start)
            lib.add_highlight(pdf_id, start, start + len(quote), note=note)
    out = tmp_path / "annotated.pdf"
    status, _, err = _cli(capsys, "highlights", "export", "--library", str(root), pdf_id, "--format", "pdf",
                          "-o", str(out))
    assert status == 0 and "could not be placed" not in err, err
    doc = pymupdf.open(out)
    try:
        annots = [(a.type[1], a.info["content"]) for page in doc for a in page.annots()]
    finally:
        doc.close()
    assert sorted(annots) == sorted(("Highlight", n) for n in notes)


# --- 6. a damaged database and its backups ---


def test_damaged_database_is_set_aside_and_the_newest_good_backup_restored(template: Path,
                                                                            tmp_path: Path) -> None:
    """A page in the middle of library.sqlite is trampled while closed: the next Library.open detects it,
    moves it aside (library.sqlite.damaged-*, holding exactly the damaged bytes), restores the newest good
    backup (one taken after the highlights were added, dated later than the day's), says so in a notice,
    and the highlights the backup holds are back; the one made after the backup is put back from the journal
    of changes (the notice says so too)."""
    root = copy_library(template, tmp_path / "lib")
    db = root / "library.sqlite"
    with Library.open(root) as lib:
        saved = [lib.add_highlight_by_quote(ALAM_ID, q, color=c, note=f"{q} 😀\nline two")
                 for q, c in [("the Durand Line", "blue"), ("Afghan Taliban", "green")]]
        saved.append(lib.add_highlight(GADI_ID, 100, 140, note="=on the other paper"))
    later = date.today() + timedelta(days=1)
    backup = backup_if_due(db, later)
    assert backup == root / "backups" / f"library-{later.isoformat()}.sqlite" and is_healthy(backup)
    with Library.open(root) as lib:
        after_backup = lib.add_highlight_by_quote(ALAM_ID, "Pakistan", note="made after the backup")
    assert not Path(str(db) + "-wal").exists()
    damaged = _trample_a_middle_page(db, b"\xa5")
    assert not is_healthy(db)  # the damage is of a kind the check must see

    with Library.open(root) as lib:
        notice = "\n".join(lib.notices)
        assert "damaged" in notice and "set aside" in notice and "restored" in notice, notice
        assert f"backup of {later.isoformat()} restored" in notice, notice
        aside = [p for p in root.glob("library.sqlite.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
        assert len(aside) == 1 and aside[0].name in notice
        assert aside[0].read_bytes() == damaged  # set aside, never changed or deleted
        assert {e.id for e in lib.entries()} == {ALAM_ID, GADI_ID}
        back = {h.id: h.to_json() for pid in (ALAM_ID, GADI_ID) for h in lib.highlights_for(pid)}
    assert back == {h.id: h.to_json() for h in [*saved, after_backup]}
    assert "1 highlights and the notes, tags or corrections of 0 papers were damaged or missing" in notice, notice
    assert integrity(db) == [("ok",)]


def test_two_damaged_copies_set_aside_in_the_same_second_are_both_kept(template: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The database is damaged, restored, then damaged again within the same second: both damaged copies
    are kept beside the library (the clock is pinned to make "the same second" certain)."""
    root = copy_library(template, tmp_path / "lib")
    db = root / "library.sqlite"

    class PinnedClock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return datetime(2030, 1, 1, 12, 0, 0)

    monkeypatch.setattr(safety, "datetime", PinnedClock)
    copies = []
    for fill in (b"\xa5", b"\x5a"):
        copies.append(_trample_a_middle_page(db, fill))
        assert not is_healthy(db)
        with Library.open(root) as lib:
            assert any("damaged" in n for n in lib.notices)
        assert not Path(str(db) + "-wal").exists()
    kept = {p.read_bytes() for p in root.glob("library.sqlite.damaged-*") if not p.name.endswith(("-wal", "-shm"))}
    assert copies[0] in kept and copies[1] in kept


# --- 6b. bytes flipped anywhere in the database: the journal of changes puts back what they hit ---

FLIP_TRIALS = 40


def test_bytes_flipped_anywhere_in_the_database_lose_no_acknowledged_highlight(template: Path,
                                                                                tmp_path: Path) -> None:
    """Issue 14 item 6. Highlights and notes made after the day's backup (so only the database and the journal
    hold them); then, trial after trial (fixed seed), one to three bytes of the closed library.sqlite are
    flipped at random places and the library opened: every acknowledged highlight is there as it was made
    (quote, note, colour, tags) and so is the reader's correction of a title; when something was repaired, a
    notice says what. Nothing raises. A flip may hit anything: a page header (the damaged-database path),
    an index, a note's text (invisible to integrity_check), a row id, free space."""
    import random

    root = copy_library(template, tmp_path / "lib")
    db = root / "library.sqlite"
    with Library.open(root) as lib:  # the day's backup is made here, before any highlight
        made = [lib.add_highlight_by_quote(ALAM_ID, quote, color=color, note=note, tags=["flip", color])
                for quote, color, note in [("the Durand Line", "blue", "first note"),
                                           ("Afghan Taliban", "green", "second, with “quotes” 😀"),
                                           ("Pakistan", "pink", "")]]
        made += [lib.add_highlight(GADI_ID, 100 + 60 * k, 140 + 60 * k, note=f"on the other paper {k}")
                 for k in range(6)]
        lib.update_highlight(made[0].id, note="first note, edited")
        made[0] = lib.highlights.get(made[0].id)
        lib.correct_metadata(GADI_ID, {"title": "A title the reader corrected"})
    assert len(list((root / "backups").glob("library-*.sqlite"))) == 1
    pristine = {name: (root / name).read_bytes() for name in ("library.sqlite", "library.journal")}
    expected = {h.id: (h.paper_id, h.quote, h.note, h.color, h.tags) for h in made}

    rng = random.Random(14)
    repaired_trials = 0
    for trial in range(FLIP_TRIALS):
        for name, data in pristine.items():
            (root / name).write_bytes(data)
        for aside in root.glob("library.sqlite.damaged-*"):
            aside.unlink()
        data = bytearray(pristine["library.sqlite"])
        if trial % 2:  # anywhere in the file
            flips = [rng.randrange(len(data)) for _ in range(rng.randint(1, 3))]
        else:  # near the highlights' own rows: the pages that hold them, their cells, their text
            near = data.find(b"on the other paper") if trial % 4 else data.find(b"first note")
            assert near > 0
            flips = [min(len(data) - 1, max(0, near + rng.randint(-1500, 300))) for _ in range(rng.randint(1, 3))]
        for at in flips:
            data[at] ^= rng.randrange(1, 256)
        db.write_bytes(bytes(data))
        with Library.open(root) as lib:
            notices = "\n".join(lib.notices)
            found = {}
            for pid in (ALAM_ID, GADI_ID):
                for h in lib.highlights_for(pid):
                    found[h.id] = (h.paper_id, h.quote, h.note, h.color, h.tags)
            title = lib.paper(GADI_ID).title
        context = f"trial {trial}, bytes flipped at {flips}: {notices}"
        assert found == expected, context
        assert title == "A title the reader corrected", context
        if notices:
            repaired_trials += 1
            assert "restored" in notices or "damaged" in notices, context
    assert repaired_trials >= FLIP_TRIALS // 4  # the flips did hit what matters, often: the test tests
