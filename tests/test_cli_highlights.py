"""``litreader highlights ...``: add, list, remove, export and import back, as a script would use them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.model import paper_id_for

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "library"
ALAM_ID = paper_id_for((SAMPLES / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt").read_bytes())


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=300,
                          cwd=REPO, env=os.environ.copy())


@pytest.fixture
def lib(tmp_path: Path) -> str:
    path = str(tmp_path / "lib")
    assert run("import", "--library", path, str(SAMPLES)).returncode == 0
    return path


def test_add_list_export_remove_and_import_back(lib: str, tmp_path: Path) -> None:
    first = run("highlights", "add", "--library", lib, ALAM_ID, "--quote", "the Durand Line", "--color", "blue",
                "--note", "border 😀\nsecond line", "--tag", "geo")
    assert first.returncode == 0, first.stderr
    second = run("highlights", "add", "--library", lib, ALAM_ID[:8], "--quote", "Durand line", "--occurrence", "1")
    assert second.returncode == 0, second.stderr
    listed = json.loads(run("highlights", "list", "--library", lib, ALAM_ID, "--json").stdout)
    assert [h["quote"] for h in listed] == ["the Durand Line", "Durand line"]  # document order
    assert listed[0]["note"] == "border 😀\nsecond line" and listed[0]["tags"] == ["geo"]
    assert listed[0]["color"] == "blue" and listed[0]["id"] == first.stdout.strip()
    # found by search, notes included
    hits = json.loads(run("search", "--library", lib, "notes:border", "--json").stdout)
    assert [h["id"] for h in hits] == [ALAM_ID]

    out = tmp_path / "h.json"
    assert run("highlights", "export", "--library", lib, ALAM_ID, "--format", "json", "-o", str(out)).returncode == 0
    md = run("highlights", "export", "--library", lib, "--all", "--format", "markdown").stdout
    assert "> the Durand Line" in md and "**Note:** border 😀" in md
    csv_text = run("highlights", "export", "--library", lib, ALAM_ID, "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "Highlight,Title,Author,URL,Note,Location,Date"

    for h in listed:
        assert run("highlights", "remove", "--library", lib, h["id"][:8]).returncode == 0
    assert json.loads(run("highlights", "list", "--library", lib, ALAM_ID, "--json").stdout) == []
    proc = run("highlights", "import", "--library", lib, str(out))
    assert proc.returncode == 0 and "2 added, 0 updated, 0 kept (the library's copy is newer), 0 unchanged" \
        in proc.stderr
    again = json.loads(run("highlights", "list", "--library", lib, ALAM_ID, "--json").stdout)
    assert again == listed
    proc = run("highlights", "import", "--library", lib, str(out))  # again: nothing changes
    assert proc.returncode == 0 and "0 added, 0 updated, 0 kept (the library's copy is newer), 2 unchanged" \
        in proc.stderr


def test_errors_are_one_line(lib: str, tmp_path: Path) -> None:
    proc = run("highlights", "add", "--library", lib, ALAM_ID, "--quote", "words that are not in the paper")
    assert proc.returncode == 1 and "0 occurrence(s)" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("highlights", "export", "--library", lib, ALAM_ID, "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert proc.returncode == 1 and "not a PDF" in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    proc = run("highlights", "import", "--library", lib, str(bad))
    assert proc.returncode == 1 and proc.stderr.startswith(str(bad))
    proc = run("highlights", "remove", "--library", lib, "deadbeef-0000")
    assert proc.returncode == 1 and "no such highlight" in proc.stderr
