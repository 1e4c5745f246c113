"""A unit's dashboard: the open cases and results of applications, table 四 from remedies, and
last year's annual reports against their Art 49 deadlines.

It composes applications and remedies (and offers the year-end carry-over), so it lives in the
presentation layer beside the case page (DESIGN.md §2, layering rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import Action, access_unit_by_id, can
from gongkai.agencies.models import Unit
from gongkai.agencies.pages import staff_view
from gongkai.applications.forms_files import CarryOverForm
from gongkai.applications.selectors import unit_dashboard
from gongkai.calendars.selectors import calendar_warnings_for
from gongkai.core.formats import TABLE4
from gongkai.remedies.selectors import table4_cells
from gongkai.reports.status import report_statuses


@dataclass(frozen=True, slots=True)
class Table4Row:
    label: str
    cells: list[int]


def dashboard_panels(
    user: Any, unit: Unit, *, today: dt.date, include_subunits: bool = False
) -> dict[str, Any]:
    """Table 四 of the current year for the dashboard, the link to its cases for those who may
    read them (a system administrator sees the counts, not the cases), and the carry-over form
    for handlers."""
    cells = table4_cells(user=user, unit=unit, year=today.year, include_subunits=include_subunits)
    rows = [
        Table4Row(
            label=row.name,
            cells=[cells[row.code][column.code] for column in TABLE4.columns],
        )
        for row in TABLE4.rows
    ]
    may_carry_over = can(user, Action.HANDLE, unit)
    return {
        "table4_title": TABLE4.title,
        "table4_columns": [column.label for column in TABLE4.columns],
        "table4_rows": rows,
        "remedies_link": can(user, Action.VIEW_CASES, unit),
        "carry_over_form": CarryOverForm(today=today) if may_carry_over else None,
    }


@require_GET
@staff_view
def dashboard(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """A unit's counts; ``?all=1`` adds every unit below it (for a supervising office)."""
    unit = access_unit_by_id(request.user, unit_id, Action.VIEW_DASHBOARD)
    include = request.GET.get("all") == "1"
    today = pages.today()
    board = unit_dashboard(user=request.user, unit=unit, include_subunits=include, today=today)
    panels = dashboard_panels(request.user, unit, today=today, include_subunits=include)
    # Last year's annual report against its Art 49 deadline, for whoever reads reports here.
    statuses = (
        report_statuses(user=request.user, unit=unit, year=today.year - 1, today=today)
        if can(request.user, Action.VIEW_REPORTS, unit)
        else []
    )
    context = {
        "board": board,
        "report_year": today.year - 1,
        "report_statuses": statuses,
        "include": include,
        "calendar_warnings": calendar_warnings_for(request.user, today),
        **panels,
    }
    return render(request, "web/dashboard.html", context)
