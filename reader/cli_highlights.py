"""``litreader highlights add|list|remove|import|export``: highlights from a terminal or a script."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.cli_library import open_library
from reader.errors import LibraryError
from reader.highlights import COLORS
from reader.highlights.export import read_annotations
from reader.library import Library
from reader.library.folder import write_atomically
from reader.terminal import shown


def add_commands(sub: argparse._SubParsersAction, library_option: argparse.ArgumentParser) -> None:
    h = sub.add_parser("highlights", help="add, list, remove, import and export highlights",
                       parents=[library_option])
    hs = h.add_subparsers(dest="highlights_command", metavar="ACTION", required=True)
    common = {"parents": [library_option]}
    a = hs.add_parser("add", help="highlight a quote in a paper", **common)
    a.add_argument("paper_id", metavar="PAPER_ID")
    a.add_argument("--quote", required=True, help="the exact words to highlight")
    a.add_argument("--occurrence", type=int, default=1, metavar="N", help="the N-th place they appear (default 1)")
    a.add_argument("--color", default="yellow", choices=list(COLORS))
    a.add_argument("--note", default="", help="a note on the highlight")
    a.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeat for more)")
    a.set_defaults(run=run_add)
    ls = hs.add_parser("list", help="a paper's highlights, in document order", **common)
    ls.add_argument("paper_id", metavar="PAPER_ID")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run_list)
    r = hs.add_parser("remove", help="delete a highlight", **common)
    r.add_argument("highlight_id", metavar="HIGHLIGHT_ID", help="its id (or its first characters)")
    r.set_defaults(run=run_remove)
    i = hs.add_parser("import", help="read highlights back from a W3C Web Annotation JSON export", **common)
    i.add_argument("file", metavar="FILE")
    i.set_defaults(run=run_import)
    e = hs.add_parser("export", help="write highlights as Markdown, W3C JSON, CSV or an annotated PDF", **common)
    which = e.add_mutually_exclusive_group(required=True)
    which.add_argument("paper_id", nargs="?", metavar="PAPER_ID")
    which.add_argument("--all", action="store_true", help="every paper's highlights")
    e.add_argument("--format", required=True, choices=["markdown", "json", "csv", "pdf"])
    e.add_argument("-o", "--output", metavar="OUT", help="write to OUT (required for pdf) instead of stdout")
    e.add_argument("--front-matter", action="store_true", help="Markdown: YAML front matter (one paper)")
    e.set_defaults(run=run_export)


def run_add(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        h = library.add_highlight_by_quote(args.paper_id, args.quote, args.occurrence, color=args.color,
                                           note=args.note, tags=args.tag)
    print(h.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        highlights = library.highlights_for(args.paper_id)
        _say_damaged(library)
    if args.json:
        print(json.dumps([h.to_json() for h in highlights], ensure_ascii=False, indent=1))
        return 0
    for h in highlights:
        quote = " ".join(h.quote.split())
        quote = quote if len(quote) <= 70 else quote[:69] + "…"
        state = "" if h.anchor in ("exact", "moved") else f"  [{h.anchor}]"
        note = f"  — {' '.join(h.note.split())}" if h.note else ""
        print(f"{shown(h.id[:8])}  {h.color:6s}  “{shown(quote)}”{shown(note)}{state}")
    return 0


def _say_damaged(library: Library) -> None:
    """Which highlights were read from a damaged database row (listed or exported as far as they can be read)."""
    for highlight_id, problem in library.highlights.damaged.items():
        print(f"highlight {shown(highlight_id)}: {problem}", file=sys.stderr)


def run_remove(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        h = library.remove_highlight(args.highlight_id)
    print(f"removed {shown(h.id)}: “{shown(' '.join(h.quote.split())[:60])}”", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        highlights = read_annotations(data)
    except OSError as exc:
        print(f"{shown(args.file)}: cannot read it: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except UnicodeDecodeError as exc:
        print(f"{shown(args.file)}: not a highlights export (not UTF-8 text: 0x{exc.object[exc.start]:02x} at "
              f"byte offset {exc.start})", file=sys.stderr)
        return 1
    except json.JSONDecodeError as exc:
        print(f"{shown(args.file)}: not a highlights export (not valid JSON: {exc.msg} at line {exc.lineno}, "
              f"column {exc.colno})", file=sys.stderr)
        return 1
    except ValueError as exc:  # valid JSON, but not what an export holds: says which annotation and why
        print(f"{shown(args.file)}: {shown(exc)}", file=sys.stderr)
        return 1
    except RecursionError:
        print(f"{shown(args.file)}: not W3C Web Annotation JSON (nested too deeply to read)", file=sys.stderr)
        return 1
    with open_library(args) as library:
        report, unknown = library.import_highlights(highlights)
    print(f"{shown(args.file)}: {report.summary()}", file=sys.stderr)
    if unknown:
        print(f"{len(unknown)} of their papers are not in this library (kept for when they are): "
              + ", ".join(shown(paper_id) for paper_id in unknown), file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    if args.format == "pdf" and (args.all or not args.output):
        raise LibraryError("an annotated PDF is one paper at a time, to a file: give PAPER_ID and -o OUT")
    with open_library(args) as library:
        data, missed = library.export_highlights(None if args.all else [args.paper_id], args.format,
                                                 front_matter=args.front_matter)
        _say_damaged(library)
    if not args.output:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    try:
        write_atomically(Path(args.output), data, durable=True)
    except OSError as exc:  # a missing folder, no permission, a full disk: nothing was written
        print(f"{shown(args.output)}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if missed:
        print(f"{args.output}: {missed} highlight(s) could not be placed on the pages", file=sys.stderr)
    return 0
