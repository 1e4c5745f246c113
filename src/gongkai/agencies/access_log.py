"""Applicants' personal data: how it is masked, and the log of every look at it.

An ID or phone number is shown masked (:func:`mask`) wherever a case appears; the full value is
shown only on an explicit action — the case page's “显示”, an attachment's download, an export by
someone with :data:`~gongkai.agencies.gatekeeper.Action.EXPORT_PERSONAL_DATA` who gives a reason —
and each such action writes one :class:`~gongkai.agencies.models.PersonalDataAccess` row here
first. Reading a case page writes nothing, so the log lists real looks at personal data, not
every visit. The 负责人 reads the log of their unit (:func:`access_log_for`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.agencies.gatekeeper import AccessDeniedError, Action, require, units_for
from gongkai.agencies.models import AccessKind, PersonalDataAccess, Unit
from gongkai.agencies.throttle import client_address
from gongkai.core.errors import GongkaiError

MASK: Final = "*"
ID_NUMBER: Final = "身份证明号码"
PHONE: Final = "联系电话"
NO_EXPORT_RIGHT: Final = (
    "您没有导出申请人完整身份证明号码和联系电话的权限（仅本单位负责人可以）；"
    "普通导出中这两项隐去部分号码"
)
REASON_REQUIRED: Final = "导出申请人的身份证明号码和联系电话须说明事由（例如：行政复议答复需要）"


class AccessLogError(GongkaiError):
    """A look at personal data that cannot be made as asked, explained in Chinese."""


def access_record(
    *,
    user: Any,
    unit_id: int,
    kind: AccessKind | str,
    what: str,
    request: HttpRequest | None = None,
    application_id: int | None = None,
    tracking_number: str = "",
    reason: str = "",
) -> PersonalDataAccess:
    """Log one look at personal data of the case(s) of unit ``unit_id`` before it is shown;
    ``request`` gives the client address. The caller has already passed the gatekeeper."""
    return PersonalDataAccess.objects.create(
        user=user,
        unit_id=unit_id,
        kind=AccessKind(kind).value,
        application_id=application_id,
        tracking_number=tracking_number,
        what=what[:300],
        reason=reason.strip()[:300],
        address=client_address(request) if request is not None else "",
    )


def export_unmasked_units(*, user: Any, wanted: bool, reason: str) -> frozenset[int]:
    """The units whose cases an export shows with full ID and phone numbers: none unless asked
    (``wanted``); when asked, those where ``user`` may
    (:data:`Action.EXPORT_PERSONAL_DATA`), and only with a reason. Asking without the right or
    without a reason is refused, never silently answered with a masked file."""
    if not wanted:
        return frozenset()
    unit_ids = frozenset(units_for(user, Action.EXPORT_PERSONAL_DATA).values_list("pk", flat=True))
    if not unit_ids:
        raise AccessDeniedError(NO_EXPORT_RIGHT)
    if not reason.strip():
        raise AccessLogError(REASON_REQUIRED)
    return unit_ids


def export_record(
    *, user: Any, unit_ids: frozenset[int], what: str, reason: str, request: HttpRequest
) -> None:
    """Log an unmasked export: one row in the log of each unit whose numbers it holds."""
    for unit_id in sorted(unit_ids):
        access_record(
            user=user,
            unit_id=unit_id,
            kind=AccessKind.EXPORT,
            what=what,
            request=request,
            reason=reason,
        )


@dataclass(frozen=True, slots=True)
class AccessLogFilters:
    unit: Unit
    username: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    case: str = ""  # a tracking number, or part of one


def access_log_for(*, user: Any, filters: AccessLogFilters) -> QuerySet[PersonalDataAccess]:
    """The log of ``filters.unit`` if ``user`` may read it, newest first, filtered."""
    require(user, Action.VIEW_ACCESS_LOG, filters.unit)
    rows = PersonalDataAccess.objects.filter(unit=filters.unit).select_related("user")
    if filters.username:
        rows = rows.filter(user__username__icontains=filters.username.strip())
    if filters.date_from:
        rows = rows.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(at__date__lte=filters.date_to)
    if filters.case:
        rows = rows.filter(tracking_number__icontains=filters.case.strip())
    return rows.order_by("-at", "-id")
