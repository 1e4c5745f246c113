"""The annual report of one unit and year, computed from the data — never typed.

* table 三 from the applications (:func:`gongkai.applications.carry_over.unit_table3_cells`: the
  same GROUP BY the dashboard shows, carry-in and carry-out included);
* table 四 from the remedies (:func:`gongkai.remedies.selectors.unit_table4_cells`);
* section 六's fee sentence from the fee notices (:mod:`gongkai.reports.fees`);
* section 二 from the registers (:func:`gongkai.registers.selectors.section2_cells`: counts
  derived from the normative documents' dates, the monthly decision counts and the fees).

:func:`build_report` asks no permission: it is the computation, called by the command line (run by
whoever holds the database) and by :mod:`gongkai.reports.selectors`, which asks the gatekeeper
first.
"""

from __future__ import annotations

from gongkai.agencies.models import Unit
from gongkai.applications.carry_over import unit_table3_cells
from gongkai.core.formats import SECTION_OTHER, T3, T4, format_for_year
from gongkai.core.model import AnnualReport, ReportKind, ReportMeta, TableCells
from gongkai.registers.selectors import section2_cells
from gongkai.remedies.selectors import unit_table4_cells
from gongkai.reports.fees import fee_figures


def section2_tables(*, unit: Unit, year: int) -> dict[str, TableCells]:
    """Section 二's tables (table code → row → column → value) for ``unit`` and ``year``,
    derived from the unit's registers (normative documents, decisions, fees): never typed."""
    return section2_cells(unit=unit, year=year)


def _cells(counts: dict[str, dict[str, int]]) -> TableCells:
    return {row: dict(columns) for row, columns in counts.items()}


def build_report(*, unit: Unit, year: int) -> AnnualReport:
    """The report of ``unit`` for ``year`` in the format in force for that year (unpublished:
    ``meta.published`` stays empty until :mod:`gongkai.reports.services` publishes it)."""
    fmt = format_for_year(year)
    meta = ReportMeta(
        unit=unit.name, year=year, format_version=fmt.version, kind=ReportKind(unit.kind)
    )
    tables: dict[str, TableCells] = {
        **section2_tables(unit=unit, year=year),
        T3: _cells(unit_table3_cells(unit=unit, year=year)),
        T4: _cells(unit_table4_cells(unit=unit, year=year)),
    }
    narrative = {SECTION_OTHER: fee_figures(unit=unit, year=year).statement()}
    return AnnualReport(meta=meta, tables=tables, narrative=narrative)
