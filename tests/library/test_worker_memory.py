"""A worker lets go of a file's bytes once the paper is stored, before it indexes the text (issue 14: a 50 MB
one-line text must import within 500 MB over all processes)."""
from __future__ import annotations

from pathlib import Path

from conftest import ALAM
from reader.ingest import load_bytes
from reader.library.folder import LibraryFolder
from reader.library.segments import SegmentBuilder
from reader.library.userdata import UserData
from reader.library.workers import _import


def test_the_file_bytes_are_released_before_the_text_is_indexed(tmp_path: Path) -> None:
    folder = LibraryFolder(tmp_path / "lib")
    folder.ensure_writable()
    data = Path(ALAM).read_bytes()
    held_while_indexing: list[object] = []

    class WatchingBuilder(SegmentBuilder):
        def add(self, paper, user=None):  # type: ignore[no-untyped-def]
            held_while_indexing.append(task[1])
            super().add(paper, user)

    builder = WatchingBuilder(folder.index / "incoming" / "w", folder.index / "incoming" / "ready")
    task: list[object] = ["0123456789abcdef", data, str(ALAM), UserData()]
    del data
    entry = _import(folder, builder, load_bytes, task)
    assert held_while_indexing == [None]  # the task no longer holds the bytes when the text is indexed
    assert entry.source_size == Path(ALAM).stat().st_size  # the size recorded is still the file's
    assert folder.source_path("0123456789abcdef").read_bytes() == Path(ALAM).read_bytes()
    builder.discard()
