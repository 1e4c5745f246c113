"""The 负责人's page of who looked at their unit's applicants' personal data, and its export.

The log names what was seen (“身份证明号码、联系电话”, an attachment's name), never the value,
so the page and its Excel file hold no ID or phone number themselves.
"""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook  # type: ignore[import-untyped]

from gongkai.agencies import pages
from gongkai.agencies.access_log import AccessLogFilters, access_log_for
from gongkai.agencies.forms import AccessLogForm
from gongkai.agencies.gatekeeper import Action, default_unit, units_where
from gongkai.agencies.pages import staff_view

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOG_HEADERS = ("时间", "人员", "姓名", "方式", "受理编号", "查看内容", "事由", "访问地址")


@require_GET
@staff_view
def access_log(request: HttpRequest) -> HttpResponseBase:
    units = units_where(
        request.user,
        Action.VIEW_ACCESS_LOG,
        refusal="您没有查看个人信息访问记录的权限（仅负责人可以查看本单位的记录）",
    )
    initial_unit = default_unit(request.user, units)
    form = AccessLogForm(request.GET or None, units=units, initial={"unit": initial_unit})
    filters = AccessLogFilters(unit=initial_unit)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = AccessLogFilters(
            unit=data["unit"],
            username=data["user"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            case=data["case"],
        )
    elif form.is_bound:
        rows = access_log_for(user=request.user, filters=filters).none()
        return render(
            request,
            "agencies/access_log.html",
            {"form": form, "page": pages.page_of(rows, request)},
        )
    rows = access_log_for(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows, filters)
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    params["format"] = "xlsx"
    return render(
        request,
        "agencies/access_log.html",
        {
            "form": form,
            "unit": filters.unit,
            "page": pages.page_of(rows, request),
            "export_query": params.urlencode(),
            "query": query,
        },
    )


def _xlsx(rows: object, filters: AccessLogFilters) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("个人信息访问记录")
    sheet.append(LOG_HEADERS)
    for row in rows:  # type: ignore[attr-defined]
        sheet.append(
            (
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.user.get_username(),
                row.user.get_full_name(),
                row.get_kind_display(),
                row.tracking_number,
                row.what,
                row.reason,
                row.address,
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"access-log-{filters.unit.pk}-{pages.today().isoformat()}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
