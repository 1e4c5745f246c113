"""Working-day periods with pauses: the arithmetic every due date of the clock comes from.

The calendar answers "the n-th working day after a day" (LEGAL.md §5.2: the start day is not
counted). The clock needs one thing more, a count that skips paused stretches (Art 33 ¶3), and
does it in *ranks*: the rank of a day is how many working days fall on or before it, so the
working days of any half-open interval (a, b] are ``rank(b) - rank(a)`` and a paused stretch is
one pair of ranks instead of a walk day by day. :func:`due_date` and :func:`reply_due` are the
same arithmetic on dates, for callers without a history (``gongkai deadline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from gongkai.core import law
from gongkai.core.calendar import WorkCalendar, national_calendar
from gongkai.core.clock.errors import ClockError, iso

__all__ = [
    "check_extension_size",
    "due_date",
    "due_rank",
    "paused_length",
    "regulation_of",
    "reply_due",
    "supplement_restarts",
]


def due_rank(start_rank: int, n: int, paused: Sequence[tuple[int, int]]) -> int:
    """Rank of the n-th counted working day after ``start_rank``, skipping paused ranks.

    ``paused`` holds (lo, hi) rank pairs sorted by lo: ranks lo+1..hi do not count. Overlaps
    are absorbed, so two consultations at once pause once.
    """
    pos = start_rank
    remaining = n
    for lo, hi in paused:
        if hi <= pos:
            continue
        if lo > pos:
            gap = lo - pos
            if gap >= remaining:
                break
            remaining -= gap
        pos = hi
    return pos + remaining


def paused_length(start_rank: int, paused: Sequence[tuple[int, int]]) -> int:
    """Working days after the clock start covered by at least one pause (counted once).

    ``paused`` is sorted by lo, as for :func:`due_rank`.
    """
    total = 0
    reached = start_rank
    for lo, hi in paused:
        lo = max(lo, reached)
        if hi > lo:
            total += hi - lo
            reached = hi
    return total


def due_date(
    start: dt.date,
    working_days: int,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    *,
    calendar: WorkCalendar | None = None,
) -> dt.date:
    """The ``working_days``-th counted working day after ``start``.

    Each pause ``(after, through)`` removes the working days in (after, through]: the day a
    consultation letter goes out still counts, the day its answer arrives does not.
    """
    if working_days < 0:
        raise ClockError(f"期限的工作日数不能为负数（收到 {working_days}）。")
    cal = calendar or national_calendar()
    paused = sorted((cal.rank(a), cal.rank(b)) for a, b in pauses)
    return cal.workday_of_rank(due_rank(cal.rank(start), working_days, paused), start)


def reply_due(
    received: dt.date,
    *,
    supplement_received: dt.date | None = None,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    extension: int = 0,
    correction_sent: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> dt.date:
    """The reply due date for ``gongkai deadline`` without a full event history.

    ``received`` is the Art 31 day of receipt (for channels that need a confirmation, the
    confirmation day); its date picks the Regulation's version (:func:`law.regulation_for`),
    and so the period. ``pauses`` are consultation (or fee) intervals as in :func:`due_date`.
    A supplement restarts the period only if the 补正 notice (``correction_sent``) went out
    before the period ran out: a late 补正 cannot erase lateness (see :func:`supplement_restarts`).
    """
    regulation = regulation_of(received)
    start = received
    if supplement_received is not None:
        if supplement_received < received:
            raise ClockError(
                f"收到补正材料之日 {iso(supplement_received)} 早于收到申请之日 {iso(received)}。"
            )
        if correction_sent is not None and supplement_received < correction_sent:
            raise ClockError(
                f"收到补正材料之日 {iso(supplement_received)} 早于告知补正之日 "
                f"{iso(correction_sent)}。"
            )
        start = supplement_received
    if correction_sent is not None and correction_sent < received:
        raise ClockError(f"告知补正之日 {iso(correction_sent)} 早于收到申请之日 {iso(received)}。")
    pause_list = list(pauses)
    for after, through in pause_list:
        if through < after:
            raise ClockError(f"暂停区间 {iso(after)}:{iso(through)} 的结束日早于开始日。")
        if after < received:
            raise ClockError(
                f"暂停区间 {iso(after)}:{iso(through)} 开始于收到申请之日 {iso(received)} 之前。"
            )
    check_extension_size(extension, allow_zero=True, limit=regulation.extension_max)
    days = regulation.reply.working_days
    if start != received and correction_sent is not None:
        original = due_date(received, days, pause_list, calendar=calendar)
        if not supplement_restarts(correction_sent, original):
            start = received
    return due_date(start, days + extension, pause_list, calendar=calendar)


def supplement_restarts(correction_sent: dt.date, due: dt.date) -> bool:
    """Whether a 补正 notice sent on ``correction_sent`` restarts a period due on ``due``.

    Art 30 restarts a period that is running; once it has run out the case is overdue, and a
    补正 sent afterwards is recorded but cannot make it timely again (issue 9 §2). The due day
    itself is still inside the period.
    """
    return correction_sent <= due


def regulation_of(received: dt.date) -> law.Regulation:
    """:func:`law.regulation_for` with its refusal as a :class:`ClockError`."""
    try:
        return law.regulation_for(received)
    except law.NoRegulationError as error:
        raise ClockError(f"{error}。") from None


def check_extension_size(
    working_days: int, *, allow_zero: bool = False, limit: law.Period = law.EXTENSION_MAX
) -> None:
    """Refuse an extension longer than the law allows (Art 33 ¶2), or of no days at all."""
    low = 0 if allow_zero else 1
    if not low <= working_days <= limit.working_days:
        raise ClockError(
            f"延长答复期限 {working_days} 个工作日不合法：依照{limit.article}，"
            f"延长期限最长不得超过 {limit.working_days} 个工作日（且至少 1 个工作日）。"
        )
