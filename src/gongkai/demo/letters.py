"""The letters of the demo's last weeks, sent through the real letter service.

The stories record each step of a case but send no letter, so the demo's print pages (a day's
mail-out, the case file's letters and 送达回证) would be empty. Every notice and reply whose
step falls in the last :data:`RECENT_DAYS` days is sent, dated the day of its step, by the
case's clerk; earlier ones are left out because rendering each letter's DOCX and PDF takes a
second or two and the year's worth would double the build's time.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from gongkai.agencies.models import Membership, Role
from gongkai.applications.models import Application
from gongkai.letters.context import LetterError, letter_choices, letter_step_on
from gongkai.letters.services import letter_send

RECENT_DAYS: Final = 30


def send_recent_letters(*, today: dt.date, year: int) -> int:
    """Send the letters of ``year``'s cases whose step is in the last :data:`RECENT_DAYS`
    days before ``today``; the number sent. A reply the law would refuse for a missing reason
    is skipped, as a clerk would be stopped from sending it."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    clerks = {
        m.unit_id: m.user
        for m in Membership.objects.filter(role=Role.CLERK).select_related("user").order_by("-pk")
    }
    sent = 0
    cases = Application.objects.filter(year=year).select_related("unit", "assigned_to")
    for app in cases.order_by("received_on", "pk"):
        events = list(app.events.order_by("date", "id"))
        for kind, party in letter_choices(app, events):
            on = letter_step_on(app, events, kind, party)
            if on is None or not since <= on <= today:
                continue
            clerk = app.assigned_to or clerks[app.unit_id]
            app.refresh_from_db(fields=["version"])
            try:
                letter_send(
                    acting_user=clerk,
                    application_id=app.pk,
                    expected_version=app.version,
                    kind=kind,
                    party=party,
                    on=on,
                    confirm_provisional=True,
                )
            except LetterError:
                continue
            sent += 1
    return sent
