"""extract_lines: PDF text layer -> lines in reading order, with layout signals.

Most PDFs here are made by the tests with pymupdf, so every expected value is known. The corpus tests check
facts read off rendered pages of the real PDFs in shared/corpus/pdf/.
"""
from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import EncryptedFile, ParseError
from reader.ingest.lines import Line
from reader.ingest.pdf_lines import PdfContent, extract_lines, normalise_text

A4 = pymupdf.paper_rect("a4")  # 595 x 842 points


def _pdf(build) -> bytes:  # type: ignore[no-untyped-def]
    """The bytes of a new PDF after ``build(doc)`` has drawn on it."""
    doc = pymupdf.open()
    build(doc)
    data = doc.tobytes()
    doc.close()
    return data


def _words(prefix: str, n: int) -> str:
    return " ".join(f"{prefix}{i:02d}" for i in range(n))


def _texts(content: PdfContent) -> list[str]:
    return [line.text for line in content.lines]


def _index(lines: list[Line], fragment: str) -> int:
    """Index of the first line containing ``fragment``."""
    for i, line in enumerate(lines):
        if fragment in line.text:
            return i
    raise AssertionError(f"{fragment!r} not in the lines")


# ----------------------------------------------------------------------------------------- generated PDFs


def _two_column_page(doc: pymupdf.Document) -> None:
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_textbox(pymupdf.Rect(50, 40, 545, 85), "A Title That Spans Both Columns", fontsize=20,
                        fontname="hebo", align=pymupdf.TEXT_ALIGN_CENTER)
    page.insert_textbox(pymupdf.Rect(50, 90, 545, 160), "Abstract " + _words("abs", 40), fontsize=10)
    # Same font and size in both columns: their lines share baselines, the hard case for naive ordering.
    page.insert_textbox(pymupdf.Rect(50, 180, 290, 780), _words("left", 180), fontsize=10)
    page.insert_textbox(pymupdf.Rect(305, 180, 545, 780), _words("right", 180), fontsize=10)


def test_two_columns_are_not_interleaved() -> None:
    content = extract_lines(_pdf(_two_column_page))
    texts = _texts(content)
    assert texts[0] == "A Title That Spans Both Columns"
    assert texts[1].startswith("Abstract abs00")
    words = " ".join(texts).split()
    assert [w for w in words if w.startswith("left")] == _words("left", 180).split()
    assert [w for w in words if w.startswith("right")] == _words("right", 180).split()
    last_abstract = max(i for i, t in enumerate(texts) if "abs" in t)
    first_left, last_left = _index(content.lines, "left00"), _index(content.lines, "left179")
    first_right = _index(content.lines, "right00")
    assert last_abstract < first_left < last_left < first_right  # the whole left column, then the right
    right_column = content.lines[first_right:]
    assert all(line.text.startswith("right") for line in right_column)
    assert content.lines[first_right].gap_before  # a new column is a paragraph signal
    assert all(abs(line.indent) < 1 for line in content.lines[first_left:])  # from each column's own edge


@settings(max_examples=30, deadline=None)
@given(size=st.floats(8, 11.5), gutter=st.floats(12, 36), margin=st.floats(40, 80),
       left_words=st.integers(40, 220), right_words=st.integers(40, 220), title=st.booleans(),
       abstract=st.booleans(), font=st.sampled_from(["helv", "tiro", "cour"]))
def test_two_columns_in_order_whatever_the_geometry(size: float, gutter: float, margin: float, left_words: int,
                                                    right_words: int, title: bool, abstract: bool,
                                                    font: str) -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        column = (A4.width - 2 * margin - gutter) / 2
        top = 60.0
        if title:
            page.insert_textbox(pymupdf.Rect(margin, top, A4.width - margin, top + 40), "A Centred Title",
                                fontsize=18, fontname="hebo", align=pymupdf.TEXT_ALIGN_CENTER)
            top += 50
        if abstract:
            page.insert_textbox(pymupdf.Rect(margin, top, A4.width - margin, top + 80), _words("abs", 40),
                                fontsize=size, fontname=font)
            top += 90
        page.insert_textbox(pymupdf.Rect(margin, top, margin + column, 790), _words("lw", left_words),
                            fontsize=size, fontname=font)
        page.insert_textbox(pymupdf.Rect(margin + column + gutter, top, A4.width - margin, 790),
                            _words("rw", right_words), fontsize=size, fontname=font)

    data = _pdf(build)
    drawn = [w[4] for w in pymupdf.open(stream=data)[0].get_text("words")]  # a box may not fit everything
    words = " ".join(_texts(extract_lines(data))).split()
    column_words = [w for w in words if w.startswith(("lw", "rw"))]
    assert column_words == [w for w in drawn if w.startswith("lw")] + [w for w in drawn if w.startswith("rw")]


def _story_pdf(html: str) -> bytes:
    """``html`` typeset by pymupdf.Story into two columns per A4 page (as the evaluation does)."""
    story = pymupdf.Story(html=html)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    columns = (pymupdf.Rect(50, 60, 290, 780), pymupdf.Rect(305, 60, 545, 780))
    more = True
    while more:
        device = writer.begin_page(A4)
        for rect in columns:
            more, _ = story.place(rect)
            story.draw(device)
            if not more:
                break
        writer.end_page()
    writer.close()
    return buffer.getvalue()


def test_story_two_columns_keep_paragraph_order() -> None:
    paragraphs = [f"Paragraph {i} starts here and says token{i}x before it goes on with filler words that "
                  f"wrap over several lines of a narrow column, ending with token{i}z." for i in range(30)]
    html = "<h1>Columns of Text</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    content = extract_lines(_story_pdf(html))
    assert content.page_count >= 2
    words = " ".join(_texts(content)).split()
    tokens = [w.rstrip(".") for w in words if w.startswith("token")]
    assert tokens == [t for i in range(30) for t in (f"token{i}x", f"token{i}z")]
    assert content.lines[0].heading_level == 1
    starts = [line for line in content.lines if line.text.startswith("Paragraph ")]
    assert len(starts) == 30 and all(line.gap_before for line in starts)
    assert all(line.heading_level == 0 for line in content.lines[1:])


def _paged_with_running_header(doc: pymupdf.Document) -> None:
    for n in range(1, 4):
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_text((50, 40), "Journal of Careful Tests 2024, 7:12", fontsize=8)
        page.insert_text((480, 40), f"Page {n} of 3", fontsize=8)
        page.insert_textbox(pymupdf.Rect(50, 100, 545, 700), f"Body of page {n}. " + _words(f"p{n}w", 60),
                            fontsize=10)
        page.insert_text((295, 810), str(n), fontsize=9)


def test_running_headers_and_page_numbers_are_dropped() -> None:
    content = extract_lines(_pdf(_paged_with_running_header))
    texts = _texts(content)
    assert not any("Journal of Careful Tests" in t for t in texts)
    assert not any(t.startswith("Page ") for t in texts)
    assert not any(t.strip().isdigit() for t in texts)
    words = " ".join(texts).split()
    assert words == [w for n in range(1, 4) for w in f"Body of page {n}. {_words(f'p{n}w', 60)}".split()]
    firsts = [line for line in content.lines if line.new_page]
    assert [line.page for line in firsts] == [1, 2, 3]
    assert all(line.text.startswith("Body of page") for line in firsts)
    assert sum(line.new_page for line in content.lines) == 3


def test_a_title_at_the_top_of_page_one_is_kept() -> None:
    def build(doc: pymupdf.Document) -> None:
        for n in range(1, 4):
            page = doc.new_page(width=A4.width, height=A4.height)
            if n == 1:
                page.insert_text((50, 30), "Margins Are Not Always Headers", fontsize=22, fontname="hebo")
            else:
                page.insert_text((50, 30), "Margins Are Not Always Headers", fontsize=8)  # the running header
            page.insert_textbox(pymupdf.Rect(50, 120, 545, 700), _words(f"q{n}w", 80), fontsize=10)

    content = extract_lines(_pdf(build))
    assert content.lines[0].text == "Margins Are Not Always Headers"
    assert content.lines[0].heading_level == 1
    assert _texts(content).count("Margins Are Not Always Headers") == 1


def test_ligatures_and_odd_spaces_are_normalised() -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_htmlbox(pymupdf.Rect(50, 50, 545, 200),
                            "<p>The \ufb01rst \ufb02ow of e\ufb00ort, in\ufb02uence and o\ufb03ce.</p>")

    content = extract_lines(_pdf(build))
    assert _texts(content) == ["The first flow of effort, influence and office."]
    assert normalise_text("a\u00a0b\u2009c\u200bd\ufb04e\u00adf\ufb05\ufb06") == "a b cdfflefftst"


def test_heading_in_a_larger_font_gets_a_level() -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        y = 60.0
        for heading in ("Introduction", "Methods"):
            page.insert_text((50, y), heading, fontsize=16, fontname="hebo")
            y += 24
            rect = pymupdf.Rect(50, y, 545, y + 120)
            page.insert_textbox(rect, _words(heading[:3].lower(), 70), fontsize=10)
            y += 140

    content = extract_lines(_pdf(build))
    headings = [line for line in content.lines if line.heading_level]
    assert [line.text for line in headings] == ["Introduction", "Methods"]
    assert all(line.heading_level == 1 and line.bold and line.size == pytest.approx(16, abs=0.2)
               for line in headings)
    body = [line for line in content.lines if not line.heading_level]
    assert body and all(line.size == pytest.approx(10, abs=0.2) and not line.bold for line in body)
    assert content.body_size == 10
    assert all(line.gap_before for line in headings)


def test_short_bold_line_standing_alone_is_a_heading() -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 150), _words("intro", 60), fontsize=10)
        page.insert_text((50, 170), "Data collection", fontsize=10, fontname="hebo")
        page.insert_textbox(pymupdf.Rect(50, 180, 545, 280), _words("data", 60), fontsize=10)

    content = extract_lines(_pdf(build))
    heading = content.lines[_index(content.lines, "Data collection")]
    assert heading.text == "Data collection" and heading.bold and heading.heading_level > 0
    assert sum(1 for line in content.lines if line.heading_level) == 1


def test_superscript_is_kept_as_text_and_recorded() -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_htmlbox(pymupdf.Rect(50, 50, 545, 200),
                            "<p>Smoking causes cancer<sup>12</sup> and heart disease<sup>3,4</sup>.</p>")

    content = extract_lines(_pdf(build))
    [line] = content.lines
    assert line.text == "Smoking causes cancer12 and heart disease3,4."
    assert [line.text[a:b] for a, b in line.superscripts] == ["12", "3,4"]
    assert line.superscripts[0] == (len("Smoking causes cancer"), len("Smoking causes cancer12"))


def test_hanging_indent_tells_reference_entries_apart() -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        y = 60.0
        for n in range(1, 4):
            page.insert_text((50, y), f"Author{n} A. A paper title that is long enough to wrap onto", fontsize=10)
            page.insert_text((62, y + 12), f"a second line, Journal {n}, 2020.", fontsize=10)
            y += 24

    content = extract_lines(_pdf(build))
    assert [round(line.indent) for line in content.lines] == [0, 12, 0, 12, 0, 12]


def test_metadata_is_cleaned() -> None:
    def build(doc: pymupdf.Document) -> None:
        doc.new_page().insert_text((50, 80), "Some text on the page.", fontsize=10)
        doc.set_metadata({"title": "  A   Real\nTitle ", "author": "Ada Lovelace", "subject": "",
                          "keywords": "pdf; text"})

    content = extract_lines(_pdf(build))
    assert content.metadata == {"title": "A Real Title", "author": "Ada Lovelace", "keywords": "pdf; text"}
    assert content.page_count == 1


def test_encrypted_pdf_needs_a_password() -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 80), "Secret text.", fontsize=10)
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="user", owner_pw="owner")
    with pytest.raises(EncryptedFile, match="^encrypted PDF: a password is needed$"):
        extract_lines(data)


def test_junk_is_not_a_readable_pdf() -> None:
    with pytest.raises(ParseError, match="^not a readable PDF: "):
        extract_lines(bytes(range(256)) * 40)


def test_a_truncated_pdf_is_not_readable() -> None:
    data = _pdf(_two_column_page)
    with pytest.raises(ParseError):
        extract_lines(data[:200])


def test_empty_bytes() -> None:
    with pytest.raises(ParseError, match="^empty file$"):
        extract_lines(b"")


def test_scanned_pdf_has_no_text_layer() -> None:
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page()
        page.draw_rect(pymupdf.Rect(50, 50, 300, 300), color=(0, 0, 0), fill=(0.5, 0.5, 0.5))

    with pytest.raises(ParseError, match=r"^no text layer \(scanned PDF\?\)$"):
        extract_lines(_pdf(build))


# -------------------------------------------------------------------------------------------- real corpus

CORPUS_PDFS = sorted(p.name for p in (Path(__file__).resolve().parents[3] / "shared/corpus/pdf").glob("*.pdf"))


@pytest.fixture(scope="module")
def corpus_pdf(corpus_dir: Path):  # type: ignore[no-untyped-def]
    cache: dict[str, PdfContent] = {}

    def load(name: str) -> PdfContent:
        if name not in cache:
            cache[name] = extract_lines((corpus_dir / "pdf" / name).read_bytes())
        return cache[name]

    return load


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS_PDFS or ["(corpus missing)"])
def test_every_corpus_pdf_extracts(corpus_pdf, corpus_dir: Path,  # type: ignore[no-untyped-def]
                                   name: str) -> None:
    if not (corpus_dir / "pdf" / name).is_file():
        pytest.skip("corpus PDFs not found")
    content = corpus_pdf(name)
    assert content.page_count >= 2
    assert len(content.lines) > 50 * content.page_count // 2
    assert 7 <= content.body_size <= 12
    assert {line.page for line in content.lines} == set(range(1, content.page_count + 1))
    assert sum(line.new_page for line in content.lines) == content.page_count
    assert all(line.text and line.text == line.text.strip() for line in content.lines)
    assert not any("\ufb01" in line.text or "\ufb02" in line.text for line in content.lines)
    assert any(line.heading_level for line in content.lines)


@pytest.mark.slow
def test_acl_2020_reading_order(corpus_pdf) -> None:  # type: ignore[no-untyped-def]
    lines = corpus_pdf("acl-2020.acl-main.207.publisher.pdf").lines
    assert lines[0].text == "SPECTER: Document-level Representation Learning using"
    assert lines[1].text == "Citation-informed Transformers"
    assert lines[0].heading_level == lines[1].heading_level == 1
    # Page 1: the abstract (left column), the introduction below it, then the right column.
    order = ["Representation learning is a critical ingre-", "baselines on the benchmark.",
             "1 Introduction", "are widely used for representing individual words",
             "or sentences, extensions to whole-document em-",
             "representations substantially outperform the state-",
             # page 2 continues the sentence in its left column
             "of-the-art on a variety of document-level tasks, in-"]
    positions = [_index(lines, text) for text in order]
    assert positions == sorted(positions)
    assert positions[-1] - positions[-2] <= 5  # only page 1's footnotes and proceedings footer in between
    assert lines[_index(lines, "1 Introduction")].heading_level == 1
    assert lines[_index(lines, "2.1 Overview")].heading_level == 2
    assert not any(line.text.strip() in {"2270", "2271", "2275"} for line in lines)  # page numbers
    bench = lines[_index(lines, "baselines on the benchmark.")]
    assert [bench.text[a:b] for a, b in bench.superscripts] == ["1"]


@pytest.mark.slow
def test_bmc_running_headers_dropped_and_columns_in_order(corpus_pdf) -> None:  # type: ignore[no-untyped-def]
    content = corpus_pdf("bmc-hsr-2014-agyeman-duah.publisher.pdf")
    lines = content.lines
    texts = _texts(content)
    assert not any("BMC Health Services Research 2014, 14:1" in t for t in texts)
    assert not any("biomedcentral.com/1472-6963/14/1" in t for t in texts)
    assert not any(t.startswith("Page ") and " of 10" in t for t in texts)
    title = [line for line in lines[:8] if line.heading_level == 1 and line.size > 20]
    assert " ".join(line.text for line in title).startswith("Understanding the barriers to setting up a")
    page2 = [line for line in lines if line.page == 2]
    assert page2[0].text == "Background" and page2[0].heading_level == 1
    # The sentence that runs from the bottom of the left column to the top of the right one.
    left_end = _index(lines, "of the Ministry of Health which provides the hospital")
    assert lines[left_end + 1].text == "budget. Even though the hospital generates some of its"
    assert lines[left_end + 1].gap_before  # a new column


@pytest.mark.slow
def test_hindawi_columns_and_headings(corpus_pdf) -> None:  # type: ignore[no-untyped-def]
    lines = corpus_pdf("hindawi-rrp-2010-157939.publisher.pdf").lines
    assert any(line.text == "Patient Experiences of Structured Heart Failure Programmes"
               and line.heading_level == 1 for line in lines[:8])
    left_end = _index(lines, "reluctance to use the term [3].")
    assert lines[left_end + 1].text.startswith("Heart failure places significant burden on primary")
    headings = [line.text for line in lines if line.heading_level and line.page > 1]
    assert headings[:3] == ["2. Methods", "3. Results", "4. Experience of Programmes"]
    assert not any(line.text == "Rehabilitation Research and Practice" for line in lines if line.page > 1)


@pytest.mark.slow
def test_peerj_sidebar_after_the_title(corpus_pdf) -> None:  # type: ignore[no-untyped-def]
    lines = corpus_pdf("peerj-cs-118.publisher.pdf").lines
    assert lines[0].text == "VESPA: Very large-scale Evolutionary and"
    assert lines[0].heading_level == 1
    assert _index(lines, "Submitted 25 March 2016") > _index(lines, "INTRODUCTION")
    assert not any(line.text.startswith("Webb et al. (2017), PeerJ Comput. Sci.") for line in lines)
    assert not any(line.text.endswith("/16") for line in lines)


def test_stretched_word_spaces_in_a_column_are_no_gutter() -> None:
    """A justified short line spreads its words about one em apart: still one line, read in order."""
    def build(doc: pymupdf.Document) -> None:
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_textbox(pymupdf.Rect(50, 60, 290, 780), _words("left", 180), fontsize=9.5)
        # the right column opens with two lines whose words sit ~9 pt apart (what justification does)
        x = 316.0
        for y, words in ((70, ["Vax1", "mice", "(Slavotinek", "et", "al.,", "2012)."]),
                         (82, ["Unexpectedly,", "we", "found", "that", "Vax1", "binds"])):
            for word in words:
                page.insert_text((x, y), word, fontsize=9.5)
                x += pymupdf.get_text_length(word, fontsize=9.5) + 9
            x = 316.0
        page.insert_textbox(pymupdf.Rect(316, 88, 545, 780), _words("right", 160), fontsize=9.5)

    texts = _texts(extract_lines(_pdf(build)))
    assert "Vax1 mice (Slavotinek et al., 2012)." in texts
    assert "Unexpectedly, we found that Vax1 binds" in texts
    assert texts.index("Vax1 mice (Slavotinek et al., 2012).") + 1 == texts.index("Unexpectedly, we found that Vax1 binds")
