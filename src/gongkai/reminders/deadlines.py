"""The deadlines of the open cases, read from the core clock exactly as the case page does.

One pass over every open case of the deployment: their events in one query, each history
judged by :func:`gongkai.applications.clock.evaluate` on the day of the run, the 暂定 marks from
:func:`gongkai.applications.clock.provisional_deadlines`. Nothing here trusts the cached due
date, which goes stale while a consultation or a fee holds the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch

from gongkai.applications import clock
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.applications.selectors import CaseRow, case_row
from gongkai.core.clock import CaseStatus
from gongkai.core.errors import GongkaiError
from gongkai.reminders.models import DeadlineKind


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline still to be met; ``for_heads`` when the 负责人 must act (an extension)."""

    kind: DeadlineKind
    day: dt.date
    provisional: bool
    subject: str = ""
    for_heads: bool = False
    # Whether its passing is reminded too. Not for the 补正 notice: most cases need none, and
    # once its 7 days are over "no 补正 was sent" is the normal state, not a missed step.
    remind_passed: bool = True


@dataclass(frozen=True, slots=True)
class OpenCase:
    row: CaseRow
    deadlines: tuple[Deadline, ...]

    @property
    def application(self) -> Application:
        return self.row.application


def _extension_pending(history: list[ApplicationEvent]) -> bool:
    pending = False
    for event in history:
        if event.kind == EventKind.EXTENSION_REQUESTED:
            pending = True
        elif event.kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED):
            pending = False
    return pending


def case_deadlines(history: list[ApplicationEvent], state: clock.CaseState) -> list[Deadline]:
    """The deadlines of one case that someone in the office must still meet.

    The reply (the binding due date: extended or delayed if so), the 补正 notice while none has
    been sent and nothing decided, the extension request awaiting the 负责人 (before the
    unextended due date), the fee while the applicant has not paid, each unanswered
    consultation. A case that waits for the applicant's 补正 runs no reply period.
    """
    c = state.clock
    if c.replied_on is not None or c.closed_on is not None:
        return []
    marks = clock.provisional_deadlines(c)
    found: list[Deadline] = []
    if (
        c.correction_notice_due is not None
        and c.correction_requested_on is None
        and c.decided_on is None
        and c.status is CaseStatus.IN_PROGRESS
    ):
        found.append(
            Deadline(
                DeadlineKind.CORRECTION_NOTICE,
                c.correction_notice_due,
                marks.correction_notice_due,
                remind_passed=False,
            )
        )
    if c.due is not None and c.working_days_left is not None:
        found.append(Deadline(DeadlineKind.REPLY, c.due, marks.due))
    if c.reply_due is not None and c.extended_due is None and _extension_pending(history):
        found.append(
            Deadline(DeadlineKind.EXTENSION_DECISION, c.reply_due, marks.reply_due, for_heads=True)
        )
    if c.status is CaseStatus.AWAITING_PAYMENT and c.fee_payment_due is not None:
        found.append(Deadline(DeadlineKind.FEE_PAYMENT, c.fee_payment_due, marks.fee_payment_due))
    windows = marks.consultations or tuple((w, False) for w in c.consultations)
    for window, provisional in windows:
        if window.answered_on is None and window.answer_due is not None:
            found.append(
                Deadline(
                    DeadlineKind.CONSULTATION,
                    window.answer_due,
                    # 暂定 is the calendar's mark only; a letter whose delivery is not yet
                    # recorded (counted from sending) is the case page's own note.
                    provisional,
                    subject=window.ref,
                )
            )
    return found


def open_cases(today: dt.date) -> Iterator[OpenCase]:
    """Every open case of the deployment with its deadlines on ``today`` (two queries)."""
    queryset = (
        Application.objects.filter(closed_on__isnull=True)
        .select_related("unit", "assigned_to")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("id")))
        .order_by("unit_id", "pk")
    )
    for application in queryset:
        history = list(application.events.all())
        try:
            state = clock.evaluate(history, on=today)
        except GongkaiError as error:
            # Shown on the case page and the lists; a reminder cannot name a date it lacks.
            yield OpenCase(CaseRow(application, None, str(error)), ())
            continue
        yield OpenCase(case_row(application, state), tuple(case_deadlines(history, state)))
