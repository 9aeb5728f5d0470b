"""A table's cells in their columns (issue 10 item 2): ``pdf_floats.table_grid`` on real tables, each checked
by hand against the rendered page, and on small hand-made rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.lines import Line
from reader.ingest.pdf_floats import table_grid
from reader.ingest.pdf_lines import extract_lines


def _tables(pdf: Path) -> dict[tuple[int, str], Line]:
    """The caption line of each table found, by page and the caption's first words."""
    content = extract_lines(pdf.read_bytes(), pdf.name)
    return {(ln.page, " ".join(ln.text.split()[:2])): ln for ln in content.lines  # type: ignore[misc]
            if ln.float_kind == "table" and ln.float_lines}


def _grid(caption: Line) -> list[list[str]]:
    return table_grid(caption.float_lines, caption.float_rules)


def test_an_empty_corner_keeps_the_heads_over_their_columns(realpdf: Path) -> None:
    """Nature s41467 page 4, Table 1: no head over the row heads ("SST (T′)", "Latent heat flux ..."), then
    "Before 1985" and "After 1985" over the two columns of numbers. Table 2 beside it: its first head is
    two lines deep and runs into the next column's, so it is read as one cell; "After 1985" still stands
    in the third column."""
    tables = _tables(realpdf / "nature-2024-s41467-024-48900-2.pdf")
    first = _grid(tables[(4, "Table 1")])
    assert first[0] == ["", "Before 1985", "After 1985"]
    assert first[1][0].startswith("SST") and first[1][1:] == ["0.12 (0.88)", "0.4 (0.92)"]
    assert all(len(row) == 3 for row in first)
    second = _grid(tables[(4, "Table 2")])
    assert second[0][0].startswith("Average of decadal") and second[0][2] == "After 1985"
    assert second[1][1:] == ["1.44", "1.86"]


def test_a_numbered_table_with_no_head_over_its_numbers(realpdf: Path) -> None:
    """Frontiers fpubh.2025.1693703 page 6 (a landscape page), Table 2: the study's number has no head; the
    six heads stand over the six columns after it."""
    tables = _tables(realpdf / "frontiers-2026-fpubh.2025.1693703.pdf")
    grid = _grid(tables[(6, "TABLE 2")])
    assert grid[0][:4] == ["", "Author(s), Year", "Country(s)", "Study objective"]
    assert grid[1][:3] == ["1", "Opoku et al. (2021) (26)", "Ghana, Nigeria, South Africa, Namibia, Ethiopia, Kenya."]
    assert grid[2][:3] == ["2", "Manga et al. (2022) (28)", "South Africa"]
    assert all(len(row) == 7 for row in grid)


def test_wrapped_cells_of_a_table_without_rules_join_their_row(corpus_dir: Path) -> None:
    """PeerJ cs-118 page 3, Table 1: five phases, rows set 13.5 pt apart and a cell's wrapped lines 11 pt
    apart, no rules between the rows. Each phase is one row of four cells."""
    tables = _tables(corpus_dir / "pdf" / "peerj-cs-118.publisher.pdf")
    grid = _grid(tables[(3, "Table 1")])
    assert [row[0] for row in grid] == ["1", "2", "3", "4", "5"]
    assert grid[0] == ["1", "Data preparation", "Protein coding DNA sequencesa", "FASTA"]
    assert grid[3] == ["4", "Selective pressure analysis preparation",
                       "Gene phylogenies (or species phylogenies) with corresponding Multiple sequence alignmentsa",
                       "Trees: Newick, NEXUS; Alignments: See above"]


def test_a_table_whose_cells_run_together_is_left_to_its_picture(realpdf: Path) -> None:
    """PLOS pone.0322878 page 9, Table 2: a risk matrix whose long cells ("RISK: 1X1 = 1. Malignant catharral
    fever; ...") the text layer runs together with the row's head ("NEGLIGI-BLE (1)"): no grid."""
    tables = _tables(realpdf / "plos-2025-journal.pone.0322878.pdf")
    assert _grid(tables[(9, "Table 2.")]) == []


def _cell(text: str, x0: float, x1: float, bottom: float) -> Line:
    return Line(text=text, size=8.0, page=1, bbox=(x0, bottom - 8, x1, bottom))


@pytest.mark.parametrize("missing", [0, 1, 2])
def test_a_row_missing_a_cell_gets_an_empty_one_in_its_place(missing: int) -> None:
    columns = [(50, 90), (120, 160), (200, 240)]
    lines = [_cell(f"h{k}", *columns[k], 100) for k in range(3) if k != missing]
    for row, bottom in enumerate((120, 140, 160)):
        lines += [_cell(f"r{row}c{k}", *columns[k], bottom) for k in range(3)]
    grid = table_grid(lines, [])
    head = ["h0", "h1", "h2"]
    head[missing] = ""
    assert grid[0] == head
    assert grid[1:] == [[f"r{row}c{k}" for k in range(3)] for row in range(3)]
