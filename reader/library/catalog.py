"""The catalog: one row per paper in ``library.sqlite``, so the library lists and sorts without opening papers.

The same database will hold the user's highlights and notes (the one thing that is not derived), so it runs
in WAL mode with ``synchronous=FULL``: a write the user made is on disk when the call returns. The index
manifest (which Whoosh files this user's own writer produced, signed) lives in ``meta``: see
reader.library.index.

Writes happen in short transactions; the caller holds the library's writer lock (reader.library.locking)
around catalog changes that go with index changes, so two processes never interleave them.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from reader.database import connect, read_rows, repair_text, write_transaction
from reader.errors import LibraryError
from reader.model import Paper

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    authors        TEXT NOT NULL,          -- JSON list of display names, in byline order
    first_author   TEXT NOT NULL,          -- family name of the first author, lower case, for sorting
    year           INTEGER,
    venue          TEXT NOT NULL,
    doi            TEXT NOT NULL,
    format         TEXT NOT NULL,          -- pdf | text | xml
    added          TEXT NOT NULL,          -- ISO 8601, UTC
    source_name    TEXT NOT NULL,          -- the file name it was imported from
    source_size    INTEGER NOT NULL,
    pages          INTEGER NOT NULL,
    refs           INTEGER NOT NULL,       -- entries in its reference list
    citations      INTEGER NOT NULL,       -- in-text citation markers
    warnings       TEXT NOT NULL,          -- JSON list: what the parser noticed and worked around
    parser_version INTEGER NOT NULL,
    indexed        INTEGER NOT NULL DEFAULT 0  -- 1 once a committed index generation holds this paper
);
CREATE INDEX IF NOT EXISTS papers_unindexed ON papers(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_COLUMNS = ("id", "title", "authors", "first_author", "year", "venue", "doi", "format", "added",
            "source_name", "source_size", "pages", "refs", "citations", "warnings", "parser_version", "indexed")

SORT_KEYS = {
    "added": "added DESC, id",
    "title": "title COLLATE NOCASE, id",
    "year": "year IS NULL, year DESC, first_author, id",
    "author": "first_author = '', first_author, year, id",
}


@dataclass
class CatalogEntry:
    """One paper as the catalog knows it: enough to list, sort and show it without parsing."""

    id: str
    title: str
    authors: list[str]
    first_author: str
    year: int | None
    venue: str
    doi: str
    format: str
    added: str
    source_name: str
    source_size: int
    pages: int
    refs: int
    citations: int
    warnings: list[str] = field(default_factory=list)
    parser_version: int = 0
    indexed: bool = False

    @classmethod
    def for_paper(cls, paper: Paper, source_name: str, source_size: int) -> CatalogEntry:
        """The catalog row for a freshly parsed paper."""
        first = paper.authors[0] if paper.authors else None
        return cls(
            id=paper.id, title=paper.title or Path(source_name).stem, authors=[a.display() for a in paper.authors],
            first_author=((first.family or first.literal) if first else "").lower(), year=paper.year,
            venue=paper.venue, doi=paper.doi, format=paper.format, added=_now(), source_name=source_name,
            source_size=source_size, pages=paper.page_count, refs=len(paper.references),
            citations=len(paper.citations), warnings=list(paper.warnings), parser_version=paper.parser_version)

    @property
    def status(self) -> str:
        """``ok``, or ``warnings`` when the parser had to work around something in the file."""
        return "warnings" if self.warnings else "ok"

    def byline(self, most: int = 3) -> str:
        """Authors for a list: "A, B and C", or "A, B, C et al." past ``most``."""
        names = self.authors
        if not names:
            return ""
        if len(names) > most:
            return ", ".join(names[:most]) + " et al."
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "authors": self.authors, "year": self.year,
                "venue": self.venue, "doi": self.doi, "format": self.format, "added": self.added,
                "source_name": self.source_name, "pages": self.pages, "references": self.refs,
                "citations": self.citations, "status": self.status, "warnings": self.warnings}

    def _row(self) -> tuple[Any, ...]:
        return (self.id, self.title, json.dumps(self.authors, ensure_ascii=False), self.first_author, self.year,
                self.venue, self.doi, self.format, self.added, self.source_name, self.source_size, self.pages,
                self.refs, self.citations, json.dumps(self.warnings, ensure_ascii=False), self.parser_version,
                int(self.indexed))

    @classmethod
    def _from_row(cls, row: tuple[Any, ...]) -> CatalogEntry:
        # positional and without a dict: listing 10,000 papers builds 10,000 of these
        (paper_id, title, authors, first_author, year, venue, doi, fmt, added, source_name, source_size, pages,
         refs, citations, warnings, parser_version, indexed) = row
        try:
            return cls(paper_id, title, _list(authors), first_author, year, venue, doi, fmt, added, source_name,
                       source_size, pages, refs, citations, _list(warnings), parser_version, bool(indexed))
        except (ValueError, TypeError):
            return cls._repaired(row)

    @classmethod
    def _repaired(cls, row: tuple[Any, ...]) -> CatalogEntry:
        """A damaged row as far as it can be read (text that is not UTF-8, JSON that does not parse)."""
        values = list(row)
        for i, value in enumerate(values):
            if isinstance(value, str):
                values[i] = repair_text(value)[0]
        for i in (2, 14):  # authors, warnings
            try:
                values[i] = _list(values[i]) if isinstance(values[i], str) else []
                if not isinstance(values[i], list):
                    raise ValueError
            except ValueError:
                values[i] = []
        for i in (4, 10, 11, 12, 13, 15):  # year and counts
            values[i] = values[i] if isinstance(values[i], int) else (None if i == 4 else 0)
        entry = cls(*values[:16], bool(values[16]))  # type: ignore[arg-type]
        entry.warnings = entry.warnings + ["this paper's row in the library database is damaged; shown as far as "
                                           "it can be read"]
        return entry


class Catalog:
    """The catalog database of one library. Safe to share between threads (calls are serialised)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        try:
            self._db = connect(self.path, read_only)
            if not read_only:
                self._db.execute("PRAGMA foreign_keys=ON")
                self._migrate()
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: cannot open the catalog: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _migrate(self) -> None:
        if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return  # nothing to write: opening works on a full disk, and read-only commands with it
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                return  # _check_version says what to do
            # one statement at a time: executescript() would commit our transaction halfway
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _check_version(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryError(f"{self.path}: this library was written by a newer litreader "
                               f"(catalog version {version}); update litreader to open it")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back if the block raises."""
        if self.read_only:
            raise LibraryError(f"{self.path.parent}: the library is read-only; nothing was changed")
        with write_transaction(self._db, self._lock,
                               lambda why: LibraryError(f"{self.path}: cannot write to the catalog: {why}")) as db:
            yield db

    # papers

    def add(self, entries: Iterable[CatalogEntry]) -> None:
        """Insert (or replace) catalog rows, in one transaction."""
        placeholders = ",".join("?" * len(_COLUMNS))
        with self.transaction() as db:
            db.executemany(f"INSERT OR REPLACE INTO papers ({','.join(_COLUMNS)}) VALUES ({placeholders})",
                           [e._row() for e in entries])

    def get(self, paper_id: str) -> CatalogEntry | None:
        with self._lock:
            rows = _entries(*read_rows(self._db, f"SELECT {','.join(_COLUMNS)} FROM papers WHERE id = ?",
                                       (paper_id,)))
        return rows[0] if rows else None

    def get_many(self, paper_ids: list[str]) -> dict[str, CatalogEntry]:
        """Rows for the given ids (those that exist), by id."""
        if not paper_ids:
            return {}
        marks = ",".join("?" * len(paper_ids))
        with self._lock:
            found = _entries(*read_rows(self._db, f"SELECT {','.join(_COLUMNS)} FROM papers WHERE id IN ({marks})",
                                        paper_ids))
        return {entry.id: entry for entry in found}

    def entries(self, sort: str = "added") -> list[CatalogEntry]:
        """Every paper, sorted by ``added`` (newest first), ``title``, ``year`` (newest first) or ``author``."""
        order = SORT_KEYS.get(sort)
        if order is None:
            raise LibraryError(f"unknown sort key {sort!r} (use one of: {', '.join(SORT_KEYS)})")
        with self._lock:
            return _entries(*read_rows(self._db, f"SELECT {','.join(_COLUMNS)} FROM papers ORDER BY {order}"))

    def ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM papers")}

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM papers").fetchone()[0])

    def outdated(self, parser_version: int) -> list[str]:
        """Ids of papers parsed by another parser version (to be re-parsed from their sources)."""
        with self._lock:
            return [row[0] for row in self._db.execute(
                "SELECT id FROM papers WHERE parser_version != ? ORDER BY added", (parser_version,))]

    def unindexed(self) -> list[str]:
        """Ids of papers no committed index generation is known to hold."""
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT id FROM papers WHERE indexed = 0 ORDER BY added")]

    def unindexed_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM papers WHERE indexed = 0").fetchone()[0])

    def set_indexed(self, paper_ids: Iterable[str], indexed: bool, db: sqlite3.Connection | None = None) -> None:
        """Mark papers as held (or not) by the committed index (inside ``db``'s transaction if given)."""
        rows = [(int(indexed), pid) for pid in paper_ids]
        if db is not None:
            db.executemany("UPDATE papers SET indexed = ? WHERE id = ?", rows)
            return
        with self.transaction() as tx:
            tx.executemany("UPDATE papers SET indexed = ? WHERE id = ?", rows)

    def mark_all_unindexed(self) -> None:
        with self.transaction() as db:
            db.execute("UPDATE papers SET indexed = 0")

    def remove(self, paper_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM papers WHERE id = ?", (paper_id,))

    # small facts about the library (e.g. the index format)

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str, db: sqlite3.Connection) -> None:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # the index manifest (see reader.library.index and reader.library.trust)

    def index_manifest(self) -> tuple[str | None, str | None]:
        """The recorded index manifest and its signature, read together (one statement, one snapshot)."""
        with self._lock:
            rows = dict(self._db.execute(
                "SELECT key, value FROM meta WHERE key IN ('index_manifest', 'index_signature')").fetchall())
        return rows.get("index_manifest"), rows.get("index_signature")

    def set_index_manifest(self, text: str, signature: str, db: sqlite3.Connection) -> None:
        """Record a new manifest and its signature (inside the caller's transaction)."""
        self.set_meta("index_manifest", text, db)
        self.set_meta("index_signature", signature, db)


def _entries(rows: list[tuple[Any, ...]], some_text_damaged: bool) -> list[CatalogEntry]:
    if not some_text_damaged:
        return [CatalogEntry._from_row(row) for row in rows]
    return [CatalogEntry._repaired(row) if any(isinstance(v, str) and repair_text(v)[1] for v in row)
            else CatalogEntry._from_row(row) for row in rows]


def _list(text: str) -> list[str]:
    return [] if text == "[]" else json.loads(text)  # most papers have no warnings


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
