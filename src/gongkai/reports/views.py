"""The annual report page of a unit and year: the draft's tables and findings beside each other,
the published versions, and — for the 负责人 — the button that publishes or corrects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_unit_by_id,
    can,
    units_where,
)
from gongkai.agencies.pages import staff_view
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding
from gongkai.core.formats import T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.names import table_name
from gongkai.core.narrative.placeholders import Cell, placeholder_for
from gongkai.core.rollup import Rollup
from gongkai.reports import selectors, services
from gongkai.reports.drill import with_case_links
from gongkai.reports.prose import section_heading


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


@dataclass(frozen=True, slots=True)
class EditorTable:
    """A table beside the prose: each cell with the placeholder that writes its number."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[tuple[Any, str]]]]  # label, (value, placeholder) per column


def _editor_table(report: AnnualReport, code: str) -> EditorTable:
    fmt = report.format
    table = fmt.table(code)
    return EditorTable(
        title=table_name(fmt, table),
        columns=[column.label for column in table.columns],
        rows=[
            (
                row.label,
                [
                    (
                        report.group_sum(code, row.code, column.code),
                        placeholder_for(fmt, Cell(code, row.code, column.code)),
                    )
                    for column in table.columns
                ],
            )
            for row in table.rows
            if row.has_cells or row.sum_of
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
    report_format = draft.report.format
    sections = selectors.narrative_sections(
        user=request.user, unit_id=unit_id, year=year, draft=draft
    )
    return render(
        request,
        "reports/report.html",
        {
            "unit": unit,
            "year": year,
            "draft": draft,
            "versions": versions,
            "may_publish": can(request.user, Action.PUBLISH_REPORT, unit),
            "may_edit": can(request.user, Action.EDIT_REPORT, unit),
            "sections": sections,
            "history": selectors.narrative_history(user=request.user, unit_id=unit_id, year=year),
            "editor_tables": [_editor_table(draft.report, t.code) for t in report_format.tables],
            # A supervising office moves between its units' reports.
            "units": units_where(
                request.user, Action.VIEW_REPORTS, refusal="您没有查看年度报告的权限"
            ),
        },
    )


@require_http_methods(["POST"])
@staff_view
def narrative_save(request: HttpRequest, unit_id: int, year: int, section: str) -> HttpResponseBase:
    """Save one section's prose (the form posts here; works without JavaScript)."""
    try:
        services.narrative_save(
            acting_user=request.user,
            unit_id=unit_id,
            year=year,
            section=section,
            text=request.POST.get("text", ""),
        )
    except AccessDeniedError:
        raise
    except GongkaiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已保存“{section_heading(section)}”的正文")
    return redirect(f"{reverse('reports:report', args=(unit_id, year))}#section-{section}")


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity.value,
        "label": finding.severity.label,
        "rule": finding.rule,
        "message": finding.message,
        "excerpt": finding.excerpt or "",
    }


@require_http_methods(["POST"])
@staff_view
def narrative_check(
    request: HttpRequest, unit_id: int, year: int, section: str
) -> HttpResponseBase:
    """The live check: the findings about a section's sentences with the text being typed
    (unsaved), as JSON for the editor's script. Bad text gets its Chinese message, status 400."""
    try:
        checked = selectors.narrative_check(
            user=request.user,
            unit_id=unit_id,
            year=year,
            section=section,
            text=request.POST.get("text", ""),
        )
    except AccessDeniedError as error:
        return JsonResponse({"error": str(error)}, status=404)
    except GongkaiError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {
            "resolved": checked.resolved,
            "findings": [_finding_json(f) for f in checked.findings],
            "errors": sum(1 for f in checked.findings if f.is_error),
        },
        json_dumps_params={"ensure_ascii": False},
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
