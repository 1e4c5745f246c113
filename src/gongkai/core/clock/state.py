"""The answer of the case clock: the state of one case on one day, and the values it holds.

These types are what the rest of gongkai sees of the clock (the case page, the work lists, the
exports, the annual report's carry-over). They change when an officer needs to know something
new about a case; how the values are computed lives in :mod:`.fast` and :mod:`.plain`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import NamedTuple

from gongkai.core.clock.events import ConsultationParty
from gongkai.core.law import Regulation

__all__ = ["CaseStatus", "ClockState", "ClosedReason", "ConsultationWindow", "Pause"]


class CaseStatus(enum.StrEnum):
    """Where a case stands on the day asked about; derived from the history, never stored."""

    IN_PROGRESS = "in_progress"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    PAUSED_CONSULTATION = "paused_consultation"
    AWAITING_PAYMENT = "awaiting_payment"
    DECIDED = "decided"
    REPLIED = "replied"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.IN_PROGRESS: "办理中",
    CaseStatus.AWAITING_SUPPLEMENT: "等待补正",
    CaseStatus.PAUSED_CONSULTATION: "征求意见中（暂停计时）",
    CaseStatus.AWAITING_PAYMENT: "等待缴费",
    CaseStatus.DECIDED: "已作出决定，待送达",
    CaseStatus.REPLIED: "已答复",
    CaseStatus.CLOSED: "已终止",
}


class ClosedReason(enum.StrEnum):
    """Why a case ended without a reply; the last two are table 三 rows 其他处理 (LEGAL.md §2.4)."""

    WITHDRAWN = "withdrawn"
    CORRECTION_ABANDONED = "correction_abandoned"
    FEE_NOT_PAID = "fee_not_paid"


class Pause(NamedTuple):
    """Working days in (``after``, ``through``] do not count; ``open`` = end not yet known.

    ``party`` is whom the agency consulted, or ``None`` for the fee-payment period. A state
    lists its pauses in the order the letters were sent, the fee-payment pause last.
    """

    after: dt.date
    through: dt.date
    open: bool = False
    party: ConsultationParty | None = None
    ref: str = ""

    @property
    def reason(self) -> str:
        if self.party is None:
            return "等待缴费"
        return f"征求{self.party.noun}意见" + (f"（{self.ref}）" if self.ref else "")


class ConsultationWindow(NamedTuple):
    """One consultation letter and its party's answer window (15 working days).

    The window counts from ``delivered_on``, the day the party received the letter (Arts 32,
    34); while that is not recorded it counts from the sending day and is ``provisional``: the
    real window ends the same or later. ``answer_due`` is ``None`` under the 2008 Regulation,
    which gave the third party no period (its Art 23): the pause then lasts until the answer.
    """

    party: ConsultationParty
    ref: str
    sent_on: dt.date
    answer_due: dt.date | None  # last day of the party's 15-working-day window
    answered_on: dt.date | None
    delivered_on: dt.date | None = None

    @property
    def answered_late(self) -> bool:
        return (
            self.answered_on is not None
            and self.answer_due is not None
            and self.answered_on > self.answer_due
        )

    @property
    def provisional(self) -> bool:
        return self.answer_due is not None and self.delivered_on is None


class ClockState(NamedTuple):
    """Everything the officer needs to know about one case's deadlines on the day ``on``.

    A NamedTuple rather than a frozen dataclass: equally immutable, and several times cheaper
    to build, which matters when a dashboard recomputes every open case of a province.

    Dates that do not apply are ``None``: ``reply_due`` while the agency waits for a supplement
    (no period is running, unless the 补正 came after the due date: ``correction_after_due``),
    ``extended_due`` without an extension, ``delayed_due`` without an Art 35 notice,
    ``fee_payment_due`` without a fee notice, ``correction_notice_due`` under the 2008
    Regulation, which had no such period. ``working_days_left`` is ``None`` once the case is
    replied or closed; otherwise it is the working days in (``on``, ``due``], negative when
    overdue. ``fee_payment_due_provisional`` says the notice's delivery is not recorded, so the
    payment period was counted from the sending day and may end later.
    """

    on: dt.date
    status: CaseStatus
    received_on: dt.date
    correction_notice_due: dt.date | None
    correction_requested_on: dt.date | None
    correction_requested_late: bool
    supplement_due: dt.date | None
    clock_start: dt.date  # the day the 20 working days count from (receipt or supplement)
    reply_due: dt.date | None  # 20 working days plus pauses
    extended_due: dt.date | None  # reply_due plus the extension
    extension_working_days: int
    pauses: tuple[Pause, ...]
    paused_working_days: int
    consultations: tuple[ConsultationWindow, ...]
    fee_payment_due: dt.date | None
    decided_on: dt.date | None
    replied_on: dt.date | None
    closed_on: dt.date | None
    closed_reason: ClosedReason | None
    working_days_left: int | None
    overdue: bool
    answered_late: bool
    regulation: Regulation  # the version in force on the day of receipt (LEGAL.md §5.6)
    delayed_due: dt.date | None  # Art 35: the later due date notified to the applicant
    correction_after_due: bool  # the 补正 came after the due date: it did not restart the clock
    receipt_confirmed_late: bool  # ordinary letter confirmed after the day it arrived (Art 31)
    fee_payment_due_provisional: bool  # the fee notice's delivery is not yet recorded

    @property
    def due(self) -> dt.date | None:
        """The date that actually binds: the Art 35 date if notified, else the extended due
        date if extended, else the reply due date."""
        return self.delayed_due or self.extended_due or self.reply_due
