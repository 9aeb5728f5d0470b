"""Exports: Markdown for notes apps, W3C Web Annotation JSON (and back), Readwise CSV, an annotated PDF."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pymupdf
import pytest

from reader.highlights import Highlight
from reader.highlights.export import (PaperHighlights, citation_line, read_annotations, to_annotations, to_csv,
                                      to_markdown)
from reader.highlights.pdf_export import annotated_pdf
from reader.ingest import load_paper

REPO = Path(__file__).resolve().parents[2]
ALAM = REPO / "library" / "alam-mustafa-2024-pakistan-role-in-afghan-peace-process.txt"
GADI = REPO / "library" / "gadi-2023-afghanistan-pakistan-relations-after-withdrawal.xml"
WEIRD_NOTE = "**bold** <b>html</b> \"quoted\" 'single'\nsecond line\n\n😀 · עברית · =SUM(A1:A2)"


@pytest.fixture(scope="module")
def alam():
    return load_paper(ALAM)


def _highlight(paper, quote: str, **kw) -> Highlight:
    start = paper.text.index(quote)
    return Highlight.new(paper.id, paper.text, start, start + len(quote), **kw)


def test_citation_line() -> None:
    gadi = load_paper(GADI)
    assert citation_line(gadi).startswith("Ido Gadi (2023). Against all Expectations: Afghanistan-Pakistan "
                                          "Relations after the American Withdrawal.")


def test_markdown_quotes_in_document_order_with_notes_and_footnotes(alam) -> None:
    late = _highlight(alam, "is the Durand Line, which separates Pakistan and Afghanistan", note=WEIRD_NOTE,
                      tags=["border"])
    early = _highlight(alam, "has become even more complex since the US withdrew its soldiers from Afghanistan "
                             "(Shahbaz, 2023)", color="green")
    md = to_markdown([PaperHighlights(alam, [late, early])], front_matter=True)
    assert md.startswith('---\ntitle: "Pakistan\'s Role in Afghan Peace Process: An Analysis"\n')
    assert 'tags: ["border"]' in md
    assert md.index("> has become even more complex") < md.index("> is the Durand Line")
    assert "— green" in md and "— yellow · #border" in md
    assert "**Note:** **bold** &lt;b>html&lt;/b>" in md and "😀 · עברית · =SUM(A1:A2)" in md  # the note as written
    # the cited entry of (Shahbaz, 2023) as a footnote
    assert "(Shahbaz, 2023) [^" in md
    assert "]: Shahbaz, M. (2023). Revisiting friends & foes" in md


def test_markdown_escapes_the_papers_own_characters(alam) -> None:
    h = _highlight(alam, "Pakistan")
    h.quote = "a *starred* <tag> #hash"
    md = to_markdown([PaperHighlights(alam, [h])])
    assert "> a \\*starred\\* \\<tag\\> \\#hash" in md


def test_w3c_json_round_trip(alam) -> None:
    hs = [_highlight(alam, "Durand Line", note=WEIRD_NOTE, tags=["a", "b"], color="purple"),
          _highlight(alam, "Afghan Taliban")]
    data = to_annotations([PaperHighlights(alam, hs)])
    assert data["type"] == "AnnotationCollection" and data["total"] == 2
    first = data["first"]["items"][0]
    assert first["@context"] == "http://www.w3.org/ns/anno.jsonld" and first["type"] == "Annotation"
    kinds = {s["type"] for s in first["target"]["selector"]}
    assert kinds == {"TextQuoteSelector", "TextPositionSelector"}
    back = read_annotations(json.loads(json.dumps(data)))
    assert sorted((h.to_json() for h in back), key=lambda d: d["start"]) == \
        sorted((h.to_json() for h in hs), key=lambda d: d["start"])


@pytest.mark.parametrize(("data", "message"), [
    ({"type": "Nothing"}, "not an Annotation"),
    ([{"type": "Annotation", "target": {"source": "http://elsewhere"}}], "not a litreader paper"),
    ([{"type": "Annotation", "target": {"source": "urn:litreader:paper:x", "selector": []}}], "no TextQuote"),
    ("just a string", "no annotations"),
])
def test_bad_annotation_json_says_what_is_wrong(data, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_annotations(data)


def test_readwise_csv_is_safe_from_formulas(alam) -> None:
    h = _highlight(alam, "Durand Line", note="=HYPERLINK(\"http://evil\")")
    h.quote = "+1 risky start"
    rows = list(csv.reader(io.StringIO(to_csv([PaperHighlights(alam, [h])]))))
    assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
    assert rows[1][0] == "'+1 risky start" and rows[1][4] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][1] == alam.title and rows[1][2] == "Javed Alam, Ghulam Mustafa"
    assert rows[1][5] == str(h.start)  # no pages in a text file: the position


def test_annotated_pdf_highlights_the_right_words(corpus_dir: Path) -> None:
    pdf = sorted((corpus_dir / "pdf").glob("*.pdf"))[0]
    paper = load_paper(pdf)
    # a sentence from the middle of a page's text
    span = paper.pages[len(paper.pages) // 3]
    line = paper.text[span.start:span.end]
    words = line.split()
    quote = " ".join(words[1:4])
    start = paper.text.index(quote, span.start)
    h = Highlight.new(paper.id, paper.text, start, start + len(quote), color="green", note="a note")
    data, missed = annotated_pdf(pdf.read_bytes(), paper, [h])
    assert missed == 0
    doc = pymupdf.open(stream=data, filetype="pdf")
    found = []
    for page in doc:  # an annotation needs its page object alive
        for annot in page.annots():
            found.append((annot.type[1], annot.info["content"], page.get_textbox(annot.rect),
                          tuple(round(c, 2) for c in annot.colors["stroke"]), page.number + 1))
    assert len(found) == 1
    kind, content, covered, color, page_number = found[0]
    assert (kind, content, page_number) == ("Highlight", "a note", span.page)
    assert words[1] in covered and words[3] in covered
    assert color == (0.66, 0.89, 0.29)


def _annotation(**changes) -> dict:
    a = {"type": "Annotation", "id": "urn:uuid:1",
         "target": {"source": "urn:litreader:paper:0123456789abcdef", "styleClass": "yellow",
                    "selector": [{"type": "TextQuoteSelector", "exact": "words"},
                                 {"type": "TextPositionSelector", "start": 1, "end": 6}]}}
    a.update(changes)
    return a


@pytest.mark.parametrize(("text", "message"), [
    ('[{"type": "Annotation", "id": "urn:uuid:1", "target": {"source": "urn:litreader:paper:0123456789abcdef", '
     '"selector": [{"type": "TextQuoteSelector", "exact": "w"}, '
     '{"type": "TextPositionSelector", "start": Infinity, "end": 1e400}]}}]', "not character positions"),
    ('[{"type": "Annotation", "target": {"source": "urn:litreader:paper:0123456789abcdef", '
     '"selector": [{"type": "TextQuoteSelector", "exact": "w"}, '
     '{"type": "TextPositionSelector", "start": "3", "end": true}]}}]', "not character positions"),
    ('[{"type": "Annotation", "target": {"source": 7}}]', "target is not text"),
    ('[{"type": "Annotation", "target": {"source": "urn:litreader:paper:../../victim", '
     '"selector": [{"type": "TextQuoteSelector", "exact": "w"}]}}]', "not a litreader paper"),
    ('[{"type": "Annotation", "target": {"source": "urn:litreader:paper:0123456789abcdef\\u001b[2J\\nFAKE", '
     '"selector": [{"type": "TextQuoteSelector", "exact": "w"}]}}]', "not a litreader paper"),
    ('[{"type": "Annotation", "target": {"source": "urn:litreader:paper:0123456789abcdef", "selector": 5}}]',
     "selector is not an object"),
    ('[{"type": "Annotation", "body": [3], "target": {"source": "urn:litreader:paper:0123456789abcdef", '
     '"selector": [{"type": "TextQuoteSelector", "exact": "w"}]}}]', "body is not an object"),
    ('[{"type": "Annotation", "body": {"value": ["a"]}, "target": {"source": '
     '"urn:litreader:paper:0123456789abcdef", "selector": [{"type": "TextQuoteSelector", "exact": "w"}]}}]',
     "note is not text"),
    ('[{"type": "Annotation", "target": {"source": "urn:litreader:paper:0123456789abcdef", "styleClass": [1], '
     '"selector": [{"type": "TextQuoteSelector", "exact": "w"}]}}]', "colour is not a name"),
])
def test_malformed_annotation_json_is_one_clear_line(text: str, message: str) -> None:
    """Issue 14 item 9: infinite numbers and wrong types are a ValueError naming the annotation and what."""
    with pytest.raises(ValueError, match=f"annotation 1: .*{message}"):
        read_annotations(json.loads(text))


def test_highlights_import_of_deeply_nested_json_is_one_line(tmp_path: Path, capsys) -> None:
    from reader.cli import main

    bad = tmp_path / "deep.json"
    bad.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["highlights", "import", "--library", str(tmp_path / "lib"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested too deeply" in err


def test_markdown_note_cannot_break_the_document(alam) -> None:
    """Issue 14 item 9: a note's code fence, HTML comment or heading is shown, not obeyed; tags stay tags."""
    note = "```python\nunclosed fence\n<!-- hides the rest\n## My heading\n[^x]: a footnote\n~~~"
    h = _highlight(alam, "Durand Line", note=note)
    h.tags = ["two words", "a#b", "<i>"]
    after = _highlight(alam, "Afghanistan", note="still visible")
    md = to_markdown([PaperHighlights(alam, [h, after])])
    lines = md.split("\n")
    assert "**Note:** \\```python" in lines and "&lt;!-- hides the rest" in lines
    assert "\\## My heading" in lines and "\\[^x]: a footnote" in lines and "\\~~~" in lines
    assert not any(line.startswith(("```", "~~~", "<")) for line in lines)
    assert [line for line in lines if line.startswith("#")] == [f"## {citation_line(alam)}"]  # ours alone
    assert "#two-words #a-b #i" in md
    assert "**Note:** still visible" in lines


@pytest.mark.parametrize("note", ["  =1+2", "\u3000=1+2", "\uff1dHYPERLINK(1)", " \uff0b1", "\uff20SUM(1)",
                                  "\u00a0-1", "\ufe661+1", " \ufe62cmd"])
def test_csv_neutralises_formulas_after_spaces_and_full_width(alam, note: str) -> None:
    h = _highlight(alam, "Durand Line", note=note)
    rows = list(csv.reader(io.StringIO(to_csv([PaperHighlights(alam, [h])]))))
    assert rows[1][4] == "'" + note


@pytest.mark.parametrize(("content", "message"), [
    (b'[{"type": "Annotation",\n  oops}]', "not a highlights export (not valid JSON: Expecting property name "
                                            "enclosed in double quotes at line 2, column 3)"),
    (b'[{"note": "caf\xe9"}]', "not a highlights export (not UTF-8 text: 0xe9 at byte offset 14)"),
])
def test_highlights_import_of_a_file_that_is_not_an_export_says_so(tmp_path: Path, capsys, content: bytes,
                                                                   message: str) -> None:
    from reader.cli import main

    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["highlights", "import", "--library", str(tmp_path / "lib"), str(bad)]) == 1
    assert capsys.readouterr().err == f"{bad}: {message}\n"


def test_a_note_cannot_pass_for_another_highlight(alam) -> None:
    """A note holding a block quote and a colour line would render as a highlight of its own: its quote is
    escaped; the user's lists and emphasis stay Markdown."""
    h = _highlight(alam, "Durand Line", note="my *own* view\n\n> Forged quote\n\n— pink · #forged\n\n- a point")
    md = to_markdown([PaperHighlights(alam, [h])])
    lines = md.split("\n")
    assert [line for line in lines if line.startswith(">")] == ["> Durand Line"]
    assert "\\> Forged quote" in lines and "- a point" in lines and "**Note:** my *own* view" in lines
