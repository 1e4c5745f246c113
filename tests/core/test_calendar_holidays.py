"""The provisional calendar follows 《全国年节及纪念日放假办法》 (LEGAL.md §5.4).

Checked against the ``chinese_calendar`` package for the years it knows: every statutory day the
rules compute is a day off there. What no rule can predict is listed, year by year, in
:data:`NOTICE_DIFFERENCES`.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import supported_years
from gongkai.core.holidays import (
    LAST_PROVISIONAL_YEAR,
    ScheduleError,
    ScheduleSource,
    YearSchedule,
    holiday_law_for,
    parse_schedule_text,
    provisional_schedule,
    schedule_warnings,
    statutory_days,
    validate_schedule,
)

D = dt.date
FIRST_PACKAGE, LAST_PACKAGE = supported_years()
package_years = st.integers(min_value=2008, max_value=LAST_PACKAGE)
any_year = st.integers(min_value=2008, max_value=LAST_PROVISIONAL_YEAR)

# Years whose notice differs from the rules in its count of days off (weekday days off minus
# make-up working days), and why: no rule can predict these.
NOTICE_DIFFERENCES = {
    2011: "2011-12-31 was a make-up working day of the 2012 New Year holiday (cross-year 调休)",
    2012: "端午 on Saturday 06-23 was given back on Friday 06-22, plus the 2011-12-31 swap",
    2015: "2015-09-03, the one-off holiday for the 70th anniversary of the victory",
    2020: "the Spring Festival holiday extended against COVID-19 (国办发明电〔2020〕1号)",
}


def package_schedule(year: int) -> YearSchedule:
    return YearSchedule(
        year=year,
        source=ScheduleSource.PACKAGE,
        days_off=frozenset(d for d in chinese_calendar.holidays if d.year == year),
        workdays=frozenset(d for d in chinese_calendar.workdays if d.year == year),
    )


@given(package_years)
def test_every_statutory_day_is_a_day_off_in_the_package(year: int) -> None:
    for day, name in statutory_days(year).items():
        assert not chinese_calendar.is_workday(day), (day, name)


@pytest.mark.parametrize("year", range(2008, LAST_PACKAGE + 1))
def test_the_rules_give_as_many_days_off_as_the_notice_save_documented_years(year: int) -> None:
    notice = package_schedule(year)
    net = sum(1 for d in notice.days_off if d.weekday() < 5) - len(notice.workdays)
    rules = sum(1 for d in provisional_schedule(year).days_off if d.weekday() < 5)
    assert (net == rules) is (year not in NOTICE_DIFFERENCES)


def test_the_rules_give_back_the_days_the_notices_gave_back_save_two() -> None:
    # 63 补假 days in 2008–2026; the notices chose other days twice: 2012's 端午 (Saturday
    # 06-23) was given back on Friday 06-22, and 2015's 中秋 (Sunday 09-27) within 国庆's week.
    predicted = [
        d
        for year in range(2008, LAST_PACKAGE + 1)
        for d in provisional_schedule(year).days_off - set(statutory_days(year))
    ]
    assert len(predicted) >= 63
    assert sorted(d for d in predicted if chinese_calendar.is_workday(d)) == [
        D(2012, 6, 25),
        D(2015, 9, 28),
    ]


@pytest.mark.parametrize(
    ("_case", "year", "days"),
    [
        ("2008 rules: 春节 from 除夕", 2008, [D(2008, 2, 6), D(2008, 2, 7), D(2008, 2, 8)]),
        ("2014 rules: 春节 初一 to 初三", 2014, [D(2014, 1, 31), D(2014, 2, 1), D(2014, 2, 2)]),
        ("2025 rules: 春节 4 days", 2025, [D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 31)]),
        ("2025 rules: 劳动节 2 days", 2025, [D(2025, 5, 1), D(2025, 5, 2)]),
        ("清明 is the solar term", 2027, [D(2027, 4, 5)]),
        ("中秋 by the lunar calendar", 2027, [D(2027, 9, 15)]),
    ],
)
def test_statutory_days_per_version_of_the_law(_case: str, year: int, days: list[dt.date]) -> None:
    assert set(days) <= set(statutory_days(year))


def test_the_2027_provisional_schedule() -> None:
    schedule = provisional_schedule(2027)
    assert schedule.source is ScheduleSource.PROVISIONAL and schedule.workdays == frozenset()
    # 春节 2027: 除夕 Fri 02-05, 初一 Sat 02-06, 初二 Sun 02-07, 初三 Mon 02-08: two 补假 days,
    # Tue 02-09 and Wed 02-10. 五一 Sat 05-01 and Sun 05-02: 补假 Mon 05-03 and Tue 05-04.
    # 国庆 Fri 10-01 to Sun 10-03: 补假 Mon 10-04 and Tue 10-05.
    expected = {
        D(2027, 1, 1),
        *(D(2027, 2, d) for d in range(5, 11)),
        D(2027, 4, 5),
        *(D(2027, 5, d) for d in range(1, 5)),
        D(2027, 6, 9),
        D(2027, 9, 15),
        *(D(2027, 10, d) for d in range(1, 6)),
    }
    assert schedule.days_off == expected
    assert "国务院令第795号" in schedule.note


def test_a_holiday_on_another_holiday_is_given_back() -> None:
    # 2028: 中秋 is Tue 10-03, inside 国庆 (Sun 10-01 to Tue 10-03): 补假 for 10-01 and 10-03.
    days = provisional_schedule(2028).days_off
    assert {D(2028, 10, 4), D(2028, 10, 5)} <= days
    assert D(2028, 10, 6) not in days


@settings(max_examples=60, deadline=None)
@given(any_year)
def test_every_provisional_year_is_well_formed(year: int) -> None:
    schedule = provisional_schedule(year)
    law = holiday_law_for(year)
    statutory = statutory_days(year)
    assert all(d.year == year for d in schedule.days_off)
    assert set(statutory) <= schedule.days_off
    # Every statutory day on a weekend or on another holiday gets exactly one weekday back.
    owed = sum(h.days for h in law.holidays) - sum(1 for d in statutory if d.weekday() < 5)
    back = schedule.days_off - set(statutory)
    assert len(back) == owed
    assert all(d.weekday() < 5 for d in back)


def test_years_without_rules_are_refused() -> None:
    with pytest.raises(ScheduleError, match="2007"):
        provisional_schedule(2007)
    with pytest.raises(ScheduleError, match="2100"):
        provisional_schedule(2100)


# -- entering a notice -------------------------------------------------------------------------


def test_parse_pasted_notice_lines() -> None:
    off, work = parse_schedule_text(
        "# 国办发明电〔2026〕…\n"
        "元旦：2027年1月1日至3日放假调休\n"
        "2027-02-05至2027-02-12,放假\n"
        "上班 2027/2/20、2027-02-21\n"
    )
    assert off == [D(2027, 1, d) for d in (1, 2, 3)] + [D(2027, 2, d) for d in range(5, 13)]
    assert work == [D(2027, 2, 20), D(2027, 2, 21)]


@pytest.mark.parametrize(
    ("_case", "text", "message"),
    [
        ("no kind", "2027-01-01", "第 1 行「2027-01-01」没有说明是放假还是上班"),
        ("no date", "放假", "第 1 行「放假」中没有日期"),
        ("impossible date", "\n放假 2027-02-30", "第 2 行「放假 2027-02-30」中有不存在的日期"),
        ("backwards range", "放假 2027-02-10至2027-02-05", "结束早于开始"),
    ],
)
def test_unusable_lines_are_named(_case: str, text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule_text(text)


def test_validation_lists_every_problem() -> None:
    with pytest.raises(ScheduleError) as caught:
        validate_schedule(
            2027,
            [D(2027, 1, 1), D(2028, 1, 1), D(2027, 2, 6)],
            [D(2027, 2, 6), D(2027, 2, 8)],
        )
    message = str(caught.value)
    assert "以下日期不在 2027 年内：2028-01-01" in message
    assert "既列为放假又列为上班：2027-02-06" in message
    assert "本来就是工作日：2027-02-08" in message


def test_a_make_up_day_may_lie_in_the_december_before() -> None:
    # The 2012 notice: 2012-01-01 to 01-03 off, Saturday 2011-12-31 worked.
    _, work = validate_schedule(2012, [D(2012, 1, 2), D(2012, 1, 3)], [D(2011, 12, 31)])
    assert work == {D(2011, 12, 31)}
    with pytest.raises(ScheduleError, match="不在 2012 年内：2011-11-26"):
        validate_schedule(2012, [D(2012, 1, 2)], [D(2011, 11, 26)])


def test_an_empty_year_is_refused() -> None:
    with pytest.raises(ScheduleError, match="没有填写 2027 年的放假日期"):
        validate_schedule(2027, [], [])


def test_warnings_name_a_missing_statutory_day() -> None:
    schedule = YearSchedule(2027, ScheduleSource.ENTERED, days_off=frozenset({D(2027, 1, 1)}))
    warnings = schedule_warnings(schedule)
    assert "2027-10-01（国庆节）" in warnings[0]


@pytest.mark.parametrize(
    "year", sorted(set(range(2008, LAST_PACKAGE + 1)) - set(NOTICE_DIFFERENCES))
)
def test_a_real_notice_raises_no_warning(year: int) -> None:
    assert schedule_warnings(package_schedule(year)) == []
