"""The administrator's retention page: closed cases past the retention period, to archive."""

from __future__ import annotations

from typing import Final

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import AccessDeniedError, Action, may_anywhere
from gongkai.agencies.pages import staff_view
from gongkai.applications import services
from gongkai.core.errors import GongkaiError

NOT_ARCHIVIST: Final = "您没有归档案件的权限（仅系统管理员可以）"


@require_http_methods(["GET", "POST"])
@staff_view
def archive(request: HttpRequest) -> HttpResponseBase:
    if not may_anywhere(request.user, Action.ARCHIVE_CASES):
        raise AccessDeniedError(NOT_ARCHIVIST)
    if request.method == "POST":
        try:
            if request.POST.get("all") == "1":
                count = services.applications_archive_due(acting_user=request.user)
                messages.success(request, f"已归档 {count} 件案件。")
            else:
                archived = services.application_archive(
                    acting_user=request.user, application_id=request.POST.get("application")
                )
                messages.success(request, f"已归档 {archived.tracking_number}。")
        except AccessDeniedError:
            raise
        except GongkaiError as error:
            messages.error(request, str(error))
        return redirect("applications:archive")
    today = pages.today()
    cases = services.archivable_cases(user=request.user, on=today)
    return render(
        request,
        "applications/archive.html",
        {
            "page": pages.page_of(cases, request),
            "years": services.archive.retention_years(),
            "cutoff": services.archive.archive_cutoff(today),
        },
    )


@require_GET
@staff_view
def archived(request: HttpRequest) -> HttpResponseBase:
    """已归档: the archived cases of the administrator's units, read-only. Tracking number,
    unit and dates only: the administrator sees no applicant's personal data; who handles cases
    finds an archived one in 查询 by the status 已归档."""
    if not may_anywhere(request.user, Action.ARCHIVE_CASES):
        raise AccessDeniedError(NOT_ARCHIVIST)
    cases = services.archived_cases(user=request.user)
    return render(request, "applications/archived.html", {"page": pages.page_of(cases, request)})
