"""The library commands of the command line: import, search, list, remove, reindex."""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from reader import paths
from reader.cli_external import import_bibliographies
from reader.errors import LibraryBusy, LibraryError, QueryError
from reader.library import Library
from reader.library import default as default_library
from reader.library.corrections import FIELDS as CORRECTABLE, parse_names
from reader.library.external import looks_like_bibliography
from reader.library.folder import LibraryFolder
from reader.library.importer import ImportReport, Progress
from reader.model import Paper
from reader.terminal import ProgressBar, duration, emphasise, shown


def add_commands(sub: argparse._SubParsersAction, library_option: argparse.ArgumentParser) -> None:
    """Register the library commands on the CLI's subparsers."""
    common = {"parents": [library_option]}
    p = sub.add_parser("import", help="import files and folders into the library", **common,
                       description="Import papers (PDF, text/markdown, XML) from files and folders (recursively). "
                       "Files already in the library are skipped. A BibTeX, RIS or CSL-JSON file brings its "
                       "entries with their linked files (see also import-zotero). Exit status 1 if any file failed.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print one JSON result per file instead of a summary")
    p.set_defaults(run=run_import)
    s = sub.add_parser("search", help="search the library", **common,
                       description='Search every paper. Words are ANDed; "a phrase"; author:NAME, title:WORD, '
                       "venue:WORD, keywords:WORD, references:WORD, notes:WORD, year:2023, year:[2020 TO 2023]; "
                       "word* (prefix), word~ (allows a typo).")
    s.add_argument("query", nargs="+", metavar="QUERY")
    s.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    s.add_argument("--json", action="store_true", help="print the results as one JSON array")
    s.set_defaults(run=run_search)
    lst = sub.add_parser("list", help="list the papers in the library", **common)
    lst.add_argument("--sort", choices=["added", "title", "year", "author"], default="added")
    lst.add_argument("--collection", metavar="PATH", help='only papers filed in PATH ("Thesis/Chapter 2") or '
                     "a collection inside it")
    lst.add_argument("--tag", metavar="TAG", help="only papers with this tag")
    lst.add_argument("--json", action="store_true", help="print the papers as one JSON array")
    lst.set_defaults(run=run_list)
    r = sub.add_parser("remove", help="remove a paper from the library", **common)
    r.add_argument("paper_id", metavar="PAPER_ID", help="the paper's id (or its first characters)")
    r.set_defaults(run=run_remove)
    x = sub.add_parser("reindex", help="rebuild the search index from the stored papers", **common)
    x.set_defaults(run=run_reindex)
    e = sub.add_parser("edit", help="correct a paper's title, authors, year, venue or DOI", **common,
                       description="Correct the metadata the parser read. A correction wins over every re-parse "
                       "and is searchable; --reset FIELD takes it back. With no option, prints the metadata and "
                       "which fields are corrected.")
    e.add_argument("paper_id", metavar="PAPER_ID", help="the paper's id (or its first characters)")
    e.add_argument("--title")
    e.add_argument("--authors", metavar="NAMES", help='separated by semicolons: "Family, Given; Given Family; '
                   '{An Organisation}" (use the comma form for names with particles: "van der Berg, Jan")')
    e.add_argument("--year")
    e.add_argument("--venue")
    e.add_argument("--doi", help='a DOI, or "" for none')
    e.add_argument("--reset", action="append", default=[], metavar="FIELD", choices=list(CORRECTABLE),
                   help="take back the correction of FIELD (repeat for more)")
    e.add_argument("--json", action="store_true", help="print the paper's metadata as JSON")
    e.set_defaults(run=run_edit)


def open_library(args: argparse.Namespace) -> Library:
    """The library the command works on; a new default library gets the sample papers first."""
    bar = ProgressBar()

    def prepare(library: Library) -> None:
        root = library.root
        for notice in library.notices:
            print(notice, file=sys.stderr)
        library.on_wait = lambda holder: print(
            f"{root}: waiting for another litreader process to finish writing ({holder})...", file=sys.stderr)

        def rebuilding(reason: str, progress: Progress | None) -> None:
            if progress is None:
                print(f"{root}: {reason}: rebuilding it from the {library.catalog.count():,} stored papers "
                      "(your papers and highlights are not touched)", file=sys.stderr)
            else:
                bar(progress)

        library.on_rebuild = rebuilding

    library, samples = default_library.open_library(
        getattr(args, "library", None), prepare=prepare,
        adding_samples=lambda root, folder: print(f"{root}: a new library; adding the sample papers from {folder}",
                                                  file=sys.stderr))
    for result in samples.failed if samples else []:
        print(f"{shown(result.path)}: {shown(result.reason)}", file=sys.stderr)
    return library


class ImportBar(ProgressBar):
    """The import's progress bar; once every file is parsed, it says how many papers are still being saved to
    the index (the last commit), instead of standing full with nothing moving."""

    def __call__(self, progress: Progress) -> None:
        if progress.done >= progress.total and progress.uncommitted:
            progress = dataclasses.replace(progress, phase=f"saving {progress.uncommitted:,} to the index")
        super().__call__(progress)


def run_import(args: argparse.Namespace) -> int:
    bibliographies = [p for p in args.paths if looks_like_bibliography(Path(p))]
    papers = [p for p in args.paths if p not in bibliographies]
    with open_library(args) as library:
        status = import_bibliographies(library, bibliographies, args.json) if bibliographies else 0
        if not papers:
            return status
        bar = ImportBar()
        try:
            report = library.import_paths(papers, progress=bar)
        finally:
            bar.finish()
    if args.json:
        print(json.dumps([r.to_json() for r in report.results], ensure_ascii=False, indent=1))
    else:
        for result in report.failed:
            if not (report.disk_full and result.reason.startswith("not imported: the disk is full")):
                print(f"{shown(result.path)}: {shown(result.reason)}", file=sys.stderr)
        for result in report.results:
            if result.status == "skipped" and result.reason.startswith("a link"):
                print(f"{shown(result.path)}: skipped: {result.reason}", file=sys.stderr)
            elif result.status == "imported" and result.reason:  # e.g. the file of a record
                print(f"{shown(result.path)}: {shown(result.reason)}", file=sys.stderr)
        print(import_summary(report), file=sys.stderr)
    return 1 if report.failed or report.disk_full or status else 0


def import_summary(report: ImportReport) -> str:
    """"12 imported, 3 already in the library, 1 failed, 4 skipped (not papers) in 0:05"; on a full disk
    "disk full: 12 imported, 30 not; free space and run again"."""
    already = report.count("already there")
    if report.disk_full:
        missed = sum(1 for r in report.results if r.status == "failed")
        there = f", {already:,} already in the library" if already else ""
        return (f"disk full: {report.count('imported'):,} imported{there}, {missed:,} not; free space and run "
                f"again ({report.disk_full})")
    parts = [f"{report.count('imported'):,} imported", f"{already:,} already in the library",
             f"{report.count('failed'):,} failed"]
    skipped = [r for r in report.results if r.status == "skipped"]
    links = sum(1 for r in skipped if r.reason.startswith("a link"))
    if len(skipped) > links:
        parts.append(f"{len(skipped) - links:,} skipped (not papers)")
    if links:
        parts.append(f"{links:,} link{'s' if links != 1 else ''} to outside the folders not followed")
    text = ", ".join(parts) + f" in {duration(report.elapsed)}"
    if report.indexed:
        text += f"; {report.indexed:,} stored papers indexed again"
    if report.interrupted:
        text += ". Interrupted: run the same command again to import the rest"
    return text


def run_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with open_library(args) as library:
        _catch_up(library)
        try:
            hits = library.search(query, limit=max(1, args.limit))
        except QueryError as exc:
            print(f"{query}: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print(f"{query}: no paper matches", file=sys.stderr)
        return 0
    ansi = sys.stdout.isatty()
    for rank, hit in enumerate(hits, 1):
        byline = ", ".join(hit.authors[:3]) + (" et al." if len(hit.authors) > 3 else "")
        year = f" ({hit.year})" if hit.year else ""
        print(f"{rank}. {shown(hit.title)}")
        print(f"   {shown(byline)}{year}  [{hit.paper_id}]  score {hit.score:.2f}")
        if hit.snippet:
            print(f"   {emphasise(shown(hit.snippet), _marks_in_shown(hit.snippet, hit.marks), ansi)}")
    return 0


def _marks_in_shown(snippet: str, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The marks moved to where they fall once the snippet's unsafe characters are shown as escapes."""
    if shown(snippet) == snippet:
        return marks
    at = [0]
    for ch in snippet:
        at.append(at[-1] + len(shown(ch)))
    return [(at[start], at[end]) for start, end in marks]


def _catch_up(library: Library) -> None:
    """A terminal user expects fresh results: index what was left unindexed first, when no other process
    is writing (then its import indexes them, and we search what is there without waiting)."""
    pending = library.unindexed_count()
    if not pending:
        return
    bar = ProgressBar()
    try:
        library.catch_up(progress=bar)
    except LibraryBusy:
        print(f"{library.root}: {pending:,} papers are not searchable yet (another litreader process is writing "
              "to the library); searching the rest", file=sys.stderr)
    finally:
        bar.finish()


def run_list(args: argparse.Namespace) -> int:
    library = open_library(args)
    with library:
        entries = library.entries(args.sort, collection=args.collection, tag=args.tag)
        outdated = library.outdated()
    if args.json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=1))
        return 0
    for e in entries:
        year = str(e.year) if e.year else "----"
        note = "  (parsed with warnings)" if e.warnings else ""
        print(f"{shown(e.id)}  {year}  {shown(e.byline(2)[:40]):40s}  {shown(e.title)}{note}")
    print(f"{len(entries):,} papers in {library.root}", file=sys.stderr)
    if outdated:
        print(f"{outdated:,} of them were read by an older version of the parser: "
              "`litreader reindex` reads them again", file=sys.stderr)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        entry = library.remove(args.paper_id)
    print(f"removed {entry.id}: {shown(entry.title)}", file=sys.stderr)
    return 0


def run_reindex(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        bar = ProgressBar()
        try:
            report = library.reindex(progress=bar)
        finally:
            bar.finish()
    for result in report.failed:
        print(f"{shown(result.path)}: {shown(result.reason)}", file=sys.stderr)
    print(f"{report.indexed:,} {'paper' if report.indexed == 1 else 'papers'} indexed in {duration(report.elapsed)}",
          file=sys.stderr)
    return 1 if report.failed else 0


def run_edit(args: argparse.Namespace) -> int:
    changes: dict[str, object] = {name: None for name in args.reset}
    for name in ("title", "year", "venue", "doi"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.authors is not None:
        changes["authors"] = parse_names(args.authors)
    with open_library(args) as library:
        entry = library.correct_metadata(args.paper_id, changes) if changes else library.entry(args.paper_id)
        corrected = sorted(library.corrections(entry.id))
    if args.json:
        print(json.dumps({**entry.to_json(), "corrected": corrected}, ensure_ascii=False, indent=1))
        return 0
    mark = {name: " (corrected)" if name in corrected else "" for name in CORRECTABLE}
    print(f"{entry.id}")
    print(f"  title:   {entry.title}{mark['title']}")
    print(f"  authors: {'; '.join(entry.authors)}{mark['authors']}")
    print(f"  year:    {entry.year or ''}{mark['year']}")
    print(f"  venue:   {entry.venue}{mark['venue']}")
    print(f"  doi:     {entry.doi}{mark['doi']}")
    return 0


def library_paper(library_arg: str | None, paper_id: str) -> Paper | None:
    """A paper of the library by id (or id prefix), for commands that take FILE or PAPER_ID; None if none."""
    root = paths.library_dir(library_arg)
    if not LibraryFolder(root).exists():
        return None
    with Library.open(root) as library:
        try:
            return library.paper(paper_id)
        except LibraryError:
            return None
