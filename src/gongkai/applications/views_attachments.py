"""Pages for a case's files: download through the gatekeeper, and the size check that every
upload makes first. The upload answers on the case page, so it is in
:mod:`gongkai.web.case_page.attachments`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from gongkai.agencies.pages import staff_view
from gongkai.applications.attachments import attachment_get
from gongkai.applications.downloads import file_download

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


@require_GET
@staff_view
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    attachment = attachment_get(user=request.user, attachment_id=attachment_id)
    return file_download(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
