"""The window starts the PDF parser's process server at once (``start_worker_server``), so the first PDF the
reader opens does not also wait for the server to start and import the parser."""
from __future__ import annotations

import subprocess
import sys

import pytest

_CHILD = """
import os, sys
from pathlib import Path
from reader.ingest.sandbox import start_worker_server

def servers():
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmd = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"forkserver" in cmd:
            found.append(stat.parent.name)
    return found

before = servers()
start_worker_server()
after = servers()
start_worker_server()  # a second call starts no second server
print(len(before), len(after), len(servers()))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forkserver and /proc are Linux's")
def test_the_parser_server_runs_before_any_parse() -> None:
    out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "1", "1"]
