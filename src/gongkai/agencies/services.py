"""Every write to units and memberships.

Administrators build the hierarchy once and change it rarely; the services keep ``Unit.path``
consistent with ``Unit.parent`` (see :mod:`gongkai.agencies.models`), which nothing else may do.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.agencies.gatekeeper import access_member_by_id
from gongkai.agencies.models import UNIT_KINDS, Membership, Role, Unit
from gongkai.agencies.throttle import login_unlock
from gongkai.core.errors import GongkaiError
from gongkai.core.model import REPORT_KIND_LABELS, ReportKind

logger = logging.getLogger("gongkai.security")


class AgencyError(GongkaiError):
    """A unit or membership change that cannot be made, explained in Chinese."""


@transaction.atomic
def unit_create(
    *, name: str, short_name: str, kind: ReportKind | str, parent: Unit | None = None
) -> Unit:
    """Create a unit under ``parent`` (``None`` = a root, e.g. the district government)."""
    name = name.strip()
    short_name = short_name.strip()
    if not name:
        raise AgencyError("单位名称不能为空")
    if not short_name:
        raise AgencyError(f"单位“{name}”的简称不能为空（简称用于受理编号）")
    if "-" in short_name:
        raise AgencyError(f"单位简称“{short_name}”不能含有“-”，它是受理编号的分隔符")
    try:
        unit_kind = ReportKind(kind)
    except ValueError:
        allowed = "、".join(REPORT_KIND_LABELS[k] for k in UNIT_KINDS)
        raise AgencyError(f"未知的单位类别 {kind!r}，可选：{allowed}") from None
    if unit_kind not in UNIT_KINDS:
        raise AgencyError(f"“{REPORT_KIND_LABELS[unit_kind]}”是报告类别，不能作为单位类别")
    if Unit.objects.filter(name=name).exists():
        raise AgencyError(f"单位“{name}”已存在")
    if Unit.objects.filter(short_name=short_name).exists():
        raise AgencyError(f"单位简称“{short_name}”已被其他单位使用")
    unit = Unit(name=name, short_name=short_name, kind=unit_kind.value, parent=parent)
    unit.full_clean(exclude=["path"])
    unit.save()
    # The path needs the id, which exists only after the first insert.
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def member_create(
    *,
    username: str,
    password: str | None,
    unit: Unit,
    role: Role | str,
    full_name: str = "",
) -> AbstractBaseUser:
    """Create a login for a person of ``unit`` with ``role``; ``password=None`` = cannot log in."""
    try:
        member_role = Role(role)
    except ValueError:
        allowed = "、".join(str(label) for label in Role.labels)
        raise AgencyError(f"未知的角色 {role!r}，可选：{allowed}") from None
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise AgencyError(f"用户名“{username}”已存在")
    user = user_model.objects.create_user(
        username=username, password=password, first_name=full_name
    )
    Membership.objects.create(user=user, unit=unit, role=member_role.value)
    return user


@transaction.atomic
def member_set_password(*, acting_user: Any, member_id: Any, password: str) -> AbstractBaseUser:
    """Set a new password for a member of a unit ``acting_user`` manages (their administrator).

    The gatekeeper decides (:data:`~gongkai.agencies.gatekeeper.Action.MANAGE_UNITS` over the
    member's unit); "no such member" and "not yours" are the same refusal. Django's validators
    check the password; the member's other sessions end (their session hash changes) and the
    account's login lock is lifted. Logged on ``gongkai.security``.
    """
    membership = access_member_by_id(acting_user, member_id)
    user = membership.user
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AgencyError("；".join(error.messages)) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    login_unlock(username=user.get_username())
    logger.warning(
        "管理员重置密码：%r 重置了 %r 的密码", acting_user.get_username(), user.get_username()
    )
    return user
