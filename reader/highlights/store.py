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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reader.database import connect, write_transaction
from reader.errors import ReaderError
from reader.highlights.model import Highlight, check_color, now_iso

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
        with write_transaction(self._db, self._lock,
                               lambda why: HighlightError(f"{self.path}: cannot save highlights: {why}")) as db:
            yield db

    # reading

    def for_paper(self, paper_id: str) -> list[Highlight]:
        """A paper's highlights in document order."""
        with self._lock:
            rows = self._db.execute(f"{_SELECT} WHERE paper_id = ? ORDER BY start, \"end\", created",
                                    (paper_id,)).fetchall()
        return [_from_row(r) for r in rows]

    def all(self) -> list[Highlight]:
        with self._lock:
            rows = self._db.execute(f"{_SELECT} ORDER BY paper_id, start, created").fetchall()
        return [_from_row(r) for r in rows]

    def get(self, highlight_id: str) -> Highlight:
        with self._lock:
            row = self._db.execute(f"{_SELECT} WHERE id = ?", (highlight_id,)).fetchone()
            if row is None and len(highlight_id) >= 4:  # the first characters, as a list shows them
                rows = self._db.execute(f"{_SELECT} WHERE id LIKE ?", (highlight_id + "%",)).fetchall()
                if len(rows) > 1:
                    raise HighlightError(f"{highlight_id}: more than one highlight's id starts with this")
                row = rows[0] if rows else None
        if row is None:
            raise HighlightError(f"{highlight_id}: no such highlight")
        return _from_row(row)

    def papers_with_highlights(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT DISTINCT paper_id FROM highlights ORDER BY paper_id")]

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
                row = db.execute(f"{_SELECT} WHERE id = ?", (h.id,)).fetchone()
                if row is None:
                    db.execute(insert, _row(h))
                    report.added += 1
                    continue
                current = _from_row(row)
                if _content(current) == _content(h):
                    report.unchanged += 1
                elif _instant(h.modified) > _instant(current.modified):
                    db.execute(insert, _row(h))
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
        current.modified = now_iso()
        with self._transaction() as db:
            db.execute("UPDATE highlights SET color = ?, note = ?, tags = ?, modified = ? WHERE id = ?",
                       (current.color, current.note, json.dumps(current.tags, ensure_ascii=False),
                        current.modified, current.id))
        return current

    def remove(self, highlight_id: str) -> Highlight:
        """Delete a highlight; returns it (``add`` puts it back: undo)."""
        current = self.get(highlight_id)
        with self._transaction() as db:
            db.execute("DELETE FROM highlights WHERE id = ?", (current.id,))
        return current

    def save_placements(self, highlights: Iterable[Highlight]) -> None:
        """Record where a paper's highlights were placed again (positions, anchor state, text hash)."""
        rows = [(h.start, h.end, h.anchor, h.text_hash, h.id) for h in highlights]
        with self._transaction() as db:
            db.executemany('UPDATE highlights SET start = ?, "end" = ?, anchor = ?, text_hash = ? WHERE id = ?',
                           rows)


def _content(h: Highlight) -> tuple[Any, ...]:
    """What the user made of a highlight (its place in the text is derived: placed again on opening)."""
    return (h.paper_id, h.quote, h.prefix, h.suffix, h.color, h.note, list(h.tags))


_LONG_AGO = datetime.min.replace(tzinfo=timezone.utc)


def _instant(stamp: str) -> datetime:
    """An ISO 8601 timestamp as a comparable instant (one without a zone is UTC; unreadable is long ago)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return _LONG_AGO
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _row(h: Highlight) -> tuple[Any, ...]:
    return (h.id, h.paper_id, h.start, h.end, h.quote, h.prefix, h.suffix, h.color, h.note,
            json.dumps(h.tags, ensure_ascii=False), h.created, h.modified, h.anchor, h.text_hash)


def _from_row(row: tuple[Any, ...]) -> Highlight:
    values = dict(zip(_COLUMNS, row))
    values["tags"] = json.loads(values["tags"])
    return Highlight(**values)
