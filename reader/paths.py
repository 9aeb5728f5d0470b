"""Where litreader keeps things: one module, so tests and ``--library`` can redirect all of it.

The library folder is ``--library DIR`` if given, else ``$LITREADER_LIBRARY``, else the user data dir
(platformdirs). Logs go to the user log dir; the index signing key to the user config dir.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "litreader"


def library_dir(override: str | os.PathLike | None = None) -> Path:
    """The library folder to use (not created here)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("LITREADER_LIBRARY")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's litreader config folder (not created here). Outside every library folder: what is kept here
    (the key that signs index manifests, reader.library.trust) must not be writable by whoever can write a
    library."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Where crash logs are written (created on demand)."""
    path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def sample_papers_dir() -> Path | None:
    """The sample papers shipped with litreader (``library/`` in the source tree), if present."""
    folder = Path(__file__).resolve().parent.parent / "library"
    return folder if folder.is_dir() else None
