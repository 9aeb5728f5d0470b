"""``litreader import-zotero DIR`` and ``litreader import refs.bib``: one line per problem, a summary, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "library" / "external"))
import zotero_db as z  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TEXT = "Rivers carry silt from the hills to the deltas, where farmers grow rice on the new land. " * 5


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=300,
                          cwd=REPO, env=os.environ)


def test_import_zotero_reports_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    data = tmp_path / "Zotero"
    z.make_pdf(data / "storage" / "SILTKEA0" / "silt.pdf", "Silt", [TEXT])
    z.build(data, [z.Item("SILTKEYS", {"title": "Silt and rice", "date": "2018"}, authors=[("Das", "Asha")],
                          files=[z.File("storage:silt.pdf")], tags=["rice"], collections=["Deltas/Asia"]),
                   z.Item("MISSINGF", {"title": "Lost file", "date": "2001"}, files=[z.File("storage:lost.pdf")])]
            ).close()
    lib = str(tmp_path / "lib")
    first = run("import-zotero", "--library", lib, str(data))
    assert first.returncode == 1  # one file is missing: said, and the rest brought in
    lines = first.stderr.strip().splitlines()
    assert "item MISSINGF (Lost file)" in lines[0] and lines[0].endswith("lost.pdf: file not found")
    assert "2 items: 1 imported, 1 metadata only" in lines[-1] and "; 1 problem in " in lines[-1]
    second = json.loads(run("import-zotero", "--library", lib, str(data), "--json").stdout)
    assert [i["status"] for i in second["items"]] == ["unchanged", "unchanged"]
    listed = json.loads(run("list", "--library", lib, "--json").stdout)
    assert sorted(e["title"] for e in listed) == ["Lost file", "Silt and rice"]
    assert [h["title"] for h in json.loads(run("search", "--library", lib, "tag:rice", "--json").stdout)] == [
        "Silt and rice"]
    for option in (["--tag", "RICE"], ["--collection", "Deltas"], ["--collection", "deltas/asia"]):
        listed = json.loads(run("list", "--library", lib, *option, "--json").stdout)
        assert [e["title"] for e in listed] == ["Silt and rice"], option
    assert json.loads(run("list", "--library", lib, "--collection", "Delta", "--json").stdout) == []


def test_a_bib_file_given_to_import_brings_its_entries(tmp_path: Path) -> None:
    z.make_pdf(tmp_path / "silt.pdf", "Silt", [TEXT])
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{das, author={Das, Asha}, title={Silt and rice}, year={2018}, file={silt.pdf}}\n",
                   encoding="utf-8")
    proc = run("import", "--library", str(tmp_path / "lib"), str(bib))
    assert proc.returncode == 0, proc.stderr
    assert "refs.bib: 1 item: 1 imported" in proc.stderr
