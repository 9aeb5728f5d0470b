"""The library: stored papers, their catalog, the full-text index, and imports (no Qt here).

``Library.open(path)`` is the entry point; see reader.library.library.
"""
from reader.library.catalog import CatalogEntry
from reader.library.importer import FileResult, ImportReport, Progress
from reader.library.library import Library
from reader.library.search import SearchHit

__all__ = ["CatalogEntry", "FileResult", "ImportReport", "Library", "Progress", "SearchHit"]
