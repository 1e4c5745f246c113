"""The 信息处理费: the notice priced by the core calculator, then paid or not ([FEE])."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from gongkai.agencies.gatekeeper import access_application_by_id
from gongkai.applications import events as ev
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.applications.services.base import ApplicationError, application_append_event
from gongkai.core import fees


def applicant_requests_before(application: Application) -> int:
    """How many requests (件) the same applicant made to this unit earlier in the same month.

    [FEE] Art 4 prices *requests* cumulatively per applicant per calendar month, and an
    application may hold several (split by "一事一申请", Art 4). The applicant is identified by
    the identity document number. An earlier application priced 按件 counts the requests its
    notice priced; any other earlier application counts as one request, the least it holds
    (its split was never recorded, and guessing more would charge the applicant for it).
    """
    received = application.received_on
    earlier = list(
        Application.objects.filter(
            unit_id=application.unit_id,
            id_document_number=application.id_document_number,
            received_on__gte=received.replace(day=1),
        )
        .filter(
            # Earlier in the month, or the same day but registered before this one.
            Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk)
        )
        .values_list("pk", flat=True)
    )
    priced: dict[int, int] = {}
    notices = ApplicationEvent.objects.filter(
        application_id__in=earlier, kind=EventKind.FEE_NOTICE_SENT
    )
    for event in notices:
        payload = event.payload
        if isinstance(payload, ev.FeeNoticeSent) and payload.method is fees.FeeMethod.PER_REQUEST:
            priced[event.application_id] = payload.units
    return sum(priced.get(pk, 1) for pk in earlier)


@transaction.atomic
def application_send_fee_notice(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    method: fees.FeeMethod | str,
    requests: int = 1,
    pages: int | None = None,
    electronic: bool = False,
    delivered_on: dt.date | None = None,
    on: dt.date | None = None,
) -> Application:
    """Send the 收费通知 with the amount from the core calculator ([FEE] Arts 3–5).

    ``delivered_on`` is the day the applicant received it, when already known (handed over);
    otherwise record it later (:func:`application_record_fee_notice_delivery`): the payment
    period counts from it, and until then it is provisional.

    按件 counts this applicant's earlier requests this month (:func:`applicant_requests_before`);
    按量 prices this application's ``pages`` alone. A notice for zero yuan is refused: there is
    nothing to pay, so no payment period may hold the case.
    """
    application = access_application_by_id(acting_user, application_id, for_change=True)
    try:
        fee_method = fees.FeeMethod(str(method))
    except ValueError:
        raise ApplicationError(f"未知的计费方式 {method!r}，可选：按件计收、按量计收") from None
    already = 0
    if fee_method is fees.FeeMethod.PER_REQUEST:
        already = applicant_requests_before(application)
        priced = fees.fee_for_requests(requests, already, applicant_type=application.applicant_type)
    else:
        if pages is None:
            raise ApplicationError("按量计收须填写信息的页数")
        priced = fees.fee_for_pages(
            pages, electronic=electronic, applicant_type=application.applicant_type
        )
    if priced.is_free:
        raise ApplicationError(
            "按"
            + ("件" if fee_method is fees.FeeMethod.PER_REQUEST else "量")
            + f"计算，本申请应收信息处理费为 0 元（{'；'.join(priced.describe())}），"
            "无需发出收费通知"
        )
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.FeeNoticeSent(
            method=fee_method,
            units=priced.units,
            already_this_month=already,
            yuan=priced.yuan,
            lines=tuple(priced.describe()),
            basis=priced.basis,
            delivered_on=delivered_on,
        ),
        on=on,
    )


@transaction.atomic
def application_record_fee_notice_delivery(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """The applicant received the 收费通知 on ``on``: the 20 working days to pay count from
    that day ([FEE]), and only then can an unpaid fee close the case."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.FeeNoticeDelivered(note=note.strip()),
        on=on,
    )


@transaction.atomic
def application_fee_paid(
    *, acting_user: Any, application_id: int, expected_version: int, on: dt.date | None = None
) -> Application:
    """The applicant paid; the clock resumes."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.FeePaid(),
        on=on,
    )


@transaction.atomic
def application_fee_not_paid(
    *, acting_user: Any, application_id: int, expected_version: int, on: dt.date | None = None
) -> Application:
    """The payment period ran out unpaid: the case ends as 其他处理-2 ([FEE])."""
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.FeeNotPaid(),
        on=on,
    )
