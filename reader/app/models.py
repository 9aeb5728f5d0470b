"""Qt list and table models over the core's plain data: the library, search results, references, highlights.

Each is a thin adapter: rows are the core's objects, ``data()`` says how a row reads. Nothing here parses,
searches or stores.
"""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from reader.app import plain
from reader.highlights import COLORS, Highlight
from reader.library import CatalogEntry, SearchHit
from reader.model import Citation, Reference

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's core object
HTML_ROLE = Qt.ItemDataRole.UserRole + 2  # rich text for delegates that draw it


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class LibraryModel(QAbstractTableModel):
    """The catalog as a table: title, authors, year."""

    COLUMNS = ("Title", "Authors", "Year")

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[CatalogEntry] = []

    def set_entries(self, entries: list[CatalogEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self._sort_entries()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, in Python, in one pass: a sorting proxy would ask ``data()`` for every comparison
        (seconds for 10,000 papers)."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_entries()
        self.layoutChanged.emit()

    _sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def _sort_entries(self) -> None:
        column, order = self._sort
        keys = (lambda e: (e.title.lower(), e.id), lambda e: (e.first_author, e.year or 0, e.id),
                lambda e: (e.year or 0, e.first_author, e.id))
        self.entries.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's names
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (e.title, e.byline(2), str(e.year) if e.year else "")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(f"{e.title}\n{e.byline(6)}" + (f"\n{e.venue}" if e.venue else ""))
        if role == ROW_ROLE:
            return e
        return None


class SearchResultsModel(QAbstractListModel):
    """Search hits: title, authors and year, and the snippet with the matched words in bold."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []
        self._html: dict[int, str] = {}  # each row's rich text, made once: the view asks for it many times

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self._html.clear()
        self.endResetModel()

    def add_hits(self, hits: list[SearchHit]) -> None:
        """More hits of the same search, below the rows there (the rows there stay as they are)."""
        if hits:
            self.beginInsertRows(QModelIndex(), len(self.hits), len(self.hits) + len(hits) - 1)
            self.hits.extend(hits)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.title}\n{_short(hit.snippet, 160)}"
        if role == HTML_ROLE:
            text = self._html.get(index.row())
            if text is None:
                text = self._html[index.row()] = snippet_html(hit)
            return text
        if role == ROW_ROLE:
            return hit
        return None


def snippet_html(hit: SearchHit) -> str:
    """The hit as rich text: title, byline, and the snippet with its marks in bold."""
    parts, at = [], 0
    for start, end in sorted(hit.marks):
        if start < at:
            continue
        parts += [html.escape(hit.snippet[at:start]), "<b>", html.escape(hit.snippet[start:end]), "</b>"]
        at = end
    parts.append(html.escape(hit.snippet[at:]))
    byline = ", ".join(hit.authors[:2]) + (" et al." if len(hit.authors) > 2 else "")
    year = f" ({hit.year})" if hit.year else ""
    return (f"<div style='font-weight:600'>{html.escape(hit.title)}</div>"
            f"<div style='color:gray'>{html.escape(byline)}{year}</div>"
            f"<div>{''.join(parts)}</div>")


class ReferenceListModel(QAbstractListModel):
    """A paper's reference entries, each with how often the text cites it."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[Reference] = []
        self.cited: dict[str, int] = {}
        self.maybe: dict[str, int] = {}

    def set_references(self, references: list[Reference], cited: dict[str, int],
                       maybe: dict[str, int] | None = None) -> None:
        """``cited``: citations surely of each entry; ``maybe``: ambiguous ones that could be of it."""
        self.beginResetModel()
        self.references, self.cited, self.maybe = references, cited, maybe or {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.references)

    def row_of(self, ref_id: str) -> int:
        return next((i for i, r in enumerate(self.references) if r.id == ref_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.references):
            return None
        ref = self.references[index.row()]
        count, maybe = self.cited.get(ref.id, 0), self.maybe.get(ref.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            times = "not cited in the text" if count == 0 else f"cited {count} time" + ("s" if count > 1 else "")
            if maybe:
                times = (f"{times}, perhaps {maybe} more" if count else
                         f"perhaps cited {maybe} time{'s' if maybe > 1 else ''} (ambiguous)")
            return f"{_short(ref.raw, 140)}\n{times}"
        if role == Qt.ItemDataRole.ForegroundRole and count == 0 and maybe == 0:
            return QColor("#888888")
        if role == ROW_ROLE:
            return ref
        return None


class UnresolvedModel(QAbstractListModel):
    """Citations in the text with no entry in the reference list, and the near misses suggested for them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[Citation, str, list[str]]] = []  # citation, item label, suggestions (raw)

    def set_rows(self, rows: list[tuple[Citation, str, list[str]]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        citation, label, suggestions = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            hint = f"\nperhaps: {_short(suggestions[0], 90)}" if suggestions else "\nno entry resembles it"
            return f"{label}{hint}"
        if role == ROW_ROLE:
            return citation
        return None


class HighlightsModel(QAbstractListModel):
    """A paper's highlights in document order: colour, quote, note, page."""

    def __init__(self) -> None:
        super().__init__()
        self.highlights: list[Highlight] = []
        self.pages: dict[str, int | None] = {}

    def set_highlights(self, highlights: list[Highlight], pages: dict[str, int | None]) -> None:
        self.beginResetModel()
        self.highlights, self.pages = highlights, pages
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.highlights)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.highlights):
            return None
        h = self.highlights[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            page = self.pages.get(h.id)
            where = f"p. {page} · " if page else ""
            state = " · its words are gone from the text" if h.anchor == "orphaned" else ""
            note = f"\n✎ {_short(h.note, 120)}" if h.note else ""
            return f"“{_short(h.quote, 160)}”\n{where}{h.color}{state}{note}"
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(COLORS.get(h.color, COLORS["yellow"]))
        if role == ROW_ROLE:
            return h
        return None
