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

from gongkai.agencies import admin_events as ae
from gongkai.agencies.gatekeeper import (
    Action,
    access_member_by_id,
    access_unit_by_id,
    inactive_member_by_id,
)
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
    email: str = "",
) -> AbstractBaseUser:
    """Create a login for a person of ``unit`` with ``role``; ``password=None`` = cannot log in.
    ``email`` is where deadline reminders and the daily digest go (none without it)."""
    try:
        member_role = Role(role)
    except ValueError:
        allowed = "、".join(str(label) for label in Role.labels)
        raise AgencyError(f"未知的角色 {role!r}，可选：{allowed}") from None
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise AgencyError(f"用户名“{username}”已存在")
    user = user_model.objects.create_user(
        username=username, password=password, first_name=full_name, email=email.strip()
    )
    Membership.objects.create(user=user, unit=unit, role=member_role.value)
    return user


@transaction.atomic
def member_set_password(
    *, acting_user: Any, member_id: Any, password: str, one_time: bool = True
) -> AbstractBaseUser:
    """Set a new password for a member of a unit ``acting_user`` manages (their administrator).

    The gatekeeper decides (:data:`~gongkai.agencies.gatekeeper.Action.MANAGE_UNITS` over the
    member's unit); "no such member" and "not yours" are the same refusal. Django's validators
    check the password; the member's other sessions end (their session hash changes) and the
    account's login lock is lifted. With ``one_time`` (the default: the administrator knows it)
    the member must change it before any other page (:mod:`gongkai.agencies.middleware`).
    Logged on ``gongkai.security`` and as a ``password_reset`` event.
    """
    membership = access_member_by_id(acting_user, member_id)
    user = membership.user
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AgencyError("；".join(error.messages)) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    membership.one_time_password = user.password if one_time else ""
    membership.save(update_fields=["one_time_password"])
    login_unlock(username=user.get_username())
    ae.record(
        actor=acting_user,
        unit=membership.unit,
        payload=ae.PasswordReset(username=user.get_username(), one_time=one_time),
    )
    logger.warning(
        "管理员重置密码：%r 重置了 %r 的密码", acting_user.get_username(), user.get_username()
    )
    return user


# ---------------------------------------------------------------------------------------------
# The administrator's changes (系统管理): each checked by the gatekeeper, each an event
# ---------------------------------------------------------------------------------------------


def _unit_label(unit: Unit) -> str:
    return f"{unit.name} / {unit.short_name} / {REPORT_KIND_LABELS[ReportKind(unit.kind)]}"


def _member_label(membership: Membership) -> str:
    email = membership.user.email or "无邮箱"
    return f"{membership.unit.name} · {Role(membership.role).label} · {email}"


@transaction.atomic
def admin_unit_create(
    *, acting_user: Any, parent_id: Any, name: str, short_name: str, kind: str
) -> Unit:
    """A new unit below ``parent_id``, a unit ``acting_user`` manages: an administrator builds
    inside their own part of the hierarchy, never a new top-level unit."""
    parent = access_unit_by_id(acting_user, parent_id, Action.MANAGE_UNITS)
    unit = unit_create(name=name, short_name=short_name, kind=kind, parent=parent)
    ae.record(
        actor=acting_user,
        unit=unit,
        payload=ae.UnitCreated(
            name=unit.name, short_name=unit.short_name, unit_kind=unit.kind, parent=parent.name
        ),
    )
    return unit


@transaction.atomic
def admin_unit_update(
    *, acting_user: Any, unit_id: Any, name: str, short_name: str, kind: str
) -> Unit:
    """Rename a unit, change its short name or kind. Tracking numbers already issued keep the
    old short name (they are printed on letters); new ones use the new short name."""
    unit = access_unit_by_id(acting_user, unit_id, Action.MANAGE_UNITS)
    before = _unit_label(unit)
    name, short_name = name.strip(), short_name.strip()
    if not name or not short_name:
        raise AgencyError("单位名称和简称都不能为空")
    if "-" in short_name:
        raise AgencyError(f"单位简称“{short_name}”不能含有“-”，它是受理编号的分隔符")
    try:
        unit_kind = ReportKind(kind)
    except ValueError:
        raise AgencyError(f"未知的单位类别 {kind!r}") from None
    if unit_kind not in UNIT_KINDS:
        raise AgencyError(f"“{REPORT_KIND_LABELS[unit_kind]}”是报告类别，不能作为单位类别")
    if Unit.objects.filter(name=name).exclude(pk=unit.pk).exists():
        raise AgencyError(f"单位“{name}”已存在")
    if Unit.objects.filter(short_name=short_name).exclude(pk=unit.pk).exists():
        raise AgencyError(f"单位简称“{short_name}”已被其他单位使用")
    unit.name, unit.short_name, unit.kind = name, short_name, unit_kind.value
    unit.save(update_fields=["name", "short_name", "kind"])
    after = _unit_label(unit)
    if after != before:
        ae.record(actor=acting_user, unit=unit, payload=ae.UnitChanged(before=before, after=after))
    return unit


@transaction.atomic
def admin_unit_move(*, acting_user: Any, unit_id: Any, parent_id: Any) -> Unit:
    """Put a unit (and everything below it) under another unit; both must be the
    administrator's, and a unit cannot go below itself. Every path of the subtree follows."""
    unit = access_unit_by_id(acting_user, unit_id, Action.MANAGE_UNITS)
    parent = access_unit_by_id(acting_user, parent_id, Action.MANAGE_UNITS)
    if parent.path.startswith(unit.path):
        raise AgencyError(f"不能把“{unit.name}”移到它自己或它的下级单位“{parent.name}”之下")
    old_parent = unit.parent.name if unit.parent else ""
    if unit.parent_id == parent.pk:
        return unit
    old_path = unit.path
    new_path = f"{parent.path}{unit.pk}/"
    for below in Unit.objects.select_for_update().filter(path__startswith=old_path):
        below.path = new_path + below.path[len(old_path) :]
        below.save(update_fields=["path"])
    unit.refresh_from_db()
    unit.parent = parent
    unit.save(update_fields=["parent"])
    ae.record(
        actor=acting_user,
        unit=unit,
        payload=ae.UnitMoved(name=unit.name, old_parent=old_parent, new_parent=parent.name),
    )
    return unit


@transaction.atomic
def admin_member_create(
    *,
    acting_user: Any,
    username: str,
    full_name: str,
    unit_id: Any,
    role: str,
    password: str,
    email: str = "",
) -> Membership:
    """A new account in a unit the administrator manages, with a one-time password the member
    must change at their first login, and the address its reminders go to."""
    unit = access_unit_by_id(acting_user, unit_id, Action.MANAGE_UNITS)
    username = username.strip()
    if not username:
        raise AgencyError("用户名不能为空")
    user_model = get_user_model()
    try:
        password_validation.validate_password(password, user_model(username=username))
    except ValidationError as error:
        raise AgencyError("；".join(error.messages)) from None
    user = member_create(
        username=username,
        password=password,
        unit=unit,
        role=role,
        full_name=full_name.strip(),
        email=email,
    )
    membership = Membership.objects.select_related("unit").get(user_id=user.pk)
    membership.one_time_password = user.password
    membership.save(update_fields=["one_time_password"])
    ae.record(
        actor=acting_user,
        unit=unit,
        payload=ae.MemberCreated(
            username=username, unit=unit.name, role=Role(membership.role).label
        ),
    )
    return membership


@transaction.atomic
def admin_member_change(
    *, acting_user: Any, member_id: Any, unit_id: Any, role: str, email: str | None = None
) -> Membership:
    """Move a member to another unit the administrator manages, give them another role and/or
    another e-mail address for their reminders (``None``: keep it). An administrator cannot
    change their own role or unit (nobody locks the office out by mistake)."""
    membership = access_member_by_id(acting_user, member_id)
    unit = access_unit_by_id(acting_user, unit_id, Action.MANAGE_UNITS)
    try:
        new_role = Role(role)
    except ValueError:
        raise AgencyError(f"未知的角色 {role!r}") from None
    moving = unit.pk != membership.unit_id or new_role.value != membership.role
    if moving and membership.user_id == acting_user.pk:
        raise AgencyError("不能修改自己的角色或单位，请由其他系统管理员修改")
    before = _member_label(membership)
    membership.unit, membership.role = unit, new_role.value
    membership.save(update_fields=["unit", "role"])
    if email is not None and email.strip() != membership.user.email:
        membership.user.email = email.strip()
        membership.user.save(update_fields=["email"])
    after = _member_label(membership)
    if after != before:
        ae.record(
            actor=acting_user,
            unit=unit,
            payload=ae.RoleChanged(
                username=membership.user.get_username(), before=before, after=after
            ),
        )
    return membership


@transaction.atomic
def admin_member_set_active(*, acting_user: Any, member_id: Any, active: bool) -> Membership:
    """Stop (or restore) an account: a stopped account cannot log in and may do nothing, but
    stays, with its name on every record it wrote (accounts are never deleted)."""
    membership = (
        access_member_by_id(acting_user, member_id)
        if not active
        else inactive_member_by_id(acting_user, member_id)
    )
    user = membership.user
    if user.pk == acting_user.pk:
        raise AgencyError("不能停用自己的账号")
    user.is_active = active
    user.save(update_fields=["is_active"])
    payload: ae.Payload = (
        ae.MemberReactivated(username=user.get_username())
        if active
        else ae.MemberDeactivated(username=user.get_username())
    )
    ae.record(actor=acting_user, unit=membership.unit, payload=payload)
    logger.warning("管理员%s账号：%r → %r", "恢复" if active else "停用", acting_user, user)
    return membership
