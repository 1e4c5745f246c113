"""Bulk actions on the cases ticked in 我的案件: assign them, export them, print their letters.

Each case goes through the same service as on its own page (assignment writes one event per
case, with the version the clerk saw in the list), so a bulk action can do nothing a clerk could
not do case by case; a case refused is reported by its number with the service's reason, and
the others still go through.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies import pages
from gongkai.agencies.access_log import export_record, export_unmasked_units
from gongkai.agencies.pages import staff_view
from gongkai.applications import forms as f
from gongkai.applications import services, worklists
from gongkai.applications.exports import applications_workbook
from gongkai.applications.selectors import applications_selected
from gongkai.applications.views import _list_unit, _xlsx
from gongkai.core.errors import GongkaiError

NOT_FOUND: Final = "{count} 件所选案件未找到，或您无权查看"
ASSIGNED: Final = "已为 {count} 件案件指定承办人：{numbers}"
REFUSED: Final = "{number} 未指定承办人：{reason}"


def _back(request: HttpRequest) -> str:
    """My cases with the queue and filter the clerk was looking at."""
    keep = [(k, request.POST[k]) for k in ("queue", "due") if request.POST.get(k)]
    url = reverse("applications:my_cases")
    return f"{url}?{urlencode(keep)}" if keep else url


@require_POST
@staff_view
def bulk(request: HttpRequest) -> HttpResponseBase:
    """Run one action on the ticked cases; refusals are listed per case, never all-or-nothing."""
    unit = _list_unit(request.user)
    members = worklists.bulk_assignees(user=request.user, unit=unit)
    form = f.BulkForm(request.POST, members=members)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_back(request))
    data = form.cleaned_data
    ids: list[int] = data["ids"]
    applications = applications_selected(user=request.user, ids=ids)
    missing = len(set(ids)) - len(applications)
    if missing:
        messages.error(request, NOT_FOUND.format(count=missing))
    if not applications:
        return redirect(_back(request))
    if data["action"] == f.BULK_EXPORT:
        try:
            unmasked = export_unmasked_units(
                user=request.user, wanted=data["personal"], reason=data["reason"]
            )
        except GongkaiError as error:
            messages.error(request, str(error))
            return redirect(_back(request))
        if unmasked:
            export_record(
                user=request.user,
                unit_ids=unmasked,
                what="所选案件导出（完整身份证明号码和联系电话）",
                reason=data["reason"],
                request=request,
            )
        today = pages.today()
        rows = worklists.search_rows(applications)
        return _xlsx(
            applications_workbook(rows, title="所选案件", unmasked=unmasked),
            f"selected-{today.isoformat()}.xlsx",
        )
    if data["action"] == f.BULK_PRINT:
        query = urlencode([("case", app.pk) for app in applications])
        return redirect(f"{reverse('letters:print_cases')}?{query}")
    done: list[str] = []
    for application in applications:
        seen = request.POST.get(f"version-{application.pk}", "")
        try:
            services.application_assign(
                acting_user=request.user,
                application_id=application.pk,
                expected_version=int(seen) if seen.isdigit() else application.version,
                assignee_id=data["assignee"],
                note=data["note"],
            )
        except GongkaiError as exc:
            messages.error(request, REFUSED.format(number=application.tracking_number, reason=exc))
        else:
            done.append(application.tracking_number)
    if done:
        messages.success(request, ASSIGNED.format(count=len(done), numbers="、".join(done)))
    return redirect(_back(request))
