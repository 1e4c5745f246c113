"""The roll-up: a supervising office's report as the cell-wise sum of its units' reports.

Issue 11 §4. A district (or city) states, for one year, the sum of what its units stated. The
sum is taken cell by cell over every cell of the format declaration, so header rows, totals and
the balance 一+二=三(七)+四 carry over: a linear relation that holds in every unit holds in
their sum.

Blank is not zero. A cell blank in every unit stays blank in the roll-up. A cell blank in only
some units is summed from the units that stated it, and :attr:`Rollup.blank_in` says which units
left it blank, so that the supervisor sees the sum is a lower bound and whom to ask. Money cells
(万元) are :class:`~decimal.Decimal` and are summed exactly.

Pure: no Django. The ``reports`` app feeds it the units' latest published versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.core.errors import GongkaiError
from gongkai.core.model import AnnualReport, CellValue, ReportKind, ReportMeta, unit_key

# A cell's address: (table code, row code, column code), codes from gongkai.core.formats.
Cell = tuple[str, str, str]


@dataclass(frozen=True)
class Rollup:
    """A roll-up report and what it was summed from.

    ``units`` are the contributing units' names in the order given. ``blank_in`` maps each cell
    that some (not all) units left blank to those units' names; a cell blank everywhere is blank
    in ``report`` and absent here. ``parts`` gives, per cell, every unit's own value (blanks
    included) for the drill-down from a cell to the units.
    """

    report: AnnualReport
    units: tuple[str, ...]
    blank_in: dict[Cell, tuple[str, ...]] = field(default_factory=dict)
    parts: dict[Cell, tuple[tuple[str, CellValue], ...]] = field(default_factory=dict)

    def contributions(self, table: str, row: str, column: str) -> tuple[tuple[str, CellValue], ...]:
        """Each unit's value in one cell, in the order of :attr:`units`."""
        return self.parts[(table, row, column)]

    @property
    def is_complete(self) -> bool:
        """True when no cell is a sum over only some of the units."""
        return not self.blank_in


def rollup(reports: Sequence[AnnualReport], *, unit: str, year: int) -> Rollup:
    """Sum ``reports`` cell by cell into ``unit``'s roll-up report for ``year``.

    Refused (:class:`GongkaiError`, in Chinese) when there is nothing to sum, when a report is of
    another year or another format version than the rest, or when one unit appears twice.
    """
    if not reports:
        raise GongkaiError(f"{unit} {year} 年度没有可汇总的年度报告")
    version = reports[0].meta.format_version
    seen: dict[str, str] = {}
    for report in reports:
        if not isinstance(report, AnnualReport):
            raise GongkaiError(
                f"只能汇总年度报告（AnnualReport），收到的是 {type(report).__name__}"
            )
        meta = report.meta
        if meta.year != year:
            raise GongkaiError(
                f"不能汇总不同年度的报告：{meta.unit} 的报告是 {meta.year} 年度，"
                f"汇总的是 {year} 年度"
            )
        if meta.format_version != version:
            raise GongkaiError(
                f"不能汇总不同格式版本的报告：{reports[0].meta.unit} 的报告为 {version} 版，"
                f"{meta.unit} 的报告为 {meta.format_version} 版"
            )
        key = unit_key(meta.unit)
        if key in seen:
            raise GongkaiError(f"同一单位的报告出现两次：{seen[key]}、{meta.unit}")
        seen[key] = meta.unit

    units = tuple(r.meta.unit for r in reports)
    fmt = reports[0].format
    tables: dict[str, dict[str, dict[str, CellValue]]] = {}
    blank_in: dict[Cell, tuple[str, ...]] = {}
    parts: dict[Cell, tuple[tuple[str, CellValue], ...]] = {}
    for table in fmt.tables:
        rows: dict[str, dict[str, CellValue]] = {}
        for row, column in table.cells():
            address = (table.code, row.code, column.code)
            values = tuple(
                (name, r.tables[table.code][row.code][column.code])
                for name, r in zip(units, reports, strict=True)
            )
            parts[address] = values
            known = [v for _, v in values if v is not None]
            blanks = tuple(name for name, v in values if v is None)
            total: CellValue = None
            if known:
                total = _exact_sum(known)
                if blanks:
                    blank_in[address] = blanks
            rows.setdefault(row.code, {})[column.code] = total
        tables[table.code] = rows

    meta = ReportMeta(unit=unit, year=year, format_version=version, kind=ReportKind.ROLLUP)
    report = AnnualReport.model_validate({"meta": meta.model_dump(), "tables": tables})
    return Rollup(report=report, units=units, blank_in=blank_in, parts=parts)


def _exact_sum(values: list[int | Decimal]) -> int | Decimal:
    """Integers stay integers; any Decimal makes the sum an exact Decimal (never a float)."""
    total: int | Decimal = 0
    for value in values:
        total = total + value
    return total
