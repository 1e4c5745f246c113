"""The applicant's ID and phone numbers on the case page: masked, revealed only on “显示”.

Opening a case is daily work and must not flood the access log, so the page shows the numbers
masked and logs nothing. The “显示” button posts here: the look is logged
(:func:`gongkai.agencies.access_log.access_record`), then the page is shown once with the full
numbers — the reveal is a one-time flag in the session, spent by the next rendering, so a
reload shows them masked again and a second look is a second log entry.
"""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies.access_log import ID_NUMBER, PHONE, access_record
from gongkai.agencies.gatekeeper import access_application_by_id
from gongkai.agencies.models import AccessKind
from gongkai.agencies.pages import staff_view
from gongkai.core.masking import mask_id_number, mask_phone

_SESSION_KEY: Final = "gongkai_revealed_cases"


def personal_data_context(request: HttpRequest, application: Any) -> dict[str, Any]:
    """What the page's 身份证明 and 联系方式 lines show: masked, or once after a logged reveal."""
    revealed: list[int] = list(request.session.get(_SESSION_KEY, []))
    shown = application.pk in revealed
    if shown:
        revealed.remove(application.pk)
        request.session[_SESSION_KEY] = revealed
    id_number = application.id_document_number
    phone = application.phone
    return {
        "personal": {
            "revealed": shown,
            "id_number": id_number if shown else mask_id_number(id_number),
            "phone": phone if shown else mask_phone(phone),
        }
    }


@require_POST
@staff_view
def personal_data_reveal(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """Log the look, then show the case page once with the full numbers."""
    application = access_application_by_id(request.user, application_id)
    fields = [ID_NUMBER] + ([PHONE] if application.phone else [])
    access_record(
        user=request.user,
        unit_id=application.unit_id,
        kind=AccessKind.REVEAL,
        what="、".join(fields),
        request=request,
        application_id=application.pk,
        tracking_number=application.tracking_number,
    )
    revealed = [pk for pk in request.session.get(_SESSION_KEY, []) if pk != application.pk]
    request.session[_SESSION_KEY] = [*revealed[-20:], application.pk]
    return redirect(reverse("applications:case", args=[application.pk]) + "#personal-data")
