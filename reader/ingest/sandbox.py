"""Run a parser in a worker process, so that a hostile or broken file cannot hang or crash the app.

Why: pymupdf is a thin layer over MuPDF, which is C code. A malformed or malicious PDF can send it into an
endless loop, exhaust memory or crash it outright (a segfault or an abort is not a Python exception). In the
app's own process that would freeze the window or take it down with the user's unsaved work. In a worker
process the parser can be stopped after a deadline, and a crash becomes an ordinary ``ParserAborted``.

How: ``run_isolated(func, *args, timeout=...)`` starts one worker per call, never a fork of the caller:
"forkserver" on Linux (a clean server process, started once, forks each worker; safe with Qt's threads in
the caller) and "spawn" elsewhere. The worker first reports that it is running, so ``timeout`` limits the
parser's own work, not the process start.

Cost, measured on a 2-core Linux box: with forkserver the first call pays ~200 ms to start the server
(which imports the main script, ``reader.ingest.pdf`` and pymupdf once), every later call ~10 ms; with spawn every call
pays ~200 ms for a fresh interpreter, plus ~70 ms when the target imports pymupdf. Sending the result back
(pickled) adds ~30 ms for a 13-page paper's lines. Negligible next to a user opening a file, too much for
a tight loop: batch the work inside ``func`` instead.

``func`` must be a top-level, importable function and its arguments and result picklable. The program's
main module must be import-safe (``if __name__ == "__main__":``), as for any multiprocessing code.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable
from functools import lru_cache
from multiprocessing import spawn
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from reader.errors import ParseError, ParserAborted, ReaderError

T = TypeVar("T")

# Modules the forkserver imports once, so each worker starts with them loaded: the PDF parser whole (pymupdf
# takes ~100 ms, the structure and citation-label modules ``load_pdf`` needs another ~100 ms), and the program's
# main script (``sandbox_preload``: without it every worker imports the script again, 0.15-0.4 s of CPU).
_PRELOAD = ["reader.ingest.sandbox_preload", "reader.ingest.pdf"]
MAIN_SCRIPT = "LITREADER_MAIN_SCRIPT"  # the environment variable that names the script: "<our pid> <path>"
# How long a worker may take to start before we call it broken (a slow disk, a loaded machine).
_START_LIMIT = 60.0
# A worker may use this much memory (a decompression bomb must not push the whole machine into swap)
# and send back a result this large (a parsed 1,000-page book is far below it).
MEMORY_LIMIT = 4 * 2**30
MAX_REPLY = 512 * 2**20


@lru_cache(maxsize=1)
def process_context() -> multiprocessing.context.BaseContext:
    """The way we start worker processes: forkserver on Linux (never a fork of a caller with threads)."""
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # the main script as each worker would import it (none when run as ``python -m ...``): the forkserver,
        # started with this process's environment, imports it once (reader.ingest.sandbox_preload)
        script = spawn.get_preparation_data("litreader-parser").get("init_main_from_path")
        if script:
            os.environ[MAIN_SCRIPT] = f"{os.getpid()} {script}"
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def start_worker_server() -> None:
    """Start the forkserver now, so that it imports the parser while the reader looks at the window and the
    first PDF opened does not wait for it (~0.3-0.5 s). Returns at once; nothing to do where workers are spawned."""
    if process_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _worker(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Runs in the worker process: report "started", run ``func``, send back its result or its error."""
    _confine()
    conn.send(("started",))
    try:
        reply: tuple[Any, ...] = ("ok", func(*args))
    except ReaderError as exc:  # an error we raise on purpose travels as its type and message
        reply = ("reader_error", type(exc), str(exc))
    except MemoryError:
        reply = ("reader_error", ParseError, f"the file needs more than {MEMORY_LIMIT // 2**30} GB to parse")
    except Exception as exc:  # noqa: BLE001 - anything else becomes "parser failed"
        reply = ("error", str(exc) or type(exc).__name__)
    try:
        payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
        payload = pickle.dumps(("error", f"result could not be sent back: {exc}"))
    if len(payload) > MAX_REPLY:
        payload = pickle.dumps(("reader_error", ParseError, "the parsed result is too large"))
    conn.send_bytes(payload)
    conn.close()


def _confine() -> None:
    """Own process group (so a kill reaches anything it starts), a memory ceiling where the OS has them, and
    no stdout: the caller's stdout may be machine output (``parse --json``), so whatever C code in the
    worker prints there (MuPDF's messages) goes to stderr instead."""
    try:
        sys.stdout.flush()
        os.dup2(2, 1)
        sys.stdout = sys.stderr
    except (OSError, ValueError, AttributeError):
        pass  # no usable stdout/stderr (a windowed app): nothing can be printed there either
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:
            pass
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass  # Windows, or a lower hard limit already in place


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

    Returns its result. Raises ``ParserAborted("parser timed out after N s")`` when it runs longer than
    ``timeout`` seconds (the worker is killed), ``ParserAborted("parser crashed (exit code N)")`` when the
    worker dies (segfault, ``os._exit``), the same ``ReaderError`` subclass and message when ``func``
    raises one, and ``ParseError("parser failed: ...")`` for any other exception.
    """
    ctx = process_context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(sender, func, args), daemon=True, name="litreader-parser")
    process.start()
    sender.close()  # keep only the worker's copy, so its death reads as end-of-file here
    try:
        reply = _receive(receiver, process, _START_LIMIT)
        if reply is None:
            raise ParserAborted(f"parser did not start within {_START_LIMIT:g} s")
        reply = _receive(receiver, process, timeout, raw=True)
        if reply is None:
            raise ParserAborted(f"parser timed out after {timeout:g} s")
    finally:
        receiver.close()
        _kill_group(process)
        process.join(timeout=5)
        if process.exitcode is not None:
            process.close()  # release its file descriptors now, not at garbage collection
    kind = reply[0]
    if kind == "ok":
        return reply[1]  # type: ignore[no-any-return]
    if kind == "reader_error":
        raise _rebuild(reply[1], reply[2])
    raise ParseError(f"parser failed: {reply[1]}")


def _kill_group(process: multiprocessing.process.BaseProcess) -> None:
    """Kill the worker and whatever it started (it leads its own process group)."""
    if process.is_alive() and process.pid is not None and hasattr(os, "killpg"):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if process.is_alive():
        process.kill()


def _receive(receiver: Connection, process: multiprocessing.process.BaseProcess,
             timeout: float, raw: bool = False) -> tuple[Any, ...] | None:
    """The worker's next message; None when ``timeout`` passes first; ParserAborted when the worker died."""
    if not receiver.poll(max(timeout, 0.0)):
        return None
    try:
        if raw:
            return pickle.loads(receiver.recv_bytes(maxlength=MAX_REPLY + 4096))  # type: ignore[no-any-return]
        return receiver.recv()  # type: ignore[no-any-return]
    except (EOFError, OSError):
        process.join(timeout=5)
        raise ParserAborted(f"parser crashed (exit code {process.exitcode})") from None
    except Exception as exc:  # noqa: BLE001 - a reply that cannot be unpickled here
        raise ParseError(f"parser failed: its reply could not be read: {exc}") from None
