"""The library database (``library.sqlite``) as both the catalog and the highlights use it.

One connection recipe and one write transaction, so both keep the same guarantees: WAL with
``synchronous=FULL`` (a write is on disk when the call returns), ``BEGIN IMMEDIATE`` for writes, and a failed
write (a full disk, an I/O error) rolled back and reported as the caller's own error type.

Damage. A byte flipped inside a text value (invalid UTF-8) passes ``PRAGMA integrity_check`` but makes
sqlite3 fail the whole query; ``fetch_all`` reads such rows again with the bytes kept as surrogate escapes,
so the caller shows what can be read and says which row is damaged (``repair_text``). A byte flipped in the
WAL makes SQLite drop that frame and every later one, silently; ``checkpoint`` after each user action moves
the WAL into the database file at once, so acknowledged changes do not live in the WAL (issue 14 item 6).
Damage to the database file itself is repaired from the journal of the user's changes (reader.journal).
"""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.journal import Journal


def connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection shareable between threads (callers serialise their calls).

    Read-only uses ``immutable=1``: a WAL database opened read-only would still create -wal/-shm files
    beside it (or refuse to open where it cannot). The price: changes its owner is making right now, not
    yet checkpointed, are not seen.
    """
    if read_only:
        return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True, timeout=30,
                               isolation_level=None, check_same_thread=False)
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    _use_wal(db, deadline=time.monotonic() + 30)
    db.execute("PRAGMA synchronous=FULL")
    return db


def _use_wal(db: sqlite3.Connection, deadline: float) -> None:
    """Switch to WAL, waiting for other processes opening the same new database. The switch needs the
    database alone, and SQLite answers "locked" at once, without its busy wait, when another connection is
    part-way through the same switch (it would otherwise risk a deadlock), so the wait is ours."""
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.02)


@contextmanager
def write_transaction(db: sqlite3.Connection, lock: threading.RLock,
                      failure: Callable[[str], Exception], journal: Journal | None = None
                      ) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back if the block raises; SQLite's own failures become
    ``failure(reason)``. What the block staged in ``journal`` is written there just before the COMMIT, and
    taken back if the COMMIT fails (see reader.journal)."""
    with lock:
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if journal is not None:
                journal.discard()
            raise failure(str(exc)) from None
        written = None
        try:
            yield db
            if journal is not None:
                try:
                    written = journal.write_staged()
                except OSError as exc:  # the journal cannot take the change: the change is not made
                    raise sqlite3.OperationalError(f"cannot write the journal: {exc.strerror or exc}") from None
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:  # disk full, I/O error: nothing of this change was saved
            _rollback(db)
            if journal is not None:
                journal.discard()
                journal.take_back(written)
            raise failure(str(exc)) from None
        except BaseException:
            _rollback(db)
            if journal is not None:
                journal.discard()
                journal.take_back(written)
            raise


def fetch_all(db: sqlite3.Connection, sql: str, params: tuple | list = ()) -> list[tuple]:
    """``db.execute(sql, params).fetchall()``, surviving text that is not UTF-8 (see the module's doc)."""
    return read_rows(db, sql, params)[0]


def read_rows(db: sqlite3.Connection, sql: str, params: tuple | list = ()) -> tuple[list[tuple], bool]:
    """Like ``fetch_all``, and whether some text was not UTF-8 (then check the rows with ``repair_text``)."""
    try:
        return db.execute(sql, params).fetchall(), False
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
    previous = db.text_factory
    db.text_factory = _lenient
    try:
        return db.execute(sql, params).fetchall(), True
    finally:
        db.text_factory = previous


def _lenient(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def repair_text(value: str) -> tuple[str, bool]:
    """A text value read by ``fetch_all``: its undecodable bytes as U+FFFD, and whether there were any."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), True
    return value, False


def match_key(column: str, value: str) -> tuple[str, object]:
    """An SQL condition and its parameter that find ``value`` in a text column, also when it holds bytes that
    are not UTF-8 (read back by ``fetch_all`` as surrogate escapes, which sqlite3 cannot pass as text)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f'CAST("{column}" AS BLOB) = ?', value.encode("utf-8", "surrogateescape")
    return f'"{column}" = ?', value


def checkpoint(db: sqlite3.Connection) -> None:
    """Move the WAL's committed pages into the database file and empty the WAL (best effort: a reader in
    another process holding an old snapshot makes it wait a moment at most, then it is left for later)."""
    try:
        db.execute("PRAGMA busy_timeout = 200")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error:
        pass  # the change itself is committed and durable; the checkpoint is a second copy's worth of safety
    finally:
        try:
            db.execute("PRAGMA busy_timeout = 30000")
        except sqlite3.Error:
            pass


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:  # SQLite may have rolled back already (SQLITE_FULL does)
        db.execute("ROLLBACK")
