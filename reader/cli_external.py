"""Bringing a library from another reference manager, from the command line: ``import-zotero DIR``, and the
BibTeX, RIS and CSL-JSON files that ``import`` is given."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.library import Library
from reader.library.external import BringInReport, import_bibliography, import_zotero
from reader.terminal import ProgressBar, duration

def add_commands(sub: argparse._SubParsersAction, library_option: argparse.ArgumentParser) -> None:
    z = sub.add_parser("import-zotero", help="bring a Zotero library in (files, metadata, collections, tags, "
                       "notes, annotations)", parents=[library_option],
                       description="Import a Zotero data directory (the folder holding zotero.sqlite and storage/). "
                       "Zotero's files are never written to; running it again adds what is new and updates what "
                       "changed, without duplicates. Exit status 1 if anything could not be brought in.")
    z.add_argument("data_dir", metavar="DIR", help="Zotero's data directory, e.g. ~/Zotero")
    z.add_argument("--base-dir", metavar="DIR", help="Zotero's base folder for linked files (attachments:...)")
    z.add_argument("--json", action="store_true", help="print one JSON object: the items and the problems")
    z.set_defaults(run=run_import_zotero)


def run_import_zotero(args: argparse.Namespace) -> int:
    from reader.cli_library import open_library

    with open_library(args) as library:
        report = _with_progress(lambda bar: import_zotero(library, args.data_dir, args.base_dir, progress=bar))
    return print_report(report, f"Zotero ({Path(args.data_dir).expanduser()})", args.json)


def import_bibliographies(library: Library, paths: list[str], as_json: bool) -> int:
    """``import refs.bib``: each bibliography with its files; 1 if anything failed."""
    status = 0
    for path in paths:
        report = _with_progress(lambda bar: import_bibliography(library, path, progress=bar))
        status |= print_report(report, path, as_json)
    return status


def _with_progress(work):  # type: ignore[no-untyped-def]
    bar = ProgressBar()
    try:
        return work(bar)
    finally:
        bar.finish()


def print_report(report: BringInReport, name: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"source": report.source, "items": [i.to_json() for i in report.items],
                          "problems": report.problems, "highlights": dict(report.highlights),
                          "notes": report.notes, "interrupted": report.interrupted}, ensure_ascii=False, indent=1))
    else:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(report.summary(name, duration(report.elapsed)), file=sys.stderr)
    return 1 if report.failed else 0
