"""Searching a sentence fragment copied from any article of the corpus finds that article first."""
from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLES
from reader.library import Library


@pytest.fixture(scope="module")
def corpus_library(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = Library.open(tmp_path_factory.mktemp("corpus") / "lib")
    report = lib.import_paths([SAMPLES, corpus_dir / "jats"])
    assert not report.failed, report.failed
    yield lib
    lib.close()


@pytest.mark.slow
def test_a_fragment_of_any_article_finds_it_first(corpus_library: Library) -> None:
    rng = random.Random(7)
    misses = []
    entries = sorted(corpus_library.entries(), key=lambda e: e.id)
    assert len(entries) >= 120
    texts = {e.id: corpus_library.paper(e.id).text for e in entries}
    tried = 0
    for entry in entries:
        paper = corpus_library.paper(entry.id)
        paragraphs = [b for b in paper.blocks if b.kind == "paragraph" and b.end - b.start > 400]
        if not paragraphs:
            continue
        block = rng.choice(paragraphs)
        words = paper.text[block.start:block.end].split()
        at = rng.randrange(0, max(1, len(words) - 12))
        fragment = " ".join(words[at:at + 10])  # copied as a reader would, punctuation and all
        if sum(fragment in text for text in texts.values()) > 1:
            continue  # boilerplate every eLife paper prints ("Reviewers have the opportunity..."): no one answer
        tried += 1
        hits = corpus_library.search(fragment, limit=3)
        if not hits or hits[0].paper_id != entry.id:
            misses.append((entry.source_name, fragment, [h.paper_id for h in hits]))
    assert tried >= 110
    assert misses == []
