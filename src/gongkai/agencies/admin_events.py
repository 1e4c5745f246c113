"""The payload of every administration event, declared once per :class:`AdminEventKind`.

Each kind has one frozen dataclass: the services build it and write it with :func:`record`;
the administrator's history page reads it back with :func:`payload_of` and prints its
``summary()``. The JSON in :attr:`AdminEvent.data` is never written nor read elsewhere, so what a
kind records is stated here once (a typo in a key is a type error, not a silent gap). A payload
holds names, never a password or a personal-data value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet

from gongkai.agencies.gatekeeper import Action, units_for
from gongkai.agencies.models import AdminEvent, AdminEventKind, Unit


@dataclass(frozen=True, slots=True)
class UnitCreated:
    kind: ClassVar = AdminEventKind.UNIT_CREATED
    name: str
    short_name: str
    unit_kind: str
    parent: str = ""

    def summary(self) -> str:
        below = f"，上级单位“{self.parent}”" if self.parent else "（顶级单位）"
        return f"新建单位“{self.name}”（简称“{self.short_name}”）{below}"


@dataclass(frozen=True, slots=True)
class UnitChanged:
    kind: ClassVar = AdminEventKind.UNIT_CHANGED
    before: str  # "name / short name / kind label"
    after: str

    def summary(self) -> str:
        return f"单位由“{self.before}”改为“{self.after}”"


@dataclass(frozen=True, slots=True)
class UnitMoved:
    kind: ClassVar = AdminEventKind.UNIT_MOVED
    name: str
    old_parent: str
    new_parent: str

    def summary(self) -> str:
        return (
            f"单位“{self.name}”的上级由“{self.old_parent or '无'}”改为“{self.new_parent or '无'}”"
        )


@dataclass(frozen=True, slots=True)
class MemberCreated:
    kind: ClassVar = AdminEventKind.MEMBER_CREATED
    username: str
    unit: str
    role: str

    def summary(self) -> str:
        return f"新建账号“{self.username}”：{self.unit} · {self.role}"


@dataclass(frozen=True, slots=True)
class RoleChanged:
    kind: ClassVar = AdminEventKind.ROLE_CHANGED
    username: str
    before: str  # "unit · role"
    after: str

    def summary(self) -> str:
        return f"账号“{self.username}”由“{self.before}”改为“{self.after}”"


@dataclass(frozen=True, slots=True)
class MemberDeactivated:
    kind: ClassVar = AdminEventKind.MEMBER_DEACTIVATED
    username: str

    def summary(self) -> str:
        return f"停用账号“{self.username}”"


@dataclass(frozen=True, slots=True)
class MemberReactivated:
    kind: ClassVar = AdminEventKind.MEMBER_REACTIVATED
    username: str

    def summary(self) -> str:
        return f"恢复账号“{self.username}”"


@dataclass(frozen=True, slots=True)
class PasswordReset:
    kind: ClassVar = AdminEventKind.PASSWORD_RESET
    username: str
    one_time: bool  # the member must change it at their next login

    def summary(self) -> str:
        tail = "（一次性密码，下次登录须修改）" if self.one_time else ""
        return f"重置账号“{self.username}”的密码{tail}"


@dataclass(frozen=True, slots=True)
class CaseArchived:
    kind: ClassVar = AdminEventKind.CASE_ARCHIVED
    tracking_number: str
    closed_on: str
    retention_years: int

    def summary(self) -> str:
        return (
            f"归档案件 {self.tracking_number}（{self.closed_on} 办结，"
            f"已超过 {self.retention_years} 年保存期限）"
        )


Payload = (
    UnitCreated
    | UnitChanged
    | UnitMoved
    | MemberCreated
    | RoleChanged
    | MemberDeactivated
    | MemberReactivated
    | PasswordReset
    | CaseArchived
)

_BY_KIND: dict[str, type[Any]] = {
    cls.kind.value: cls
    for cls in (
        UnitCreated,
        UnitChanged,
        UnitMoved,
        MemberCreated,
        RoleChanged,
        MemberDeactivated,
        MemberReactivated,
        PasswordReset,
        CaseArchived,
    )
}


def record(*, actor: Any, unit: Unit, payload: Payload) -> AdminEvent:
    """Append the event of one administration change (inside the change's transaction)."""
    return AdminEvent.objects.create(
        actor=actor, unit=unit, kind=payload.kind.value, data=dataclasses.asdict(payload)
    )


def payload_of(event: AdminEvent) -> Payload:
    """The typed payload of a stored event."""
    cls = _BY_KIND[event.kind]
    fields = {f.name for f in dataclasses.fields(cls)}
    payload: Payload = cls(**{k: v for k, v in event.data.items() if k in fields})
    return payload


def admin_events_for(user: Any) -> QuerySet[AdminEvent]:
    """The administration events of the units ``user`` manages, newest first."""
    return (
        AdminEvent.objects.filter(unit__in=units_for(user, Action.MANAGE_UNITS))
        .select_related("actor", "unit")
        .order_by("-at", "-id")
    )
