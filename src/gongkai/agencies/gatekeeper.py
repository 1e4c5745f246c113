"""The one place that decides who may see and change what.

Every page, export, API and service fetches units and applications through these functions, so
a permission rule is written once and tested once (the permission matrix in
``tests/web/test_gatekeeper.py``). Two rules shape the API:

* A user acts only through their :class:`~gongkai.agencies.models.Membership`: no membership,
  an inactive account or an anonymous visitor may do nothing — Django's ``is_superuser`` grants
  nothing here, because case files hold applicants' personal data.
* "Not found" and "not allowed" raise the same :class:`AccessDeniedError` with the same message, so
  that probing ids reveals nothing about other units' cases (as Zulip's ``access_stream_*``).

The permissions themselves are the table :data:`PERMISSIONS` (role → action → scope).
"""

from __future__ import annotations

import enum
from typing import Any, Final

from django.db.models import Q, QuerySet

from gongkai.agencies.models import Membership, Role, Unit
from gongkai.applications.models import Application
from gongkai.core.errors import GongkaiError


class AccessDeniedError(GongkaiError):
    """The object does not exist or the user may not act on it; deliberately indistinguishable."""


class Action(enum.StrEnum):
    VIEW_CASES = "view_cases"  # read applications, their history and letters
    REGISTER = "register"  # register a new application
    HANDLE = "handle"  # 补正, consultation, extension request, fee, decision, reply
    APPROVE_EXTENSION = "approve_extension"  # Art 33 ¶2: the disclosure office head's consent
    VIEW_DASHBOARD = "view_dashboard"  # counts only, no personal data
    MANAGE_UNITS = "manage_units"  # create units and accounts
    MANAGE_LETTER_TEMPLATES = "manage_letter_templates"  # edit the unit's letter templates
    MANAGE_CALENDAR = "manage_calendar"  # enter a year's holiday schedule (deployment-wide)

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: Final[dict[Action, str]] = {
    Action.VIEW_CASES: "查看申请",
    Action.REGISTER: "登记申请",
    Action.HANDLE: "办理申请",
    Action.APPROVE_EXTENSION: "批准延期答复",
    Action.VIEW_DASHBOARD: "查看统计",
    Action.MANAGE_UNITS: "管理单位和人员",
    Action.MANAGE_LETTER_TEMPLATES: "管理文书模板",
    Action.MANAGE_CALENDAR: "管理工作日历",
}


class Scope(enum.Enum):
    OWN = "own"  # the member's own unit only
    SUBTREE = "subtree"  # the member's unit and every unit below it


_CLERK: Final = {
    Action.VIEW_CASES: Scope.OWN,
    Action.REGISTER: Scope.OWN,
    Action.HANDLE: Scope.OWN,
    Action.VIEW_DASHBOARD: Scope.OWN,
}

# Who may do what, and where. Supervisors oversee and do not handle other units' cases; the
# system administrator manages accounts and sees counts but not applicants' personal data.
PERMISSIONS: Final[dict[Role, dict[Action, Scope]]] = {
    Role.CLERK: _CLERK,
    Role.HEAD: {
        **_CLERK,
        Action.APPROVE_EXTENSION: Scope.OWN,
        Action.MANAGE_LETTER_TEMPLATES: Scope.OWN,
    },
    Role.SUPERVISOR: {
        Action.VIEW_CASES: Scope.SUBTREE,
        Action.VIEW_DASHBOARD: Scope.SUBTREE,
    },
    Role.ADMIN: {
        Action.VIEW_DASHBOARD: Scope.SUBTREE,
        Action.MANAGE_UNITS: Scope.SUBTREE,
        Action.MANAGE_LETTER_TEMPLATES: Scope.SUBTREE,
        Action.MANAGE_CALENDAR: Scope.SUBTREE,
    },
}

APPLICATION_NOT_FOUND: Final = "未找到申请（内部编号 {id}），或您无权访问该申请"
UNIT_NOT_ALLOWED: Final = "您没有在“{unit}”{action}的权限，或该单位不存在"
NO_MEMBERSHIP: Final = "您的账号未分配所属单位和角色，请联系系统管理员"


_CACHE_ATTR: Final = "_gongkai_membership"


def membership_of(user: Any) -> Membership | None:
    """The active member behind ``user``, or ``None``.

    One query per user object (with its unit), cached on the object, so that a page's query
    count does not depend on how many permission checks it makes.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, _CACHE_ATTR):
        membership = Membership.objects.select_related("unit").filter(user=user).first()
        setattr(user, _CACHE_ATTR, membership)
    cached: Membership | None = getattr(user, _CACHE_ATTR)
    return cached


def _scope(membership: Membership | None, action: Action) -> Scope | None:
    if membership is None:
        return None
    return PERMISSIONS[Role(membership.role)].get(action)


def _unit_q(membership: Membership, scope: Scope, prefix: str = "") -> Q:
    if scope is Scope.OWN:
        return Q(**{f"{prefix}pk": membership.unit_id})
    return Q(**{f"{prefix}path__startswith": membership.unit.path})


def units_for(user: Any, action: Action) -> QuerySet[Unit]:
    """The units where ``user`` may do ``action`` (empty when nowhere)."""
    membership = membership_of(user)
    scope = _scope(membership, action)
    if membership is None or scope is None:
        return Unit.objects.none()
    return Unit.objects.filter(_unit_q(membership, scope))


def visible_units(user: Any) -> QuerySet[Unit]:
    """The units whose cases ``user`` may read."""
    return units_for(user, Action.VIEW_CASES)


def can(user: Any, action: Action, unit: Unit) -> bool:
    membership = membership_of(user)
    scope = _scope(membership, action)
    if membership is None or scope is None:
        return False
    if scope is Scope.OWN:
        return unit.pk == membership.unit_id
    return unit.path.startswith(membership.unit.path)


def require(user: Any, action: Action, unit: Unit) -> None:
    """Raise :class:`AccessDeniedError` unless ``user`` may do ``action`` in ``unit``."""
    if membership_of(user) is None:
        raise AccessDeniedError(NO_MEMBERSHIP)
    if not can(user, action, unit):
        raise AccessDeniedError(UNIT_NOT_ALLOWED.format(unit=unit.name, action=action.label))


def applications_for(user: Any, action: Action = Action.VIEW_CASES) -> QuerySet[Application]:
    """The applications on which ``user`` may do ``action``; the base of every case list."""
    membership = membership_of(user)
    scope = _scope(membership, action)
    if membership is None or scope is None:
        return Application.objects.none()
    return Application.objects.filter(_unit_q(membership, scope, prefix="unit__"))


def access_application_by_id(
    user: Any, application_id: int, *, for_change: bool = False
) -> Application:
    """The application ``application_id`` if ``user`` may read it (or, ``for_change``, handle it).

    Raises :class:`AccessDeniedError` with the same message whether the id does not exist or belongs
    to a unit the user may not act on.
    """
    action = Action.HANDLE if for_change else Action.VIEW_CASES
    try:
        return applications_for(user, action).select_related("unit").get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise AccessDeniedError(APPLICATION_NOT_FOUND.format(id=application_id)) from None
