"""``litreader edit``: correcting a paper's metadata from a terminal."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "library"
ALAM_ID = "fa708b6a1690861f"  # the sample text: no year, no venue printed


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=300,
                          cwd=REPO, env=os.environ)


def test_edit_corrects_shows_and_takes_back(tmp_path: Path) -> None:
    lib = str(tmp_path / "lib")
    assert run("import", "--library", lib, str(SAMPLES)).returncode == 0
    proc = run("edit", "--library", lib, ALAM_ID[:6], "--year", "2024", "--authors",
               "Alam, Javed; Ghulam Mustafa", "--doi", "https://doi.org/10.1234/jps.7")
    assert proc.returncode == 0, proc.stderr
    assert "  year:    2024 (corrected)" in proc.stdout.splitlines()
    assert "  authors: Javed Alam; Ghulam Mustafa (corrected)" in proc.stdout.splitlines()
    listed = {e["id"]: e for e in json.loads(run("list", "--library", lib, "--json").stdout)}
    assert (listed[ALAM_ID]["year"], listed[ALAM_ID]["doi"]) == (2024, "10.1234/jps.7")
    found = json.loads(run("search", "--library", lib, "year:2024", "--json").stdout)
    assert [h["id"] for h in found] == [ALAM_ID]

    bad = run("edit", "--library", lib, ALAM_ID, "--year", "next year")
    assert (bad.returncode, bad.stderr.strip()) == (1, "year: 'next year' is not a year")

    back = json.loads(run("edit", "--library", lib, ALAM_ID, "--reset", "year", "--json").stdout)
    assert (back["year"], back["corrected"]) == (None, ["authors", "doi"])
