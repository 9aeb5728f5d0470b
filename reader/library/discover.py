"""Which files an import looks at: the files named, and the papers inside the folders named (recursively).

A file named on purpose is always tried (and fails with its reason if it is no paper). Inside folders only
files with a paper's extension are taken, so a folder of papers with figures, archives and notes beside them
imports the papers and reports the rest as skipped, not as failures. Hidden files and folders are left out.
Inside folders, symbolic links are followed only to places inside the folders given (a link out of them,
say to /etc or a home folder, is skipped and reported: an import must not make private files searchable);
a folder reached twice (a link loop, or two links to one place) is walked once. A file named on purpose is
read even when it is a link.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PAPER_EXTENSIONS = {".pdf", ".txt", ".md", ".markdown", ".xml", ".nxml", ".jats"}


@dataclass
class Found:
    """A path an import met: a file to try, or one it will not (``skipped``/``failed`` with the reason)."""

    path: str
    status: str = "file"  # "file" | "skipped" | "failed"
    reason: str = ""


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Found]:
    """Every file to import under ``paths``, in a stable order, and what was passed over and why."""
    found: list[Found] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    paths = list(paths)
    # where links may lead: the folders given, as the file system resolves them
    allowed = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    for given in paths:
        path = Path(given)
        try:
            st = path.stat()
        except FileNotFoundError:
            found.append(Found(str(path), "failed", "no such file or folder"))
            continue
        except OSError as exc:
            found.append(Found(str(path), "failed", f"cannot read it: {exc.strerror or exc}"))
            continue
        if path.is_dir():
            _walk(path, found, seen_files, seen_dirs, allowed)
        elif path.is_file():
            if (st.st_dev, st.st_ino) not in seen_files:
                seen_files.add((st.st_dev, st.st_ino))
                found.append(Found(str(path)))
        else:
            found.append(Found(str(path), "failed", "not a regular file (a pipe or a device)"))
    return found


def _inside(target: str, allowed: list[str]) -> bool:
    return any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in allowed)


def _walk(root: Path, found: list[Found], seen_files: set[tuple[int, int]],
          seen_dirs: set[tuple[int, int]], allowed: list[str]) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            found.append(Found(str(folder), "failed", f"cannot read it: {exc.strerror or exc}"))
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            continue  # a link loop, or a folder reached by two links
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.append(Found(str(folder), "failed", f"cannot list the folder: {exc.strerror or exc}"))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink() and os.path.exists(entry.path) \
                        and not _inside(os.path.realpath(entry.path), allowed):
                    found.append(Found(entry.path, "skipped", "a link to outside the folders given (not followed)"))
                    continue
                if entry.is_dir():  # follows links
                    subfolders.append(Path(entry.path))
                    continue
                is_file = entry.is_file()
                est = entry.stat() if is_file else None
            except OSError as exc:  # a dangling link, a link loop to itself
                found.append(Found(entry.path, "failed", f"cannot read it: {exc.strerror or exc}"))
                continue
            if not is_file or est is None:
                if entry.is_symlink() and not os.path.exists(entry.path):
                    found.append(Found(entry.path, "failed", "a broken link (what it points to is gone)"))
                continue  # otherwise sockets, pipes, devices
            if Path(entry.name).suffix.lower() not in PAPER_EXTENSIONS:
                found.append(Found(entry.path, "skipped", "not a paper (by its extension)"))
                continue
            if (est.st_dev, est.st_ino) in seen_files:
                continue
            seen_files.add((est.st_dev, est.st_ino))
            found.append(Found(entry.path))
        stack.extend(reversed(subfolders))  # depth first, in name order
