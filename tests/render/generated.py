"""Generated annual reports whose tables satisfy every rule: for the round-trip tests.

:func:`consistent_report` builds, from a seed, a report of either format whose tables obey the
format's arithmetic — each row's 总计 is the sum of its applicant cells, （七）总计 the sum of
the results, 一 + 二 = 三（七） + 四 in every column, table 四's 总计 the sum of its results —
with section 二 filled, blank cells where a report may leave one (a cell whose value would be
0, so that no sum changes), big numbers when asked for (up to 9,999,999 in a cell), and prose
whose figures agree with the tables. What the rules say about such a report is what they must
say about it read back from any rendering.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from gongkai.core.formats import (
    COL_TOTAL,
    S2_ART20_1,
    SECTION_OTHER,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_NEW,
    T3_RESULTS_TOTAL,
    T4,
    ReportFormat,
    ValueKind,
)
from gongkai.core.model import AnnualReport, CellValue, ReportKind, ReportMeta

BIG = 9_999_999
UNITS = ("泉港区人民政府办公室", "某市生态环境局", "某县教育局", "城关街道办事处", "某某镇人民政府")


def _count(rng: random.Random, big: bool) -> int:
    roll = rng.random()
    if roll < 0.35:
        return 0
    if big and roll > 0.8:
        return rng.choice((BIG, rng.randint(1_000_000, BIG)))
    return rng.randint(1, 60)


def _section2(
    fmt: ReportFormat, rng: random.Random, big: bool
) -> dict[str, dict[str, dict[str, CellValue]]]:
    tables: dict[str, dict[str, dict[str, CellValue]]] = {}
    for table in fmt.section2:
        cells: dict[str, dict[str, CellValue]] = {}
        for row in table.cell_rows:
            values: dict[str, CellValue] = {}
            for column in table.columns:
                if column.kind in (ValueKind.WAN_YUAN, ValueKind.MONEY):
                    top = BIG if big else 500
                    values[column.code] = Decimal(rng.randint(0, top * 10_000)) / 10_000
                elif column.kind is ValueKind.SIGNED:
                    values[column.code] = rng.randint(-20, 20)
                else:
                    values[column.code] = _count(rng, big)
            cells[row.code] = values
        if table.code == S2_ART20_1 and fmt.has_in_force_column:
            # 现行有效 at least what was issued this year.
            for values in cells.values():
                issued = values["issued"] or 0
                values["in_force"] = issued + (values["in_force"] or 0)
        tables[table.code] = cells
    return tables


def _table3(fmt: ReportFormat, rng: random.Random, big: bool) -> dict[str, dict[str, CellValue]]:
    table = fmt.table3
    total_row = table.row(T3_RESULTS_TOTAL)
    leaves = total_row.sum_of
    applicants = [c for c in table.columns if not c.sum_of]
    cells: dict[str, dict[str, CellValue]] = {row.code: {} for row in table.cell_rows}
    for column in applicants:
        # Most applications come from natural persons; the organisations' columns are thin.
        busy = column is applicants[0] or rng.random() < 0.3
        for leaf in leaves:
            cells[leaf][column.code] = _count(rng, big) if busy and rng.random() < 0.5 else 0
        cells[T3_CARRIED_OUT][column.code] = _count(rng, big) if busy else 0
        results = sum(int(cells[leaf][column.code] or 0) for leaf in leaves)
        cells[T3_RESULTS_TOTAL][column.code] = results
        outflow = results + int(cells[T3_CARRIED_OUT][column.code] or 0)
        carried_in = rng.randint(0, outflow // 4) if outflow else 0
        cells[T3_CARRIED_IN][column.code] = carried_in
        cells[T3_NEW][column.code] = outflow - carried_in
    for row in table.cell_rows:
        cells[row.code][COL_TOTAL] = sum(int(cells[row.code][c.code] or 0) for c in applicants)
    return cells


def _table4(fmt: ReportFormat, rng: random.Random, big: bool) -> dict[str, dict[str, CellValue]]:
    table = fmt.table4
    cells: dict[str, dict[str, CellValue]] = {}
    for row in table.rows:
        parts = {
            c.code: (_count(rng, big) // 7 if rng.random() < 0.5 else 0)
            for c in table.columns
            if not c.sum_of
        }
        cells[row.code] = {**parts, COL_TOTAL: sum(parts.values())}
    return cells


def _blank_zeros(
    tables: dict[str, dict[str, dict[str, CellValue]]], rng: random.Random, share: float
) -> None:
    """Leave a share of the zero cells blank, as many reports do: no sum changes."""
    for cells in tables.values():
        for values in cells.values():
            for column, value in values.items():
                if value == 0 and rng.random() < share:
                    values[column] = None


def consistent_report(
    fmt: ReportFormat, seed: int, *, blank: float = 0.0, big: bool = False
) -> AnnualReport:
    """A report of ``fmt`` satisfying the format's arithmetic (see the module docstring)."""
    rng = random.Random(seed)
    tables = {**_section2(fmt, rng, big), T3: _table3(fmt, rng, big), T4: _table4(fmt, rng, big)}
    _blank_zeros(tables, rng, blank)
    year = rng.randint(fmt.first_year, fmt.last_year or 2025)
    new = tables[T3][T3_NEW][COL_TOTAL]
    received = (
        f"本年度共收到政府信息公开申请{new}件，均在法定期限内答复。" if new is not None else ""
    )
    narrative = {
        "overview": f"{year}年，本机关认真贯彻落实《条例》<b>要求</b> & 做好政府信息公开工作。\n"
        "一是加强组织领导。二是完善制度建设。",
        "requests": received,
        "problems": "存在的主要问题是公开内容不够全面。\n下一步将加强培训。",
        SECTION_OTHER: "本年度未收取信息处理费。",
    }
    narrative = {
        code: text
        for code, text in narrative.items()
        if text and code in {s.code for s in fmt.sections}
    }
    meta = ReportMeta(
        unit=rng.choice(UNITS),
        year=year,
        format_version=fmt.version,
        kind=rng.choice(list(ReportKind)),
        published=dt.date(year + 1, 1, rng.randint(5, 28)),
    )
    return AnnualReport(meta=meta, tables=tables, narrative=narrative)
