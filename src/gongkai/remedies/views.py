"""Pages for reconsideration and litigation: register one and record its result from the case
page, and the list of a unit's cases (the data of table 四).

Thin views: a form, one service call, a redirect; every refusal of the service is shown next to
the remedies panel of the case page. Another unit's case is the same 404 as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    applications_for,
    membership_of,
    visible_units,
)
from gongkai.applications import views as case_views
from gongkai.applications import worklists
from gongkai.applications.services import StaleVersionError
from gongkai.applications.views import PAGE_SIZE, _render_case, staff_view
from gongkai.core.errors import GongkaiError
from gongkai.remedies import services
from gongkai.remedies.forms import RemedyRegisterForm, RemedyResultForm
from gongkai.remedies.models import RECONSIDERATION, Remedy


def _case_url(application_id: int) -> str:
    return f"{reverse('applications:case', args=[application_id])}#remedies"


@require_POST
@staff_view
def remedy_register(request: HttpRequest, application_id: int) -> HttpResponseBase:
    today = case_views._today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    decided = list(
        Remedy.objects.filter(
            application=case.application, kind=RECONSIDERATION, decided_on__isnull=False
        )
    )
    form = RemedyRegisterForm(request.POST, today=today, decided=decided)

    def refuse(error: str, status: int) -> HttpResponseBase:
        bound: dict[str, Any] = {"remedy": form, "error": error, "panel": "remedies"}
        return _render_case(request, case, status=status, panels=bound)

    if not case.may_handle:
        return refuse(
            f"您可以查看申请 {case.application.tracking_number}，但无权登记复议或诉讼", 403
        )
    if not form.is_valid():
        return refuse("未登记，请按提示修改", 400)
    data = form.cleaned_data
    try:
        remedy = services.remedy_register(
            acting_user=request.user,
            application_id=application_id,
            kind=data["kind"],
            authority=data["authority"],
            filed_on=data["filed_on"],
            case_number=data["case_number"],
            reconsideration_id=data["reconsideration"],
            note=data["note"],
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return refuse(str(exc), 400)
    messages.success(request, f"已登记{remedy.get_kind_display()}：{remedy.authority}")
    return redirect(_case_url(application_id))


@require_POST
@staff_view
def remedy_result(request: HttpRequest, remedy_id: int) -> HttpResponseBase:
    remedy = (
        Remedy.objects.filter(pk=remedy_id, application__in=applications_for(request.user))
        .select_related("application")
        .first()
    )
    if remedy is None:
        raise AccessDeniedError(services.REMEDY_NOT_FOUND.format(id=remedy_id))
    today = case_views._today()
    application_id = remedy.application_id
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    form = RemedyResultForm(request.POST, today=today, remedy=remedy)

    def refuse(error: str, status: int) -> HttpResponseBase:
        bound = {"result": (remedy.pk, form), "error": error, "panel": "remedies"}
        return _render_case(request, case, status=status, panels=bound)

    if not case.may_handle:
        return refuse(f"您可以查看申请 {case.application.tracking_number}，但无权登记审结结果", 403)
    if not form.is_valid():
        return refuse("未登记审结结果，请按提示修改", 400)
    data = form.cleaned_data
    try:
        saved = services.remedy_record_result(
            acting_user=request.user,
            remedy_id=remedy.pk,
            expected_version=data["version"],
            result=data["result"],
            decided_on=data["decided_on"],
            note=data["note"],
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return refuse(str(exc), 409 if isinstance(exc, StaleVersionError) else 400)
    messages.success(
        request, f"已登记{saved.get_kind_display()}的审结结果：{saved.get_result_display()}"
    )
    return redirect(_case_url(application_id))


@require_GET
@staff_view
def remedy_list(request: HttpRequest) -> HttpResponseBase:
    """Every reconsideration and lawsuit over applications the user may read, newest first."""
    units = visible_units(request.user).order_by("path")
    if membership_of(request.user) is None or not units.exists():
        raise AccessDeniedError("您没有查看行政复议、行政诉讼案件的权限")
    remedies = (
        Remedy.objects.filter(application__in=applications_for(request.user, Action.VIEW_CASES))
        .select_related("application", "application__unit")
        .order_by("-filed_on", "-pk")
    )
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        remedies = remedies.filter(application__unit_id=int(unit))
    page = Paginator(remedies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "remedies/list.html",
        {"page": page, "units": units, "unit": unit, "today": case_views._today()},
    )
