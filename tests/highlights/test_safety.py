"""The library database: checked at start, backed up daily (two kept), restored when damaged."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from reader.highlights.safety import backup_dir, backup_if_due, check_and_restore, is_healthy
from reader.library import Library

REPO = Path(__file__).resolve().parents[2]
ALAM = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"


def _library_with_a_highlight(root: Path) -> tuple[str, str]:
    with Library.open(root) as lib:
        lib.import_paths([ALAM])
        paper_id = lib.entries()[0].id
        h = lib.add_highlight_by_quote(paper_id, "the Durand Line", note="kept")
    return paper_id, h.id


def test_one_backup_a_day_and_two_kept(tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite"
    Library.open(tmp_path).close()
    backup_dir(db).joinpath(f"library-{date.today().isoformat()}.sqlite").unlink()  # start from none
    assert backup_if_due(db, date(2026, 1, 1)) is not None
    assert backup_if_due(db, date(2026, 1, 1)) is None  # once a day
    backup_if_due(db, date(2026, 1, 2))
    newest = backup_if_due(db, date(2026, 1, 3))
    names = sorted(p.name for p in backup_dir(db).iterdir())
    assert names == ["library-2026-01-02.sqlite", "library-2026-01-03.sqlite"]
    assert newest is not None and is_healthy(newest)


def test_opening_a_library_makes_the_days_backup(tmp_path: Path) -> None:
    before = date.today()
    _library_with_a_highlight(tmp_path)
    days = {before, date.today()}  # (the test may run across midnight)
    assert any((backup_dir(tmp_path / "library.sqlite") / f"library-{d.isoformat()}.sqlite").exists() for d in days)


def test_a_damaged_database_is_set_aside_and_the_backup_restored(tmp_path: Path) -> None:
    paper_id, highlight_id = _library_with_a_highlight(tmp_path)
    db = tmp_path / "library.sqlite"
    # today's backup was taken at the first open, before the highlight: take one that has it
    shutil.rmtree(backup_dir(db))
    backup_if_due(db)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header and first page trampled
    db.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    assert not is_healthy(db)
    with Library.open(tmp_path) as lib:
        assert any("was damaged" in n and "restored" in n for n in lib.notices)
        assert [e.id for e in lib.entries()] == [paper_id]
        assert [h.id for h in lib.highlights_for(paper_id)] == [highlight_id]
    assert list(tmp_path.glob("library.sqlite.damaged-*"))  # set aside, never deleted


def test_without_a_backup_the_papers_are_listed_again(tmp_path: Path) -> None:
    paper_id, _ = _library_with_a_highlight(tmp_path)
    shutil.rmtree(tmp_path / "backups")
    db = tmp_path / "library.sqlite"
    db.write_bytes(b"garbage" * 1000)
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    with Library.open(tmp_path) as lib:
        assert any("no good backup" in n for n in lib.notices)
        assert [e.id for e in lib.entries()] == [paper_id]  # from papers/<id>/paper.json
        assert len(lib.search('"durand line"')) == 1


def test_a_healthy_database_is_left_alone(tmp_path: Path) -> None:
    _library_with_a_highlight(tmp_path)
    assert check_and_restore(tmp_path / "library.sqlite") is None
    assert not list(tmp_path.glob("*.damaged-*"))
