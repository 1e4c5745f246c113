"""Every write to units and memberships.

Administrators build the hierarchy once and change it rarely; the services keep ``Unit.path``
consistent with ``Unit.parent`` (see :mod:`gongkai.agencies.models`), which nothing else may do.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from gongkai.agencies.models import UNIT_KINDS, Membership, Role, Unit
from gongkai.core.errors import GongkaiError
from gongkai.core.model import REPORT_KIND_LABELS, ReportKind


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
