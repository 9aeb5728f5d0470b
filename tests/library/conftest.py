"""Libraries for the library tests: built once per module where the tests only read them."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.model import paper_id_for

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "library"
ALAM = SAMPLES / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"
GADI = SAMPLES / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml"


@pytest.fixture(scope="module")
def sample_ids() -> dict[str, str]:
    """The ids of the two sample papers: the hash of their bytes."""
    return {"alam": paper_id_for(ALAM.read_bytes()), "gadi": paper_id_for(GADI.read_bytes())}


@pytest.fixture(scope="module")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """A library holding the two sample papers (read-only use: tests must not change it)."""
    library = Library.open(tmp_path_factory.mktemp("samples") / "lib")
    report = library.import_paths([SAMPLES])
    assert report.count("imported") == 2, report.results
    yield library
    library.close()
