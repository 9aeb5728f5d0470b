"""A paper's cached files: paper.json and text.txt hold exactly what the paper holds, however long its text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import GADI
from reader.ingest import load_paper
from reader.library import folder as folder_module
from reader.library.folder import LibraryFolder


@pytest.mark.parametrize("piece", [7, 1 << 20])
def test_the_cache_is_the_paper_written_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  piece: int) -> None:
    monkeypatch.setattr(folder_module, "_TEXT_PIECE", piece)  # 7: every kind of character meets a cut
    paper = load_paper(GADI)
    paper.id = "0123456789abcdef"
    paper.text += ' "quoted" back\\slash\ttab\x00\x1f nul é ☃ 𝔘𝔫𝔦 \u2028 end'
    folder = LibraryFolder(tmp_path / "lib")
    folder.write_cache(paper)
    stored = folder.paper_dir(paper.id)
    assert json.loads((stored / "paper.json").read_text(encoding="utf-8")) == paper.to_json()
    assert (stored / "text.txt").read_bytes() == paper.text.encode("utf-8")
    again = folder.read_cache(paper.id)
    assert again is not None and again.text == paper.text and again.to_json() == paper.to_json()


def _paper(paper_id: str):
    paper = load_paper(GADI)
    paper.id = paper_id
    return paper


def test_a_source_stored_with_a_syncer_is_on_disk_and_in_place_once_waited_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = folder_module.os.fsync
    monkeypatch.setattr(folder_module.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    folder = LibraryFolder(tmp_path / "lib")
    syncer = folder_module.BackgroundSync()
    papers = [_paper(f"{n:016x}") for n in range(5)]
    for n, paper in enumerate(papers):
        folder.store(paper, f"source {n}".encode(), "a.txt", syncer)
    syncer.wait()
    assert len(synced) == 5  # each source flushed to disk, on the syncer's thread
    for n, paper in enumerate(papers):
        assert folder.source_path(paper.id) == folder.paper_dir(paper.id) / "source.xml"
        assert (folder.paper_dir(paper.id) / "source.xml").read_bytes() == f"source {n}".encode()
        assert sorted(p.name for p in folder.paper_dir(paper.id).iterdir()) == ["paper.json", "source.xml",
                                                                               "text.txt"]  # no temporary file
    syncer.wait()  # nothing pending: returns at once


def test_a_syncer_skips_a_removed_paper_and_reports_a_failed_file_once(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = LibraryFolder(tmp_path / "lib")
    syncer = folder_module.BackgroundSync()
    gate = folder_module.threading.Event()
    real_open = folder_module.os.open
    def held_open(*args, **kwargs):  # the syncer's thread waits until both papers are stored
        if folder_module.threading.current_thread().name == "litreader-fsync":
            gate.wait(5)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(folder_module.os, "open", held_open)
    removed, failing = _paper("00000000000000aa"), _paper("00000000000000bb")
    folder.store(removed, b"gone", "a.txt", syncer)
    folder.remove(removed.id)  # the paper failed after it was stored: its folder goes, the syncer must not mind
    folder.paper_dir(failing.id).mkdir(parents=True)
    (folder.paper_dir(failing.id) / "source.xml").mkdir()  # the rename into place will fail
    monkeypatch.setattr(folder, "source_path", lambda paper_id: None)
    folder.store(failing, b"data", "b.txt", syncer)
    gate.set()
    with pytest.raises(IsADirectoryError):
        syncer.wait()
    assert not folder.paper_dir(removed.id).exists()
    assert [p.name for p in folder.paper_dir(failing.id).iterdir() if p.name.startswith(".")] == []  # tmp removed
    syncer.wait()  # reported once
