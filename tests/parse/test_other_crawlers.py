"""More layouts that crawlers print, read in full or left honestly unread, never misread.

Pages of township and county reports from other provinces, as other crawlers stored them:
- every row with pipes but not the leading one, and at its end the blank cells that a page's
  spanning columns leave (「规章 | 0 | 0 | 0 | ||」, a header row's too);
- every cell on a line of its own and its closing pipe on the line below (「规章」「|」「0」
  「|」);
- every cell a line (「0 |」), each row ended by a line of pipes (「||||||||||」), and opened by
  a lone pipe of its own on some pages (「|」「规章 |」…「||」);
- with blanks for zeros in tables 三 and 四, so that table 四's line of numbers may start
  with a blank cell (「 | 1 | 1 |  | 2 |」) and end with blank ones.

Built on the seed's cells (``synth.crawled``); the accuracy benchmark lays every corpus report
out the same way. A header row's padding used to run on into table 四's numbers and shift
them (wrong numbers read), and cells closed by a pipe a line below were not read at all.
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
    cells_over_pipes,
    crawled,
    padded_cell_lines,
    padded_pipe_row,
    render,
    with_table4_values,
)

LAYOUT_NAMES = [
    "竖线无行首且行尾补空",
    "竖线无行首且行尾补空·空白代零",
    "竖线在下一行",
    "竖线在下一行·空白代零",
    "每格一行且行尾补竖线",
    "每格一行且行尾补竖线·空白代零",
    "每行竖线开头且行尾补竖线",
    "每行竖线开头且行尾补竖线·空白代零",
]


def test_the_layout_names_are_those_of_synth(seed: AnnualReport) -> None:
    assert sorted(crawled(seed)) == sorted(LAYOUT_NAMES)


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_cell_is_read_as_printed(seed: AnnualReport, name: str, case: str) -> None:
    report = with_table4_values(seed, TABLE4_CASES[case])
    text, printed = crawled(report)[name]
    parsed = parse_text(text, source=f"{name}.txt")
    assert parsed.report is not None, parsed.reason
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == printed.tables[table.code], table.code
    result = audit_parsed(f"{name}.txt", "text", parsed)
    assert not [f.message for f in result.findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
def test_table4_on_its_own_tab_line_keeps_a_blank_first_cell(seed: AnnualReport, case: str) -> None:
    """Tab-separated, table 四's numbers on the line under its heads: the line has no label,
    so its first piece is a cell even when blank (it used to be taken for the label's tab)."""
    printed = blank_table4_zeros(with_table4_values(seed, TABLE4_CASES[case]))
    parsed = parse_text(render(printed, sep="\t"), source="tabs.txt")
    assert parsed.report is not None
    assert parsed.report.tables[T4] == printed.tables[T4]


@pytest.mark.parametrize("sep", [" ", ""])
@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
def test_table4_with_blanks_run_together_is_unread_and_said_so(
    seed: AnnualReport, case: str, sep: str
) -> None:
    """One line of 15 numbers with blanks for zeros, spaced or joined: where the blanks were is
    not written, so the table is left unread with a problem that says so, never misread."""
    printed = blank_table4_zeros(blank_zeros(with_table4_values(seed, TABLE4_CASES[case])))
    parsed = parse_text(render(printed, sep=sep), source="flat.txt")
    assert parsed.report is not None
    read = parsed.report.tables[T4]
    wrong = [
        (row, column)
        for row, cells in read.items()
        for column, value in cells.items()
        if value is not None and value != printed.tables[T4][row][column]
    ]
    assert not wrong
    if read != printed.tables[T4]:
        assert any(p.table == T4 and p.code in UNREAD_CODES for p in parsed.problems)


def test_untabulate_closing_pipes_a_line_below() -> None:
    # A cell closed by the pipe under it; an empty line closed so is a blank cell.
    assert untabulate("规章\n|\n0\n|\n\n|\n5\n|\n说明") == "规章\t0\t\t5\t\n说明"
    # A lone pipe under a line of prose closes it too; a line of several pipes does not.
    assert untabulate("甲\n|||\n乙") == "甲\n乙"


def test_untabulate_padding_ends_a_row() -> None:
    # A line of pipes ends the row of cells a line each; a lone pipe after it is a blank cell.
    assert untabulate("总计 |\n|||\n|\n1 |\n||") == "总计\t\t\t\t\n\t1\t\t\t"
    # Rows without a leading pipe: one that starts with a pipe starts with a blank cell.
    assert untabulate("规章 | 0 | ||\n | 1 | 2 |\n行政许可 | 3 |") == (
        "规章\t0\t\t\n\t1\t2\n行政许可\t3"
    )
    # Markdown rows all start with a pipe: the leading one is no cell.
    assert untabulate("| 规章 | 0 |\n| 1 | 2 |") == "规章\t0\n1\t2"


def test_untabulate_rows_opened_by_a_pipe() -> None:
    # Rows that open with a lone pipe after a row's end: that pipe is no cell, a lone pipe
    # after it is a blank first cell.
    text = "|\n信息内容 |\n数量 |\n||\n|\n规章 |\n0 |\n||\n|\n行政许可 |\n3 |\n||\n|\n|\n5 |\n||"
    assert untabulate(text) == (
        "|\n信息内容\t数量\t\t\t\n规章\t0\t\t\t\n行政许可\t3\t\t\t\n\t5\t\t\t"
    )
    # Without such rows, a lone pipe after a row's end is the next row's blank first cell.
    assert untabulate("总计 |\n||\n|\n1 |\n||") == "总计\t\t\t\n\t1\t\t\t"


def test_helpers_print_the_shapes_of_the_pages() -> None:
    assert padded_pipe_row(["规章", "0", ""]) == "规章 | 0 |  | ||\n"
    assert cells_over_pipes(["规章", ""]) == "规章\n|\n\n|\n"
    assert padded_cell_lines(["0"]) == "0 |\n||||||||||\n"
