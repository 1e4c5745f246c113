"""The printable case file: the application, its deadlines, its history, the list of its
attachments, then each letter sent with its 送达回证, one to an A4 page.

Who may read the case may print it (:func:`worklists.application_case` asks the gatekeeper).
The identity document and phone numbers are masked on paper, as in the API: a printed file
travels further than a screen (a folder, a copier, a signature round), and neither number is
needed to work on the case; the page shows them in full for who needs them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.agencies.pages import staff_view
from gongkai.applications import worklists
from gongkai.applications.attachments import attachment_list
from gongkai.core.masking import mask_id_number, mask_phone
from gongkai.letters.print_selectors import letters_of_cases
from gongkai.web.case_page.views import event_summary


@require_GET
@staff_view
def case_print(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """The case file for printing (A4, no navigation when printed)."""
    case = worklists.application_case(user=request.user, application_id=application_id)
    app = case.application
    return render(
        request,
        "web/print_case.html",
        {
            "case": case,
            "app": app,
            "clock": case.state.clock if case.state else None,
            "history": [(event, event_summary(event)) for event in case.events],
            "attachments": attachment_list(application=app),
            "proofs": letters_of_cases(user=request.user, application_ids=[app.pk]),
            "id_masked": mask_id_number(app.id_document_number),
            "phone_masked": mask_phone(app.phone),
            "assignee": worklists.assignment_options(user=request.user, application=app).assignee,
        },
    )
