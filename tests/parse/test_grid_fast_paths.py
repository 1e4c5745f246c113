"""The grid reader's fast paths give exactly what its general path gives.

:func:`grid.read_row` reads a row of one cell per column, each plain digits or empty, at once
(:func:`grid._read_plain`); :func:`grid.read_tables` reads the label cells of a row once per
distinct run of them; :func:`labels.in_traditional_script` rules a text out by two characters
before searching for the words. Each is compared here with the general path it stands for, on
generated rows and texts full of what would make them differ.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.formats import FORMATS, Row
from gongkai.core.parse import grid, labels

_TABLES = [(fmt, table) for fmt in FORMATS.values() for table in fmt.tables]

# Cells a row of numbers holds, and what would make a cell not plain.
_PLAIN = st.sampled_from(["", "0", "7", "12", "007", "123456789012345", "1234567890123456"])
_CELL = st.one_of(
    _PLAIN,
    st.sampled_from([" 3", "3 ", "-", "/", "无", "1,234", "3.5", "-2", "+4", "５", "²", "12元"]),
    st.text(alphabet="0123456789 \t-.元", max_size=18),
)


@st.composite
def _rows(draw: st.DrawFn) -> tuple[int, list[str]]:
    index = draw(st.integers(0, len(_TABLES) - 1))
    width = len(_TABLES[index][1].columns)
    count = draw(st.sampled_from([width, width, width - 1, width + 1, 1]))
    cell = draw(st.sampled_from([_PLAIN, _CELL]))  # rows of plain cells, and rows mixed
    return index, draw(st.lists(cell, min_size=max(count, 0), max_size=max(count, 0)))


def _general(table, row: Row, parts: list[str], shape) -> grid._RowReading:  # type: ignore[no-untyped-def]
    plain = grid._read_plain
    grid._read_plain = lambda parts, shape: None  # type: ignore[assignment]
    try:
        return grid.read_row(table, row, parts, shape)
    finally:
        grid._read_plain = plain


@settings(max_examples=400, deadline=None)
@given(_rows())
def test_plain_row_reads_as_the_general_path(drawn: tuple[int, list[str]]) -> None:
    index, parts = drawn
    _fmt, table = _TABLES[index]
    shape = grid.row_shape(table)
    for row in table.cell_rows[:1]:
        assert grid.read_row(table, row, parts, shape) == _general(table, row, parts, shape)


@settings(max_examples=400, deadline=None)
@given(_rows())
def test_plain_row_is_what_read_separate_reads(drawn: tuple[int, list[str]]) -> None:
    index, parts = drawn
    shape = grid.row_shape(_TABLES[index][1])
    if len(parts) != shape.width:
        return  # (read_row asks only of a row of one cell per column)
    plain = grid._read_plain(parts, shape)
    if plain is not None:
        units: list[tuple[int, str]] = []
        assert grid._read_separate([p.strip() for p in parts], shape, units) == plain
        assert not units
        assert any(parts)


def test_plain_rows_take_the_fast_path() -> None:
    """The common rows are the fast path's: a test of nothing would pass the others."""
    fmt = FORMATS["2021"]
    table = next(t for t in fmt.tables if len(t.columns) == 7)
    shape = grid.row_shape(table)
    assert grid._read_plain(["821", "35", "", "", "2", "1", "859"], shape) == (
        821,
        35,
        None,
        None,
        2,
        1,
        859,
    )


_LABEL = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "三、本年度办理结果",
            "（三）不予公开",
            "1.属于国家秘密",
            "2.其他法律行政止公开",
            "4.无正当理由大量反复",
            "申请",
            "行政复议",
            "结果维持",
            "总计",
            "12",
            "（七）总计",
            "一、本年新收政府信息公开申请数量",
        ]
    ),
    st.text(alphabet="一二三（）、.0123456789公开申请不予处理总计 ", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), st.lists(_LABEL, max_size=5), st.booleans())
def test_label_cells_read_as_before(version: str, head: list[str], as_list: bool) -> None:
    fmt = FORMATS[version]
    found, names_t4_header, hit = grid._label_cells(head if as_list else tuple(head), version)
    expected = [c for c in head if c.strip()]
    assert list(found) == expected
    assert names_t4_header == any(map(grid._names_t4_header, expected))
    assert hit == (grid._match_any(expected, fmt.version) if expected else None)
    # Past the length remembered, the same answer uncached.
    assert grid._read_label_cells(tuple(head), version) == (found, names_t4_header, hit)


_PROSE = st.text(alphabet="公開申請开请开放政府信息年度報告报告", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_PROSE)
def test_traditional_script_told_as_by_the_words(text: str) -> None:
    expected = any(word in text for word in labels._TRADITIONAL_WORDS)
    assert labels.in_traditional_script(text) == expected
