"""Keeping the library database safe: an integrity check at start, a daily online backup, and a restore.

``library.sqlite`` holds the one thing a user cannot re-create (highlights and notes), so:

- at start, ``PRAGMA integrity_check``; a damaged database is moved aside (never deleted) and the newest
  backup that passes the check takes its place, with a message saying so;
- once a day, an online copy (``Connection.backup``, safe while the library is in use) goes to
  ``<library>/backups/library-YYYY-MM-DD.sqlite``; the newest two are kept.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

KEEP_BACKUPS = 2


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


# What SQLite says of a file that is damaged, as opposed to one it cannot read right now (a full disk, an
# I/O error, a lock): only these send a database to the damaged-database path.
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def is_healthy(db_path: Path) -> bool:
    """True when SQLite opens the file and ``PRAGMA integrity_check`` says "ok"."""
    return _check(db_path) == "ok"


def is_damaged(db_path: Path) -> bool:
    """True only when the file is known to be damaged: SQLite calls it corrupt or not a database, or the
    integrity check finds faults. A check that cannot run (a full disk, an I/O error) is not damage: a
    healthy database on a full disk must never be set aside."""
    return _check(db_path) == "damaged"


def _check(db_path: Path) -> str:
    """ "ok", "damaged", or "unknown" (the check could not run)."""
    try:
        db = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:  # no code to go by: SQLite's OperationalError is a situation, the rest is the file
            return "unknown" if isinstance(exc, sqlite3.OperationalError) else "damaged"
        return "damaged" if code & 0xFF in _DAMAGE_CODES else "unknown"
    return "ok" if rows == [("ok",)] else "damaged"


def check_and_restore(db_path: Path) -> str | None:
    """Check the database; when damaged, set it aside and restore the newest good backup.

    Returns None when the database is fine (or does not exist yet), else a message for the user saying
    what was done. Nothing is ever deleted: the damaged file stays beside the library.
    """
    db_path = Path(db_path)
    if not db_path.exists() or not is_damaged(db_path):
        return None
    damaged = _unused_name(db_path)
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db_path) + suffix)
        if part.exists():
            os.replace(part, Path(str(damaged) + suffix))
    for backup in _backups(db_path):
        if is_healthy(backup):
            shutil.copy2(backup, db_path)
            return (f"{db_path}: the library database was damaged; it was set aside as {damaged.name} and the "
                    f"backup of {backup.stem.removeprefix('library-')} restored")
    return (f"{db_path}: the library database was damaged and there is no good backup; it was set aside as "
            f"{damaged.name} and a new one started (the stored papers are listed again from papers/)")


def backup_if_due(db_path: Path, today: date | None = None) -> Path | None:
    """Make today's backup unless it exists; keep the newest KEEP_BACKUPS. Returns the new file, if any."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    folder = backup_dir(db_path)
    target = folder / f"library-{(today or date.today()).isoformat()}.sqlite"
    if target.exists():
        return None
    folder.mkdir(exist_ok=True)
    # a temporary name of this process's own: two processes opening the library may both make the backup
    fd, name = tempfile.mkstemp(dir=folder, prefix=f"{target.stem}.", suffix=".partial")
    os.close(fd)
    partial = Path(name)
    try:
        source = sqlite3.connect(db_path, timeout=30)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    for old in _backups(db_path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def _unused_name(db_path: Path) -> Path:
    """A name for setting a damaged database aside that no earlier damaged copy has (never overwrite one)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(10_000):
        candidate = db_path.with_name(f"{db_path.name}.damaged-{stamp}" + (f"-{n}" if n else ""))
        if not any(Path(str(candidate) + s).exists() for s in ("", "-wal", "-shm")):
            return candidate
    raise OSError(f"{db_path.parent}: too many damaged copies set aside")


def _backups(db_path: Path) -> list[Path]:
    """Backups, newest first (the date is in the name)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("library-*.sqlite"), reverse=True)
