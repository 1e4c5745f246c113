"""Table rules (勾稽关系): the balance of table 三, and every total of every table.

Each rule reads the declaration rather than a list of rows of its own: which columns are totals
of which (``Column.sum_of``), which rows are totals of which (``Row.sum_of``) and which rows
carry cells (``Row.has_cells``). So the 总计 row rule follows the format version by itself
((六)其他处理 is one row in 2019 and three in 2021).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from gongkai.core.findings import Category, Severity
from gongkai.core.formats import T3, T3_BALANCE, T3_RESULTS_HEADER, T4
from gongkai.core.model import CellValue
from gongkai.core.names import Cell, number, row_names, table_names_in_messages
from gongkai.core.rules import fast
from gongkai.core.rules.engine import DOCUMENTS, Check, Context, Issue, rule
from gongkai.core.rules.messages import unchecked_issue

_LEFT: Final = T3_BALANCE.left
_RIGHT: Final = T3_BALANCE.right


@rule(
    "t3.balance",
    "表三每一列：第一项加第二项之和，等于第三项（七）总计加第四项之和",
    Severity.ERROR,
    Category.TABLE,
    T3_BALANCE.note,
)
def t3_balance(ctx: Context) -> Iterator[Issue]:
    """一 + 二 = 三（七）+ 四 per column, as declared in ``formats.T3_BALANCE``."""
    t3 = ctx.tables[T3]
    (new_row, new_name), (in_row, in_name) = _LEFT
    (results_row, results_name), (out_row, out_name) = _RIGHT
    new, carried_in, results, carried_out = t3[new_row], t3[in_row], t3[results_row], t3[out_row]
    missing: list[str] = []
    blanks: list[Cell] = []
    for column in ctx.fmt.table3.columns:
        c = column.code
        a, b, r, d = new[c], carried_in[c], results[c], carried_out[c]
        if a is None or b is None or r is None or d is None:
            missing.append(f"「{column.label}」列")
            blanks.extend((T3, row, c) for row in T3_BALANCE.rows if t3[row][c] is None)
            continue
        if a + b != r + d:
            yield Issue(
                f"「{column.label}」列：{new_name} {a} + {in_name} {b} = {a + b}，"
                f"但{results_name} {r} + {out_name} {d} = {r + d}",
                ((T3, new_row, c), (T3, in_row, c), (T3, results_row, c)),
            )
    if missing:
        yield unchecked_issue(T3_BALANCE.statement, missing, blanks, ctx.fmt.version, ctx.unread)


def _column_totals(table_code: str) -> Check:
    """Every row: each total column (``Column.sum_of``) equals the sum of its columns."""

    def check(ctx: Context) -> Iterator[Issue]:
        version = ctx.fmt.version
        cells = ctx.tables[table_code]
        totals = fast.total_columns(version, table_code)
        if fast.totals_hold(totals, cells):
            return
        table = ctx.fmt.table(table_code)
        name = table_names_in_messages(version)[table_code]
        names = row_names(version)
        missing: list[str] = []
        blanks: list[Cell] = []
        for total, parts, get_parts in totals:
            for row_code, values in cells.items():
                stated = values[total]
                got: tuple[CellValue, ...] = get_parts(values)
                if stated is None or None in got:
                    missing.append(f"{name}「{names[(table_code, row_code)]}」")
                    blanks.extend(
                        (table_code, row_code, c) for c in (*parts, total) if values[c] is None
                    )
                    continue
                numbers = [v for v in got if v is not None]
                computed = sum(numbers)
                if computed != stated:
                    terms = " + ".join(
                        f"{table.column(p).label} {number(v)}"
                        for p, v in zip(parts, numbers, strict=True)
                    )
                    yield Issue(
                        f"{name}「{names[(table_code, row_code)]}」：{terms} = "
                        f"{number(computed)}，但「{table.column(total).label}」为 "
                        f"{number(stated)}",
                        tuple((table_code, row_code, c) for c in (*parts, total)),
                    )
        if missing:
            yield unchecked_issue("总计是否等于各项之和", missing, blanks, version, ctx.unread)

    return check


t3_row_total = rule(
    "t3.row_total",
    "表三每一行：「总计」等于六类申请人之和",
    Severity.ERROR,
    Category.TABLE,
    f"{DOCUMENTS} 表三表头（总计列）",
)(_column_totals(T3))

t4_group_total = rule(
    "t4.group_total",
    "表四行政复议、未经复议直接起诉、复议后起诉：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    Severity.ERROR,
    Category.TABLE,
    f"{DOCUMENTS} 表四表头",
)(_column_totals(T4))


@rule(
    "t3.results_total",
    "表三每一列：「（七）总计」等于各项办理结果之和",
    Severity.ERROR,
    Category.TABLE,
    f"{DOCUMENTS} 表三「{T3_RESULTS_HEADER}」",
)
def t3_results_total(ctx: Context) -> Iterator[Issue]:
    """Rows with cells and ``sum_of`` are total rows; header rows have no cells to check."""
    version = ctx.fmt.version
    table = ctx.fmt.table3
    cells = ctx.tables[T3]
    names = row_names(version)
    missing: list[str] = []
    blanks: list[Cell] = []
    get_columns = fast.getter(tuple(c.code for c in table.columns))
    for total_row in table.cell_rows:
        if not total_row.sum_of:
            continue
        if fast.row_sums_hold(get_columns, cells, total_row.sum_of, total_row.code):
            continue
        by_column: list[tuple[CellValue, ...]] = list(
            zip(*(get_columns(cells[m]) for m in total_row.sum_of), strict=True)
        )
        for column, got in zip(table.columns, by_column, strict=True):
            c = column.code
            stated = cells[total_row.code][c]
            if stated is None or None in got:
                missing.append(f"「{column.label}」列")
                blanks.extend(
                    (T3, m, c) for m in (*total_row.sum_of, total_row.code) if cells[m][c] is None
                )
                continue
            numbers = [v for v in got if v is not None]
            computed = sum(numbers)
            if computed != stated:
                terms = " + ".join(
                    f"{names[(T3, m)]} {number(v)}"
                    for m, v in zip(total_row.sum_of, numbers, strict=True)
                    if v
                )
                yield Issue(
                    f"「{column.label}」列：各项办理结果 {terms or '0'} = {number(computed)}"
                    f"（其余各项为 0），但「{total_row.label}」为 {number(stated)}",
                    tuple((T3, m, c) for m in (*total_row.sum_of, total_row.code)),
                )
    if missing:
        yield unchecked_issue(
            "（七）总计是否等于各项办理结果之和", missing, blanks, version, ctx.unread
        )
