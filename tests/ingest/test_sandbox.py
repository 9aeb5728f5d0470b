"""run_isolated: results come back, hangs and crashes become ParserAborted, errors keep their type.

The target functions live at the top of this module: the worker process imports them by name.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from reader.errors import EncryptedFile, ParseError, ParserAborted
from reader.ingest.pdf_lines import extract_lines
from reader.ingest.sandbox import run_isolated


def add(a: int, b: int) -> int:
    return a + b


def sleep_for(seconds: float) -> str:
    time.sleep(seconds)
    return "woke up"


def exit_hard(code: int) -> None:
    os._exit(code)  # what a crash in C code looks like from Python: no exception, the process is gone


def raise_encrypted() -> None:
    raise EncryptedFile("encrypted PDF: a password is needed")


def raise_value_error() -> None:
    raise ValueError("bad xref table")


def make_unpicklable() -> object:
    return lambda: None


def test_returns_the_result() -> None:
    assert run_isolated(add, 2, 3, timeout=30) == 5


def test_returns_a_large_result() -> None:
    # bigger than a pipe buffer: the caller must read while the worker writes
    data = b"x" * 5_000_000
    assert run_isolated(len, data, timeout=30) == 5_000_000


def test_a_hang_is_stopped_quickly() -> None:
    start = time.monotonic()
    with pytest.raises(ParserAborted, match=r"parser timed out after 0\.5 s"):
        run_isolated(sleep_for, 30, timeout=0.5)
    assert time.monotonic() - start < 10  # 0.5 s of work plus a process start, not 30 s


def test_a_crash_reports_the_exit_code() -> None:
    with pytest.raises(ParserAborted, match=r"parser crashed \(exit code 3\)"):
        run_isolated(exit_hard, 3, timeout=30)


def test_a_reader_error_keeps_its_type_and_message() -> None:
    with pytest.raises(EncryptedFile, match="^encrypted PDF: a password is needed$"):
        run_isolated(raise_encrypted, timeout=30)


def test_any_other_error_becomes_parse_error() -> None:
    with pytest.raises(ParseError, match="^parser failed: bad xref table$") as info:
        run_isolated(raise_value_error, timeout=30)
    assert type(info.value) is ParseError


def test_an_unpicklable_result_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="parser failed: result could not be sent back"):
        run_isolated(make_unpicklable, timeout=30)


def test_the_worker_is_cheap_after_the_first_call() -> None:
    run_isolated(add, 1, 1, timeout=30)  # the first call may start the forkserver
    start = time.monotonic()
    for _ in range(3):
        run_isolated(add, 1, 1, timeout=30)
    assert (time.monotonic() - start) / 3 < 1.0


def test_pdf_extraction_runs_isolated() -> None:
    with pytest.raises(ParseError, match="^not a readable PDF: "):
        run_isolated(extract_lines, b"%PDF-1.7 this is not really a PDF" * 10, timeout=30)


def allocate_too_much() -> int:
    return len(bytearray(6 * 2**30))  # over the worker's memory ceiling


def fork_then_hang(pid_file: str) -> None:
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    with open(pid_file, "w") as f:
        f.write(str(child))
    time.sleep(60)


def test_memory_is_capped_and_reported() -> None:
    with pytest.raises(ParseError, match="needs more than 4 GB"):
        run_isolated(allocate_too_much, timeout=30)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_timeout_also_kills_what_the_worker_started(tmp_path) -> None:
    pid_file = tmp_path / "child.pid"
    with pytest.raises(ParserAborted):
        run_isolated(fork_then_hang, str(pid_file), timeout=1.0)
    child = int(pid_file.read_text())
    for _ in range(50):  # the kill is asynchronous: give the kernel a moment to reap it
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("the worker's child survived the timeout")


def test_workers_do_not_import_the_main_script_again(tmp_path) -> None:
    """The program's script is imported once by the forkserver, not by every worker (the ``litreader``
    script imports the whole CLI and library: a third of a second per parse)."""
    imports = tmp_path / "imports.txt"
    script = tmp_path / "main_script.py"
    script.write_text(
        "import os\n"
        f"with open({str(imports)!r}, 'a') as f:\n"
        "    f.write(f'{os.getpid()} {__name__}\\n')\n"
        "from reader.ingest.sandbox import run_isolated\n"
        "if __name__ == '__main__':\n"
        "    print(run_isolated(len, b'abc', timeout=30), run_isolated(len, b'ab', timeout=30))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.stdout.split() == ["3", "2"], done.stderr
    names = [line.split()[1] for line in imports.read_text().splitlines()]
    assert names == ["__main__", "__mp_main__"]  # the program itself, the forkserver once; no worker
