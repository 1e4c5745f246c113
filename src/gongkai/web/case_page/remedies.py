"""Reconsideration and litigation on the case page: register one, record its result.

Thin views: a form, one service call, a redirect; every refusal of the service is shown next to
the remedies panel of the case page. Another unit's case is the same 404 as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import AccessDeniedError, access_remedy_by_id
from gongkai.agencies.pages import staff_view
from gongkai.applications import worklists
from gongkai.applications.services import StaleVersionError
from gongkai.core.errors import GongkaiError
from gongkai.remedies import services
from gongkai.remedies.forms import RemedyRegisterForm, RemedyResultForm
from gongkai.remedies.selectors import decided_reconsiderations, remedy_list_for_application
from gongkai.web.case_page.views import render_case


def _case_url(application_id: int) -> str:
    return f"{reverse('applications:case', args=[application_id])}#remedies"


@require_POST
@staff_view
def remedy_register(request: HttpRequest, application_id: int) -> HttpResponseBase:
    today = pages.today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    decided = decided_reconsiderations(remedy_list_for_application(application=case.application))
    form = RemedyRegisterForm(request.POST, today=today, decided=decided)

    def refuse(error: str, status: int) -> HttpResponseBase:
        bound: dict[str, Any] = {"remedy": form, "error": error, "panel": "remedies"}
        return render_case(request, case, status=status, panels=bound)

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
    remedy = access_remedy_by_id(request.user, remedy_id)
    today = pages.today()
    application_id = remedy.application_id
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    form = RemedyResultForm(request.POST, today=today, remedy=remedy)

    def refuse(error: str, status: int) -> HttpResponseBase:
        bound = {"result": (remedy.pk, form), "error": error, "panel": "remedies"}
        return render_case(request, case, status=status, panels=bound)

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
