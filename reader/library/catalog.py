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

from reader.database import connect, match_key, read_rows, repair_text, write_transaction
from reader.errors import LibraryError
from reader.journal import Journal
from reader.library import corrections as corr
from reader.collector import collector_paused
from reader.model import Paper

# 2: corrections, tags, collections, notes on papers, where brought-in papers came from
SCHEMA_VERSION = 2

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
CREATE TABLE IF NOT EXISTS corrections (   -- the user's corrections of a paper's metadata (never derived)
    paper_id TEXT NOT NULL,
    field    TEXT NOT NULL,                -- title | authors | year | venue | doi
    value    TEXT NOT NULL,                -- JSON
    source   TEXT NOT NULL DEFAULT 'user', -- who made it
    modified TEXT NOT NULL,                -- ISO 8601, UTC
    PRIMARY KEY (paper_id, field)
);
CREATE TABLE IF NOT EXISTS paper_tags (
    paper_id TEXT NOT NULL,
    tag      TEXT NOT NULL,
    source   TEXT NOT NULL DEFAULT 'user',  -- 'user', or the library it was brought from (kept in step with it)
    PRIMARY KEY (paper_id, tag)
);
CREATE TABLE IF NOT EXISTS paper_collections (
    paper_id   TEXT NOT NULL,
    collection TEXT NOT NULL,              -- a path: "Thesis/Chapter 2"
    source     TEXT NOT NULL DEFAULT 'user',
    PRIMARY KEY (paper_id, collection)
);
CREATE TABLE IF NOT EXISTS paper_notes (   -- notes on a paper as a whole (not on a highlight)
    id       TEXT PRIMARY KEY,
    paper_id TEXT NOT NULL,
    text     TEXT NOT NULL,
    page     TEXT NOT NULL DEFAULT '',      -- the page it is about, as printed, if any
    source   TEXT NOT NULL DEFAULT 'user',
    created  TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS paper_notes_by_paper ON paper_notes(paper_id);
CREATE TABLE IF NOT EXISTS external_items (  -- papers brought from another reference manager, by their key there
    source   TEXT NOT NULL,                 -- "zotero:/home/me/Zotero", "bib:/home/me/refs.bib"
    item_key TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    modified TEXT NOT NULL,                 -- the item's own last change there, at our last import
    PRIMARY KEY (source, item_key)
);
CREATE TABLE IF NOT EXISTS external_highlights (  -- highlights made from another manager's annotations
    highlight_id TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    item_key     TEXT NOT NULL,
    written      TEXT NOT NULL              -- the highlight's `modified` as we wrote it: another value means
);                                          -- the reader changed it here since, and it is theirs now
"""

_COLUMNS = ("id", "title", "authors", "first_author", "year", "venue", "doi", "format", "added",
            "source_name", "source_size", "pages", "refs", "citations", "warnings", "parser_version", "indexed")

# What a list of papers shows, sorts and groups by: a listing reads these; the rest of each row (what the
# import found about the file) is read for the whole listing when one of its entries is first asked for it
_LISTED = ("id", "title", "authors", "first_author", "year", "venue", "doi", "added")
_DETAILS = ("format", "source_name", "source_size", "pages", "refs", "citations", "warnings", "parser_version",
            "indexed")
# A listed paper removed from the catalog before its details were read: these (it is gone; nothing shows them)
_GONE = {"format": "", "source_name": "", "source_size": 0, "pages": 0, "refs": 0, "citations": 0,
         "parser_version": 0, "indexed": False}

SORT_KEYS = {
    "added": "added DESC, id",
    "title": "title COLLATE NOCASE, id",
    "year": "year IS NULL, year DESC, first_author, id",
    "author": "first_author = '', first_author, year, id",
}
# An index per sort order, on the very expressions of SORT_KEYS, so listing reads the rows in order instead of
# sorting them (a fifth of listing 10,000 papers). Indexes are no schema change: a litreader of the same
# catalog version just keeps them up to date, so they come without a version bump (which older versions
# would refuse), added to an existing catalog at its next writable opening.
SORT_INDEXES = {f"papers_by_{key}": f"CREATE INDEX IF NOT EXISTS papers_by_{key} ON papers({order})"
                for key, order in SORT_KEYS.items()}


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

    def __getstate__(self) -> dict[str, Any]:
        # every field's value, details read if they were not (a listing's entries refer to their catalog)
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

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


class _Detail:
    """A field of CatalogEntry that a listing leaves out (see Catalog.entries), read when first asked for.

    A non-data descriptor: an entry holding the value (every entry made by CatalogEntry(...), and a listed one
    once read or set) has it in its own ``__dict__`` and never comes here."""

    def __init__(self, name: str, default: Any) -> None:
        self.name, self.default = name, default

    def __get__(self, entry: CatalogEntry | None, owner: type | None = None) -> Any:
        if entry is None:
            if self.default is _Detail:
                raise AttributeError(self.name)  # as before: the field has no class-level default
            return self.default
        details = entry.__dict__.get("_details")
        if details is None:
            raise AttributeError(self.name)
        details.fill(entry)
        return entry.__dict__[self.name]


for _name in _DETAILS:
    setattr(CatalogEntry, _name, _Detail(_name, CatalogEntry.__dict__.get(_name, _Detail)))


class _ListingDetails:
    """The details (_DETAILS) of a listing's papers, read from the catalog in one query the first time one of
    its entries is asked for one."""

    def __init__(self, catalog: Catalog, condition: str, params: list[Any]) -> None:
        self.catalog, self.condition, self.params = catalog, condition, params
        self.rows: dict[str, dict[str, Any]] | None = None

    def fill(self, entry: CatalogEntry) -> None:
        if self.rows is None:
            self.rows = self.catalog._details(self.condition, self.params)
        values = entry.__dict__
        for name, value in self.rows.get(values["id"], _GONE).items():
            values.setdefault(name, value)  # a value set on the entry since stays
        values.setdefault("warnings", [])
        values.pop("_details", None)


class Catalog:
    """The catalog database of one library. Safe to share between threads (calls are serialised)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        self.journal = Journal(self.path)  # a second copy of what the reader made (see reader.journal)
        self._touched: set[str] = set()  # papers whose user data the current transaction changes
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
            self._add_sort_indexes()
            return  # nothing to write: opening works on a full disk, and read-only commands with it
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                return  # _check_version says what to do
            # one statement at a time: executescript() would commit our transaction halfway
            for statement in [*_SCHEMA.split(";"), *SORT_INDEXES.values()]:
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _add_sort_indexes(self) -> None:
        """The sort indexes a catalog made before them lacks; none when it cannot be written now (a full disk,
        another process writing): listing only sorts its rows itself then."""
        marks = ",".join("?" * len(SORT_INDEXES))
        have = {row[0] for row in self._db.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({marks})", list(SORT_INDEXES))}
        if len(have) == len(SORT_INDEXES):
            return
        try:
            with self.transaction() as db:
                for statement in SORT_INDEXES.values():
                    db.execute(statement)
        except (LibraryError, sqlite3.OperationalError):
            pass

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
        with self._lock:
            self._touched.clear()
            try:
                with write_transaction(self._db, self._lock,
                                       lambda why: LibraryError(f"{self.path}: cannot write to the catalog: {why}"),
                                       self.journal) as db:
                    yield db
                    for paper_id in sorted(self._touched):
                        self.journal.stage("paper", paper_id, user_state(db, paper_id))
            finally:
                self._touched.clear()

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

    def entries(self, sort: str = "added", collection: str | None = None, tag: str | None = None
                ) -> list[CatalogEntry]:
        """Every paper, sorted by ``added`` (newest first), ``title``, ``year`` (newest first) or ``author``;
        only those filed in ``collection`` (or a collection inside it) and tagged ``tag``, when given (both
        matched without regard to case)."""
        order = SORT_KEYS.get(sort)
        if order is None:
            raise LibraryError(f"unknown sort key {sort!r} (use one of: {', '.join(SORT_KEYS)})")
        where, params = [], []
        if collection is not None:
            path = collection.strip().strip("/")
            where.append("id IN (SELECT paper_id FROM paper_collections WHERE collection = ? COLLATE NOCASE "
                         "OR lower(substr(collection, 1, ?)) = lower(?))")
            params += [path, len(path) + 1, path + "/"]
        if tag is not None:
            where.append("id IN (SELECT paper_id FROM paper_tags WHERE tag = ? COLLATE NOCASE)")
            params.append(tag.strip())
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        # 10,000 rows and their entries at once: the cycle collector's passes over them were a quarter of the
        # time (see collector.py)
        with self._lock, collector_paused():
            rows, damaged = read_rows(self._db, f"SELECT {','.join(_LISTED)} FROM papers{condition} "
                                      f"ORDER BY {order}", params)
            listed = None if damaged else _listed_entries(rows, _ListingDetails(self, condition, params))
            if listed is not None:
                return listed
            # some text or JSON is damaged: whole rows, repaired where they must be
            return _entries(*read_rows(self._db, f"SELECT {','.join(_COLUMNS)} FROM papers{condition} "
                                       f"ORDER BY {order}", params))

    def _details(self, condition: str, params: list[Any]) -> dict[str, dict[str, Any]]:
        """The details (_DETAILS) of the papers a listing's condition selects, by paper id: read through the
        catalog's connection, or a new one when the catalog was closed since the listing."""
        sql = f"SELECT id,{','.join(_DETAILS)} FROM papers{condition}"
        with self._lock:
            try:
                rows, damaged = read_rows(self._db, sql, params)
            except sqlite3.ProgrammingError:  # closed
                db = connect(self.path, True)
                try:
                    rows, damaged = read_rows(db, sql, params)
                finally:
                    db.close()
        found = {}
        for paper_id, *values in rows:
            if damaged:
                values = [repair_text(v)[0] if isinstance(v, str) else v for v in values]
            details = dict(zip(_DETAILS, values))
            try:
                details["warnings"] = _list(details["warnings"])
            except (ValueError, TypeError):
                details["warnings"] = ["this paper's row in the library database is damaged; shown as far as "
                                       "it can be read"]
            details["indexed"] = bool(details["indexed"])
            found[repair_text(paper_id)[0] if damaged else paper_id] = details
        return found

    def entries_of_format(self, fmt: str) -> list[CatalogEntry]:
        with self._lock:
            rows = self._db.execute(f"SELECT {','.join(_COLUMNS)} FROM papers WHERE format = ?", (fmt,)).fetchall()
        return [CatalogEntry._from_row(row) for row in rows]

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
                "SELECT id FROM papers WHERE parser_version != ? AND format != 'record' ORDER BY added",
                (parser_version,))]

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
        """Take a paper's row out. What the reader made of it (corrections, tags, collections, notes, like the
        highlights) is kept and comes back with the paper; a paper brought from elsewhere stays known as
        removed, so importing that library again does not bring it back."""
        with self.transaction() as db:
            db.execute("DELETE FROM papers WHERE id = ?", (paper_id,))

    # the user's corrections of metadata (reader.library.corrections)

    def corrections(self, paper_id: str) -> dict[str, Any]:
        """The fields of a paper the user corrected, with their values. A row this version cannot read is
        left out (the parsed value shows) rather than stopping the paper from opening."""
        return self.corrections_of([paper_id]).get(paper_id, {})

    def corrections_of(self, paper_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Corrections of several papers, by id (papers with none are left out)."""
        if not paper_ids:
            return {}
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(paper_ids), 500):  # SQLite's limit on parameters
            chunk = paper_ids[start:start + 500]
            with self._lock:
                rows = self._db.execute(
                    f"SELECT paper_id, field, value FROM corrections WHERE paper_id IN ({','.join('?' * len(chunk))})",
                    chunk).fetchall()
            for paper_id, field_name, value in rows:
                try:
                    out.setdefault(paper_id, {})[field_name] = corr.decode(field_name, value)
                except (ValueError, TypeError, KeyError):
                    continue
        return out

    def set_corrections(self, entry: CatalogEntry, changes: dict[str, Any], source: str = "user") -> None:
        """Record corrections (a value of None removes that field's) and the paper's new catalog row, in one
        transaction; the row is marked unindexed, so the index takes the new values at its next catch-up."""
        now = _now()
        with self.transaction() as db:
            self._touched.add(entry.id)
            for field_name, value in changes.items():
                if value is None:
                    db.execute("DELETE FROM corrections WHERE paper_id = ? AND field = ?", (entry.id, field_name))
                else:
                    db.execute("INSERT OR REPLACE INTO corrections (paper_id, field, value, source, modified) "
                               "VALUES (?, ?, ?, ?, ?)",
                               (entry.id, field_name, corr.encode(field_name, value), source, now))
            entry.indexed = False
            db.execute(f"INSERT OR REPLACE INTO papers ({','.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})",
                       entry._row())

    def set_source_corrections(self, paper_id: str, values: dict[str, Any], source: str,
                               db: sqlite3.Connection) -> None:
        """Make ``source``'s metadata of a paper exactly ``values`` (a field the source no longer has goes; one the
        reader corrected here stays theirs; a value that is not one is left out)."""
        self._touched.add(paper_id)
        existing = dict(db.execute("SELECT field, source FROM corrections WHERE paper_id = ?", (paper_id,)))
        now = _now()
        for field_name in corr.FIELDS:
            if existing.get(field_name) == "user":
                continue
            value = values.get(field_name)
            try:
                value = corr.normalise(field_name, value) if value not in (None, "", []) else None
            except LibraryError:
                value = None
            if value is not None:
                db.execute("INSERT OR REPLACE INTO corrections (paper_id, field, value, source, modified) "
                           "VALUES (?, ?, ?, ?, ?)", (paper_id, field_name, corr.encode(field_name, value), source, now))
            elif existing.get(field_name) == source:
                db.execute("DELETE FROM corrections WHERE paper_id = ? AND field = ?", (paper_id, field_name))

    def move_paper_data(self, old: str, new: str) -> None:
        """What the reader made of one paper (corrections, tags, collections, notes, where it came from) moves to
        another; where the other has its own, its own wins."""
        with self.transaction() as db:
            self._touched.update((old, new))
            for table in ("corrections", "paper_tags", "paper_collections", "paper_notes", "external_items"):
                db.execute(f"UPDATE OR IGNORE {table} SET paper_id = ? WHERE paper_id = ?", (new, old))
                db.execute(f"DELETE FROM {table} WHERE paper_id = ?", (old,))

    # tags, collections and notes on papers

    def tags_of(self, paper_id: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT tag FROM paper_tags WHERE paper_id = ? ORDER BY tag COLLATE NOCASE", (paper_id,))]

    def collections_of(self, paper_id: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT collection FROM paper_collections WHERE paper_id = ? ORDER BY collection COLLATE NOCASE",
                (paper_id,))]

    def notes_of(self, paper_id: str) -> list[PaperNote]:
        with self._lock:
            rows = self._db.execute("SELECT id, paper_id, text, page, source, created, modified FROM paper_notes "
                                    "WHERE paper_id = ? ORDER BY created, id", (paper_id,)).fetchall()
        return [PaperNote(*row) for row in rows]

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with how many papers of the library have it."""
        with self._lock:
            return [(r[0], r[1]) for r in self._db.execute(
                "SELECT tag, count(*) FROM paper_tags WHERE paper_id IN (SELECT id FROM papers) "
                "GROUP BY tag ORDER BY tag COLLATE NOCASE")]

    def all_collections(self) -> list[tuple[str, int]]:
        """Every collection (a path, parents included) with how many papers are filed in it or below it."""
        with self._lock:
            rows = self._db.execute("SELECT paper_id, collection FROM paper_collections "
                                    "WHERE paper_id IN (SELECT id FROM papers)").fetchall()
        members: dict[str, set[str]] = {}
        for paper_id, path in rows:
            parts = path.split("/")
            for depth in range(1, len(parts) + 1):
                members.setdefault("/".join(parts[:depth]), set()).add(paper_id)
        return sorted(((path, len(ids)) for path, ids in members.items()), key=lambda item: item[0].lower())

    def set_source_tags(self, paper_id: str, source: str, tags: Iterable[str],
                        db: sqlite3.Connection) -> None:
        """Make ``source``'s tags of a paper exactly ``tags`` (a tag the reader gave it here stays theirs)."""
        self._touched.add(paper_id)
        _set_source_values(db, "paper_tags", "tag", paper_id, source, tags)

    def set_source_collections(self, paper_id: str, source: str, paths: Iterable[str],
                               db: sqlite3.Connection) -> None:
        self._touched.add(paper_id)
        _set_source_values(db, "paper_collections", "collection", paper_id, source, paths)

    def put_note(self, note: PaperNote, db: sqlite3.Connection) -> None:
        self._touched.add(note.paper_id)
        db.execute("INSERT OR REPLACE INTO paper_notes (id, paper_id, text, page, source, created, modified) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", (note.id, note.paper_id, note.text, note.page, note.source,
                                                    note.created, note.modified))

    def ids_with_user_data(self) -> set[str]:
        """Papers the reader made something of here (or brought it from elsewhere): corrected, tagged, filed,
        annotated."""
        with self._lock:
            return {r[0] for r in self._db.execute(
                "SELECT paper_id FROM corrections UNION SELECT paper_id FROM paper_tags UNION "
                "SELECT paper_id FROM paper_collections UNION SELECT paper_id FROM paper_notes UNION "
                "SELECT paper_id FROM highlights")}

    # papers brought from another reference manager (reader.library.external)

    def external_item(self, source: str, item_key: str) -> tuple[str, str] | None:
        """(paper id, the item's modification time at our last import) for an item brought in before."""
        with self._lock:
            row = self._db.execute("SELECT paper_id, modified FROM external_items WHERE source = ? AND item_key = ?",
                                   (source, item_key)).fetchone()
        return (row[0], row[1]) if row else None

    def set_external_item(self, source: str, item_key: str, paper_id: str, modified: str,
                          db: sqlite3.Connection) -> None:
        # OR REPLACE may take the item from another paper: both papers' states go to the journal
        old = db.execute("SELECT paper_id FROM external_items WHERE source = ? AND item_key = ?",
                         (source, item_key)).fetchone()
        self._touched.update([paper_id] + ([old[0]] if old else []))
        db.execute("INSERT OR REPLACE INTO external_items (source, item_key, paper_id, modified) VALUES (?, ?, ?, ?)",
                   (source, item_key, paper_id, modified))

    def external_highlight(self, highlight_id: str) -> str | None:
        """The ``modified`` stamp a brought-in highlight had when we last wrote it, or None if we never did."""
        with self._lock:
            row = self._db.execute("SELECT written FROM external_highlights WHERE highlight_id = ?",
                                   (highlight_id,)).fetchone()
        return row[0] if row else None

    def set_external_highlight(self, highlight_id: str, source: str, item_key: str, written: str,
                               db: sqlite3.Connection) -> None:
        db.execute("INSERT OR REPLACE INTO external_highlights (highlight_id, source, item_key, written) "
                   "VALUES (?, ?, ?, ?)", (highlight_id, source, item_key, written))
        self.journal.stage("external_highlight", highlight_id,
                           {"source": source, "item_key": item_key, "written": written})

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


# What the reader made of a paper, table by table, as the journal keeps it (reader.journal).
USER_TABLES = {
    "corrections": ("field", "value", "source", "modified"),
    "paper_tags": ("tag", "source"),
    "paper_collections": ("collection", "source"),
    "paper_notes": ("id", "text", "page", "source", "created", "modified"),
    "external_items": ("source", "item_key", "modified"),  # where it was brought in from
}


def user_state(db: sqlite3.Connection, paper_id: str) -> dict[str, list[list[Any]]]:
    """A paper's rows in the tables of what the reader made of it (sorted, so equal states compare equal)."""
    state = {}
    for table, columns in USER_TABLES.items():
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE paper_id = ?", (paper_id,)).fetchall()
        state[table] = sorted([list(r) for r in rows], key=repr)
    return state


def put_user_state(db: sqlite3.Connection, paper_id: str, state: dict[str, list[list[Any]]]) -> None:
    """Make a paper's rows exactly ``state`` (as ``user_state`` gave it)."""
    where, key = match_key("paper_id", paper_id)
    for table, columns in USER_TABLES.items():
        db.execute(f"DELETE FROM {table} WHERE {where}", (key,))
        db.executemany(f"INSERT OR REPLACE INTO {table} (paper_id, {', '.join(columns)}) "
                       f"VALUES (?, {', '.join('?' * len(columns))})",
                       [(paper_id, *row) for row in state.get(table, [])])


def put_external_highlight_state(db: sqlite3.Connection, highlight_id: str, state: dict[str, str] | None) -> None:
    """Make the record of where a brought-in highlight came from exactly ``state`` (None: no record)."""
    where, key = match_key("highlight_id", highlight_id)
    db.execute(f"DELETE FROM external_highlights WHERE {where}", (key,))
    if state is not None:
        db.execute("INSERT INTO external_highlights (highlight_id, source, item_key, written) VALUES (?, ?, ?, ?)",
                   (highlight_id, state.get("source"), state.get("item_key"), state.get("written")))


def papers_with_user_state(db: sqlite3.Connection) -> set[str]:
    return {r[0] for table in USER_TABLES for r in db.execute(f"SELECT DISTINCT paper_id FROM {table}")}


def _entries(rows: list[tuple[Any, ...]], some_text_damaged: bool) -> list[CatalogEntry]:
    if not some_text_damaged:
        return _entries_at_once(rows) or [CatalogEntry._from_row(row) for row in rows]
    return [CatalogEntry._repaired(row) if any(isinstance(v, str) and repair_text(v)[1] for v in row)
            else CatalogEntry._from_row(row) for row in rows]


@dataclass
class PaperNote:
    """A note on a paper as a whole (a Zotero child note, a note annotation), as opposed to a highlight's note."""

    id: str
    paper_id: str
    text: str
    page: str = ""
    source: str = "user"
    created: str = ""
    modified: str = ""


def _set_source_values(db: sqlite3.Connection, table: str, column: str, paper_id: str, source: str,
                       values: Iterable[str]) -> None:
    wanted = {v.strip() for v in values if v.strip()}
    db.execute(f"DELETE FROM {table} WHERE paper_id = ? AND source = ?", (paper_id, source))
    db.executemany(f"INSERT OR IGNORE INTO {table} (paper_id, {column}, source) VALUES (?, ?, ?)",
                   [(paper_id, value, source) for value in sorted(wanted)])


def _listed_entries(rows: list[tuple[Any, ...]], details: _ListingDetails) -> list[CatalogEntry] | None:
    """Entries of the listed columns (_LISTED) of ``rows``, their details read through ``details`` when first
    asked for; None when some author list is damaged JSON (see _entries_at_once)."""
    authors = _author_lists(rows, 2)
    if authors is None:
        return None
    new = CatalogEntry.__new__
    entries = []
    for (paper_id, title, _, first_author, year, venue, doi, added), names in zip(rows, authors):
        entry = new(CatalogEntry)
        entry.id, entry.title, entry.authors, entry.first_author = paper_id, title, names, first_author
        entry.year, entry.venue, entry.doi, entry.added = year, venue, doi, added
        entry._details = details  # type: ignore[attr-defined]
        entries.append(entry)
    return entries


def _author_lists(rows: list[tuple[Any, ...]], column: int) -> list[list[str]] | None:
    """Every row's author list decoded by one ``json.loads`` (10,000 calls were a third of listing a library
    of 10,000 papers); None when some row's JSON is damaged (decode them one by one)."""
    try:
        authors = json.loads("[" + ",".join([row[column] for row in rows]) + "]")
    except (ValueError, TypeError):
        return None
    # as many lists as rows, each a list: a damaged value cannot have shifted the others (an empty one would
    # not have parsed, and one holding "], [" would have made one list too many)
    if len(authors) != len(rows) or not all(type(a) is list for a in authors):
        return None
    return authors


def _entries_at_once(rows: list[tuple[Any, ...]]) -> list[CatalogEntry] | None:
    """The entries of whole ``rows``, their author lists decoded at once; None when some row's JSON is
    damaged (decode them one by one)."""
    authors = _author_lists(rows, 2)
    if authors is None:
        return None
    try:
        entries = []
        for row, names in zip(rows, authors):
            # the row as it is, then the three values it holds encoded: fewer steps a row than 17 indexings
            entry = CatalogEntry(*row)
            entry.authors = names
            entry.warnings = _list(row[14])
            entry.indexed = bool(row[16])
            entries.append(entry)
        return entries
    except (ValueError, TypeError):
        return None


def _list(text: str) -> list[str]:
    return [] if text == "[]" else json.loads(text)  # most papers have no warnings


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
