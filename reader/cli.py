"""The command line: ``litreader import|search|list|remove|reindex|parse|refs ...`` (see DESIGN.md section 3).

Errors a user can act on are one line on stderr (``what: why``); a bug of ours is logged with its traceback
and reported as one line with the log's path.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections import Counter
from datetime import datetime
from pathlib import Path

from reader import __version__, paths
from reader.cite.export import FORMATS
from reader.cli_external import add_commands as add_external_commands
from reader.cli_highlights import add_commands as add_highlight_commands
from reader.cli_library import add_commands as add_library_commands
from reader.cli_library import library_paper
from reader.errors import LibraryError, ParseError, QueryError
from reader.highlights import HighlightError
from reader.ingest import load_paper
from reader.library.folder import write_atomically
from reader.model import Paper
from reader.terminal import shown


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 a file failed, 2 a usage error)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = _build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    window_file = _window_request(parser, argv)
    if window_file is not None:
        return _run_window(argv, window_file or None)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        status = int(args.run(args))
        sys.stdout.flush()  # a pipe closed early shows here, not as Python's message at exit
        return status
    except (LibraryError, QueryError, HighlightError) as exc:
        print(shown(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # a bug of ours: keep the traceback in the log, show one line
        print(f"litreader {args.command}: internal error ({type(exc).__name__}: {exc}); details in "
              f"{log_crash()}", file=sys.stderr)
        return 1


def _reader_went_away() -> int:
    """What reads our output stopped (``litreader search x | head -1``): stop quietly, as a program killed by
    SIGPIPE would (status 128 + 13), with nothing left to flush into the closed pipe at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141


def _window_request(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """"" for ``litreader [--library DIR]`` (the window), FILE for ``litreader [--library DIR] FILE``,
    None when the arguments are a command."""
    rest = [a for a in argv if not a.startswith("-")]
    if "--library" in argv:
        at = argv.index("--library")
        rest = [a for a in rest if a != (argv[at + 1] if at + 1 < len(argv) else None)]
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if not rest:
        return ""
    if rest[0] not in commands and len(rest) == 1 and Path(rest[0]).exists():
        return rest[0]
    return None


def _run_window(argv: list[str], open_file: str | None) -> int:
    library_arg = argv[argv.index("--library") + 1] if "--library" in argv[:-1] else None
    try:
        from reader.app.app import library_for_window, run
    except ImportError as exc:  # Qt's system libraries missing: say how to get them
        print(f"litreader: the window cannot start ({exc}); run `bash .ci/setup app` to install what Qt needs",
              file=sys.stderr)
        return 1
    try:
        library = library_for_window(library_arg)
    except LibraryError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        return run(library, open_file)
    finally:
        library.close()


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="litreader", description="A literature reader: parse papers, "
                                     "follow their citations, search and highlight them.")
    parser.add_argument("--version", action="version", version=f"litreader {__version__}")
    parser.add_argument("--library", metavar="DIR", help="the library folder (default: $LITREADER_LIBRARY, "
                        "else the user data folder)")
    # also accepted after the command (`litreader import --library DIR ...`); SUPPRESS keeps a value given
    # before the command when it is not repeated after it
    library_option = argparse.ArgumentParser(add_help=False)
    library_option.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_library_commands(sub, library_option)
    add_highlight_commands(sub, library_option)
    add_external_commands(sub, library_option)
    p = sub.add_parser("parse", help="parse one file and print the paper (touches no library)",
                       description="Parse FILE (PDF, text/markdown or XML) and print what was recovered.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the whole paper as one JSON object")
    p.set_defaults(run=_run_parse)
    r = sub.add_parser("refs", help="write a paper's reference list for reference managers",
                       parents=[library_option],
                       description="Write the reference list of FILE (parsed now) or of a paper in the library "
                       "(by id) as BibTeX, RIS or CSL-JSON.")
    r.add_argument("file", metavar="FILE|PAPER_ID")
    r.add_argument("--format", required=True, choices=sorted(FORMATS), help="bibtex, ris or csljson")
    r.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    r.set_defaults(run=_run_refs)
    return parser


def _load(path: str) -> Paper | None:
    """Parse a file for a command; on failure print the one-line reason and return None."""
    try:
        return load_paper(path)
    except ParseError as exc:
        print(f"{shown(path)}: cannot parse: {shown(exc)}", file=sys.stderr)
    except OSError as exc:
        print(f"{shown(path)}: cannot parse: {exc.strerror or exc}", file=sys.stderr)
    except Exception as exc:  # a bug of ours, not the user's: keep the traceback, show one line
        print(f"{shown(path)}: cannot parse: internal error ({type(exc).__name__}); details in {log_crash()}",
              file=sys.stderr)
    return None


def _run_refs(args: argparse.Namespace) -> int:
    paper = None
    if not Path(args.file).exists():
        paper = library_paper(args.library, args.file)
    if paper is None:
        paper = _load(args.file)
    if paper is None:
        return 1
    output = FORMATS[args.format](paper.references)
    if not args.output:
        sys.stdout.write(output)
        return 0
    try:  # the same safe writer as every export: no predictable temporary name to plant a link at
        write_atomically(Path(args.output), output.encode("utf-8"), durable=True)
    except OSError as exc:
        print(f"{shown(args.output)}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _run_parse(args: argparse.Namespace) -> int:
    paper = _load(args.file)
    if paper is None:
        return 1
    if args.json:
        sys.stdout.write(json.dumps(paper.to_json(), ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary(paper))
    return 0


def log_crash() -> str:
    """Append the current exception's traceback to the crash log; return the log's path."""
    try:
        path = paths.log_dir() / "crash.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')} litreader {__version__}\n")
            log.write(traceback.format_exc())
        return str(path)
    except OSError:
        return "(the log could not be written)"


def summary(paper: Paper) -> str:
    """A short, readable account of a parsed paper."""
    authors = ", ".join(a.display() for a in paper.authors) or "(no authors found)"
    lines = [
        f"Title:      {paper.title or '(no title found)'}",
        f"Authors:    {authors}",
        f"Year:       {paper.year or '-'}",
    ]
    venue = paper.venue
    if paper.volume:
        venue += f", vol. {paper.volume}" + (f" no. {paper.issue}" if paper.issue else "")
    if venue:
        lines.append(f"Venue:      {venue.lstrip(', ')}")
    if paper.doi:
        lines.append(f"DOI:        {paper.doi}")
    if paper.keywords:
        lines.append(f"Keywords:   {', '.join(paper.keywords)}")
    lines.append(f"Format:     {paper.format}" + (f", {paper.page_count} pages" if paper.page_count else ""))
    kinds = Counter(b.kind for b in paper.blocks)
    lines.append(f"Text:       {len(paper.text):,} characters, {kinds['paragraph']:,} paragraphs")
    resolved = sum(1 for c in paper.citations for i in c.items if i.status == "resolved")
    items = sum(len(c.items) for c in paper.citations)
    lines.append(f"References: {len(paper.references)}")
    lines.append(f"Citations:  {len(paper.citations):,} in the text ({resolved:,} of {items:,} cited works linked)")
    headings = [b for b in paper.blocks if b.kind == "heading"]
    if headings:
        lines.append("Sections:")
        for b in headings:
            lines.append(f"  {'  ' * max(0, b.level - 1)}{paper.text[b.start:b.end]}")
    for warning in paper.warnings:
        lines.append(f"Note:       {warning}")
    return "\n".join(lines) + "\n"
