"""The journal of the user's changes: an append-only file beside ``library.sqlite`` (``library.journal``).

Why. The database is the working copy; a flipped byte in it (or in its WAL) can lose rows that no backup holds
yet, and can change a note with ``PRAGMA integrity_check`` still "ok". The journal is a second, independent
copy of what the reader made, and nothing else: one JSON line per transaction, carrying the whole new state
of each item it changed (a highlight's row; a paper's corrections, tags, collections and notes), with a
checksum. Written and
fsync'd inside the write transaction, before its COMMIT (taken back if the COMMIT fails), so every change the
user was told is saved is in both places, in commit order (SQLite's write lock orders the processes).

Because each line holds a whole state, replaying lines is idempotent: the last line of an item is its state.
So the journal's fold (item -> last state) repairs the database: after damage, over the newest good backup;
and at every start it is compared with the database, which finds a changed note that no check would notice.
The journal starts with a snapshot of the database, and is rewritten as its fold when it grows, so its size
follows the number of items, not the number of changes.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Item = tuple[str, str]  # (kind, key): ("highlight", id), ("paper", paper id), ("external_highlight", id)

# The journal's format, kept as the item ("journal", "format") written first by every rewrite. Format 2 added
# where brought-in papers and highlights came from (a paper's "external_items", the "external_highlight"
# items); a journal without the item is format 1 and knows nothing of those (see repair.check).
FORMAT = 2
FORMAT_ITEM: Item = ("journal", "format")


def journal_path(db_path: Path) -> Path:
    return Path(db_path).with_name("library.journal")


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def encode(items: list[tuple[str, str, Any]]) -> bytes:
    """One journal line: the items one transaction changed, ``[{"kind", "key", "state"}, ...]``, and the
    checksum of that JSON text. One line per transaction: a line cut short by a crash is a transaction that
    never committed, and the last line is the one a crash may have interrupted before its COMMIT."""
    body = json.dumps([{"kind": k, "key": key, "state": state} for k, key, state in items],
                      ensure_ascii=True, sort_keys=True)
    return f'{{"sum": "{_checksum(body)}", "items": {body}}}\n'.encode("ascii")


@dataclass
class Contents:
    """What a journal holds: each item's last state (None: deleted), and the lines that could not be read."""

    states: dict[Item, Any] = field(default_factory=dict)
    # the items of the last line (the last transaction), with their states before it (None: none)
    last: dict[Item, Any] = field(default_factory=dict)
    lines: int = 0
    damaged: int = 0  # lines with a bad checksum or no JSON (a flipped byte, a torn last line)
    torn_end: bool = False  # only the last line is unreadable: a crash while it was being written


def read(path: Path) -> Contents:
    """Every line of the journal, folded; damaged lines are counted and skipped."""
    found = Contents()
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return found
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for n, line in enumerate(lines):
        found.lines += 1
        items = _decode(line)
        if items is None:
            found.damaged += 1
            found.torn_end = n == len(lines) - 1 and found.damaged == 1
            found.last = {}
            continue
        found.last = {(kind, key): found.states.get((kind, key)) for kind, key, _ in items}
        for kind, key, state in items:
            found.states[(kind, key)] = state
    return found


_HEAD, _MIDDLE = '{"sum": "', '", "items": '


def _decode(line: bytes) -> list[tuple[str, str, Any]] | None:
    """A line's items, or None when it is damaged (its checksum, its shape)."""
    try:
        text = line.decode("ascii")
        at = len(_HEAD) + 16
        if not text.startswith(_HEAD) or text[at:at + len(_MIDDLE)] != _MIDDLE or not text.endswith("}"):
            return None
        body = text[at + len(_MIDDLE):-1]
        if _checksum(body) != text[len(_HEAD):at]:
            return None
        items = []
        for item in json.loads(body):
            kind, key = item["kind"], item["key"]
            if not isinstance(kind, str) or not isinstance(key, str):
                return None
            items.append((kind, key, item["state"]))
        return items
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


class Journal:
    """Appending to the journal of one library database. Lines are staged during a write transaction and
    written by ``write_staged`` just before its COMMIT; ``take_back`` undoes that when the COMMIT fails."""

    def __init__(self, db_path: Path) -> None:
        self.path = journal_path(db_path)
        self._staged: list[tuple[str, str, Any]] = []

    def stage(self, kind: str, key: str, state: Any) -> None:
        self._staged.append((kind, key, state))

    def discard(self) -> None:
        self._staged.clear()

    def write_staged(self) -> int | None:
        """Append the staged lines and fsync; returns the journal's size before (for ``take_back``), or None
        when nothing was staged. Raises OSError (nothing appended) when the lines cannot be written."""
        if not self._staged:
            return None
        data, self._staged = encode(self._staged), []
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            before = os.fstat(fd).st_size
            try:
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(28, "No space left on device (the journal line was cut short)")
                os.fsync(fd)
            except OSError:
                _truncate(fd, before)
                raise
        finally:
            os.close(fd)
        return before

    def take_back(self, size: int | None) -> None:
        """The transaction did not commit: its lines leave the journal (truncating needs no free space)."""
        if size is None:
            return
        try:
            fd = os.open(self.path, os.O_WRONLY)
        except OSError:
            return
        try:
            _truncate(fd, size)
        finally:
            os.close(fd)

    def rewrite(self, states: dict[Item, Any]) -> None:
        """Replace the journal by one line per item (its fold, or a snapshot of the database): written beside
        it, fsync'd, then renamed over it. Call inside a write transaction, so no process appends meanwhile."""
        states = {FORMAT_ITEM: FORMAT, **{item: s for item, s in states.items() if item != FORMAT_ITEM}}
        partial = self.path.with_name(self.path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb", closefd=False) as f:
                for (kind, key), state in sorted(states.items(), key=lambda kv: kv[0]):
                    f.write(encode([(kind, key, state)]))
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            partial.unlink(missing_ok=True)
            raise
        os.close(fd)
        os.replace(partial, self.path)
        _fsync_folder(self.path.parent)


def _truncate(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass  # (truncating needs no free space; should it fail all the same, the next start makes the change)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
