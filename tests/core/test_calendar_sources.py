"""Which source answers for a year, and how an injected store reaches every calendar.

Pure core: the store here is a dictionary, as the Django app's is a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator, Mapping, Set

import pytest

from gongkai.core import calendar as core_calendar
from gongkai.core.calendar import (
    CalendarRangeError,
    ScheduleSource,
    WorkCalendar,
    YearSchedule,
    calendar_years,
    is_provisional,
    national_calendar,
    using_schedule_store,
    year_schedule,
)

D = dt.date


class DictStore:
    def __init__(self) -> None:
        self.years: dict[int, YearSchedule] = {}
        self.reads = 0

    def version(self) -> Hashable:
        return tuple(sorted((y, s.days_off, s.workdays) for y, s in self.years.items()))

    def schedules(self) -> Mapping[int, YearSchedule]:
        self.reads += 1
        return dict(self.years)

    def enter(self, year: int, off: set[dt.date], work: Set[dt.date] = frozenset()) -> None:
        self.years[year] = YearSchedule(
            year, ScheduleSource.ENTERED, frozenset(off), frozenset(work), "测试通知"
        )


@pytest.fixture
def store() -> Iterator[DictStore]:
    store = DictStore()
    with using_schedule_store(store):
        yield store


def test_precedence_entered_then_package_then_provisional(store: DictStore) -> None:
    assert year_schedule(2026).source is ScheduleSource.PACKAGE
    assert year_schedule(2027).source is ScheduleSource.PROVISIONAL
    store.enter(2027, {D(2027, 1, 1)})
    store.enter(2026, {D(2026, 1, 1)})
    core_calendar.invalidate_calendars()
    assert year_schedule(2027).source is ScheduleSource.ENTERED
    assert year_schedule(2026).source is ScheduleSource.ENTERED
    assert not is_provisional(D(2027, 6, 1)) and is_provisional(D(2028, 6, 1))


def test_a_saved_year_reaches_an_existing_instance_once_invalidated(store: DictStore) -> None:
    cal = WorkCalendar(extra_days_off=[D(2027, 3, 15)])  # as a deployment caches it
    assert not cal.is_workday(D(2027, 2, 9))  # provisional 春节 补假
    store.enter(2027, {D(2027, 2, 5)}, {D(2027, 2, 20)})
    core_calendar.invalidate_calendars()
    assert cal.is_workday(D(2027, 2, 9)) and cal.is_workday(D(2027, 2, 20))
    assert not cal.is_workday(D(2027, 3, 15))  # the local day off stays
    assert cal.source_of(2027) is ScheduleSource.ENTERED


def test_another_process_saving_is_seen_after_the_recheck_interval(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(core_calendar.time, "monotonic", lambda: clock[0])
    core_calendar.invalidate_calendars()
    cal = national_calendar()
    assert not cal.is_workday(D(2027, 2, 9))
    store.enter(2027, {D(2027, 1, 1)})  # no invalidate: another process saved it
    assert not cal.is_workday(D(2027, 2, 9))
    clock[0] += core_calendar.RECHECK_SECONDS + 1
    assert cal.is_workday(D(2027, 2, 9))


def test_the_calendar_is_not_rebuilt_while_nothing_changes(store: DictStore) -> None:
    core_calendar.invalidate_calendars()
    national_calendar().is_workday(D(2027, 1, 4))
    reads, generation = store.reads, core_calendar._REGISTRY.generation
    national_calendar().is_workday(D(2027, 1, 5))
    assert store.reads == reads  # within the recheck interval: no query at all
    core_calendar.invalidate_calendars()
    national_calendar().is_workday(D(2027, 1, 4))
    assert store.reads == reads + 1
    assert core_calendar._REGISTRY.generation == generation  # same data: no rebuild


def test_an_entered_year_beyond_the_horizon_extends_the_calendar(store: DictStore) -> None:
    store.enter(2035, {D(2035, 1, 1)})
    core_calendar.invalidate_calendars()
    cal = national_calendar()
    assert cal.last_day == D(2035 + core_calendar.PROVISIONAL_HORIZON_YEARS, 12, 31)
    assert cal.source_of(2034) is ScheduleSource.PROVISIONAL
    assert [s.year for s in calendar_years(D(2026, 11, 30))][-1] == 2038


@pytest.mark.parametrize(
    ("extra", "day", "works"),
    [
        ({"extra_days_off": [D(2028, 3, 15)]}, D(2028, 3, 15), False),
        ({"extra_workdays": [D(2027, 2, 6)]}, D(2027, 2, 6), True),
        ({"extra_days_off": [D(2040, 3, 15)]}, D(2040, 3, 15), False),
    ],
)
def test_local_days_work_in_every_year(
    extra: dict[str, list[dt.date]], day: dt.date, works: bool
) -> None:
    cal = WorkCalendar(**extra)
    assert cal.is_workday(day) is works
    assert cal.last_day >= day


def test_a_year_before_the_rules_is_a_range_error() -> None:
    with pytest.raises(CalendarRangeError, match="无法为 2003 年推算暂定日历"):
        year_schedule(2003)


def test_provisional_between_is_half_open() -> None:
    cal = national_calendar()
    assert not cal.provisional_between(D(2026, 12, 31), D(2026, 12, 31))
    assert cal.provisional_between(D(2026, 12, 31), D(2027, 1, 1))
    assert cal.provisional_between(D(2027, 1, 1), D(2026, 12, 31))
    assert not cal.provisional_between(D(2026, 12, 1), D(2026, 12, 31))
    assert cal.provisional_days([D(2026, 12, 31), D(2027, 1, 4)]) == {D(2027, 1, 4)}


def test_a_pinned_calendar_answers_from_the_data_it_was_pinned_with(store: DictStore) -> None:
    """One computation answers from one set of data, even if a year is entered meanwhile."""
    cal = WorkCalendar()
    pinned = cal.pinned()
    assert cal.pinned() is pinned  # one pinned view per generation of the data
    before = [pinned.add_working_days(D(2027, 2, 1), n) for n in range(1, 30)]
    store.enter(2027, {D(2027, 2, 5)}, {D(2027, 2, 20)})
    core_calendar.invalidate_calendars()
    assert [pinned.add_working_days(D(2027, 2, 1), n) for n in range(1, 30)] == before
    assert pinned.source_of(2027) is ScheduleSource.PROVISIONAL
    fresh = cal.pinned()
    assert fresh is not pinned and fresh.source_of(2027) is ScheduleSource.ENTERED
    assert fresh.is_workday(D(2027, 2, 20)) and not pinned.is_workday(D(2027, 2, 20))


@pytest.mark.parametrize("day", [D(1990, 1, 1), D(2100, 1, 1)])
def test_a_pinned_calendar_refuses_a_day_out_of_range_as_the_live_one_does(day: dt.date) -> None:
    cal = WorkCalendar()
    for calendar in (cal, cal.pinned()):
        with pytest.raises(CalendarRangeError):
            calendar.rank(day)
        with pytest.raises(CalendarRangeError):
            calendar.add_working_days(day, 1)
    with pytest.raises(CalendarRangeError):
        cal.pinned().workday_of_rank(10**7, D(2026, 1, 1))
