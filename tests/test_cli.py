"""``litreader parse``: readable summary, JSON contract, and one clear line for every bad file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[1] / "library"
TEXT_SEED = LIBRARY / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"
XML_SEED = LIBRARY / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=120)


def test_parse_summary_of_text_seed():
    proc = run("parse", str(TEXT_SEED))
    assert proc.returncode == 0, proc.stderr
    assert "Title:      Pakistan's Role in Afghan Peace Process: An Analysis" in proc.stdout
    assert "Authors:    Javed Alam, Ghulam Mustafa" in proc.stdout
    assert "References: 25" in proc.stdout
    assert "  Conclusion" in proc.stdout


def test_parse_json_contract_on_both_seeds():
    for path in (TEXT_SEED, XML_SEED):
        proc = run("parse", str(path), "--json")
        assert proc.returncode == 0, proc.stderr
        paper = json.loads(proc.stdout)
        for key in ("title", "authors", "year", "venue", "doi", "abstract", "keywords", "text", "blocks",
                    "references", "citations"):
            assert key in paper
        text = paper["text"]
        for block in paper["blocks"]:
            assert 0 <= block["start"] < block["end"] <= len(text)
        for ref in paper["references"]:
            assert text[ref["start"]:ref["end"]] == ref["raw"]
        for cit in paper["citations"]:
            assert text[cit["start"]:cit["end"]] == cit["text"]
    assert json.loads(run("parse", str(XML_SEED), "--json").stdout)["title"].startswith("Against all Expectations")


def test_xml_seed_is_recognised_by_content_even_when_named_txt(tmp_path):
    copy = tmp_path / "002_add566c8c2c09de5.txt"
    copy.write_bytes(XML_SEED.read_bytes())
    paper = json.loads(run("parse", str(copy), "--json").stdout)
    assert paper["format"] == "xml" and len(paper["references"]) == 39


BAD_FILES = {
    "empty.txt": b"",
    "blank.md": b"   \n\n  ",
    "junk.xml": bytes(range(256)) * 40,
    "junk.pdf": b"\x00\x01\x02garbage\xff\xfe" * 500,
    "junk.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,
    "truncated.xml": b"<?xml version='1.0'?><article><front><article-meta><title-group><article-title>Cut",
    "fake.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_clear_line_and_exit_1(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    proc = run("parse", str(path))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"{path}: cannot parse: ")
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_missing_file(tmp_path):
    proc = run("parse", str(tmp_path / "nope.pdf"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{tmp_path / 'nope.pdf'}: cannot parse: No such file or directory"


def test_non_utf8_text_is_decoded_with_a_fallback(tmp_path):
    text = ("Caf\u00e9 Society and the Na\u00efve Reader\n\nJos\u00e9 Mu\u00f1oz, Ana Ruiz\n\nAbstract\n\n"
            "We study caf\u00e9s \u2013 and their r\u00f4le.\n\nIntroduction\n\nCaf\u00e9s matter.\n")
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    proc = run("parse", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    paper = json.loads(proc.stdout)
    assert paper["title"] == "Caf\u00e9 Society and the Na\u00efve Reader"
    assert [a["family"] for a in paper["authors"]] == ["Mu\u00f1oz", "Ruiz"]
    assert "We study caf\u00e9s \u2013 and their r\u00f4le." in paper["text"]
    assert paper["warnings"] == ["not UTF-8: read as Windows-1252"]


def test_help_lists_the_commands():
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("import", "search", "list", "remove", "reindex", "parse", "refs", "highlights"):
        assert command in proc.stdout


def test_encrypted_pdf_gives_one_line(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "A secret paper about sleep in songbirds.")
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    proc = run("parse", str(path))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{path}: cannot parse: encrypted PDF: a password is needed"


def test_xml_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY s SYSTEM "file://{secret}">'
                    f'<!ENTITY p SYSTEM "{secret}">]><article><front><article-meta><title-group>'
                    '<article-title>Entities &s; and &p;</article-title></title-group></article-meta></front>'
                    '<body><p>Body &s; text.</p></body></article>')
    proc = run("parse", str(path), "--json")
    assert "TOP-SECRET-CONTENT" not in proc.stdout + proc.stderr
    if proc.returncode == 0:
        assert json.loads(proc.stdout)["title"].startswith("Entities")


def test_billion_laughs_fails_fast_or_stays_small(tmp_path):
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    path = tmp_path / "lol.xml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE article [{"".join(lol)}]>'
                    '<article><front><article-meta><title-group><article-title>Laughs &lol9;</article-title>'
                    '</title-group></article-meta></front><body><p>x</p></body></article>')
    proc = run("parse", str(path), "--json")
    assert len(proc.stdout) < 100_000  # a billion "lol"s would be gigabytes
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr


def test_output_into_a_pipe_closed_early_ends_quietly(tmp_path: Path) -> None:
    """``litreader parse --json FILE | head -c 1``: the reader went away; no internal error, no crash log."""
    long = tmp_path / "long.txt"  # its JSON is many times what a pipe holds: the writer meets the closed pipe
    long.write_text(TEXT_SEED.read_text(encoding="utf-8") * 8, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "reader", "parse", str(long), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()  # as head does once it has its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_a_short_output_into_a_pipe_closed_before_it_ends_quietly(tmp_path: Path) -> None:
    """The whole output still in our buffer when the reader has gone: the flush at the end meets the closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.run([sys.executable, "-m", "reader", "parse", str(TEXT_SEED)], stdout=write_end,
                          stderr=subprocess.PIPE, timeout=120)
    os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == b""
