"""The default library (reader.library.default): the window and the CLI open it the same way."""
from __future__ import annotations

from pathlib import Path

from reader.library.default import open_library


def test_a_new_default_library_starts_with_the_samples(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LITREADER_LIBRARY", str(tmp_path / "default"))
    library, report = open_library(None)
    with library:
        assert report is not None and report.count("imported") == 2  # the two papers in library/
        assert len(library.entries()) == 2
    again, report = open_library(None)  # not new any more: nothing added
    with again:
        assert report is None and len(again.entries()) == 2


def test_a_library_given_by_name_starts_empty(tmp_path: Path) -> None:
    library, report = open_library(tmp_path / "mine")
    with library:
        assert report is None and library.entries() == []
