"""Pages for a case's files: upload on the case page, download through the gatekeeper."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.applications import views as case_views
from gongkai.applications import worklists
from gongkai.applications.attachments import (
    AttachmentError,
    attachment_get,
    attachments_add,
    max_bytes,
    read_upload,
)
from gongkai.applications.downloads import file_download
from gongkai.applications.forms_files import AttachmentForm
from gongkai.applications.views import _render_case, staff_view
from gongkai.core.errors import GongkaiError

# Multipart framing and the other fields of the form, on top of the files themselves.
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_FILES_PER_UPLOAD = 10


def request_too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the declared body is larger than ``limit`` files could make it, so the upload
    is refused before Django reads (and spools to disk) a single byte of it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + FORM_OVERHEAD_BYTES


# CSRF is checked by ``_upload``, after the size check: the middleware would otherwise read
# (and spool to disk) the whole body to find the token before the view could refuse it. The
# refusal itself changes nothing, so it needs no token.
@csrf_exempt
@require_POST
@staff_view
def attachment_upload(request: HttpRequest, application_id: int) -> HttpResponseBase:
    today = case_views._today()
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
    return _render_case(
        request,
        case,
        status=status,
        panels={"attachment": form, "error": error, "panel": "attachments"},
    )


@require_GET
@staff_view
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    attachment = attachment_get(user=request.user, attachment_id=attachment_id)
    return file_download(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
