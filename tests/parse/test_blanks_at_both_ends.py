"""A row with more pieces than cells and blanks at both ends is never read by a guess.

A crawler that prints each cell on a line of its own may open or close each row with a lone
pipe. Where only a table or two is laid out so, the page has too few rows to tell which (see
``text._rows_opened_by_pipe``), and the pipe is read as one more blank piece. Table 四's
figures with blanks for zeros then have blanks at both ends: dropping them from the end, as
the old rule did, put the pipe in the first column and moved every number by one (four to six
cells misread per table). Which end's blanks are no cells is not written: a choice that leaves
a total blank beside a printed member is none, and where more than one choice is left the row
is left unread with a problem that says so.
"""

from __future__ import annotations

import pytest

from gongkai.core.formats import FORMAT_2021, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse import grid
from gongkai.core.parse.result import UNREAD_CODES
from gongkai.core.parse.text import parse_text
from tests.parse.synth import (
    TABLE4_CASES,
    Joiner,
    blank_table4_zeros,
    blank_zeros,
    by_line,
    closed_cells,
    opened_cells,
    render,
    with_table4_values,
)

LAYOUTS: dict[str, Joiner] = {
    "opened": opened_cells,
    "closed": closed_cells,
    "opened_and_closed": lambda cells: opened_cells(cells) + "|\n",
    "opened_and_empty_line": lambda cells: opened_cells(cells) + "\n",
}


def _only_table4_so(report: AnnualReport, line_of: Joiner) -> str:
    """The report tab-separated, but table 四 (heads and figures) a cell a line."""
    tabs = render(report, sep="\t")
    head, heading, tail = tabs.partition("四、政府信息公开行政复议")
    return head + by_line(heading + tail, line_of)


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_no_cell_is_misread_when_blanks_end_both_sides(
    seed: AnnualReport, layout: str, case: str
) -> None:
    printed = blank_table4_zeros(blank_zeros(with_table4_values(seed, TABLE4_CASES[case])))
    parsed = parse_text(_only_table4_so(printed, LAYOUTS[layout]), source=f"{layout}.txt")
    assert parsed.report is not None, parsed.reason
    misread = [
        (table.code, row, column, value)
        for table in FORMAT_2021.tables
        for row, cells in parsed.report.tables[table.code].items()
        for column, value in cells.items()
        if value is not None and value != printed.tables[table.code][row][column]
    ]
    assert misread == []
    assert parsed.report.tables[T4] == printed.tables[T4]
    assert not [p for p in parsed.problems if p.table == T4]


ROW_WIDTH = 3


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        # One blank too many at each end: the 5 is the first, second or third cell.
        ("\t\t5\t\t", ["", "5", "", ""]),
        # Two too many, blanks at both ends: the numbers may shift by one either way.
        ("\t\t1\t2\t\t", ["", "1", "2", "", ""]),
        ("\t\t\t1\t2\t", ["", "", "1", "2", ""]),
    ],
)
def test_cell_parts_keeps_both_ends_when_they_could_be_dropped_either_way(
    run: str, expected: list[str]
) -> None:
    assert grid._cell_parts([run], ROW_WIDTH) == expected


def test_a_row_whose_blanks_could_be_dropped_either_way_is_unread_and_said_so() -> None:
    table = FORMAT_2021.section2[0]
    row = table.cell_rows[0]
    read = grid.read_table(table, {row.code: ["\t\t5\t\t"]})
    assert read.cells[row.code] == dict.fromkeys(read.cells[row.code])
    (problem,) = [p for p in read.problems if p.row == row.code]
    assert problem.code == "too_many_cells"
    assert problem.code in UNREAD_CODES
    assert "两端都有空白单元格" in problem.message


# Table 四's row: three groups of five, the last of each their total.
T4_GROUPS = ((4, (0, 1, 2, 3)), (9, (5, 6, 7, 8)), (14, (10, 11, 12, 13)))


@pytest.mark.parametrize(
    ("cells", "lead", "trail"),
    [
        (["", "1", "1", "", "2", "1", "", "", "", "1", "", "", "", "", ""], 1, 1),
        (["", "1", "1", "", "2", "1", "", "", "", "1", "", "", "", "", ""], 2, 1),
        (["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""], 1, 2),
    ],
)
def test_cell_parts_places_a_row_where_only_one_way_keeps_its_totals(
    cells: list[str], lead: int, trail: int
) -> None:
    """Any other way puts a member beside a blank total: one way left, the cells are read."""
    run = "\t" * (lead + 1) + "\t".join(cells) + "\t" * trail
    assert grid._cell_parts([run], 15, T4_GROUPS) == cells


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        # Blanks only at the end: a spanning cell's, dropped.
        ("\t1\t\t2\t\t", ["1", "", "2"]),
        # Blanks at both ends but only one way to come to the row's cells.
        ("\t\t1\t2\t3\t", ["1", "2", "3"]),
        ("\t\t\t2\t3", ["", "2", "3"]),
        # Exactly the row's cells, blank at both ends: a blank first and last cell.
        ("\t\t5\t", ["", "5", ""]),
    ],
)
def test_cell_parts_still_reads_a_run_with_one_way_to_its_cells(
    run: str, expected: list[str]
) -> None:
    assert grid._cell_parts([run], ROW_WIDTH) == expected
