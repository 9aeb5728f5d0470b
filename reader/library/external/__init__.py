"""Libraries brought from other reference managers: a Zotero data directory, BibTeX, RIS and CSL-JSON files.

``import_zotero`` and ``import_bibliography`` read the source into records (``records.Record``) and bring them
into a library (``bring_in``): files imported as usual, metadata, collections, tags, notes and annotations kept,
nothing duplicated on a second run, and nothing of the source ever written to.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from reader.library.external.bibfiles import looks_like_bibliography, read_bib_file
from reader.library.external.bring_in import BringInReport, ItemResult, bring_in
from reader.library.external.records import SourceError
from reader.library.external.zotero import read_zotero
from reader.library.importer import Progress

__all__ = ["BringInReport", "ItemResult", "SourceError", "import_bibliography", "import_zotero",
           "looks_like_bibliography"]


def import_zotero(library, data_dir: str | Path, base_dir: str | Path | None = None,  # type: ignore[no-untyped-def]
                  progress: Callable[[Progress], None] | None = None,
                  cancel: threading.Event | None = None) -> BringInReport:
    """Bring a Zotero data directory (the folder with ``zotero.sqlite`` and ``storage/``) into ``library``."""
    folder = Path(data_dir).expanduser().resolve()
    records = read_zotero(folder, Path(base_dir).expanduser().resolve() if base_dir else None)
    return bring_in(library, records, f"zotero:{folder}", f"Zotero ({folder})", progress, cancel)


def import_bibliography(library, path: str | Path,  # type: ignore[no-untyped-def]
                        progress: Callable[[Progress], None] | None = None,
                        cancel: threading.Event | None = None) -> BringInReport:
    """Bring a BibTeX, RIS or CSL-JSON file, with the files its entries link to, into ``library``."""
    file = Path(path).expanduser().resolve()
    records, problems = read_bib_file(file)
    report = bring_in(library, records, f"bib:{file}", file.name, progress, cancel)
    report.problems[:0] = problems
    return report
