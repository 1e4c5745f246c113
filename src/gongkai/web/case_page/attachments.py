"""Uploading a case's files on the case page; a refused upload is shown next to its panel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.pages import staff_view
from gongkai.applications import worklists
from gongkai.applications.attachments import (
    AttachmentError,
    attachments_add,
    max_bytes,
    read_upload,
)
from gongkai.applications.forms_files import AttachmentForm
from gongkai.applications.views_attachments import MAX_FILES_PER_UPLOAD, request_too_large
from gongkai.core.errors import GongkaiError
from gongkai.web.case_page.views import render_case


# CSRF is checked by ``_upload``, after the size check: the middleware would otherwise read
# (and spool to disk) the whole body to find the token before the view could refuse it. The
# refusal itself changes nothing, so it needs no token.
@csrf_exempt
@require_POST
@staff_view
def attachment_upload(request: HttpRequest, application_id: int) -> HttpResponseBase:
    today = pages.today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    limit = max_bytes()
    if request_too_large(request, limit * MAX_FILES_PER_UPLOAD):
        form = AttachmentForm(initial={"version": case.application.version})
        error = (
            f"上传的内容超过 {limit * MAX_FILES_PER_UPLOAD / 1024 / 1024:.0f} MB"
            f"（每次最多 {MAX_FILES_PER_UPLOAD} 个文件、每个不超过 {limit / 1024 / 1024:.0f} MB），"
            "未上传"
        )
        return _panel(request, case, form, error, status=413)
    return _upload(request, case)


@csrf_protect
def _upload(request: HttpRequest, case: worklists.CaseView) -> HttpResponseBase:
    today = case.today
    application_id = case.application.pk
    form = AttachmentForm(request.POST, request.FILES)
    if not case.may_handle:
        error = f"您可以查看申请 {case.application.tracking_number}，但无权上传附件"
        return _panel(request, case, form, error, status=403)
    if not form.is_valid():
        return _panel(request, case, form, "附件未上传，请按提示修改", status=400)
    files = form.cleaned_data["upload"]
    if len(files) > MAX_FILES_PER_UPLOAD:
        return _panel(
            request, case, form, f"每次最多上传 {MAX_FILES_PER_UPLOAD} 个文件", status=400
        )
    kind = form.cleaned_data["kind"]
    version = form.cleaned_data["version"] or case.application.version
    try:
        added = attachments_add(
            acting_user=request.user,
            application_id=application_id,
            expected_version=version,
            uploads=[read_upload(file, kind) for file in files],
        )
    except AccessDeniedError:
        raise
    except (AttachmentError, GongkaiError) as exc:
        fresh = worklists.application_case(
            user=request.user, application_id=application_id, today=today
        )
        return _panel(request, fresh, form, str(exc), status=400)
    names = "、".join(a.original_name for a in added)
    messages.success(request, f"已上传附件：{names}")
    return redirect("applications:case", application_id)


def _panel(
    request: HttpRequest,
    case: worklists.CaseView,
    form: AttachmentForm,
    error: str,
    *,
    status: int,
) -> HttpResponseBase:
    return render_case(
        request,
        case,
        status=status,
        panels={"attachment": form, "error": error, "panel": "attachments"},
    )
