"""Registering an application: its tracking number, its details and the clock's first event."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from gongkai.agencies.gatekeeper import Action, can, require
from gongkai.agencies.models import Unit
from gongkai.applications import clock
from gongkai.applications import events as ev
from gongkai.applications.models import (
    Application,
    Delivery,
    IdDocument,
    RequestedForm,
    TrackingCounter,
)
from gongkai.applications.services.assignment import check_assignee
from gongkai.applications.services.base import (
    ApplicationError,
    apply_state,
    choice,
    not_in_future,
    today,
)
from gongkai.core.formats import APPLICANT_COLUMNS
from gongkai.core.law import CHANNEL_LABELS, Channel

UNKNOWN_CHANNEL: Final = "未知的申请方式 {value!r}，可选：{allowed}"
UNKNOWN_APPLICANT_TYPE: Final = (
    "申请人类型必须是表三的一个申请人列，{value!r} 不是；可选：{allowed}"
)


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
    assigned_to: Any = None,
) -> Application:
    """Register an application received through ``channel`` and start its clock.

    ``submitted_on`` is the day it arrived or was handed in; mail that must be signed for also
    needs ``signed_for_on``, and ordinary letters, the internet platform and fax need
    ``confirmed_on`` — the core clock applies the Article 31 rule of the channel and refuses a
    date the channel does not use, so a wrong channel is noticed instead of shifting the deadline.

    The case's 承办人 is ``assigned_to``, by default the registering user when they handle
    cases in ``unit`` (the ``received`` event's actor records it; no ``assigned`` event).
    """
    require(acting_user, Action.REGISTER, unit)
    channel_value = Channel(
        choice(str(channel), {c.value: CHANNEL_LABELS[c] for c in Channel}, UNKNOWN_CHANNEL)
    )
    choice(applicant_type, {c.code: c.label for c in APPLICANT_COLUMNS}, UNKNOWN_APPLICANT_TYPE)
    for day, what in (
        (submitted_on, "申请提交日期"),
        (signed_for_on, "签收日期"),
        (confirmed_on, "与申请人确认的日期"),
    ):
        if day is not None:
            not_in_future(day, what)
    received = ev.Received(
        channel=channel_value, signed_for_on=signed_for_on, confirmed_on=confirmed_on
    )
    event = ev.new_event(received, date=submitted_on, actor=acting_user)
    state = clock.evaluate([event], on=today())
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
    apply_state(application, state)
    _clean(application, exclude=["sequence", "tracking_number", "created_by"])
    if assigned_to is not None:
        check_assignee(assigned_to, application)
        application.assigned_to = assigned_to
    elif can(acting_user, Action.HANDLE, unit):
        application.assigned_to = acting_user
    application.sequence = _next_sequence(unit, application.year)
    application.tracking_number = tracking_number(unit, application.year, application.sequence)
    application.save()
    event.application = application
    event.save()
    return application
