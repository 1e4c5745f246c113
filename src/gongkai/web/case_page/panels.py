"""What the case page shows beyond the workflow: letters, remedies and attachments.

The case page's application was already fetched through the gatekeeper
(:func:`gongkai.applications.worklists.application_case`), so the panels read its letters,
remedies and files by that application — one query each — and decide which letters to offer
from the history the page already holds, without asking the database again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gongkai.applications.attachments import attachment_list
from gongkai.applications.forms_files import AttachmentForm
from gongkai.applications.worklists import CaseView
from gongkai.letters.context import letter_choices, letter_step_on, provisional_dates
from gongkai.letters.forms import LetterSendForm
from gongkai.letters.models import LetterKind
from gongkai.letters.selectors import letters_sent
from gongkai.remedies.forms import RemedyRegisterForm, RemedyResultForm
from gongkai.remedies.selectors import decided_reconsiderations, remedy_list_for_application


@dataclass(frozen=True, slots=True)
class LetterOption:
    """A letter the case's history allows now, with its send form."""

    kind: LetterKind
    party: str
    form: LetterSendForm | None  # None for someone who may read but not handle the case
    on: dt.date | None = None  # the date it is offered for (preview and send)
    # Dates it states that were counted over a provisional year (to confirm before sending).
    provisional: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.kind.label}（{self.party}）" if self.party else self.kind.label


def letter_options(case: CaseView) -> list[tuple[LetterKind, str]]:
    """(kind, party) of every notice the history has a step for, then the reply letter."""
    return letter_choices(case.application, case.events)


def case_panels(
    user: Any, case: CaseView, *, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Context for the letters, remedies and attachments panels of the case page.

    ``bound`` replaces the blank form of one panel by the one the clerk submitted (with its
    errors): ``{"letter": (kind, party, form)}``, ``{"remedy": form}``,
    ``{"result": (remedy_id, form)}`` or ``{"attachment": form}``; ``panel_error`` is shown
    next to it.
    """
    bound = bound or {}
    app = case.application
    handle = case.may_handle
    version = app.version
    letters: list[LetterOption] = []
    bound_letter = bound.get("letter")
    for kind, party in letter_options(case):
        # Dated by default on the day of the step it reports (a back-filled case's letters keep
        # their dates), never after the day the page is shown for.
        step_on = letter_step_on(app, case.events, kind, party)
        on = min(step_on, case.today) if step_on else case.today
        form: LetterSendForm | None = None
        if handle:
            if bound_letter and bound_letter[0] == kind and bound_letter[1] == party:
                form = bound_letter[2]
            else:
                form = LetterSendForm(
                    today=case.today,
                    initial={"version": version, "kind": kind.value, "party": party, "on": on},
                    prefix=f"letter-{kind.value}-{len(letters)}",
                )
        provisional = provisional_dates(app, case.events, kind, on, party)
        letters.append(
            LetterOption(kind=kind, party=party, form=form, on=on, provisional=provisional)
        )
    sent = letters_sent(application=app)
    remedies = remedy_list_for_application(application=app)
    decided = decided_reconsiderations(remedies)
    bound_result = bound.get("result")
    remedy_rows = []
    for remedy in remedies:
        result_form = None
        if handle and not remedy.result:
            if bound_result and bound_result[0] == remedy.pk:
                result_form = bound_result[1]
            else:
                result_form = RemedyResultForm(today=case.today, remedy=remedy)
        remedy_rows.append((remedy, result_form))
    return {
        "letter_options": letters,
        "sent_letters": sent,
        "remedy_rows": remedy_rows,
        "remedy_form": (
            bound.get("remedy") or RemedyRegisterForm(today=case.today, decided=decided)
            if handle
            else None
        ),
        "attachments": attachment_list(application=app),
        "attachment_form": (
            bound.get("attachment") or AttachmentForm(initial={"version": version})
            if handle
            else None
        ),
        "panel_error": bound.get("error", ""),
        "panel": bound.get("panel", ""),
    }
