"""Read a Zotero data directory (Zotero 5 to 10) into records, without ever writing to it.

Zotero keeps everything in ``zotero.sqlite`` and the files in ``storage/<attachment key>/``. Zotero 10 holds an
exclusive lock on the database while it runs and writes through its WAL, so we never open Zotero's own file:
we copy it (with its ``-wal`` file when there is one) into a temporary folder and read the copy.

Field, type and creator-type ids differ between installs, so every join goes through their names
(``fields.fieldName``, ``itemTypes.typeName``, ``creatorTypes.creatorType``).
"""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from html import unescape
from pathlib import Path

from reader.library.external.records import Annotation, Attachment, Note, Record, SourceError
from reader.model import Name

# Zotero's userdata schema versions we know: Zotero 5.0 wrote 80-ish, Zotero 7 about 120, Zotero 10 a little
# more. A database from far beyond may have moved tables: we say so rather than guess.
KNOWN_SCHEMA = range(60, 200)
NOT_WORKS = {"attachment", "note", "annotation"}
LINK_IMPORTED_FILE, LINK_IMPORTED_URL, LINK_LINKED_FILE, LINK_LINKED_URL = 0, 1, 2, 3
ANNOTATION_KINDS = {1: "highlight", 2: "note", 3: "image", 4: "ink", 5: "underline", 6: "text"}
READABLE_TYPES = ("application/pdf", "text/plain", "text/markdown", "text/x-markdown", "application/xml",
                  "text/xml", "application/jats+xml")
READABLE_SUFFIXES = (".pdf", ".txt", ".md", ".xml", ".nxml")
# the year in Zotero's multipart date ("2020-03-15 March 15, 2020") or as typed
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def read_zotero(data_dir: Path, base_dir: Path | None = None) -> list[Record]:
    """The regular items of a Zotero data directory (not those in the trash), as records.

    ``base_dir`` is Zotero's "Linked Attachment Base Directory", for files linked as ``attachments:...``.
    Raises SourceError when the folder has no Zotero database, or it is locked, damaged or of a version we
    do not know.
    """
    data_dir = Path(data_dir)
    database = data_dir / "zotero.sqlite"
    if not database.is_file():
        raise SourceError(f"{data_dir}: not a Zotero data directory (it has no zotero.sqlite)")
    with tempfile.TemporaryDirectory(prefix="litreader-zotero-") as scratch:
        copy = Path(scratch) / "zotero.sqlite"
        try:
            shutil.copyfile(database, copy)
            for suffix in ("-wal",):  # the WAL holds what Zotero wrote since its last checkpoint
                if Path(f"{database}{suffix}").is_file():
                    shutil.copyfile(f"{database}{suffix}", f"{copy}{suffix}")
        except OSError as exc:
            raise SourceError(f"{database}: cannot be read ({exc.strerror or exc}); if Zotero is running and "
                              "the system locks its files, close Zotero and try again") from None
        try:
            db = sqlite3.connect(copy)
            try:
                return _Reader(db, data_dir, base_dir).records()
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            text = str(exc)
            if "locked" in text:
                raise SourceError(f"{database}: the database is locked; close Zotero and try again") from None
            raise SourceError(f"{database}: not a Zotero database we can read ({text})") from None


class _Reader:
    def __init__(self, db: sqlite3.Connection, data_dir: Path, base_dir: Path | None) -> None:
        self.db = db
        self.data_dir = data_dir
        self.base_dir = base_dir
        self.tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = {"items", "itemTypes", "fields", "itemData", "itemDataValues"} - self.tables
        if missing:
            raise sqlite3.DatabaseError(f"no table {', '.join(sorted(missing))}")
        if "version" in self.tables:
            row = db.execute("SELECT version FROM version WHERE schema = 'userdata'").fetchone()
            if row is not None and int(row[0]) not in KNOWN_SCHEMA:
                raise sqlite3.DatabaseError(f"userdata schema {row[0]}, from a Zotero version we do not know")

    def _rows(self, sql: str, table: str, *params: object) -> list[tuple]:
        """Rows of a query on an optional table (Zotero 5 has no itemAnnotations): none when it is absent."""
        return self.db.execute(sql, params).fetchall() if table in self.tables else []

    def records(self) -> list[Record]:
        deleted = {r[0] for r in self._rows("SELECT itemID FROM deletedItems", "deletedItems")}
        items = self.db.execute("SELECT i.itemID, i.key, t.typeName, i.dateModified FROM items i "
                                "JOIN itemTypes t ON t.itemTypeID = i.itemTypeID").fetchall()
        keys = {item_id: key for item_id, key, _, _ in items}
        fields = self._fields()
        creators = self._creators()
        tags = self._tags()
        collections = self._collections()
        notes, attachments = self._children(keys, fields, tags, deleted)
        records = []
        for item_id, key, type_name, modified in items:
            if type_name in NOT_WORKS or item_id in deleted:
                continue
            f = fields.get(item_id, {})
            records.append(Record(
                key=key, item_type=type_name, title=f.get("title", ""), authors=creators.get(item_id, []),
                year=_year(f.get("date", "")), venue=f.get("publicationTitle") or f.get("proceedingsTitle")
                or f.get("bookTitle") or f.get("websiteTitle") or f.get("publisher", ""),
                volume=f.get("volume", ""), issue=f.get("issue", ""), pages=f.get("pages", ""),
                doi=f.get("DOI", ""), url=f.get("url", ""), abstract=f.get("abstractNote", ""),
                citation_key=f.get("citationKey", "") or _extra_key(f.get("extra", "")),
                attachments=attachments.get(item_id, []), collections=collections.get(item_id, []),
                tags=tags.get(item_id, []), notes=notes.get(item_id, []), modified=modified or ""))
        return records

    def _fields(self) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = defaultdict(dict)
        for item_id, name, value in self.db.execute(
                "SELECT d.itemID, f.fieldName, v.value FROM itemData d JOIN fields f ON f.fieldID = d.fieldID "
                "JOIN itemDataValues v ON v.valueID = d.valueID"):
            out[item_id][name] = str(value).strip()
        return out

    def _creators(self) -> dict[int, list[Name]]:
        """Each work's authors in order; an edited book's editors when it has no author."""
        rows = self._rows(
            "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, t.creatorType FROM itemCreators ic "
            "JOIN creators c ON c.creatorID = ic.creatorID JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID "
            "ORDER BY ic.itemID, ic.orderIndex", "itemCreators")
        by_role: dict[str, dict[int, list[Name]]] = {"author": defaultdict(list), "editor": defaultdict(list)}
        for item_id, first, last, mode, role in rows:
            if role in by_role:
                last, first = (last or "").strip(), (first or "").strip()
                by_role[role][item_id].append(Name(literal=last) if mode == 1 else Name(last, first))
        authors, editors = by_role["author"], by_role["editor"]
        return {item_id: authors.get(item_id) or editors[item_id] for item_id in set(authors) | set(editors)}

    def _tags(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        for item_id, name in self._rows("SELECT it.itemID, t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID "
                                        "ORDER BY it.itemID, t.name", "itemTags"):
            out[item_id].append(name)
        return out

    def _collections(self) -> dict[int, list[tuple[str, ...]]]:
        rows = self._rows("SELECT collectionID, collectionName, parentCollectionID FROM collections", "collections")
        by_id = {cid: (name, parent) for cid, name, parent in rows}

        def path(cid: int) -> tuple[str, ...]:
            parts: list[str] = []
            seen: set[int] = set()
            while cid in by_id and cid not in seen:  # a loop in a damaged database ends here
                seen.add(cid)
                name, parent = by_id[cid]
                parts.append(name)
                cid = parent
            return tuple(reversed(parts))

        out: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for cid, item_id in self._rows("SELECT collectionID, itemID FROM collectionItems", "collectionItems"):
            if cid in by_id:
                out[item_id].append(path(cid))
        return {item_id: sorted(set(paths)) for item_id, paths in out.items()}

    def _children(self, keys: dict[int, str], fields: dict[int, dict[str, str]], tags: dict[int, list[str]],
                  deleted: set[int]) -> tuple[dict[int, list[Note]], dict[int, list[Attachment]]]:
        notes: dict[int, list[Note]] = defaultdict(list)
        for item_id, parent, html in self._rows("SELECT itemID, parentItemID, note FROM itemNotes", "itemNotes"):
            if parent is not None and item_id not in deleted:
                text = html_to_text(html or "")
                if text:
                    notes[parent].append(Note(key=keys[item_id], text=text))
        annotations = self._annotations(keys, tags, deleted)
        attachments: dict[int, list[Attachment]] = defaultdict(list)
        for item_id, parent, mode, content_type, path in self._rows(
                "SELECT itemID, parentItemID, linkMode, contentType, path FROM itemAttachments", "itemAttachments"):
            if parent is None or item_id in deleted or mode == LINK_LINKED_URL:
                continue
            attachment = self._locate(keys[item_id], mode, content_type or "", path or "")
            if attachment is None:
                continue  # a snapshot or image: not a paper
            attachment.annotations = annotations.get(item_id, [])
            attachments[parent].append(attachment)
        return notes, attachments

    def _locate(self, key: str, mode: int, content_type: str, path: str) -> Attachment | None:
        name = path.split(":", 1)[1] if path.startswith(("storage:", "attachments:")) else path
        if not (content_type in READABLE_TYPES or name.lower().endswith(READABLE_SUFFIXES)):
            return None
        if path.startswith("storage:"):
            where: Path | None = self.data_dir / "storage" / key / name
        elif path.startswith("attachments:"):
            if self.base_dir is None:
                return Attachment(None, name, "linked relative to Zotero's base folder: give it with --base-dir")
            where = Path(self.base_dir) / name
        elif path:
            where = Path(path)
        else:
            return Attachment(None, key, "Zotero records no path for this file")
        if not where.is_file():
            return Attachment(None, str(where), "file not found")
        return Attachment(where, str(where))

    def _annotations(self, keys: dict[int, str], tags: dict[int, list[str]], deleted: set[int]
                     ) -> dict[int, list[Annotation]]:
        out: dict[int, list[Annotation]] = defaultdict(list)
        rows = self._rows("SELECT a.itemID, a.parentItemID, a.type, a.text, a.comment, a.color, a.pageLabel, "
                          "a.position, i.dateModified FROM itemAnnotations a JOIN items i ON i.itemID = a.itemID "
                          "ORDER BY a.parentItemID, a.sortIndex", "itemAnnotations")
        for item_id, parent, kind, text, comment, color, label, position, modified in rows:
            if item_id in deleted:
                continue
            out[parent].append(Annotation(
                key=keys[item_id], kind=ANNOTATION_KINDS.get(kind, "unknown"), text=(text or "").strip(),
                comment=(comment or "").strip(), color=color or "", page_index=_page_index(position),
                page_label=label or "", tags=tags.get(item_id, []), modified=modified or ""))
        return out


def html_to_text(html: str) -> str:
    """A Zotero note (HTML) as plain text: paragraphs on lines of their own, entities decoded."""
    text = _BLOCK_END.sub("\n", html)
    text = unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _year(date: str) -> int | None:
    match = _YEAR.search(date)
    return int(match.group(1)) if match else None


def _extra_key(extra: str) -> str:
    """Better BibTeX's pinned key, kept in the Extra field as ``Citation Key: smith2020``."""
    for line in extra.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "citation key" and value.strip():
            return value.strip()
    return ""


def _page_index(position: str | None) -> int | None:
    try:
        value = json.loads(position or "")
    except ValueError:
        return None
    index = value.get("pageIndex") if isinstance(value, dict) else None
    return index if isinstance(index, int) and index >= 0 else None
