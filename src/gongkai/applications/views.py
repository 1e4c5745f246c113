"""The staff pages of disclosure applications: thin views over the services and selectors.

The case page and the dashboard show letters and remedies too, so they are in the presentation
layer (:mod:`gongkai.web.case_page`, :mod:`gongkai.web.dashboard`), not here.

Each view parses input with a form from :mod:`gongkai.applications.forms`, asks the gatekeeper
(through a selector or a service) and renders. Every refusal the domain raises — a
:class:`~gongkai.core.errors.GongkaiError` in Chinese — is shown next to the form that caused
it; an object the user may not see is a 404 whose message does not say whether it exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.agencies import pages
from gongkai.agencies.access_log import export_record, export_unmasked_units
from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    applications_for,
    can,
    default_unit,
    may_anywhere,
    membership_of,
    units_where,
    visible_units,
)
from gongkai.agencies.models import Role
from gongkai.agencies.pages import staff_view
from gongkai.applications import forms as f
from gongkai.applications import worklists
from gongkai.applications.attachments import application_register_with_attachments, read_upload
from gongkai.applications.exports import (
    XLSX_CONTENT_TYPE,
    applications_workbook,
    open_cases_workbook,
)
from gongkai.applications.forms_files import RegisterAttachmentsForm
from gongkai.applications.selectors import (
    DUE_SOON_WORKING_DAYS,
    application_find_duplicates,
    application_list_open,
    cached_due_is_provisional,
)
from gongkai.applications.worklists import SearchFilters
from gongkai.calendars.selectors import calendar_warnings_for
from gongkai.core.errors import GongkaiError


def _export_unmasked(request: HttpRequest, *, what: str) -> frozenset[int]:
    """The units whose numbers this export shows in full (``?personal=1&reason=…``, the
    负责人 only), logged before the file is built; raises the refusal otherwise."""
    reason = request.GET.get("reason", "")
    unit_ids = export_unmasked_units(
        user=request.user, wanted=request.GET.get("personal") == "1", reason=reason
    )
    if unit_ids:
        export_record(
            user=request.user, unit_ids=unit_ids, what=what, reason=reason, request=request
        )
    return unit_ids


def _export_refused(request: HttpRequest, error: GongkaiError) -> HttpResponse:
    """An unmasked export refused: back to the list with the reason, nothing exported."""
    messages.error(request, str(error))
    params = request.GET.copy()
    for key in ("format", "personal", "reason"):
        params.pop(key, None)
    return redirect(f"{request.path}?{params.urlencode()}")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    )
    return response


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


def _list_unit(user: Any) -> Any:
    """The unit a clerk's or head's lists are about; ``None`` for a supervisor (every unit)."""
    membership = membership_of(user)
    return membership.unit if membership and membership.role in (Role.CLERK, Role.HEAD) else None


@require_GET
@staff_view
def my_cases(request: HttpRequest) -> HttpResponseBase:
    """The open cases of the clerk's unit (a supervisor: of every unit below), most urgent first.

    ``queue`` narrows them: ``mine`` (assigned to me, a clerk's default), ``unassigned`` (the
    unit's queue) or ``all``; the 负责人 also sees the load per clerk.
    """
    today = pages.today()
    unit = _list_unit(request.user)
    unit_rows = application_list_open(user=request.user, unit=unit, today=today)
    queue = worklists.parse_queue(request.GET.get("queue"), request.user)
    rows = worklists.rows_in_queue(unit_rows, user=request.user, queue=queue)
    # The 负责人 sees who carries what (one more query: the unit's handling members).
    members = worklists.bulk_assignees(user=request.user, unit=unit)
    load = (
        worklists.clerk_load(unit=unit, rows=unit_rows, today=today, members=members)
        if unit is not None and can(request.user, Action.ASSIGN, unit)
        else []
    )
    provisional = [row for row in rows if row.provisional.pending]
    # ``provisional=1`` is the older spelling of ``due=provisional`` (links in notices use it).
    due = worklists.parse_due_filter(
        "provisional" if request.GET.get("provisional") == "1" else request.GET.get("due")
    )
    due_counts = worklists.due_counts(rows, today=today)
    rows = worklists.rows_due(rows, due, today=today)
    only_provisional = due is worklists.DueFilter.PROVISIONAL
    if request.GET.get("format") == "xlsx":
        try:
            unmasked = _export_unmasked(
                request, what="未办结案件导出（完整身份证明号码和联系电话）"
            )
        except GongkaiError as error:
            return _export_refused(request, error)
        return _xlsx(
            open_cases_workbook(rows, today=today, unmasked=unmasked),
            f"open-cases-{today.isoformat()}.xlsx",
        )
    return render(
        request,
        "applications/my_cases.html",
        {
            "rows": rows,
            "show_unit": unit is None,  # a supervisor's list spans units
            "today": today,
            "due_soon_days": DUE_SOON_WORKING_DAYS,
            "overdue": sum(1 for r in rows if r.overdue),
            "due_soon": sum(1 for r in rows if r.due_soon and not r.overdue),
            "provisional": len(provisional),
            "provisional_years": sorted({y for r in provisional for y in r.provisional.years}),
            "only_provisional": only_provisional,
            "queue": queue.value,
            "queues": [(q.value, q.label) for q in worklists.Queue],
            "unassigned": sum(1 for r in unit_rows if r.application.assigned_to_id is None),
            "load": load,
            "due": due.value if due else "",
            "due_filters": [(d.value, d.label, due_counts[d.value]) for d in worklists.DueFilter],
            "members": members,
            "bulk_actions": f.BULK_ACTIONS,
            "may_export_personal": may_anywhere(request.user, Action.EXPORT_PERSONAL_DATA),
        },
    )


BAD_MONTH: Final = "月份“{value}”无效，请按“2025-06”的格式填写；已显示本月"


def _month(value: str | None, today: dt.date) -> tuple[dt.date, str]:
    """The first of the month named ``YYYY-MM`` in the URL, or this month with an error."""
    if not value:
        return today.replace(day=1), ""
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1), ""
    except (ValueError, TypeError):
        return today.replace(day=1), BAD_MONTH.format(value=value[:20])


@require_GET
@staff_view
def deadline_calendar(request: HttpRequest) -> HttpResponseBase:
    """The month's due dates as a grid, one cell a day, for the cases of 我的案件.

    The same live rows as the list (the same unit, the same queue), so a case is on the
    calendar exactly when it is in the list; overdue and due-today cases are coloured.
    """
    today = pages.today()
    month, error = _month(request.GET.get("month"), today)
    unit = _list_unit(request.user)
    unit_rows = application_list_open(user=request.user, unit=unit, today=today)
    queue = worklists.parse_queue(request.GET.get("queue"), request.user)
    rows = worklists.rows_in_queue(unit_rows, user=request.user, queue=queue)
    return render(
        request,
        "applications/calendar.html",
        {
            "cal": worklists.deadline_month(rows=rows, month=month, today=today),
            "error": error,
            "queue": queue.value,
            "queues": [(q.value, q.label) for q in worklists.Queue],
            "show_unit": unit is None,
            "weekdays": "一二三四五六日",
        },
        status=400 if error else 200,
    )


@require_GET
@staff_view
def search(request: HttpRequest) -> HttpResponseBase:
    """Every case the user may read, filtered; paginated on screen, complete in Excel."""
    units = visible_units(request.user).order_by("path")
    form = f.SearchForm(request.GET or None, units=units)
    queryset = applications_for(request.user).none()  # an invalid search finds nothing
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = SearchFilters(
            unit=data["unit"],
            status=data["status"],
            applicant_type=data["applicant_type"],
            channel=data["channel"],
            received_from=data["received_from"],
            received_to=data["received_to"],
            text=data["q"],
            provisional=data["provisional"],
            table3_year=data["table3_year"],
            table3_row=data["table3_row"],
        )
        queryset = worklists.application_search(user=request.user, filters=filters)
    elif not form.is_bound:
        queryset = worklists.application_search(user=request.user, filters=SearchFilters())
    if request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid()):
        today = pages.today()
        try:
            unmasked = _export_unmasked(request, what="查询结果导出（完整身份证明号码和联系电话）")
        except GongkaiError as error:
            return _export_refused(request, error)
        return _xlsx(
            applications_workbook(
                worklists.search_rows(queryset.iterator(chunk_size=2000)),
                title="查询结果",
                unmasked=unmasked,
            ),
            f"cases-{today.isoformat()}.xlsx",
        )
    page = pages.page_of(queryset, request)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "applications/search.html",
        {
            "form": form,
            "page": page,
            "rows": list(worklists.search_rows(page.object_list)),
            "query": params.urlencode(),
            "export_query": urlencode([*params.lists(), ("format", "xlsx")], doseq=True),
            "export_params": [(k, v) for k, values in params.lists() for v in values],
            "may_export_personal": may_anywhere(request.user, Action.EXPORT_PERSONAL_DATA),
        },
    )


@require_GET
@staff_view
def overview(request: HttpRequest) -> HttpResponseBase:
    """The supervising office's table: every unit it oversees, with its counts."""
    today = pages.today()
    data = worklists.unit_overview(user=request.user, today=today)
    if not data.units:
        raise AccessDeniedError("您没有查看各单位统计的权限")
    # The administrator's start page: what the calendar needs from them comes first.
    warnings = calendar_warnings_for(request.user, today)
    context = {"overview": data, "calendar_warnings": warnings}
    return render(request, "agencies/overview.html", context)


# ---------------------------------------------------------------------------------------------
# Registering an application
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def register(request: HttpRequest) -> HttpResponseBase:
    """Register an application; similar earlier ones are shown before anything is saved."""
    units = units_where(request.user, Action.REGISTER, refusal="您没有登记申请的权限")
    today = pages.today()
    initial = {"submitted_on": today, "unit": default_unit(request.user, units)}
    form = f.RegisterForm(request.POST or None, units=units, initial=initial)
    files = RegisterAttachmentsForm(request.POST or None, request.FILES or None)
    duplicates: list[Any] = []
    error = ""
    if request.method == "POST" and form.is_valid() and files.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_duplicate")
        unit = data.pop("unit")
        duplicates = application_find_duplicates(
            user=request.user,
            unit=unit,
            applicant_name=data["applicant_name"],
            id_document_number=data["id_document_number"],
            description=data["description"],
            on=data["submitted_on"],
        )
        if not duplicates or confirmed:
            try:
                application = application_register_with_attachments(
                    acting_user=request.user,
                    unit=unit,
                    uploads=[read_upload(file, kind) for kind, file in files.uploads()],
                    **data,
                )
            except AccessDeniedError:
                raise
            except GongkaiError as exc:
                error = str(exc)
            else:
                due = application.due_date.isoformat() if application.due_date else "—"
                if cached_due_is_provisional(application):
                    due += "（暂定：该年度放假安排尚未录入）"
                messages.success(
                    request,
                    f"已登记申请，受理编号 {application.tracking_number}；答复期限 {due}",
                )
                return redirect("applications:case", application.pk)
    status = 400 if request.method == "POST" and (error or form.errors or files.errors) else 200
    return render(
        request,
        "applications/register.html",
        {"form": form, "files": files, "duplicates": duplicates, "error": error},
        status=status,
    )
