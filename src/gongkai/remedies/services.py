"""Writes for reconsideration and litigation cases: register one, record its result.

A remedy belongs to the unit whose application it challenges, so registering and recording go
through the same gatekeeper as handling that application (the unit's clerks and head). Dates
are legal dates entered after the fact, never later than today; a result without a date, a
result before the filing, or a 复议后起诉 without a decided reconsideration of the same
application are refused with a message naming the dates or cases involved.

Registering a case and recording its result each also append an event to the application's
history (``remedy_registered`` / ``remedy_decided``) in the same transaction as the remedy row,
through the applications' own step function (gatekeeper, version, clock), so the case's full
history shows that it was challenged and how that ended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, access_application_by_id, applications_for
from gongkai.applications import events as ev
from gongkai.applications.services import StaleVersionError, application_append_event
from gongkai.core.errors import GongkaiError
from gongkai.remedies.models import (
    KIND_CHOICES,
    LITIGATION_AFTER,
    RECONSIDERATION,
    RESULT_CHOICES,
    Remedy,
)

REMEDY_NOT_FOUND: Final = "未找到行政复议或行政诉讼案件（编号 {id}），或您无权办理该案件"


class RemedyError(GongkaiError):
    """A reconsideration or litigation record that cannot be saved, explained in Chinese."""


def _not_in_future(day: dt.date, what: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise RemedyError(f"{what}（{day.isoformat()}）不能晚于今天（{today.isoformat()}）")


@transaction.atomic
def remedy_register(
    *,
    acting_user: Any,
    application_id: int,
    kind: str,
    authority: str,
    filed_on: dt.date,
    case_number: str = "",
    reconsideration_id: int | None = None,
    note: str = "",
) -> Remedy:
    """Record that the applicant sought reconsideration or sued over ``application_id``."""
    application = access_application_by_id(acting_user, application_id, for_change=True)
    kinds = dict(KIND_CHOICES)
    if kind not in kinds:
        allowed = "、".join(f"{label}（{code}）" for code, label in KIND_CHOICES)
        raise RemedyError(f"未知的案件类别 {kind!r}，可选：{allowed}")
    authority = authority.strip()
    if not authority:
        raise RemedyError(f"请填写{kinds[kind]}的复议机关或人民法院名称")
    _not_in_future(filed_on, f"{kinds[kind]}的申请（立案）日期")
    if filed_on < application.received_on:
        raise RemedyError(
            f"{kinds[kind]}的申请（立案）日期 {filed_on.isoformat()} 早于"
            f"申请 {application.tracking_number} 的收到日期 {application.received_on.isoformat()}"
        )
    reconsideration = None
    if kind == LITIGATION_AFTER:
        reconsideration = _reconsideration_for(application.pk, reconsideration_id, filed_on)
    elif reconsideration_id is not None:
        raise RemedyError(f"只有“复议后起诉”需要关联此前的行政复议，{kinds[kind]}不能关联")
    remedy = Remedy(
        application=application,
        kind=kind,
        reconsideration=reconsideration,
        authority=authority,
        case_number=case_number.strip(),
        filed_on=filed_on,
        note=note.strip(),
        created_by=acting_user,
    )
    remedy.save()
    number = f"，案号 {remedy.case_number}" if remedy.case_number else ""
    application_append_event(
        acting_user=acting_user,
        application_id=application.pk,
        expected_version=application.version,
        payload=ev.RemedyRegistered(
            remedy=remedy.pk,
            remedy_kind=kind,
            summary_text=f"{kinds[kind]}：{authority}{number}",
        ),
        on=filed_on,
    )
    return remedy


def _reconsideration_for(
    application_id: int, reconsideration_id: int | None, filed: dt.date
) -> Remedy:
    if reconsideration_id is None:
        raise RemedyError("“复议后起诉”须关联此前就同一申请提出的行政复议")
    earlier = Remedy.objects.filter(
        pk=reconsideration_id, application_id=application_id, kind=RECONSIDERATION
    ).first()
    if earlier is None:
        raise RemedyError(
            f"编号 {reconsideration_id} 不是就同一申请提出的行政复议，"
            "不能作为“复议后起诉”的前置复议"
        )
    if earlier.decided_on is None:
        raise RemedyError(
            f"行政复议（{earlier.case_number or earlier.pk}）尚未审结，不能登记复议后起诉"
        )
    if filed < earlier.decided_on:
        raise RemedyError(
            f"复议后起诉的立案日期 {filed.isoformat()} 早于行政复议的审结日期 "
            f"{earlier.decided_on.isoformat()}"
        )
    return earlier


@transaction.atomic
def remedy_record_result(
    *,
    acting_user: Any,
    remedy_id: int,
    expected_version: int,
    result: str,
    decided_on: dt.date,
    note: str = "",
) -> Remedy:
    """Record the outcome (结果维持 / 结果纠正 / 其他结果) and the day it was decided."""
    remedy = (
        Remedy.objects.filter(
            pk=remedy_id, application__in=applications_for(acting_user, Action.HANDLE)
        )
        .select_related("application")
        .first()
        if isinstance(remedy_id, int)
        else None
    )
    if remedy is None:
        raise RemedyError(REMEDY_NOT_FOUND.format(id=remedy_id))
    results = dict(RESULT_CHOICES)
    if result not in results:
        allowed = "、".join(f"{label}（{code}）" for code, label in RESULT_CHOICES)
        raise RemedyError(f"未知的审结结果 {result!r}，可选：{allowed}；未审结的案件无需登记结果")
    _not_in_future(decided_on, "审结日期")
    if decided_on < remedy.filed_on:
        raise RemedyError(
            f"审结日期 {decided_on.isoformat()} 早于申请（立案）日期 {remedy.filed_on.isoformat()}"
        )
    updated = Remedy.objects.filter(pk=remedy.pk, version=expected_version).update(
        version=F("version") + 1,
        result=result,
        decided_on=decided_on,
        decided_by=acting_user,
        note=(f"{remedy.note}\n{note.strip()}".strip() if note.strip() else remedy.note),
    )
    if updated != 1:
        raise StaleVersionError(
            f"该{remedy.get_kind_display()}案件已被他人修改（您看到的是第 {expected_version} 版，"
            f"当前为第 {remedy.version} 版），本次登记未保存，请刷新后重新操作"
        )
    remedy.refresh_from_db()
    application_append_event(
        acting_user=acting_user,
        application_id=remedy.application_id,
        expected_version=remedy.application.version,
        payload=ev.RemedyDecided(
            remedy=remedy.pk,
            remedy_kind=remedy.kind,
            remedy_result=result,
            summary_text=f"{remedy.get_kind_display()}（{remedy.authority}）：{results[result]}",
        ),
        on=decided_on,
    )
    return remedy
