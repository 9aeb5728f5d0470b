"""Bring a library from another reference manager into ours: files, metadata, collections, tags, notes and
annotations; again and again, without duplicates, and without undoing what the reader did here since.

The order keeps it at the speed of a plain import: the files are hashed first, so each paper's id is known
before it is parsed; its metadata, tags, collections, notes and highlights are written against that id;
then the files are imported, and each paper is parsed and indexed once, with all of it. Last, the
annotations are placed on the words of the parsed text, near their page.

What wins: the reader's own corrections and edits made here; then the other manager's metadata (curated
there); then what we parse. A paper the reader removed here is not brought back. An item seen before is
updated (its metadata, tags, collections and notes from that source follow the source; its annotations are
updated unless the reader changed the highlight here).
"""
from __future__ import annotations

import colorsys
import re
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.highlights import HighlightError
from reader.highlights import Highlight, place
from reader.highlights.anchoring import Placement
from reader.highlights.model import COLORS, now_iso, quote_selector, text_hash
from reader.ingest import MAX_FILE_BYTES, PARSER_VERSION
from reader.library.catalog import CatalogEntry, PaperNote
from reader.library.external.records import Annotation, Record
from reader.library.importer import ImportReport, Progress
from reader.library.records import RECORD_FORMAT, record_id, record_paper
from reader.model import Paper, paper_id_for

_NAMESPACE = uuid.UUID("5b0e7d3c-8f43-4a53-9a55-2f6b9b0c1d21")  # ids of what we bring in, stable across runs
STATUSES = ("imported", "merged", "metadata only", "updated", "unchanged", "removed here", "not done (interrupted)",
            "failed")
NOTE_KINDS = {"note": "Note", "text": "Text annotation", "image": "Image annotation (not shown here)",
              "ink": "Ink drawing (not shown here)"}


@dataclass
class ItemResult:
    """What became of one item: imported (its file is new here), merged (the paper was here already),
    metadata only (no readable file), updated / unchanged (seen in an earlier run), removed here (the reader
    removed its paper: left out), failed."""

    key: str
    title: str
    status: str
    paper_id: str = ""
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "status": self.status, "paper_id": self.paper_id,
                "detail": self.detail}


@dataclass
class BringInReport:
    source: str
    items: list[ItemResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: which item, what is wrong
    files: ImportReport | None = None
    highlights: Counter = field(default_factory=Counter)  # placed, orphaned, updated, kept (changed here), ...
    notes: int = 0
    interrupted: bool = False
    elapsed: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def summary(self, name: str, took: str = "") -> str:
        """"Zotero (~/Zotero): 120 items: 100 imported, 12 metadata only, ...; highlights: ...; 2 problems"."""
        counts = [f"{self.count(s):,} {s}" for s in STATUSES if self.count(s)]
        n = len(self.items)
        text = f"{name}: {n:,} {'item' if n == 1 else 'items'}" + (f": {', '.join(counts)}" if counts else "")
        if self.highlights:
            text += "; highlights: " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.highlights.items()))
        if self.notes:
            text += f"; {self.notes:,} notes"
        if self.problems:
            p = len(self.problems)
            text += f"; {p:,} {'problem' if p == 1 else 'problems'}"
        if took:
            text += f" in {took}"
        if self.interrupted:
            text += ". Interrupted: run it again to bring in the rest"
        return text


@dataclass
class _Plan:
    record: Record
    paper_id: str = ""
    status: str = ""
    files: dict[str, str] = field(default_factory=dict)  # path -> paper id, the readable attachments
    new: bool = False  # the main file is not in the library yet
    pending: dict[str, int | None] = field(default_factory=dict)  # highlight id -> page index, to be placed


def bring_in(library, records: list[Record], source: str, label: str,  # type: ignore[no-untyped-def]
             progress: Callable[[Progress], None] | None = None, cancel=None) -> BringInReport:
    """Bring ``records`` (from ``source``, e.g. ``zotero:/home/me/Zotero``; ``label`` names it for messages) into
    ``library``. Problems are reported per item and the rest goes on."""
    started = time.monotonic()
    report = BringInReport(source)
    catalog = library.catalog
    duplicates = _DuplicateFinder(library.entries())
    plans = []
    for record in records:
        plan = _plan(library, record, source, label, duplicates, report)
        if plan is not None:
            plans.append(plan)
    # what the reader will see of each paper, written before the files are parsed (see the module's docstring)
    _write_user_data(library, plans, source, report)
    files = sorted({path for plan in plans if plan.status != "failed" for path in plan.files})
    if files:
        report.files = library.import_paths(files, progress=progress, cancel=cancel)
        report.interrupted = report.files.interrupted
        failed = {str(Path(r.path)): r.reason for r in report.files.failed}
        for plan in plans:
            for path in plan.files:
                if path in failed:
                    report.problems.append(f"{label}: item {plan.record.key} ({_short(plan.record.title)}): "
                                           f"{path}: {failed[path]}")
    for plan in plans:
        if plan.status != "failed" and plan.files and catalog.get(plan.paper_id) is None:
            if report.interrupted:
                plan.status = "not done (interrupted)"
            else:  # its file failed to import: the item is kept, as a record
                _fall_back_to_record(library, plan, source)
        if plan.status not in ("failed", "not done (interrupted)"):
            _place_highlights(library, plan, report)
        report.items.append(ItemResult(plan.record.key, plan.record.title, plan.status, plan.paper_id))
    library.ensure_index(progress)
    report.elapsed = time.monotonic() - started
    return report


# --- planning: which paper each item becomes ---

def _plan(library, record: Record, source: str, label: str, duplicates: _DuplicateFinder,  # type: ignore[no-untyped-def]
          report: BringInReport) -> _Plan | None:
    catalog = library.catalog
    plan = _Plan(record)
    known = catalog.external_item(source, record.key)
    if known is not None and catalog.get(known[0]) is None and not _is_record(library, known[0]):
        report.items.append(ItemResult(record.key, record.title, "removed here", known[0],
                                       "removed from this library; not brought back"))
        return None
    for attachment in record.attachments:
        if attachment.path is None:
            report.problems.append(f"{label}: item {record.key} ({_short(record.title)}): {attachment.name}: "
                                   f"{attachment.problem}")
            continue
        try:
            with open(attachment.path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            report.problems.append(f"{label}: item {record.key} ({_short(record.title)}): {attachment.path}: "
                                   f"cannot be read ({exc.strerror or exc})")
            continue
        plan.files[str(attachment.path)] = paper_id_for(data)
    main = next(iter(plan.files.values()), None)
    if main is not None:
        plan.paper_id = main
        plan.new = catalog.get(main) is None
        plan.status = "imported" if plan.new else "merged"
        if known is not None:
            plan.status = "updated" if known[1] != record.modified or known[0] != main else "unchanged"
            if known[0] != main and _is_record(library, known[0]):
                _move_user_data(library, known[0], main)  # its file turned up: the record gives way
    elif known is not None:
        plan.paper_id = known[0]
        plan.status = "updated" if known[1] != record.modified else "unchanged"
    else:
        same = duplicates.find(record)
        plan.paper_id = same or record_id(source, record.key)
        plan.status = "merged" if same else "metadata only"
    if plan.status in ("imported", "metadata only") and main is not None:
        same = duplicates.find(record)
        if same is not None and same != main:  # another file of a paper the library has: merge, don't duplicate
            plan.paper_id, plan.files, plan.status = same, {}, "merged"
    return plan


class _DuplicateFinder:
    """Papers of the library by DOI, and by normalised title + year + first author's family name."""

    def __init__(self, entries: list[CatalogEntry]) -> None:
        self.by_doi = {e.doi.lower(): e.id for e in entries if e.doi}
        self.by_title = {}
        for e in entries:
            key = (_norm(e.title), e.year, e.first_author)
            if key[0] and e.year:
                self.by_title.setdefault(key, e.id)

    def find(self, record: Record) -> str | None:
        if record.doi and record.doi.lower() in self.by_doi:
            return self.by_doi[record.doi.lower()]
        first = record.authors[0] if record.authors else None
        family = ((first.family or first.literal) if first else "").lower()
        return self.by_title.get((_norm(record.title), record.year, family))


def _norm(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[^\w]+", " ", text).strip()


def _is_record(library, paper_id: str) -> bool:  # type: ignore[no-untyped-def]
    paper = library.folder.read_cache(paper_id)
    return paper is not None and paper.format == RECORD_FORMAT


def _move_user_data(library, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    """What the reader made of one paper moves to another (a record whose file turned up, or the other way)."""
    library.catalog.move_paper_data(old, new)
    moved = library.highlights.for_paper(old)
    for h in moved:
        h.paper_id, h.text_hash = new, ""  # placed again in the new paper's text
    if moved:
        library.highlights.add_many(moved)  # same ids: the rows move
    if library.catalog.get(old) is not None:
        library.remove(old)


# --- writing ---

def _write_user_data(library, plans: list[_Plan], source: str, report: BringInReport) -> None:  # type: ignore[no-untyped-def]
    """Everything the items bring but their files, in a few transactions (one per user action would cost a
    disk flush each: minutes for a large library). Highlights first, then the record of having written them:
    a crash in between leaves highlights we take for the reader's own, never a highlight lost."""
    catalog = library.catalog
    for start in range(0, len(plans), 500):
        batch = plans[start:start + 500]
        highlights: list[tuple[Highlight, Annotation]] = []
        for plan in batch:
            for attachment in plan.record.attachments:
                target = plan.files.get(str(attachment.path)) if attachment.path else None
                for annotation in attachment.annotations:
                    if annotation.kind in ("highlight", "underline"):
                        highlight = _highlight_for(library, target or plan.paper_id, source, annotation, report)
                        if highlight is not None:
                            highlights.append((highlight, annotation))
                            plan.pending[highlight.id] = annotation.page_index
        library.highlights.add_many(h for h, _ in highlights)
        with catalog.transaction() as db:
            for highlight, annotation in highlights:
                catalog.set_external_highlight(highlight.id, source, annotation.key, highlight.modified, db)
            for plan in batch:
                _write_item(catalog, db, plan, source, report)
        records = [_record_entry(library, plan, source) for plan in batch
                   if not plan.files and catalog.get(plan.paper_id) is None]
        catalog.add(records)
        for plan in batch:
            if plan.status in ("merged", "updated") and catalog.get(plan.paper_id) is not None:
                library.refresh_entry(plan.paper_id)  # a paper here already: shown and indexed anew


def _write_item(catalog, db, plan: _Plan, source: str, report: BringInReport) -> None:  # type: ignore[no-untyped-def]
    record = plan.record
    catalog.set_source_corrections(plan.paper_id, record.metadata(), source, db)
    catalog.set_source_tags(plan.paper_id, source, record.tags, db)
    collections = ["/".join(part.replace("/", "∕") for part in path) for path in record.collections]
    catalog.set_source_collections(plan.paper_id, source, collections, db)
    for note in record.notes:
        _put_note(catalog, db, plan.paper_id, source, note.key, note.text, note.page_label)
    report.notes += len(record.notes)
    for attachment in record.attachments:
        for annotation in attachment.annotations:
            if annotation.kind in NOTE_KINDS:
                page = f", page {annotation.page_label}" if annotation.page_label else ""
                text = f"{NOTE_KINDS[annotation.kind]}{page}: {annotation.comment}".rstrip(": ")
                _put_note(catalog, db, plan.paper_id, source, annotation.key, text, annotation.page_label)
                report.notes += 1
    catalog.set_external_item(source, record.key, plan.paper_id, record.modified, db)
    for paper_id in plan.files.values():
        if paper_id != plan.paper_id:  # another file of the item (a supplement): filed and tagged with it
            catalog.set_source_tags(paper_id, source, record.tags, db)
            catalog.set_source_collections(paper_id, source, collections, db)


def _put_note(catalog, db, paper_id: str, source: str, key: str, text: str, page: str) -> None:  # type: ignore[no-untyped-def]
    now = now_iso()
    catalog.put_note(PaperNote(str(uuid.uuid5(_NAMESPACE, f"{source}\0{key}")), paper_id, text, page, source, now,
                               now), db)


def _record_entry(library, plan: _Plan, source: str) -> CatalogEntry:  # type: ignore[no-untyped-def]
    """Store an item with no file as a record paper; its catalog row (unindexed) to add."""
    record = plan.record
    paper = record_paper(plan.paper_id, f"{source} {record.key}", record.title, record.authors, record.year,
                         record.venue, record.doi, record.abstract, PARSER_VERSION)
    library.folder.write_cache(paper)
    return CatalogEntry.for_paper(paper, f"{record.key} (no file)", 0)


def _fall_back_to_record(library, plan: _Plan, source: str) -> None:  # type: ignore[no-untyped-def]
    """The item's file failed to import: the item is kept, as a record, under its record id."""
    new_id = record_id(source, plan.record.key)
    _move_user_data(library, plan.paper_id, new_id)
    plan.paper_id, plan.files, plan.status = new_id, {}, "metadata only"
    with library.catalog.transaction() as db:
        library.catalog.set_external_item(source, plan.record.key, new_id, plan.record.modified, db)
    if library.catalog.get(new_id) is None:
        library.catalog.add([_record_entry(library, plan, source)])


def _highlight_id(source: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{source}\0{key}"))


def _highlight_for(library, paper_id: str, source: str, annotation: Annotation,  # type: ignore[no-untyped-def]
                   report: BringInReport) -> Highlight | None:
    """The highlight to save for an annotation (not placed yet), or None when the one here stays as it is."""
    hid = _highlight_id(source, annotation.key)
    written = library.catalog.external_highlight(hid)
    try:
        current = library.highlights.get(hid)
    except HighlightError:
        current = None
    if written is not None and current is None:
        report.highlights["deleted here"] += 1  # the reader deleted it here: it stays deleted
        return None
    if current is not None and current.modified != written:
        report.highlights["kept (changed here)"] += 1
        return None
    color, note, tags = nearest_color(annotation.color), annotation.comment, list(annotation.tags)
    if current is not None and current.text_hash and (current.quote, current.color, current.note, current.tags,
                                                      current.paper_id) == (annotation.text, color, note, tags,
                                                                            paper_id):
        report.highlights["unchanged"] += 1
        return None
    now = now_iso()
    report.highlights["updated" if current else "new"] += 1
    return Highlight(id=hid, paper_id=paper_id, start=0, end=len(annotation.text), quote=annotation.text,
                     color=color, note=note, tags=tags, created=current.created if current else now,
                     modified=now, anchor="orphaned", text_hash="")  # placed once the paper is parsed


def _place_highlights(library, plan: _Plan, report: BringInReport) -> None:  # type: ignore[no-untyped-def]
    """Put the item's new highlights on the words of its parsed text, near their page."""
    if not plan.pending:
        return
    for paper_id in {plan.paper_id} | set(plan.files.values()):
        pending = [h for h in library.highlights.for_paper(paper_id) if h.id in plan.pending]
        if not pending or library.catalog.get(paper_id) is None:
            continue
        paper = library.paper(paper_id)
        current = text_hash(paper.text)
        for h in pending:
            placement = place_on_page(paper, h.quote, plan.pending[h.id])
            h.start, h.end, h.anchor, h.text_hash = placement.start, placement.end, placement.anchor, current
            if placement.anchor != "orphaned":
                h.prefix, h.suffix = quote_selector(paper.text, h.start, h.end)[1:]
            report.highlights["orphaned" if placement.anchor == "orphaned" else "placed"] += 1
        library.highlights.add_many(pending)


def place_on_page(paper: Paper, quote: str, page_index: int | None) -> Placement:
    """Where an annotation's words are in the reading text: searched on its page first, then on the pages
    around it, then anywhere (by the rules of reader.highlights.anchoring: exact, moved, fuzzy; orphaned at its
    page's start when they are not found, or found in several places that nothing tells apart)."""
    text = paper.text
    ranges = [_pages_range(paper, page_index, 0), _pages_range(paper, page_index, 1), (0, len(text))]
    for start, end in ranges:
        if start is None:
            continue
        found = place(text[start:end], 0, min(len(quote), end - start), quote, "", "")
        if found.anchor != "orphaned":
            a, b = start + found.start, start + found.end
            return Placement(a, b, "exact" if text[a:b] == quote else found.anchor)  # "moved": same words, other form
    guess = ranges[0][0] or 0
    return Placement(guess, min(len(text), guess + max(1, len(quote))), "orphaned")


def _pages_range(paper: Paper, page_index: int | None, spread: int) -> tuple[int | None, int]:
    """The stretch of the reading text printed on a page (0-based index), and ``spread`` pages either side."""
    if page_index is None:
        return None, 0
    spans = [s for s in paper.pages if abs(s.page - (page_index + 1)) <= spread]
    if not spans:
        return None, 0
    return min(s.start for s in spans), max(s.end for s in spans)


def nearest_color(hex_color: str) -> str:
    """The palette colour nearest in hue to a Zotero colour (#ffd400 yellow, #ff6666 red, #5fb236 green, ...)."""
    match = re.fullmatch(r"#?([0-9a-fA-F]{6})", hex_color.strip())
    if not match:
        return "yellow"
    r, g, b = (int(match.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.15:
        return "yellow"  # grey: no hue to keep
    best, distance = "yellow", 2.0
    for name, value in COLORS.items():
        pr, pg, pb = (int(value[i:i + 2], 16) / 255 for i in (1, 3, 5))
        other = colorsys.rgb_to_hls(pr, pg, pb)[0]
        d = min(abs(hue - other), 1 - abs(hue - other))
        if d < distance:
            best, distance = name, d
    return best


def _short(title: str) -> str:
    return title if len(title) <= 60 else title[:57] + "..."
