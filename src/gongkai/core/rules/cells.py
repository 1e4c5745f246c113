"""Cell rules: what each cell may hold (``ValueKind``), blanks, and amounts in the wrong unit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from gongkai.core import law
from gongkai.core.findings import Category, Severity
from gongkai.core.formats import ValueKind
from gongkai.core.names import Number, blank_list, cell_name, number, table_names_in_messages
from gongkai.core.rules import fast
from gongkai.core.rules.engine import DOCUMENTS, Context, Issue, rule, versions_where

# Heuristic, not law: a whole number of at least this many 万元 with no decimals in a 万元 cell is
# far more often yuan typed into the wrong unit (real 万元 figures carry decimals: 22.5981).
WAN_YUAN_WHOLE_NUMBER_SUSPECT: Final = 1000


@rule(
    "cells.non_negative",
    "件数为非负整数（本年增/减除外），金额为非负数",
    Severity.ERROR,
    Category.FORMAT,
    f"{DOCUMENTS}（表中各项为件数或金额）",
)
def cells_non_negative(ctx: Context) -> Iterator[Issue]:
    version = ctx.fmt.version
    for table_code, kinds, counts_only in fast.cell_kinds(version):
        cells = ctx.tables[table_code]
        if counts_only and fast.plain_counts_table(ctx.values(table_code)):
            continue
        for row_code, values in cells.items():
            if counts_only and fast.plain_counts(values):
                continue
            for column_code, kind in kinds:
                value = values[column_code]
                if value is None:
                    continue
                cell = (table_code, row_code, column_code)
                whole = kind in (ValueKind.COUNT, ValueKind.SIGNED)
                if whole and not isinstance(value, int) and value != value.to_integral_value():
                    yield Issue(f"{cell_name(version, cell)}为 {value}，件数应为整数", (cell,))
                elif value < 0 and kind is not ValueKind.SIGNED:
                    what = "件数" if whole else "金额"
                    yield Issue(
                        f"{cell_name(version, cell)}为 {number(value)}，{what}不能为负数",
                        (cell,),
                    )


@rule(
    "cells.blank",
    "表格中每个单元格都应填写数字（没有则填 0），不应空白",
    Severity.WARNING,
    Category.FORMAT,
    f"{DOCUMENTS}（统一表格）",
)
def cells_blank(ctx: Context) -> Iterator[Issue]:
    version = ctx.fmt.version
    for table_code, cells in ctx.tables.items():
        if fast.no_blank(ctx.values(table_code)):
            continue
        # A cell the parser could not place is not known to be blank (Context.unread).
        unread = ctx.unread
        blanks = [
            (table_code, r, c)
            for r, values in cells.items()
            if None in values.values()
            for c, v in values.items()
            if v is None and (not unread or (table_code, r, c) not in unread)
        ]
        if blanks:
            yield Issue(
                f"{table_names_in_messages(version)[table_code]}有 {len(blanks)} 个单元格空白"
                f"（没有数据应填 0）：{blank_list(version, blanks)}",
                tuple(blanks),
            )


@rule(
    "s2.fee_unit",
    "「本年收费金额（单位：万元）」的数值应像万元，而不是误填的元",
    Severity.WARNING,
    Category.FORMAT,
    f"{DOCUMENTS} 第二部分第二十条第（八）项",
    versions=versions_where(lambda fmt: fmt.has_wan_yuan_cells),
)
def s2_fee_unit(ctx: Context) -> Iterator[Issue]:
    """Before it fires, the rule asks the report's own prose and last year's report.

    The prose settles it either way: the same figure written with 万元 confirms the cell, with
    元 alone confirms the mistake. Last year's figure for the same cell settles the weaker,
    whole-number suspicion: of the same order (within a factor of ten) the unit is the one the
    office always used; about ten thousand times larger (a factor of 1,000 or more) the unit
    changed this year. Without either, the suspicion stands as before.
    """
    version = ctx.fmt.version
    limit = law.FEE_WAN_YUAN_PLAUSIBLE_MAX
    prose = "\n".join(ctx.report.narrative.values())
    for table_code, row_code, column_code in fast.wan_yuan_cells(version):
        value = ctx.tables[table_code][row_code][column_code]
        if value is None or value < 0:
            continue
        if not (
            value > limit
            or (value >= WAN_YUAN_WHOLE_NUMBER_SUSPECT and _written_without_decimals(value))
        ):
            continue  # nothing to suspect (most cells: 0 or small): the prose is not searched
        cell = (table_code, row_code, column_code)
        shown = number(value)
        said = _unit_in_prose(prose, value)
        if said == "万元":
            continue  # the report's text gives the same figure in 万元
        in_text = f"；正文也写作“{shown} 元”" if said == "元" else ""
        last = _last_year(ctx, cell)
        if value > limit:
            yield Issue(
                f"{cell_name(version, cell)}为 {shown} 万元，即 "
                f"{number(Decimal(value) / 10000)} 亿元，超过一个单位行政事业性收费的"
                f"合理上限 {limit} 万元，可能把元填成了万元{in_text}",
                (cell,),
            )
        elif value >= WAN_YUAN_WHOLE_NUMBER_SUSPECT and _written_without_decimals(value):
            if said is None and last is not None and last > 0 and value <= last * 10:
                continue  # the same order as last year's figure: the unit it always used
            jumped = ""
            if last is not None and last > 0 and value >= last * 1000:
                jumped = f"；上年为 {number(last)} 万元，本年约为其 {number(value // last)} 倍"
            yield Issue(
                f"{cell_name(version, cell)}为 {shown} 万元，是不带小数的大整数，"
                f"可能是以元为单位填写的（{shown} 元 = {number(Decimal(value) / 10000)}"
                f" 万元），请核对单位{in_text}{jumped}",
                (cell,),
            )


def _unit_in_prose(prose: str, value: Number) -> str | None:
    """The unit the report's text writes ``value`` in (``万元`` or ``元``), if it writes it."""
    digits = number(value)
    whole = digits.split(".")[0]
    grouped = f"{int(whole):,}" + digits[len(whole) :]
    pattern = "|".join(re.escape(v) for v in {digits, grouped})
    found = re.search(rf"(?<![\d.,])(?:{pattern})(?![\d.,])\s*(万元|元)", prose)
    return found.group(1) if found else None


def _last_year(ctx: Context, cell: tuple[str, str, str]) -> Number | None:
    if ctx.previous is None:
        return None
    table_code, row_code, column_code = cell
    previous = ctx.previous.tables.get(table_code, {}).get(row_code, {}).get(column_code)
    return previous


def _written_without_decimals(value: Number) -> bool:
    """``Decimal`` keeps the digits as written: 1000.00 had decimals, 1000 had none."""
    if isinstance(value, int):
        return True
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= 0
