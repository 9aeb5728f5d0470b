"""Bringing a Zotero library in: files, metadata, collections, tags, notes, annotations; again without
duplicates; never writing to Zotero's files. Expected values below follow from the database each test builds."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import zotero_db as z
from reader.library import Library
from reader.library.external import SourceError, import_zotero
from reader.library.external.bring_in import nearest_color
from reader.model import Name

SHARED = "the hydrological cycle of mountain basins changes with the climate"
PAGE1 = ("Introduction. Glaciers feed rivers across the region and " + SHARED + ", as decades of gauges show. "
         "We study snow, rain and melt in four valleys over twenty years of records kept by farmers and engineers.")
PAGE2 = ("Results. Melt now peaks three weeks earlier in every valley. Again " + SHARED + " and the farmers "
         "plant sooner. Wells fall in late summer, and the old canals run dry before the harvest is in.")
NEVER_PRINTED = "words that this paper never prints anywhere at all"


@pytest.fixture
def zotero(tmp_path: Path) -> Path:
    """A Zotero data directory: an article with its PDF and annotations, one linked through the base folder, a
    record with no file, one in the trash, one whose stored file is missing."""
    data = tmp_path / "Zotero"
    z.make_pdf(data / "storage" / "ART1AAA0" / "melt.pdf", "A parsed title that Zotero corrects", [PAGE1, PAGE2])
    z.make_pdf(tmp_path / "base" / "papers" / "canals.pdf", "Canals of the plains",
               ["Canals carry water from the rivers to the fields of the plains. " * 6])
    items = [
        z.Item("ART1AAAA", {"title": "Earlier melt in four mountain valleys", "date": "2021-03-15 March 15, 2021",
                            "publicationTitle": "Journal of Hydrology", "DOI": "10.1016/j.jhydrol.2021.1",
                            "volume": "12", "pages": "1-20", "extra": "Citation Key: rossi2021melt"},
               authors=[("Rossi", "Maria"), ("Khan", "Ali")],
               files=[z.File("storage:melt.pdf", annotations=[
                   z.Ann(1, SHARED, "seen twice; this one is on page 2", "#5fb236", page_index=1, tags=["key"]),
                   z.Ann(1, NEVER_PRINTED, "orphan", "#ff6666", page_index=0),
                   z.Ann(2, comment="Check the method", page_index=0),
                   z.Ann(3, comment="Figure 2 sketch", page_index=1),
               ])],
               collections=["Thesis/Chapter 2"], tags=["review", "hydrology"],
               notes=["<p>My <b>summary</b>: melt is earlier &amp; faster.</p><p>Second line</p>"]),
        z.Item("LINKBBBB", {"title": "Canals of the plains", "date": "2019"}, authors=[("Water Board", None)],
               files=[z.File("attachments:papers/canals.pdf", link_mode=2)], collections=["Thesis"]),
        z.Item("RECOCCCC", {"title": "Snow surveys by hand", "date": "1998", "abstractNote":
                            "Snowpack measured with tubes along fixed courses."}, authors=[("Lee", "Ann")],
               tags=["review"]),
        z.Item("TRASHDDD", {"title": "Deleted work", "date": "2000"}, deleted=True),
        z.Item("GONEEEEE", {"title": "A file that went away", "date": "2010"},
               files=[z.File("storage:gone.pdf")]),
    ]
    z.build(data, items).close()
    return data


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()


def _by_title(library: Library) -> dict[str, object]:
    return {e.title: e for e in library.entries()}


def test_items_files_metadata_collections_and_tags(library: Library, zotero: Path, tmp_path: Path) -> None:
    report = import_zotero(library, zotero, base_dir=tmp_path / "base")
    statuses = {item.key: item.status for item in report.items}
    assert statuses == {"ART1AAAA": "imported", "LINKBBBB": "imported", "RECOCCCC": "metadata only",
                        "GONEEEEE": "metadata only"}  # the trashed item is not brought
    assert len(report.problems) == 1 and "GONEEEEE" in report.problems[0] and "file not found" in report.problems[0]
    entries = _by_title(library)
    assert set(entries) == {"Earlier melt in four mountain valleys", "Canals of the plains", "Snow surveys by hand",
                            "A file that went away"}
    melt = entries["Earlier melt in four mountain valleys"]  # Zotero's title, not the PDF's
    assert (melt.authors, melt.year, melt.venue, melt.doi, melt.format) == (
        ["Maria Rossi", "Ali Khan"], 2021, "Journal of Hydrology", "10.1016/j.jhydrol.2021.1", "pdf")
    assert entries["Canals of the plains"].authors == ["Water Board"]
    assert library.paper(entries["Canals of the plains"].id).authors == [Name(literal="Water Board")]
    assert library.collections(melt.id) == ["Thesis/Chapter 2"] and library.tags(melt.id) == ["hydrology", "review"]
    # a collection lists what is filed in it and inside it
    assert {e.title for e in library.entries(collection="thesis")} == {"Earlier melt in four mountain valleys",
                                                                       "Canals of the plains"}
    assert [e.title for e in library.entries(collection="Thesis/Chapter 2")] == ["Earlier melt in four mountain valleys"]
    assert {e.title for e in library.entries(tag="Review")} == {"Earlier melt in four mountain valleys",
                                                                "Snow surveys by hand"}
    assert ("Thesis", 2) in library.all_collections() and ("Thesis/Chapter 2", 1) in library.all_collections()
    # search: fields and the record's abstract
    library.ensure_index()
    assert {h.title for h in library.search("tag:review")} == {"Earlier melt in four mountain valleys",
                                                                "Snow surveys by hand"}
    assert [h.title for h in library.search('collection:"chapter 2"')] == ["Earlier melt in four mountain valleys"]
    assert [h.title for h in library.search("snowpack tubes")] == ["Snow surveys by hand"]
    assert [h.title for h in library.search("year:2021")] == ["Earlier melt in four mountain valleys"]


def test_annotations_become_highlights_near_their_page_and_notes(library: Library, zotero: Path) -> None:
    import_zotero(library, zotero)
    melt = _by_title(library)["Earlier melt in four mountain valleys"]
    paper = library.paper(melt.id)
    highlights = {h.quote: h for h in library.highlights_for(melt.id)}
    shared = highlights[SHARED]
    first, second = paper.text.find(SHARED), paper.text.rfind(SHARED)
    assert first != second and (shared.start, shared.end) == (second, second + len(SHARED))  # page 2's copy
    assert (shared.color, shared.note, shared.tags, shared.anchor) == ("green", "seen twice; this one is on page 2",
                                                                       ["key"], "exact")
    orphan = highlights[NEVER_PRINTED]
    assert (orphan.anchor, orphan.color, orphan.note) == ("orphaned", "pink", "orphan")  # kept, never dropped
    notes = [n.text for n in library.paper_notes(melt.id)]
    assert "My summary: melt is earlier & faster.\nSecond line" in notes
    assert "Note, page 1: Check the method" in notes
    assert "Image annotation (not shown here), page 2: Figure 2 sketch" in notes
    library.ensure_index()
    assert [h.title for h in library.search("notes:summary")] == ["Earlier melt in four mountain valleys"]


def test_a_second_run_adds_nothing_and_keeps_what_the_reader_did(library: Library, zotero: Path,
                                                                  tmp_path: Path) -> None:
    import_zotero(library, zotero, base_dir=tmp_path / "base")
    melt = _by_title(library)["Earlier melt in four mountain valleys"]
    shared = next(h for h in library.highlights_for(melt.id) if h.quote == SHARED)
    orphan = next(h for h in library.highlights_for(melt.id) if h.quote == NEVER_PRINTED)
    library.update_highlight(shared.id, note="my own note, written here")
    library.remove_highlight(orphan.id)
    library.correct_metadata(melt.id, {"title": "Melt, my title"})
    before = {e.id for e in library.entries()}
    # meanwhile in Zotero: the comment, the year and a tag change
    db = sqlite3.connect(zotero / "zotero.sqlite")
    db.execute("UPDATE itemAnnotations SET comment = 'changed in Zotero'")
    db.execute("UPDATE itemDataValues SET value = '2022-01-01 2022' WHERE value LIKE '2021-03-15%'")
    db.execute("DELETE FROM itemTags WHERE tagID = (SELECT tagID FROM tags WHERE name = 'hydrology')")
    db.execute("UPDATE items SET dateModified = '2024-06-01 10:00:00' WHERE key = 'ART1AAAA'")
    db.commit()
    db.close()
    report = import_zotero(library, zotero, base_dir=tmp_path / "base")
    assert {e.id for e in library.entries()} == before  # nothing duplicated
    assert {i.key: i.status for i in report.items}["ART1AAAA"] == "updated"
    assert {i.key: i.status for i in report.items}["LINKBBBB"] == "unchanged"
    entry = library.entry(melt.id)
    assert (entry.title, entry.year) == ("Melt, my title", 2022)  # the reader's title, Zotero's new year
    assert library.tags(melt.id) == ["review"]
    quotes = {h.quote: h for h in library.highlights_for(melt.id)}
    assert quotes[SHARED].note == "my own note, written here"  # changed here: theirs now
    assert NEVER_PRINTED not in quotes  # deleted here: stays deleted
    assert report.highlights["kept (changed here)"] == 1 and report.highlights["deleted here"] == 1


def test_a_record_gives_way_to_its_file_when_it_turns_up(library: Library, zotero: Path) -> None:
    import_zotero(library, zotero)
    record = _by_title(library)["Snow surveys by hand"]
    assert record.format == "record"
    z.make_pdf(zotero / "storage" / "SNOWFILE" / "snow.pdf", "Snow surveys by hand",
               ["Snow tubes were pushed into the pack along fixed courses every fortnight. " * 5])
    db = sqlite3.connect(zotero / "zotero.sqlite")
    parent = db.execute("SELECT itemID FROM items WHERE key = 'RECOCCCC'").fetchone()[0]
    type_id = db.execute("SELECT itemTypeID FROM itemTypes WHERE typeName = 'attachment'").fetchone()[0]
    att = db.execute("INSERT INTO items (itemTypeID, libraryID, key, dateModified) VALUES (?, 1, 'SNOWFILE', "
                     "'2024-07-01')", (type_id,)).lastrowid
    db.execute("INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) "
               "VALUES (?, ?, 0, 'application/pdf', 'storage:snow.pdf')", (att, parent))
    db.commit()
    db.close()
    import_zotero(library, zotero)
    snow = [e for e in library.entries() if e.title == "Snow surveys by hand"]
    assert len(snow) == 1 and snow[0].format == "pdf" and snow[0].id != record.id
    assert library.tags(snow[0].id) == ["review"] and (snow[0].year, snow[0].authors) == (1998, ["Ann Lee"])


def test_zotero_files_are_never_written(library: Library, zotero: Path) -> None:
    def state() -> dict[str, tuple[str, int]]:
        return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
                for p in sorted(zotero.rglob("*")) if p.is_file()}
    before = state()
    import_zotero(library, zotero)
    assert state() == before


def test_what_zotero_wrote_to_its_wal_is_read(library: Library, tmp_path: Path) -> None:
    data = tmp_path / "Zotero10"
    db = z.build(data, [], wal=True)  # a running Zotero: writes sit in the WAL, not yet in the database file
    z.add(db, [z.Item("WALITEMS", {"title": "Only in the write-ahead log", "date": "2024"})])
    assert (data / "zotero.sqlite-wal").stat().st_size > 0
    try:
        report = import_zotero(library, data)
    finally:
        db.close()
    assert [i.title for i in report.items] == ["Only in the write-ahead log"]


def test_a_folder_that_is_not_zotero_or_of_an_unknown_version(library: Library, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a Zotero data directory"):
        import_zotero(library, tmp_path)
    z.build(tmp_path / "future", [], userdata_version=999).close()
    with pytest.raises(SourceError, match="do not know"):
        import_zotero(library, tmp_path / "future")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "zotero.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(SourceError, match="not a Zotero database"):
        import_zotero(library, tmp_path / "junk")
    assert library.entries() == []


@pytest.mark.parametrize("zotero_color, ours", [("#ffd400", "yellow"), ("#ff6666", "pink"), ("#5fb236", "green"),
                                                ("#2ea8e5", "blue"), ("#a28ae5", "purple"),
                                                ("#e56eee", "purple"),  # magenta, hue 296: purple 255, pink 339
                                                ("#aaaaaa", "yellow"), ("", "yellow")])
def test_zotero_colours_map_to_the_nearest_of_ours(zotero_color: str, ours: str) -> None:
    assert nearest_color(zotero_color) == ours


def test_records_survive_a_reindex_and_a_new_parser(library: Library, zotero: Path) -> None:
    import_zotero(library, zotero)
    record = _by_title(library)["Snow surveys by hand"]
    report = library.reindex()  # every paper indexed again; a record has no source to parse, and needs none
    assert not report.failed and library.outdated() == 0
    assert [h.title for h in library.search("snowpack tubes")] == ["Snow surveys by hand"]
    assert library.paper(record.id).abstract == "Snowpack measured with tubes along fixed courses."


def _brought_in_rows(root: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(root / "library.sqlite") as db:
        return (sorted(db.execute("SELECT source, item_key, paper_id, modified FROM external_items")),
                sorted(db.execute("SELECT highlight_id, source, item_key, written FROM external_highlights")))


def test_where_papers_came_from_is_journalled_and_put_back(zotero: Path, tmp_path: Path) -> None:
    """Issue 14: the record of which Zotero item each paper and highlight came from is in the journal of
    changes, so rows lost from the database (integrity_check still "ok") are put back at the next start, and
    the next run finds every item unchanged instead of bringing it in twice."""
    root = tmp_path / "lib"
    with Library.open(root) as library:
        import_zotero(library, zotero, base_dir=tmp_path / "base")
        papers = {e.id for e in library.entries()}
    items, highlights = _brought_in_rows(root)
    assert len(items) == 4 and len(highlights) == 2  # 4 items not in the trash; 2 highlight annotations
    with sqlite3.connect(root / "library.sqlite") as db:
        db.execute("DELETE FROM external_items")
        db.execute("DELETE FROM external_highlights")
    with Library.open(root) as library:
        assert any("restored from the journal" in n for n in library.notices), library.notices
        assert _brought_in_rows(root) == (items, highlights)
        report = import_zotero(library, zotero, base_dir=tmp_path / "base")
        assert {i.status for i in report.items} == {"unchanged"}
        assert {e.id for e in library.entries()} == papers


def test_a_journal_from_before_it_kept_where_papers_came_from_removes_nothing(zotero: Path,
                                                                              tmp_path: Path) -> None:
    """A journal written before it held external items (format 1) knows nothing of them: they are kept as the
    database has them, not taken for damaged rows, and the journal is rewritten in the new format."""
    from reader import journal

    root = tmp_path / "lib"
    with Library.open(root) as library:
        import_zotero(library, zotero, base_dir=tmp_path / "base")
    rows = _brought_in_rows(root)
    old = journal.read(root / "library.journal").states
    old.pop(journal.FORMAT_ITEM)
    format_1 = b""
    for (kind, key), state in old.items():
        if kind == "external_highlight":
            continue
        if kind == "paper":
            state = {t: r for t, r in state.items() if t != "external_items"}
        format_1 += journal.encode([(kind, key, state)])
    (root / "library.journal").write_bytes(format_1)
    with Library.open(root) as library:
        assert library.notices == []
    assert _brought_in_rows(root) == rows
    assert journal.read(root / "library.journal").states[journal.FORMAT_ITEM] == journal.FORMAT
