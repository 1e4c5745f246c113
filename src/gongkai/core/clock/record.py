"""What the replay has gathered about one case: the facts of its history, no dates derived.

:mod:`.replay` fills a :class:`CaseRecord` event by event; :mod:`.fast` and :mod:`.plain` turn it
into a :class:`~.state.ClockState` for a given day. Keeping the record apart from both lets the
two derivations be compared on the same record (``tests/core/test_clock_paths.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from gongkai.core.calendar import WorkCalendar
from gongkai.core.clock.events import ConsultationParty
from gongkai.core.clock.state import CaseStatus, ClosedReason, ConsultationWindow
from gongkai.core.law import ClockPolicy, Regulation

__all__ = ["CaseRecord", "status"]


@dataclass(slots=True)
class CaseRecord:
    """Mutable bookkeeping while one history is replayed; never leaves the clock package."""

    cal: WorkCalendar
    policy: ClockPolicy
    regulation: Regulation  # the version in force on the day of receipt
    reply_days: int  # regulation.reply.working_days, read once for the fast path
    receipt: dt.date
    start: dt.date  # the day the reply period counts from: receipt, or the supplement
    receipt_confirmed_late: bool = False
    correction_on: dt.date | None = None  # the first 补正 notice
    corrections: int = 0  # 补正 notices given, at most law.MAX_CORRECTION_REQUESTS
    supplement_by: dt.date | None = None
    awaiting_supplement: bool = False
    # The 补正 came after the due date: recorded, but the supplement does not restart the clock.
    correction_after_due: bool = False
    extension: int = 0  # working days granted in all
    extensions: int = 0  # extensions granted, at most law.MAX_EXTENSIONS
    # Keyed by (party, ref); None until the first letter, to keep the common case allocation-free.
    consultations: dict[tuple[ConsultationParty, str], ConsultationWindow] | None = None
    fee_notice_on: dt.date | None = None
    fee_due: dt.date | None = None
    fee_delivered: bool = False  # the notice's delivery day is known; else fee_due is provisional
    delayed_due: dt.date | None = None  # Art 35
    fee_paid_on: dt.date | None = None
    decided_on: dt.date | None = None
    replied_on: dt.date | None = None
    closed_on: dt.date | None = None
    closed_reason: ClosedReason | None = None


# Module-level aliases of the enum members: attribute access on an Enum class costs several
# hundred nanoseconds on Python 3.11, a global lookup a few dozen, and this runs once per case.
_S_IN_PROGRESS: Final = CaseStatus.IN_PROGRESS
_S_AWAITING_SUPPLEMENT: Final = CaseStatus.AWAITING_SUPPLEMENT
_S_PAUSED_CONSULTATION: Final = CaseStatus.PAUSED_CONSULTATION
_S_AWAITING_PAYMENT: Final = CaseStatus.AWAITING_PAYMENT
_S_DECIDED: Final = CaseStatus.DECIDED
_S_REPLIED: Final = CaseStatus.REPLIED
_S_CLOSED: Final = CaseStatus.CLOSED


def status(
    record: CaseRecord, as_of: dt.date, consultations: Sequence[ConsultationWindow]
) -> CaseStatus:
    """The status on ``as_of``; shared by both derivations, as it involves no counting.

    ``consultations`` are the record's windows (passed in because the caller has them as a
    tuple already). The first matching line wins: an ended case is ended whatever else is open.
    """
    if record.replied_on is not None:
        return _S_REPLIED
    if record.closed_on is not None:
        return _S_CLOSED
    if record.awaiting_supplement:
        return _S_AWAITING_SUPPLEMENT
    if record.fee_due is not None and record.fee_paid_on is None:
        return _S_AWAITING_PAYMENT
    for c in consultations:
        if c.answered_on is None and (c.answer_due is None or c.answer_due >= as_of):
            return _S_PAUSED_CONSULTATION
    if record.decided_on is not None:
        return _S_DECIDED
    return _S_IN_PROGRESS
