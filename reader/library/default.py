"""The library a user means, opened the same way by the window and the command line.

The folder given, else ``$LITREADER_LIBRARY``, else the user's data folder; a new default library (none was
given) starts with the sample papers, so a first start has something to read.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader import paths
from reader.library.folder import LibraryFolder
from reader.library.importer import ImportReport
from reader.library.library import Library


def open_library(library_dir: str | Path | None = None, prepare: Callable[[Library], None] | None = None,
                 adding_samples: Callable[[Path, Path], None] | None = None) -> tuple[Library, ImportReport | None]:
    """The library and, when the samples were just added to a new default library, that import's report.

    ``prepare(library)`` runs right after opening (to hook notices and waits before anything slow);
    ``adding_samples(root, samples_dir)`` just before the samples are imported.
    """
    root = paths.library_dir(library_dir)
    new = not LibraryFolder(root).exists()
    library = Library.open(root)
    if prepare is not None:
        prepare(library)
    samples = paths.sample_papers_dir()
    if not (new and library_dir is None and samples is not None):
        return library, None
    if adding_samples is not None:
        adding_samples(root, samples)
    return library, library.import_paths([samples])
