"""What every service on an application shares: its errors, today, and the one step function.

:func:`application_append_event` is the shape of every step (see the package docstring); the
registration, workflow and fee services in the sibling modules, and the letters', remedies' and
attachments' services, all write a case's history through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction
from django.db.models import F

from gongkai.agencies.gatekeeper import Action, access_application_by_id, require
from gongkai.applications import clock
from gongkai.applications import events as ev

# The package, read at call time (it is still being imported when this module is): tests pin
# "today" for every service at once by patching the package's ``_today``.
from gongkai.applications import services as _package
from gongkai.applications.models import Application
from gongkai.core.errors import GongkaiError


class ApplicationError(GongkaiError):
    """A step on an application that cannot be taken, explained in Chinese for the clerk."""


class StaleVersionError(ApplicationError):
    """The caller saw an older version of the record than the one stored: someone else changed
    it in between, and nothing was written. Callers catch this type, never match the text."""


STALE_VERSION: Final = (
    "申请 {number} 已被他人修改（您看到的是第 {seen} 版，当前为第 {current} 版），"
    "为避免覆盖他人的办理记录，本次操作未保存。请刷新页面查看最新情况后重新操作。"
)
ARCHIVED: Final = (
    "申请 {number} 已于 {day} 归档（已办结且超过保存期限），"
    "只能查看，不能再办理、上传材料或发送文书"
)
DATE_IN_FUTURE: Final = "{what}（{date}）不能晚于今天（{today}）"


def today() -> dt.date:
    """Today in the site's time zone (Asia/Shanghai); the one clock every service reads."""
    return _package._today()


def not_in_future(day: dt.date, what: str) -> None:
    now = today()
    if day > now:
        raise ApplicationError(
            DATE_IN_FUTURE.format(what=what, date=day.isoformat(), today=now.isoformat())
        )


def choice(value: str, enum_values: Mapping[str, str], template: str) -> str:
    if value not in enum_values:
        allowed = "、".join(f"{label}（{code}）" for code, label in enum_values.items())
        raise ApplicationError(template.format(value=value, allowed=allowed))
    return value


def apply_state(application: Application, state: clock.CaseState) -> None:
    """Copy the clock's answer into the cache columns (see the models' docstring)."""
    application.status = state.status
    application.due_date = state.due_date
    application.result = state.result or ""
    application.decided_on = state.decided_on
    application.closed_on = state.closed_on


@transaction.atomic
def application_append_event(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    payload: ev.Payload,
    on: dt.date | None,
    action: Action = Action.HANDLE,
    probe: ev.Payload | None = None,
) -> Application:
    """Append one event to the case after the gatekeeper, the version and the clock agree.

    ``probe`` is an event that must be possible right after this one (the extension a clerk
    requests must be grantable today), checked on a copy of the history and never written.
    Raises :class:`StaleVersionError` when the case is no longer at ``expected_version``.
    """
    application: Application = access_application_by_id(
        acting_user, application_id, for_change=True
    )
    if action is not Action.HANDLE:
        require(acting_user, action, application.unit)
    if application.archived_on is not None:
        raise ApplicationError(
            ARCHIVED.format(
                number=application.tracking_number, day=application.archived_on.isoformat()
            )
        )
    # Lock the row before checking the version: the history read below must belong to the
    # version checked, or a change committed in between would be refused as an impossible
    # step instead of as "changed by someone else" (a no-op on SQLite, which has one writer).
    application.version = (
        Application.objects.select_for_update().values_list("version", flat=True)
    ).get(pk=application.pk)
    _check_version(application, expected_version)
    day = on or today()
    not_in_future(day, f"“{payload.kind.label}”的日期")
    history = list(application.events.order_by("id"))
    event = ev.new_event(payload, application=application, date=day, actor=acting_user)
    now = today()
    state = clock.evaluate([*history, event], on=now)
    if probe is not None:
        clock.evaluate([*history, event, ev.new_event(probe, date=day)], on=now)
    apply_state(application, state)
    updated = Application.objects.filter(pk=application.pk, version=expected_version).update(
        version=F("version") + 1,
        status=application.status,
        due_date=application.due_date,
        result=application.result,
        decided_on=application.decided_on,
        closed_on=application.closed_on,
    )
    if updated != 1:
        application.refresh_from_db(fields=["version"])
        _check_version(application, expected_version)
    event.save()
    application.version = expected_version + 1
    return application


def _check_version(application: Application, expected_version: int) -> None:
    if application.version != expected_version:
        raise StaleVersionError(
            STALE_VERSION.format(
                number=application.tracking_number,
                seen=expected_version,
                current=application.version,
            )
        )
