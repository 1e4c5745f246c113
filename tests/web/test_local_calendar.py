"""A deployment's local days off move every deadline the web application shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from gongkai.applications.clock import deployment_calendar
from gongkai.core.calendar import national_calendar
from gongkai.core.errors import GongkaiError


def test_without_local_days_the_national_calendar_is_used() -> None:
    assert deployment_calendar() is national_calendar()


@override_settings(GONGKAI_LOCAL_DAYS_OFF=["2024-03-15"])
def test_a_local_day_off_is_not_a_working_day() -> None:
    calendar = deployment_calendar()
    assert national_calendar().is_workday(dt.date(2024, 3, 15))
    assert not calendar.is_workday(dt.date(2024, 3, 15))
    # 20 working days from 2024-03-01 end on Friday 03-29 nationally; with 03-15 a local
    # holiday they end one working day later, on Monday 04-01.
    assert national_calendar().add_working_days(dt.date(2024, 3, 1), 20) == dt.date(2024, 3, 29)
    assert calendar.add_working_days(dt.date(2024, 3, 1), 20) == dt.date(2024, 4, 1)


@override_settings(GONGKAI_EXTRA_WORKDAYS=["2024-03-16"])
def test_an_extra_working_day_counts() -> None:
    assert deployment_calendar().is_workday(dt.date(2024, 3, 16))


@override_settings(GONGKAI_LOCAL_DAYS_OFF=["2024-02-30"])
def test_an_invalid_local_day_is_a_chinese_error() -> None:
    with pytest.raises(GongkaiError, match="GONGKAI_LOCAL_DAYS_OFF中有无效日期"):
        deployment_calendar()
