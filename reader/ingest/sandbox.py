"""Run a parser in a worker process, so that a hostile or broken file cannot hang or crash the app.

Why: pymupdf is a thin layer over MuPDF, which is C code. A malformed or malicious PDF can send it into an
endless loop, exhaust memory or crash it outright (a segfault or an abort is not a Python exception). In the
app's own process that would freeze the window or take it down with the user's unsaved work. In a worker
process the parser can be stopped after a deadline, and a crash becomes an ordinary ``ParseTimeout``.

How: ``run_isolated(func, *args, timeout=...)`` starts one worker per call, never a fork of the caller:
"forkserver" on Linux (a clean server process, started once, forks each worker; safe with Qt's threads in
the caller) and "spawn" elsewhere. The worker first reports that it is running, so ``timeout`` limits the
parser's own work, not the process start.

Cost, measured on a 2-core Linux box: with forkserver the first call pays ~200 ms to start the server
(which imports ``reader.ingest.pdf_lines`` and pymupdf once), every later call ~10 ms; with spawn every call
pays ~200 ms for a fresh interpreter, plus ~70 ms when the target imports pymupdf. Sending the result back
(pickled) adds ~30 ms for a 13-page paper's lines. Negligible next to a user opening a file, too much for
a tight loop: batch the work inside ``func`` instead.

``func`` must be a top-level, importable function and its arguments and result picklable. The program's
main module must be import-safe (``if __name__ == "__main__":``), as for any multiprocessing code.
"""
from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from reader.errors import ParseError, ParseTimeout, ReaderError

T = TypeVar("T")

# Modules the forkserver imports once, so each worker starts with them loaded (pymupdf takes ~100 ms).
_PRELOAD = ["reader.ingest.pdf_lines"]
# How long a worker may take to start before we call it broken (a slow disk, a loaded machine).
_START_LIMIT = 60.0


@lru_cache(maxsize=1)
def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _worker(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Runs in the worker process: report "started", run ``func``, send back its result or its error."""
    conn.send(("started",))
    try:
        reply: tuple[Any, ...] = ("ok", func(*args))
    except ReaderError as exc:  # an error we raise on purpose travels as its type and message
        reply = ("reader_error", type(exc), str(exc))
    except Exception as exc:  # noqa: BLE001 - anything else becomes "parser failed"
        reply = ("error", str(exc) or type(exc).__name__)
    try:
        conn.send(reply)
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
        conn.send(("error", f"result could not be sent back: {exc}"))
    conn.close()


def _rebuild(cls: Any, message: str) -> ReaderError:
    """The worker's ReaderError, re-created in the caller (ParseError if its type cannot be rebuilt)."""
    if isinstance(cls, type) and issubclass(cls, ReaderError):
        try:
            return cls(message)
        except Exception:  # noqa: BLE001 - a subclass with another constructor signature
            pass
    return ParseError(message)


def run_isolated(func: Callable[..., T], *args: Any, timeout: float) -> T:
    """``func(*args)`` run in a separate worker process, with a deadline.

    Returns its result. Raises ``ParseTimeout("parser timed out after N s")`` when it runs longer than
    ``timeout`` seconds (the worker is killed), ``ParseTimeout("parser crashed (exit code N)")`` when the
    worker dies (segfault, ``os._exit``), the same ``ReaderError`` subclass and message when ``func``
    raises one, and ``ParseError("parser failed: ...")`` for any other exception.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(sender, func, args), daemon=True, name="litreader-parser")
    process.start()
    sender.close()  # keep only the worker's copy, so its death reads as end-of-file here
    try:
        reply = _receive(receiver, process, _START_LIMIT)
        if reply is None:
            raise ParseTimeout(f"parser did not start within {_START_LIMIT:g} s")
        reply = _receive(receiver, process, timeout)
        if reply is None:
            raise ParseTimeout(f"parser timed out after {timeout:g} s")
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        if process.exitcode is not None:
            process.close()  # release its file descriptors now, not at garbage collection
    kind = reply[0]
    if kind == "ok":
        return reply[1]  # type: ignore[no-any-return]
    if kind == "reader_error":
        raise _rebuild(reply[1], reply[2])
    raise ParseError(f"parser failed: {reply[1]}")


def _receive(receiver: Connection, process: multiprocessing.process.BaseProcess,
             timeout: float) -> tuple[Any, ...] | None:
    """The worker's next message; None when ``timeout`` passes first; ParseTimeout when the worker died."""
    if not receiver.poll(max(timeout, 0.0)):
        return None
    try:
        return receiver.recv()  # type: ignore[no-any-return]
    except (EOFError, OSError):
        process.join(timeout=5)
        raise ParseTimeout(f"parser crashed (exit code {process.exitcode})") from None
    except Exception as exc:  # noqa: BLE001 - a reply that cannot be unpickled here
        raise ParseError(f"parser failed: its reply could not be read: {exc}") from None
