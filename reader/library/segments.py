"""Building index segments in a worker process, away from the index itself (see reader.library.index)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.writing import SegmentWriter

from reader.library.documents import build_schema, document_for
from reader.library.index import PinnedIndex, StagedSegment
from reader.library.userdata import UserData
from reader.model import Paper


class SegmentBuilder:
    """Adds papers to one segment at a time in a private staging folder; ``finish()`` hands the segment over.

    Whoosh writers need an index to write against: an empty one of the same schema, known in memory (no table
    of contents is written or read here), so nothing but the finished segment files matter in the folder.
    """

    # Whoosh's posting pool counts its size for 32-bit Python objects and spills to disk past ``limitmb``: its
    # real size is about 1.5 times that. 40 (not 64): a worker indexing 600 papers peaks at 124 MB instead of
    # 157 MB, for the same CPU time (more, smaller runs merged at the end), keeping an import under 500 MB.
    def __init__(self, folder: Path, ready: Path, limitmb: int = 40) -> None:
        self.folder = Path(folder)
        self.ready = Path(ready)  # finished segments wait here for a commit, safe from this folder's removal
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ready.mkdir(parents=True, exist_ok=True)
        self._index = PinnedIndex(FileStorage(str(self.folder)), 0, toc=TOC(build_schema(), [], 0))
        self._limitmb = limitmb
        self._writer: SegmentWriter | None = None
        self._ids: list[str] = []

    def add(self, paper: Paper, user: UserData | None = None) -> None:
        if self._writer is None:
            self._writer = SegmentWriter(self._index, _lk=False, limitmb=self._limitmb)
        self._writer.add_document(**document_for(paper, user))
        self._ids.append(paper.id)

    def finish(self) -> StagedSegment | None:
        """Close the current segment and describe it (None when nothing was added since the last one)."""
        writer, self._writer = self._writer, None
        if writer is None:
            return None
        segment = writer._finalize_segment()
        writer._finish()  # removes the writer's temporary files
        ids, self._ids = self._ids, []
        staged = StagedSegment(segment, self.folder, ids)
        for path in staged.files():
            os.replace(path, self.ready / path.name)
        return StagedSegment(segment, self.ready, ids)

    def discard(self) -> None:
        """Drop the segment being built and the staging folder."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        shutil.rmtree(self.folder, ignore_errors=True)
