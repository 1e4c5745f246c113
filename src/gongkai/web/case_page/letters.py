"""Letters on the case page: preview a letter and send it (发送并存档).

A letter that cannot be produced (a missing step, a template that fails, a stale version) is
shown next to the letters panel of the case page, never as a traceback; another unit's case is
the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import AccessDeniedError, access_application_by_id
from gongkai.agencies.pages import staff_view
from gongkai.applications import worklists
from gongkai.applications.downloads import bytes_download
from gongkai.applications.services import ApplicationError
from gongkai.core.errors import GongkaiError
from gongkai.letters import services
from gongkai.letters.forms import LetterSendForm
from gongkai.letters.models import LetterKind
from gongkai.letters.selectors import CONTENT_TYPES
from gongkai.letters.views import file_format_of, letter_kind_of
from gongkai.web.case_page.views import case_url, render_case

PREVIEW_SUFFIX: Final = "预览"


@require_GET
@staff_view
def letter_preview(
    request: HttpRequest, application_id: int, kind: str, file_format: str
) -> HttpResponseBase:
    """The letter as it would be sent, to download and read; nothing is archived or written."""
    letter_kind, ext = letter_kind_of(kind), file_format_of(file_format)
    party = request.GET.get("party", "")
    try:
        on = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else None
        rendered = services.letter_preview(
            user=request.user, application_id=application_id, kind=letter_kind, party=party, on=on
        )
    except AccessDeniedError:
        raise
    except (GongkaiError, ValueError) as exc:
        case = worklists.application_case(
            user=request.user, application_id=application_id, today=pages.today()
        )
        error = f"无法预览{letter_kind.label}：{exc}"
        return render_case(request, case, status=400, panels={"error": error, "panel": "letters"})
    number = access_application_by_id(request.user, application_id).tracking_number
    filename = f"{number}-{letter_kind.label}-{PREVIEW_SUFFIX}.{ext}"
    return bytes_download(
        rendered.docx if ext == "docx" else rendered.pdf,
        filename=filename,
        content_type=CONTENT_TYPES[ext],
    )


@require_POST
@staff_view
def letter_send(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """发送并存档: archive the letter and write the ``letter_sent`` event (optimistic lock)."""
    today = pages.today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    prefix = _prefix_of(request)
    kind_value = request.POST.get(f"{prefix}-kind", "")
    party = request.POST.get(f"{prefix}-party", "")
    form = LetterSendForm(request.POST, today=today, prefix=prefix)
    letter_kind = LetterKind(kind_value) if kind_value in LetterKind.values else None

    def refuse(error: str, status: int) -> HttpResponseBase:
        bound: dict[str, Any] = {"error": error, "panel": "letters"}
        if letter_kind is not None:
            bound["letter"] = (letter_kind, party, form)
        return render_case(request, case, status=status, panels=bound)

    if not case.may_handle:
        return refuse(f"您可以查看申请 {case.application.tracking_number}，但无权发送文书", 403)
    if not form.is_valid() or letter_kind is None:
        return refuse("文书未发送，请按提示修改", 400)
    data = form.cleaned_data
    try:
        letter = services.letter_send(
            acting_user=request.user,
            application_id=application_id,
            expected_version=data["version"],
            kind=data["kind"],
            party=data["party"],
            on=data["on"],
            confirm_provisional=data["confirm_provisional"],
            serial=data.get("serial"),
        )
    except AccessDeniedError:
        raise
    except (ApplicationError, GongkaiError) as exc:
        case = worklists.application_case(
            user=request.user, application_id=application_id, today=today
        )
        if data["version"] != case.application.version:
            form = LetterSendForm(
                today=today,
                prefix=prefix,
                initial={"version": case.application.version, "kind": kind_value, "party": party},
            )
        return refuse(str(exc), 409 if data["version"] != case.application.version else 400)
    messages.success(request, f"已发送并存档：{letter.title}（{letter.recipient}）")
    return redirect(f"{case_url(application_id, data['on'])}#letters")


def _prefix_of(request: HttpRequest) -> str:
    """The prefix of the submitted send form (one form per letter on the page)."""
    for key in request.POST:
        if key.startswith("letter-") and key.endswith("-version"):
            return key.removesuffix("-version")
    return ""
