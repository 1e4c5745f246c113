"""Working days as Chinese agencies count them, for every statutory period in gongkai.

The Regulation counts its periods in working days (工作日) without defining them (LEGAL.md §5.2).
Agencies rest on weekends and on the statutory holidays announced each year by the State
Council, and work on the announced 调休 make-up weekend days. Each year's schedule comes from
the first of three sources that knows it (LEGAL.md §5.4, DESIGN.md "Case clock"):

1. **entered**: the year's 国务院办公厅 notice, entered by an administrator. The core does not
   know where entered years are kept: the Django app ``gongkai.calendars`` registers a
   :class:`ScheduleStore` with :func:`set_schedule_store` at start-up and calls
   :func:`invalidate_calendars` when a year is saved;
2. **package**: the ``chinese_calendar`` package's table (:func:`supported_years`);
3. **provisional**: :func:`gongkai.core.holidays.provisional_schedule`, the holiday law's days
   and 补假 without 调休, for every later year up to :data:`PROVISIONAL_HORIZON_YEARS` after the
   current one. A deadline that counts a provisional day is itself provisional: ask
   :meth:`WorkCalendar.is_provisional`, :meth:`WorkCalendar.provisional_between` or
   :func:`provisional_years`.

Dates before the first known year or after the horizon raise :class:`CalendarRangeError`: a
guessed deadline in a legal letter is worse than none.

Every question is answered from two arrays built once per calendar: for each day of the range,
how many working days fall on or before it (its *rank*), and the sorted list of working days.
That makes ``add_working_days`` and ``working_days_between`` O(1), which the case clock needs to
compute a hundred thousand case clocks in well under two seconds. A calendar rebuilds its arrays
(from a shared cache) when an entered year changes or the current year moves on, so every
long-lived instance, the deployment's included, answers from the newest data.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Protocol

import chinese_calendar

from gongkai.core.errors import GongkaiError
from gongkai.core.holidays import (
    LAST_PROVISIONAL_YEAR,
    ScheduleError,
    ScheduleSource,
    YearSchedule,
    provisional_schedule,
)
from gongkai.core.law import DEFAULT_CLOCK_POLICY, ClockPolicy

__all__ = [
    "PROVISIONAL_HORIZON_YEARS",
    "CalendarRangeError",
    "ScheduleSource",
    "ScheduleStore",
    "WorkCalendar",
    "YearSchedule",
    "calendar_years",
    "invalidate_calendars",
    "is_provisional",
    "national_calendar",
    "provisional_years",
    "schedule_store",
    "set_schedule_store",
    "supported_years",
    "today_in_china",
    "using_schedule_store",
    "year_schedule",
]

# How many years after the current one (or the last known one, if later) a provisional
# calendar reaches. Beyond it a deadline is an error, not a guess.
PROVISIONAL_HORIZON_YEARS: Final = 3
# How often (seconds) a process asks the store whether another process saved a year.
RECHECK_SECONDS: Final = 30.0

_CHINA_TZ: Final = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class CalendarRangeError(GongkaiError):
    """A date (or a count of working days) reaches beyond the years the calendar can answer."""


class ScheduleStore(Protocol):
    """Where entered years live (the ``gongkai.calendars`` app implements it over the database)."""

    def version(self) -> Hashable:
        """A cheap token that changes whenever any year is entered."""

    def schedules(self) -> Mapping[int, YearSchedule]:
        """The schedule in force (the newest entered version) of every entered year."""


def today_in_china() -> dt.date:
    """Today in China (UTC+8), the day every deadline is measured from by default."""
    return dt.datetime.now(_CHINA_TZ).date()


@lru_cache(maxsize=1)
def supported_years() -> tuple[int, int]:
    """The first and last year of the installed ``chinese_calendar`` package, both inclusive.

    Read from the package's own tables so that upgrading ``chinesecalendar`` (which adds the
    newly announced year) widens the range without an edit here. Entered and provisional years
    extend the calendar beyond this range: see :func:`calendar_years`.
    """
    known = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(known).year, max(known).year


@lru_cache(maxsize=1)
def _package_schedules() -> dict[int, YearSchedule]:
    first, last = supported_years()
    off: dict[int, set[dt.date]] = {y: set() for y in range(first, last + 1)}
    work: dict[int, set[dt.date]] = {y: set() for y in range(first, last + 1)}
    for day in chinese_calendar.holidays:
        off[day.year].add(day)
    for day in chinese_calendar.workdays:
        work[day.year].add(day)
    return {
        year: YearSchedule(
            year=year,
            source=ScheduleSource.PACKAGE,
            days_off=frozenset(off[year]),
            workdays=frozenset(work[year]),
            note=f"chinesecalendar 软件包（收录 {first}–{last} 年国务院办公厅放假安排）",
        )
        for year in range(first, last + 1)
    }


# -- the injected store and the generation of the data ------------------------------------------


class _Registry:
    """The store, what it returned last, and a generation number bumped whenever data changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.store: ScheduleStore | None = None
        self.token: Hashable = None
        self.entered: Mapping[int, YearSchedule] = {}
        self.year = 0
        self.generation = 0
        self.next_check = 0.0  # time.monotonic() after which the store is asked again

    def current(self) -> int:
        """The generation, after asking the store (at most every RECHECK_SECONDS) for news."""
        if time.monotonic() < self.next_check:
            return self.generation
        with self.lock:
            if time.monotonic() >= self.next_check:
                self._poll()
        return self.generation

    def _poll(self) -> None:
        changed = False
        year = today_in_china().year
        if year != self.year:
            self.year, changed = year, True
        store = self.store
        token = store.version() if store is not None else None
        if token != self.token:
            entered = dict(store.schedules()) if store is not None else {}
            changed = changed or entered != self.entered
            self.entered, self.token = entered, token
        if changed:
            self.generation += 1
        self.next_check = time.monotonic() + RECHECK_SECONDS

    def invalidate(self) -> None:
        with self.lock:
            self.next_check = 0.0
            self.token = _NEVER


_NEVER: Final = object()
_REGISTRY: Final = _Registry()


def set_schedule_store(store: ScheduleStore | None) -> None:
    """Make every calendar read entered years from ``store`` (``None``: no entered years)."""
    with _REGISTRY.lock:
        _REGISTRY.store = store
        _REGISTRY.token = _NEVER
        _REGISTRY.next_check = 0.0


def schedule_store() -> ScheduleStore | None:
    """The store registered with :func:`set_schedule_store`, if any."""
    return _REGISTRY.store


@contextmanager
def using_schedule_store(store: ScheduleStore | None) -> Iterator[None]:
    """Within the block, read entered years from ``store``; restore the previous one after."""
    previous = _REGISTRY.store
    set_schedule_store(store)
    try:
        yield
    finally:
        set_schedule_store(previous)


def invalidate_calendars() -> None:
    """Re-read the store before the next answer: call it after a year is entered."""
    _REGISTRY.invalidate()


def _entered() -> Mapping[int, YearSchedule]:
    _REGISTRY.current()
    return _REGISTRY.entered


def year_schedule(year: int) -> YearSchedule:
    """The schedule in force for ``year``: entered, else the package's, else provisional.

    Raises :class:`CalendarRangeError` for a year no source can answer.
    """
    entered = _entered().get(year)
    if entered is not None:
        return entered
    package = _package_schedules().get(year)
    if package is not None:
        return package
    try:
        return provisional_schedule(year)
    except ScheduleError as error:
        raise CalendarRangeError(str(error)) from None


def calendar_years(today: dt.date | None = None) -> list[YearSchedule]:
    """Every year the calendar can answer, oldest first, with its source."""
    first, last = _year_range(_entered(), (today or today_in_china()).year, ())
    return [year_schedule(y) for y in range(first, last + 1)]


def provisional_years(today: dt.date | None = None) -> frozenset[int]:
    """The years of the calendar whose schedule is provisional (nobody has entered them)."""
    return frozenset(s.year for s in calendar_years(today) if s.provisional)


def is_provisional(day: dt.date) -> bool:
    """Whether ``day`` lies in a year whose schedule is provisional.

    A deadline is provisional when any day it counts is: see
    :meth:`WorkCalendar.provisional_between` for a whole period.
    """
    return day.year not in _entered() and day.year not in _package_schedules()


def _year_range(
    entered: Mapping[int, YearSchedule], this_year: int, extra: Iterable[dt.date]
) -> tuple[int, int]:
    package_first, package_last = supported_years()
    extra_years = [d.year for d in extra]
    first = min([package_first, *entered, *extra_years])
    known = max([package_last, *entered])
    # A wrong system clock far in the future must not break every deadline: the horizon
    # stops where the provisional rules do.
    last = min(max(known, this_year) + PROVISIONAL_HORIZON_YEARS, max(known, LAST_PROVISIONAL_YEAR))
    return first, max([last, *extra_years])


# -- the arrays --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Table:
    first: int  # ordinal of the first day
    flags: bytes  # per day: 1 if agencies work
    cum: tuple[int, ...]  # per day: working days on or before it
    workdays: tuple[dt.date, ...]  # the date objects themselves: no fromordinal per lookup
    provisional: frozenset[int]  # years whose schedule is provisional
    years: tuple[int, int]

    @property
    def last(self) -> int:
        return self.first + len(self.flags) - 1


@lru_cache(maxsize=16)
def _build_table(
    entered: tuple[YearSchedule, ...],
    this_year: int,
    makeup_days_are_workdays: bool,
    days_off: frozenset[dt.date],
    workdays: frozenset[dt.date],
) -> _Table:
    by_year = {s.year: s for s in entered}
    first_year, last_year = _year_range(by_year, this_year, days_off | workdays)
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(last_year, 12, 31).toordinal()
    flags = bytearray(
        # date.weekday() of ordinal 1 (0001-01-01) is Monday, so (ordinal - 1) % 7 is the weekday.
        int((ordinal - 1) % 7 < 5)
        for ordinal in range(first, last + 1)
    )
    provisional: set[int] = set()
    package = _package_schedules()
    for year in range(first_year, last_year + 1):
        schedule = by_year.get(year) or package.get(year)
        if schedule is None:
            try:
                schedule = provisional_schedule(year)
            except ScheduleError as error:
                raise CalendarRangeError(str(error)) from None
            provisional.add(year)
        for day in schedule.days_off:
            if first <= day.toordinal() <= last:
                flags[day.toordinal() - first] = 0
        for day in schedule.workdays:
            if first <= day.toordinal() <= last:
                flags[day.toordinal() - first] = (
                    1 if makeup_days_are_workdays else int(day.weekday() < 5)
                )
    for day in days_off:
        flags[day.toordinal() - first] = 0
    for day in workdays:
        flags[day.toordinal() - first] = 1
    cum: list[int] = []
    workday_dates: list[dt.date] = []
    count = 0
    for index, flag in enumerate(flags):
        if flag:
            count += 1
            workday_dates.append(dt.date.fromordinal(first + index))
        cum.append(count)
    return _Table(
        first=first,
        flags=bytes(flags),
        cum=tuple(cum),
        workdays=tuple(workday_dates),
        provisional=frozenset(provisional),
        years=(first_year, last_year),
    )


def _current_table(
    policy: ClockPolicy, days_off: frozenset[dt.date], workdays: frozenset[dt.date]
) -> tuple[int, _Table]:
    with _REGISTRY.lock:
        generation = _REGISTRY.generation
        entered = tuple(sorted(_REGISTRY.entered.values(), key=lambda s: s.year))
        year = _REGISTRY.year or today_in_china().year
    table = _build_table(entered, year, policy.makeup_days_are_workdays, days_off, workdays)
    return generation, table


class WorkCalendar:
    """The working days of one deployment: the national schedule plus local changes.

    ``extra_days_off`` are local days off (e.g. a province's own holiday or a closure);
    ``extra_workdays`` are local extra working days. They may lie in any year (the calendar's
    range grows to include them) and must not overlap. Instances are immutable from the
    outside and safe to share between threads; build one per deployment and reuse it: it
    follows entered years by itself.

    Conventions, used by every method: the start day of a period is not counted (LEGAL.md
    §5.2; every period in gongkai counts from the day after its start), so
    ``add_working_days(received, 20)`` is the 20th working day *after* the day of receipt, and
    ``working_days_between(a, b)`` counts the working days in the half-open interval (a, b].
    """

    __slots__ = ("_generation", "_pinned", "_policy", "_table", "extra_days_off", "extra_workdays")

    extra_days_off: frozenset[dt.date]
    extra_workdays: frozenset[dt.date]
    _policy: ClockPolicy
    _generation: int
    _table: _Table
    _pinned: WorkCalendar | None

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
        setter = object.__setattr__
        setter(self, "extra_days_off", days_off)
        setter(self, "extra_workdays", workdays)
        setter(self, "_policy", policy)
        # No store query here (calendars are built at import time): the first answer polls.
        generation, table = _current_table(policy, days_off, workdays)
        setter(self, "_generation", generation)
        setter(self, "_table", table)
        setter(self, "_pinned", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"WorkCalendar is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_days_off={sorted(self.extra_days_off)!r}, "
            f"extra_workdays={sorted(self.extra_workdays)!r})"
        )

    def pinned(self) -> WorkCalendar:
        """This calendar as its data stand now, never refreshed afterwards.

        One computation (a case's whole replay, a page's list of deadlines) should answer from
        one set of data: a year entered half-way must not give its first dates from the old
        schedule and its last from the new. Pinning also spares each call the check for news,
        which the case clock, making many calls per case, would otherwise pay every time.
        """
        table = self._t()
        cached = self._pinned
        if cached is not None and cached._table is table:
            return cached  # built once per generation of the data: a replay per case is cheap
        pinned = object.__new__(_PinnedCalendar)
        setter = object.__setattr__
        setter(pinned, "extra_days_off", self.extra_days_off)
        setter(pinned, "extra_workdays", self.extra_workdays)
        setter(pinned, "_policy", self._policy)
        setter(pinned, "_generation", self._generation)
        setter(pinned, "_table", table)
        setter(pinned, "_pinned", None)
        setter(self, "_pinned", pinned)
        return pinned

    def _t(self) -> _Table:
        """The arrays, rebuilt first if entered years or the current year changed."""
        if self._generation == _REGISTRY.current():
            return self._table
        generation, table = _current_table(self._policy, self.extra_days_off, self.extra_workdays)
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_generation", generation)
        return table

    # -- the range -----------------------------------------------------------------------------

    @property
    def first_day(self) -> dt.date:
        return dt.date.fromordinal(self._t().first)

    @property
    def last_day(self) -> dt.date:
        return dt.date.fromordinal(self._t().last)

    def _range_message(self, day: dt.date, table: _Table) -> str:
        first, last = table.years
        return (
            f"日期 {day.isoformat()} 超出了工作日历的数据范围：目前只能计算 {first} 年至 {last} 年"
            f"{_provisional_note(table)}，无法确定该日期是否为工作日。"
            "请在“工作日历”中录入该年度国务院办公厅的放假安排。"
        )

    def _index(self, day: dt.date, table: _Table) -> int:
        index = day.toordinal() - table.first
        if index < 0 or index >= len(table.flags):
            raise CalendarRangeError(self._range_message(day, table))
        return index

    # -- ranks: the low-level interface the case clock works in --------------------------------

    def rank(self, day: dt.date) -> int:
        """How many working days of the range fall on or before ``day``.

        Differences of ranks count working days in half-open intervals, which is how the case
        clock adds and removes paused stretches without walking day by day.
        """
        table = self._t()
        index = day.toordinal() - table.first
        if index < 0 or index >= len(table.cum):
            raise CalendarRangeError(self._range_message(day, table))
        return table.cum[index]

    def workday_of_rank(self, rank: int, counting_from: dt.date) -> dt.date:
        """The working day whose rank is ``rank`` (1 = the first working day of the range).

        ``counting_from`` only serves the error message when the count runs off the data.
        """
        table = self._t()
        if rank < 1 or rank > len(table.workdays):
            first, last = table.years
            raise CalendarRangeError(
                f"从 {counting_from.isoformat()} 起算的期限超出了工作日历的数据范围"
                f"（目前只能计算 {first} 年至 {last} 年{_provisional_note(table)}），"
                "无法确定到期日。"
            )
        return table.workdays[rank - 1]

    # -- the public questions -----------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        """Whether agencies work on ``day`` (a 调休 make-up Saturday is a working day)."""
        table = self._t()
        return bool(table.flags[self._index(day, table)])

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted.

        ``n == 0`` returns ``start`` unchanged (even if it is a day off): no period, no move.
        A negative ``n`` counts backwards: the ``|n|``-th working day strictly before
        ``start``. For ``n > 0`` the result is always a working day and
        ``working_days_between(start, result) == n``.
        """
        table = self._t()
        if n > 0:
            # The case clock's most frequent call, so the in-range case is inlined; anything
            # out of range falls through to rank()/workday_of_rank() for their errors.
            index = start.toordinal() - table.first
            if 0 <= index < len(table.cum):
                target = table.cum[index] + n
                if target <= len(table.workdays):
                    return table.workdays[target - 1]
            return self.workday_of_rank(self.rank(start) + n, start)
        index = self._index(start, table)
        if n == 0:
            return start
        before = table.cum[index] - table.flags[index]
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

    # -- provisional years ---------------------------------------------------------------------

    @property
    def provisional_years(self) -> frozenset[int]:
        """The years in range whose schedule is provisional (no entered notice, no package data)."""
        return self._t().provisional

    def is_provisional(self, day: dt.date) -> bool:
        """Whether ``day`` lies in a provisional year."""
        return day.year in self._t().provisional

    def provisional_between(self, a: dt.date, b: dt.date) -> bool:
        """Whether a day of (a, b] (or (b, a]) is provisional: a period counted over it is.

        ``provisional_between(received, due)`` says whether a deadline is provisional; use the
        start the clock counts from (receipt, supplement) and the computed due date.
        """
        low, high = (a, b) if a <= b else (b, a)
        if low == high:
            return False
        provisional = self._t().provisional
        after = low + dt.timedelta(days=1)
        return any(year in provisional for year in range(after.year, high.year + 1))

    def provisional_days(self, days: Iterable[dt.date]) -> frozenset[dt.date]:
        """Which of ``days`` lie in provisional years."""
        provisional = self._t().provisional
        return frozenset(d for d in days if d.year in provisional)

    def source_of(self, year: int) -> ScheduleSource:
        """Where ``year``'s national schedule comes from (entered, package or provisional)."""
        if year in self._t().provisional:
            return ScheduleSource.PROVISIONAL
        return year_schedule(year).source


def _provisional_note(table: _Table) -> str:
    if not table.provisional:
        return ""
    years = sorted(table.provisional)
    return f"，其中 {years[0]} 年起尚未录入国务院办公厅的放假安排，按暂定日历计算"


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise GongkaiError(f"本地日历中的 {value!r} 不是日期，请使用 YYYY-MM-DD 格式的日期。")
    return value


_NATIONAL: WorkCalendar | None = None
_NATIONAL_LOCK: Final = threading.Lock()


class _PinnedCalendar(WorkCalendar):
    """A :class:`WorkCalendar` fixed to the data it was pinned with (see :meth:`pinned`)."""

    __slots__ = ()

    def _t(self) -> _Table:
        return self._table

    def pinned(self) -> WorkCalendar:
        return self

    def rank(self, day: dt.date) -> int:
        # The case clock's innermost call, inlined on the pinned table; out of range, the
        # general method raises with its message.
        table = self._table
        index = day.toordinal() - table.first
        if 0 <= index < len(table.cum):
            return table.cum[index]
        return super().rank(day)

    def workday_of_rank(self, rank: int, counting_from: dt.date) -> dt.date:
        workdays = self._table.workdays
        if 0 < rank <= len(workdays):
            return workdays[rank - 1]
        return super().workday_of_rank(rank, counting_from)


def national_calendar() -> WorkCalendar:
    """The national schedule with the default policy: one shared, self-updating instance."""
    global _NATIONAL
    if _NATIONAL is None:
        with _NATIONAL_LOCK:
            if _NATIONAL is None:
                _NATIONAL = WorkCalendar()
    return _NATIONAL
