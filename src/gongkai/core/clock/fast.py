"""The clock's fast path: the state of a case computed in ranks, as cheaply as Python allows.

A supervising office's dashboard recomputes every open case of a province on each page view
(``benchmarks/bench_clock.py``: 100,000 cases well under 2 s on one core), so this is written for
speed: due dates are worked out in calendar ranks (:mod:`.arithmetic`) and turned into dates only
for the answer, the pauses are built once, a case with no pause skips the walk, and the state is
built positionally. :mod:`.plain` computes the same answer the obvious way, on dates;
``tests/core/test_clock_paths.py`` holds the two equal on random histories, so a change here
that is faster but wrong fails there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from gongkai.core import law
from gongkai.core.clock.arithmetic import due_rank, paused_length
from gongkai.core.clock.record import CaseRecord, status
from gongkai.core.clock.state import ClockState, ConsultationWindow, Pause

__all__ = ["current_due", "pauses", "state"]

# The 补正 notice period of the 2019 Regulation, read once (the hot path then pays a global
# lookup instead of three attribute lookups). The reply period is the record's, which reads the
# version in force on the day of receipt.
_REGULATION_2019: Final = law.REGULATION_2019
_NOTICE_DAYS: Final = law.CORRECTION_NOTICE_PERIOD.working_days
# The end of a pause with no window and no answer yet: open, cut at the day asked about.
_NEVER: Final = dt.date.max


def pauses(
    record: CaseRecord, until: dt.date, describe: bool = True
) -> tuple[list[Pause], list[tuple[int, int]]]:
    """The non-empty pauses as known on ``until`` (open ones cut there), and the same as rank
    pairs sorted by start, the form :func:`.arithmetic.due_rank` walks.

    ``describe=False`` skips building the :class:`Pause` values when only the due date is
    wanted (checking an extension or a fee notice against it).
    """
    out: list[Pause] = []
    ranks: list[tuple[int, int]] = []
    rank = record.cal.rank
    if record.consultations:
        for c in record.consultations.values():
            end = c.answer_due
            if end is None:  # no window (2008 third party): paused until the answer
                end = c.answered_on or _NEVER
            elif c.answered_on is not None and c.answered_on < end:
                end = c.answered_on
            is_open = end > until
            if is_open:
                end = until
            if end > c.sent_on:
                if describe:
                    out.append(Pause(c.sent_on, end, is_open, c.party, c.ref))
                ranks.append((rank(c.sent_on), rank(end)))
    if (
        record.fee_notice_on is not None
        and record.fee_due is not None
        and record.policy.fee_payment_pauses_clock
    ):
        end = record.fee_due if record.fee_paid_on is None else record.fee_paid_on
        is_open = end > until
        if is_open:
            end = until
        if end > record.fee_notice_on:
            if describe:
                out.append(Pause(record.fee_notice_on, end, is_open))
            ranks.append((rank(record.fee_notice_on), rank(end)))
    if len(ranks) > 1:
        ranks.sort()
    return out, ranks


def current_due(record: CaseRecord, until: dt.date) -> dt.date:
    """The binding due date as known on ``until``: what an extension or a fee notice that day
    must not be later than. Only asked while a reply period is running."""
    if record.delayed_due is not None:
        return record.delayed_due
    cal = record.cal
    paused = pauses(record, until, False)[1]
    days = record.reply_days + record.extension
    return cal.workday_of_rank(due_rank(cal.rank(record.start), days, paused), record.start)


def state(record: CaseRecord, as_of: dt.date) -> ClockState:
    """The case's :class:`ClockState` on ``as_of``, from what the replay has recorded."""
    cal = record.cal
    ended = record.replied_on or record.closed_on
    until = ended or as_of
    pause_values: tuple[Pause, ...] = ()
    paused: Sequence[tuple[int, int]] = ()
    if record.consultations or record.fee_notice_on is not None:
        pause_list, paused = pauses(record, until)
        pause_values = tuple(pause_list)
    # Work in ranks and convert to dates only for the answer: a date round trip per value
    # would double the cost of the whole function.
    reply_due: dt.date | None = None
    extended_due: dt.date | None = None
    days_left: int | None = None
    rank = cal.rank
    start_rank = rank(record.start)
    reply_days = record.reply_days
    if not record.awaiting_supplement or record.correction_after_due:
        rank_due = due_rank(start_rank, reply_days, paused) if paused else start_rank + reply_days
        reply_due = cal.workday_of_rank(rank_due, record.start)
        if record.extension:
            rank_due = due_rank(start_rank, reply_days + record.extension, paused)
            extended_due = cal.workday_of_rank(rank_due, record.start)
        if record.delayed_due is not None:
            rank_due = rank(record.delayed_due)
        if ended is None:
            # Every pause ends on or before as_of, so no paused day lies in (as_of, due].
            days_left = rank_due - rank(as_of)
    due = record.delayed_due or extended_due or reply_due
    consultations: tuple[ConsultationWindow, ...] = ()
    if record.consultations:
        consultations = tuple(record.consultations.values())
    notice_due: dt.date | None = None
    late_correction = False
    if record.regulation is _REGULATION_2019:
        receipt_rank = start_rank if record.start is record.receipt else rank(record.receipt)
        notice_due = cal.workday_of_rank(receipt_rank + _NOTICE_DAYS, record.receipt)
        late_correction = record.correction_on is not None and record.correction_on > notice_due
    replied_on = record.replied_on
    # Positional, in field order (each line names its field): keyword construction of a
    # 22-field NamedTuple costs twice as much, and this runs once per case per page view.
    return ClockState(
        as_of,  # on
        status(record, as_of, consultations),  # status
        record.receipt,  # received_on
        notice_due,  # correction_notice_due
        record.correction_on,  # correction_requested_on
        late_correction,  # correction_requested_late
        record.supplement_by,  # supplement_due
        record.start,  # clock_start
        reply_due,  # reply_due
        extended_due,  # extended_due
        record.extension,  # extension_working_days
        pause_values,  # pauses
        paused_length(start_rank, paused) if paused else 0,  # paused_working_days
        consultations,  # consultations
        record.fee_due,  # fee_payment_due
        record.decided_on,  # decided_on
        replied_on,  # replied_on
        record.closed_on,  # closed_on
        record.closed_reason,  # closed_reason
        days_left,  # working_days_left
        days_left is not None and days_left < 0,  # overdue
        replied_on is not None and due is not None and replied_on > due,  # answered_late
        record.regulation,  # regulation
        record.delayed_due,  # delayed_due
        record.correction_after_due,  # correction_after_due
        record.receipt_confirmed_late,  # receipt_confirmed_late
        record.fee_due is not None and not record.fee_delivered,  # fee_payment_due_provisional
    )
