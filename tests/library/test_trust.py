"""The library folder is not trusted: index files and catalog values someone else wrote are never acted on.

Issue 14 items 2 (a planted index with its hash recorded; a catalog id that is a path), 5 (a search during
another process's commit) and 7 (bit rot that keeps a file's size and mtime). The sample papers are enough.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest

from conftest import SAMPLES
from reader import paths
from reader.errors import LibraryError
from reader.library import Library
from reader.library.index import INDEX_FORMAT, SearchIndex
from reader.library.trust import KEY_FILE, FileRecord, _cached, sign, signing_key
from test_faults import booby_trapped_toc


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trust") / "lib"
    with Library.open(root) as lib:
        assert lib.import_paths([SAMPLES]).count("imported") == 2
    return root


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib"
    shutil.copytree(template, copy)
    return copy


def _rebuilds(lib: Library) -> list[str]:
    told: list[str] = []
    lib.on_rebuild = lambda reason, progress: told.append(reason) if progress is None else None
    return told


def _toc(root: Path) -> Path:
    return max((root / "index").glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))


def _manifest(root: Path) -> dict:
    with sqlite3.connect(root / "library.sqlite") as db:
        return json.loads(db.execute("SELECT value FROM meta WHERE key = 'index_manifest'").fetchone()[0])


def _set_manifest(root: Path, manifest: dict) -> None:
    with sqlite3.connect(root / "library.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'index_manifest'",
                   (json.dumps(manifest, separators=(",", ":"), sort_keys=True),))


def test_a_planted_toc_with_its_hash_recorded_is_never_unpickled(root: Path, tmp_path: Path) -> None:
    """Item 2a: whoever can write the folder replaces the table of contents and records its size, stat and
    hash in library.sqlite, as the old manifest allowed: the signature does not verify, nothing is unpickled,
    the index is rebuilt and the search answered."""
    marker = tmp_path / "pickle-ran"
    toc = _toc(root)
    generation = int(toc.stem.split("_")[-1])
    toc.write_bytes(booby_trapped_toc(marker, generation))
    manifest = _manifest(root)
    record = FileRecord.of(toc)
    manifest["files"][toc.name] = [record.size, record.mtime, record.ctime, record.inode, record.sha256]
    _set_manifest(root, manifest)
    with Library.open(root) as lib:
        told = _rebuilds(lib)
        assert len(lib.search('"durand line"')) == 2
    assert not marker.exists(), "the planted table of contents was unpickled"
    assert len(told) == 1 and "not trusted" in told[0]


def test_a_library_from_another_machine_is_reindexed_once_never_an_error(root: Path) -> None:
    """Another user's or machine's key did not sign the index: rebuilt once, quietly, then trusted."""
    key = paths.config_dir() / KEY_FILE
    saved = key.read_bytes()
    try:
        key.write_bytes(os.urandom(32))
        _cached.clear()
        with Library.open(root) as lib:
            told = _rebuilds(lib)
            assert len(lib.search('"durand line"')) == 2
        assert len(told) == 1 and "not trusted" in told[0]
        with Library.open(root) as lib:
            told = _rebuilds(lib)
            assert len(lib.search('"durand line"')) == 2
        assert told == []
    finally:
        key.write_bytes(saved)
        _cached.clear()


def test_an_index_of_an_older_format_is_rebuilt_once_not_misread(root: Path) -> None:
    """The index format changed (format 6: positions packed, no character offsets, a word map per paper): an
    index recorded with an older format, signed by this user, is rebuilt once and never read with the new
    format's rules; searches then answer with snippets placed on the words."""
    manifest = _manifest(root)
    assert manifest["format"] == INDEX_FORMAT
    manifest["format"] = "5"
    text = json.dumps(manifest, separators=(",", ":"), sort_keys=True)
    with sqlite3.connect(root / "library.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'index_manifest'", (text,))
        db.execute("UPDATE meta SET value = ? WHERE key = 'index_signature'", (sign(text, signing_key()),))
    with Library.open(root) as lib:
        told = _rebuilds(lib)
        hits = lib.search('"durand line"')
        assert len(hits) == 2
        assert all(h.snippet[s:e].lower() in {"durand", "line"} for h in hits for s, e in h.marks)
    assert len(told) == 1 and "another version" in told[0]
    assert _manifest(root)["format"] == INDEX_FORMAT
    with Library.open(root) as lib:
        told = _rebuilds(lib)
        assert len(lib.search('"durand line"')) == 2
    assert told == []


def test_a_catalog_id_that_is_a_path_never_becomes_one(root: Path, tmp_path: Path) -> None:
    """Item 2b: a catalog row with id ``../../victim`` never makes ``remove`` (or anything) touch that folder."""
    victim = root.parent / "victim"  # papers/../../victim
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    with sqlite3.connect(root / "library.sqlite") as db:
        row = db.execute("SELECT * FROM papers LIMIT 1").fetchone()
        db.execute(f"INSERT INTO papers VALUES ({','.join('?' * len(row))})", ("../../victim", *row[1:]))
    with Library.open(root) as lib:
        with pytest.raises(LibraryError, match="not a paper id"):
            lib.remove("../../victim")
        with pytest.raises(LibraryError):
            lib.paper("../../victim")
        assert len(lib.entries()) == 3  # listing still works; the bad row is shown for what it is
        report = lib.reindex()  # the row is reported as what it is, not as a bug of ours
        [failed] = [r for r in report.failed if "victim" in str(r.path)]
        assert "not a paper id" in failed.reason and "internal error" not in failed.reason
        assert len(lib.search('"durand line"')) == 2
    assert (victim / "precious.txt").read_text() == "keep me"


def test_a_search_during_another_commit_never_takes_the_index_for_foreign(root: Path) -> None:
    """Item 5: between a commit's new table of contents and its record in the catalog, a reader in another
    process sees the last recorded generation, whole: no rebuild, the search answered."""
    with Library.open(root) as writer, Library.open(root) as reader:
        told = _rebuilds(reader)
        assert len(reader.search('"durand line"')) == 2
        seen: list[int] = []
        record = SearchIndex._signed_manifest_of

        def search_before_recording(index: SearchIndex, *args: object, **kwargs: object) -> tuple[str, str]:
            if index is writer.index:  # the new table of contents is on disk, not yet recorded
                fresh = Library.open(root)
                fresh.on_rebuild = reader.on_rebuild
                try:
                    assert fresh.index.problem() is None
                    seen.append(len(fresh.search('"durand line"')))
                finally:
                    fresh.close()
                seen.append(len(reader.search('"durand line"')))
            return record(index, *args, **kwargs)

        SearchIndex._signed_manifest_of = search_before_recording  # type: ignore[method-assign]
        try:
            paper_id = reader.entries()[0].id
            writer.remove(paper_id)
        finally:
            SearchIndex._signed_manifest_of = record  # type: ignore[method-assign]
        assert seen == [2, 2]
        reader._searcher.expect_changes()  # type: ignore[union-attr]
        assert len(reader.search('"durand line"')) == 1  # the new generation, once recorded
        assert told == []


def _flip_in_place_keeping_mtime(path: Path) -> None:
    st = path.stat()
    with open(path, "r+b") as f:
        f.seek(st.st_size // 3)
        chunk = f.read(st.st_size // 3)
        f.seek(st.st_size // 3)
        f.write(bytes(b ^ 0x5A for b in chunk))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def test_bit_rot_that_keeps_size_and_mtime_is_damage(root: Path) -> None:
    """Item 7: a segment rotted in place (same size, same mtime) is found before Whoosh reads it: rebuilt,
    the search answered, never an internal error."""
    segment = max((root / "index").glob("MAIN_*.seg"), key=lambda p: p.stat().st_size)
    _flip_in_place_keeping_mtime(segment)
    with Library.open(root) as lib:
        told = _rebuilds(lib)
        assert len(lib.search('"durand line"')) == 2
        assert len(lib.search("taliban")) == 2
    assert len(told) == 1 and "damaged" in told[0]


@pytest.mark.parametrize("error", [zlib.error("Error -3 while decompressing data: invalid block type"),
                                   Exception("Block tag error b'\\x00'")])
def test_any_error_reading_the_index_is_damage(root: Path, monkeypatch: pytest.MonkeyPatch,
                                               error: Exception) -> None:
    """Item 7: what Whoosh raises on a rotted block (zlib.error, a plain "Block tag error" Exception) while an
    open searcher reads is damage: the index is rebuilt and the search answered, not an internal error."""
    from whoosh.searching import Searcher

    original = Searcher.search
    raised: list[Exception] = []

    def rotten(self: Searcher, *args: object, **kwargs: object) -> object:
        if not raised:
            raised.append(error)
            raise error
        return original(self, *args, **kwargs)

    with Library.open(root) as lib:
        told = _rebuilds(lib)
        assert len(lib.search("pakistan")) == 2
        monkeypatch.setattr(Searcher, "search", rotten)
        assert len(lib.search('"durand line"')) == 2
    assert raised and len(told) == 1 and "damaged" in told[0]
