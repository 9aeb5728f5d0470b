"""Helpers for the highlight fault tests: library copies, a simulated read-only folder, child-process scripts."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "library"
ALAM = SAMPLES / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"
GADI = SAMPLES / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml"
PALETTE = ["yellow", "green", "blue", "pink", "purple"]


def copy_library(template: Path, dest: Path) -> Path:
    """A private copy of a prepared (closed) library folder."""
    shutil.copytree(template, dest)
    return dest


def integrity(db_path: Path) -> list[tuple[str, ...]]:
    """``PRAGMA integrity_check`` of a database file, read straight from disk (WAL included)."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute("PRAGMA integrity_check").fetchall()
    finally:
        db.close()


def deny_writes_under(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Make os.access say the folder is not writable, as on a read-only mount (as tests/library/test_faults.py)."""
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(os.fsdecode(path)).resolve().is_relative_to(root.resolve()):  # type: ignore[arg-type]
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def files_under(root: Path) -> dict[str, bytes]:
    """Every file of a folder (relative name -> bytes), to compare a folder before and after."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- child processes ---

def loop_note(i: int) -> str:
    """The note the looping child gives its i-th highlight (Unicode and a newline, to see it come back whole)."""
    return f"note {i} · «ünïcödé» 😀\nsecond line of {i}"


def loop_span(i: int, text_length: int) -> tuple[int, int]:
    start = (i * 37) % (text_length - 40)
    return start, start + 25


# Adds highlights one after another, printing "<i>\t<id>" once each add has returned, until killed.
ADD_LOOP = """
import sys
from reader.library import Library
from highlight_helpers import PALETTE, loop_note, loop_span

if __name__ == "__main__":
    root, paper_id = sys.argv[1], sys.argv[2]
    lib = Library.open(root)
    n = len(lib.paper(paper_id).text)
    for i in range(1_000_000):
        start, end = loop_span(i, n)
        h = lib.add_highlight(paper_id, start, end, color=PALETTE[i % len(PALETTE)], note=loop_note(i))
        print(f"{i}\\t{h.id}", flush=True)
"""

# Opens the library, says "ready", waits for "go" on stdin, adds N highlights (printing each id), then
# "start <t>" / "end <t>" (monotonic clock, shared by the processes of one machine) so the test sees they overlapped.
ADD_TOGETHER = """
import sys, time
from reader.library import Library

if __name__ == "__main__":
    root, paper_id, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    lib = Library.open(root)
    n = len(lib.paper(paper_id).text)
    print("ready", flush=True)
    sys.stdin.readline()
    print(f"start {time.monotonic()}", flush=True)
    for i in range(count):
        start = (i * 53 + (0 if tag == "a" else 11)) % (n - 40)
        h = lib.add_highlight(paper_id, start, start + 20, note=f"{tag} {i}")
        print(f"id {tag} {i} {h.id}", flush=True)
    print(f"end {time.monotonic()}", flush=True)
    lib.close()
"""


def child(script: str, tmp_path: Path, *args: str, stdin: int | None = None) -> subprocess.Popen:
    """Start a Python child running ``script`` (written to a file: forkserver workers need a real main)."""
    path = tmp_path / f"child_{abs(hash(script)) % 10**8}.py"
    if not path.exists():
        path.write_text(script, encoding="utf-8")
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(Path(__file__).parent), env.get("PYTHONPATH", "")])
    return subprocess.Popen([sys.executable, str(path), *args], cwd=REPO, env=env, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
