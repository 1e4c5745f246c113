"""Reads for the calendar page, the dashboard and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count

from gongkai.agencies.gatekeeper import Action, may_anywhere
from gongkai.calendars.models import CalendarYearVersion
from gongkai.core.calendar import (
    CalendarRangeError,
    calendar_years,
    national_calendar,
    year_schedule,
)
from gongkai.core.holidays import ScheduleSource, YearSchedule

# From this month on, next year's notice is expected (it is usually published in
# October–November, LEGAL.md §5.4).
WARN_FROM_MONTH: Final = 10


@dataclass(frozen=True)
class YearRow:
    schedule: YearSchedule
    versions: int

    @property
    def year(self) -> int:
        return self.schedule.year

    @property
    def source_label(self) -> str:
        return self.schedule.source.label


def calendar_year_list(*, today: dt.date) -> list[YearRow]:
    """Every year the calendar can answer, newest first, with its source and entered versions."""
    counts = dict(
        CalendarYearVersion.objects.values_list("year").annotate(n=Count("id")).order_by()
    )
    return [YearRow(s, counts.get(s.year, 0)) for s in reversed(calendar_years(today))]


def calendar_year_get(year: int) -> YearSchedule:
    """The schedule in force for ``year`` (raises CalendarRangeError if none can be given)."""
    return year_schedule(year)


def calendar_year_versions(year: int) -> list[CalendarYearVersion]:
    """Every entered version of ``year``, newest (in force) first."""
    return list(CalendarYearVersion.objects.filter(year=year).order_by("-id"))


def calendar_warnings(today: dt.date) -> list[str]:
    """What administrators must act on: a year in use or coming up whose notice is missing.

    From 1 October, next year's schedule is expected; a provisional current year is always
    reported. The dashboard shows these to whoever may manage the calendar.
    """
    warnings: list[str] = []
    if year_schedule(today.year).source is ScheduleSource.PROVISIONAL:
        warnings.append(
            f"{today.year} 年的放假安排尚未录入：本年度的期限均为暂定，"
            "请尽快录入国务院办公厅的放假安排通知"
        )
    if today.month >= WARN_FROM_MONTH:
        next_year = today.year + 1
        if year_schedule(next_year).source is ScheduleSource.PROVISIONAL:
            warnings.append(
                f"{next_year} 年的放假安排尚未录入：跨入 {next_year} 年的期限暂按"
                "《全国年节及纪念日放假办法》推算（暂定），国务院办公厅通知发布后请及时录入"
            )
    return warnings


def calendar_warnings_for(user: Any, today: dt.date) -> list[str]:
    """:func:`calendar_warnings` for ``user`` if they may enter a year (``MANAGE_CALENDAR``),
    else nothing: the pages that greet an administrator (home, dashboard) show these."""
    if not may_anywhere(user, Action.MANAGE_CALENDAR):
        return []
    try:
        return calendar_warnings(today)
    except CalendarRangeError as error:  # a system clock beyond every calendar
        return [str(error)]


def provisional_dates(dates: Iterable[dt.date]) -> frozenset[dt.date]:
    """Which of ``dates`` lie in a provisional year (to mark them 暂定)."""
    return national_calendar().provisional_days(dates)
