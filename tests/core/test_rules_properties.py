"""Properties of the table rules over generated reports, for both format versions.

Any table built to satisfy the format's arithmetic passes every table rule (the generated
(六)2 逾期未缴费 may rightly trip the fee rules against the fixture's section 六, so only the
table category is asserted); moving one applicant
cell of one result row breaks exactly that row's total and that column's (七)总计, nothing else.
The generator reads the rows to fill from the format declaration, as the rules do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.findings import Category
from gongkai.core.formats import APPLICANT_COLUMNS, FORMATS, T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.rules import check_report

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
BASES = {
    "2021": AnnualReport.from_json((REPORTS / "seed_quangang_2021.json").read_text("utf-8")),
    "2019": AnnualReport.from_json((REPORTS / "shanghai_2019.json").read_text("utf-8")),
}
APPLICANTS = [c.code for c in APPLICANT_COLUMNS]
COUNT = st.integers(min_value=0, max_value=60)


@st.composite
def consistent_report(draw: st.DrawFn) -> AnnualReport:
    version = draw(st.sampled_from(sorted(FORMATS)))
    fmt = FORMATS[version]
    t3 = fmt.table3
    leaves = t3.row("results_total").sum_of
    rows: dict[str, dict[str, int]] = {row: {} for row in (r.code for r in t3.cell_rows)}
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
    tables: dict[str, Any] = {**base.tables, T3: rows, T4: t4}
    return AnnualReport.model_validate(
        {"meta": base.meta.model_dump(), "tables": tables, "narrative": base.narrative}
    )


@settings(max_examples=40, deadline=None)
@given(consistent_report())
def test_a_table_built_by_the_format_arithmetic_passes(report: AnnualReport) -> None:
    assert [f for f in check_report(report) if f.category is Category.TABLE] == []


@settings(max_examples=40, deadline=None)
@given(consistent_report(), st.data())
def test_moving_one_result_cell_breaks_its_row_and_column(
    report: AnnualReport, data: st.DataObject
) -> None:
    t3 = report.format.table3
    leaf = data.draw(st.sampled_from(t3.row("results_total").sum_of))
    column = data.draw(st.sampled_from(APPLICANTS))
    delta = data.draw(st.integers(min_value=1, max_value=5))
    changed = report.with_cell(T3, leaf, column, report.tables[T3][leaf][column] + delta)
    findings = [f for f in check_report(changed) if f.category is Category.TABLE]
    assert {f.rule for f in findings} == {"t3.row_total", "t3.results_total"}
    assert all(f.category is Category.TABLE and f.is_error for f in findings)
    (row_finding,) = [f for f in findings if f.rule == "t3.row_total"]
    assert {(c.row, c.column) for c in row_finding.cells} >= {(leaf, column), (leaf, "total")}
    (column_finding,) = [f for f in findings if f.rule == "t3.results_total"]
    assert column_finding.message.startswith(f"「{t3.column(column).label}」列")
