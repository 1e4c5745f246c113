"""The clock's plain path: the state of a case computed the obvious way, on dates.

This is the reference for :mod:`.fast`. It says what each field of :class:`~.state.ClockState`
means in the words of LEGAL.md §5.1, using only the public date arithmetic
(:func:`.arithmetic.due_date`, the calendar's ``add_working_days`` and ``working_days_between``)
and building nothing for speed. ``case_clock`` does not use it; the property tests replay random
histories through both and require the same state (``tests/core/test_clock_paths.py``). When
the rules change, change them here first, then make the fast path agree.
"""

from __future__ import annotations

import datetime as dt

from gongkai.core.clock.arithmetic import due_date
from gongkai.core.clock.record import CaseRecord, status
from gongkai.core.clock.state import ClockState, Pause

__all__ = ["pauses", "state"]


def pauses(record: CaseRecord, until: dt.date) -> list[Pause]:
    """The stretches not counted (Art 33 ¶3), as known on ``until``.

    A consultation pauses from the day after its letter to its answer, or to the end of the
    party's window if the answer is late or missing; the fee-payment period (if the policy
    pauses for it) from the day after the notice to the payment or the end of the period. A
    pause still running on ``until`` is cut there and marked open; an empty one is left out.
    """
    found: list[Pause] = []
    for window in (record.consultations or {}).values():
        if window.answer_due is None:  # no window (2008 third party): until the answer
            end = window.answered_on or dt.date.max
        else:
            end = window.answer_due
            if window.answered_on is not None:
                end = min(end, window.answered_on)
        found.append(_cut(Pause(window.sent_on, end, False, window.party, window.ref), until))
    if (
        record.fee_notice_on is not None
        and record.fee_due is not None
        and record.policy.fee_payment_pauses_clock
    ):
        end = record.fee_paid_on or record.fee_due
        found.append(_cut(Pause(record.fee_notice_on, end), until))
    return [p for p in found if p.through > p.after]


def _cut(pause: Pause, until: dt.date) -> Pause:
    if pause.through > until:
        return pause._replace(through=until, open=True)
    return pause


def state(record: CaseRecord, as_of: dt.date) -> ClockState:
    """The case's :class:`ClockState` on ``as_of``, field by field."""
    cal = record.cal
    ended = record.replied_on or record.closed_on
    known = pauses(record, ended or as_of)
    intervals = [(p.after, p.through) for p in known]
    reply_period = record.regulation.reply.working_days

    reply_due = extended_due = None
    # No period runs while the agency waits for a supplement, unless the 补正 came after the
    # due date: then it restarts nothing and the original period stands.
    if not record.awaiting_supplement or record.correction_after_due:
        reply_due = due_date(record.start, reply_period, intervals, calendar=cal)
        if record.extension:
            extended_due = due_date(
                record.start, reply_period + record.extension, intervals, calendar=cal
            )
    # Art 35: the notified later date binds instead of the Art 33 one.
    due = record.delayed_due or extended_due or reply_due
    # Every pause has ended by as_of (open ones are cut there), so the days left are plain
    # working days from as_of to the due date, negative once it has passed.
    days_left = None
    if due is not None and ended is None:
        days_left = cal.working_days_between(as_of, due)

    notice = record.regulation.correction_notice  # None: the 2008 Regulation had no such period
    notice_due = None
    if notice is not None:
        notice_due = cal.add_working_days(record.receipt, notice.working_days)
    consultations = tuple((record.consultations or {}).values())
    return ClockState(
        on=as_of,
        status=status(record, as_of, consultations),
        received_on=record.receipt,
        correction_notice_due=notice_due,
        correction_requested_on=record.correction_on,
        correction_requested_late=(
            notice_due is not None
            and record.correction_on is not None
            and record.correction_on > notice_due
        ),
        supplement_due=record.supplement_by,
        clock_start=record.start,
        reply_due=reply_due,
        extended_due=extended_due,
        extension_working_days=record.extension,
        pauses=tuple(known),
        paused_working_days=_paused_after(record.start, intervals, record),
        consultations=consultations,
        fee_payment_due=record.fee_due,
        decided_on=record.decided_on,
        replied_on=record.replied_on,
        closed_on=record.closed_on,
        closed_reason=record.closed_reason,
        working_days_left=days_left,
        overdue=days_left is not None and days_left < 0,
        answered_late=(
            record.replied_on is not None and due is not None and record.replied_on > due
        ),
        regulation=record.regulation,
        delayed_due=record.delayed_due,
        correction_after_due=record.correction_after_due,
        receipt_confirmed_late=record.receipt_confirmed_late,
        fee_payment_due_provisional=record.fee_due is not None and not record.fee_delivered,
    )


def _paused_after(
    start: dt.date, intervals: list[tuple[dt.date, dt.date]], record: CaseRecord
) -> int:
    """Working days after ``start`` inside at least one pause: overlapping pauses count once."""
    total = 0
    reached = start
    for after, through in sorted(intervals):
        after = max(after, reached)
        if through > after:
            total += record.cal.working_days_between(after, through)
            reached = through
    return total
