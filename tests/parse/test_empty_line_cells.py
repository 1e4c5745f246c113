"""Blank cells printed as empty lines among cells printed a line each: read, never misread.

A crawler that prints every cell on a line of its own (「规章 |」「0 |」) may print a blank
cell as an empty line (「规章 |」「」「」「3 |」) rather than a bare pipe. The empty line used to
end the row's cells there and vanish: a row with blanks for zeros read its total into a member
column (「23」「」…「」「23」 read as 23 and 23), up to 383 wrong numbers over the corpus laid
out so. Between two lines of cells an empty line is now a blank cell, unless the page puts an
empty line after every line. At table 四's end, before prose, the empty lines are its blank last
cells when the row, so completed, is read one way only; else they are left unread, never
shifted. Where rows are opened by an
empty line and closed by a lone pipe, that empty line is read as a blank cell too, and counted
with the pipe as the two that tell rows apart (table 四's figures start after both).
"""

from __future__ import annotations

import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2021, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse.result import UNREAD_CODES
from gongkai.core.parse.text import parse_text, untabulate
from tests.parse.synth import (
    TABLE4_CASES,
    blank_table4_zeros,
    blank_zeros,
    by_line,
    cell_lines,
    cells_over_pipes,
    empty_line_blanks,
    render,
    with_table4_values,
)

# Table 四's blank last cells come before prose: empty lines after the last line of cells.
OPEN_ENDED = ("空行代空格", "空行代空格且每行竖线开头")
LAYOUT_NAMES = [
    f"{name}{blank}"
    for name in (
        *OPEN_ENDED,
        "空行代空格且行尾补竖线",
        "空行代空格且每行竖线结尾",
        "空行代空格且每行竖线开头结尾",
        "空行代空格且每行空行开头竖线结尾",
    )
    for blank in ("", "·空白代零")
]


def test_the_layout_names_are_those_of_synth(seed: AnnualReport) -> None:
    assert sorted(empty_line_blanks(seed)) == sorted(LAYOUT_NAMES)


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_cell_is_read_as_printed(seed: AnnualReport, name: str, case: str) -> None:
    report = with_table4_values(seed, TABLE4_CASES[case])
    text, printed = empty_line_blanks(report)[name]
    parsed = parse_text(text, source=f"{name}.txt")
    assert parsed.report is not None, parsed.reason
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == printed.tables[table.code], table.code
    result = audit_parsed(f"{name}.txt", "text", parsed)
    assert not [f.message for f in result.findings if f.severity is Severity.ERROR]


# Table 四 of 022 (a real 江苏 report): its totals do not add up (10 and 1 upheld and
# corrected, total 0), so no sum tells where its cells go.
TABLE4_WRONG_TOTALS = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]


@pytest.mark.parametrize("name", [f"{name}·空白代零" for name in OPEN_ENDED])
def test_table4_blank_last_cells_before_prose_are_read_or_left_unread(
    seed: AnnualReport, name: str
) -> None:
    """With blanks for zeros, the row's last four cells are the empty lines before section 五.
    Where the row's cells are where the lines put them, the row is read as printed (its blank
    totals said to be blank); where a lone pipe opens the row (a blank first cell, or only the
    row's opening), only sums could tell, and they do not add up: unread, never shifted."""
    report = with_table4_values(seed, TABLE4_WRONG_TOTALS)
    text, printed = empty_line_blanks(report)[name]
    parsed = parse_text(text, source=f"{name}.txt")
    assert parsed.report is not None
    read, want = parsed.report.tables[T4], printed.tables[T4]
    if name.startswith("空行代空格且每行竖线开头"):
        assert not [
            (row, column)
            for row, cells in read.items()
            for column, value in cells.items()
            if value is not None and value != want[row][column]
        ]
        assert any(p.table == T4 and p.code in UNREAD_CODES for p in parsed.problems)
        return
    assert read == want
    result = audit_parsed(f"{name}.txt", "text", parsed)
    totals = [f.message for f in result.findings if f.rule == "t4.group_total"]
    assert len(totals) == 1 and "因单元格空白，无法核对总计" in totals[0]  # blank, as printed


def test_untabulate_empty_lines_between_cells() -> None:
    # Between lines of cells, each empty line is a blank cell (on a page that prints two or
    # more blank cells so before a figure).
    text = "规章 |\n\n\n3 |\n行政许可 |\n\n0 |\n行政处罚 |\n5 |\n说明"
    assert untabulate(text) == "规章\t\t\t3\t行政许可\t\t0\t行政处罚\t5\t\n说明"
    # An empty line after every line is spacing, no cell.
    spaced = untabulate("规章 |\n\n0 |\n\n3 |\n\n行政许可 |\n\n1 |\n\n2 |")
    assert "\t\t" not in spaced
    # Between rows of cells (a markdown table's), an empty line is no cell either.
    rows = untabulate("| 规章 | 0 |\n\n| 行政许可 | 1 |\n| 行政处罚 | 2 |\n| 行政强制 | 3 |")
    assert rows == "规章\t0\n\n行政许可\t1\n行政处罚\t2\n行政强制\t3"


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("opened", [False, True])
def test_a_blank_cell_closed_below_is_one_cell(seed: AnnualReport, case: str, opened: bool) -> None:
    """Cells closed by a pipe on the line below (「1」「|」), a blank one an empty line closed
    so, each row ended by a line of pipes: an empty line after that line and before its pipe is
    one blank cell, not a blank cell of its own and one more (table 四's figures shifted)."""
    printed = blank_table4_zeros(blank_zeros(with_table4_values(seed, TABLE4_CASES[case])))
    opening = "|\n" if opened else ""
    text = by_line(
        render(printed, sep="\t"), lambda cells: opening + cells_over_pipes(cells) + "||||\n"
    )
    parsed = parse_text(text, source="closed_below.txt")
    assert parsed.report is not None
    read, want = parsed.report.tables[T4], printed.tables[T4]
    assert not [
        (row, column)
        for row, cells in read.items()
        for column, value in cells.items()
        if value is not None and value != want[row][column]
    ]


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("blank", [False, True])
def test_an_empty_line_between_rows_of_bare_pipe_blanks_is_no_cell(
    seed: AnnualReport, case: str, blank: bool
) -> None:
    """Blank cells as bare pipes (「|」) and an empty line after each row: the empty line tells
    where a row ends, and between table 四's heads and its figures it is no blank cell (it was
    taken for one once empty lines were read as blank cells, and the figures shifted); a lone
    pipe after it is the figures' blank first cell (it was kept as a line of its own, and the
    table read as having no figures at all)."""
    printed = with_table4_values(seed, TABLE4_CASES[case])
    if blank:
        printed = blank_table4_zeros(blank_zeros(printed))
    text = by_line(render(printed, sep="\t"), lambda cells: cell_lines(cells) + "\n")
    parsed = parse_text(text, source="rows_apart.txt")
    assert parsed.report is not None
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == printed.tables[table.code], table.code
