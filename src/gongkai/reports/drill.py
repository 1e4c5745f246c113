"""The roll-up's drill-down from a unit's cell of table 三 to the cases behind it.

Each nonzero number a unit stated in table 三 links to the case search filtered by that unit,
the report's year, the cell's row and applicant column; the search keeps exactly the cases the
table counts (:func:`gongkai.applications.carry_over.table3_cell_cases`), so the list is as
long as the number — as long as the unit's cases have not changed since it published. Links are
offered only where the gatekeeper lets the reader see the unit's cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from django.urls import reverse

from gongkai.agencies.gatekeeper import Action, can
from gongkai.core.formats import T3, T3_TOTAL_COLUMN
from gongkai.reports.selectors import RollupDraft


class _Row(Protocol):
    """What :func:`gongkai.reports.views._drill` makes of a row (its DrillRow)."""

    @property
    def label(self) -> str: ...
    @property
    def columns(self) -> list[str]: ...
    @property
    def units(self) -> list[tuple[str, list[Any]]]: ...
    @property
    def blank(self) -> list[tuple[str, list[str]]]: ...


@dataclass(frozen=True, slots=True)
class DrillCell:
    value: Any
    href: str | None = None  # the case search behind the number, None when not offered


@dataclass(frozen=True, slots=True)
class LinkedRow:
    label: str
    columns: list[str]
    units: list[tuple[str, list[DrillCell]]]
    blank: list[tuple[str, list[str]]]


def case_search_url(*, unit_id: int, year: int, row: str, column: str) -> str:
    """The case search of one cell: ``column`` empty or the total column for every applicant."""
    params: dict[str, Any] = {"unit": unit_id, "table3_year": year, "table3_row": row}
    if column and column != T3_TOTAL_COLUMN.code:
        params["applicant_type"] = column
    return f"{reverse('applications:search')}?{urlencode(params)}"


def with_case_links(
    rows: Sequence[_Row], *, draft: RollupDraft, code: str, user: Any
) -> list[LinkedRow]:
    """``rows`` (the drill-down of table ``code``, in the format's cell-row and column order)
    with a case-search link on every nonzero cell of table 三 whose unit's cases ``user`` reads."""
    assert draft.rollup is not None
    table = draft.rollup.report.format.table(code)
    units = {p.unit.name: p.unit for p in draft.sources}
    linked_units = {
        name for name, unit in units.items() if code == T3 and can(user, Action.VIEW_CASES, unit)
    }
    result = []
    for row, shown in zip(table.cell_rows, rows, strict=True):
        cells_by_unit = []
        for name, values in shown.units:
            cells = []
            for column, value in zip(table.columns, values, strict=True):
                href = None
                if name in linked_units and isinstance(value, int) and value:
                    href = case_search_url(
                        unit_id=units[name].pk,
                        year=draft.year,
                        row=row.code,
                        column=column.code,
                    )
                cells.append(DrillCell(value, href))
            cells_by_unit.append((name, cells))
        result.append(LinkedRow(shown.label, shown.columns, cells_by_unit, shown.blank))
    return result
