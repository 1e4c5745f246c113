"""Reads for the public pages and the office's list of online applications. A case is found
for the public only through :mod:`gongkai.portal.apply.throttle` (number and second factor)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.applications import events as ev
from gongkai.applications.models import (
    Application,
    EventKind,
    OnlineSubmission,
)
from gongkai.applications.selectors import cached_due_is_provisional
from gongkai.core.masking import mask_in_text
from gongkai.letters.models import LetterKind, SentLetter

# Letters to third parties and other agencies: never shown to the applicant.
CONSULTATION_LETTERS = (LetterKind.CONSULTATION_THIRD_PARTY, LetterKind.CONSULTATION_AGENCY)


def submission_by_number(number: str) -> OnlineSubmission | None:
    """A submission known to this browser already (its receipt, an earlier look-up)."""
    # The number is unique: no ORDER BY (``first()`` would add one) on this busiest query.
    found = list(
        OnlineSubmission.objects.select_related("unit", "application").filter(public_number=number)[
            :1
        ]
    )
    return found[0] if found else None


def submission_to_check(number: str) -> OnlineSubmission | None:
    """The submission a look-up checks the second factor against: only the columns it needs
    (the look-up answers with a redirect; the case page reads the case)."""
    found = list(
        OnlineSubmission.objects.filter(public_number=number).only(
            "public_number", "phone", "id_document_number"
        )[:1]
    )
    return found[0] if found else None


# The steps an applicant is told about: the notices addressed to them, and the reply.
PUBLIC_EVENT_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.SUPPLEMENT_RECEIVED,
        EventKind.EXTENSION_APPROVED,
        EventKind.FEE_NOTICE_SENT,
        EventKind.FEE_PAID,
        EventKind.DECIDED,
        EventKind.REPLY_SENT,
        EventKind.WITHDRAWN,
        EventKind.DELAYED_REPLY,
    }
)


def public_history(application: Application) -> list[dict[str, object]]:
    """The case's steps the applicant may see, oldest first; no clerk names, no notes."""
    return [
        {"date": event.date, "label": event.get_kind_display()}
        for event in application.events.filter(kind__in=PUBLIC_EVENT_KINDS).order_by("id")
    ]


@dataclass(frozen=True, slots=True)
class ApplicantDecision:
    """The decision on the case as its reply states it to the applicant: the result in plain
    words, the day, the legal basis and the reasons as (label, text)."""

    decided_on: dt.date
    result: str
    legal_basis: str
    reasons: tuple[tuple[str, str], ...]


def applicant_decision(application: Application) -> ApplicantDecision | None:
    """The decision of the case with its reasons as they stand, ``None`` before one.

    Read through :func:`ev.stated_decision`, so reasons the office recorded afterwards
    (``ReasonsAdded``, typically for a reply first sent on paper) are shown as the decision's own:
    the applicant is owed them either way, and never the day they were typed in. Only what the
    reply letter states — nothing of the office's internal record (who decided, notes). The
    applicant's numbers quoted in a reason are masked as on the rest of the page, which a number
    and four digits open. No query before a decision (the cached decision date says there is
    none); one after.
    """
    if application.decided_on is None:
        return None
    stated = ev.stated_decision(
        application.events.filter(kind__in=(EventKind.DECIDED, EventKind.REASONS_ADDED)).order_by(
            "id"
        )
    )
    if stated is None:
        return None
    return ApplicantDecision(
        decided_on=stated.decided_on,
        result=stated.result,
        legal_basis=stated.legal_basis,
        reasons=tuple(
            (
                reason.label,
                mask_in_text(
                    reason.text, id_number=application.id_document_number, phone=application.phone
                ),
            )
            for reason in stated.reasons
            if reason.text  # a reason still unrecorded is not stated to the applicant
        ),
    )


def pending_for(user: object) -> list[OnlineSubmission]:
    """Online applications awaiting confirmation in the units where ``user`` registers cases."""
    from gongkai.agencies.gatekeeper import Action, units_for

    units = units_for(user, Action.REGISTER)
    return list(
        OnlineSubmission.objects.select_related("unit")
        .filter(unit__in=units, application__isnull=True)
        .order_by("submitted_at", "id")
    )


def pending_by_id(user: object, submission_id: int) -> OnlineSubmission | None:
    """One online application of ``user``'s units, confirmed or not; ``None`` otherwise."""
    from gongkai.agencies.gatekeeper import Action, units_for

    return (
        OnlineSubmission.objects.select_related("unit", "application")
        .filter(unit__in=units_for(user, Action.REGISTER), pk=submission_id)
        .first()
    )


def applicant_letters(application: Application) -> list[SentLetter]:
    """The letters addressed to the applicant (not the consultation letters to third parties
    or other agencies), oldest first, without their files."""
    return list(
        SentLetter.objects.filter(application=application)
        .exclude(kind__in=CONSULTATION_LETTERS)
        .defer("docx", "pdf", "template_body", "text")
        .order_by("id")
    )


def applicant_letter(application: Application, letter_id: int) -> SentLetter | None:
    return (
        SentLetter.objects.filter(application=application, pk=letter_id)
        .exclude(kind__in=CONSULTATION_LETTERS)
        .first()
    )


def due_is_provisional(application: Application) -> bool:
    """Whether the deadline shown counts days of a year whose holidays are not entered yet."""
    return cached_due_is_provisional(application)


def fee_notice_unconfirmed(application: Application) -> bool:
    """Whether the latest 收费通知 has not been recorded as received yet."""
    kinds = list(
        application.events.filter(
            kind__in=(EventKind.FEE_NOTICE_SENT, EventKind.FEE_NOTICE_DELIVERED)
        )
        .order_by("-id")
        .values_list("kind", flat=True)[:1]
    )
    return kinds == [EventKind.FEE_NOTICE_SENT]
