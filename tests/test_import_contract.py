"""The core (model, ingest, cite, library) stays free of Qt: checked statically and at run time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _lint_imports() -> str:
    exe = Path(sys.executable).parent / "lint-imports"
    if exe.exists():
        return str(exe)
    found = shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports not found: install the test extras (bash .ci/setup test)")
    return found


def test_import_linter_contracts_hold(repo_root: Path) -> None:
    """The contracts in pyproject's [tool.importlinter] pass (e.g. the core never imports PySide6)."""
    result = subprocess.run(
        [_lint_imports(), "--no-cache", "--no-logo"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}\n{result.stderr}"


def test_core_import_does_not_load_qt(repo_root: Path) -> None:
    """Importing the core in a fresh interpreter loads no PySide6 module (nor the window)."""
    code = (
        "import json, sys\n"
        "import reader.model, reader.ingest, reader.cite, reader.highlights, reader.library\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('PySide6', 'shiboken6') or m.split('.')[:2] == ['reader', 'app'])))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"importing the core failed:\n{result.stderr}"
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing reader.model/ingest/cite/library loaded Qt or the window: {loaded}"
