"""The rules' fast path: per-format lookups computed once, and C-speed checks of the common case.

Most reports are consistent, so each rule first asks a question answered by a few C-level calls
(``map``, ``sum``, ``min``, ``itemgetter``) over a table flattened once per report: "does every
total hold and is nothing blank?". Only when the answer is no does the rule run its detailed,
readable pass, which finds the same problems and names them. The detailed pass alone is always
right; the fast path only skips it when it would find nothing. ``tests/core/test_rules_fast.py``
checks, on random reports, that switching the fast path off changes no finding.

Every predicate here answers True only when it is sure; a blank cell (``None``) makes ``sum``
and ``min`` raise ``TypeError``, which is caught and answered with False.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import Any

from gongkai.core.formats import ValueKind, get_format
from gongkai.core.model import CellValue, TableCells
from gongkai.core.names import Cell

Getter = Callable[[dict[str, CellValue]], Any]
TotalColumn = tuple[str, tuple[str, ...], Getter]


def flatten(cells: TableCells) -> list[CellValue]:
    """Every value of a table, row after row."""
    return list(chain.from_iterable(map(dict.values, cells.values())))


def getter(keys: tuple[str, ...]) -> Getter:
    """``itemgetter`` that returns a tuple even for one key."""
    if len(keys) == 1:
        key = keys[0]
        return lambda mapping: (mapping[key],)
    return itemgetter(*keys)


@cache
def total_columns(version: str, table_code: str) -> tuple[TotalColumn, ...]:
    """Total columns with their parts, and a C-speed getter of the parts."""
    table = get_format(version).table(table_code)
    return tuple((c.code, c.sum_of, getter(c.sum_of)) for c in table.columns if c.sum_of)


def totals_hold(totals: tuple[TotalColumn, ...], cells: TableCells) -> bool:
    """Every total column of every row holds and nothing is blank."""
    rows = cells.values()
    try:
        return all(
            list(map(sum, map(get_parts, rows))) == list(map(itemgetter(total), rows))
            for total, _, get_parts in totals
        )
    except TypeError:  # a blank cell: let the detailed pass name it
        return False


def row_sums_hold(
    get_columns: Getter, cells: TableCells, parts: tuple[str, ...], total: str
) -> bool:
    """A total row equals, in every column, the sum of its member rows; nothing is blank."""
    by_column: Any = zip(*(get_columns(cells[m]) for m in parts), strict=True)
    try:
        return list(map(sum, by_column)) == list(get_columns(cells[total]))
    except TypeError:
        return False


def plain_counts_table(values: list[CellValue]) -> bool:
    """A whole table of whole, non-negative numbers with no blank."""
    flat: Any = values
    try:
        return bool(min(flat) >= 0 and type(sum(flat)) is int)
    except TypeError:  # a blank: check row by row
        return False


def plain_counts(values: dict[str, CellValue]) -> bool:
    """A row of whole, non-negative numbers (blanks allowed). ``min`` fails on a blank, so the
    blank-free common case costs two C calls."""
    row: Any = values.values()
    try:
        return bool(min(row) >= 0 and type(sum(row)) is int)
    except TypeError:
        numbers = [v for v in row if v is not None]
        return not numbers or (min(numbers) >= 0 and type(sum(numbers)) is int)


def no_blank(values: list[CellValue]) -> bool:
    return None not in values


@cache
def cell_kinds(version: str) -> tuple[tuple[str, tuple[tuple[str, ValueKind], ...], bool], ...]:
    """Per table: each column's kind, and whether every column holds plain counts."""
    return tuple(
        (
            t.code,
            tuple((c.code, c.kind) for c in t.columns),
            all(c.kind is ValueKind.COUNT for c in t.columns),
        )
        for t in get_format(version).tables
    )


@cache
def wan_yuan_cells(version: str) -> tuple[Cell, ...]:
    return tuple(
        (t.code, r.code, c.code)
        for t in get_format(version).tables
        for r, c in t.cells()
        if c.kind is ValueKind.WAN_YUAN
    )
