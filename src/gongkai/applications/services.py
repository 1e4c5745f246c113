"""Every write to an application: registration and each step of the statutory workflow.

The shape of every step (HackSoft services, Zulip actions):

1. fetch the application through the gatekeeper (``for_change=True``), so that a service can
   never act on a case its caller may not handle, and check the extra permission a step needs
   (only a 负责人 approves an extension, [R] Art 33 ¶2);
2. refuse a change based on a stale version (optimistic locking: two clerks on one case cannot
   silently overwrite each other; the loser is told to reload);
3. build the new event and let the core's case clock judge the whole history with it — an
   impossible step (a second 补正, an extension after the due date, a reply before a decision)
   raises a :class:`~gongkai.core.errors.GongkaiError` in Chinese and nothing is written;
4. in one transaction: bump the version (``UPDATE … WHERE version = seen``, which also catches a
   race between step 2 and here), refresh the cached clock columns, insert the event.

Arguments are keyword-only; dates of steps (``on``) are the legal dates, which a clerk may enter
after the fact, never later than today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, access_application_by_id, require
from gongkai.agencies.models import Unit
from gongkai.applications import clock
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Delivery,
    EventKind,
    IdDocument,
    RequestedForm,
    TrackingCounter,
)
from gongkai.core import fees
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import APPLICANT_COLUMNS
from gongkai.core.law import CHANNEL_LABELS, EXTENSION_MAX, Channel


class ApplicationError(GongkaiError):
    """A step on an application that cannot be taken, explained in Chinese for the clerk."""


STALE_VERSION: Final = (
    "申请 {number} 已被他人修改（您看到的是第 {seen} 版，当前为第 {current} 版），"
    "为避免覆盖他人的办理记录，本次操作未保存。请刷新页面查看最新情况后重新操作。"
)
DATE_IN_FUTURE: Final = "{what}（{date}）不能晚于今天（{today}）"
UNKNOWN_CHANNEL: Final = "未知的申请方式 {value!r}，可选：{allowed}"
UNKNOWN_APPLICANT_TYPE: Final = (
    "申请人类型必须是表三的一个申请人列，{value!r} 不是；可选：{allowed}"
)


def _today() -> dt.date:
    """Today in the site's time zone (Asia/Shanghai); the one clock every service reads."""
    return timezone.localdate()


def _not_in_future(day: dt.date, what: str) -> None:
    today = _today()
    if day > today:
        raise ApplicationError(
            DATE_IN_FUTURE.format(what=what, date=day.isoformat(), today=today.isoformat())
        )


def _choice(value: str, enum_values: Mapping[str, str], template: str) -> str:
    if value not in enum_values:
        allowed = "、".join(f"{label}（{code}）" for code, label in enum_values.items())
        raise ApplicationError(template.format(value=value, allowed=allowed))
    return value


def _clean(instance: Application, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` with the errors turned into one Chinese message naming each field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        parts = []
        for name, messages in error.message_dict.items():
            field = Application._meta.get_field(name)
            label = str(getattr(field, "verbose_name", name))
            parts.append(f"{label}：{'；'.join(messages)}")
        raise ApplicationError("申请登记信息有误——" + "；".join(parts)) from None


def _next_sequence(unit: Unit, year: int) -> int:
    """The next tracking sequence of ``unit`` in ``year``, safe against concurrent registrations.

    The counter row is created once per (unit, year) (``get_or_create`` survives the
    unique-constraint race), then incremented with ``UPDATE … SET last = last + 1``: on
    PostgreSQL the row lock taken by the UPDATE holds any concurrent registration of the same
    unit until this transaction commits; SQLite serialises all writers anyway. The unique
    constraint on (unit, year, sequence) is the last line of defence.
    """
    counter, _ = TrackingCounter.objects.get_or_create(unit=unit, year=year)
    TrackingCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    sequence: int = TrackingCounter.objects.filter(pk=counter.pk).values_list("last", flat=True)[0]
    return sequence


def tracking_number(unit: Unit, year: int, sequence: int) -> str:
    return f"{unit.short_name}-{year}-{sequence:04d}"


@transaction.atomic
def application_register(
    *,
    acting_user: Any,
    unit: Unit,
    channel: Channel | str,
    applicant_type: str,
    applicant_name: str,
    id_document_type: IdDocument | str,
    id_document_number: str,
    description: str,
    submitted_on: dt.date,
    signed_for_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    contact_person: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postcode: str = "",
    requested_form: RequestedForm | str = RequestedForm.PAPER,
    delivery: Delivery | str = Delivery.POST,
) -> Application:
    """Register an application received through ``channel`` and start its clock.

    ``submitted_on`` is the day it arrived or was handed in; mail that must be signed for also
    needs ``signed_for_on``, and ordinary letters, the internet platform and fax need
    ``confirmed_on`` — the core clock applies the Article 31 rule of the channel and refuses a
    date the channel does not use, so a wrong channel is noticed instead of shifting the deadline.
    """
    require(acting_user, Action.REGISTER, unit)
    channel_value = Channel(
        _choice(str(channel), {c.value: CHANNEL_LABELS[c] for c in Channel}, UNKNOWN_CHANNEL)
    )
    _choice(applicant_type, {c.code: c.label for c in APPLICANT_COLUMNS}, UNKNOWN_APPLICANT_TYPE)
    for day, what in (
        (submitted_on, "申请提交日期"),
        (signed_for_on, "签收日期"),
        (confirmed_on, "与申请人确认的日期"),
    ):
        if day is not None:
            _not_in_future(day, what)
    event = ApplicationEvent(
        kind=EventKind.RECEIVED,
        date=submitted_on,
        actor=acting_user,
        data={
            "channel": channel_value.value,
            **({"signed_for_on": signed_for_on.isoformat()} if signed_for_on else {}),
            **({"confirmed_on": confirmed_on.isoformat()} if confirmed_on else {}),
        },
    )
    state = clock.evaluate([event], on=_today())
    received_on = state.received_on
    application = Application(
        unit=unit,
        channel=channel_value.value,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        contact_person=contact_person.strip(),
        id_document_type=str(id_document_type),
        id_document_number=id_document_number.strip().upper(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        description=description.strip(),
        requested_form=str(requested_form),
        delivery=str(delivery),
        submitted_on=submitted_on,
        received_on=received_on,
        year=received_on.year,
        created_by=acting_user,
    )
    _apply_state(application, state)
    _clean(application, exclude=["sequence", "tracking_number", "created_by"])
    application.sequence = _next_sequence(unit, application.year)
    application.tracking_number = tracking_number(unit, application.year, application.sequence)
    application.save()
    event.application = application
    event.save()
    return application


def _apply_state(application: Application, state: clock.CaseState) -> None:
    """Copy the clock's answer into the cache columns (see the models' docstring)."""
    application.status = state.status
    application.due_date = state.due_date
    application.result = state.result or ""
    application.decided_on = state.decided_on
    application.closed_on = state.closed_on


@transaction.atomic
def application_append_event(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    kind: EventKind,
    on: dt.date | None,
    data: dict[str, Any],
    action: Action = Action.HANDLE,
    probe: EventKind | None = None,
) -> Application:
    """Append one event to the case after the gatekeeper, the version and the clock agree.

    ``probe`` names an event that must be possible right after this one (the extension a clerk
    requests must be grantable today), checked on a copy of the history and never written.
    """
    application: Application = access_application_by_id(
        acting_user, application_id, for_change=True
    )
    if action is not Action.HANDLE:
        require(acting_user, action, application.unit)
    # Lock the row before checking the version: the history read below must belong to the
    # version checked, or a change committed in between would be refused as an impossible
    # step instead of as "changed by someone else" (a no-op on SQLite, which has one writer).
    application.version = (
        Application.objects.select_for_update().values_list("version", flat=True)
    ).get(pk=application.pk)
    _check_version(application, expected_version)
    day = on or _today()
    _not_in_future(day, f"“{kind.label}”的日期")
    history = list(application.events.order_by("id"))
    event = ApplicationEvent(
        application=application, kind=kind, date=day, actor=acting_user, data=data
    )
    today = _today()
    state = clock.evaluate([*history, event], on=today)
    if probe is not None:
        clock.evaluate([*history, event, ApplicationEvent(kind=probe, date=day, data={})], on=today)
    _apply_state(application, state)
    updated = Application.objects.filter(pk=application.pk, version=expected_version).update(
        version=F("version") + 1,
        status=application.status,
        due_date=application.due_date,
        result=application.result,
        decided_on=application.decided_on,
        closed_on=application.closed_on,
    )
    if updated != 1:
        application.refresh_from_db(fields=["version"])
        _check_version(application, expected_version)
    event.save()
    application.version = expected_version + 1
    return application


def _check_version(application: Application, expected_version: int) -> None:
    if application.version != expected_version:
        raise ApplicationError(
            STALE_VERSION.format(
                number=application.tracking_number,
                seen=expected_version,
                current=application.version,
            )
        )


# ---------------------------------------------------------------------------------------------
# The workflow steps. Each is one event; the clock decides whether it may happen now.
# ---------------------------------------------------------------------------------------------


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
    day = on or _today()
    if supplement_deadline <= day:
        raise ApplicationError(
            f"补正期限（{supplement_deadline.isoformat()}）必须晚于告知日期（{day.isoformat()}）"
        )
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        kind=EventKind.CORRECTION_REQUESTED,
        on=day,
        data={"items": items, "supplement_deadline": supplement_deadline.isoformat()},
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
        kind=EventKind.SUPPLEMENT_RECEIVED,
        on=on,
        data={"note": note.strip()},
    )


@transaction.atomic
def application_start_consultation(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    consultation: clock.ConsultationKind | str,
    party: str,
    on: dt.date | None = None,
) -> Application:
    """Send a 征求意见函 to a third party ([R] Art 32) or another agency (Art 34); clock pauses."""
    kind = clock.consultation_kind(str(consultation))
    party = party.strip()
    if not party:
        raise ApplicationError("请填写征求意见的对象（第三方或机关名称）")
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        kind=EventKind.CONSULTATION_SENT,
        on=on,
        data={"consultation": kind.value, "party": party},
    )


@transaction.atomic
def application_answer_consultation(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    consultation: clock.ConsultationKind | str,
    party: str,
    agrees: bool | None,
    note: str = "",
    on: dt.date | None = None,
) -> Application:
    """Record the answer of the ``party`` consulted earlier; the clock resumes from this day.

    ``agrees`` is the party's position (``None``: it answered without taking one).
    """
    kind = clock.consultation_kind(str(consultation))
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        kind=EventKind.CONSULTATION_ANSWERED,
        on=on,
        data={
            "consultation": kind.value,
            "party": party.strip(),
            "agrees": agrees,
            "note": note.strip(),
        },
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
        kind=EventKind.EXTENSION_REQUESTED,
        on=on,
        data={"working_days": working_days, "reason": reason},
        probe=EventKind.EXTENSION_APPROVED,
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
        kind=EventKind.EXTENSION_APPROVED,
        on=on,
        data={},
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
        kind=EventKind.EXTENSION_REFUSED,
        on=on,
        data={"reason": reason},
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
        kind=EventKind.CORRECTION_ABANDONED,
        on=on,
        data={},
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
        kind=EventKind.WITHDRAWN,
        on=on,
        data={"note": note.strip()},
    )


def applicant_requests_before(application: Application) -> int:
    """How many requests the same applicant made to this unit earlier in the same month.

    [FEE] Art 4 prices requests cumulatively per applicant per calendar month. The applicant is
    identified by the identity document number; each earlier application counts as one request
    (an application split into several requests is priced with ``requests`` on its own notice).
    """
    received = application.received_on
    return (
        Application.objects.filter(
            unit_id=application.unit_id,
            id_document_number=application.id_document_number,
            received_on__gte=received.replace(day=1),
        )
        .filter(
            # Earlier in the month, or the same day but registered before this one.
            Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk)
        )
        .count()
    )


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
    on: dt.date | None = None,
) -> Application:
    """Send the 收费通知 with the amount from the core calculator ([FEE] Arts 3–5).

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
        kind=EventKind.FEE_NOTICE_SENT,
        on=on,
        data={
            "method": fee_method.value,
            "units": priced.units,
            "already_this_month": already,
            "yuan": str(priced.yuan),
            "lines": priced.describe(),
            "basis": priced.basis,
        },
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
        kind=EventKind.FEE_PAID,
        on=on,
        data={},
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
        kind=EventKind.FEE_NOT_PAID,
        on=on,
        data={},
    )


@transaction.atomic
def application_decide(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    result: str,
    legal_basis: str,
    on: dt.date | None = None,
) -> Application:
    """Decide the case: ``result`` is one table 三 result row of the format in force."""
    legal_basis = legal_basis.strip()
    if not legal_basis:
        raise ApplicationError("答复决定须写明所依据的法律条款（如《条例》第三十六条第（二）项）")
    day = on or _today()
    clock.check_result(result, day)
    return application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        kind=EventKind.DECIDED,
        on=day,
        data={"result": result, "legal_basis": legal_basis},
    )


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
        kind=EventKind.REPLY_SENT,
        on=on,
        data={"delivery": str(delivery), "note": note.strip()},
    )
