"""Rows of cells a line each told apart by a lone pipe alone, read in full, never misread.

A crawler prints every cell on a line of its own (「规章 |」「0 |」, a blank cell as a bare
「|」) and opens each row with a lone pipe (「|」「规章 |」…) or closes it with one, with no
line of pipes to end it. Table 四's row of figures has no label: the lone pipe between its
heads and its figures used to be read as a blank first cell, and where its last cells are blank
(a unit that prints blanks for zeros) nothing trimmed it again, so every number shifted by
one cell (wrong numbers read, 26 cells over the corpus laid out so). With cells closed by a
pipe on the line below (「0」「|」「」「|」「|」「行政许可」「|」), the pipe that opens a row
came right after the last cell's own and was read as one more blank cell, the same way; and
with an empty line ending each row (「0 |」「」「|」「行政许可 |」), once a lone pipe after an
empty line was read as a blank first cell. Rows both opened and closed by a lone pipe have two
between them, and table 四's figures shifted by two. Cells closed a line below, rows ended by
an empty line and opened by a lone pipe: the two read as one blank cell closed below.

Built on the seed's cells (``synth.lone_pipe_rows``), with table 四 as the corpus prints it.
"""

from __future__ import annotations

import time

import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2021
from gongkai.core.model import AnnualReport
from gongkai.core.parse.text import parse_text, untabulate
from tests.parse.synth import (
    TABLE4_CASES,
    Joiner,
    cell_lines,
    closed_cells,
    lone_pipe_rows,
    opened_cells,
    with_table4_values,
)

LAYOUT_NAMES = [
    f"{name}{blank}"
    for name in (
        "每行竖线开头",
        "每行竖线结尾",
        "竖线在下一行且每行竖线开头",
        "竖线在下一行且每行竖线结尾",
        "每行竖线开头且空行结尾",
        "每行竖线开头且竖线结尾",
        "竖线在下一行且每行竖线开头且空行结尾",
    )
    for blank in ("", "·空白代零")
]


def test_the_layout_names_are_those_of_synth(seed: AnnualReport) -> None:
    assert sorted(lone_pipe_rows(seed)) == sorted(LAYOUT_NAMES)


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_cell_is_read_as_printed(seed: AnnualReport, name: str, case: str) -> None:
    report = with_table4_values(seed, TABLE4_CASES[case])
    text, printed = lone_pipe_rows(report)[name]
    parsed = parse_text(text, source=f"{name}.txt")
    assert parsed.report is not None, parsed.reason
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == printed.tables[table.code], table.code
    result = audit_parsed(f"{name}.txt", "text", parsed)
    assert not [f.message for f in result.findings if f.severity is Severity.ERROR]


HEADS = ["行政复议结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
FIGURES = ["", "5", "", "", "5", "", "", "", "", "", "", "", "", "", ""]
ROWS = [["规章", "0", "1"], ["行政许可", "2", ""], ["行政处罚", "3", "4"]]


CELLS = "\t5\t\t\t5" + "\t" * 11  # FIGURES, each cell ended by a tab


@pytest.mark.parametrize(
    ("line_of", "figures"),
    [
        # Rows opened or closed by a lone pipe: the one between the heads and the figures is
        # where the figures start, and is no cell (a closing one after them is a blank piece).
        (opened_cells, "\n" + CELLS),
        (closed_cells, "\n" + CELLS + "\t"),
        # Opened and closed by one, two between rows: both start the figures.
        (lambda cells: opened_cells(cells) + "|\n", "\n" + CELLS + "\t"),
        # Without such pipes, a lone pipe after the heads is the blank first figure.
        (cell_lines, CELLS),
    ],
    ids=["opened", "closed", "both", "neither"],
)
def test_untabulate_starts_table4_figures_after_the_row_pipe(line_of: Joiner, figures: str) -> None:
    text = "".join(line_of(row) for row in [*ROWS, HEADS, FIGURES]) + "五、存在的主要问题"
    assert untabulate(text).endswith("总计\t" + figures + "\n五、存在的主要问题")


def test_long_runs_of_digits_in_cell_lines_are_read_in_linear_time() -> None:
    """Each cell is looked at to tell figures from labels; a hostile cell of 20,000 digits and a
    letter took 45 s with one pattern that backtracks (quadratic), well under a second now."""
    text = ("1" * 20_000 + "a |\n|\n" + "2" * 20_000 + "b |\n") * 3
    start = time.process_time()
    untabulate(text)
    assert time.process_time() - start < 5
