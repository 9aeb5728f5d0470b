"""A damaged but readable PDF: MuPDF's messages never reach stdout; the paper counts them in its warnings."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from reader.ingest.pdf_lines import extract_lines

SENTENCE = "Line {k} of a damaged but readable paper, with words enough to read."


def _damaged_pdf() -> bytes:
    """Two pages of good text, each with a second content stream that names a missing image and has
    unbalanced syntax, and the xref keyword broken so that MuPDF has to repair the file."""
    doc = pymupdf.open()
    for _ in range(2):
        page = doc.new_page()
        for k in range(20):
            page.insert_text((72, 150 + 14 * k), SENTENCE.format(k=k), fontsize=11)
        xref = doc.get_new_xref()
        doc.update_object(xref, "<<>>")
        doc.update_stream(xref, b"q /NoImage Do Q 0 0 m ) ] } 1 1 l S")
        kind, value = doc.xref_get_key(page.xref, "Contents")
        contents = value[:-1] if kind == "array" else f"[{value}"
        doc.xref_set_key(page.xref, "Contents", f"{contents} {xref} 0 R]")
    return doc.tobytes().replace(b"xref", b"xzef", 1)


def test_mupdf_messages_go_to_the_log_not_stdout(capfd: pytest.CaptureFixture[str],
                                                 caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="reader.ingest.pdf"):
        content = extract_lines(_damaged_pdf(), "damaged.pdf")
    out, _ = capfd.readouterr()
    assert out == ""
    assert any("cannot find XObject resource" in r.getMessage() for r in caplog.records)
    assert content.warnings and content.warnings[0].startswith("the PDF is damaged: MuPDF repaired")
    texts = [ln.text for ln in content.lines]
    assert SENTENCE.format(k=0) in texts and SENTENCE.format(k=19) in texts  # the text itself is all there


def test_parse_json_stays_valid_json_for_a_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(_damaged_pdf())
    done = subprocess.run([sys.executable, "-m", "reader", "parse", str(path), "--json"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    paper = json.loads(done.stdout)  # nothing but the JSON on stdout
    assert SENTENCE.format(k=7) in paper["text"]
    damaged = [w for w in paper["warnings"] if w.startswith("the PDF is damaged")]
    assert len(damaged) == 1
    # 2 pages x (a missing image + syntax errors), plus the broken xref: more than 4 problems counted
    assert int(damaged[0].split("repaired ")[1].split()[0]) > 4
