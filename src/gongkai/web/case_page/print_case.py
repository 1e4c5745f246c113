"""The printable case file: the application, its deadlines, its history, the list of its
attachments, then each letter sent with its 送达回证, one to an A4 page.

Who may read the case may print it (:func:`worklists.application_case` asks the gatekeeper).
The identity document and phone numbers are masked on paper, as in the API and in exports: a
printed file travels further than a screen (a folder, a copier, a signature round), and neither
number is needed to work on the case. Masked everywhere on the page, including where the
applicant's description or a clerk's note quotes them. Who holds the export right for the case's
unit (:data:`Action.EXPORT_PERSONAL_DATA`) may print them in full by saying why
(``?personal=1&reason=…``); the print is logged before it is shown, as an unmasked export is.

What was entered after the fact is marked 补录 on paper as on the screen: a letter sent earlier on
paper and numbered on entry (its 文号 is out of date order), and a reason added to a decision
afterwards (``ReasonsAdded``). The paper file is read without the system at hand, so it must say
which facts were recorded later and when.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.agencies.access_log import NO_EXPORT_RIGHT, access_record, export_unmasked_units
from gongkai.agencies.gatekeeper import AccessDeniedError, Action, can
from gongkai.agencies.models import AccessKind
from gongkai.agencies.pages import staff_view
from gongkai.applications import events as ev
from gongkai.applications import worklists
from gongkai.applications.attachments import attachment_list
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.core.errors import GongkaiError
from gongkai.core.masking import mask_id_number, mask_in_text, mask_phone
from gongkai.letters.print_selectors import letters_of_cases
from gongkai.web.case_page.views import event_summary

FULL_PRINT: str = "打印案卷（完整身份证明号码和联系电话）"


def printed_decision(
    events: Sequence[ApplicationEvent], masked: Callable[[str], str]
) -> ev.StatedDecision | None:
    """The case's decision with its reasons as they stand (:func:`ev.stated_decision`: a reason
    the result needs and nobody recorded printed blank, one added later with its day, which the
    page marks 补录), each reason's text masked as the rest of the page; ``None`` before any
    decision."""
    stated = ev.stated_decision(events)
    if stated is None:
        return None
    return dataclasses.replace(
        stated,
        reasons=tuple(
            dataclasses.replace(reason, text=masked(reason.text)) for reason in stated.reasons
        ),
    )


def _full_numbers(request: HttpRequest, app: Application) -> bool:
    """Whether this print shows the numbers in full: asked, allowed for the case's unit, with a
    reason, and logged. A refusal is said on the page, which then prints masked."""
    if request.GET.get("personal") != "1":
        return False
    reason = request.GET.get("reason", "")
    try:
        units = export_unmasked_units(user=request.user, wanted=True, reason=reason)
        if app.unit_id not in units:
            raise AccessDeniedError(NO_EXPORT_RIGHT)
    except GongkaiError as error:
        messages.error(request, str(error))
        return False
    access_record(
        user=request.user,
        unit_id=app.unit_id,
        kind=AccessKind.EXPORT,
        what=FULL_PRINT,
        request=request,
        application_id=app.pk,
        tracking_number=app.tracking_number,
        reason=reason,
    )
    return True


@require_GET
@staff_view
def case_print(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """The case file for printing (A4, no navigation when printed)."""
    case = worklists.application_case(user=request.user, application_id=application_id)
    app = case.application
    full = _full_numbers(request, app)

    def masked(text: str) -> str:
        if full:
            return text
        return mask_in_text(text, id_number=app.id_document_number, phone=app.phone)

    return render(
        request,
        "web/print_case.html",
        {
            "case": case,
            "app": app,
            "clock": case.state.clock if case.state else None,
            "history": [(event, masked(event_summary(event))) for event in case.events],
            "decision": printed_decision(case.events, masked),
            "attachments": attachment_list(application=app),
            "proofs": letters_of_cases(user=request.user, application_ids=[app.pk]),
            "id_shown": app.id_document_number if full else mask_id_number(app.id_document_number),
            "phone_shown": app.phone if full else mask_phone(app.phone),
            "description": masked(app.description),
            "full_numbers": full,
            "may_print_full": can(request.user, Action.EXPORT_PERSONAL_DATA, app.unit),
            "assignee": worklists.assignment_options(user=request.user, application=app).assignee,
        },
    )
