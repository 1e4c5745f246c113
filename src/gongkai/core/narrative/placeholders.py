"""Placeholders in the report's prose: numbers bound to the tables, never typed.

An officer writes the free prose of a section around placeholders such as
``{三.本年新收}`` or ``{四.行政复议.结果纠正}``; building the report replaces each with the
cell's value, so the prose cannot contradict the tables it sits beside. A number typed by hand
stays possible (the prose is free) and is what the narrative check
(:func:`gongkai.core.narrative.check_narrative`) then compares with the tables.

Syntax, ``{表.行.列}``:

* *table* — ``三`` / ``表三``, ``四`` / ``表四``, or a section 二 block by its article item,
  ``二（一）`` (also ``二(一)``, ``第二十条第（一）项``) or its title (``行政许可``);
* *row* — the row's short name or label as the format declares it (``本年新收``,
  ``一、本年新收政府信息公开申请数量``, ``不予公开``, ``属于国家秘密``, ``1.属于国家秘密``);
  a header row such as ``不予公开`` stands for the sum of its rows;
* *column* — the column's label (``总计``, ``自然人``, ``结果纠正``, ``本年制发件数``);
  optional where the table has a 总计 column (then 总计) or a single column.

Also ``{年度}`` (the report's year) and ``{单位}`` (the unit's name). ``{{`` and ``}}`` write a
literal brace. Names are looked up in the format declaration (:mod:`gongkai.core.formats`), so a
placeholder means the same cell the rules, the parsers and the renderers mean; an unknown name
is refused with a Chinese message naming it and where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Final

from gongkai.core.errors import GongkaiError
from gongkai.core.formats import COL_TOTAL, ReportFormat, Table, get_format
from gongkai.core.model import AnnualReport
from gongkai.core.names import number

OPEN: Final = "{"
CLOSE: Final = "}"
# Between a placeholder's parts; a dot after a digit is a row's numbering (「1.属于国家秘密」).
SEPARATOR: Final = re.compile(r"(?<!\d)[.．·]")
YEAR: Final = "年度"
UNIT: Final = "单位"
# What a blank cell reads as in the prose: visibly unfinished, and no number for a check to
# compare (the blank itself is the table rules' finding).
BLANK: Final = "（空白）"
# A placeholder longer than this is not a placeholder but a stray brace around prose.
MAX_PLACEHOLDER: Final = 80

_NUMBERING: Final = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．])"
)
_ITEM: Final = re.compile(r"[（(]([一二三四五六七八九十]+)[)）]")
_SPACES: Final = re.compile(r"\s+")


class PlaceholderError(GongkaiError):
    """A placeholder that names no cell, or a brace left open; the message says where."""


@dataclass(frozen=True, slots=True)
class Cell:
    """What a placeholder is bound to: a table cell (or a header row's sum) by format codes."""

    table: str
    row: str
    column: str


@dataclass(frozen=True, slots=True)
class Placeholder:
    text: str  # as written, without the braces
    start: int  # offset of the opening brace in the template
    cell: Cell | None = None  # None for {年度} and {单位}
    meta: str = ""  # YEAR or UNIT


Segment = str | Placeholder


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed text: literal pieces and placeholders, in order."""

    segments: tuple[Segment, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(s for s in self.segments if isinstance(s, Placeholder))


# -- names ----------------------------------------------------------------------------------------


def _key(name: str) -> str:
    """A name as looked up: no spacing, ASCII brackets as the format writes them (full-width)."""
    return _SPACES.sub("", name).replace("(", "（").replace(")", "）")


def _unnumbered(label: str) -> str:
    return _NUMBERING.sub("", label)


@dataclass(frozen=True, slots=True)
class _Names:
    tables: dict[str, str]  # key → table code
    rows: dict[str, dict[str, str]]  # table code → key → row code
    columns: dict[str, dict[str, str]]  # table code → key → column code
    ambiguous_rows: dict[str, frozenset[str]]  # table code → keys naming two rows


def _add(index: dict[str, str], clashes: set[str], key: str, code: str) -> None:
    key = _key(key)
    if not key:
        return
    if index.get(key, code) != code:
        clashes.add(key)
    index[key] = code


@cache
def _names(version: str) -> _Names:
    fmt = get_format(version)
    tables: dict[str, str] = {}
    rows: dict[str, dict[str, str]] = {}
    columns: dict[str, dict[str, str]] = {}
    ambiguous: dict[str, frozenset[str]] = {}
    for table in fmt.tables:
        for name in _table_names(fmt, table):
            tables[_key(name)] = table.code
        row_index: dict[str, str] = {}
        clashes: set[str] = set()
        for row in table.rows:
            for name in (row.label, _unnumbered(row.label), row.short, *row.aliases):
                _add(row_index, clashes, name, row.code)
        for key in clashes:
            del row_index[key]
        # A row's code is accepted too: the format's own name for it, never ambiguous.
        for row in table.rows:
            row_index.setdefault(row.code, row.code)
        rows[table.code] = row_index
        ambiguous[table.code] = frozenset(clashes)
        column_index: dict[str, str] = {}
        for column in table.columns:
            label = column.label
            for name in (label, re.sub(r"（单位：[^）]*）$", "", label), *column.aliases):
                column_index[_key(name)] = column.code
            column_index.setdefault(column.code, column.code)
        columns[table.code] = column_index
    return _Names(tables, rows, columns, ambiguous)


def _table_names(fmt: ReportFormat, table: Table) -> list[str]:
    if table.header:
        item = _ITEM.search(table.header)
        names = [table.header, table.title]
        if item:
            names += [f"二（{item.group(1)}）", f"表二（{item.group(1)}）"]
        return names
    number_ = next((s.number for s in fmt.sections if table.title in (s.heading, *s.aliases)), "")
    return [number_, f"表{number_}", table.title] if number_ else [table.title]


def table_keys(fmt: ReportFormat) -> dict[str, str]:
    """The short name a placeholder uses for each table (table code → 「三」「二（一）」)."""
    keys: dict[str, str] = {}
    for table in fmt.tables:
        keys[table.code] = _table_names(fmt, table)[2 if table.header else 0]
    return keys


def placeholder_for(fmt: ReportFormat, cell: Cell) -> str:
    """The canonical placeholder of a cell, braces included: ``{三.予以公开.总计}``."""
    table = fmt.table(cell.table)
    row = table.row(cell.row)
    names = _names(fmt.version)
    row_name = next(
        (
            name
            for name in (row.short, _unnumbered(row.label), row.label)
            if name and names.rows[table.code].get(_key(name)) == row.code
        ),
        row.code,
    )
    column_name = table.column(cell.column).label
    return f"{OPEN}{table_keys(fmt)[table.code]}.{row_name}.{column_name}{CLOSE}"


# -- parsing --------------------------------------------------------------------------------------


def where(text: str, offset: int) -> str:
    """「第 2 行第 5 个字」: a position as an officer finds it in the text box (1-based)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"第 {line} 行第 {column} 个字"


def parse(text: str, fmt: ReportFormat) -> Template:
    """``text`` as literal pieces and bound placeholders; :class:`PlaceholderError` on the first
    placeholder that names no cell of ``fmt``, or a brace without its partner."""
    segments: list[Segment] = []
    literal: list[str] = []
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char in (OPEN, CLOSE) and text.startswith(char * 2, i):
            literal.append(char)
            i += 2
            continue
        if char == CLOSE:
            raise PlaceholderError(
                f"{where(text, i)}的「}}」前面没有对应的「{{」；如要写花括号本身，请写成「}}}}」"
            )
        if char != OPEN:
            literal.append(char)
            i += 1
            continue
        end = text.find(CLOSE, i + 1)
        nested = text.find(OPEN, i + 1)
        if end < 0 or (0 <= nested < end) or end - i > MAX_PLACEHOLDER:
            raise PlaceholderError(
                f"{where(text, i)}的「{{」没有对应的「}}」；占位符应写成 {{表.行.列}}，"
                "如{三.本年新收.总计}；如要写花括号本身，请写成「{{」"
            )
        if literal:
            segments.append("".join(literal))
            literal = []
        segments.append(bind(text[i + 1 : end], fmt, text=text, start=i))
        i = end + 1
    if literal:
        segments.append("".join(literal))
    return Template(tuple(segments))


def bind(inner: str, fmt: ReportFormat, *, text: str = "", start: int = 0) -> Placeholder:
    """The placeholder ``{inner}`` bound to its cell of ``fmt``; ``text`` and ``start`` place it
    in the template for the refusal message."""
    at = f"{where(text or OPEN + inner, start)}的占位符「{{{inner}}}」"
    key = _key(inner)
    if key in (YEAR, UNIT):
        return Placeholder(inner, start, meta=key)
    names = _names(fmt.version)
    parts = [_key(part) for part in SEPARATOR.split(inner)]
    if not 2 <= len(parts) <= 3 or not all(parts):
        raise PlaceholderError(
            f"{at}不是「表.行.列」的写法，如{{三.本年新收.总计}}、{{四.行政复议.结果纠正}}"
            f"（列为总计时可省略，如{{三.予以公开}}）；另可用{{{YEAR}}}、{{{UNIT}}}"
        )
    table_code = names.tables.get(parts[0])
    if table_code is None:
        known = "、".join(dict.fromkeys(table_keys(fmt).values()))
        raise PlaceholderError(
            f"{at}：{fmt.document}格式中没有名为「{parts[0]}」的表格，可用：{known}"
        )
    table = fmt.table(table_code)
    row_code = names.rows[table_code].get(parts[1])
    if row_code is None:
        if parts[1] in names.ambiguous_rows[table_code]:
            raise PlaceholderError(
                f"{at}：表格「{parts[0]}」有不止一行叫「{parts[1]}」，请写出完整的行名称"
            )
        known = "、".join(r.short or _unnumbered(r.label) for r in table.rows[:8])
        raise PlaceholderError(
            f"{at}：表格「{parts[0]}」中没有名为「{parts[1]}」的行（该表的行如：{known}等）"
        )
    row = table.row(row_code)
    if not row.has_cells and not row.sum_of:
        raise PlaceholderError(f"{at}：「{parts[1]}」是标题行，没有数字，请写出具体的行")
    if len(parts) == 3:
        column_code = names.columns[table_code].get(parts[2])
        if column_code is None:
            known = "、".join(c.label for c in table.columns)
            raise PlaceholderError(
                f"{at}：表格「{parts[0]}」中没有名为「{parts[2]}」的列，可用：{known}"
            )
    elif len(table.columns) == 1:
        column_code = table.columns[0].code
    elif any(c.code == COL_TOTAL for c in table.columns):
        column_code = COL_TOTAL
    else:
        known = "、".join(c.label for c in table.columns)
        raise PlaceholderError(f"{at}：表格「{parts[0]}」没有总计列，请写明哪一列：{known}")
    return Placeholder(inner, start, cell=Cell(table_code, row_code, column_code))


# -- resolving ------------------------------------------------------------------------------------


def value_of(report: AnnualReport, placeholder: Placeholder) -> str:
    """What ``placeholder`` reads as in ``report``: the cell's value as a report prints it."""
    if placeholder.meta == YEAR:
        return str(report.meta.year)
    if placeholder.meta == UNIT:
        return report.meta.unit
    cell = placeholder.cell
    assert cell is not None
    value: int | Decimal | None = report.group_sum(cell.table, cell.row, cell.column)
    if value is None:
        return BLANK
    # An amount as the tables print it: 12.5, not 12.50 (and never 1E+2).
    return number(value.normalize() if isinstance(value, Decimal) else value)


def resolve(template: Template, report: AnnualReport) -> str:
    """The text with every placeholder replaced by its value in ``report``."""
    return "".join(
        segment if isinstance(segment, str) else value_of(report, segment)
        for segment in template.segments
    )


def render(text: str, report: AnnualReport) -> str:
    """Parse ``text`` against ``report``'s format and resolve it (:class:`PlaceholderError` on
    an unknown placeholder)."""
    return resolve(parse(text, report.format), report)


def escape(text: str) -> str:
    """``text`` as a template that reads as itself (braces doubled)."""
    return text.replace(OPEN, OPEN * 2).replace(CLOSE, CLOSE * 2)
