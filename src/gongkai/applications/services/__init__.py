"""Every write to an application: registration, each step of the statutory workflow, fees.

The shape of every step (HackSoft services, Zulip actions):

1. fetch the application through the gatekeeper (``for_change=True``), so that a service can
   never act on a case its caller may not handle, and check the extra permission a step needs
   (only a 负责人 approves an extension, [R] Art 33 ¶2);
2. refuse a change based on a stale version with a :class:`StaleVersionError` (optimistic
   locking: two clerks on one case cannot silently overwrite each other; the loser is told to
   reload);
3. build the new event from its typed payload (:mod:`gongkai.applications.events`) and let
   the core's case clock judge the whole history with it — an impossible step (a second 补正,
   an extension after the due date, a reply before a decision) raises a
   :class:`~gongkai.core.errors.GongkaiError` in Chinese and nothing is written;
4. in one transaction: bump the version (``UPDATE … WHERE version = seen``, which also catches a
   race between step 2 and here), refresh the cached clock columns, insert the event.

Arguments are keyword-only; dates of steps (``on``) are the legal dates, which a clerk may enter
after the fact, never later than today.

The package's modules: :mod:`.base` (errors, today, the step function every write goes
through), :mod:`.registration`, :mod:`.steps` (the workflow), :mod:`.fees`,
:mod:`.assignment` (who handles a case), :mod:`.reasons` (reasons added to an earlier
decision). Import from the package:
``from gongkai.applications.services import application_decide``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.applications.services.archive import (
    application_archive,
    applications_archive_due,
    archivable_cases,
    archived_cases,
)
from gongkai.applications.services.assignment import application_assign
from gongkai.applications.services.base import (
    DATE_IN_FUTURE,
    STALE_VERSION,
    ApplicationError,
    StaleVersionError,
    application_append_event,
)
from gongkai.applications.services.fees import (
    applicant_requests_before,
    application_fee_not_paid,
    application_fee_paid,
    application_record_fee_notice_delivery,
    application_send_fee_notice,
)
from gongkai.applications.services.reasons import application_add_reasons
from gongkai.applications.services.registration import (
    UNKNOWN_APPLICANT_TYPE,
    UNKNOWN_CHANNEL,
    application_register,
    tracking_number,
)
from gongkai.applications.services.steps import (
    application_abandon_correction,
    application_answer_consultation,
    application_approve_extension,
    application_decide,
    application_notify_delayed_reply,
    application_receive_supplement,
    application_record_consultation_delivery,
    application_refuse_extension,
    application_request_correction,
    application_request_extension,
    application_send_reply,
    application_start_consultation,
    application_withdraw,
)

__all__ = [
    "DATE_IN_FUTURE",
    "STALE_VERSION",
    "UNKNOWN_APPLICANT_TYPE",
    "UNKNOWN_CHANNEL",
    "ApplicationError",
    "StaleVersionError",
    "applicant_requests_before",
    "application_abandon_correction",
    "application_add_reasons",
    "application_answer_consultation",
    "application_append_event",
    "application_approve_extension",
    "application_archive",
    "application_assign",
    "application_decide",
    "application_fee_not_paid",
    "application_fee_paid",
    "application_notify_delayed_reply",
    "application_receive_supplement",
    "application_record_consultation_delivery",
    "application_record_fee_notice_delivery",
    "application_refuse_extension",
    "application_register",
    "application_request_correction",
    "application_request_extension",
    "application_send_fee_notice",
    "application_send_reply",
    "application_start_consultation",
    "application_withdraw",
    "applications_archive_due",
    "archivable_cases",
    "archived_cases",
    "tracking_number",
]


def _today() -> dt.date:
    """Today in the site's time zone (Asia/Shanghai): the clock every service reads (through
    :func:`.base.today`), defined here so that a test pins it for all of them at once."""
    return timezone.localdate()
