"""The annual report page of a unit and year: the draft's tables and findings beside each other,
the published versions, and — for the 负责人 — the button that publishes or corrects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.agencies.gatekeeper import Action, access_unit_by_id, can, units_where
from gongkai.agencies.pages import staff_view
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.rollup import Rollup
from gongkai.reports import selectors, services
from gongkai.reports.drill import with_case_links


@dataclass(frozen=True, slots=True)
class ShownTable:
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Any]]]


def _shown(report: AnnualReport, code: str) -> ShownTable:
    table = report.format.table(code)
    return ShownTable(
        title=table.title,
        columns=[column.label for column in table.columns],
        # Header rows ((三)不予公开…) carry no cells of their own: their label, blank cells.
        rows=[
            (
                row.label,
                [
                    report.cell(code, row.code, column.code) if row.has_cells else None
                    for column in table.columns
                ],
            )
            for row in table.rows
        ],
    )


@require_http_methods(["GET", "POST"])
@staff_view
def report_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponseBase:
    if request.method == "POST":
        try:
            published = services.report_publish(
                acting_user=request.user,
                unit_id=unit_id,
                year=year,
                reason=request.POST.get("reason", ""),
            )
        except GongkaiError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已发布 {year} 年度报告第 {published.version} 版")
        return redirect("reports:report", unit_id=unit_id, year=year)
    unit = access_unit_by_id(request.user, unit_id, Action.VIEW_REPORTS)
    draft = selectors.report_draft(user=request.user, unit_id=unit_id, year=year)
    versions = selectors.published_versions(user=request.user, unit_id=unit_id, year=year)
    return render(
        request,
        "reports/report.html",
        {
            "unit": unit,
            "year": year,
            "draft": draft,
            "tables": [_shown(draft.report, T3), _shown(draft.report, T4)],
            "versions": versions,
            "may_publish": can(request.user, Action.PUBLISH_REPORT, unit),
            # A supervising office moves between its units' reports.
            "units": units_where(
                request.user, Action.VIEW_REPORTS, refusal="您没有查看年度报告的权限"
            ),
        },
    )


@dataclass(frozen=True, slots=True)
class DrillRow:
    """One row of a rolled-up table, cell by cell per unit: the drill-down to the units."""

    label: str
    columns: list[str]
    units: list[tuple[str, list[Any]]]  # unit name, its value in each column
    blank: list[tuple[str, list[str]]]  # column label, the units that left it blank


def _drill(rollup: Rollup, code: str) -> list[DrillRow]:
    table = rollup.report.format.table(code)
    columns = [column.label for column in table.columns]
    rows = []
    for row in table.cell_rows:
        by_unit: dict[str, list[Any]] = {name: [] for name in rollup.units}
        for column in table.columns:
            for name, value in rollup.contributions(code, row.code, column.code):
                by_unit[name].append(value)
        blank = [
            (column.label, list(rollup.blank_in[(code, row.code, column.code)]))
            for column in table.columns
            if (code, row.code, column.code) in rollup.blank_in
        ]
        rows.append(DrillRow(row.label, columns, list(by_unit.items()), blank))
    return rows


@require_http_methods(["GET", "POST"])
@staff_view
def rollup_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponseBase:
    """The supervising office's roll-up: the summed tables, the units that have not published,
    the per-unit drill-down of every row, the roll-up's versions and its publication."""
    if request.method == "POST":
        try:
            published = services.rollup_publish(
                acting_user=request.user,
                unit_id=unit_id,
                year=year,
                reason=request.POST.get("reason", ""),
            )
        except GongkaiError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已发布 {year} 年度汇总报告第 {published.version} 版")
        return redirect("reports:rollup", unit_id=unit_id, year=year)
    draft = selectors.rollup_for(user=request.user, unit_id=unit_id, year=year)
    rollup = draft.rollup
    return render(
        request,
        "reports/rollup.html",
        {
            "unit": draft.unit,
            "year": year,
            "draft": draft,
            "tables": ([_shown(rollup.report, T3), _shown(rollup.report, T4)] if rollup else []),
            "drill": (
                [
                    (
                        rollup.report.format.table(code).title,
                        with_case_links(
                            _drill(rollup, code), draft=draft, code=code, user=request.user
                        ),
                    )
                    for code in (T3, T4)
                ]
                if rollup
                else []
            ),
            "versions": selectors.rollup_versions(user=request.user, unit_id=unit_id, year=year),
            "may_publish": can(request.user, Action.PUBLISH_ROLLUP, draft.unit),
        },
    )
