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
