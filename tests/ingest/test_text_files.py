"""Issue 14 item 8, text files: UTF-16 without a BOM, a text with no line breaks, and files too large, refused
by their size before they are read whole."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.errors import ParseError, UnsupportedFormat
from reader.ingest import MAX_FILE_BYTES, MAX_TEXT_BYTES, load_bytes, load_paper, read_input, sniff_format
from reader.ingest.text import decode_text

REPO = Path(__file__).resolve().parents[2]

ARTICLE = ("Glacier retreat in the Alps\n\nIntroduction\n\nThe glaciers of the Alps lost a third of their "
           "volume since 1980 (Huss, 2012). Naïve models — “degree-day” ones — miss the albedo feedback.\n")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(encoding: str) -> None:
    data = ARTICLE.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert sniff_format(data) == "text"  # not "binary data" for its NUL bytes
    assert decode_text(data) == (ARTICLE, None)
    paper = load_bytes(data, "glaciers.dat")  # the name says nothing: the bytes do
    assert paper.title == "Glacier retreat in the Alps"
    assert "Naïve models — “degree-day” ones" in paper.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_xml_without_a_bom_is_xml(encoding: str) -> None:
    xml = "<article><front><article-meta><title-group><article-title>Über Gletscher</article-title>" \
          "</title-group></article-meta></front><body><p>Text.</p></body></article>"
    assert sniff_format(xml.encode(encoding)) == "xml"


def test_utf8_latin1_and_binary_are_not_taken_for_utf16() -> None:
    assert decode_text(ARTICLE.encode("utf-8")) == (ARTICLE, None)
    assert decode_text(ARTICLE.encode("cp1252", "replace")) == (ARTICLE.encode("cp1252", "replace").decode("cp1252"),
                                                                "not UTF-8: read as Windows-1252")
    binary = bytes(range(256)) * 40  # NULs at no fixed place: binary, not text
    with pytest.raises(UnsupportedFormat, match="binary data"):
        sniff_format(binary)
    with pytest.raises(UnsupportedFormat, match="binary data"):
        sniff_format(b"\x00" * 4000)


def test_a_text_with_no_line_breaks_becomes_paragraphs() -> None:
    sentences = [f"Sentence number {i} says that the albedo of ice changes as it ages." for i in range(3000)]
    data = " ".join(sentences).encode()
    assert b"\n" not in data
    paper = load_bytes(data, "one-line.txt")
    paragraphs = [paper.text[b.start:b.end] for b in paper.blocks if b.kind == "paragraph"]
    assert len(paragraphs) >= len(data) // 4000  # readable paragraphs, not one block of 200 KB
    assert all(len(p) <= 4000 for p in paragraphs)
    # every sentence is there, whole: the cuts are at sentence ends
    assert " ".join(paragraphs) == " ".join(sentences)
    assert all(p.endswith(".") for p in paragraphs)


def test_a_line_with_no_sentence_end_loses_no_word() -> None:
    """Cut at spaces (the paragraph builder joins the pieces again: the sentence goes on): every word kept,
    none split."""
    data = ("word " * 5000).encode()  # 25,000 characters, no full stop
    paper = load_bytes(data, "words.txt")
    assert " ".join(paper.text[b.start:b.end] for b in paper.blocks).split() == ["word"] * 5000


class _CountingFile(io.FileIO):
    """A file that counts the bytes read from it."""

    read_bytes = 0

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def _sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of ``size`` bytes that starts with ``head`` (the rest is a hole: no disk space used)."""
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def test_a_190_mb_text_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.txt", b"A title\n\nSome text of a paper.\n" * 400, 190 * 2**20)
    with _CountingFile(big, "rb") as f:
        with pytest.raises(ParseError, match=r"^text file too large \(the limit is 50 MB\)$"):
            read_input(f)
        assert f.read_bytes <= 8192  # its first bytes, to see that it is text: never the whole file
    with pytest.raises(ParseError, match="text file too large"):
        load_paper(big)


def test_a_file_over_the_general_limit_is_refused_unread(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.pdf", b"%PDF-1.7\n", MAX_FILE_BYTES + 1)
    with _CountingFile(big, "rb") as f:
        with pytest.raises(ParseError, match=r"^file too large \(the limit is 200 MB\)$"):
            read_input(f)
        assert f.read_bytes == 0


def test_text_at_the_limit_is_read_whole(tmp_path: Path) -> None:
    small = _sparse(tmp_path / "ok.txt", b"Some text.\n", 20_000)
    with open(small, "rb") as f:
        assert len(read_input(f)) == 20_000
    assert MAX_TEXT_BYTES < 190 * 2**20 < MAX_FILE_BYTES  # the case above is refused by the text limit


def test_parse_refuses_a_190_mb_text_in_one_line(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.txt", b"A title\n\nSome text.\n" * 600, 190 * 2**20)
    proc = subprocess.run([sys.executable, "-m", "reader", "parse", str(big)], capture_output=True, text=True,
                          cwd=REPO, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == f"{big}: cannot parse: text file too large (the limit is 50 MB)\n"


def test_import_refuses_a_190_mb_text_by_its_size(tmp_path: Path) -> None:
    from reader.library import Library

    big = _sparse(tmp_path / "big.txt", b"A title\n\nSome text.\n" * 600, 190 * 2**20)
    with Library.open(tmp_path / "lib", workers=1) as lib:
        report = lib.import_paths([big])
    assert [(r.status, r.reason) for r in report.results] == [("failed", "text file too large (the limit is 50 MB)")]
