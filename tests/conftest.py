"""Test-wide set-up: Qt offscreen, and a throw-away library/config so tests never touch the user's folders.

This module is imported before any test module (and before pytest-qt makes a QApplication), so the
environment below is in place before Qt or the app reads it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# No display needed; a developer may still override it (e.g. QT_QPA_PLATFORM=xcb to watch).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# One temp dir per session: the library, and platformdirs' config/data/cache/state (XDG on Linux).
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="litreader-tests-"))
atexit.register(shutil.rmtree, _SESSION_DIR, ignore_errors=True)
os.environ["LITREADER_LIBRARY"] = str(_SESSION_DIR / "library")
(_SESSION_DIR / "library").mkdir()
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_SESSION_DIR / _var.lower())

REPO_ROOT = Path(__file__).resolve().parent.parent

# The fault suite (marker "faults"): whole modules of injected faults and hostile input, marked here so the
# list is in one place.
FAULT_MODULES = {"test_disk_full.py", "test_faults.py", "test_worker_deaths.py", "test_trust.py",
                 "test_highlight_faults.py", "test_pdf_damaged.py", "test_hostile_input.py", "test_xmlsafe.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in FAULT_MODULES:
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared/ folder, beside the repo (as in CI's clone), or where LITREADER_SHARED says."""
    path = Path(os.environ.get("LITREADER_SHARED") or REPO_ROOT.parent / "shared")
    if not path.is_dir():
        pytest.skip(f"needs the shared folder beside the repo, not found at {path}")
    return path


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    path = shared_dir / "seeds"
    if not path.is_dir():
        pytest.skip(f"needs the seed texts, not found at {path}")
    return path


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    path = shared_dir / "corpus"
    if not path.is_dir():
        pytest.skip(f"needs the corpus, not found at {path}")
    return path


@pytest.fixture(scope="session")
def realpdf(shared_dir: Path) -> Path:
    """The real publisher PDFs beside their JATS (shared/corpus/realpdf); tests that need them skip without."""
    path = shared_dir / "corpus" / "realpdf"
    if not path.is_dir():
        pytest.skip(f"needs the real publisher PDFs, not found at {path}")
    return path
