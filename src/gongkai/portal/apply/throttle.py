"""Looking a case up on the portal, with guessing throttled.

The answer is the same whatever was wrong (number unknown, typo, wrong factor). Failures are
counted per client address (a keyed hash) and per tracking number in the database
(:class:`~gongkai.applications.models.PortalThrottle`), so all server processes share them; over
the limit every attempt is refused without checking, even the right one, until the window ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.applications.models import OnlineSubmission, PortalThrottle
from gongkai.applications.services.online import normalise_public_number
from gongkai.portal.apply.selectors import submission_to_check

# Failed look-ups allowed per hour, per client address and per tracking number; counted in the
# database (PortalThrottle) so that all server processes share the count.
GUESSES_PER_HOUR = 10
_WINDOW = 60 * 60


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=_WINDOW)


def _over_limit(keys: list[str]) -> bool:
    """Whether any of ``keys`` has used up its guesses in the current window (one query)."""
    return PortalThrottle.objects.filter(
        key__in=keys, window_started__gte=_window_start(), failures__gte=GUESSES_PER_HOUR
    ).exists()


def _bump(key: str) -> None:
    """Count one failure for ``key``, starting a new window when the last one has passed;
    ``UPDATE … SET failures = failures + 1`` so concurrent guesses are all counted."""
    now = timezone.now()
    with transaction.atomic():
        try:
            row, created = PortalThrottle.objects.get_or_create(
                key=key, defaults={"failures": 1, "window_started": now}
            )
        except IntegrityError:  # created by a concurrent failure: count on it
            row, created = PortalThrottle.objects.get(key=key), False
        if created:
            return
        if row.window_started < _window_start():
            PortalThrottle.objects.filter(pk=row.pk).update(failures=1, window_started=now)
        else:
            PortalThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)


def _address_key(address: str) -> str:
    """Client addresses are counted by a keyed hash, never stored as they are."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"portal-track:{address}".encode(), hashlib.sha256
    )
    return f"ip:{digest.hexdigest()[:40]}"


@dataclass(frozen=True, slots=True)
class Lookup:
    submission: OnlineSubmission | None
    throttled: bool = False


def submission_lookup(*, number: str, factor: str, address: str) -> Lookup:
    """The submission when both the number and the last four digits of the phone or ID number
    match; otherwise nothing, the same way whatever was wrong. Failures are counted per client
    address and per number; over the limit every attempt is refused unanswered."""
    normalised = normalise_public_number(number)
    keys = [_address_key(address)]
    if normalised:
        keys.append(f"no:{normalised}")
    if _over_limit(keys):
        return Lookup(submission=None, throttled=True)
    found = submission_to_check(normalised) if normalised else None
    if found is not None:
        ok_phone = hmac.compare_digest(found.phone[-4:], factor)
        ok_id = hmac.compare_digest(found.id_document_number[-4:].upper(), factor.upper())
        if ok_phone or ok_id:
            return Lookup(submission=found)
    for key in keys:
        _bump(key)
    return Lookup(submission=None)
