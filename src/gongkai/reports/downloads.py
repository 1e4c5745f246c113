"""Downloads of a unit's annual report: the draft and every published version, in each format.

Word, PDF, web page, Excel, plain text and JSON, rendered by :mod:`gongkai.core.render` from
what the selectors give: the draft as the data make it now, or a published version's stored
snapshot exactly as published (never the live data). Permission is the report page's own
(``Action.VIEW_REPORTS`` through the gatekeeper, asked by the selectors); a unit or version the
user may not read is the same 404 as one that does not exist. The file name is the report's
Chinese title, sent as RFC 5987 ``filename*`` (UTF-8, percent-encoded) with an ASCII
``filename`` for clients that do not read it.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from gongkai.agencies.pages import staff_view
from gongkai.core.errors import GongkaiError
from gongkai.core.render.report_files import MEDIA_TYPES, render_report_file
from gongkai.reports import selectors

# The formats offered, by the name in the address (also the file's suffix).
FORMATS: Final = tuple(suffix.lstrip(".") for suffix in MEDIA_TYPES)
UNKNOWN_FORMAT: Final = "不支持下载“{format}”格式的年度报告，可选格式：{formats}"


def _suffix(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404(UNKNOWN_FORMAT.format(format=fmt[:20], formats="、".join(FORMATS)))
    return f".{fmt}"


def content_disposition(name: str, *, fallback: str) -> str:
    """``attachment`` with the UTF-8 name (RFC 5987/6266) and an ASCII fallback."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _send(download: selectors.ReportDownload, suffix: str, fallback: str) -> HttpResponse:
    body = render_report_file(download.report, f"report{suffix}", charts=download.charts)
    response = HttpResponse(body, content_type=MEDIA_TYPES[suffix])
    response["Content-Disposition"] = content_disposition(
        download.name + suffix, fallback=fallback + suffix
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_view
def draft_download(request: HttpRequest, unit_id: int, year: int, fmt: str) -> HttpResponseBase:
    """The draft, rendered now from the cases, remedies and registers."""
    suffix = _suffix(fmt)
    download = selectors.draft_download(user=request.user, unit_id=unit_id, year=year)
    return _send(download, suffix, f"report-{unit_id}-{year}-draft")


@require_GET
@staff_view
def version_download(
    request: HttpRequest, unit_id: int, year: int, version: int, fmt: str
) -> HttpResponseBase:
    """A published version, rendered from its stored snapshot."""
    suffix = _suffix(fmt)
    try:
        download = selectors.version_download(
            user=request.user, unit_id=unit_id, year=year, version=version
        )
    except GongkaiError as error:  # the stored content no longer has its recorded hash
        raise Http404(str(error)) from None
    return _send(download, suffix, f"report-{unit_id}-{year}-v{version}")
