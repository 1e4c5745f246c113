"""The case clock: every deadline of one application, computed from its history of events.

An application's history is append-only; its status, due dates, days left and "overdue" are
derived from it by :func:`case_clock`, never stored as the truth (DESIGN.md, "Case clock"). The
rules are those of LEGAL.md §5.1, with every period read from :mod:`gongkai.core.law`:

* The reply is due 20 working days after the day of receipt (Art 33 ¶2); the day of receipt is
  fixed by the channel (Art 31, :func:`law.receipt_rule`: e-mail follows the policy) and is not
  itself counted. An application received before 2019-05-15 follows the 2008 Regulation
  (:func:`law.regulation_for`: 15 working days, extension up to 15, third-party time not
  counted and no window for the answer); steps that version did not know (inter-agency
  consultation, the fee, Art 35) are refused with its name.
* A 补正 request stops the clock; the supplement **restarts** the 20 days from the day it is
  received (Art 30) — unless the notice went out after the period had run out: then it is
  recorded (:attr:`ClockState.correction_after_due`) and restarts nothing, so the case stays
  overdue from the original due date. It may be requested once
  (``law.MAX_CORRECTION_REQUESTS``), before the decision; the notice is due within 7 working
  days of receipt, and a later request is accepted but flagged
  (:attr:`ClockState.correction_requested_late`), because the applicant's duty to supplement
  does not lapse with the agency's delay.
* Third-party and inter-agency consultations are not counted (Art 33 ¶3). A consultation pauses
  the clock from the day after the letter is sent up to and including the day the answer arrives
  or, if none arrives, the last day of the 15-working-day window (Arts 32, 34): after that the
  agency decides alone, so the clock runs again. Overlapping consultations pause once.
* An extension adds at most 20 working days, once (``law.MAX_EXTENSIONS``), granted on or
  before the due date. An Art 35 delayed reply (:class:`DelayedReplyNotified`), notified on or
  before the due date, sets a later date that binds instead.
* A consultation window and the fee-payment period count from the day the letter was received
  (:class:`ConsultationDelivered`, :class:`FeeNoticeDelivered`, or ``delivered_on``); until
  that is recorded they count from the sending day and are provisional, and an unpaid fee
  cannot close the case.
* The fee-payment period pauses the clock when ``law.ClockPolicy.fee_payment_pauses_clock`` is
  set (UNVERIFIED, LEGAL.md §8.5), from the day after the notice up to the payment, or to the end
  of the 20-working-day payment period.

A pause whose end is not yet known on the day asked about (a consultation still unanswered, a
fee still unpaid) is counted up to that day only. The due date shown is therefore the earliest
the case can be due; it moves later each working day the pause lasts, and never earlier.

The package, one reason to change per module:

* :mod:`.events`: the event types the clock consumes, each checking its own fields;
* :mod:`.state`: the answer, :class:`ClockState`, and the values it holds;
* :mod:`.arithmetic`: working-day periods with pauses, in calendar ranks;
* :mod:`.record` and :mod:`.replay`: folding a history, event by event, into a record of facts,
  refusing impossible histories;
* :mod:`.fast`: the record turned into the state, fast enough for a province's dashboard;
  :mod:`.plain` does the same on dates, as the reference the property tests hold it to;
* :mod:`.errors`: :class:`ClockError`.

Everything public is importable from ``gongkai.core.clock`` itself; the modules are the clock's
own business.
"""

from __future__ import annotations

from gongkai.core.clock.arithmetic import due_date, regulation_of, reply_due, supplement_restarts
from gongkai.core.clock.errors import ClockError
from gongkai.core.clock.events import (
    ConsultationAnswered,
    ConsultationDelivered,
    ConsultationParty,
    ConsultationSent,
    CorrectionAbandoned,
    CorrectionRequested,
    Decided,
    DelayedReplyNotified,
    Event,
    ExtensionGranted,
    FeeNoticeDelivered,
    FeeNoticeSent,
    FeeNotPaid,
    FeePaid,
    Received,
    ReplySent,
    SupplementReceived,
    Withdrawn,
)
from gongkai.core.clock.replay import CHINA_TZ, case_clock
from gongkai.core.clock.state import (
    CaseStatus,
    ClockState,
    ClosedReason,
    ConsultationWindow,
    Pause,
)

__all__ = [
    "CHINA_TZ",
    "CaseStatus",
    "ClockError",
    "ClockState",
    "ClosedReason",
    "ConsultationAnswered",
    "ConsultationDelivered",
    "ConsultationParty",
    "ConsultationSent",
    "ConsultationWindow",
    "CorrectionAbandoned",
    "CorrectionRequested",
    "Decided",
    "DelayedReplyNotified",
    "Event",
    "ExtensionGranted",
    "FeeNotPaid",
    "FeeNoticeDelivered",
    "FeeNoticeSent",
    "FeePaid",
    "Pause",
    "Received",
    "ReplySent",
    "SupplementReceived",
    "Withdrawn",
    "case_clock",
    "due_date",
    "regulation_of",
    "reply_due",
    "supplement_restarts",
]
