"""Faults the library must survive: what a user sees when a parser hangs or crashes, a process is killed in the
middle of an import, a lock is left behind, the index is damaged or comes from elsewhere, a file vanishes or
cannot be read, or the library folder is read-only.

Every test checks the end state the user relies on, not just the absence of an exception: each paper is in
the catalog once and in the index once, the index passes its own trust check, and search finds every paper
by a phrase of its title. Misbehaving parsers live in ``fake_parsers`` (worker processes import them).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from io import BytesIO
from pathlib import Path

import fake_parsers
import pytest

from reader.errors import LibraryBusy, LibraryError
from reader.library import Library
from reader.library.importer import FileResult, ImportReport, Progress
from reader.model import paper_id_for

REPO = Path(__file__).resolve().parents[2]
# An import in these tests takes a few seconds; one that takes this long is hung, and fails the test.
DEADLINE = 120.0


# --- helpers ---


@pytest.fixture(scope="module")
def papers(corpus_dir: Path) -> list[Path]:
    """Real JATS articles, smallest first (the quickest to parse); tests take slices of it."""
    files = sorted((corpus_dir / "jats").glob("*.xml"), key=lambda p: (p.stat().st_size, p.name))
    if len(files) < 40:
        pytest.skip(f"needs at least 40 JATS articles in {corpus_dir / 'jats'}")
    return files


def ids_of(paths: Iterable[Path]) -> set[str]:
    """The ids the library gives these files (the hash of their bytes)."""
    return {paper_id_for(Path(p).read_bytes()) for p in paths}


def run_import(lib: Library, paths: Iterable[Path], **kwargs: object) -> ImportReport:
    """``lib.import_paths`` with a deadline: a hung import fails the test instead of stopping the suite."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["report"] = lib.import_paths([str(p) for p in paths], **kwargs)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="test-import", daemon=True)
    thread.start()
    thread.join(DEADLINE)
    if thread.is_alive():
        for child in multiprocessing.active_children():  # the import's workers, so the suite can end
            child.kill()
        pytest.fail(f"the import did not finish within {DEADLINE:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["report"]  # type: ignore[return-value]


def by_path(report: ImportReport, paths: Iterable[Path]) -> dict[str, FileResult]:
    """The result of each file, checking that every file got exactly one."""
    counts = Counter(r.path for r in report.results)
    assert counts == Counter(str(p) for p in paths), f"not one result per file: {report.results}"
    return {r.path: r for r in report.results}


def index_ids(lib: Library) -> list[str]:
    """The paper id of every live document in the index (a paper indexed twice appears twice)."""
    ix = lib.index.open()
    with ix.searcher() as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
        assert searcher.doc_count() == len(ids)
    return ids


def assert_whole(lib: Library, expected: set[str]) -> None:
    """The library holds exactly ``expected``: once in the catalog, once in a trusted index, all indexed."""
    assert lib.index.problem() is None
    ids = index_ids(lib)
    twice = sorted(pid for pid, n in Counter(ids).items() if n > 1)
    assert not twice, f"papers indexed more than once: {twice}"
    assert lib.catalog.ids() == expected
    assert lib.catalog.count() == len(expected)
    assert set(ids) == expected
    assert lib.catalog.unindexed() == []


def title_phrase(title: str) -> str:
    """Up to four consecutive plain words of a title, to search for as a phrase."""
    best: list[str] = []
    run: list[str] = []
    for word in title.split():
        run = run + [word] if re.fullmatch(r"[A-Za-z]+", word) else []
        if len(run) > len(best):
            best = run
    return " ".join(best[:4])


def assert_searchable(lib: Library, paper_ids: Iterable[str]) -> None:
    """Each paper is found by a phrase from its title."""
    for paper_id in paper_ids:
        entry = lib.catalog.get(paper_id)
        assert entry is not None, paper_id
        phrase = title_phrase(entry.title)
        assert phrase, f"no plain words in the title {entry.title!r}"
        found = [hit.paper_id for hit in lib.search(f'title:"{phrase}"', limit=100)]
        assert paper_id in found, f'title:"{phrase}" does not find {paper_id} ({entry.title})'


def make_library(root: Path, files: list[Path]) -> set[str]:
    lib = Library.open(root, workers=2)
    try:
        report = run_import(lib, files)
        assert report.count("imported") == len(files), report.results
    finally:
        lib.close()
    return ids_of(files)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, papers: list[Path]) -> tuple[Path, set[str]]:
    """A library of six articles, built once; tests that damage a library work on a copy of it."""
    root = tmp_path_factory.mktemp("template") / "lib"
    return root, make_library(root, papers[:6])


@pytest.fixture(scope="module")
def other_template(tmp_path_factory: pytest.TempPathFactory, papers: list[Path]) -> tuple[Path, set[str]]:
    """Another library, of three other articles."""
    root = tmp_path_factory.mktemp("other") / "lib"
    return root, make_library(root, papers[6:9])


def copy_of(template: tuple[Path, set[str]], dest: Path) -> tuple[Path, set[str]]:
    root, ids = template
    shutil.copytree(root, dest)
    return dest, ids


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root`` (itself as "."), with size and mtime."""
    out = {}
    for path in [root, *root.rglob("*")]:
        st = path.lstat()
        out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def cli_import(library: Path, files: Iterable[Path], *extra: str) -> subprocess.Popen[str]:
    """``litreader import`` in a process of its own, in a session of its own (so it can be killed whole)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "reader", "import", "--library", str(library), *extra,
                             *[str(f) for f in files]],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(proc: subprocess.Popen[str], timeout: float = DEADLINE) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{proc.args[:4]} did not finish within {timeout:g} s")


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the process and its workers (the forkserver and the workers share its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


# --- a parser that hangs or crashes ---


def test_parser_that_hangs_fails_that_file_alone(tmp_path: Path, papers: list[Path]) -> None:
    """A file that sends the parser into an endless loop fails, saying it ran past the time limit; every
    other file is imported and found, each once."""
    good = papers[:7]
    stuck = tmp_path / "stuck.xml"
    stuck.write_bytes(b"<article>" + fake_parsers.HANG_MARK + b"</article>\n")
    files = good[:2] + [stuck] + good[2:]  # the hang is third: its worker holds a paper done before it
    lib = Library.open(tmp_path / "lib", workers=2, parse=fake_parsers.hang_parse, time_limit=3)
    try:
        started = time.monotonic()
        report = run_import(lib, files)
        assert time.monotonic() - started < 60
        results = by_path(report, files)
        failed = results[str(stuck)]
        assert failed.status == "failed"
        assert "3 s" in failed.reason and ("longer" in failed.reason or "time limit" in failed.reason), failed
        assert [results[str(p)].status for p in good] == ["imported"] * len(good)
        assert_whole(lib, ids_of(good))
        assert_searchable(lib, ids_of(good))
    finally:
        lib.close()


def test_parser_that_crashes_fails_that_file_alone(tmp_path: Path, papers: list[Path]) -> None:
    """A file that crashes the parser's process fails ("crashed"); the papers that process had parsed but not
    yet committed are done again, so every other file is imported and found, each once."""
    good = papers[:7]
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b"<article>" + fake_parsers.CRASH_MARK + b"</article>\n")
    # Two workers take the first six files in turn, so the bomb's worker has parsed files 0 and 2 into a
    # segment nobody committed when it dies: they must be redone, not lost.
    files = good[:4] + [bomb] + good[4:]
    lib = Library.open(tmp_path / "lib", workers=2, parse=fake_parsers.crash_parse)
    try:
        report = run_import(lib, files)
        results = by_path(report, files)
        assert results[str(bomb)].status == "failed"
        assert "crashed" in results[str(bomb)].reason
        assert [results[str(p)].status for p in good] == ["imported"] * len(good)
        assert_whole(lib, ids_of(good))
        assert_searchable(lib, ids_of(good))
    finally:
        lib.close()


def test_progress_ends_full_after_a_crash(tmp_path: Path, papers: list[Path]) -> None:
    """After a crash the progress bar still ends at 100 %: done == total, with the crash counted as failed."""
    good = papers[:3]
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b"<article>" + fake_parsers.CRASH_MARK + b"</article>\n")
    files = [bomb, *good]  # one worker: the three files behind the bomb are queued on it when it dies
    seen: list[Progress] = []
    lib = Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.crash_parse)
    try:
        report = run_import(lib, files, progress=seen.append)
        assert report.count("imported") == 3 and report.count("failed") == 1, report.results
        last = seen[-1]
        assert (last.total, last.done, last.imported, last.failed) == (4, 4, 3, 1), last
        assert all(p.done <= p.total for p in seen)
    finally:
        lib.close()


def test_file_gone_before_it_is_redone_is_reported_once(tmp_path: Path, papers: list[Path]) -> None:
    """A file parsed by a worker that then crashed, and deleted before it could be read again, fails once
    ("disappeared"); the user sees one line per file."""
    copies = []
    for src in papers[:3]:
        copies.append(tmp_path / src.name)
        shutil.copyfile(src, copies[-1])
    victim = copies[0]
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(fake_parsers.DELETE_THEN_CRASH_MARK + str(victim).encode() + b"\n")
    # One worker: it parses the victim, then dies on the bomb (long before the first commit, 2 s in), so the
    # victim is handed out again; by then it is gone.
    files = [victim, bomb, *copies[1:]]
    lib = Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.delete_then_crash_parse)
    try:
        report = run_import(lib, files)
        assert not victim.exists()
        results = by_path(report, files)
        assert "crashed" in results[str(bomb)].reason
        assert results[str(victim)].status == "failed"
        assert "disappeared" in results[str(victim)].reason
        assert [results[str(p)].status for p in copies[1:]] == ["imported", "imported"]
        assert_whole(lib, ids_of(copies[1:]))
    finally:
        lib.close()


# --- the writer lock ---

_HOLD_LOCK = """
import sys, time
from pathlib import Path
from reader.library.locking import WriterLock
lock = WriterLock(Path(sys.argv[1]))
lock.acquire(sys.argv[2])
print("held", flush=True)
time.sleep(600)
"""


def hold_lock(path: Path, purpose: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(path), purpose], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # '' if it died
    if line.strip() != "held":
        kill_group(proc)
        pytest.fail(f"the lock holder did not start (said {line!r})")
    return proc


def test_lock_left_by_a_killed_process_does_not_block(tmp_path: Path, papers: list[Path]) -> None:
    """After a process holding the writer lock is killed, the next import starts at once, without waiting."""
    lib = Library.open(tmp_path / "lib", workers=2)
    try:
        holder = hold_lock(lib.folder.lock, "importing (killed by the test)")
        kill_group(holder)
        waits: list[str] = []
        lib.on_wait = waits.append
        lib.lock_timeout = 5
        report = run_import(lib, papers[:3])
        assert waits == []
        assert report.count("imported") == 3
        assert_whole(lib, ids_of(papers[:3]))
    finally:
        lib.close()


def test_lock_held_by_a_live_process_gives_busy_naming_it(tmp_path: Path, papers: list[Path]) -> None:
    """While another live process writes, an import with a lock timeout gives up with LibraryBusy naming that
    process and what it is doing, after telling on_wait; nothing is imported. Once it ends, importing works."""
    lib = Library.open(tmp_path / "lib", workers=2)
    try:
        holder = hold_lock(lib.folder.lock, "test-holder-purpose")
        try:
            waits: list[str] = []
            lib.on_wait = waits.append
            lib.lock_timeout = 1
            started = time.monotonic()
            with pytest.raises(LibraryBusy) as raised:
                lib.import_paths([str(p) for p in papers[:2]])
            assert 0.9 <= time.monotonic() - started < 10
            assert "test-holder-purpose" in str(raised.value)
            assert f"pid {holder.pid}" in str(raised.value)
            assert len(waits) == 1 and "test-holder-purpose" in waits[0] and str(holder.pid) in waits[0]
            assert lib.catalog.count() == 0
        finally:
            kill_group(holder)
        report = run_import(lib, papers[:2])
        assert report.count("imported") == 2
        assert_whole(lib, ids_of(papers[:2]))
    finally:
        lib.close()


def test_search_does_not_wait_for_another_process_writing(tmp_path: Path, template: tuple[Path, set[str]]) -> None:
    """While another process is importing (it holds the writer lock and has catalogued a paper it has not
    indexed yet), a search answers at once from the committed index, as reading never waits for a writer."""
    root, ids = copy_of(template, tmp_path / "lib")
    pending, *others = sorted(ids)
    lib = Library.open(root, workers=2)
    holder = hold_lock(lib.folder.lock, "importing (test)")
    try:
        lib.catalog.set_indexed([pending], False)  # what the importing process does before its commit
        waits: list[str] = []
        lib.on_wait = waits.append
        lib.lock_timeout = 2
        started = time.monotonic()
        title = lib.catalog.get(others[0]).title  # type: ignore[union-attr]
        found = [hit.paper_id for hit in lib.search(f'title:"{title_phrase(title)}"')]
        assert waits == []
        assert time.monotonic() - started < 1.5
        assert others[0] in found
    finally:
        kill_group(holder)
        lib.close()


# --- a damaged or foreign index ---


def _largest_segment(index: Path) -> Path:
    return max(index.glob("MAIN_*.seg"), key=lambda p: p.stat().st_size)


def _latest_toc(index: Path) -> Path:
    return max(index.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))


def _delete_segment(index: Path) -> None:
    _largest_segment(index).unlink()


def _truncate_segment(index: Path) -> None:
    seg = _largest_segment(index)
    with open(seg, "r+b") as f:
        f.truncate(seg.stat().st_size // 2)


def _delete_index(index: Path) -> None:
    shutil.rmtree(index)


def _delete_toc(index: Path) -> None:
    for toc in index.glob("_MAIN_*.toc"):
        toc.unlink()


def _garble_toc_same_size(index: Path) -> None:
    toc = _latest_toc(index)
    size = toc.stat().st_size
    with open(toc, "r+b") as f:  # in place: same inode and size, only the mtime and the bytes change
        f.write(b"\xff" * size)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "segment file deleted": (_delete_segment, "damaged"),
    "segment file truncated": (_truncate_segment, "damaged"),
    "index folder deleted": (_delete_index, "missing"),
    "tables of contents deleted": (_delete_toc, "missing"),
    "table of contents garbled, same size": (_garble_toc_same_size, "damaged"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_rebuilt_on_open(tmp_path: Path, template: tuple[Path, set[str]], damage: str) -> None:
    """With the index damaged, opening the library and searching finds every paper again (the index is rebuilt,
    and on_rebuild says why); the catalog is not touched."""
    root, ids = copy_of(template, tmp_path / "lib")
    with Library.open(root) as lib:
        before = lib.entries()
    harm, why = DAMAGE[damage]
    harm(root / "index")
    told: list[tuple[str, Progress | None]] = []
    lib = Library.open(root, workers=2)
    lib.on_rebuild = lambda reason, progress: told.append((reason, progress))
    try:
        assert_searchable(lib, ids)
        reasons = [reason for reason, progress in told if progress is None]
        assert len(reasons) == 1 and why in reasons[0], told
        assert lib.entries() == before
        assert_whole(lib, ids)
    finally:
        lib.close()


def booby_trapped_toc(marker: Path, generation: int, size: int = 0) -> bytes:
    """A Whoosh table of contents whose pickled schema, when unpickled, creates the folder ``marker``.

    Laid out as Whoosh writes one (whoosh.index.TOC.write), so Whoosh reads up to the pickle and loads it;
    padded with zeros to ``size`` bytes (Whoosh ignores what follows).
    """
    import whoosh.index as wi
    from whoosh.filedb.structfile import StructFile

    class Trap:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.mkdir, (str(marker),)

    buffer = BytesIO()
    stream = StructFile(buffer)
    for size_of in (wi._INT_SIZE, wi._LONG_SIZE, wi._FLOAT_SIZE):
        stream.write_varint(size_of)
    stream.write_int(-12345)
    stream.write_int(wi._CURRENT_TOC_VERSION)
    for number in wi.__version__[:3]:
        stream.write_varint(number)
    stream.write_string(pickle.dumps(Trap(), 2))
    stream.write_int(generation)
    stream.write_int(0)
    stream.write_pickle([])
    data = buffer.getvalue()
    assert len(data) <= size or not size, "the trap is larger than the file it imitates"
    return data + b"\0" * max(0, size - len(data))


def test_booby_trapped_toc_is_live(tmp_path: Path) -> None:
    """(A check of the next test's bait: Whoosh, opening it without litreader's trust check, runs the trap.)"""
    import whoosh.index
    from whoosh.fields import FieldConfigurationError

    folder = tmp_path / "bait"
    folder.mkdir()
    marker = tmp_path / "marker"
    (folder / "_MAIN_1.toc").write_bytes(booby_trapped_toc(marker, 1))
    with pytest.raises(FieldConfigurationError):  # the trap returns no schema, after it ran
        whoosh.index.open_dir(str(folder), indexname="MAIN")
    assert marker.is_dir()


@pytest.mark.parametrize("where", ["replaces the index, same name and size", "newer generation beside it"])
def test_foreign_index_is_never_unpickled(tmp_path: Path, template: tuple[Path, set[str]], where: str) -> None:
    """An index table of contents this library did not write is never loaded (its pickle would run code):
    one in place of the recorded one makes the index rebuilt from the stored papers; one beside it (a newer
    generation) is never looked at, and the next commit deletes it."""
    root, ids = copy_of(template, tmp_path / "lib")
    index = root / "index"
    marker = tmp_path / "pickle-ran"
    own = _latest_toc(index)
    generation = int(own.stem.split("_")[-1])
    if where.startswith("replaces"):
        size = own.stat().st_size
        shutil.rmtree(index)
        index.mkdir()
        (index / own.name).write_bytes(booby_trapped_toc(marker, generation, size))
    else:
        (index / f"_MAIN_{generation + 1}.toc").write_bytes(booby_trapped_toc(marker, generation + 1))
    told: list[str] = []
    lib = Library.open(root, workers=2)
    lib.on_rebuild = lambda reason, progress: told.append(reason) if progress is None else None
    try:
        assert (lib.index.problem() is not None) == where.startswith("replaces")
        assert_searchable(lib, ids)
        assert not marker.exists(), "the foreign table of contents was unpickled"
        assert len(told) == (1 if where.startswith("replaces") else 0)
        assert_whole(lib, ids)
        lib.remove(sorted(ids)[0])  # a commit: whatever the manifest does not list goes
        on_disk = {p.name for p in index.iterdir() if p.is_file()}
        assert on_disk == set(json.loads(lib.catalog.index_manifest()[0])["files"])
    finally:
        lib.close()
    assert not marker.exists()


def test_index_copied_from_another_library_is_replaced(tmp_path: Path, template: tuple[Path, set[str]],
                                                       other_template: tuple[Path, set[str]]) -> None:
    """Another library's index copied into this one is not used: the index is rebuilt and holds this library's
    papers only."""
    root, ids = copy_of(template, tmp_path / "lib")
    other_root, other_ids = other_template
    shutil.rmtree(root / "index")
    shutil.copytree(other_root / "index", root / "index")
    told: list[str] = []
    lib = Library.open(root, workers=2)
    lib.on_rebuild = lambda reason, progress: told.append(reason) if progress is None else None
    try:
        assert_searchable(lib, ids)
        assert len(told) == 1
        assert_whole(lib, ids)  # the index holds exactly this library's papers, none of the other's
        assert not set(index_ids(lib)) & other_ids
    finally:
        lib.close()


# --- processes killed, interrupted, or racing ---


def _wait_for_new_toc(index: Path, known: set[str], limit: float) -> None:
    """Return as soon as a table of contents not in ``known`` appears (a commit), or after ``limit`` s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            names = {p.name for p in index.glob("_MAIN_*.toc")}
        except OSError:
            names = set()
        if names - known:
            return
        time.sleep(0.005)


def _wait_until(condition: Callable[[], bool], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _alive_in_group(pgid: int) -> list[int]:
    """Processes (not zombies) in the process group ``pgid``."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def test_import_killed_at_any_moment_then_run_again_is_whole(tmp_path: Path, papers: list[Path]) -> None:
    """An import of 80 files killed outright (with its workers) at a few moments, then run again, ends with every
    file once in the library and once in the index, all found by search, and without waiting for a lock."""
    files = papers[:80]  # enough that each run lasts past the moments it is killed at, on a quick machine too
    root = tmp_path / "lib"
    for moment in (1.0, 2.0, "just after a commit"):
        proc = cli_import(root, files)
        if moment == "just after a commit":
            index = root / "index"
            time.sleep(0.5)  # past the start, where this run may reset the index
            _wait_for_new_toc(index, {p.name for p in index.glob("_MAIN_*.toc")}, limit=8.0)
        else:
            time.sleep(moment)  # type: ignore[arg-type]
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the import ended before it was killed at {moment}: {proc.returncode}\n{err}")
        kill_group(proc)
    lib = Library.open(root, workers=2)
    try:
        waits: list[str] = []
        lib.on_wait = waits.append
        lib.lock_timeout = 5
        report = run_import(lib, files)
        assert waits == []
        results = by_path(report, files)
        assert {r.status for r in results.values()} <= {"imported", "already there"}, report.failed
        assert_whole(lib, ids_of(files))
        assert_searchable(lib, ids_of(files))
    finally:
        lib.close()


def test_import_killed_with_its_workers_leaves_no_staging_files_behind(tmp_path: Path, papers: list[Path]) -> None:
    """After an import killed with its workers is run again to the end, the index folder holds no staging
    files of the killed run (half-built segments, as large as the papers it had parsed)."""
    files = papers[:8]
    root = tmp_path / "lib"
    incoming = root / "index" / "incoming"
    proc = cli_import(root, files)
    try:
        # killed once a worker has started its segment: long before the first commit (2 s into the run)
        assert _wait_until(lambda: any(p.is_file() for p in incoming.rglob("*")), 30), "the import did not start"
    finally:
        kill_group(proc)
    assert any(p.is_file() for p in incoming.rglob("*")), "the killed workers left nothing to clean up"
    lib = Library.open(root, workers=2)
    try:
        report = run_import(lib, files)
        # on a loaded machine the killed run may have committed its first papers: those are there already
        assert report.count("imported") + report.count("already there") == len(files)
        assert_whole(lib, ids_of(files))
    finally:
        lib.close()
    assert sorted(str(p.relative_to(root)) for p in incoming.rglob("*") if p.is_file()) == []


def test_import_process_killed_alone_takes_its_workers_with_it(tmp_path: Path, papers: list[Path]) -> None:
    """When only the importing process is killed (its workers are not), the workers stop by themselves, and
    the next import starts at once and ends with every paper once."""
    root = tmp_path / "lib"
    files = papers[:12]
    proc = cli_import(root, files)
    try:
        assert _wait_until(lambda: len(list((root / "papers").glob("*"))) >= 2, 30), "the import did not start"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        assert _wait_until(lambda: not _alive_in_group(proc.pid), 15), \
            f"processes of the killed import still running: {_alive_in_group(proc.pid)}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    lib = Library.open(root, workers=2)
    try:
        waits: list[str] = []
        lib.on_wait = waits.append
        lib.lock_timeout = 5
        report = run_import(lib, files)
        assert waits == []
        assert {r.status for r in by_path(report, files).values()} <= {"imported", "already there"}
        assert_whole(lib, ids_of(files))
        assert not list((root / "index" / "incoming").rglob("*.*")), "the workers left staging files"
    finally:
        lib.close()


def test_interrupted_import_keeps_what_it_committed_and_resumes(tmp_path: Path, papers: list[Path]) -> None:
    """Cancelling an import once papers are committed ends it early (interrupted); the papers it reports as
    imported are in the library and found; running it again imports the rest, each paper once."""
    files = papers[:20]
    cancel = threading.Event()

    def progress(p: Progress) -> None:
        if p.imported >= 1:
            cancel.set()

    # One slowed-down worker: the first commit comes after about 2 s (some 6 papers), and the 6 more queued
    # on the worker by then are finished and committed after the cancel, which leaves some 8 to the next run.
    lib = Library.open(tmp_path / "lib", workers=1, parse=fake_parsers.slow_parse)
    try:
        first = run_import(lib, files, progress=progress, cancel=cancel)
        assert first.interrupted
        imported = {r.paper_id for r in first.results if r.status == "imported"}
        assert not first.failed
        assert 1 <= len(imported) < len(files), "the import was not cut short"
        assert_whole(lib, imported)
        assert_searchable(lib, imported)

        second = run_import(lib, files)
        assert not second.interrupted and not second.failed
        results = by_path(second, files)
        assert {r.paper_id for r in results.values() if r.status == "already there"} == imported
        assert {r.paper_id for r in results.values() if r.status == "imported"} == ids_of(files) - imported
        assert_whole(lib, ids_of(files))
    finally:
        lib.close()


def test_two_processes_importing_overlapping_files_at_once(tmp_path: Path, papers: list[Path]) -> None:
    """Two imports started at the same moment into one new library both succeed: one waits for the other,
    each shared file is imported by one and "already there" for the other, and each paper is in once."""
    root = tmp_path / "lib"
    first, second = papers[:10], papers[5:15]
    procs = [cli_import(root, first, "--json"), cli_import(root, second, "--json")]
    outputs = [finish(proc) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    statuses: dict[str, list[str]] = {}
    for out, _ in outputs:
        for result in json.loads(out):
            statuses.setdefault(result["path"], []).append(result["status"])
    shared = {str(p) for p in papers[5:10]}
    for path in map(str, papers[:15]):
        if path in shared:
            assert sorted(statuses[path]) == ["already there", "imported"], (path, statuses[path])
        else:
            assert statuses[path] == ["imported"], (path, statuses[path])
    with Library.open(root) as lib:
        assert_whole(lib, ids_of(papers[:15]))
        assert_searchable(lib, ids_of(papers[:15]))


def _open_when_released(root: str, start: object, answers: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    try:
        Library.open(Path(root)).close()
        answers.put("opened")  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - the answer is what the test checks
        answers.put(repr(exc))  # type: ignore[attr-defined]


def test_processes_opening_one_new_library_at_the_same_moment_all_open_it(tmp_path: Path) -> None:
    """Three processes released at once to open one library that does not exist yet all open it, many times
    over: switching the new database to WAL needs it alone, and SQLite refuses that at once ("database is
    locked") while another process is making the same switch, without waiting."""
    fork = multiprocessing.get_context("fork")
    for round_ in range(40):
        start, answers = fork.Barrier(3), fork.Queue()
        root = str(tmp_path / f"lib{round_}")
        procs = [fork.Process(target=_open_when_released, args=(root, start, answers)) for _ in range(3)]
        for proc in procs:
            proc.start()
        got = [answers.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        assert got == ["opened"] * 3, (round_, got)


# --- files that vanish or cannot be read ---


def _copies(papers: list[Path], folder: Path) -> list[Path]:
    folder.mkdir()
    out = []
    for src in papers:
        out.append(folder / src.name)
        shutil.copyfile(src, out[-1])
    return out


def test_file_that_vanishes_before_it_is_read_fails_alone(tmp_path: Path, papers: list[Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A file listed for import and deleted before it is read fails ("disappeared"); the others are imported."""
    import reader.library.library as library_module

    files = _copies(papers[:5], tmp_path / "in")
    victim = files[2]
    real_discover = library_module.discover

    def discover_then_delete(paths: Iterable[str]) -> list:
        found = real_discover(paths)
        victim.unlink()
        return found

    monkeypatch.setattr(library_module, "discover", discover_then_delete)
    lib = Library.open(tmp_path / "lib", workers=2)
    try:
        results = by_path(run_import(lib, files), files)
        assert results[str(victim)].status == "failed"
        assert "disappeared" in results[str(victim)].reason
        others = [p for p in files if p != victim]
        assert [results[str(p)].status for p in others] == ["imported"] * 4
        assert_whole(lib, ids_of(others))
    finally:
        lib.close()


def test_file_that_cannot_be_read_fails_alone(tmp_path: Path, papers: list[Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the importer may not read fails with "cannot read it: Permission denied"; the others are imported
    (simulated: root reads any file)."""
    import builtins
    import errno

    import reader.library.importer as importer_module

    files = papers[:4]
    victim = str(files[1])

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == victim:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), victim)
        return builtins.open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(importer_module, "open", guarded_open, raising=False)
    lib = Library.open(tmp_path / "lib", workers=2)
    try:
        results = by_path(run_import(lib, files), files)
        assert results[victim].status == "failed"
        assert "cannot read" in results[victim].reason and "Permission denied" in results[victim].reason
        others = [p for p in files if str(p) != victim]
        assert [results[str(p)].status for p in others] == ["imported"] * 3
        assert_whole(lib, ids_of(others))
    finally:
        lib.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_file_with_no_read_permission_fails_alone(tmp_path: Path, papers: list[Path]) -> None:
    """A file with mode 000 fails with "Permission denied"; the others are imported."""
    files = _copies(papers[:4], tmp_path / "in")
    victim = files[1]
    victim.chmod(0)
    lib = Library.open(tmp_path / "lib", workers=2)
    try:
        results = by_path(run_import(lib, files), files)
        assert results[str(victim)].status == "failed"
        assert "Permission denied" in results[str(victim)].reason
        assert [results[str(p)].status for p in files if p != victim] == ["imported"] * 3
    finally:
        lib.close()
        victim.chmod(0o644)


# --- a read-only library folder ---


def _deny_writes_under(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Make os.access say the folder is not writable, as on a read-only mount."""
    real_access = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(os.fsdecode(path)).resolve().is_relative_to(root.resolve()):  # type: ignore[arg-type]
            return False
        return real_access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def test_read_only_library_refuses_import_and_keeps_its_papers(tmp_path: Path, template: tuple[Path, set[str]],
                                                                papers: list[Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """In a library folder it cannot write to, an import raises LibraryError saying it is read-only, and the
    papers, the index and the catalog are as they were (simulated: os.access says no)."""
    root, _ = copy_of(template, tmp_path / "lib")
    with Library.open(root) as lib:
        entries = lib.entries()

    def kept(names: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        return {name: stat for name, stat in names.items()
                if name.startswith(("papers", "index")) or name in ("library.sqlite", "write.lock")}

    before = kept(listing(root))
    _deny_writes_under(monkeypatch, root)
    lib = Library.open(root, workers=2)
    try:
        assert lib.read_only
        with pytest.raises(LibraryError, match="read-only"):
            lib.import_paths([str(p) for p in papers[10:12]])
        assert lib.entries() == entries
    finally:
        lib.close()
    assert kept(listing(root)) == before


def test_new_library_in_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a new library in a folder it cannot write to raises LibraryError saying so, creating nothing."""
    root = tmp_path / "empty"
    root.mkdir()
    _deny_writes_under(monkeypatch, root)
    with pytest.raises(LibraryError, match="read-only"):
        Library.open(root)
    assert list(root.iterdir()) == []


def test_read_only_library_leaves_no_trace(tmp_path: Path, template: tuple[Path, set[str]], papers: list[Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening, listing, searching and refusing an import leave the read-only library folder exactly as it was
    (simulated: os.access says no)."""
    root, ids = copy_of(template, tmp_path / "lib")
    before = listing(root)
    _deny_writes_under(monkeypatch, root)
    lib = Library.open(root, workers=2)
    try:
        assert lib.catalog.ids() == ids
        assert_searchable(lib, ids)
        with pytest.raises(LibraryError, match="read-only"):
            lib.import_paths([str(p) for p in papers[10:12]])
    finally:
        lib.close()
    assert listing(root) == before


_READ_ONLY_CHILD = """
import json, os, shutil, sys, tempfile
root, new_file, query, uid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
from reader.library import Library
if uid >= 0:
    # Python itself may live where the other user cannot read (/root/...): load every module the steps
    # below need, by running them on a scratch copy, before becoming that user.
    scratch = tempfile.mkdtemp()
    shutil.copytree(root, scratch + "/lib")
    with Library.open(scratch + "/lib") as lib:
        lib.entries()
        lib.search(query)
    shutil.rmtree(scratch)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
out = {"writable": os.access(root, os.W_OK)}
try:
    lib = Library.open(root)
except Exception as exc:
    out["open_error"] = f"{type(exc).__name__}: {exc}"
else:
    out["read_only"] = lib.read_only
    out["entries"] = sorted(e.id for e in lib.entries())
    try:
        out["found"] = [hit.paper_id for hit in lib.search(query)]
    except Exception as exc:
        out["search_error"] = f"{type(exc).__name__}: {exc}"
    try:
        lib.import_paths([new_file])
        out["import_error"] = None
    except Exception as exc:
        out["import_error"] = f"{type(exc).__name__}: {exc}"
    lib.close()
print(json.dumps(out))
"""


@pytest.fixture
def unwritable_library(template: tuple[Path, set[str]]) -> Iterator[tuple[Path, set[str], int]]:
    """A copy of the template library that the test's child process cannot write to: as root, a folder the
    child (run as nobody) may read but not write; otherwise the folder with mode 555. Yields (root, ids, uid
    for the child or -1)."""
    base = Path(tempfile.mkdtemp(prefix="litreader-ro-"))  # not tmp_path: pytest's is private to this user
    try:
        base.chmod(0o755)
        root, ids = copy_of(template, base / "lib")
        if os.geteuid() == 0:
            try:
                import pwd

                uid = pwd.getpwnam("nobody").pw_uid
            except (ImportError, KeyError):
                pytest.skip("as root, needs the user nobody to stand for a user who may not write")
        else:
            uid = -1
            root.chmod(0o555)
        yield root, ids, uid
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_library_in_unwritable_folder_opens_read_only(unwritable_library: tuple[Path, set[str], int],
                                                      template: tuple[Path, set[str]], papers: list[Path]) -> None:
    """A library the user may read but not write (another user's, a read-only mount) opens read-only: its papers
    are listed and found, an import says it is read-only, and nothing in the folder changes."""
    root, ids, uid = unwritable_library
    some = min(ids)
    with Library.open(template[0]) as lib:  # the original, to find a title to search for
        title = lib.catalog.get(some).title  # type: ignore[union-attr]
    before = listing(root)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-c", _READ_ONLY_CHILD, str(root), str(papers[12]),
                           f'title:"{title_phrase(title)}"', str(uid)],
                          cwd="/", env=env, capture_output=True, text=True, timeout=DEADLINE, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["writable"] is False
    assert "open_error" not in out, out["open_error"]
    assert out["read_only"] is True
    assert set(out["entries"]) == ids
    assert some in out.get("found", []), out
    assert out["import_error"] and "read-only" in out["import_error"], out
    assert listing(root) == before
