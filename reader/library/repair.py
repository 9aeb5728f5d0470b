"""The library database checked against the journal of the reader's changes, and repaired from it.

The journal (reader.journal) holds the last state of every highlight and of what the reader made of every
paper (corrections, tags, collections, notes). At each writable start the database's copy of those is compared
with it: an item that differs (a byte flipped in a note, a row lost with a damaged page, a backup restored that
is older than the last changes) is written again from the journal; a row the journal does not know is a damaged
copy (its id itself was hit) and goes. After the database was set aside as damaged and a backup restored, the
same comparison puts back every change made since that backup.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader import journal as journal_file
from reader.database import connect
from reader.highlights.store import HIGHLIGHT_COLUMNS, put_highlight_state
from reader.library.catalog import USER_TABLES, put_external_highlight_state, put_user_state

# Rewrite the journal as its fold when it has this many more lines than items (and at least this many).
_COMPACT_SLACK = 2000


@dataclass
class Repair:
    """What a check found and did; ``notice()`` says it in one line (None when there is nothing to say)."""

    highlights: int = 0  # highlights written again from the journal (damaged or missing in the database)
    papers: int = 0  # papers whose corrections, tags, collections, notes were written again
    removed: int = 0  # rows the journal does not know (damaged copies) taken out
    unreadable_lines: int = 0  # journal lines that failed their checksum
    journal_restarted: bool = False  # the journal was damaged and was started again from the database
    in_flight: int = 0  # items of the last transaction, which a crash interrupted before its COMMIT: no damage

    def notice(self, db_path: Path) -> str | None:
        parts = []
        if self.highlights or self.papers:
            parts.append(f"{self.highlights:,} highlights and the notes, tags or corrections of {self.papers:,} "
                         "papers were damaged or missing in the library database and were restored from the "
                         "journal of changes")
        if self.removed:
            parts.append(f"{self.removed:,} damaged rows the journal does not know were removed")
        if self.unreadable_lines:
            parts.append(f"{self.unreadable_lines:,} lines of the journal of changes were damaged and could not "
                         "be read" + ("; it was started again from the database" if self.journal_restarted
                                      else ": the changes they held may be lost"))
        return f"{db_path}: " + "; ".join(parts) if parts else None


def database_states(db: sqlite3.Connection) -> dict[journal_file.Item, Any]:
    """Every highlight and every paper's user data in the database, as the journal keeps them."""
    states: dict[journal_file.Item, Any] = {}
    columns = ", ".join(f'"{c}"' for c in HIGHLIGHT_COLUMNS)
    for row in db.execute(f"SELECT {columns} FROM highlights"):
        states[("highlight", _key(row[0]))] = dict(zip(HIGHLIGHT_COLUMNS, map(_plain, row)))
    papers: dict[str, dict[str, list[list[Any]]]] = {}
    for table, cols in USER_TABLES.items():
        for paper_id, *rest in db.execute(f"SELECT paper_id, {', '.join(cols)} FROM {table}"):
            papers.setdefault(_key(paper_id), {t: [] for t in USER_TABLES})[table].append([_plain(v) for v in rest])
    for paper_id, state in papers.items():
        for rows in state.values():
            rows.sort(key=repr)
        states[("paper", paper_id)] = state
    for highlight_id, source, item_key, written in db.execute(
            "SELECT highlight_id, source, item_key, written FROM external_highlights"):
        states[("external_highlight", _key(highlight_id))] = {
            "source": _plain(source), "item_key": _plain(item_key), "written": _plain(written)}
    return states


def _from_format_1(found: journal_file.Contents, ours: dict[journal_file.Item, Any]) -> None:
    """A journal written before format 2 knows nothing of where papers and highlights were brought in from:
    for those, the database's copy is taken as the journal's (the journal is then rewritten in format 2)."""
    for item, state in ours.items():
        kind = item[0]
        if kind == "external_highlight":
            found.states.setdefault(item, state)
        elif kind == "paper":
            known = found.states.get(item)
            if known is None and item not in found.states:
                if not any(rows for table, rows in state.items() if table != "external_items"):
                    found.states[item] = state  # a paper with nothing but where it came from
            elif isinstance(known, dict):
                known.setdefault("external_items", state.get("external_items", []))
    for item, known in found.states.items():
        if item[0] == "paper" and isinstance(known, dict):
            known.setdefault("external_items", [])


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (a damaged cell may come back as bytes)."""
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def _key(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)  # a damaged id (a number, a blob) is still a key


def check(db_path: Path, restored: bool = False) -> Repair:
    """Compare the database with the journal and repair it; start the journal when there is none.

    ``restored``: the database was just restored from a backup (or started anew): everything the journal
    holds that the backup lacks is put back. Raises sqlite3.Error or OSError when the check cannot be made
    (a full disk): the caller reports it and carries on with the database as it is.
    """
    repair = Repair()
    log = journal_file.Journal(db_path)
    with _immediate(db_path) as db:  # no process appends to the journal meanwhile
        found = journal_file.read(log.path)
        ours = database_states(db)
        if not log.path.exists():
            log.rewrite(ours)  # the journal starts as a snapshot
            return repair
        old_format = found.states.pop(journal_file.FORMAT_ITEM, 1) != journal_file.FORMAT
        found.last.pop(journal_file.FORMAT_ITEM, None)
        if old_format:
            _from_format_1(found, ours)
        if found.damaged and not found.torn_end and not restored:
            # Which items the unreadable lines held is unknown, so the journal cannot say which database rows
            # are wrong: the database (checked healthy) is the better copy, and the journal starts again.
            repair.unreadable_lines, repair.journal_restarted = found.damaged, True
            log.rewrite(ours)
            return repair
        if found.damaged and not found.torn_end:
            repair.unreadable_lines = found.damaged
        differing = {item for item, state in found.states.items() if ours.get(item) != state}
        # A process killed after writing its journal line and before its COMMIT leaves the database just
        # before the last line: that change is made now (it was complete), and it is not damage.
        in_flight = not restored and differing <= found.last.keys() and all(
            ours.get(item) == found.last[item] for item in differing)
        for item in sorted(differing):
            kind, key = item
            state = found.states[item]
            if kind == "highlight":
                put_highlight_state(db, key, state)
            elif kind == "paper":
                put_user_state(db, key, state or {})
            elif kind == "external_highlight":
                put_external_highlight_state(db, key, state)
            else:
                continue
            if in_flight:
                repair.in_flight += 1
            elif kind in ("highlight", "external_highlight"):
                repair.highlights += 1
            else:
                repair.papers += 1
        for item in ours.keys() - found.states.keys():
            if found.damaged and not found.torn_end:
                break  # an item of an unreadable line may be one of these: keep them
            kind, key = item
            if kind == "highlight":
                put_highlight_state(db, key, None)
            elif kind == "external_highlight":
                put_external_highlight_state(db, key, None)
            else:
                put_user_state(db, key, {})
            repair.removed += 1
        if repair.unreadable_lines:
            log.rewrite(database_states(db))  # what could be put back; the report says what may be lost
        elif old_format or found.torn_end or found.lines > 2 * len(found.states) + _COMPACT_SLACK:
            log.rewrite(found.states)  # the fold: one line per item
    return repair


@contextmanager
def _immediate(db_path: Path) -> Iterator[sqlite3.Connection]:
    db = connect(db_path, read_only=False)
    db.text_factory = lambda data: data.decode("utf-8", "surrogateescape")  # damaged text is still compared
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    finally:
        db.close()
