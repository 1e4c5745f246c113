"""Layouts that crawlers and page-to-text converters print, read in full.

Real pages turned into text by other crawlers than the corpus's print their tables in ways of
their own: each row with pipes but without the leading one (「规章 | 0 | 0 | 0 |」), or every
cell on a line of its own (「规章 |」「0 |」), a blank cell as a bare 「|」; units print blank
cells for zeros, so a tab-separated row may start with blank cells; and table 四's column
heads come in pieces (「结果 结果 其他 尚未 总」 over 「维持 纠正 结果 审结 计」) or one
character a line, under prose that has figures of its own (「2020年，未出现……」). Built on
the seed's cells, as in ``test_layouts_more``: every cell must be read back, a blank cell must
stay blank, and the audit of the consistent report must hold no error.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import COL_TOTAL, FORMAT_2021, T3, T3_NEW, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse.grid import read_table
from gongkai.core.parse.text import parse_text, untabulate
from tests.parse.synth import (
    HEADS_A_CHARACTER_A_LINE,
    HEADS_IN_PIECES,
    T4_HEADING,
    blank_zeros,
    by_line,
    cell_lines,
    markdown_row,
    pipe_row,
    relaid,
    render,
    with_table4,
)


def _read(text: str, expected: AnnualReport) -> None:
    parsed = parse_text(text, source="layout.txt")
    assert parsed.report is not None, parsed.reason
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == expected.tables[table.code], table.code
    result = audit_parsed("layout.txt", "text", parsed)
    errors = [f.message for f in result.findings if f.severity is Severity.ERROR]
    assert not errors


# -- pipes --------------------------------------------------------------------------------------


def test_rows_without_their_leading_pipe(seed: AnnualReport) -> None:
    text = by_line(render(seed, sep="\t"), pipe_row)
    assert "规章 | " in text
    _read(text, seed)


def test_every_cell_on_a_line_of_its_own(seed: AnnualReport) -> None:
    text = by_line(render(seed, sep="\t"), cell_lines)
    assert "\n规章 |\n" in text
    _read(text, seed)


def test_blank_cells_as_bare_pipes_keep_their_place(seed: AnnualReport) -> None:
    blanked = blank_zeros(seed)
    text = by_line(render(blanked, sep="\t"), cell_lines)
    assert "\n|\n|\n" in text
    _read(text, blanked)


def test_untabulate_lines() -> None:
    assert untabulate("规章 | 0 | 0 | 3 |") == "规章\t0\t0\t3"
    # Cells a line each are one line of cells; k bare pipes are k blank cells (two or more
    # on a line also end the line: a row's padding, test_other_crawlers).
    assert untabulate("规章 |\n0 |\n|\n5 |\n说明") == "规章\t0\t\t5\t\n说明"
    assert untabulate("规章 |\n0 |\n|\n||\n5 |\n说明") == "规章\t0\t\t\t\t\n5\t\n说明"
    # Pipes only, outside such cells: an empty row, dropped (a lone pipe is left as it is).
    assert untabulate("甲\n|||\n乙") == "甲\n乙"
    # Prose with a pipe inside, not at an end, is no table.
    assert untabulate("公开|透明|便民。") == "公开|透明|便民。"
    # Made-up column names are still dropped in the new shape.
    assert untabulate("列1 | 列2 | 列3 |\n规章 | 1 | 2 |") == "规章\t1\t2"


# -- blank cells for zeros ------------------------------------------------------------------


def test_tab_rows_that_start_with_blank_cells(seed: AnnualReport) -> None:
    blanked = blank_zeros(seed)
    text = render(blanked, sep="\t")
    assert re.search(r"上年结转政府信息公开申请数量\t\t", text)
    _read(text, blanked)


def test_pipe_rows_that_start_with_blank_cells(seed: AnnualReport) -> None:
    blanked = blank_zeros(seed)
    text = by_line(render(blanked, sep="\t"), markdown_row)
    _read(text, blanked)


# -- table 四's heads ----------------------------------------------------------------------


@pytest.mark.parametrize("heads", [HEADS_IN_PIECES, HEADS_A_CHARACTER_A_LINE])
def test_table4_heads_in_pieces(seed: AnnualReport, heads: str) -> None:
    _read(with_table4(seed, heads), seed)


def test_table4_under_prose_with_figures(seed: AnnualReport) -> None:
    prose = "2021 年，本单位未出现因政府信息公开申请行政复议、提起行政诉讼的情况。\n"
    _read(with_table4(seed, HEADS_IN_PIECES, prose=prose), seed)


def test_a_figure_in_a_sentence_is_no_table4(seed: AnnualReport) -> None:
    """Under the heading only prose: 「行政复议 1 件」 is not read as the table."""
    text = render(seed, sep="\t")
    start = text.index(T4_HEADING) + len(T4_HEADING)
    end = text.index("五、", start)
    text = text[:start] + "2021年共发生行政复议 1 件，行政诉讼 0 件。\n" + text[end:]
    parsed = parse_text(text, source="layout.txt")
    assert parsed.report is not None
    assert all(v is None for cells in parsed.report.tables[T4].values() for v in cells.values())
    assert any(p.code == "missing_table" and p.table == T4 for p in parsed.problems)


def test_a_page_of_head_words_is_read_quickly(seed: AnnualReport) -> None:
    text = render(seed, sep="\t")
    start = text.index(T4_HEADING) + len(T4_HEADING)
    end = text.index("五、", start)
    # Each word is a head; what follows the last is no number: every word is tried.
    text = text[:start] + "行政复议 " * 40_000 + "、1\n" + text[end:]
    began = time.process_time()
    parsed = parse_text(text, source="layout.txt")
    assert time.process_time() - began < 5
    assert parsed.report is not None


# -- bad input ----------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "|",
        "｜",
        "||",
        "\n",
        " ",
        "\t",
        "0",
        "12",
        "-",
        "规章",
        "行政复议",
        "结果",
        "维持",
        "总",
        "计",
        "四、政府信息公开行政复议、行政诉讼情况\n",
        "一、本年新收政府信息公开申请数量",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(_PIECES, max_size=300))
def test_pipes_and_heads_at_random_never_raise(seed: AnnualReport, pieces: list[str]) -> None:
    """Any mix of pipes, heads and digits inside a real report is read or refused, never a
    crash, and a table 四 read from it has only cells of its kind."""
    text = render(seed, sep="\t")
    start = text.index(T4_HEADING)
    text = text[:start] + "".join(pieces) + text[start:]
    parsed = parse_text(untabulate(text), source="random.txt")
    if parsed.report is not None:
        for cells in parsed.report.tables[T4].values():
            assert all(v is None or (isinstance(v, int) and v >= 0) for v in cells.values())


def test_a_long_run_of_cells_a_line_each_is_read_in_linear_time() -> None:
    """Lines of one cell each are joined once, not line by line (quadratic: 9 s for 400,000
    lines). Four times the lines take about four times as long, not sixteen: the ratio, not
    a bound in seconds, since the suite also runs under coverage's tracer."""

    def seconds(lines: int) -> float:
        best = float("inf")
        for _ in range(2):
            began = time.process_time()
            joined = untabulate("0 |\n" * lines)
            best = min(best, time.process_time() - began)
        assert joined == "0\t" * lines + "\n"
        return best

    assert seconds(200_000) < 8 * seconds(50_000)


# -- every layout, as the accuracy benchmark re-lays the corpus -------------------------------


def test_every_relaid_layout_reads_every_total(seed: AnnualReport) -> None:
    """Each layout of ``synth.relaid``: every 总计 of table 三 read, every other cell read as
    printed or left unread (blanks joined away cannot be placed), and no error."""
    for name, (text, printed) in relaid(seed).items():
        parsed = parse_text(text, source=f"{name}.txt")
        assert parsed.report is not None, name
        for code, cells in parsed.report.tables[T3].items():
            for column, value in cells.items():
                want = printed.tables[T3][code][column]
                assert value == want or (value is None and column != COL_TOTAL), (name, code)
        assert parsed.report.tables[T4] == printed.tables[T4], name
        result = audit_parsed(f"{name}.txt", "text", parsed)
        assert not [f.message for f in result.findings if f.severity is Severity.ERROR], name


def test_a_row_of_300000_blank_cells_is_read_at_once() -> None:
    """Blank pieces are skipped by index: popping them off the head one by one took 10 s."""
    began = time.process_time()
    read = read_table(FORMAT_2021.table3, {T3_NEW: ["\t" * 300_001 + "5\t"]})
    assert time.process_time() - began < 2
    # Its last seven pieces are the row: six blank cells and the total.
    assert read.cells[T3_NEW][COL_TOTAL] == 5
    assert sum(v is None for v in read.cells[T3_NEW].values()) == 6
