"""The highlights store: a table in the library's SQLite database, every change on disk when the call returns.

Durability: WAL mode with ``synchronous=FULL``, one transaction per user action (adding, editing, removing a
highlight, or placing a paper's highlights again), so a crash or a power cut loses nothing that was
confirmed. The table has its own numbered migrations (``MIGRATIONS``), recorded in ``highlights_schema``,
so it evolves without touching the catalog's tables.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from reader.database import checkpoint, connect, fetch_all, match_key, repair_text, write_transaction
from reader.errors import ReaderError
from reader.journal import Journal
from reader.highlights.model import COLORS, DEFAULT_COLOR, Highlight, check_color, now_iso

# Numbered migrations: MIGRATIONS[n] takes the table from version n to n+1. Append, never edit.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE highlights (
            id        TEXT PRIMARY KEY,
            paper_id  TEXT NOT NULL,
            start     INTEGER NOT NULL,
            "end"     INTEGER NOT NULL,
            quote     TEXT NOT NULL,
            prefix    TEXT NOT NULL,
            suffix    TEXT NOT NULL,
            color     TEXT NOT NULL,
            note      TEXT NOT NULL,
            tags      TEXT NOT NULL,      -- JSON list
            created   TEXT NOT NULL,
            modified  TEXT NOT NULL,
            anchor    TEXT NOT NULL,      -- exact | moved | fuzzy | orphaned
            text_hash TEXT NOT NULL       -- hash of the paper text it was placed in
        )""",
        "CREATE INDEX highlights_by_paper ON highlights(paper_id, start)",
    ],
]
_COLUMNS = ("id", "paper_id", "start", "end", "quote", "prefix", "suffix", "color", "note", "tags", "created",
            "modified", "anchor", "text_hash")
HIGHLIGHT_COLUMNS = _COLUMNS
_COLUMN_LIST = ", ".join(f'"{c}"' for c in _COLUMNS)  # "end" is an SQL keyword: quote every name
_SELECT = f"SELECT {_COLUMN_LIST} FROM highlights"


class HighlightError(ReaderError):
    """A highlight operation that cannot be done (an unknown id, a database that cannot be written)."""


@dataclass
class MergeReport:
    """What an import of highlights did with each one: new here, newer than ours, ours newer, the same."""

    added: int = 0
    updated: int = 0
    kept_newer: int = 0  # the library's own copy was modified later (or at the same time): kept
    unchanged: int = 0

    def summary(self) -> str:
        return (f"{self.added:,} added, {self.updated:,} updated, {self.kept_newer:,} kept (the library's copy "
                f"is newer), {self.unchanged:,} unchanged")


class HighlightStore:
    """The highlights of one library (``library.sqlite``). Thread-safe: calls are serialised."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        # rows found damaged while reading (id -> what is wrong): shown as far as they can be read
        self.damaged: dict[str, str] = {}
        self.journal = Journal(self.path)  # a second copy of every change (see reader.journal)
        try:
            self._db = connect(self.path, read_only)
            if not read_only:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise HighlightError(f"{self.path}: cannot open the highlights: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _migrate(self) -> None:
        try:  # up to date: nothing to write (opening works on a full disk)
            row = self._db.execute("SELECT version FROM highlights_schema").fetchone()
            if row is not None and row[0] == len(MIGRATIONS):
                return
        except sqlite3.OperationalError:
            pass  # no such table yet
        with self._transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS highlights_schema (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM highlights_schema").fetchone()
            version = row[0] if row else 0
            if version > len(MIGRATIONS):
                raise HighlightError(f"{self.path}: these highlights were written by a newer litreader "
                                     f"(version {version}); update litreader to open them")
            for statements in MIGRATIONS[version:]:
                for statement in statements:
                    db.execute(statement)
            db.execute("DELETE FROM highlights_schema")
            db.execute("INSERT INTO highlights_schema (version) VALUES (?)", (len(MIGRATIONS),))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise HighlightError(f"{self.path.parent}: the library is read-only; the highlight was not saved")
        with self._lock:
            with write_transaction(self._db, self._lock,
                                   lambda why: HighlightError(f"{self.path}: cannot save highlights: {why}"),
                                   self.journal) as db:
                yield db
            checkpoint(self._db)  # the change leaves the WAL at once (see reader.database)

    # reading

    def for_paper(self, paper_id: str) -> list[Highlight]:
        """A paper's highlights in document order."""
        with self._lock:
            rows = fetch_all(self._db, f"{_SELECT} WHERE paper_id = ? ORDER BY start, \"end\", created",
                             (paper_id,))
        return [self._read(r) for r in rows]

    def all(self) -> list[Highlight]:
        with self._lock:
            rows = fetch_all(self._db, f"{_SELECT} ORDER BY paper_id, start, created")
        return [self._read(r) for r in rows]

    def get(self, highlight_id: str) -> Highlight:
        with self._lock:
            found = fetch_all(self._db, f"{_SELECT} WHERE id = ?", (highlight_id,))
            row = found[0] if found else None
            if row is None and len(highlight_id) >= 4:  # the first characters, as a list shows them
                rows = fetch_all(self._db, f"{_SELECT} WHERE id LIKE ?", (highlight_id + "%",))
                if len(rows) > 1:
                    raise HighlightError(f"{highlight_id}: more than one highlight's id starts with this")
                row = rows[0] if rows else None
        if row is None:
            raise HighlightError(f"{highlight_id}: no such highlight")
        return self._read(row)

    def _read(self, row: tuple[Any, ...]) -> Highlight:
        highlight, problem = _from_row(row)
        if problem:
            self.damaged[highlight.id] = problem
        return highlight

    def papers_with_highlights(self) -> list[str]:
        with self._lock:
            rows = fetch_all(self._db, "SELECT DISTINCT paper_id FROM highlights ORDER BY paper_id")
        return [repair_text(r[0])[0] if isinstance(r[0], str) else str(r[0]) for r in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM highlights").fetchone()[0])

    # writing: one transaction per user action

    def add(self, highlight: Highlight) -> Highlight:
        """Save a new highlight (or put back one that was removed: undo, import)."""
        check_color(highlight.color)
        with self._transaction() as db:
            db.execute(f"INSERT OR REPLACE INTO highlights ({_COLUMN_LIST}) "
                       f"VALUES ({', '.join('?' * len(_COLUMNS))})", _row(highlight))
            self._journal(_row(highlight))
        return highlight

    def add_many(self, highlights: Iterable[Highlight]) -> int:
        """Save several highlights in one transaction (an import); returns how many."""
        rows = []
        for h in highlights:
            check_color(h.color)
            rows.append(_row(h))
        with self._transaction() as db:
            db.executemany(f"INSERT OR REPLACE INTO highlights ({_COLUMN_LIST}) "
                           f"VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
            for row in rows:
                self._journal(row)
        return len(rows)

    def merge(self, highlights: Iterable[Highlight]) -> MergeReport:
        """Bring in highlights from elsewhere (an export read back), in one transaction: a new one is added;
        one already here is replaced only by a copy modified later (by ``modified``), so importing an older
        export never reverts newer notes, colours or tags."""
        incoming = list(highlights)
        for h in incoming:
            check_color(h.color)
        report = MergeReport()
        insert = f"INSERT OR REPLACE INTO highlights ({_COLUMN_LIST}) VALUES ({', '.join('?' * len(_COLUMNS))})"
        with self._transaction() as db:
            for h in incoming:
                found = fetch_all(db, f"{_SELECT} WHERE id = ?", (h.id,))
                if not found:
                    db.execute(insert, _row(h))
                    self._journal(_row(h))
                    report.added += 1
                    continue
                current, _ = _from_row(found[0])
                if _content(current) == _content(h):
                    report.unchanged += 1
                elif _instant(h.modified) > _instant(current.modified):
                    db.execute(insert, _row(h))
                    self._journal(_row(h))
                    report.updated += 1
                else:
                    report.kept_newer += 1
        return report

    def update(self, highlight_id: str, *, color: str | None = None, note: str | None = None,
               tags: list[str] | None = None) -> Highlight:
        """Change a highlight's colour, note or tags."""
        current = self.get(highlight_id)
        if color is not None:
            check_color(color)
            current.color = color
        if note is not None:
            current.note = note
        if tags is not None:
            current.tags = list(tags)
        current.modified = _later_than(current.modified)
        with self._transaction() as db:
            changed = db.execute("UPDATE highlights SET color = ?, note = ?, tags = ?, modified = ? WHERE id = ?",
                                 (current.color, current.note, json.dumps(current.tags, ensure_ascii=False),
                                  current.modified, current.id)).rowcount
            if not changed:
                raise HighlightError(f"{highlight_id}: no such highlight (it was removed meanwhile)")
            self._journal(_row(current))
        return current

    def remove(self, highlight_id: str) -> Highlight:
        """Delete a highlight; returns it (``add`` puts it back: undo)."""
        current = self.get(highlight_id)
        with self._transaction() as db:
            db.execute("DELETE FROM highlights WHERE id = ?", (current.id,))
            self.journal.stage("highlight", current.id, None)
        return current

    def save_placements(self, highlights: Iterable[Highlight]) -> None:
        """Record where a paper's highlights were placed again (positions, anchor state, text hash)."""
        highlights = list(highlights)
        rows = [(h.start, h.end, h.anchor, h.text_hash, h.id) for h in highlights]
        with self._transaction() as db:
            for h, row in zip(highlights, rows):
                changed = db.execute('UPDATE highlights SET start = ?, "end" = ?, anchor = ?, text_hash = ? '
                                     'WHERE id = ?', row).rowcount
                if changed:  # one removed meanwhile (by another process) stays removed
                    self._journal(_row(h))

    def _journal(self, row: tuple[Any, ...]) -> None:
        self.journal.stage("highlight", row[0], row_state(row))


def _content(h: Highlight) -> tuple[Any, ...]:
    """What the user made of a highlight (its place in the text is derived: placed again on opening)."""
    return (h.paper_id, h.quote, h.prefix, h.suffix, h.color, h.note, list(h.tags))


_LONG_AGO = datetime.min.replace(tzinfo=timezone.utc)


def _later_than(previous: str) -> str:
    """Now, as a ``modified`` stamp, and always after ``previous``: an edit within the second of the last one
    (the stamps count seconds) gets the moment to the microsecond, so "changed since" holds for every edit
    (a Zotero sync keeps the reader's note only when its stamp differs from the one it wrote)."""
    stamp = now_iso()
    if _instant(stamp) > _instant(previous):
        return stamp
    moment = max(datetime.now(timezone.utc), _instant(previous) + timedelta(microseconds=1))
    return moment.isoformat(timespec="microseconds")


def _instant(stamp: str) -> datetime:
    """An ISO 8601 timestamp as a comparable instant (one without a zone is UTC; unreadable is long ago)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return _LONG_AGO
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def put_highlight_state(db: sqlite3.Connection, highlight_id: str, state: dict[str, Any] | None) -> None:
    """Make the row of a highlight exactly ``state`` (as the journal keeps it; None: no such row)."""
    where, key = match_key("id", highlight_id)
    db.execute(f"DELETE FROM highlights WHERE {where}", (key,))
    if state is not None:
        db.execute(f"INSERT INTO highlights ({_COLUMN_LIST}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                   tuple(state.get(c) for c in _COLUMNS))


def row_state(row: tuple[Any, ...]) -> dict[str, Any]:
    """A highlights row as the journal keeps it: column -> value."""
    return dict(zip(_COLUMNS, row))


def _row(h: Highlight) -> tuple[Any, ...]:
    return (h.id, h.paper_id, h.start, h.end, h.quote, h.prefix, h.suffix, h.color, h.note,
            json.dumps(h.tags, ensure_ascii=False), h.created, h.modified, h.anchor, h.text_hash)


_TEXT_COLUMNS = ("id", "paper_id", "quote", "prefix", "suffix", "color", "note", "created", "modified", "anchor",
                 "text_hash")


def _from_row(row: tuple[Any, ...]) -> tuple[Highlight, str]:
    """The highlight of a row, and what is damaged in it ("" when nothing): a damaged value is shown as far
    as it can be read (bytes that are not UTF-8 as U+FFFD, unreadable tags as none, a bad offset as -1)."""
    values = dict(zip(_COLUMNS, row))
    damaged = []
    for column in _TEXT_COLUMNS:
        value = values[column]
        if not isinstance(value, str):
            values[column] = "" if value is None else str(value)
            damaged.append(column)
            continue
        values[column], bad = repair_text(value)
        if bad:
            damaged.append(column)
    for column in ("start", "end"):
        if not isinstance(values[column], int):
            values[column] = -1
            damaged.append(column)
    try:
        tags = json.loads(repair_text(values["tags"])[0]) if isinstance(values["tags"], str) else None
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ValueError
        values["tags"] = tags
    except ValueError:
        values["tags"] = []
        damaged.append("tags")
    if values["color"] not in COLORS:
        values["color"] = DEFAULT_COLOR
        damaged.append("color")
    if damaged:
        values["anchor"] = "orphaned" if "start" in damaged or "end" in damaged else values["anchor"]
    problem = f"damaged in the database ({', '.join(damaged)}); shown as far as it can be read" if damaged else ""
    return Highlight(**values), problem
