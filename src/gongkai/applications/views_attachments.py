"""Pages for a case's files: download through the gatekeeper, and the size check that every
upload makes first. The upload answers on the case page, so it is in
:mod:`gongkai.web.case_page.attachments`."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from gongkai.agencies.access_log import access_record
from gongkai.agencies.models import AccessKind
from gongkai.agencies.pages import staff_view
from gongkai.applications.attachments import attachment_get
from gongkai.applications.downloads import file_download

# Multipart framing and the other fields of the form, on top of the files themselves.
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_FILES_PER_UPLOAD = 10
FILE_MISSING = (
    "附件“{name}”的登记记录还在，但文件已不在服务器上，无法下载。"
    "请联系系统管理员从备份中恢复该文件，或向申请人重新收取该材料后上传"
)


def request_too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the declared body is larger than ``limit`` files could make it, so the upload
    is refused before Django reads (and spools to disk) a single byte of it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + FORM_OVERHEAD_BYTES


@require_GET
@staff_view
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    attachment = attachment_get(user=request.user, attachment_id=attachment_id)
    try:
        opened = attachment.file.open("rb")
    except OSError:
        # The row is evidence and stays; its bytes were lost outside gongkai (a disk, a restore).
        logging.getLogger("gongkai.security").error(
            "附件文件缺失：附件 %s（%s）", attachment.pk, attachment.file.name
        )
        raise Http404(FILE_MISSING.format(name=attachment.original_name)) from None
    # An attachment may be an identity document: every download is a logged look at it.
    access_record(
        user=request.user,
        unit_id=attachment.application.unit_id,
        kind=AccessKind.DOWNLOAD,
        what=f"附件“{attachment.original_name}”（{attachment.get_kind_display()}）",
        request=request,
        application_id=attachment.application_id,
        tracking_number=attachment.application.tracking_number,
    )
    return file_download(
        opened,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
