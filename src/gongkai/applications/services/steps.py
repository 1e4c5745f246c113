"""The statutory workflow steps: each is one event, and the clock decides whether it may
happen now (补正, consultation, extension, decision, reply, withdrawal)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.db import transaction

from gongkai.agencies.gatekeeper import Action
from gongkai.applications import clock
from gongkai.applications import events as ev
from gongkai.applications.models import RESULT_CHOICES, Application, Delivery
from gongkai.applications.services.base import (
    ApplicationError,
    application_append_event,
    today,
)
from gongkai.core.clock import ConsultationParty
from gongkai.core.law import DELAYED_REPLY_ARTICLE, EXTENSION_MAX
from gongkai.core.reasons import REASON_NAMES, WITHHELD_GROUNDS, ReasonField, required_reasons


@transaction.atomic
def application_request_correction(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    items: str,
    supplement_deadline: dt.date,
    on: dt.date | None = None,
) -> Application:
    """Send the one-time 补正 notice ([R] Art 30): what to supplement and by when."""
    items = items.strip()
    if not items:
        raise ApplicationError("补正告知必须一次性写明需要补正的事项")
    day = on or today()
    if supplement_deadline <= day:
        raise ApplicationError(
            f"补正期限（{supplement_deadline.isoformat()}）必须晚于告知日期（{day.isoformat()}）"
        )
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.CorrectionRequested(items=items, supplement_deadline=supplement_deadline),
        on=day,
    )


@transaction.atomic
def application_receive_supplement(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """Record the supplement; the reply period restarts from this day ([R] Art 30)."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.SupplementReceived(note=note.strip()),
        on=on,
    )


@transaction.atomic
def application_start_consultation(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    consultation: ConsultationParty | str,
    party: str,
    on: dt.date | None = None,
) -> Application:
    """Send a 征求意见函 to a third party ([R] Art 32) or another agency (Art 34); clock pauses."""
    kind = clock.consultation_party(str(consultation))
    party = party.strip()
    if not party:
        raise ApplicationError("请填写征求意见的对象（第三方或机关名称）")
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ConsultationSent(consultation=kind, party=party),
        on=on,
    )


@transaction.atomic
def application_answer_consultation(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    consultation: ConsultationParty | str,
    party: str,
    agrees: bool | None,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """Record the answer of the ``party`` consulted earlier; the clock resumes from this day.

    ``agrees`` is the party's position (``None``: it answered without taking one).
    """
    kind = clock.consultation_party(str(consultation))
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ConsultationAnswered(
            consultation=kind, party=party.strip(), agrees=agrees, note=note.strip()
        ),
        on=on,
    )


@transaction.atomic
def application_record_consultation_delivery(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    consultation: ConsultationParty | str,
    party: str,
    on: dt.date | None = None,
) -> Application:
    """The ``party`` consulted earlier received the letter on ``on``: its 15 working days count
    from that day (Arts 32, 34), no longer provisionally from the day the letter went out."""
    kind = clock.consultation_party(str(consultation))
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ConsultationDelivered(consultation=kind, party=party.strip()),
        on=on,
    )


@transaction.atomic
def application_notify_delayed_reply(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    due: dt.date,
    reason: str,
    on: dt.date | None = None,
) -> Application:
    """Art 35: tell the applicant the request will be answered by ``due``, with the reason.

    For requests clearly excessive in number or frequency whose reasons are reasonable but
    which cannot be answered within the Art 33 periods. The clock refuses it after the due date,
    for a date not later than the due date, and for applications under the 2008 Regulation.
    """
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            f"依照{DELAYED_REPLY_ARTICLE}延迟答复，须写明理由（申请数量、频次明显超过合理范围，"
            "且理由合理、无法在法定期限内答复的具体情况）"
        )
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.DelayedReply(due=due, reason=reason),
        on=on,
    )


@transaction.atomic
def application_request_extension(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    working_days: int,
    reason: str,
    on: dt.date | None = None,
) -> Application:
    """The clerk asks the head to extend the reply period ([R] Art 33 ¶2)."""
    if isinstance(working_days, bool) or not 1 <= working_days <= EXTENSION_MAX.working_days:
        raise ApplicationError(
            f"延长答复期限为 {working_days} 个工作日，不符合{EXTENSION_MAX.article}"
            f"（延长期限最长不得超过 {EXTENSION_MAX.working_days} 个工作日）"
        )
    reason = reason.strip()
    if not reason:
        raise ApplicationError("申请延期答复须写明理由")
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ExtensionRequested(working_days=working_days, reason=reason),
        on=on,
        probe=ev.ExtensionApproved(),
    )


@transaction.atomic
def application_approve_extension(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    on: dt.date | None = None,
) -> Application:
    """The head consents ([R] Art 33 ¶2); the clock extends the due date from now on."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ExtensionApproved(),
        on=on,
        action=Action.APPROVE_EXTENSION,
    )


@transaction.atomic
def application_refuse_extension(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    reason: str,
    on: dt.date | None = None,
) -> Application:
    """The head refuses the extension; the original due date stands."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError("驳回延期申请须写明理由")
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ExtensionRefused(reason=reason),
        on=on,
        action=Action.APPROVE_EXTENSION,
    )


@transaction.atomic
def application_abandon_correction(
    *, acting_user: Any, application_id: int, expected_version: int, on: dt.date | None = None
) -> Application:
    """No supplement by the deadline: deemed withdrawn, result 其他处理-1 ([R] Art 30)."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.CorrectionAbandoned(),
        on=on,
    )


@transaction.atomic
def application_withdraw(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """The applicant withdrew the application: result 其他处理-3 (LEGAL.md §2.4)."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.Withdrawn(note=note.strip()),
        on=on,
    )


@transaction.atomic
def application_decide(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    result: str,
    legal_basis: str,
    facts: str = "",
    withheld_part: str = "",
    withheld_ground: str = "",
    on: dt.date | None = None,
) -> Application:
    """Decide the case: ``result`` is one table 三 result row of the format in force.

    ``facts``, ``withheld_part`` and ``withheld_ground`` are the reasons the reply states
    (:data:`gongkai.core.reasons.REQUIRED_REASONS`); a reason the result does not use is
    refused rather than stored unseen, and a withheld ground must be a 不予公开 row. A missing
    reason is not refused here — the decision is a fact of the case — but the reply letter is.
    """
    legal_basis = legal_basis.strip()
    if not legal_basis:
        raise ApplicationError("答复决定须写明所依据的法律条款（如《条例》第三十六条第（二）项）")
    day = on or today()
    clock.check_result(result, day)
    recorded = {
        ReasonField.FACTS: facts.strip(),
        ReasonField.WITHHELD_PART: withheld_part.strip(),
        ReasonField.WITHHELD_GROUND: withheld_ground.strip(),
    }
    wanted = {need.field for need in required_reasons(result)}
    label = _RESULT_LABELS.get(result, result)
    for name, value in recorded.items():
        if value and name not in wanted:
            raise ApplicationError(f"办理结果“{label}”不需要填写“{REASON_NAMES[name]}”，请清空该项")
    ground = recorded[ReasonField.WITHHELD_GROUND]
    if ground and ground not in WITHHELD_GROUNDS:
        raise ApplicationError(
            f"不予公开部分的情形 {ground!r} 不是“不予公开”的情形之一，可选："
            + "、".join(_RESULT_LABELS[code] for code in WITHHELD_GROUNDS)
        )
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.Decided(
            result=result,
            legal_basis=legal_basis,
            facts=recorded[ReasonField.FACTS],
            withheld_part=recorded[ReasonField.WITHHELD_PART],
            withheld_ground=ground,
        ),
        on=day,
    )


_RESULT_LABELS: Final = dict(RESULT_CHOICES)


@transaction.atomic
def application_send_reply(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    delivery: Delivery | str,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """Record that the reply was sent and how ([R] Art 33; the day that stops the clock)."""
    if str(delivery) not in Delivery.values:
        allowed = "、".join(str(label) for label in Delivery.labels)
        raise ApplicationError(f"未知的送达方式 {delivery!r}，可选：{allowed}")
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.ReplySent(delivery=Delivery(str(delivery)), note=note.strip()),
        on=on,
    )
