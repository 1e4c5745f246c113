"""The working-day calendar counts days the way agencies count them (LEGAL.md §5.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.calendar import (
    PROVISIONAL_HORIZON_YEARS,
    CalendarRangeError,
    WorkCalendar,
    national_calendar,
    supported_years,
    today_in_china,
)
from gongkai.core.errors import GongkaiError
from gongkai.core.law import ClockPolicy

D = dt.date
CAL = national_calendar()
FIRST_YEAR, LAST_YEAR = supported_years()
# Leave room for counting 60 working days either way without running off the data.
days_in_range = st.dates(min_value=D(FIRST_YEAR, 4, 1), max_value=D(LAST_YEAR, 9, 1))
counts = st.integers(min_value=0, max_value=60)


def test_supported_years_come_from_the_installed_library() -> None:
    assert FIRST_YEAR == 2004
    assert LAST_YEAR >= 2026
    assert CAL.first_day == D(FIRST_YEAR, 1, 1)


def test_the_calendar_reaches_provisionally_beyond_the_package_and_today() -> None:
    last = max(LAST_YEAR, today_in_china().year) + PROVISIONAL_HORIZON_YEARS
    assert CAL.last_day == D(last, 12, 31)
    assert CAL.provisional_years == frozenset(range(LAST_YEAR + 1, last + 1))


@pytest.mark.parametrize(
    ("_case", "day", "expected"),
    [
        ("National Day make-up Sunday", D(2024, 9, 29), True),
        ("National Day holiday", D(2024, 10, 1), False),
        ("last day of the National Day holiday", D(2024, 10, 7), False),
        ("National Day make-up Saturday", D(2024, 10, 12), True),
        ("ordinary Sunday after the make-up Saturday", D(2024, 10, 13), False),
        ("Spring Festival make-up Sunday before", D(2024, 2, 4), True),
        ("Spring Festival holiday", D(2024, 2, 12), False),
        ("Spring Festival make-up Sunday after", D(2024, 2, 18), True),
        ("New Year's Eve 2021 is a Friday", D(2021, 12, 31), True),
        ("New Year holiday moved to Monday 2022-01-03", D(2022, 1, 3), False),
        ("ordinary Wednesday", D(2024, 11, 13), True),
        ("ordinary Saturday", D(2024, 11, 16), False),
    ],
)
def test_is_workday(_case: str, day: dt.date, expected: bool) -> None:
    assert CAL.is_workday(day) is expected


@pytest.mark.parametrize(
    ("_case", "start", "n", "expected"),
    [
        ("receipt day itself is not counted", D(2024, 11, 13), 1, D(2024, 11, 14)),
        ("Friday plus one is Monday", D(2024, 11, 15), 1, D(2024, 11, 18)),
        ("the make-up Sunday counts first", D(2024, 9, 27), 1, D(2024, 9, 29)),
        ("across National Day: Sep 30 then Oct 8", D(2024, 9, 29), 2, D(2024, 10, 8)),
        ("20 WD from 2024-09-27 crosses National Day", D(2024, 9, 27), 20, D(2024, 10, 30)),
        ("7 WD 补正 notice from 2024-09-27", D(2024, 9, 27), 7, D(2024, 10, 12)),
        ("year end 2021 → 2022 after the New Year holiday", D(2021, 12, 31), 1, D(2022, 1, 4)),
        ("20 WD across Spring Festival 2024", D(2024, 2, 1), 20, D(2024, 3, 5)),
        ("start on a holiday counts from the next working day", D(2024, 10, 3), 1, D(2024, 10, 8)),
        ("zero is no move, even on a day off", D(2024, 10, 3), 0, D(2024, 10, 3)),
        ("backwards: the working day before National Day", D(2024, 10, 8), -1, D(2024, 9, 30)),
        ("backwards from a day off", D(2024, 10, 5), -2, D(2024, 9, 29)),
    ],
)
def test_add_working_days(_case: str, start: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("_case", "a", "b", "expected"),
    [
        ("same day", D(2024, 10, 8), D(2024, 10, 8), 0),
        ("only holidays in between", D(2024, 9, 30), D(2024, 10, 7), 0),
        ("half-open: b counted, a not", D(2024, 9, 30), D(2024, 10, 8), 1),
        ("receipt to due date", D(2024, 9, 27), D(2024, 10, 30), 20),
        ("reversed is negative", D(2024, 10, 30), D(2024, 9, 27), -20),
        ("over the year end", D(2021, 12, 30), D(2022, 1, 4), 2),
    ],
)
def test_working_days_between(_case: str, a: dt.date, b: dt.date, expected: int) -> None:
    assert CAL.working_days_between(a, b) == expected


def test_next_workday_skips_the_whole_national_day_holiday() -> None:
    assert CAL.next_workday(D(2024, 9, 30)) == D(2024, 10, 8)
    assert CAL.workday_on_or_after(D(2024, 10, 1)) == D(2024, 10, 8)
    assert CAL.workday_on_or_after(D(2024, 10, 8)) == D(2024, 10, 8)


def test_a_local_day_off_moves_deadlines() -> None:
    local = WorkCalendar(extra_days_off=[D(2024, 10, 29)])

    assert local.is_workday(D(2024, 10, 29)) is False
    assert CAL.is_workday(D(2024, 10, 29)) is True
    assert local.add_working_days(D(2024, 9, 27), 20) == D(2024, 10, 31)


def test_a_local_extra_workday_counts() -> None:
    local = WorkCalendar(extra_workdays=[D(2024, 10, 19)])

    assert local.is_workday(D(2024, 10, 19)) is True
    assert local.add_working_days(D(2024, 9, 27), 20) == D(2024, 10, 29)


def test_makeup_days_can_be_switched_off_by_policy() -> None:
    strict = WorkCalendar(policy=ClockPolicy(makeup_days_are_workdays=False))

    assert strict.is_workday(D(2024, 10, 12)) is False
    assert strict.is_workday(D(2024, 10, 11)) is True
    assert strict.add_working_days(D(2024, 9, 27), 20) == D(2024, 11, 1)


def test_local_day_both_off_and_working_is_rejected() -> None:
    with pytest.raises(GongkaiError, match="2024-10-29 既被设为休息日又被设为工作日"):
        WorkCalendar(extra_days_off=[D(2024, 10, 29)], extra_workdays=[D(2024, 10, 29)])


def test_calendar_is_immutable() -> None:
    with pytest.raises(AttributeError):
        CAL.extra_days_off = frozenset()  # type: ignore[misc]


@pytest.mark.parametrize(
    ("_case", "call"),
    [
        ("is_workday beyond the horizon", lambda: CAL.is_workday(D(CAL.last_day.year + 1, 1, 4))),
        ("is_workday before the data", lambda: CAL.is_workday(D(FIRST_YEAR - 1, 12, 31))),
        ("counting between years", lambda: CAL.working_days_between(D(2024, 1, 2), D(2099, 1, 1))),
    ],
)
def test_dates_outside_the_data_are_an_explicit_error(_case: str, call: object) -> None:
    assert callable(call)
    with pytest.raises(CalendarRangeError, match=f"{FIRST_YEAR} 年至 {CAL.last_day.year} 年"):
        call()


def test_a_local_day_before_2008_has_no_rules_to_fill_its_year() -> None:
    with pytest.raises(CalendarRangeError, match="无法为 2003 年推算暂定日历"):
        WorkCalendar(extra_days_off=[D(2003, 5, 6)])


def test_counting_past_the_end_of_the_data_names_the_start_date() -> None:
    start = D(CAL.last_day.year, 12, 20)
    with pytest.raises(CalendarRangeError, match=f"从 {start.isoformat()} 起算的期限超出"):
        CAL.add_working_days(start, 20)


def test_range_error_is_a_gongkai_error() -> None:
    assert issubclass(CalendarRangeError, GongkaiError)


@given(days_in_range, st.integers(min_value=1, max_value=60))
def test_result_is_a_working_day_after_start(start: dt.date, n: int) -> None:
    result = CAL.add_working_days(start, n)
    assert CAL.is_workday(result)
    assert result > start


@given(days_in_range, counts)
def test_add_is_strictly_monotone_in_n(start: dt.date, n: int) -> None:
    assert CAL.add_working_days(start, n) < CAL.add_working_days(start, n + 1)


@given(days_in_range, counts)
def test_add_then_count_back_gives_n(start: dt.date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(days_in_range, st.integers(min_value=1, max_value=60))
def test_backwards_then_forwards_returns_to_a_working_day(start: dt.date, n: int) -> None:
    workday = CAL.workday_on_or_after(start)
    assert CAL.add_working_days(CAL.add_working_days(workday, -n), n) == workday


@given(days_in_range, st.integers(min_value=1, max_value=60))
def test_the_result_is_the_earliest_day_with_n_working_days(start: dt.date, n: int) -> None:
    result = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, result - dt.timedelta(days=1)) == n - 1


@given(days_in_range, days_in_range, days_in_range)
def test_counting_is_additive_and_antisymmetric(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert CAL.working_days_between(a, c) == (
        CAL.working_days_between(a, b) + CAL.working_days_between(b, c)
    )
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)


@given(st.dates(min_value=D(FIRST_YEAR, 1, 1), max_value=D(LAST_YEAR, 12, 31)))
def test_agrees_with_chinese_calendar_day_by_day(day: dt.date) -> None:
    import chinese_calendar

    assert CAL.is_workday(day) is chinese_calendar.is_workday(day)


@given(days_in_range, st.integers(min_value=1, max_value=60))
def test_a_local_day_off_never_makes_a_deadline_earlier(start: dt.date, n: int) -> None:
    off = CAL.add_working_days(start, 1)
    local = WorkCalendar(extra_days_off=[off])
    assert local.add_working_days(start, n) == CAL.add_working_days(start, n + 1)
