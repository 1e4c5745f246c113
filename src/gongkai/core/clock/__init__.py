"""The case clock: every deadline of one application, computed from its history of events.

An application's history is append-only; its status, due dates, days left and "overdue" are
derived from it by :func:`case_clock`, never stored as the truth (DESIGN.md, "Case clock"). The
rules are those of LEGAL.md §5.1, with every period read from :mod:`gongkai.core.law`:

* The reply is due 20 working days after the day of receipt (Art 33 ¶2); the day of receipt is
  fixed by the channel (Art 31, :data:`law.RECEIPT_RULES`) and is not itself counted.
* A 补正 request stops the clock; the supplement **restarts** the 20 days from the day it is
  received (Art 30). It may be requested once (``law.MAX_CORRECTION_REQUESTS``), before the
  decision; the notice is due within 7 working days of receipt, and a later request is accepted
  but flagged (:attr:`ClockState.correction_requested_late`), because the applicant's duty to
  supplement does not lapse with the agency's delay.
* Third-party and inter-agency consultations are not counted (Art 33 ¶3). A consultation pauses
  the clock from the day after the letter is sent up to and including the day the answer arrives
  or, if none arrives, the last day of the 15-working-day window (Arts 32, 34): after that the
  agency decides alone, so the clock runs again. Overlapping consultations pause once.
* An extension adds at most 20 working days, once (``law.MAX_EXTENSIONS``), granted on or
  before the due date.
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

from gongkai.core.clock.arithmetic import due_date, reply_due
from gongkai.core.clock.errors import ClockError
from gongkai.core.clock.events import (
    ConsultationAnswered,
    ConsultationParty,
    ConsultationSent,
    CorrectionAbandoned,
    CorrectionRequested,
    Decided,
    Event,
    ExtensionGranted,
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
    "ConsultationParty",
    "ConsultationSent",
    "ConsultationWindow",
    "CorrectionAbandoned",
    "CorrectionRequested",
    "Decided",
    "Event",
    "ExtensionGranted",
    "FeeNotPaid",
    "FeeNoticeSent",
    "FeePaid",
    "Pause",
    "Received",
    "ReplySent",
    "SupplementReceived",
    "Withdrawn",
    "case_clock",
    "due_date",
    "reply_due",
]
