"""Shaded boxes of text set across a first page's columns (an abstract box, a key-points panel) are read as
a unit, their own columns inside, before the columns below. Expected text read off the pages rendered with
pymupdf; the hand-made pages are drawn to the same plan."""
from __future__ import annotations

from reader.ingest import load_paper
from reader.ingest.pdf_columns import order_page
from reader.ingest.pdf_fragments import Frag, Span


def _frag(text: str, x0: float, x1: float, base: float, size: float = 9.0) -> Frag:
    span = Span(text, size, False, False, base, len(text.replace(" ", "")), size1=size)
    return Frag([span], x0, base - size, x1, base + 0.25 * size, (x0, base - size, x1, base + 0.25 * size),
                base, size, 0, True, text)


def _two_columns(top: float, rows: int, word: str) -> list[Frag]:
    """Two justified columns of ``rows`` lines each, 50..290 and 310..550, 12 pt apart from ``top`` down."""
    out = []
    for i in range(rows):
        out.append(_frag(f"{word} left {i}", 50, 290, top + 12 * i))
        out.append(_frag(f"{word} right {i}", 310, 550, top + 12 * i))
    return out


def _read(frags: list[Frag], boxes=()) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.text for leaf in order_page(frags, boxes=boxes) for f in sorted(leaf.frags, key=lambda f: (f.cy, f.x0))]


def _page_with_a_box_on_the_gutter() -> tuple[list[Frag], tuple[float, float, float, float]]:
    # a title across the page, a box (100..180) whose two columns of text share the body's gutter, and the
    # body's two columns below it (200..)
    title = [_frag("A title set across the whole page of this article", 50, 550, 60, 16)]
    box = _two_columns(110, 6, "box")
    body = _two_columns(210, 20, "body")
    return title + box + body, (45, 98, 555, 185)


def test_a_shaded_box_across_the_gutter_is_read_whole_before_the_columns_below() -> None:
    frags, box = _page_with_a_box_on_the_gutter()
    order = _read(frags, [box])
    assert order.index("box right 5") < order.index("body left 0")
    assert order.index("box left 5") < order.index("box right 0")
    assert order.index("body left 19") < order.index("body right 0")


def test_without_the_box_the_page_gutter_runs_through_it() -> None:
    # the layout the rule is for: by the gutter alone, the box's right half comes after the body's left column
    frags, _ = _page_with_a_box_on_the_gutter()
    order = _read(frags)
    assert order.index("body left 19") < order.index("box right 0")


def test_a_box_that_a_column_runs_past_is_read_with_its_column() -> None:
    # a shaded box in the left column (a key-points panel) while the right column runs on beside it and
    # past its top and bottom: the box stays in its column, the page is read column by column
    frags = _two_columns(100, 30, "body")
    box = (45, 200, 295, 260)
    order = _read(frags, [box])
    assert order == _read(frags)
    assert order.index("body left 29") < order.index("body right 0")


def test_a_narrow_box_is_no_band() -> None:
    # a shaded box under half the text's width (a column's panel) does not cut the page
    frags, _ = _page_with_a_box_on_the_gutter()
    assert _read(frags, [(45, 98, 200, 185)]) == _read(frags)


def test_wiley_abstract_box_read_before_the_introduction(realpdf) -> None:
    # Page 1: a grey box with the abstract in two columns over "Introduction" in two columns; the box's left
    # half ends "...(POM) catalyst produces FA that can be isolated from the", its right half opens
    # "aqueous reaction mixture by using nanofiltration membranes".
    paper = load_paper(realpdf / "wiley-2025-cssc.202401973.pdf")
    text = paper.text
    assert "catalyst produces FA that can be isolated from the aqueous reaction mixture by using nanofiltration" in text
    assert text.index("without undesired humin formation.") < text.index("Elimination of environmental pollutants")


def test_byline_over_a_side_panel_and_an_abstract_box_in_row_order(realpdf) -> None:
    # Page 1: names separated by "|" in three rows across the page, over a left panel (affiliations) and a
    # grey abstract box whose left edge the first two rows cross; read row by row as printed.
    paper = load_paper(realpdf / "wiley-2026-aphw.70125.pdf")
    text = paper.text
    assert ("Chiara. K. V. Hill-Harding1 | Marissa. D. Klein1 | Constantin von Stackelberg1 | "
            "Esther. K. Papies2 |") in text
    # the box's abstract stays one paragraph: its lines are measured against the box's own edges
    abstract = next(b for b in paper.blocks if "Although increasing research examines" in paper.block_text(b))
    assert "climate anxiety is likely (e.g., hearing about climate catastrophes on the news)." in paper.block_text(abstract)


def _names_in_reading_order(pdf, names: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    import pymupdf

    from reader.ingest.pdf_fragments import page_content

    with pymupdf.open(pdf) as doc:
        frags = page_content(doc[0]).frags
    # without the page's boxes: the rule for bylines across the gutter alone
    texts = [f.text for leaf in order_page(frags, front=True) for f in sorted(leaf.frags, key=lambda f: (round(f.base), f.x0))]
    return [t for t in texts if any(t.startswith(n) for n in names)][:len(names)]  # the byline's, not later mentions


def test_byline_rows_across_the_gutter_read_row_by_row(realpdf) -> None:
    # Page 1 (Wiley aphw): "Samridha S. J. B. Rana1 | Paul Graham Morris1 |" / "Caroline E. Brett1 | Emily
    # Pacheco1 |" / "Kalliopi Demetriou1,2 | Hamdullah Tunç1,3" in 12-pt rows over a left panel and an
    # abstract whose gutter runs through the rows' middle names.
    names = ["Samridha", "Paul Graham", "Caroline", "Emily", "Kalliopi", "Hamdullah"]
    order = _names_in_reading_order(realpdf / "wiley-2026-aphw.70157.pdf", names)
    assert [next(n for n in names if t.startswith(n)) for t in order] == names


def test_a_grid_of_names_in_two_columns_stays_column_by_column(realpdf) -> None:
    # Page 1 (Ubiquity): six names in capitals, two columns of three, far apart; the journal's citation
    # line lists them column by column ("Ndifoin BN, Kanmounye US, Kukuia KKE, Endomba FT, ...").
    names = ["BEVERLY", "ULRICK", "KENNEDY", "FRANCKY", "AIMÉ", "DESMOND"]
    order = _names_in_reading_order(realpdf / "ubiquity-2026-aogh.5110.pdf", names)
    assert [next(n for n in names if t.startswith(n)) for t in order] == names


def test_article_info_panel_beside_an_abstract_across_the_gutter(realpdf) -> None:
    # Page 1 (MUMS): a narrow "ARTICLE INFO" panel (article type, history, keywords, one per line) left of
    # an abstract set across the gutter of the two columns below; the abstract's paragraphs end in short
    # lines left of that gutter. The panel is read apart from the abstract, whose lines stay together.
    paper = load_paper(realpdf / "mums-2018-ijbms.2018.31997.7690.pdf")
    text = paper.text
    assert ("miswak have a large body of evidence supporting their effectiveness in gingivitis. They could act via "
            "several mechanisms") in text
    assert "This study aims to review current clinical trials on the effectiveness of herbal products in gingivitis." in text
    assert "Article type: Objective" not in text
    assert text.index("Accepted: Jul 14, 2018") < text.index("Objective(s): Periodontal diseases")


def test_page_one_journal_foot_with_a_bare_web_address_leaves_the_text(realpdf) -> None:
    # Page 1's foot (Wiley aphw): "Appl Psychol Health Well-Being. 2026;18:e70125." and
    # "wileyonlinelibrary.com/journal/aphw" in 7-pt type, 17.5 pt under the licence's last line (its lines
    # 10 pt apart); the abstract's sentence "Climate anxiety varied widely across situations, with" runs on
    # at the top of page 2 "individuals further varying in how much climate anxiety ...".
    paper = load_paper(realpdf / "wiley-2026-aphw.70125.pdf")
    text = paper.text
    assert "varied widely across situations, with individuals further varying in how much climate anxiety" in text
    assert "wileyonlinelibrary.com/journal/aphw" not in text
