"""read_tables: a grid of cell strings (as HTML/DOCX/PDF front ends see it) → table cells."""

from __future__ import annotations

from pathlib import Path

from gongkai.core.formats import FORMAT_2021, T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse import read_tables
from tests.parse.synth import grid_rows


def _seed(fixtures_dir: Path) -> AnnualReport:
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


def test_grid_of_the_seed_reads_back_exactly(fixtures_dir: Path) -> None:
    seed = _seed(fixtures_dir)
    read = read_tables(grid_rows(seed), FORMAT_2021)
    assert read.tables == seed.tables
    assert read.problems == []


def test_blank_cells_and_joined_cells_in_a_grid(fixtures_dir: Path) -> None:
    seed = _seed(fixtures_dir)
    rows = grid_rows(seed)
    disclosed = FORMAT_2021.table3.row("disclosed").label
    partly = FORMAT_2021.table3.row("partly_disclosed").label
    for row in rows:
        if disclosed in row:
            row[row.index(disclosed) + 1 :] = ["36", "", "", "", "", "", "36"]
        if partly in row:
            row[row.index(partly) + 1 :] = ["2000002"]  # a PDF cell that lost its boundaries
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3]["disclosed"]["commercial"] is None
    assert read.tables[T3]["disclosed"]["total"] == 36
    assert read.tables[T3]["partly_disclosed"] == seed.tables[T3]["partly_disclosed"]


def test_missing_table4_line_is_reported(fixtures_dir: Path) -> None:
    rows = [r for r in grid_rows(_seed(fixtures_dir)) if not all(c.isdigit() for c in r)]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T4]["reconsideration"]["total"] is None
    assert any(p.table == T4 and p.code == "missing_row" for p in read.problems)
