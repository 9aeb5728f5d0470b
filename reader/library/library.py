"""A library: the one object the window and the command line use to import, list, open, search and remove.

Reading (list, open, search) never waits for anyone. Writing (import, remove, reindex, rebuilding the index)
takes the library's writer lock first, so a second process on the same library waits its turn (``on_wait``
is told what it is waiting for) instead of corrupting anything.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from reader.errors import LibraryBusy, LibraryError
from reader.ingest import PARSER_VERSION, load_bytes
from reader.highlights import Highlight, HighlightError, HighlightStore, place, text_hash
from reader.highlights.store import MergeReport
from reader.highlights.export import PaperHighlights, to_annotations, to_csv, to_markdown
from reader.highlights.pdf_export import annotated_pdf
from reader.highlights.safety import backup_if_due, check_and_restore, is_damaged
from reader.library.catalog import Catalog, CatalogEntry, PaperNote
from reader.library.corrections import apply_corrections, normalise
from reader.journal import journal_path
from reader.library.records import RECORD_FORMAT, SamePaper
from reader.library.repair import check as check_journal
from reader.library.discover import discover
from reader.library.folder import LibraryFolder
from reader.library.importer import ImportReport, ImportRun, Progress
from reader.library.index import IndexUnusable, SearchIndex
from reader.library.locking import WriterLock
from reader.library.merging import MergeCancelled, smallest_segments
from reader.library.search import LibrarySearcher, SearchHit
from reader.library.userdata import UserData
from reader.library.workers import TASK_TIME_LIMIT, Parser, is_disk_full
from reader.model import Paper

ProgressCallback = Callable[[Progress], None]


def _no_room(exc: BaseException) -> bool:
    """An error that means the disk (or quota) is full, from the OS or from SQLite."""
    text = str(exc)
    return is_disk_full(exc) or "disk is full" in text or "disk I/O error" in text


class Library:
    """One library folder. Open with ``Library.open(path)``; close when done (or use ``with``)."""

    def __init__(self, root: Path, *, read_only: bool = False, mmap: bool = False,
                 workers: int | None = None, parse: Parser | None = None,
                 time_limit: float = TASK_TIME_LIMIT) -> None:
        self.folder = LibraryFolder(root)
        self.root = self.folder.root
        self.read_only = read_only
        self.why_read_only = "the library folder is read-only"  # what a change refused says
        # told to the user once: a damaged database restored, papers listed again from papers/
        self.notices: list[str] = []
        self.lock = WriterLock(self.folder.lock)
        restored = False
        if not read_only and self.folder.catalog.exists() and is_damaged(self.folder.catalog):
            # restoring is writing: under the writer lock, and checked again once it is held (another
            # process may have restored it meanwhile)
            with self._take_lock_for_restore():
                notice = check_and_restore(self.folder.catalog)
                if notice:
                    restored = True
                    self.notices.append(notice)
        self.catalog = Catalog(self.folder.catalog, read_only=read_only)
        self.highlights = HighlightStore(self.folder.catalog, read_only=read_only)
        if not read_only:
            self._check_against_journal(restored)
            self._recover_catalog(restored)
            try:
                backup_if_due(self.folder.catalog)
            except (sqlite3.Error, OSError) as exc:  # a backup that fails must not stop the library opening
                self.notices.append(f"{self.root}: today's backup of the library database failed: {exc}")
        self.index = SearchIndex(self.folder, self.catalog, mmap=mmap)
        self.workers = workers
        self.parse = parse  # tests swap the parser (a hang, a crash); None is the real one
        self.time_limit = time_limit  # how long one file may take in a worker
        self._searcher: LibrarySearcher | None = None
        self._searcher_lock = threading.Lock()
        # what a waiting writer says; the CLI prints it, the window shows it
        self.on_wait: Callable[[str], None] | None = None
        self.lock_timeout: float | None = None
        # told when the index is rebuilt: (reason, None) first, then ("", progress) as it goes
        self.on_rebuild: Callable[[str, Progress | None], None] | None = None

    @classmethod
    def open(cls, root: str | os.PathLike[str], **kwargs: object) -> Library:
        """Open the library at ``root``, creating it when the folder has none.

        A library in a folder we cannot write to opens read-only (list, open and search work; anything that
        would change it raises LibraryError). A folder that cannot hold a library raises LibraryError.
        """
        folder = LibraryFolder(Path(root))
        if folder.exists() and not os.access(folder.root, os.W_OK):
            return cls(folder.root, read_only=True, **kwargs)  # type: ignore[arg-type]
        folder.ensure_writable()
        try:
            return cls(folder.root, **kwargs)  # type: ignore[arg-type]
        except (LibraryError, HighlightError, OSError) as exc:
            if not folder.exists() or not _no_room(exc):
                raise
        # A full disk: SQLite cannot even open the database for writing (its shared-memory file cannot
        # grow). Reading needs no room: list, open, search and export work; changes say why they cannot.
        library = cls(folder.root, read_only=True, **kwargs)  # type: ignore[arg-type]
        library.why_read_only = "the disk is full (free some space)"
        library.notices.append(f"{folder.root}: the disk is full, so the library is open read-only; free some "
                               "space to change it")
        return library

    def close(self) -> None:
        with self._searcher_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        self.highlights.close()
        self.catalog.close()

    def _take_lock_for_restore(self) -> WriterLock:
        self.lock.acquire("restoring the library database from its backup")
        return self.lock

    def _check_against_journal(self, restored: bool) -> None:
        """Put back from the journal what the database lost or holds damaged (see reader.library.repair)."""
        had_journal = journal_path(self.folder.catalog).exists()
        try:
            notice = check_journal(self.folder.catalog, restored=restored).notice(self.folder.catalog)
        except (sqlite3.Error, OSError, ValueError, TypeError) as exc:
            if _no_room(exc):
                return  # a full disk: checked at the next start; the database is used as it is meanwhile
            notice = (f"{self.folder.catalog}: could not compare the library database with the journal of "
                      f"changes ({exc}); it is used as it is")
        if restored and not had_journal:
            notice = (f"{self.folder.catalog}: there was no journal of changes, so the changes made since the "
                      "backup are lost")
        elif restored and notice is None:
            notice = f"{self.folder.catalog}: the journal of changes had nothing the backup lacked; nothing is lost"
        if notice:
            self.notices.append(notice)

    def _recover_catalog(self, restored: bool) -> None:
        """Stored papers the catalog does not list (a catalog lost to damage) are listed again."""
        if not restored:
            # Only a catalog just restored or started anew after damage is filled in. Otherwise a stray
            # folder is litter (an import killed before its commit, a removal cut short), not a paper.
            return
        try:
            stored = self.folder.stored_ids()
        except OSError:
            return
        missing = stored - self.catalog.ids()
        if not missing:
            return
        entries = []
        for paper_id in sorted(missing):
            paper = self.folder.read_cache(paper_id)
            source = self.folder.source_path(paper_id)
            if paper is None or source is None:
                continue
            apply_corrections(paper, self.catalog.corrections(paper_id))
            entries.append(CatalogEntry.for_paper(paper, source.name, source.stat().st_size))
        if entries:
            self.catalog.add(entries)
            self.notices.append(f"{self.root}: {len(entries):,} stored papers were missing from the catalog "
                                "and are listed again")

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # reading

    def entries(self, sort: str = "added", collection: str | None = None, tag: str | None = None
                ) -> list[CatalogEntry]:
        """Papers of the library, from the catalog: all, or those in a collection (or one inside it) and with a
        tag (see Catalog.entries for the sort keys)."""
        return self.catalog.entries(sort, collection, tag)

    def tags(self, paper_id: str) -> list[str]:
        return self.catalog.tags_of(self.entry(paper_id).id)

    def collections(self, paper_id: str) -> list[str]:
        """The collections a paper is filed in, as paths ("Thesis/Chapter 2")."""
        return self.catalog.collections_of(self.entry(paper_id).id)

    def paper_notes(self, paper_id: str) -> list[PaperNote]:
        """Notes on the paper as a whole (brought from Zotero: child notes, note and image annotations)."""
        return self.catalog.notes_of(self.entry(paper_id).id)

    def all_tags(self) -> list[tuple[str, int]]:
        return self.catalog.all_tags()

    def all_collections(self) -> list[tuple[str, int]]:
        return self.catalog.all_collections()

    def entry(self, paper_id: str) -> CatalogEntry:
        entry = self.catalog.get(paper_id) or self._by_prefix(paper_id)
        if entry is None:
            raise LibraryError(f"{paper_id}: no such paper in the library")
        return entry

    def _by_prefix(self, prefix: str) -> CatalogEntry | None:
        """A paper by the first characters of its id (as people copy them from a list), if unambiguous."""
        if len(prefix) < 4:
            return None
        matches = [pid for pid in self.catalog.ids() if pid.startswith(prefix.lower())]
        if len(matches) > 1:
            raise LibraryError(f"{prefix}: more than one paper's id starts with this; give more of it")
        return self.catalog.get(matches[0]) if matches else None

    def paper(self, paper_id: str) -> Paper:
        """The paper, with the user's corrections of its metadata; re-parsed from its stored source when the
        cache is missing or outdated."""
        entry = self.entry(paper_id)
        return apply_corrections(self._parsed(entry.id), self.catalog.corrections(entry.id))

    def _parsed(self, paper_id: str) -> Paper:
        """The paper as the parser read it (the cache, or a fresh parse of the stored source)."""
        paper = self.folder.read_cache(paper_id)
        if paper is not None and (paper.parser_version == PARSER_VERSION or paper.format == RECORD_FORMAT):
            return paper
        source = self.folder.source_path(paper_id)
        if source is None:
            raise LibraryError(f"{paper_id}: its stored source file is missing from {self.folder.papers}")
        paper = (self.parse or load_bytes)(source.read_bytes(), str(source))
        paper.id = paper_id
        if not self.read_only:
            self.folder.write_cache(paper)
        return paper

    def corrections(self, paper_id: str) -> dict[str, object]:
        """The metadata fields of a paper the user corrected (title, authors, year, venue, doi), with values."""
        return self.catalog.corrections(self.entry(paper_id).id)

    def refresh_entry(self, paper_id: str) -> CatalogEntry:
        """Build a paper's catalog row again from its parse and corrections (they changed), and mark it for the
        index's next catch-up."""
        entry = self.entry(paper_id)
        row = CatalogEntry.for_paper(self.paper(entry.id), entry.source_name, entry.source_size)
        row.added = entry.added
        self.catalog.set_corrections(row, {})
        return row

    def correct_metadata(self, paper_id: str, changes: dict[str, object]) -> CatalogEntry:
        """Correct a paper's title, authors (a list of Name), year, venue or DOI; a value of None takes the
        correction of that field back (the parsed value shows again). The corrections win over every re-parse,
        show in the list, the window and the exports at once, and in search after the next catch-up (the paper
        is marked unindexed). On disk when this returns. Raises LibraryError for a value that is not one."""
        entry = self.entry(paper_id)
        checked = {name: None if value is None else normalise(name, value) for name, value in changes.items()}
        merged = {**self.catalog.corrections(entry.id), **checked}
        paper = apply_corrections(self._parsed(entry.id), {k: v for k, v in merged.items() if v is not None})
        row = CatalogEntry.for_paper(paper, entry.source_name, entry.source_size)
        row.added = entry.added
        self.catalog.set_corrections(row, checked)
        return row

    def search(self, query: str, limit: int = 10, snippets: int | None = None) -> list[SearchHit]:
        """Search the library (see reader.library.search for the query language), at once, from what the
        index holds now: a search never indexes papers left unindexed (``catch_up()`` does) and never waits
        for another writer. Only the first ``snippets`` hits get their snippets (None: all); ``add_snippets``
        gives the others theirs (the window shows its first rows before it reads the rest).

        Only an index that cannot be read at all (missing, foreign, damaged) is rebuilt first, reported to
        ``self.on_rebuild``; when another process holds the writer lock meanwhile, LibraryBusy says so.
        Raises QueryError for a query it cannot understand.
        """
        with self._searcher_lock:
            if self._searcher is None:
                self._searcher = self._open_searcher()
            try:
                return self._searcher.search(query, limit, snippets)
            except IndexUnusable as exc:
                self._searcher.close()
                self._searcher = None
                self._rebuild_now(str(exc))
                self._searcher = self._open_searcher()
                return self._searcher.search(query, limit, snippets)

    def add_snippets(self, query: str, hits: list[SearchHit]) -> list[SearchHit]:
        """Copies of ``hits`` of ``search(query, ...)``, each with its snippet. Raises QueryError, and
        IndexUnusable when the index became unreadable since (the next search rebuilds it)."""
        with self._searcher_lock:
            if self._searcher is None:
                self._searcher = self._open_searcher()
            return self._searcher.add_snippets(query, hits)

    def unindexed_count(self) -> int:
        """How many papers the index does not hold as they are now (a run cut short, notes changed since):
        ``catch_up()`` indexes them. Cheap: one count in the catalog."""
        return self.catalog.unindexed_count()

    def catch_up(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> int:
        """Index the papers left unindexed (and rebuild an index that cannot be read); returns how many
        papers it indexed. ``progress`` and ``cancel`` work as for ``import_paths``.

        Never waits: when another process (or another thread here) holds the writer lock, it raises
        LibraryBusy at once; that writer is busy with the library and the caller tries again later (the
        window when the other writer is done, the CLI simply searches what is there). A read-only library
        indexes nothing and returns 0.
        """
        if self.read_only:
            return 0
        if self.index.problem() is None and not self.catalog.unindexed_count():
            return 0
        self.lock.acquire("indexing papers left unindexed", timeout=0)
        with self.lock:
            reason = self.index.problem()
            if reason is not None:
                if self.on_rebuild is not None:
                    self.on_rebuild(reason, None)
                self.index.reset()
            pending = self._unindexed()
            if not pending:
                return 0
            report = self._run(reindex=pending, progress=progress or (
                self._rebuild_progress if reason is not None else None), cancel=cancel)
            return report.indexed

    def merge_segments(self, cancel: threading.Event | None = None, most_papers: int | None = None) -> int:
        """Merge the index's segments into one (``most_papers``: only the smallest ones, together holding at most
        that many papers), for when the library is idle: fewer segments make every search faster, and the
        merged index gives the same results. Returns how many papers the new segment holds (0: nothing to
        merge, or cancelled by ``cancel``, checked between words: the index stays as it was).

        Never waits, like ``catch_up``: LibraryBusy when another writer holds the lock. Safe to kill at any
        moment (the old segments stay until the new table of contents is recorded); searches meanwhile read
        the old segments or the new one. A read-only library merges nothing.
        """
        if self.read_only:
            return 0
        self.lock.acquire("merging the search index's segments", timeout=0)
        with self.lock:
            if self.index.problem() is not None:
                return 0  # rebuilt by the next search or catch_up, in few segments anyway
            try:
                merged = self.index.merge(lambda segments: smallest_segments(segments, most_papers), cancel)
            except MergeCancelled:
                return 0
        self._written()
        return merged

    def _open_searcher(self) -> LibrarySearcher:
        try:
            return LibrarySearcher(self.index, self.catalog, self.folder)
        except IndexUnusable as exc:
            if self.read_only:
                raise LibraryError(f"{self.root}: {exc}, and the library is read-only, so it cannot be "
                                   "rebuilt") from None
            self._rebuild_now(str(exc))
            return LibrarySearcher(self.index, self.catalog, self.folder)

    def _rebuild_now(self, reason: str) -> None:
        """Rebuild an unreadable index for a search: only if the writer lock is free right now."""
        try:
            self.lock.acquire("rebuilding the search index", timeout=0)
        except LibraryBusy:
            raise LibraryBusy(f"{self.root}: {reason}, and another litreader process is writing to the library "
                              "(it rebuilds the index itself); search again when it has finished") from None
        with self.lock:
            self._rebuild(reason)

    # writing

    def _written(self) -> None:
        """This process changed the index: the open searcher moves to the new generation at its next search."""
        if self._searcher is not None:
            self._searcher.expect_changes()

    def _take_lock(self, purpose: str) -> WriterLock:
        if self.read_only:
            raise LibraryError(f"{self.root}: {self.why_read_only}; nothing was changed")
        self.lock.acquire(purpose, timeout=self.lock_timeout, on_wait=self.on_wait)
        return self.lock

    def ensure_index(self, progress: ProgressCallback | None = None) -> None:
        """Make the index whole: rebuild it if unusable; index the papers a past run left unindexed."""
        reason = self.index.problem()
        if reason is None and not self._unindexed():
            return
        with self._take_lock("checking the search index"):
            reason = self.index.problem()
            if reason is not None:
                self._rebuild(reason, progress)
            elif self._unindexed():
                self._run(reindex=self._unindexed(), progress=progress)

    def _rebuild(self, reason: str, progress: ProgressCallback | None = None) -> None:
        with self._take_lock("rebuilding the search index"):
            if self.on_rebuild is not None:
                self.on_rebuild(reason, None)
            self.index.reset()
            self._run(reindex=self._unindexed(), progress=progress or self._rebuild_progress)

    def _rebuild_progress(self, progress: Progress) -> None:
        if self.on_rebuild is not None:
            self.on_rebuild("", progress)

    def import_paths(self, paths: Iterable[str | os.PathLike[str]], progress: ProgressCallback | None = None,
                     cancel: threading.Event | None = None) -> ImportReport:
        """Import files and folders (recursively). Returns one result per file; see ImportRun."""
        paths = list(paths)
        with self._take_lock("importing"):
            found = discover(paths)
            if self.index.problem() is not None:
                self.index.reset()  # every stored paper is indexed again in this run
            report = self._run(files=found, reindex=self._unindexed(), progress=progress, cancel=cancel)
            self._records_meet_their_files(report)
        return report

    def _records_meet_their_files(self, report: ImportReport) -> None:
        """A paper just imported that is the same work as a record (brought in earlier with no file) takes its
        place: what the reader made of the record (metadata from their reference manager, tags, collections,
        notes, highlights) moves to the paper, and the record goes."""
        records = self.catalog.entries_of_format(RECORD_FORMAT)
        imported = [r for r in report.results if r.status == "imported"]
        if not records or not imported:
            return
        same = SamePaper(records)
        for result in imported:
            entry = self.catalog.get(result.paper_id)
            record = same.find_entry(entry) if entry is not None else None
            if record is not None:
                self.merge_into(record, entry.id)
                result.reason = f"the file of {self.catalog.get(entry.id).title!r}, listed until now without one"

    def merge_into(self, old: str, new: str) -> None:
        """What the reader made of paper ``old`` (corrections, tags, collections, notes, highlights, where it came
        from) moves to paper ``new``, whose own win; ``old`` leaves the library."""
        self.catalog.move_paper_data(old, new)
        moved = self.highlights.for_paper(old)
        for h in moved:
            h.paper_id, h.text_hash = new, ""  # placed again in the new paper's text when it is opened
        if moved:
            self.highlights.add_many(moved)  # same ids: the rows move
        if self.catalog.get(old) is not None:
            self.remove(old)
        if self.catalog.get(new) is not None:
            self.refresh_entry(new)

    def reindex(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None
                ) -> ImportReport:
        """Rebuild the index from the stored papers, re-parsing those an older parser read (a rebuild
        after damage does the same)."""
        with self._take_lock("rebuilding the search index"):
            self.index.reset()
            return self._run(reindex=self._unindexed(), progress=progress, cancel=cancel)

    def remove(self, paper_id: str) -> CatalogEntry:
        """Take a paper out of the library: catalog, index and stored files."""
        with self._take_lock("removing a paper"):
            entry = self.entry(paper_id)
            self.folder.paper_dir(entry.id)  # an id that is no id (a path planted in the catalog) stops here
            # not indexed -> out of the index -> out of the catalog: a crash in between leaves the paper in
            # the library (indexed again at the next start), never half removed
            self.catalog.set_indexed([entry.id], False)
            if self.index.problem() is None:
                self.index.commit([], delete_ids=[entry.id])
            self.catalog.remove(entry.id)
            self.folder.remove(entry.id)
            self._written()
        return entry

    def _unindexed(self) -> list[tuple[str, UserData]]:
        """Papers no committed index holds (a run cut short, a paper whose notes, metadata, tags changed), with
        what the reader added to them. Papers read by an older parser are not among them: re-parsing a whole
        library is ``reindex()``'s job, never a side effect of a search or a small import."""
        return [(paper_id, self.user_data(paper_id)) for paper_id in self.catalog.unindexed()]

    def user_data(self, paper_id: str) -> UserData:
        """What the reader added to a paper, as the index takes it."""
        return UserData(self.notes_text(paper_id), self.catalog.corrections(paper_id),
                        self.catalog.tags_of(paper_id), self.catalog.collections_of(paper_id))

    def notes_text(self, paper_id: str) -> str:
        """What the index holds of a paper's highlights and notes: their words, so search finds them."""
        parts = [f"{h.quote}\n{h.note}".strip() for h in self.highlights.for_paper(paper_id)]
        parts += [note.text for note in self.catalog.notes_of(paper_id)]
        return "\n".join(parts)

    # highlights

    def highlights_for(self, paper_id: str, paper: Paper | None = None) -> list[Highlight]:
        """A paper's highlights in document order, placed in its current text (placed again, and saved, when
        the text changed since they were made; see reader.highlights.anchoring)."""
        entry = self.entry(paper_id)
        highlights = self.highlights.for_paper(entry.id)
        if not highlights:
            return []
        paper = paper or self.paper(entry.id)
        current = text_hash(paper.text)
        moved = []
        for h in highlights:
            if h.text_hash == current:
                continue
            placement = place(paper.text, h.start, h.end, h.quote, h.prefix, h.suffix)
            h.start, h.end, h.anchor, h.text_hash = placement.start, placement.end, placement.anchor, current
            moved.append(h)
        if moved and not self.read_only:
            self.highlights.save_placements(moved)
        return sorted(highlights, key=lambda h: (h.anchor == "orphaned", h.start, h.end))

    def add_highlight(self, paper_id: str, start: int, end: int, color: str = "yellow", note: str = "",
                      tags: list[str] | None = None, paper: Paper | None = None) -> Highlight:
        """Highlight ``Paper.text[start:end]`` of a paper; on disk when this returns. Pass ``paper`` when it is
        at hand (the window has it open) to save reading it again."""
        paper = paper if paper is not None and paper.id == paper_id else self.paper(paper_id)
        highlight = Highlight.new(paper.id, paper.text, start, end, color=color, note=note, tags=tags,
                                  text_hash=text_hash(paper.text))
        self.highlights.add(highlight)
        self._notes_changed(paper.id)
        return highlight

    def add_highlight_by_quote(self, paper_id: str, quote: str, occurrence: int = 1, **kwargs: object
                               ) -> Highlight:
        """Highlight the ``occurrence``-th place (1-based) where ``quote`` appears in the paper's text."""
        paper = self.paper(paper_id)
        at = -1
        for _ in range(max(1, occurrence)):
            at = paper.text.find(quote, at + 1)
            if at < 0:
                break
        if at < 0 or not quote:
            found = paper.text.count(quote) if quote else 0
            raise HighlightError(f"{paper.id}: the text has {found} occurrence(s) of that quote, "
                                 f"not {max(1, occurrence)}")
        return self.add_highlight(paper.id, at, at + len(quote), **kwargs)  # type: ignore[arg-type]

    def update_highlight(self, highlight_id: str, **changes: object) -> Highlight:
        """Change a highlight's colour, note or tags (see HighlightStore.update)."""
        highlight = self.highlights.update(highlight_id, **changes)  # type: ignore[arg-type]
        self._notes_changed(highlight.paper_id)
        return highlight

    def remove_highlight(self, highlight_id: str) -> Highlight:
        """Delete a highlight; returns it, so ``restore_highlight`` can undo."""
        highlight = self.highlights.remove(highlight_id)
        self._notes_changed(highlight.paper_id)
        return highlight

    def restore_highlight(self, highlight: Highlight) -> None:
        self.highlights.add(highlight)
        self._notes_changed(highlight.paper_id)

    def import_highlights(self, highlights: list[Highlight]) -> tuple[MergeReport, list[str]]:
        """Bring in highlights read back from an export (see HighlightStore.merge: the newer copy wins).
        Returns what was done, and the ids of their papers this library does not hold (their highlights are
        kept for when it does)."""
        report = self.highlights.merge(highlights)
        papers = {h.paper_id for h in highlights}
        known = self.catalog.get_many(sorted(papers))
        for paper_id in sorted(known):
            self.highlights_for(paper_id)  # placed in the text as it is here
            self._notes_changed(paper_id)
        return report, sorted(papers - set(known))

    def export_highlights(self, paper_ids: list[str] | None, fmt: str, front_matter: bool = False
                          ) -> tuple[bytes, int]:
        """The highlights of ``paper_ids`` (None: every paper that has some) as ``fmt`` (markdown, json, csv,
        or pdf for one PDF paper), and how many could not be placed on the pages (pdf only)."""
        ids = [self.entry(pid).id for pid in paper_ids] if paper_ids is not None else [
            pid for pid in self.highlights.papers_with_highlights() if self.catalog.get(pid)]
        if fmt == "pdf":
            if len(ids) != 1:
                raise LibraryError("an annotated PDF is one paper at a time: give one paper")
            entry, source = self.entry(ids[0]), self.folder.source_path(ids[0])
            if entry.format != "pdf" or source is None:
                raise LibraryError(f"{entry.id}: not a PDF; export its highlights as markdown, json or csv")
            paper = self.paper(entry.id)
            return annotated_pdf(source.read_bytes(), paper, self.highlights_for(entry.id, paper))
        items = []
        for pid in ids:
            paper = self.paper(pid)
            items.append(PaperHighlights(paper, self.highlights_for(pid, paper)))
        if fmt == "markdown":
            text = to_markdown(items, front_matter=front_matter)
        elif fmt == "json":
            text = json.dumps(to_annotations(items), ensure_ascii=False, indent=1) + "\n"
        elif fmt == "csv":
            text = to_csv(items)
        else:
            raise LibraryError(f"unknown export format {fmt!r} (markdown, json, csv or pdf)")
        return text.encode("utf-8"), 0

    def _notes_changed(self, paper_id: str) -> None:
        """The index's copy of the notes is stale: the paper is indexed again by ``catch_up()``.

        Called after the user's change is saved, so it must not fail the action: on a full disk the highlight
        is kept (and the caller told it was saved) while the index keeps the old notes a little longer."""
        try:
            if self.catalog.get(paper_id) is not None:
                self.catalog.set_indexed([paper_id], False)
        except LibraryError as exc:
            self.notices.append(f"{paper_id}: saved, but the search index will find the change only later ({exc})")

    def outdated(self) -> int:
        """How many papers an older parser read (``reindex()`` parses them again)."""
        return len(self.catalog.outdated(PARSER_VERSION))

    def _run(self, *, files: Iterable = (), reindex: Iterable[tuple[str, UserData]] = (),
             progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> ImportReport:
        known = self.catalog.ids_with_user_data()  # a paper removed and imported again comes back with them
        run = ImportRun(self.folder, self.catalog, self.index, files=files, reindex=reindex,
                        workers=self.workers, parse=self.parse, progress=progress, cancel=cancel,
                        time_limit=self.time_limit,
                        user_data=lambda pid: self.user_data(pid) if pid in known else UserData())
        try:
            return run.run()
        finally:
            self._written()
