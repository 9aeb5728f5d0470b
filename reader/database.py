"""The library database (``library.sqlite``) as both the catalog and the highlights use it.

One connection recipe and one write transaction, so both keep the same guarantees: WAL with
``synchronous=FULL`` (a write is on disk when the call returns), ``BEGIN IMMEDIATE`` for writes, and a failed
write (a full disk, an I/O error) rolled back and reported as the caller's own error type.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


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
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


@contextmanager
def write_transaction(db: sqlite3.Connection, lock: threading.RLock,
                      failure: Callable[[str], Exception]) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back if the block raises; SQLite's own failures become
    ``failure(reason)``."""
    with lock:
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise failure(str(exc)) from None
        try:
            yield db
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:  # disk full, I/O error: nothing of this change was saved
            _rollback(db)
            raise failure(str(exc)) from None
        except BaseException:
            _rollback(db)
            raise


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:  # SQLite may have rolled back already (SQLITE_FULL does)
        db.execute("ROLLBACK")
