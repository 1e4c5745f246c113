"""The roll-up (issue 11 §4): the cell-wise sum of units' reports of one year and format.

Properties over generated reports: a roll-up of one report has that report's tables; rolling up
is order-independent and associative (a roll-up of roll-ups equals the flat roll-up); the table
rules that hold in every unit hold in the sum. Examples: blanks, exact money sums, refusals.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category
from gongkai.core.formats import APPLICANT_COLUMNS, FORMATS, T3, T3_NEW, T4, ValueKind
from gongkai.core.model import AnnualReport, ReportKind
from gongkai.core.rollup import rollup
from gongkai.core.rules import check_report

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
BASES = {
    "2021": AnnualReport.from_json((REPORTS / "seed_quangang_2021.json").read_text("utf-8")),
    "2019": AnnualReport.from_json((REPORTS / "shanghai_2019.json").read_text("utf-8")),
}
APPLICANTS = [c.code for c in APPLICANT_COLUMNS]
COUNT = st.integers(min_value=0, max_value=60)
MONEY = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False)


def consistent_report(version: str, unit: str) -> st.SearchStrategy[AnnualReport]:
    """A report of ``unit`` whose tables 三 and 四 satisfy the format's arithmetic."""

    @st.composite
    def build(draw: st.DrawFn) -> AnnualReport:
        fmt = FORMATS[version]
        t3 = fmt.table3
        leaves = t3.row("results_total").sum_of
        rows: dict[str, dict[str, int]] = {row.code: {} for row in t3.cell_rows}
        for column in APPLICANTS:
            results = 0
            for leaf in leaves:
                rows[leaf][column] = draw(COUNT)
                results += rows[leaf][column]
            carried_in, carried_out = draw(COUNT), draw(COUNT)
            rows["results_total"][column] = results
            rows["carried_in"][column] = carried_in
            rows["carried_out"][column] = max(carried_out, carried_in - results)
            rows["new"][column] = results + rows["carried_out"][column] - carried_in
        for cells in rows.values():
            cells["total"] = sum(cells[c] for c in APPLICANTS)
        t4: dict[str, dict[str, int]] = {}
        for row in fmt.table4.cell_rows:
            parts = {c.code: draw(COUNT) for c in fmt.table4.columns if not c.sum_of}
            t4[row.code] = {**parts, "total": sum(parts.values())}
        base = BASES[version]
        tables: dict[str, Any] = {
            t: {r: dict(cols) for r, cols in rs.items()} for t, rs in base.tables.items()
        }
        tables[T3], tables[T4] = rows, t4
        for table in fmt.tables:
            for row, column in table.cells():
                if column.kind is ValueKind.MONEY:
                    tables[table.code][row.code][column.code] = draw(MONEY)
        meta = {**base.meta.model_dump(), "unit": unit}
        return AnnualReport.model_validate({"meta": meta, "tables": tables})

    return build()


def with_blanks(report: AnnualReport, data: st.DataObject) -> AnnualReport:
    """The report with a few cells made blank."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    addresses = [(t, r, c) for t, rows in tables.items() for r, cols in rows.items() for c in cols]
    for table, row, column in data.draw(st.lists(st.sampled_from(addresses), max_size=8)):
        tables[table][row][column] = None
    return AnnualReport.model_validate({"meta": report.meta.model_dump(), "tables": tables})


def units_of(version: str, count: int) -> st.SearchStrategy[list[AnnualReport]]:
    return st.tuples(*(consistent_report(version, f"单位{i}") for i in range(count))).map(list)


VERSION = st.sampled_from(sorted(FORMATS))


@settings(max_examples=20, deadline=None)
@given(VERSION.flatmap(lambda v: consistent_report(v, "某街道办事处")), st.data())
def test_the_roll_up_of_one_report_is_that_report(
    report: AnnualReport, data: st.DataObject
) -> None:
    report = with_blanks(report, data)
    result = rollup([report], unit="某区", year=report.meta.year)
    assert result.report.tables == report.tables
    assert result.blank_in == {}
    assert result.report.meta.kind is ReportKind.ROLLUP
    assert result.report.meta.unit == "某区"


@settings(max_examples=20, deadline=None)
@given(VERSION.flatmap(lambda v: units_of(v, 3)), st.data())
def test_rolling_up_is_order_independent_and_associative(
    reports: list[AnnualReport], data: st.DataObject
) -> None:
    reports = [with_blanks(r, data) for r in reports]
    year = reports[0].meta.year
    flat = rollup(reports, unit="区", year=year).report.tables
    shuffled = data.draw(st.permutations(reports))
    assert rollup(shuffled, unit="区", year=year).report.tables == flat
    inner = rollup(reports[:2], unit="片区", year=year).report
    assert rollup([inner, reports[2]], unit="区", year=year).report.tables == flat


@settings(max_examples=20, deadline=None)
@given(VERSION.flatmap(lambda v: units_of(v, 3)))
def test_table_rules_that_hold_in_every_unit_hold_in_the_roll_up(
    reports: list[AnnualReport],
) -> None:
    for report in reports:
        assert [f for f in check_report(report) if f.category is Category.TABLE] == []
    result = rollup(reports, unit="区", year=reports[0].meta.year)
    assert [f for f in check_report(result.report) if f.category is Category.TABLE] == []


def _base(unit: str, version: str = "2021") -> AnnualReport:
    return BASES[version].with_meta(unit=unit)


def test_a_cell_blank_in_some_units_is_summed_from_the_others_and_says_which() -> None:
    column = APPLICANTS[0]
    a = _base("甲镇").with_cell(T3, T3_NEW, column, 5)
    b = _base("乙镇").with_cell(T3, T3_NEW, column, None)
    c = _base("丙局").with_cell(T3, T3_NEW, column, 7)
    result = rollup([a, b, c], unit="泉港区", year=a.meta.year)
    assert result.report.cell(T3, T3_NEW, column) == 12
    assert result.blank_in[(T3, T3_NEW, column)] == ("乙镇",)
    assert not result.is_complete
    assert result.contributions(T3, T3_NEW, column) == (("甲镇", 5), ("乙镇", None), ("丙局", 7))


def test_a_cell_blank_in_every_unit_stays_blank() -> None:
    column = APPLICANTS[0]
    a = _base("甲镇").with_cell(T3, T3_NEW, column, None)
    b = _base("乙镇").with_cell(T3, T3_NEW, column, None)
    result = rollup([a, b], unit="泉港区", year=a.meta.year)
    assert result.report.cell(T3, T3_NEW, column) is None
    assert (T3, T3_NEW, column) not in result.blank_in


def test_money_is_summed_exactly() -> None:
    fmt = FORMATS["2019"]
    table, row, column = next(
        (t.code, r.code, c.code)
        for t in fmt.tables
        for r, c in t.cells()
        if c.kind is ValueKind.MONEY
    )
    a = _base("甲镇", "2019").with_cell(table, row, column, Decimal("0.1"))
    b = _base("乙镇", "2019").with_cell(table, row, column, Decimal("0.2"))
    result = rollup([a, b], unit="泉港区", year=a.meta.year)
    assert result.report.cell(table, row, column) == Decimal("0.3")


def test_mixed_years_are_refused() -> None:
    a = _base("甲镇")
    b = _base("乙镇").with_meta(year=a.meta.year + 1)
    with pytest.raises(GongkaiError, match="不同年度"):
        rollup([a, b], unit="泉港区", year=a.meta.year)


def test_a_report_of_another_period_than_asked_is_refused() -> None:
    a = _base("甲镇")
    with pytest.raises(GongkaiError, match="不同年度"):
        rollup([a], unit="泉港区", year=a.meta.year + 1)


def test_mixed_formats_are_refused() -> None:
    a = _base("甲镇")
    b = _base("乙镇", "2019").with_meta(year=a.meta.year)
    with pytest.raises(GongkaiError, match="不同格式版本"):
        rollup([a, b], unit="泉港区", year=a.meta.year)


def test_one_unit_twice_is_refused() -> None:
    a = _base("甲镇")
    with pytest.raises(GongkaiError, match="出现两次"):
        rollup([a, _base("甲 镇")], unit="泉港区", year=a.meta.year)


def test_nothing_to_roll_up_is_refused() -> None:
    with pytest.raises(GongkaiError, match="没有可汇总"):
        rollup([], unit="泉港区", year=2021)


@settings(max_examples=20, deadline=None)
@given(VERSION.flatmap(lambda v: units_of(v, 3)), st.data())
def test_every_cell_is_the_sum_of_its_parts_and_names_its_blank_units(
    reports: list[AnnualReport], data: st.DataObject
) -> None:
    reports = [with_blanks(r, data) for r in reports]
    result = rollup(reports, unit="区", year=reports[0].meta.year)
    for (table, row, column), parts in result.parts.items():
        assert [name for name, _ in parts] == [r.meta.unit for r in reports]
        known = [v for _, v in parts if v is not None]
        blanks = tuple(name for name, v in parts if v is None)
        assert result.report.cell(table, row, column) == (sum(known) if known else None)
        expected = blanks if known and blanks else None
        assert result.blank_in.get((table, row, column)) == expected
