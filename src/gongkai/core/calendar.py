"""Working days as Chinese agencies count them, for every statutory period in gongkai.

The Regulation counts its periods in working days (工作日) without defining them (LEGAL.md §5.2).
Agencies rest on weekends and on the statutory holidays announced each year by the State
Council, and work on the announced 调休 make-up weekend days; ``chinese_calendar`` keeps that
table. A year whose schedule has not been announced yet is unknown, so a date outside the
library's data raises :class:`CalendarRangeError` instead of guessing from weekdays alone: a
guessed deadline in a legal letter is worse than none.

Every question is answered from two arrays built once per calendar: for each day of the
supported range, how many working days fall on or before it (its *rank*), and the sorted list
of working days. That makes ``add_working_days`` and ``working_days_between`` O(1), which the
case clock needs to compute a hundred thousand case clocks in well under two seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import chinese_calendar

from gongkai.core.errors import GongkaiError
from gongkai.core.law import DEFAULT_CLOCK_POLICY, ClockPolicy

__all__ = [
    "CalendarRangeError",
    "WorkCalendar",
    "national_calendar",
    "supported_years",
]


class CalendarRangeError(GongkaiError):
    """A date (or a count of working days) reaches beyond the years whose holidays are known."""


@lru_cache(maxsize=1)
def supported_years() -> tuple[int, int]:
    """The first and last year of the installed ``chinese_calendar`` data, both inclusive.

    Read from the library's own tables so that upgrading ``chinesecalendar`` (which adds the
    newly announced year) widens the range without an edit here.
    """
    known = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(known).year, max(known).year


def _range_message(day: dt.date) -> str:
    first, last = supported_years()
    return (
        f"日期 {day.isoformat()} 超出了工作日历的数据范围：目前只知道 {first} 年至 {last} 年的"
        "法定节假日和调休安排，无法计算该日期是否为工作日。请升级 chinesecalendar "
        "或在本地日历中补充该年度的安排。"
    )


@lru_cache(maxsize=2)
def _national_flags(makeup_days_are_workdays: bool) -> tuple[int, bytes]:
    """Per day of the supported range, 1 if agencies work that day: (first ordinal, flags)."""
    first_year, last_year = supported_years()
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(last_year, 12, 31).toordinal()
    holidays = {d.toordinal() for d in chinese_calendar.holidays}
    makeup = {d.toordinal() for d in chinese_calendar.workdays}
    flags = bytearray(last - first + 1)
    for ordinal in range(first, last + 1):
        # date.weekday() of ordinal 1 (0001-01-01) is Monday, so (ordinal - 1) % 7 is the weekday.
        weekday = (ordinal - 1) % 7
        if ordinal in makeup:
            flags[ordinal - first] = 1 if makeup_days_are_workdays else int(weekday < 5)
        else:
            flags[ordinal - first] = int(weekday < 5 and ordinal not in holidays)
    return first, bytes(flags)


class WorkCalendar:
    """The working days of one deployment: the national schedule plus local changes.

    ``extra_days_off`` are local days off (e.g. a province's own holiday or a closure);
    ``extra_workdays`` are local extra working days. Both must lie in the supported years and
    must not overlap. Instances are immutable and safe to share between threads; build one per
    deployment and reuse it (building takes a few milliseconds).

    Conventions, used by every method: the start day of a period is not counted
    (``law.ClockPolicy.exclude_start_day``), so ``add_working_days(received, 20)`` is the 20th
    working day *after* the day of receipt, and ``working_days_between(a, b)`` counts the
    working days in the half-open interval (a, b].
    """

    __slots__ = (
        "_cum",
        "_first",
        "_flags",
        "_last",
        "_workdays",
        "extra_days_off",
        "extra_workdays",
    )

    extra_days_off: frozenset[dt.date]
    extra_workdays: frozenset[dt.date]
    _first: int
    _last: int
    _flags: bytes
    _cum: tuple[int, ...]
    _workdays: tuple[dt.date, ...]  # the date objects themselves: no fromordinal per lookup

    def __init__(
        self,
        *,
        extra_days_off: Iterable[dt.date] = (),
        extra_workdays: Iterable[dt.date] = (),
        policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
    ) -> None:
        days_off = frozenset(_as_date(d) for d in extra_days_off)
        workdays = frozenset(_as_date(d) for d in extra_workdays)
        both = sorted(days_off & workdays)
        if both:
            listed = "、".join(d.isoformat() for d in both)
            raise GongkaiError(f"本地日历中 {listed} 既被设为休息日又被设为工作日，请只保留一种。")
        first, national = _national_flags(policy.makeup_days_are_workdays)
        flags = bytearray(national)
        last = first + len(flags) - 1
        for day, value in [(d, 0) for d in days_off] + [(d, 1) for d in workdays]:
            index = day.toordinal() - first
            if not 0 <= index < len(flags):
                raise CalendarRangeError("本地日历设置有误：" + _range_message(day))
            flags[index] = value
        cum: list[int] = []
        workday_dates: list[dt.date] = []
        count = 0
        for index, flag in enumerate(flags):
            if flag:
                count += 1
                workday_dates.append(dt.date.fromordinal(first + index))
            cum.append(count)
        setter = object.__setattr__
        setter(self, "extra_days_off", days_off)
        setter(self, "extra_workdays", workdays)
        setter(self, "_first", first)
        setter(self, "_last", last)
        setter(self, "_flags", bytes(flags))
        setter(self, "_cum", tuple(cum))
        setter(self, "_workdays", tuple(workday_dates))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_days_off={sorted(self.extra_days_off)!r}, "
            f"extra_workdays={sorted(self.extra_workdays)!r})"
        )

    # -- the supported range ------------------------------------------------------------------

    @property
    def first_day(self) -> dt.date:
        return dt.date.fromordinal(self._first)

    @property
    def last_day(self) -> dt.date:
        return dt.date.fromordinal(self._last)

    def _index(self, day: dt.date) -> int:
        index = day.toordinal() - self._first
        if index < 0 or day.toordinal() > self._last:
            raise CalendarRangeError(_range_message(day))
        return index

    # -- ranks: the low-level interface the case clock works in --------------------------------

    def rank(self, day: dt.date) -> int:
        """How many working days of the supported range fall on or before ``day``.

        Differences of ranks count working days in half-open intervals, which is how the case
        clock adds and removes paused stretches without walking day by day.
        """
        # Inlined rather than calling _index: this is the innermost call of the case clock.
        index = day.toordinal() - self._first
        if index < 0 or index >= len(self._cum):
            raise CalendarRangeError(_range_message(day))
        return self._cum[index]

    def workday_of_rank(self, rank: int, counting_from: dt.date) -> dt.date:
        """The working day whose rank is ``rank`` (1 = the first working day of the range).

        ``counting_from`` only serves the error message when the count runs off the data.
        """
        if rank < 1 or rank > len(self._workdays):
            first, last = supported_years()
            raise CalendarRangeError(
                f"从 {counting_from.isoformat()} 起算的期限超出了工作日历的数据范围"
                f"（目前只知道 {first} 年至 {last} 年的法定节假日和调休安排），无法确定到期日。"
            )
        return self._workdays[rank - 1]

    # -- the public questions -----------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        """Whether agencies work on ``day`` (a 调休 make-up Saturday is a working day)."""
        return bool(self._flags[self._index(day)])

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted.

        ``n == 0`` returns ``start`` unchanged (even if it is a day off): no period, no move.
        A negative ``n`` counts backwards: the ``|n|``-th working day strictly before
        ``start``. For ``n > 0`` the result is always a working day and
        ``working_days_between(start, result) == n``.
        """
        if n > 0:
            # The case clock's most frequent call, so the in-range case is inlined; anything
            # out of range falls through to rank()/workday_of_rank() for their errors.
            index = start.toordinal() - self._first
            if 0 <= index < len(self._cum):
                target = self._cum[index] + n
                if target <= len(self._workdays):
                    return self._workdays[target - 1]
            return self.workday_of_rank(self.rank(start) + n, start)
        if n == 0:
            self._index(start)
            return start
        before = self._cum[self._index(start)] - self._flags[self._index(start)]
        return self.workday_of_rank(before + n + 1, start)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]: after ``a``, up to and including ``b``.

        Zero when ``a == b`` or when only days off lie in between. Antisymmetric: if ``b`` is
        before ``a`` the result is minus the working days in (b, a], so "days left until the
        due date" is negative by exactly the working days a case is overdue.
        """
        return self.rank(b) - self.rank(a)

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def workday_on_or_after(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next one (a period landing on a rest day)."""
        return day if self.is_workday(day) else self.next_workday(day)


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise GongkaiError(f"本地日历中的 {value!r} 不是日期，请使用 YYYY-MM-DD 格式的日期。")
    return value


@lru_cache(maxsize=1)
def national_calendar() -> WorkCalendar:
    """The national schedule with the default policy, built once and shared."""
    return WorkCalendar()
