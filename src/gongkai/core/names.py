"""Chinese names of tables, rows, columns and cells, from the format declaration.

The one place that says how gongkai calls a part of the report in Chinese: the rules' messages,
the narrative checks, the parsers' messages and the renderers all take their names from here,
so that a cell is not called one thing by a rule and another by the page that shows it. Every
name is built from the declaration (:mod:`gongkai.core.formats`): labels, short names, section
numbers and block headers; nothing here spells a row out again.

Two forms, for two places:

- *message names* (:func:`row_name`, :func:`table_name_in_message`, :func:`cell_name`): how a
  finding's sentence calls a row, short enough for a sentence (「不予公开 1.属于国家秘密」,
  「其他处理 逾期未缴费」);
- *display names* (:func:`row_label`, :func:`table_name`, :func:`describe_cell`): how a report
  or a workbook heads a row or a cell, with the label as the published table prints it
  (「（六）其他处理 3.其他」).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache
from itertools import islice
from typing import Final

from gongkai.core.findings import WHOLE_ROW, CellRef
from gongkai.core.formats import (
    LITIGATION_GROUP_LABEL,
    ORGANISATION_COLUMNS,
    ORGANISATION_GROUP_LABEL,
    SECTIONS,
    T3,
    T3_RESULTS_TOTAL,
    T4,
    T4_LITIGATION_ROWS,
    ReportFormat,
    Row,
    Section,
    Table,
    get_format,
)

Cell = tuple[str, str, str]  # (table code, row code, column code)
Number = int | Decimal

# How many units (rows/columns) a list in a message names before "等".
NAME_LIMIT: Final = 5
# The numbering a table 三 label starts with: 一、 （四） 1.
_NUMBERING: Final = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def number(value: Number) -> str:
    """A figure as a message prints it: Decimals as written, never in exponent form."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def signed(value: Number) -> str:
    return ("+" if value >= 0 else "") + number(value)


# -- tables ---------------------------------------------------------------------------------------


def section_for(fmt: ReportFormat, table: Table) -> Section | None:
    """The section a table belongs to: 二 for the section 二 blocks, else the one it is titled."""
    for section in fmt.sections:
        if table in fmt.section2:
            if section.holds_tables and section.number == "二":
                return section
        elif section.heading == table.title or table.title in section.aliases:
            return section
    return None


def table_name(fmt: ReportFormat, table: Table) -> str:
    """How a page names a table: 「表三」 by its section number, or a section 二 block."""
    if table.header:
        return f"{table.header}（{table.title}）"
    section = section_for(fmt, table)
    return f"表{section.number}" if section else table.title


def titled_table_name(table: Table) -> str:
    """A table with its title, as the parsers' messages name it: 表三（收到和处理…情况）."""
    if table.header:
        return f"表二{table.header}（{table.title}）"
    number_ = next((s.number for s in SECTIONS if table.title in (s.heading, *s.aliases)), "")
    return f"表{number_}（{table.title}）"


@cache
def table_names_in_messages(version: str) -> dict[str, str]:
    """How a finding's sentence names each table: 表三, 表四, 第二部分第二十条第（一）项."""
    fmt = get_format(version)
    names = {}
    for table in fmt.tables:
        if table.header:
            names[table.code] = f"第二部分{table.header}"
        else:
            section = section_for(fmt, table)
            names[table.code] = f"表{section.number}" if section else table.title
    return names


# -- rows -----------------------------------------------------------------------------------------


@cache
def row_names(version: str) -> dict[tuple[str, str], str]:
    """Message names of rows: sub-rows carry their group ("不予公开 1.属于国家秘密")."""
    names: dict[tuple[str, str], str] = {}
    for table in get_format(version).tables:
        parent = ""
        for row in table.rows:
            if row.level <= 1:
                parent = row.name
                names[(table.code, row.code)] = row.name
            else:
                names[(table.code, row.code)] = f"{parent} {row.short or row.label}"
    return names


def row_name(version: str, table_code: str, row_code: str) -> str:
    return row_names(version)[(table_code, row_code)]


def enclosing_groups(table: Table, row: Row) -> tuple[Row, ...]:
    """The header rows (rows without cells) that a row sits under, outermost first."""
    groups: list[Row] = []
    for candidate in table.rows:
        if candidate is row:
            break
        while groups and groups[-1].level >= candidate.level:
            groups.pop()
        if not candidate.has_cells:
            groups.append(candidate)
    while groups and groups[-1].level >= row.level:
        groups.pop()
    return tuple(groups)


def row_label(table: Table, row: Row) -> str:
    """A row's label, qualified by its group where the label alone is ambiguous (「3.其他」).

    A short name that contains the label is already qualified (「行政诉讼（复议后起诉）」).
    """
    if row.short and row.label in row.short:
        return row.short
    groups = [g.label for g in enclosing_groups(table, row) if g.level > 0]
    return " ".join([*groups, row.label])


def numbered_row_name(row: Row) -> str:
    """A table 三 row as a reader finds it in the printed table: （四）无法提供, （七）总计."""
    if row.code == T3_RESULTS_TOTAL:
        return row.label
    match = _NUMBERING.match(row.label)
    prefix = match.group() if match else ""
    name = row.name
    return name if name.startswith(prefix) else prefix + name


def t4_row_name(table: Table, row_code: str) -> str:
    """A table 四 row with its group: 行政复议, 行政诉讼未经复议直接起诉."""
    row = table.row(row_code)
    return f"{LITIGATION_GROUP_LABEL}{row.label}" if row_code in T4_LITIGATION_ROWS else row.label


# -- cells ----------------------------------------------------------------------------------------


def cell_name(version: str, cell: Cell) -> str:
    """A cell in a finding's sentence: 表三「不予公开 1.属于国家秘密」「总计」."""
    table_code, row_code, column_code = cell
    table = get_format(version).table(table_code)
    row = row_name(version, table_code, row_code)
    column = table.column(column_code).label
    return f"{table_names_in_messages(version)[table_code]}「{row}」「{column}」"


def describe_cell(fmt: ReportFormat, ref: CellRef) -> str:
    """「表三「（六）其他处理 3.其他」「总计」」, or 「…」整行 for a whole row; codes as given
    when the format lacks the cell."""
    try:
        table = fmt.table(ref.table)
        row = table.row(ref.row)
        if ref.column == WHOLE_ROW:
            return f"{table_name(fmt, table)}「{row_label(table, row)}」整行"
        column = table.column(ref.column)
    except KeyError:
        return f"{ref.table}/{ref.row}/{ref.column}"
    return f"{table_name(fmt, table)}「{row_label(table, row)}」「{column.label}」"


def _in_group(table: Table, row: Row) -> str:
    """A table 三 row with its result category when it is one of its reasons:
    （四）无法提供 1.本机关不掌握相关政府信息 (「1.」 alone names eight rows of the table)."""
    name = numbered_row_name(row)
    if row.level < 2:
        return name
    for group in table.rows:
        if row.code in group.sum_of and not group.has_cells:
            return f"{numbered_row_name(group)} {name}"
    return name


def describe_cells(
    fmt: ReportFormat, table_code: str, rows: tuple[str, ...], columns: tuple[str, ...]
) -> str:
    """The sum of some cells as a reader finds them in the printed table: 表三（四）无法提供总计."""
    table = fmt.table(table_code)
    if table.header:
        row_part = "与".join(table.row(r).label for r in rows)
        column_part = "、".join(table.column(c).label for c in columns)
        return f"主动公开情况表（{table.header}）{row_part}{column_part}"
    if table_code == T4 and set(rows) == set(T4_LITIGATION_ROWS):
        labels = "与".join(table.row(r).label for r in T4_LITIGATION_ROWS)
        row_part = f"{LITIGATION_GROUP_LABEL}（{labels}）"
    elif table_code == T4:
        row_part = "与".join(t4_row_name(table, r) for r in rows)
    else:
        row_part = "与".join(_in_group(table, table.row(r)) for r in rows)
    if table_code == T3 and set(columns) == set(ORGANISATION_COLUMNS):
        column_part = ORGANISATION_GROUP_LABEL
    else:
        column_part = "、".join(table.column(c).label for c in columns)
    if row_part.endswith(column_part):
        column_part = ""
    return f"{table_names_in_messages(fmt.version)[table_code]}{row_part}{column_part}"


def blank_list(version: str, cells: list[Cell]) -> str:
    """Blank cells grouped by row: 表三「予以公开」（科研机构、总计）；…"""
    return _blank_list(version, tuple(cells))


# Several rules of one audit name the same blank cells (every rule that could not check a
# table for them), and reports leave the same cells blank (a column of 其他 never used): the
# sentence depends on nothing but the version (its format is a constant) and the cells.
@lru_cache(maxsize=256)
def _blank_list(version: str, cells: tuple[Cell, ...]) -> str:
    by_row: dict[tuple[str, str], list[str]] = {}
    for table_code, row_code, column_code in cells:
        columns = by_row.get((table_code, row_code))
        if columns is None:
            by_row[(table_code, row_code)] = [column_code]
        else:
            columns.append(column_code)
    # A rule can name hundreds of blank cells (a table printed empty): only the rows the
    # sentence shows are named, each from labels looked up once per format.
    tables, rows, labels = table_names_in_messages(version), row_names(version), _labels(version)
    parts = [
        f"{tables[t]}「{rows[(t, r)]}」（{'、'.join(labels[(t, c)] for c in cols)}）"
        for (t, r), cols in islice(by_row.items(), NAME_LIMIT + 1)
    ]
    if len(by_row) > NAME_LIMIT:
        return "；".join(parts[:NAME_LIMIT]) + f"等 {len(by_row)} 行"
    return "；".join(parts)


@cache
def _labels(version: str) -> dict[tuple[str, str], str]:
    """Column labels by (table code, column code)."""
    return {(t.code, c.code): c.label for t in get_format(version).tables for c in t.columns}
