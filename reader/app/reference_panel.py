"""The References tab: every entry with its fields, how often it is cited, and a way through its citing places.

Clicking a citation in the text selects its entry here (``show_citation``); an entry's Previous/Next step
through the places that cite it (``place_requested``). Citations with no entry are listed apart with their
suggestions. An entry that is itself a paper in the library offers to open it.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import quote

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListView, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
                               QWidget)

from reader.app import plain
from reader.app.models import ROW_ROLE, ReferenceListModel, UnresolvedModel
from reader.cite.export import to_bibtex
from reader.library import CatalogEntry
from reader.model import Citation, Paper, Reference


def describe(ref: Reference) -> str:
    """An entry as rich text for the details pane and the citation tooltip."""
    authors = "; ".join(a.display() for a in ref.author[:8]) + (" et al." if len(ref.author) > 8 else "")
    year = f" ({ref.issued[0]}{ref.year_suffix})" if ref.issued else ""
    parts = [f"<b>{html.escape(authors)}</b>{year}" if authors else year.strip(" ()")]
    if ref.title:
        parts.append(f"<i>{html.escape(ref.title)}</i>")
    where = ", ".join(p for p in (ref.container_title, ref.volume and f"vol. {ref.volume}" + (
        f"({ref.issue})" if ref.issue else ""), ref.page and f"pp. {ref.page}", ref.publisher) if p)
    if where:
        parts.append(html.escape(where))
    if not ref.title and not ref.container_title:
        parts = [html.escape(ref.raw)]
    links = []
    if ref.DOI:
        links.append(f"<a href='{html.escape(doi_url(ref.DOI), quote=True)}'>doi:{html.escape(ref.DOI)}</a>")
    if ref.URL and not ref.DOI and is_web_link(ref.URL):
        links.append(f"<a href='{html.escape(ref.URL, quote=True)}'>{html.escape(ref.URL)}</a>")
    elif ref.URL and not ref.DOI:
        links.append(html.escape(ref.URL))  # shown, never a link: a file: or javascript: URL from a paper
    return "<br>".join(p for p in parts if p) + ("<br>" + " · ".join(links) if links else "")


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi.strip(), safe="/:;()._-")


def is_web_link(url: str) -> bool:
    """Only http, https and doi links from a paper are opened; anything else (file:, javascript:...) is not."""
    return QUrl(url.strip()).scheme().lower() in ("http", "https", "doi")


def places_of(paper: Paper) -> tuple[dict[str, list[Citation]], dict[str, list[Citation]]]:
    """For each entry, the citations that surely point at it, and those that may (ambiguous), in text order."""
    sure: dict[str, list[Citation]] = {ref.id: [] for ref in paper.references}
    maybe: dict[str, list[Citation]] = {ref.id: [] for ref in paper.references}
    for citation in sorted(paper.citations, key=lambda c: c.start):
        for item in citation.items:
            into = sure if item.status == "resolved" else maybe
            for ref_id in item.refs:
                if ref_id in into and (not into[ref_id] or into[ref_id][-1] is not citation):
                    into[ref_id].append(citation)
    return sure, maybe


class ReferencePanel(QWidget):
    """The References tab. ``place_requested(offset, length)`` asks the window to show a place in the text."""

    place_requested = Signal(int, int)
    open_paper_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paper: Paper | None = None
        self.places: dict[str, list[Citation]] = {}  # every place that cites an entry, surely or perhaps
        self.sure: dict[str, int] = {}  # how many of them surely do (resolved, not ambiguous)
        self.find_in_library: Callable[[Reference], CatalogEntry | None] = lambda ref: None
        self._step = -1
        self._library_match: CatalogEntry | None = None

        self.list = QListView()
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the entries when the pane resizes
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.model = ReferenceListModel()
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(lambda current, _: self._show_entry(current.row()))

        self.details = QTextBrowser()
        self.details.setOpenLinks(False)  # links are checked first (see _open_link)
        self.details.anchorClicked.connect(_open_link)
        self.details.setMinimumHeight(110)
        self.details.setPlaceholderText("Click a citation or an entry to see it here.")
        self.cited_label = QLabel()
        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.previous_button.setToolTip("The previous place in the text that cites this entry")
        self.next_button.setToolTip("The next place in the text that cites this entry")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.open_button = QPushButton("Open in library")
        self.open_button.clicked.connect(self._open_match)
        copy_bibtex = QPushButton("Copy BibTeX")
        copy_bibtex.clicked.connect(self._copy_bibtex)
        copy_text = QPushButton("Copy text")
        copy_text.clicked.connect(self._copy_text)

        steps = QHBoxLayout()
        steps.addWidget(self.cited_label, 1)
        steps.addWidget(self.previous_button)
        steps.addWidget(self.next_button)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(copy_bibtex)
        actions.addWidget(copy_text)

        entry_box = QWidget()
        entry_layout = QVBoxLayout(entry_box)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        entry_layout.addWidget(self.details, 1)
        entry_layout.addLayout(steps)
        entry_layout.addLayout(actions)

        self.unresolved_label = QLabel()
        self.unresolved = QListView()
        self.unresolved.setWordWrap(True)
        self.unresolved.setResizeMode(QListView.ResizeMode.Adjust)
        self.unresolved.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.unresolved_model = UnresolvedModel()
        self.unresolved.setModel(self.unresolved_model)
        self.unresolved.clicked.connect(self._show_unresolved)
        unresolved_box = self.unresolved_box = QWidget()
        unresolved_layout = QVBoxLayout(unresolved_box)
        unresolved_layout.setContentsMargins(0, 0, 0, 0)
        unresolved_layout.addWidget(self.unresolved_label)
        unresolved_layout.addWidget(self.unresolved, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(entry_box)
        split.addWidget(unresolved_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 2)
        split.setChildrenCollapsible(False)
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._update_buttons()

    # showing a paper

    def show_paper(self, paper: Paper) -> None:
        self.paper = paper
        sure, maybe = places_of(paper)
        self.sure = {k: len(v) for k, v in sure.items()}
        self.places = {k: sorted(sure[k] + maybe[k], key=lambda c: c.start) for k in sure}
        self.model.set_references(paper.references, self.sure, {k: len(v) for k, v in maybe.items()})
        refs = {r.id: r for r in paper.references}
        rows = []
        for citation in sorted(paper.citations, key=lambda c: c.start):
            for item in citation.items:
                if item.status == "unresolved":
                    rows.append((citation, item.label, [refs[s].raw for s in item.suggestions if s in refs]))
        self.unresolved_model.set_rows(rows)
        self.unresolved_label.setText(f"Citations with no entry in the list: {len(rows)}" if rows
                                      else "Every citation has an entry in the list." if paper.citations
                                      else "No citations were found in the text." if paper.references
                                      else "No reference list was found in this paper.")
        # room for at least four of its two-line rows (or one less than that when there are fewer)
        shown = min(len(rows), 4)
        self.unresolved.setMinimumHeight(self.unresolved.fontMetrics().lineSpacing() * 2 * shown + 8 if shown else 0)
        self.unresolved.setVisible(bool(rows))
        # nothing to list: the pane is one line, and the entry's details get the room
        self.unresolved_box.setMaximumHeight(16777215 if rows else self.unresolved_label.sizeHint().height() + 4)
        self._forget_entry()
        # a new paper's lists start at their first row, not where the previous paper's were scrolled to
        self.list.scrollToTop()
        self.unresolved.scrollToTop()

    def _forget_entry(self) -> None:
        """No entry selected, nothing in the details: nothing stale from the previous click stays."""
        self.list.selectionModel().clearCurrentIndex()
        self.list.clearSelection()
        self.details.clear()
        self._step = -1
        self._library_match = None
        self._update_buttons()

    def current_reference(self) -> Reference | None:
        index = self.list.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def show_citation(self, index: int) -> None:
        """Select the entry a citation points to (its first resolved item, else its first candidate)."""
        if self.paper is None or not 0 <= index < len(self.paper.citations):
            return
        citation = self.paper.citations[index]
        ref_ids = [r for item in citation.items for r in item.refs]
        if not ref_ids:  # no entry: say so (and show the row in the list of citations without one)
            self._forget_entry()
            self.details.setHtml(self.tooltip_for(index))
            unresolved = [i for i, (c, _, _) in enumerate(self.unresolved_model.rows) if c is citation]
            if unresolved:
                self.unresolved.setCurrentIndex(self.unresolved_model.index(unresolved[0]))
                self.unresolved.scrollTo(self.unresolved_model.index(unresolved[0]))
            return
        if self.unresolved.selectionModel().hasSelection():
            self.unresolved.clearSelection()
        row = self.model.row_of(ref_ids[0])
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(self.model.index(row))
        places = self.places.get(ref_ids[0], [])
        self._step = next((i for i, c in enumerate(places) if c is citation), -1)
        self._update_buttons()
        if len(ref_ids) > 1:  # a group ("1–3", "Lee 2019; Kim 2020") or an ambiguous item: every entry
            self.details.setHtml(self._group_html(citation))

    def _group_html(self, citation: Citation) -> str:
        """A citation with several entries: each work it cites (a group cites them all), and for an ambiguous
        item the entries it could mean."""
        refs = {r.id: r for r in self.paper.references} if self.paper else {}
        items = []
        for item in citation.items:
            found = [describe(refs[r]) for r in item.refs if r in refs]
            if item.status == "ambiguous" and found:
                options = "".join(f"<li>{d}</li>" for d in found)
                items.append(f"<b>{html.escape(item.label)}</b> could mean any of these entries:<ol>{options}</ol>")
            elif found:
                items.extend(found)
            else:
                items.append(f"<b>{html.escape(item.label)}</b>: no entry in the reference list matches")
        if len(citation.items) == 1:
            return f"<p>{items[0]}</p>"
        listed = "".join(f"<li>{i}</li>" for i in items)
        return f"<p><b>This citation cites {len(citation.items)} works:</b></p><ol>{listed}</ol>"

    def tooltip_for(self, index: int) -> str:
        """What hovering a citation shows: its entry (or entries), or why it has none."""
        if self.paper is None or not 0 <= index < len(self.paper.citations):
            return ""
        refs = {r.id: r for r in self.paper.references}
        parts = []
        for item in self.paper.citations[index].items:
            if item.status == "unresolved":
                hint = f"<br>perhaps: {html.escape(refs[item.suggestions[0]].raw)}" if item.suggestions and \
                    item.suggestions[0] in refs else ""
                parts.append(f"<b>{html.escape(item.label)}</b>: no entry in the reference list matches{hint}")
            elif item.status == "ambiguous":
                parts.append(f"<b>{html.escape(item.label)}</b>: could be any of {len(item.refs)} entries")
            else:
                parts += [describe(refs[r]) for r in item.refs if r in refs]
        return "<hr>".join(parts)

    # stepping through citing places

    def step(self, direction: int) -> None:
        ref = self.current_reference()
        places = self.places.get(ref.id, []) if ref else []
        if not places:
            return
        self._step = (self._step + direction) % len(places)
        citation = places[self._step]
        self._update_buttons()
        self.place_requested.emit(citation.start, citation.end - citation.start)

    def _show_entry(self, row: int) -> None:
        if self.paper is None or not 0 <= row < len(self.model.references):
            return
        ref = self.model.references[row]
        self._step = -1
        self._library_match = self.find_in_library(ref)
        self.details.setHtml(describe(ref))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ref = self.current_reference()
        places = self.places.get(ref.id, []) if ref else []
        if ref is None:
            self.cited_label.setText("")
        elif not places:
            self.cited_label.setText("Not cited in the text")
        else:
            sure = self.sure.get(ref.id, 0)
            cited = f"Cited {sure}×" if sure else "Not surely cited"
            if len(places) > sure:
                cited += f" (+{len(places) - sure} ambiguous)"
            if self._step >= 0:
                cited += f" · place {self._step + 1} of {len(places)}"
            self.cited_label.setText(cited)
        self.previous_button.setEnabled(bool(places))
        self.next_button.setEnabled(bool(places))
        match = self._library_match if ref else None
        self.open_button.setVisible(match is not None)
        if match is not None:
            self.open_button.setToolTip(plain.tooltip(f"In your library: {match.title}"))

    def _show_unresolved(self, index: object) -> None:
        citation = index.data(ROW_ROLE)  # type: ignore[attr-defined]
        if citation is not None:
            self.place_requested.emit(citation.start, citation.end - citation.start)

    def _open_match(self) -> None:
        if self._library_match is not None:
            self.open_paper_requested.emit(self._library_match.id)

    def _copy_bibtex(self) -> None:
        ref = self.current_reference()
        if ref is not None:
            QGuiApplication.clipboard().setText(to_bibtex([ref]))

    def _copy_text(self) -> None:
        ref = self.current_reference()
        if ref is not None:
            QGuiApplication.clipboard().setText(" ".join(ref.raw.split()))


def _open_link(url: QUrl) -> None:
    """A link from reference details opens in the browser only if it is http, https or doi."""
    text = url.toString()
    if url.scheme().lower() == "doi":
        text = doi_url(text[4:].lstrip("/"))
    if is_web_link(text):
        QDesktopServices.openUrl(QUrl(text))
