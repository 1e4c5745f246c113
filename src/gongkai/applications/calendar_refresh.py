"""Entering a year's holiday schedule moves the deadlines counted over it: refresh the cache.

The clocks on every page are computed live from the events and follow the entered year at
once; the cached columns (status, due date), which search, its export and the 暂定期限 filter
read, are recomputed here for the open cases the year can touch. The version is not bumped:
nothing in the case's history changed, so a clerk's open form stays valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q

from gongkai.applications import clock
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.services.base import apply_state, today
from gongkai.core.errors import GongkaiError

_CACHED: tuple[str, ...] = ("status", "due_date", "result", "decided_on", "closed_on")


def refresh_open_cases(*, year: int, **_: Any) -> int:
    """Recompute the cached clock of each open case a change to ``year`` can move.

    A period counts days of ``year`` when the case was received before the year ends and is
    due after the December before it begins (a make-up working day may lie in that December).
    Cases waiting for a supplement have no due date and are refreshed too. Returns how many
    cases changed. Two queries and one bulk update, whatever the number of cases.
    """
    day = today()
    reach = Q(due_date__isnull=True) | Q(due_date__gte=dt.date(year - 1, 12, 1))
    cases = (
        Application.objects.filter(reach, closed_on__isnull=True)
        .filter(received_on__lte=dt.date(year, 12, 31))
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("id")))
    )
    changed = []
    for application in cases:
        try:
            state = clock.evaluate(list(application.events.all()), on=day)
        except GongkaiError:
            continue  # the page shows why; the cache keeps what it had
        before = [getattr(application, name) for name in _CACHED]
        apply_state(application, state)
        if [getattr(application, name) for name in _CACHED] != before:
            changed.append(application)
    Application.objects.bulk_update(changed, list(_CACHED))
    return len(changed)
