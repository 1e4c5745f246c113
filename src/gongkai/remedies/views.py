"""The list of a unit's reconsiderations and lawsuits (the data of table 四).

Registering one and recording its result answer on the case page, so those views are in
:mod:`gongkai.web.case_page.remedies`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import Action, units_where
from gongkai.agencies.pages import staff_view
from gongkai.remedies import selectors


@require_GET
@staff_view
def remedy_list(request: HttpRequest) -> HttpResponseBase:
    """Every reconsideration and lawsuit over applications the user may read, newest first."""
    units = units_where(
        request.user, Action.VIEW_CASES, refusal="您没有查看行政复议、行政诉讼案件的权限"
    )
    unit = request.GET.get("unit", "")
    remedies = selectors.remedy_list(
        user=request.user, unit_id=int(unit) if unit.isdigit() else None
    )
    page = pages.page_of(remedies, request)
    return render(
        request,
        "remedies/list.html",
        {"page": page, "units": units, "unit": unit, "today": pages.today()},
    )
