"""Reads for the public pages: a submission found only by its number and second factor."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.core.cache import cache

from gongkai.applications.models import Application, EventKind, OnlineSubmission
from gongkai.applications.selectors import cached_due_is_provisional
from gongkai.applications.services.online import normalise_public_number
from gongkai.letters.models import LetterKind, SentLetter

# Letters to third parties and other agencies: never shown to the applicant.
CONSULTATION_LETTERS = (LetterKind.CONSULTATION_THIRD_PARTY, LetterKind.CONSULTATION_AGENCY)

# Failed look-ups allowed per hour, per client address and per tracking number.
GUESSES_PER_HOUR = 10
_WINDOW = 60 * 60


def submission_by_number(number: str) -> OnlineSubmission | None:
    """A submission known to this session already (its receipt, an earlier look-up)."""
    return (
        OnlineSubmission.objects.select_related("unit", "application")
        .filter(public_number=number)
        .first()
    )


def _count(key: str) -> int:
    value = cache.get(key)
    return int(value) if value else 0


def _bump(key: str) -> None:
    if not cache.add(key, 1, timeout=_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=_WINDOW)


@dataclass(frozen=True, slots=True)
class Lookup:
    submission: OnlineSubmission | None
    throttled: bool = False


def submission_lookup(*, number: str, factor: str, address: str) -> Lookup:
    """The submission when both the number and the last four digits of the phone or ID number
    match; otherwise nothing, the same way whatever was wrong. Failures are counted per client
    address and per number; over the limit every attempt is refused unanswered."""
    normalised = normalise_public_number(number)
    keys = [f"portal-track-ip:{address}"]
    if normalised:
        keys.append(f"portal-track-no:{normalised}")
    if any(_count(key) >= GUESSES_PER_HOUR for key in keys):
        return Lookup(submission=None, throttled=True)
    found = submission_by_number(normalised) if normalised else None
    if found is not None:
        ok_phone = hmac.compare_digest(found.phone[-4:], factor)
        ok_id = hmac.compare_digest(found.id_document_number[-4:].upper(), factor.upper())
        if ok_phone or ok_id:
            return Lookup(submission=found)
    for key in keys:
        _bump(key)
    return Lookup(submission=None)


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
