"""Who handles a case (承办人): giving it to a clerk, or a clerk taking it from the unit's queue.

The unit's 负责人 (:data:`Action.ASSIGN`) gives any open case to any handling member of the
unit; a clerk may only take an unassigned case for themself. The assignee must be able to
handle the case (a member of its unit whose role handles cases), so that "我的案件" never
lists a case its clerk could not open. The change goes through
:func:`~.base.application_append_event` like every step (gatekeeper, version lock, one typed
event) and the column is updated in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_application_by_id,
    can,
    membership_of,
)
from gongkai.applications import events as ev
from gongkai.applications.models import Application
from gongkai.applications.services.base import (
    STALE_VERSION,
    ApplicationError,
    StaleVersionError,
    application_append_event,
)

ASSIGNEE_NOT_FOUND: Final = "未找到要指定的承办人（用户编号 {id}）"
ASSIGNEE_NOT_IN_UNIT: Final = "{name} 不是{unit}的工作人员，不能承办该单位的申请"
ASSIGNEE_CANNOT_HANDLE: Final = "{name} 的角色（{role}）不办理申请，不能指定为承办人"
ASSIGN_CLOSED: Final = "申请 {number} 已办结，不能再指定承办人"
ASSIGN_SAME: Final = "{name} 已是申请 {number} 的承办人"
ASSIGN_ONLY_HEAD: Final = "只有本单位负责人可以指定或更换承办人；经办人只能认领尚未指定承办人的申请"


def display_name(user: Any) -> str:
    """How a clerk is named in the history and on the pages: full name, else the login."""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


def check_assignee(assignee: Any, application: Application) -> None:
    """Refuse, in Chinese, an assignee who could not handle ``application``."""
    membership = membership_of(assignee)
    name = display_name(assignee)
    if membership is None or membership.unit_id != application.unit_id:
        raise ApplicationError(ASSIGNEE_NOT_IN_UNIT.format(name=name, unit=application.unit.name))
    if not can(assignee, Action.HANDLE, application.unit):
        raise ApplicationError(
            ASSIGNEE_CANNOT_HANDLE.format(name=name, role=membership.get_role_display())
        )


@transaction.atomic
def application_assign(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    assignee_id: int,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """Make the user ``assignee_id`` the clerk responsible for the case.

    The 负责人 may assign or reassign any open case of the unit; anyone else who handles
    cases may only take an unassigned one for themself. Raises
    :class:`~.base.ApplicationError` for an assignee outside the unit or without a handling
    role, a closed case or no change, and :class:`~.base.StaleVersionError` as every step.
    """
    application: Application = access_application_by_id(
        acting_user, application_id, for_change=True
    )
    if application.version != expected_version:
        raise StaleVersionError(
            STALE_VERSION.format(
                number=application.tracking_number,
                seen=expected_version,
                current=application.version,
            )
        )
    try:
        assignee = get_user_model().objects.get(pk=assignee_id, is_active=True)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise ApplicationError(ASSIGNEE_NOT_FOUND.format(id=assignee_id)) from None
    may_assign = can(acting_user, Action.ASSIGN, application.unit)
    taking = application.assigned_to_id is None and assignee.pk == acting_user.pk
    if not (may_assign or taking):
        raise AccessDeniedError(ASSIGN_ONLY_HEAD)
    if application.closed_on is not None:
        raise ApplicationError(ASSIGN_CLOSED.format(number=application.tracking_number))
    if application.assigned_to_id == assignee.pk:
        raise ApplicationError(
            ASSIGN_SAME.format(name=display_name(assignee), number=application.tracking_number)
        )
    check_assignee(assignee, application)
    previous = application.assigned_to
    payload = ev.Assigned(
        assignee=assignee.pk,
        assignee_name=display_name(assignee),
        previous_name=display_name(previous) if previous is not None else "",
        note=note.strip(),
    )
    # The version check under the row lock (in the step function) catches a second clerk who
    # took the same case in between: the loser is told to reload.
    updated = application_append_event(
        acting_user=acting_user,
        application_id=application.pk,
        expected_version=expected_version,
        payload=payload,
        on=on,
    )
    Application.objects.filter(pk=updated.pk).update(assigned_to=assignee)
    updated.assigned_to = assignee
    return updated
