"""``litreader import|search|list|remove|reindex``: what a user types and sees, exit codes, JSON shapes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library.importer import Progress
from reader.model import paper_id_for
from reader.terminal import emphasise, render

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "library"
ALAM_ID = paper_id_for((SAMPLES / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt").read_bytes())
GADI_ID = paper_id_for((SAMPLES / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml").read_bytes())


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=300,
                          cwd=REPO, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A library with the samples, imported through the CLI."""
    path = str(tmp_path_factory.mktemp("cli") / "lib")
    proc = run("import", "--library", path, str(SAMPLES))
    assert proc.returncode == 0, proc.stderr
    assert "2 imported, 0 already in the library, 0 failed" in proc.stderr
    return path


def test_search_prints_titles_ids_and_marked_snippets(lib: str) -> None:
    proc = run("--library", lib, "search", '"durand line"')
    assert proc.returncode == 0, proc.stderr
    assert ALAM_ID in proc.stdout and GADI_ID in proc.stdout
    assert "**Durand** **Line**" in proc.stdout or "**Durand** **line**" in proc.stdout


def test_search_json_contract(lib: str) -> None:
    proc = run("search", "--library", lib, "author:gadi", "--json")
    hits = json.loads(proc.stdout)
    assert [h["id"] for h in hits] == [GADI_ID]
    assert set(hits[0]) == {"id", "title", "authors", "year", "venue", "score", "snippet", "marks", "offset"}
    assert hits[0]["year"] == 2023
    proc = run("search", "--library", lib, "taliban~", "--limit", "1", "--json")
    assert len(json.loads(proc.stdout)) == 1


def test_a_bad_query_is_one_line_and_exit_2(lib: str) -> None:
    proc = run("search", "--library", lib, "autor:gadi")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]  # one line
    assert "no field called 'autor'" in proc.stderr and "Traceback" not in proc.stderr


def test_list_text_and_json(lib: str) -> None:
    proc = run("list", "--library", lib, "--sort", "title")
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(GADI_ID) and "Against all Expectations" in lines[0]  # A before P
    assert lines[1].startswith(ALAM_ID)
    entries = json.loads(run("list", "--library", lib, "--json").stdout)
    assert {e["id"] for e in entries} == {ALAM_ID, GADI_ID}
    assert {"title", "authors", "year", "venue", "doi", "format", "added", "status"} <= set(entries[0])


def test_import_again_is_a_no_op_and_failures_exit_1(lib: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\x00\x01binary junk" * 50)
    proc = run("import", "--library", lib, str(SAMPLES), str(junk), str(tmp_path / "missing.txt"))
    assert proc.returncode == 1
    assert "0 imported, 2 already in the library, 2 failed" in proc.stderr
    assert f"{junk}: " in proc.stderr and f"{tmp_path / 'missing.txt'}: no such file or folder" in proc.stderr


def test_import_json_has_one_result_per_file(tmp_path: Path) -> None:
    proc = run("import", "--library", str(tmp_path / "l"), "--json", str(SAMPLES))
    results = json.loads(proc.stdout)
    assert sorted(r["status"] for r in results) == ["imported", "imported"]
    assert {r["paper_id"] for r in results} == {ALAM_ID, GADI_ID}


def test_remove_and_reindex(tmp_path: Path) -> None:
    path = str(tmp_path / "l")
    assert run("import", "--library", path, str(SAMPLES)).returncode == 0
    proc = run("remove", "--library", path, ALAM_ID[:6])
    assert proc.returncode == 0 and "removed " + ALAM_ID in proc.stderr
    assert json.loads(run("list", "--library", path, "--json").stdout)[0]["id"] == GADI_ID
    assert run("remove", "--library", path, ALAM_ID).returncode == 1
    proc = run("reindex", "--library", path)
    assert proc.returncode == 0 and "1 paper indexed in" in proc.stderr
    shutil.rmtree(Path(path) / "index")  # a lost index is rebuilt, and the user is told
    proc = run("search", "--library", path, '"durand line"', "--json")
    assert [h["id"] for h in json.loads(proc.stdout)] == [GADI_ID]
    assert "rebuilding it from the 1 stored papers" in proc.stderr


def test_refs_of_a_paper_in_the_library(lib: str) -> None:
    proc = run("refs", "--library", lib, GADI_ID, "--format", "csljson")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) > 10


def test_a_new_default_library_starts_with_the_samples(tmp_path: Path) -> None:
    env = {"LITREADER_LIBRARY": str(tmp_path / "default")}
    proc = run("list", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert {e["id"] for e in json.loads(proc.stdout)} == {ALAM_ID, GADI_ID}
    assert "a new library; adding the sample papers" in proc.stderr
    assert "a new library" not in run("list", env=env).stderr  # once only


def test_an_explicit_library_starts_empty(tmp_path: Path) -> None:
    proc = run("list", "--json", "--library", str(tmp_path / "mine"))
    assert json.loads(proc.stdout) == []


def test_progress_line() -> None:
    line = render(Progress("importing", total=10_000, done=2_500, elapsed=50.0), width=8)
    assert line == "importing [##------] 2,500/10,000  50.0/s  2:30 left"
    assert render(Progress("importing", total=3, done=3, failed=1, elapsed=1.0), width=3) \
        == "importing [###] 3/3  3.0/s  1 failed"


def test_emphasise_marks_words() -> None:
    assert emphasise("the Durand Line here", [(4, 10), (11, 15)], ansi=False) == "the **Durand** **Line** here"
    assert emphasise("ab", [(0, 1)], ansi=True) == "\x1b[1ma\x1b[0mb"


def test_search_catches_up_first_unless_another_process_writes(tmp_path: Path) -> None:
    """A terminal search indexes what was left unindexed when it can; with the lock taken it answers anyway."""
    from reader.library import Library
    from reader.library.locking import WriterLock

    path = tmp_path / "l"
    assert run("import", "--library", str(path), str(SAMPLES)).returncode == 0
    with Library.open(path) as library:
        library.lock.acquire("test")
        with library.lock:
            library.catalog.set_indexed([ALAM_ID], False)
            library.index.commit([], delete_ids=[ALAM_ID])
    other = WriterLock(path / "write.lock")
    other.acquire("import")
    try:
        proc = run("search", "--library", str(path), '"durand line"', "--json")
    finally:
        other.release()
    assert [h["id"] for h in json.loads(proc.stdout)] == [GADI_ID]
    assert "1 papers are not searchable yet" in proc.stderr
    proc = run("search", "--library", str(path), '"durand line"', "--json")
    assert {h["id"] for h in json.loads(proc.stdout)} == {ALAM_ID, GADI_ID}


def test_file_names_that_are_not_utf8_or_hold_escapes_are_imported_and_shown_safely(tmp_path: Path) -> None:
    """Issue 14 item 8: a good paper whose name is not UTF-8 imports; names in error lines keep to one line
    and drive no terminal (no newline splits, no escape sequences)."""
    folder = tmp_path / "in"
    folder.mkdir()
    alam = (SAMPLES / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt").read_bytes()
    with open(os.fsencode(folder) + b"/caf\xe9 paper.txt", "wb") as f:
        f.write(alam)
    with open(os.fsencode(folder) + b"/evil\n\x1b[31mred\x1b[0m.txt", "wb") as f:
        f.write(b"too short to be a paper")
    path = str(tmp_path / "l")
    proc = run("import", "--library", path, str(folder))
    assert proc.returncode == 1  # the short one failed, with its reason
    assert "internal error" not in proc.stderr
    assert "1 imported" in proc.stderr and "\x1b" not in proc.stderr
    [failed] = [line for line in proc.stderr.splitlines() if "too little text" in line]
    assert "evil\\n\\x1b[31mred\\x1b[0m.txt" in failed
    listed = json.loads(run("list", "--library", path, "--json").stdout)
    assert [(e["id"], e["source_name"]) for e in listed] == [(ALAM_ID, "caf\ufffd paper.txt")]


def test_a_copy_of_a_file_that_failed_fails_too(tmp_path: Path) -> None:
    """Issue 14 item 8: the same bytes as a file that failed are not reported "already in the library"."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text("a note, not a paper: far too few words")
    proc = run("import", "--library", str(tmp_path / "l"), str(folder), "--json")
    results = {Path(r["path"]).name: r for r in json.loads(proc.stdout)}
    assert {name: r["status"] for name, r in results.items()} == {"a.txt": "failed", "b.txt": "failed",
                                                                   "c.txt": "failed"}
    assert "too little text" in results["c.txt"]["reason"] and "a.txt" in results["c.txt"]["reason"]


def test_a_file_over_the_limit_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    """Issue 14 item 8: refused before it is read (a sparse file: its size is all it has)."""
    from reader.ingest import MAX_FILE_BYTES
    from reader.library import Library

    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 10)
    with Library.open(tmp_path / "l") as library:
        report = library.import_paths([big])
    assert [(r.status, r.reason) for r in report.results] == [("failed", "file too large (the limit is 200 MB)")]


def test_refs_output_never_follows_a_planted_link(tmp_path: Path) -> None:
    """Issue 14 item 9: `refs -o OUT` writes through an unpredictable temporary name, never a link planted at
    the old predictable one; and into a missing folder it is one line."""
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    out = tmp_path / "refs.bib"
    (tmp_path / ".refs.bib.tmp").symlink_to(victim)
    alam = str(SAMPLES / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt")
    proc = run("refs", alam, "--format", "bibtex", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "untouched" and out.read_text().startswith("@")
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    proc = run("refs", alam, "--format", "bibtex", "-o", str(tmp_path / "missing" / "refs.bib"))
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "No such file or directory" in proc.stderr


def test_highlights_export_into_a_missing_folder_is_one_line(lib: str, tmp_path: Path) -> None:
    proc = run("highlights", "export", "--library", lib, "--all", "--format", "json", "-o",
               str(tmp_path / "missing" / "h.json"))
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "cannot write" in proc.stderr


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
