"""Retention: closed cases past the deployment's retention period, archived by the administrator.

An archived case stays in the database with its whole history (it is evidence), but is
read-only — :func:`~.base.application_append_event`, through which every step, assignment,
letter and attachment is written, refuses it — and is left out of the daily lists (search shows
it only under its own status filter). The period is the deployment setting
``GONGKAI_RETENTION_YEARS`` (10 by default): the office sets it from its own records-retention
schedule; gongkai makes no claim about what the law requires. Archiving is the 系统管理员's
(:data:`~gongkai.agencies.gatekeeper.Action.ARCHIVE_CASES`), each case an administration
event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from gongkai.agencies import admin_events as ae
from gongkai.agencies.gatekeeper import APPLICATION, Action, access_record_by_id, records_for
from gongkai.applications.models import Application
from gongkai.applications.services.base import ApplicationError, today

DEFAULT_RETENTION_YEARS: Final = 10
NOT_ARCHIVABLE: Final = (
    "申请 {number} 不能归档：只有办结满 {years} 年的案件可以归档（办结日期 {closed}，"
    "{cutoff} 及以前办结的才可以）"
)
ALREADY_ARCHIVED: Final = "申请 {number} 已于 {day} 归档"


def retention_years() -> int:
    years = int(getattr(settings, "GONGKAI_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))
    return max(years, 1)


def archive_cutoff(day: dt.date) -> dt.date:
    """The last closing day of a case that may be archived on ``day``: ``day`` that many
    years back (29 February falls back to the 28th)."""
    years = retention_years()
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def archivable_cases(*, user: Any, on: dt.date | None = None) -> QuerySet[Application]:
    """The closed, not yet archived cases past retention that ``user`` may archive."""
    cutoff = archive_cutoff(on or today())
    return (
        records_for(APPLICATION, user, Action.ARCHIVE_CASES)
        .filter(closed_on__isnull=False, closed_on__lte=cutoff, archived_on__isnull=True)
        .select_related("unit")
        .order_by("closed_on", "id")
    )


def archived_cases(*, user: Any) -> QuerySet[Application]:
    """The archived cases of the units where ``user`` may archive, latest archived first: what
    the administrator looks up when asked what became of an old case. Read-only, and out of
    every daily list (:func:`gongkai.applications.worklists.application_search`)."""
    return (
        records_for(APPLICATION, user, Action.ARCHIVE_CASES)
        .filter(archived_on__isnull=False)
        .select_related("unit")
        .order_by("-archived_on", "-closed_on", "-id")
    )


@transaction.atomic
def application_archive(*, acting_user: Any, application_id: Any) -> Application:
    """Archive one case: it must be closed for longer than the retention period."""
    application: Application = access_record_by_id(
        APPLICATION, acting_user, application_id, Action.ARCHIVE_CASES
    )
    application = (
        Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
    )
    day = today()
    if application.archived_on is not None:
        raise ApplicationError(
            ALREADY_ARCHIVED.format(
                number=application.tracking_number, day=application.archived_on.isoformat()
            )
        )
    cutoff = archive_cutoff(day)
    if application.closed_on is None or application.closed_on > cutoff:
        raise ApplicationError(
            NOT_ARCHIVABLE.format(
                number=application.tracking_number,
                years=retention_years(),
                closed=application.closed_on.isoformat() if application.closed_on else "未办结",
                cutoff=cutoff.isoformat(),
            )
        )
    application.archived_on = day
    application.save(update_fields=["archived_on"])
    ae.record(
        actor=acting_user,
        unit=application.unit,
        payload=ae.CaseArchived(
            tracking_number=application.tracking_number,
            closed_on=application.closed_on.isoformat(),
            retention_years=retention_years(),
        ),
    )
    return application


def applications_archive_due(*, acting_user: Any) -> int:
    """Archive every case ``acting_user`` may archive that is past retention; the count."""
    ids = list(archivable_cases(user=acting_user).values_list("pk", flat=True))
    for application_id in ids:
        application_archive(acting_user=acting_user, application_id=application_id)
    return len(ids)
