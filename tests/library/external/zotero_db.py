"""Small Zotero data directories for the tests, built from the schema facts of Zotero 5-10.

The tables and columns are Zotero's own (``items``, ``itemTypes``, ``fields``, ``itemData``, ``itemDataValues``,
``creators``, ``itemCreators``, ``creatorTypes``, ``itemAttachments``, ``itemAnnotations``, ``collections``,
``collectionItems``, ``tags``, ``itemTags``, ``itemNotes``, ``deletedItems``, ``version``). Ids of fields,
types and creator types are deliberately not Zotero's (and shuffled): the reader must join on names.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

SCHEMA = """
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT, templateItemTypeID INT, display INT DEFAULT 1);
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL, dateAdded TIMESTAMP, dateModified TIMESTAMP,
    clientDateModified TIMESTAMP, libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID INT, PRIMARY KEY (itemID, fieldID));
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT, fieldMode INT);
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL, creatorTypeID INT NOT NULL DEFAULT 1,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex));
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT, contentType TEXT,
    charsetID INT, path TEXT, syncState INT DEFAULT 0, storageModTime INT, storageHash TEXT,
    lastProcessedModificationTime INT);
CREATE TABLE itemAnnotations (itemID INTEGER PRIMARY KEY, parentItemID INT NOT NULL, type INTEGER NOT NULL,
    authorName TEXT, text TEXT, comment TEXT, color TEXT, pageLabel TEXT, sortIndex TEXT NOT NULL,
    position TEXT NOT NULL, isExternal INT NOT NULL);
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    parentCollectionID INT DEFAULT NULL, clientDateModified TIMESTAMP, libraryID INT NOT NULL, key TEXT NOT NULL,
    version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (collectionID, itemID));
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL, PRIMARY KEY (itemID, tagID));
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT, title TEXT);
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY, dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
"""
TYPES = ["note", "annotation", "journalArticle", "attachment", "book", "conferencePaper"]
FIELDS = ["url", "abstractNote", "DOI", "title", "date", "publicationTitle", "volume", "issue", "pages", "extra",
          "citationKey"]
CREATOR_TYPES = ["editor", "author", "contributor"]


@dataclass
class Ann:
    kind: int  # 1 highlight, 2 note, 3 image, 4 ink, 5 underline, 6 text
    text: str = ""
    comment: str = ""
    color: str = "#ffd400"
    page_index: int = 0
    tags: list[str] = field(default_factory=list)


@dataclass
class File:
    path: str  # as Zotero stores it: "storage:name.pdf", "attachments:rel/x.pdf" or an absolute path
    content_type: str = "application/pdf"
    link_mode: int = 0
    annotations: list[Ann] = field(default_factory=list)


@dataclass
class Item:
    key: str
    fields: dict[str, str]
    authors: list[tuple[str, str]] = field(default_factory=list)  # (last, first); first None: an organisation
    type_name: str = "journalArticle"
    files: list[File] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)  # paths "A/B"
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # HTML
    deleted: bool = False
    modified: str = "2024-01-01 10:00:00"


def build(folder: Path, items: list[Item], userdata_version: int = 120, wal: bool = False) -> sqlite3.Connection:
    """Write ``folder/zotero.sqlite`` holding ``items``; returns the open connection (close it, or keep it open
    to hold un-checkpointed writes in the WAL as a running Zotero does)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "zotero.sqlite")
    if wal:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_autocheckpoint=0")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO version VALUES ('userdata', ?)", (userdata_version,))
    for n, name in enumerate(TYPES):
        db.execute("INSERT INTO itemTypes (itemTypeID, typeName) VALUES (?, ?)", (40 - n, name))
    for n, name in enumerate(FIELDS):
        db.execute("INSERT INTO fields (fieldID, fieldName) VALUES (?, ?)", (100 + 7 * n, name))
    for n, name in enumerate(CREATOR_TYPES):
        db.execute("INSERT INTO creatorTypes VALUES (?, ?)", (9 - n, name))
    db.commit()
    add(db, items)
    return db


def add(db: sqlite3.Connection, items: list[Item]) -> None:
    """Add items (and what hangs on them) to a database ``build`` made."""
    type_id = dict((n, i) for i, n in db.execute("SELECT itemTypeID, typeName FROM itemTypes"))
    field_id = dict((n, i) for i, n in db.execute("SELECT fieldID, fieldName FROM fields"))
    creator_type = dict((n, i) for i, n in db.execute("SELECT creatorTypeID, creatorType FROM creatorTypes"))

    def new_item(type_name: str, key: str, modified: str) -> int:
        cur = db.execute("INSERT INTO items (itemTypeID, dateAdded, dateModified, clientDateModified, libraryID, "
                         "key) VALUES (?, ?, ?, ?, 1, ?)", (type_id[type_name], modified, modified, modified, key))
        return int(cur.lastrowid)

    def tag(item_id: int, name: str) -> None:
        db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        tag_id = db.execute("SELECT tagID FROM tags WHERE name = ?", (name,)).fetchone()[0]
        db.execute("INSERT INTO itemTags VALUES (?, ?, 0)", (item_id, tag_id))

    for item in items:
        item_id = new_item(item.type_name, item.key, item.modified)
        for name, value in item.fields.items():
            db.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", (value,))
            value_id = db.execute("SELECT valueID FROM itemDataValues WHERE value = ?", (value,)).fetchone()[0]
            db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item_id, field_id[name], value_id))
        for order, (last, first) in enumerate(item.authors):
            cur = db.execute("INSERT INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, ?)",
                             (first or "", last, 1 if first is None else 0))
            db.execute("INSERT INTO itemCreators VALUES (?, ?, ?, ?)", (item_id, cur.lastrowid,
                                                                        creator_type["author"], order))
        for n, f in enumerate(item.files):
            attachment = new_item("attachment", f"{item.key[:6]}A{n}", item.modified)
            db.execute("INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) "
                       "VALUES (?, ?, ?, ?, ?)", (attachment, item_id, f.link_mode, f.content_type, f.path))
            for m, a in enumerate(f.annotations):
                ann = new_item("annotation", f"N{attachment:04d}{m:03d}", item.modified)
                position = json.dumps({"pageIndex": a.page_index, "rects": [[72.0, 700.0, 300.0, 712.0]]})
                db.execute("INSERT INTO itemAnnotations VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, 0)",
                           (ann, attachment, a.kind, a.text, a.comment, a.color, str(a.page_index + 1),
                            f"{a.page_index:05d}|000000|00000", position))
                for name in a.tags:
                    tag(ann, name)
        for n, html in enumerate(item.notes):
            note = new_item("note", f"T{item_id:04d}{n:03d}", item.modified)
            db.execute("INSERT INTO itemNotes VALUES (?, ?, ?, '')", (note, item_id, html))
        for path in item.collections:
            parent = None
            for name in path.split("/"):
                row = db.execute("SELECT collectionID FROM collections WHERE collectionName = ? AND "
                                 "parentCollectionID IS ?", (name, parent)).fetchone()
                if row is None:
                    row = (db.execute("INSERT INTO collections (collectionName, parentCollectionID, libraryID, key) "
                                      "VALUES (?, ?, 1, ?)", (name, parent, name[:8].upper())).lastrowid,)
                parent = row[0]
            db.execute("INSERT INTO collectionItems (collectionID, itemID) VALUES (?, ?)", (parent, item_id))
        for name in item.tags:
            tag(item_id, name)
        if item.deleted:
            db.execute("INSERT INTO deletedItems (itemID) VALUES (?)", (item_id,))
    db.commit()


def make_pdf(path: Path, title: str, pages: list[str]) -> Path:
    """A small PDF: the title in large type on page 1, then each page's text in ordinary type."""
    doc = pymupdf.open()
    for n, text in enumerate(pages):
        page = doc.new_page()
        y = 72
        if n == 0:
            page.insert_text((72, y), title, fontsize=18)
            y += 40
        box = pymupdf.Rect(72, y, 520, 760)
        page.insert_textbox(box, text, fontsize=10.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path
