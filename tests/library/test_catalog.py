"""The catalog (library.sqlite): rows in, rows out, sorted as a list wants them, and its version guarded."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.errors import LibraryError
from reader.library.catalog import Catalog, CatalogEntry
from reader.model import Name, Paper


def _entry(pid: str, title: str, family: str, year: int | None, added: str) -> CatalogEntry:
    paper = Paper(id=pid, source_path=f"{pid}.txt", format="text", title=title, year=year,
                  authors=[Name(family=family, given="A.")] if family else [])
    entry = CatalogEntry.for_paper(paper, f"{pid}.txt", 100)
    entry.added = added
    return entry


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(tmp_path / "library.sqlite")
    cat.add([
        _entry("a1", "Zebra crossings", "Young", 2001, "2026-01-01T00:00:00+00:00"),
        _entry("b2", "apples and pears", "Adams", 2020, "2026-03-01T00:00:00+00:00"),
        _entry("c3", "Middle things", "", None, "2026-02-01T00:00:00+00:00"),
    ])
    yield cat
    cat.close()


def test_rows_come_back_as_they_went_in(catalog: Catalog) -> None:
    entry = catalog.get("b2")
    assert entry is not None
    assert (entry.title, entry.authors, entry.first_author, entry.year) == ("apples and pears", ["A. Adams"], "adams", 2020)
    assert entry.indexed is False and entry.status == "ok"
    assert catalog.get("nope") is None
    assert set(catalog.get_many(["a1", "c3", "zz"])) == {"a1", "c3"}


@pytest.mark.parametrize(("sort", "expected"), [
    ("added", ["b2", "c3", "a1"]),        # newest first
    ("title", ["b2", "c3", "a1"]),        # case-insensitive: apples, Middle, Zebra
    ("year", ["b2", "a1", "c3"]),         # newest first, no year last
    ("author", ["b2", "a1", "c3"]),       # Adams, Young, then no author
])
def test_entries_sort_for_the_list(catalog: Catalog, sort: str, expected: list[str]) -> None:
    assert [e.id for e in catalog.entries(sort)] == expected


def test_an_unknown_sort_key_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(LibraryError, match="unknown sort key"):
        catalog.entries("colour")


def test_indexed_flags_and_removal(catalog: Catalog) -> None:
    assert sorted(catalog.unindexed()) == ["a1", "b2", "c3"]
    catalog.set_indexed(["a1", "c3"], True)
    assert catalog.unindexed() == ["b2"]
    catalog.remove("a1")
    assert catalog.ids() == {"b2", "c3"} and catalog.count() == 2


def test_the_catalog_is_durable_wal(catalog: Catalog) -> None:
    """Highlights will live here: WAL with synchronous=FULL, so a returned write is on disk."""
    assert catalog._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert catalog._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_failed_transaction_changes_nothing(catalog: Catalog) -> None:
    with pytest.raises(RuntimeError):
        with catalog.transaction() as db:
            db.execute("DELETE FROM papers")
            raise RuntimeError("boom")
    assert catalog.count() == 3


def test_a_catalog_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    Catalog(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(LibraryError, match="newer litreader"):
        Catalog(path)


def test_junk_instead_of_a_catalog_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="cannot open the catalog"):
        Catalog(path)


def test_byline_shortens_long_author_lists() -> None:
    entry = _entry("x", "T", "Smith", 2000, "2026-01-01")
    entry.authors = ["A", "B", "C", "D"]
    assert entry.byline() == "A, B, C et al."
    entry.authors = ["A", "B"]
    assert entry.byline() == "A and B"


@pytest.mark.parametrize("sort", ["added", "title", "year", "author"])
def test_every_sort_order_reads_an_index_instead_of_sorting(catalog: Catalog, sort: str) -> None:
    from reader.library.catalog import _LISTED, SORT_KEYS

    plan = catalog._db.execute(f"EXPLAIN QUERY PLAN SELECT {','.join(_LISTED)} FROM papers "
                               f"ORDER BY {SORT_KEYS[sort]}").fetchall()
    assert any(f"USING INDEX papers_by_{sort}" in row[-1] for row in plan), plan
    assert not any("TEMP B-TREE" in row[-1] for row in plan), plan


def test_a_catalog_made_before_the_sort_indexes_gets_them_without_a_version_change(catalog: Catalog,
                                                                                   tmp_path: Path) -> None:
    from reader.library.catalog import SCHEMA_VERSION, SORT_INDEXES

    path = catalog.path
    with catalog.transaction() as db:  # the catalog as the version before them left it
        for name in SORT_INDEXES:
            db.execute(f"DROP INDEX {name}")
    catalog.close()
    read_only = Catalog(path, read_only=True)  # reading changes nothing, and still lists in order
    assert [e.id for e in read_only.entries("title")] == ["b2", "c3", "a1"]
    read_only.close()
    db = sqlite3.connect(path)
    assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'papers_by_%'").fetchall()
    db.close()
    again = Catalog(path)
    names = {row[0] for row in again._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(SORT_INDEXES) <= names
    assert again._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [e.id for e in again.entries("added")] == ["b2", "c3", "a1"]
    again.close()


def test_a_listing_reads_the_rest_of_each_row_when_first_asked(catalog: Catalog, tmp_path: Path) -> None:
    """A listing reads what a list shows; the file details (format, source, counts, warnings ...) are read
    for all of its papers when one is first asked for: the same entries as whole rows, however they are
    used (compared, copied, pickled, changed), also after the catalog is closed."""
    import copy
    import pickle

    warned = _entry("d4", "Warned", "Doe", 1999, "2026-04-01T00:00:00+00:00")
    warned.warnings, warned.pages, warned.refs, warned.citations = ["no reference list found"], 12, 0, 3
    catalog.add([warned])
    catalog.set_indexed(["a1"], True)
    listed = catalog.entries("added")
    whole = catalog.get_many(["a1", "b2", "c3", "d4"])
    assert [e.id for e in listed] == ["d4", "b2", "c3", "a1"]
    assert listed == [whole[e.id] for e in listed]
    [d4, b2, c3, a1] = catalog.entries("added")
    assert (d4.format, d4.source_name, d4.source_size, d4.pages, d4.refs, d4.citations) == ("text", "d4.txt", 100, 12,
                                                                                            0, 3)
    assert d4.status == "warnings" and d4.warnings == ["no reference list found"] and d4.parser_version == 0
    assert a1.indexed is True and b2.indexed is False and b2.status == "ok"
    [d4, b2, c3, a1] = catalog.entries("added")
    d4.source_name = "renamed.txt"  # set before any detail was read: kept when the others are read
    assert d4.pages == 12 and d4.source_name == "renamed.txt"
    assert pickle.loads(pickle.dumps(b2)) == whole["b2"] and copy.copy(c3) == whole["c3"]
    later = catalog.entries("added")
    catalog.remove("c3")  # gone before its details were read: it lists as nothing, and breaks nothing
    assert later[2].id == "c3" and later[2].format == "" and later[2].warnings == []
    closed = catalog.entries("title")
    catalog.close()
    assert [(e.id, e.pages) for e in closed] == [("b2", 0), ("d4", 12), ("a1", 0)]  # apples, Warned, Zebra
