"""The consistency rules (勾稽关系) of an annual report, as a registry of small pure functions.

Every rule reads the format declaration (:mod:`gongkai.core.formats`) rather than a list of
rows of its own: which columns are totals of which (``Column.sum_of``), which rows are totals
of which (``Row.sum_of``), which rows carry cells (``Row.has_cells``) and what a cell holds
(``ValueKind``). So the 总计 row rule follows the format version by itself ((六)其他处理 is one
row in 2019 and three in 2021), and a new format version needs no change here.

A rule returns :class:`Issue` values (message, cells, optional severity); the engine turns them
into :class:`~gongkai.core.findings.Finding` objects stamped with the rule's id, category and
citation. Rules never raise on a bad report and never stop at the first problem. When a rule
cannot be evaluated because cells are blank, it says so in one INFO issue naming the blank cells
(the blank cells themselves are reported once, as a warning, by ``cells.blank``).

The fee rules (``fees.*``) read section 六 with a few small regular expressions. Their limits,
on purpose: they recognise "收费通知 N 件/份" and "N 件收费通知", "未发出收费通知",
"收取（信息处理费）N 元/万元" and "未收取"; a figure written in Chinese numerals, or a
sentence like "件数和金额分别为 2 件、600 元", is not read, and the rules then say that the
figure is missing rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import Any, Final

from gongkai.core import law
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, CellRef, Finding, Severity, sort_findings
from gongkai.core.formats import (
    FORMATS,
    T3,
    T3_BALANCE_NOTE,
    T4,
    FormatError,
    ReportFormat,
    ValueKind,
    format_for_year,
    get_format,
)
from gongkai.core.model import AnnualReport, CellValue, TableCells, unit_key

Number = int | Decimal
Cell = tuple[str, str, str]  # (table code, row code, column code)

# Rows of table 三 named by the official balance note (第一项、第二项、第三项（七）总计、第四项).
T3_NEW: Final = "new"
T3_CARRIED_IN: Final = "carried_in"
T3_RESULTS_TOTAL: Final = "results_total"
T3_CARRIED_OUT: Final = "carried_out"
T3_FEE_UNPAID: Final = "other.fee_unpaid"  # (六)2, 2021 format only
# Section 二 blocks whose columns the cross-year rules compare.
S2_NORMATIVE: Final = "s2.art20_1"
S2_ISSUED, S2_REPEALED, S2_IN_FORCE = "issued", "repealed", "in_force"  # 2021 format
S2_ITEMS_LAST_YEAR: Final = "items_last_year"  # 2019 format; its SIGNED partner is 本年增/减
NARRATIVE_OTHER: Final = "other"  # section 六

# Heuristic, not law: a whole number of at least this many 万元 with no decimals in a 万元 cell is
# far more often yuan typed into the wrong unit (real 万元 figures carry decimals: 22.5981).
WAN_YUAN_WHOLE_NUMBER_SUSPECT: Final = 1000
# How many units (rows/columns) an "could not be checked" message names before "等".
_NAME_LIMIT: Final = 5

ALL_VERSIONS: Final = frozenset(FORMATS)
_DOCUMENTS: Final = "、".join(f.document for f in FORMATS.values())


# ---------------------------------------------------------------------------------------------
# Rule objects and the context they read
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule found; the engine adds the rule's id, category and citation."""

    message: str
    cells: tuple[Cell, ...] = ()
    severity: Severity | None = None  # None: the rule's own severity


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a rule may read. ``previous`` is None unless it is the unit's year − 1."""

    report: AnnualReport
    fmt: ReportFormat
    tables: dict[str, TableCells]
    previous: AnnualReport | None
    previous_given: AnnualReport | None
    today: dt.date | None
    _flat: dict[str, list[CellValue]] = field(default_factory=dict)
    _fees: list[FeeStatement] = field(default_factory=list)

    def values(self, table_code: str) -> list[CellValue]:
        """Every cell value of one table, flattened once per report for the cell rules."""
        flat = self._flat.get(table_code)
        if flat is None:
            cells = self.tables[table_code]
            flat = self._flat[table_code] = list(
                chain.from_iterable(map(dict.values, cells.values()))
            )
        return flat

    def fee_statement(self) -> FeeStatement:
        """What section 六 says about fees, read once per report for both fee rules."""
        if not self._fees:
            self._fees.append(read_fee_statement(self.report.narrative.get(NARRATIVE_OTHER, "")))
        return self._fees[0]


Check = Callable[[Context], Iterable[Issue]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str  # Chinese, one line: what the rule requires
    severity: Severity
    category: Category
    citation: str
    versions: frozenset[str]
    needs_previous: bool
    check: Check

    def applies(self, version: str, *, has_previous: bool) -> bool:
        return version in self.versions and (has_previous or not self.needs_previous)

    def finding(self, issue: Issue) -> Finding:
        return Finding(
            rule=self.id,
            severity=issue.severity or self.severity,
            category=self.category,
            message=issue.message,
            citation=self.citation,
            cells=tuple(CellRef(table=t, row=r, column=c) for t, r, c in issue.cells),
        )


RULES: list[Rule] = []


def _rule(
    rule_id: str,
    title: str,
    severity: Severity,
    category: Category,
    citation: str,
    *,
    versions: frozenset[str] = ALL_VERSIONS,
    needs_previous: bool = False,
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(
            Rule(rule_id, title, severity, category, citation, versions, needs_previous, check)
        )
        return check

    return register


def rule_by_id(rule_id: str) -> Rule:
    for rule in RULES:
        if rule.id == rule_id:
            return rule
    known = "、".join(r.id for r in RULES)
    raise GongkaiError(f"没有编号为 {rule_id!r} 的规则，现有规则：{known}")


# ---------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------


def check_report(
    report: AnnualReport,
    *,
    previous: AnnualReport | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Run every rule that applies to the report's format version; never stop early."""
    if not isinstance(report, AnnualReport):
        raise GongkaiError(f"只能核对年度报告（AnnualReport），收到的是 {type(report).__name__}")
    if previous is not None and not isinstance(previous, AnnualReport):
        raise GongkaiError(
            f"上一年度报告应为年度报告（AnnualReport），收到的是 {type(previous).__name__}"
        )
    meta = report.meta
    usable = previous if previous is not None and _is_previous_of(previous, report) else None
    ctx = Context(
        report=report,
        fmt=get_format(meta.format_version),
        tables=report.tables,
        previous=usable,
        previous_given=previous,
        today=today,
    )
    findings: list[Finding] = []
    for rule in _applicable(meta.format_version, previous is not None, len(RULES)):
        findings.extend(map(rule.finding, rule.check(ctx)))
    return sort_findings(findings) if findings else findings


@cache
def _applicable(version: str, has_previous: bool, registered: int) -> tuple[Rule, ...]:
    """The rules to run; ``registered`` keys the cache so a rule added later is not missed."""
    return tuple(r for r in RULES[:registered] if r.applies(version, has_previous=has_previous))


def _is_previous_of(previous: AnnualReport, report: AnnualReport) -> bool:
    return (
        unit_key(previous.meta.unit) == unit_key(report.meta.unit)
        and previous.meta.year == report.meta.year - 1
    )


# ---------------------------------------------------------------------------------------------
# Names used in messages, from the format declaration
# ---------------------------------------------------------------------------------------------


def _fmt_number(value: Number) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _signed(value: Number) -> str:
    return ("+" if value >= 0 else "") + _fmt_number(value)


@cache
def _row_names(version: str) -> dict[tuple[str, str], str]:
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


@cache
def _table_names(version: str) -> dict[str, str]:
    names = {T3: "表三", T4: "表四"}
    for table in get_format(version).section2:
        names[table.code] = f"第二部分{table.header}"
    return names


def _cell_name(version: str, cell: Cell) -> str:
    table_code, row_code, column_code = cell
    table = get_format(version).table(table_code)
    row = _row_names(version)[(table_code, row_code)]
    return f"{_table_names(version)[table_code]}「{row}」「{table.column(column_code).label}」"


def _blank_list(version: str, cells: list[Cell]) -> str:
    """Blank cells grouped by row: 表三「予以公开」（科研机构、总计）；…"""
    by_row: dict[tuple[str, str], list[str]] = {}
    fmt = get_format(version)
    for table_code, row_code, column_code in cells:
        label = fmt.table(table_code).column(column_code).label
        by_row.setdefault((table_code, row_code), []).append(label)
    table_names, row_names = _table_names(version), _row_names(version)
    parts = [
        f"{table_names[t]}「{row_names[(t, r)]}」（{'、'.join(cols)}）"
        for (t, r), cols in by_row.items()
    ]
    if len(parts) > _NAME_LIMIT:
        return "；".join(parts[:_NAME_LIMIT]) + f"等 {len(parts)} 行"
    return "；".join(parts)


def _unchecked(what: str, units: list[str], blanks: list[Cell], version: str) -> Issue:
    """One INFO issue for everything a rule could not check because of blank cells."""
    named = "、".join(units[:_NAME_LIMIT]) + (
        f"等 {len(units)} 处" if len(units) > _NAME_LIMIT else ""
    )
    return Issue(
        f"{named}：因单元格空白，无法核对{what}。空白单元格：{_blank_list(version, blanks)}",
        tuple(dict.fromkeys(blanks)),
        Severity.INFO,
    )


def _sum(values: list[Number]) -> Number:
    # The builtin is several times faster than a loop; ints and Decimals add exactly.
    return sum(values)


# ---------------------------------------------------------------------------------------------
# Table rules (勾稽关系)
# ---------------------------------------------------------------------------------------------


@_rule(
    "t3.balance",
    "表三每一列：第一项加第二项之和，等于第三项（七）总计加第四项之和",
    Severity.ERROR,
    Category.TABLE,
    T3_BALANCE_NOTE,
)
def t3_balance(ctx: Context) -> Iterator[Issue]:
    t3 = ctx.tables[T3]
    new, carried_in, results, carried_out = (
        t3[T3_NEW],
        t3[T3_CARRIED_IN],
        t3[T3_RESULTS_TOTAL],
        t3[T3_CARRIED_OUT],
    )
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for column in ctx.fmt.table3.columns:
        c = column.code
        a, b, r, d = new[c], carried_in[c], results[c], carried_out[c]
        if a is None or b is None or r is None or d is None:
            unchecked.append(f"「{column.label}」列")
            rows = (T3_NEW, T3_CARRIED_IN, T3_RESULTS_TOTAL, T3_CARRIED_OUT)
            blanks.extend((T3, row, c) for row in rows if t3[row][c] is None)
            continue
        if a + b != r + d:
            yield Issue(
                f"「{column.label}」列：第一项 {a} + 第二项 {b} = {a + b}，"
                f"但第三项总计 {r} + 第四项 {d} = {r + d}",
                ((T3, T3_NEW, c), (T3, T3_CARRIED_IN, c), (T3, T3_RESULTS_TOTAL, c)),
            )
    if unchecked:
        yield _unchecked("第一项加第二项等于第三项加第四项", unchecked, blanks, ctx.fmt.version)


def _column_totals(table_code: str) -> Check:
    """Every row: each total column (``Column.sum_of``) equals the sum of its columns."""

    def check(ctx: Context) -> Iterator[Issue]:
        version = ctx.fmt.version
        cells = ctx.tables[table_code]
        if _totals_hold(_total_columns(version, table_code), cells):
            return
        table = ctx.fmt.table(table_code)
        name = _table_names(version)[table_code]
        row_names = _row_names(version)
        unchecked: list[str] = []
        blanks: list[Cell] = []
        for total, parts, get_parts in _total_columns(version, table_code):
            for row_code, values in cells.items():
                stated = values[total]
                got: tuple[CellValue, ...] = get_parts(values)
                if stated is None or None in got:
                    unchecked.append(f"{name}「{row_names[(table_code, row_code)]}」")
                    blanks.extend(
                        (table_code, row_code, c) for c in (*parts, total) if values[c] is None
                    )
                    continue
                numbers = [v for v in got if v is not None]
                computed = _sum(numbers)
                if computed != stated:
                    terms = " + ".join(
                        f"{table.column(p).label} {_fmt_number(v)}"
                        for p, v in zip(parts, numbers, strict=True)
                    )
                    yield Issue(
                        f"{name}「{row_names[(table_code, row_code)]}」：{terms} = "
                        f"{_fmt_number(computed)}，但「{table.column(total).label}」为 "
                        f"{_fmt_number(stated)}",
                        tuple((table_code, row_code, c) for c in (*parts, total)),
                    )
        if unchecked:
            what = "总计是否等于各项之和"
            yield _unchecked(what, unchecked, blanks, version)

    return check


@cache
def _total_columns(
    version: str, table_code: str
) -> tuple[tuple[str, tuple[str, ...], Callable[[dict[str, CellValue]], Any]], ...]:
    """Total columns with their parts, and a C-speed getter of the parts (hot path)."""
    table = get_format(version).table(table_code)
    return tuple((c.code, c.sum_of, _getter(c.sum_of)) for c in table.columns if c.sum_of)


def _totals_hold(
    totals: tuple[tuple[str, tuple[str, ...], Callable[[dict[str, CellValue]], Any]], ...],
    cells: TableCells,
) -> bool:
    """Fast path (C-level map/sum): every total of every row holds and nothing is blank."""
    rows = cells.values()
    try:
        return all(
            list(map(sum, map(get_parts, rows))) == list(map(itemgetter(total), rows))
            for total, _, get_parts in totals
        )
    except TypeError:  # a blank cell: let the detailed pass name it
        return False


def _getter(keys: tuple[str, ...]) -> Callable[[dict[str, CellValue]], Any]:
    """``itemgetter`` that returns a tuple even for one key."""
    if len(keys) == 1:
        key = keys[0]
        return lambda mapping: (mapping[key],)
    return itemgetter(*keys)


_rule(
    "t3.row_total",
    "表三每一行：「总计」等于六类申请人之和",
    Severity.ERROR,
    Category.TABLE,
    f"{_DOCUMENTS} 表三表头（总计列）",
)(_column_totals(T3))

_rule(
    "t4.group_total",
    "表四行政复议、未经复议直接起诉、复议后起诉：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    Severity.ERROR,
    Category.TABLE,
    f"{_DOCUMENTS} 表四表头",
)(_column_totals(T4))


@_rule(
    "t3.results_total",
    "表三每一列：「（七）总计」等于各项办理结果之和",
    Severity.ERROR,
    Category.TABLE,
    f"{_DOCUMENTS} 表三「三、本年度办理结果」",
)
def t3_results_total(ctx: Context) -> Iterator[Issue]:
    """Rows with cells and ``sum_of`` are total rows; header rows have no cells to check."""
    version = ctx.fmt.version
    table = ctx.fmt.table3
    cells = ctx.tables[T3]
    row_names = _row_names(version)
    unchecked: list[str] = []
    blanks: list[Cell] = []
    get_columns = _getter(tuple(c.code for c in table.columns))
    for total_row in table.cell_rows:
        if not total_row.sum_of:
            continue
        total_name = total_row.label
        by_column: list[tuple[CellValue, ...]] = list(
            zip(*(get_columns(cells[m]) for m in total_row.sum_of), strict=True)
        )
        try:  # fast path: nothing blank and every column adds up
            columns: Any = by_column  # blanks make sum() raise, which is the point
            if list(map(sum, columns)) == list(get_columns(cells[total_row.code])):
                continue
        except TypeError:
            pass
        for column, got in zip(table.columns, by_column, strict=True):
            c = column.code
            stated = cells[total_row.code][c]
            if stated is None or None in got:
                unchecked.append(f"「{column.label}」列")
                blanks.extend(
                    (T3, m, c) for m in (*total_row.sum_of, total_row.code) if cells[m][c] is None
                )
                continue
            numbers = [v for v in got if v is not None]
            computed = _sum(numbers)
            if computed != stated:
                terms = " + ".join(
                    f"{row_names[(T3, m)]} {_fmt_number(v)}"
                    for m, v in zip(total_row.sum_of, numbers, strict=True)
                    if v
                )
                yield Issue(
                    f"「{column.label}」列：各项办理结果 {terms or '0'} = {_fmt_number(computed)}"
                    f"（其余各项为 0），但「{total_name}」为 {_fmt_number(stated)}",
                    tuple((T3, m, c) for m in (*total_row.sum_of, total_row.code)),
                )
    if unchecked:
        yield _unchecked("（七）总计是否等于各项办理结果之和", unchecked, blanks, version)


# ---------------------------------------------------------------------------------------------
# Cell rules
# ---------------------------------------------------------------------------------------------


@_rule(
    "cells.non_negative",
    "件数为非负整数（本年增/减除外），金额为非负数",
    Severity.ERROR,
    Category.FORMAT,
    f"{_DOCUMENTS}（表中各项为件数或金额）",
)
def cells_non_negative(ctx: Context) -> Iterator[Issue]:
    version = ctx.fmt.version
    for table_code, kinds, counts_only in _cell_kinds(version):
        cells = ctx.tables[table_code]
        if counts_only and _plain_counts_table(ctx.values(table_code)):
            continue
        for row_code, values in cells.items():
            if counts_only and _plain_counts(values):
                continue
            for column_code, kind in kinds:
                value = values[column_code]
                if value is None:
                    continue
                cell = (table_code, row_code, column_code)
                whole = kind in (ValueKind.COUNT, ValueKind.SIGNED)
                if whole and not isinstance(value, int) and value != value.to_integral_value():
                    yield Issue(f"{_cell_name(version, cell)}为 {value}，件数应为整数", (cell,))
                elif value < 0 and kind is not ValueKind.SIGNED:
                    what = "件数" if whole else "金额"
                    yield Issue(
                        f"{_cell_name(version, cell)}为 {_fmt_number(value)}，{what}不能为负数",
                        (cell,),
                    )


def _plain_counts_table(values: list[CellValue]) -> bool:
    flat: Any = values
    try:
        return bool(min(flat) >= 0 and type(sum(flat)) is int)
    except TypeError:  # a blank: check row by row
        return False


def _plain_counts(values: dict[str, CellValue]) -> bool:
    """Fast path: a row of whole, non-negative numbers (blanks allowed). ``min`` fails on a
    blank, so the blank-free common case costs two C calls."""
    row: Any = values.values()
    try:
        return bool(min(row) >= 0 and type(sum(row)) is int)
    except TypeError:
        numbers = [v for v in row if v is not None]
        return not numbers or (min(numbers) >= 0 and type(sum(numbers)) is int)


@cache
def _cell_kinds(version: str) -> tuple[tuple[str, tuple[tuple[str, ValueKind], ...], bool], ...]:
    """Per table: each column's kind, and whether every column holds plain counts."""
    return tuple(
        (
            t.code,
            tuple((c.code, c.kind) for c in t.columns),
            all(c.kind is ValueKind.COUNT for c in t.columns),
        )
        for t in get_format(version).tables
    )


@_rule(
    "cells.blank",
    "表格中每个单元格都应填写数字（没有则填 0），不应空白",
    Severity.WARNING,
    Category.FORMAT,
    f"{_DOCUMENTS}（统一表格）",
)
def cells_blank(ctx: Context) -> Iterator[Issue]:
    version = ctx.fmt.version
    for table_code, cells in ctx.tables.items():
        if None not in ctx.values(table_code):
            continue
        blanks = [
            (table_code, r, c)
            for r, values in cells.items()
            if None in values.values()
            for c, v in values.items()
            if v is None
        ]
        if blanks:
            yield Issue(
                f"{_table_names(version)[table_code]}有 {len(blanks)} 个单元格空白"
                f"（没有数据应填 0）：{_blank_list(version, blanks)}",
                tuple(blanks),
            )


@_rule(
    "s2.fee_unit",
    "「本年收费金额（单位：万元）」的数值应像万元，而不是误填的元",
    Severity.WARNING,
    Category.FORMAT,
    f"{_DOCUMENTS} 第二部分第二十条第（八）项",
    versions=frozenset(
        v
        for v, f in FORMATS.items()
        if any(c.kind is ValueKind.WAN_YUAN for t in f.tables for c in t.columns)
    ),
)
def s2_fee_unit(ctx: Context) -> Iterator[Issue]:
    version = ctx.fmt.version
    limit = law.FEE_WAN_YUAN_PLAUSIBLE_MAX
    for table_code, row_code, column_code in _wan_yuan_cells(version):
        value = ctx.tables[table_code][row_code][column_code]
        if value is None or value < 0:
            continue
        cell = (table_code, row_code, column_code)
        shown = _fmt_number(value)
        if value > limit:
            yield Issue(
                f"{_cell_name(version, cell)}为 {shown} 万元，即 "
                f"{_fmt_number(Decimal(value) / 10000)} 亿元，超过一个单位行政事业性收费的"
                f"合理上限 {limit} 万元，可能把元填成了万元",
                (cell,),
            )
        elif value >= WAN_YUAN_WHOLE_NUMBER_SUSPECT and _written_without_decimals(value):
            yield Issue(
                f"{_cell_name(version, cell)}为 {shown} 万元，是不带小数的大整数，"
                f"可能是以元为单位填写的（{shown} 元 = {_fmt_number(Decimal(value) / 10000)}"
                " 万元），请核对单位",
                (cell,),
            )


@cache
def _wan_yuan_cells(version: str) -> tuple[Cell, ...]:
    return tuple(
        (t.code, r.code, c.code)
        for t in get_format(version).tables
        for r, c in t.cells()
        if c.kind is ValueKind.WAN_YUAN
    )


def _written_without_decimals(value: Number) -> bool:
    """``Decimal`` keeps the digits as written: 1000.00 had decimals, 1000 had none."""
    if isinstance(value, int):
        return True
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= 0


# ---------------------------------------------------------------------------------------------
# Format version and publication date
# ---------------------------------------------------------------------------------------------


@_rule(
    "format.year_mismatch",
    "报告年度应使用当年适用的年度报告格式（2019、2020 年度用试行格式，2021 年度起用新格式）",
    Severity.ERROR,
    Category.FORMAT,
    _DOCUMENTS,
)
def format_year_mismatch(ctx: Context) -> Iterator[Issue]:
    year = ctx.report.meta.year
    try:
        expected = format_for_year(year)
    except FormatError as exc:
        yield Issue(str(exc))
        return
    if expected.version != ctx.fmt.version:
        yield Issue(
            f"{year} 年度报告应使用《{expected.name}》（{expected.document}），"
            f"但本报告采用的是《{ctx.fmt.name}》（{ctx.fmt.document}）"
        )


_DEADLINE_LABELS: Final = {
    law.ReportDeadlineKind.DEPARTMENT: "政府部门报告",
    law.ReportDeadlineKind.GOVERNMENT: "政府报告",
}


@_rule(
    "publication.deadline",
    f"年度报告应在{law.ANNUAL_REPORT_ARTICLE}规定的期限内公布（"
    + "，".join(
        f"{_DEADLINE_LABELS[kind][:-2]} {day.month} 月 {day.day} 日"
        for kind, day in law.ANNUAL_REPORT_DEADLINE.items()
    )
    + "）",
    Severity.ERROR,
    Category.PUBLICATION,
    law.ANNUAL_REPORT_ARTICLE,
)
def publication_deadline(ctx: Context) -> Iterator[Issue]:
    meta = ctx.report.meta
    year_end = dt.date(meta.year, 12, 31)
    department = law.ANNUAL_REPORT_DEADLINE[law.ReportDeadlineKind.DEPARTMENT].in_year(
        meta.year + 1
    )
    government = law.ANNUAL_REPORT_DEADLINE[law.ReportDeadlineKind.GOVERNMENT].in_year(
        meta.year + 1
    )
    if meta.kind is None:
        deadline, whose = government, "单位类别未填写，按最晚的政府报告期限"
    else:
        deadline_kind = meta.kind.deadline_kind
        deadline = law.ANNUAL_REPORT_DEADLINE[deadline_kind].in_year(meta.year + 1)
        whose = f"{meta.kind.label}适用{_DEADLINE_LABELS[deadline_kind]}的期限"
    published = meta.published
    if published is None:
        if ctx.today is not None and ctx.today > deadline:
            days = (ctx.today - deadline).days
            yield Issue(
                f"{meta.year} 年度报告尚未填写发布日期；应于 {deadline.isoformat()} 前公布"
                f"（{whose}），至今日（{ctx.today.isoformat()}）已超过 {days} 天",
                severity=Severity.WARNING,
            )
        else:
            yield Issue(
                f"{meta.year} 年度报告没有发布日期，无法核对是否在 {deadline.isoformat()} 前公布"
                f"（{whose}）",
                severity=Severity.INFO,
            )
        return
    if published <= year_end:
        yield Issue(
            f"发布日期 {published.isoformat()} 早于统计年度结束（{year_end.isoformat()}），"
            f"请核对报告年度 {meta.year} 和发布日期",
            severity=Severity.WARNING,
        )
    elif published > deadline:
        days = (published - deadline).days
        yield Issue(
            f"发布日期 {published.isoformat()} 晚于公布期限 {deadline.isoformat()}（{whose}），"
            f"逾期 {days} 天"
        )
    elif meta.kind is None and published > department:
        yield Issue(
            f"发布日期 {published.isoformat()} 晚于政府部门报告的公布期限 "
            f"{department.isoformat()}；单位类别未填写，若本报告为部门报告则已逾期 "
            f"{(published - department).days} 天",
            severity=Severity.INFO,
        )


# ---------------------------------------------------------------------------------------------
# Cross-year rules (need last year's report of the same unit)
# ---------------------------------------------------------------------------------------------

_CROSS_YEAR_NOTE: Final = "（评估惯例，格式文件未明文规定）"


@_rule(
    "cross_year.previous",
    "用于跨年度核对的报告应是同一单位上一年度的报告",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "跨年度核对的前提" + _CROSS_YEAR_NOTE,
    needs_previous=True,
)
def cross_year_previous(ctx: Context) -> Iterator[Issue]:
    given = ctx.previous_given
    if given is None or ctx.previous is not None:
        return
    meta = ctx.report.meta
    yield Issue(
        f"提供的上一年度报告是「{given.meta.unit}」{given.meta.year} 年度，"
        f"不是「{meta.unit}」{meta.year - 1} 年度，跨年度规则未执行"
    )


@_rule(
    "cross_year.carry_in",
    "表三每一列：本年「二、上年结转」等于上年报告的「四、结转下年度继续办理」",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "表三「二、上年结转政府信息公开申请数量」与上年「四、结转下年度继续办理」" + _CROSS_YEAR_NOTE,
    needs_previous=True,
)
def cross_year_carry_in(ctx: Context) -> Iterator[Issue]:
    previous = ctx.previous
    if previous is None:
        return
    this = ctx.tables[T3][T3_CARRIED_IN]
    last = previous.tables[T3][T3_CARRIED_OUT]
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for column in ctx.fmt.table3.columns:
        c = column.code
        now, before = this.get(c), last.get(c)
        if now is None or before is None:
            unchecked.append(f"「{column.label}」列")
            if now is None:
                blanks.append((T3, T3_CARRIED_IN, c))
            continue
        if now != before:
            yield Issue(
                f"「{column.label}」列：本年「上年结转」为 {now}，但 {previous.meta.year} 年度报告"
                f"「结转下年度继续办理」为 {before}",
                ((T3, T3_CARRIED_IN, c),),
            )
    if unchecked:
        what = f"上年结转是否等于 {previous.meta.year} 年度报告的结转下年度（上年报告空白不列出）"
        yield _unchecked(what, unchecked, blanks, ctx.fmt.version)


@_rule(
    "cross_year.in_force",
    "第二部分第二十条第（一）项：现行有效件数 ≈ 上年现行有效件数 + 本年制发件数 − 本年废止件数",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "第二部分第二十条第（一）项" + _CROSS_YEAR_NOTE,
    versions=frozenset({"2021"}),
    needs_previous=True,
)
def cross_year_in_force(ctx: Context) -> Iterator[Issue]:
    """Only between two reports in a format with 现行有效件数 (2021 on); amendments and
    clean-ups break it legitimately, hence a warning."""
    previous = ctx.previous
    if previous is None or previous.meta.format_version != ctx.fmt.version:
        return
    table = ctx.fmt.table(S2_NORMATIVE)
    this, last = ctx.tables[S2_NORMATIVE], previous.tables[S2_NORMATIVE]
    labels = {c: table.column(c).label for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)}
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for row in table.cell_rows:
        issued, repealed, in_force = (
            this[row.code][c] for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)
        )
        before = last[row.code][S2_IN_FORCE]
        if issued is None or repealed is None or in_force is None or before is None:
            unchecked.append(f"「{row.label}」")
            blanks.extend(
                (S2_NORMATIVE, row.code, c)
                for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)
                if this[row.code][c] is None
            )
            continue
        expected = before + issued - repealed
        if expected != in_force:
            yield Issue(
                f"「{row.label}」：{previous.meta.year} 年度{labels[S2_IN_FORCE]} {before} + "
                f"{labels[S2_ISSUED]} {issued} − {labels[S2_REPEALED]} {repealed} = {expected}，"
                f"但本年{labels[S2_IN_FORCE]}为 {in_force}",
                tuple((S2_NORMATIVE, row.code, c) for c in (S2_ISSUED, S2_REPEALED, S2_IN_FORCE)),
            )
    if unchecked:
        yield _unchecked("现行有效件数的增减", unchecked, blanks, ctx.fmt.version)


@_rule(
    "s2.items_change_2019",
    "试行格式第二部分：本年「上一年项目数量」等于上年报告的「上一年项目数量」加「本年增/减」",
    Severity.WARNING,
    Category.CROSS_YEAR,
    "国办公开办函〔2019〕60号 第二部分（上一年项目数量、本年增/减）" + _CROSS_YEAR_NOTE,
    versions=frozenset({"2019"}),
    needs_previous=True,
)
def s2_items_change_2019(ctx: Context) -> Iterator[Issue]:
    """Last year's count plus last year's 本年增/减 is the count this year's table starts from."""
    previous = ctx.previous
    if previous is None or previous.meta.format_version != ctx.fmt.version:
        return
    version = ctx.fmt.version
    unchecked: list[str] = []
    blanks: list[Cell] = []
    for table in ctx.fmt.section2:
        change = next((c for c in table.columns if c.kind is ValueKind.SIGNED), None)
        if change is None:
            continue
        base = table.column(S2_ITEMS_LAST_YEAR)
        this, last = ctx.tables[table.code], previous.tables[table.code]
        for row in table.cell_rows:
            now = this[row.code][base.code]
            before, delta = last[row.code][base.code], last[row.code][change.code]
            name = f"{_table_names(version)[table.code]}「{row.label}」"
            if now is None or before is None or delta is None:
                unchecked.append(name)
                if now is None:
                    blanks.append((table.code, row.code, base.code))
                continue
            if before + delta != now:
                yield Issue(
                    f"{name}：{previous.meta.year} 年度{base.label} {before} + {change.label} "
                    f"{_signed(delta)} = {_fmt_number(before + delta)}，但本年{base.label}为 {now}",
                    ((table.code, row.code, base.code),),
                )
    if unchecked:
        yield _unchecked("上一年项目数量与上年报告的衔接", unchecked, blanks, version)


# ---------------------------------------------------------------------------------------------
# Fees: table row (六)2 against section 六 (2021 format; the fee measures date from late 2020)
# ---------------------------------------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d+)?)"
_FEE_MENTION = re.compile(r"信息处理费|收费通知|处理费|收取[^。；\n]{0,8}费")
_NOTICE_COUNT = (
    re.compile(r"收费通知书?(?:的)?(?:件数|数量)?\s*(?:为|共|合计|计)?\s*(\d+)\s*(?:件|份|次|个)"),
    re.compile(r"(\d+)\s*(?:件|份|次|个)\s*收费通知"),
)
_NOTICE_NONE = re.compile(r"(?:未|没有|无|均未)(?:发出|出具|制发|送达|下发|发送)?(?:任何)?收费通知")
_COLLECTED = re.compile(
    r"(?:收取|收缴|征收)了?(?:信息处理费|费用)?(?:共计|共|合计|总额|金额)?\s*(?:为)?\s*"
    + _NUMBER
    + r"\s*(万?元)"
)
_COLLECTED_NONE = re.compile(r"(?:未|没有|无|不存在|均未|未曾)(?:实际)?(?:收取|收缴|征收)")


@dataclass(frozen=True, slots=True)
class FeeStatement:
    """What section 六 says about fees, as far as the small regexes can read it."""

    mentioned: bool
    notices: int | None  # fee notices issued; None = not stated
    collected_yuan: Decimal | None  # None = not stated


def read_fee_statement(text: str) -> FeeStatement:
    """Read the fee figures of section 六 (see the module docstring for what is not read)."""
    notices: int | None = None
    for pattern in _NOTICE_COUNT:
        match = pattern.search(text)
        if match:
            notices = int(match.group(1))
            break
    if notices is None and _NOTICE_NONE.search(text):
        notices = 0
    collected: Decimal | None = None
    match = _COLLECTED.search(text)
    if match:
        try:
            collected = Decimal(match.group(1)) * (10000 if match.group(2) == "万元" else 1)
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            collected = None
    elif _COLLECTED_NONE.search(text):
        collected = Decimal(0)
    return FeeStatement(bool(_FEE_MENTION.search(text)), notices, collected)


def _has_narrative(report: AnnualReport) -> bool:
    return any(text.strip() for text in report.narrative.values())


@_rule(
    "fees.statement",
    "第六部分应说明信息处理费情况（发出收费通知的件数、金额和实际收取的金额）",
    Severity.WARNING,
    Category.NARRATIVE,
    law.FEE_ARTICLE,
    versions=frozenset({"2021"}),
)
def fees_statement(ctx: Context) -> Iterator[Issue]:
    report = ctx.report
    if not _has_narrative(report):
        yield Issue("报告没有正文，未核对第六部分的信息处理费说明", severity=Severity.INFO)
        return
    text = report.narrative.get(NARRATIVE_OTHER, "")
    section = next(s for s in ctx.fmt.sections if s.code == NARRATIVE_OTHER)
    if not text.strip():
        yield Issue(
            f"第{section.number}部分「{section.heading}」为空，没有说明信息处理费的收取情况"
        )
    elif not ctx.fee_statement().mentioned:
        yield Issue(
            f"第{section.number}部分「{section.heading}」没有提到信息处理费，应说明发出收费通知的"
            "件数和金额以及实际收取的金额（未收取的也应写明）"
        )


@_rule(
    "fees.coherence",
    "表三「（六）其他处理 2.逾期未缴费」与第六部分的收费通知件数、收费金额应一致",
    Severity.WARNING,
    Category.NARRATIVE,
    law.FEE_ARTICLE,
    versions=frozenset({"2021"}),
)
def fees_coherence(ctx: Context) -> Iterator[Issue]:
    report = ctx.report
    if not _has_narrative(report):
        return  # fees.statement already says the report has no text to check
    statement = ctx.fee_statement()
    row_name = _row_names(ctx.fmt.version)[(T3, T3_FEE_UNPAID)]
    cell = (T3, T3_FEE_UNPAID, "total")
    unpaid = ctx.tables[T3][T3_FEE_UNPAID]["total"]
    if unpaid is None:
        yield Issue(
            f"表三「{row_name}」「总计」空白，无法与第六部分的收费通知件数核对",
            (cell,),
            Severity.INFO,
        )
    elif unpaid > 0 and statement.notices is None:
        yield Issue(
            f"表三「{row_name}」总计 {unpaid} 件（申请人逾期未缴费），但第六部分没有写明"
            "发出收费通知的件数",
            (cell,),
        )
    elif unpaid > 0 and statement.notices is not None and statement.notices < unpaid:
        yield Issue(
            f"表三「{row_name}」总计 {unpaid} 件，但第六部分写明发出收费通知 "
            f"{statement.notices} 件，逾期未缴费的件数不能多于收费通知的件数",
            (cell,),
        )
    collected = statement.collected_yuan
    if collected is not None and collected > 0:
        if statement.notices == 0:
            yield Issue(
                f"第六部分写明收取信息处理费 {_fmt_number(collected)} 元，却又写明没有发出收费通知"
                "（收费必须先发出收费通知）"
            )
        elif statement.notices is None:
            yield Issue(
                f"第六部分写明收取信息处理费 {_fmt_number(collected)} 元，但没有写明发出收费通知的"
                "件数，无法核对",
                severity=Severity.INFO,
            )


__all__ = [
    "RULES",
    "Context",
    "FeeStatement",
    "Issue",
    "Rule",
    "check_report",
    "read_fee_statement",
    "rule_by_id",
]
