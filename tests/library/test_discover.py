"""Which files an import takes: papers inside folders, everything named on purpose, loops walked once."""
from __future__ import annotations

import os
from pathlib import Path

from reader.library.discover import discover


def _by_status(found) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for f in found:
        out.setdefault(f.status, {})[os.path.basename(f.path)] = f.reason
    return out


def test_a_folder_gives_its_papers_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sub" / "b.xml").write_text("<article/>")
    (tmp_path / "sub" / "c.md").write_text("# c")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG")
    (tmp_path / "papers.zip").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    found = _by_status(discover([tmp_path]))
    assert set(found["file"]) == {"a.pdf", "b.xml", "c.md"}
    assert set(found["skipped"]) == {"figure.png", "papers.zip"}
    assert "failed" not in found


def test_a_file_named_on_purpose_is_always_tried(tmp_path: Path) -> None:
    odd = tmp_path / "paper.data"
    odd.write_text("text")
    assert _by_status(discover([odd])) == {"file": {"paper.data": ""}}


def test_missing_paths_and_devices_fail_with_a_reason(tmp_path: Path) -> None:
    found = _by_status(discover([tmp_path / "nope.pdf", "/dev/null"]))
    assert found["failed"]["nope.pdf"] == "no such file or folder"
    assert "not a regular file" in found["failed"]["null"]


def test_symlink_loops_and_duplicates_are_walked_once(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "p.txt").write_text("paper")
    (tmp_path / "d" / "loop").symlink_to(tmp_path)  # d/loop -> the root: a cycle
    (tmp_path / "alias").symlink_to(tmp_path / "d")
    (tmp_path / "d" / "same.txt").symlink_to(tmp_path / "d" / "p.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    found = discover([tmp_path, tmp_path / "d"])
    files = [f for f in found if f.status == "file"]
    assert len(files) == 1 and files[0].path.endswith("p.txt")
    failed = _by_status(found).get("failed", {})
    assert "dangling.txt" in failed


def test_links_out_of_the_folders_given_are_not_followed(tmp_path: Path) -> None:
    """Issue 14 item 8: a link inside an imported folder to a private file or folder elsewhere is skipped and
    reported, never read; links that stay inside the folders given are followed."""
    private = tmp_path / "private"
    private.mkdir()
    (private / "secret.txt").write_text("private words")
    (private / "diary").mkdir()
    (private / "diary" / "day.md").write_text("more private words")
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "real.txt").write_text("paper")
    (papers / "inside.txt").symlink_to(papers / "real.txt")  # inside: followed (the same file: walked once)
    (papers / "sub").mkdir()
    (papers / "sub" / "up.md").symlink_to(papers / "real.txt")
    (papers / "secret.txt").symlink_to(private / "secret.txt")
    (papers / "diary").symlink_to(private / "diary")
    found = discover([papers])
    statuses = _by_status(found)
    assert len(statuses["file"]) == 1 and set(statuses["file"]) <= {"real.txt", "inside.txt"}  # one file, once
    skipped = statuses["skipped"]
    assert {Path(p).name for p in skipped} == {"secret.txt", "diary"}
    assert all("outside the folders given" in why for why in skipped.values())
    named = discover([papers / "secret.txt"])  # a link named on purpose is the user's choice
    assert [f.status for f in named] == ["file"]
    both = discover([papers, private])  # once the private folder is given too, its links are followed
    assert "secret.txt" in {Path(f.path).name for f in both if f.status == "file"}
