"""The database behind :class:`gongkai.core.calendar.ScheduleStore`."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from django.db.models import Count, Max

from gongkai.calendars.models import CalendarYearVersion
from gongkai.core.holidays import ScheduleSource, YearSchedule


class DatabaseScheduleStore:
    """Entered years from :class:`CalendarYearVersion`; the newest version of each is in force."""

    def version(self) -> Hashable:
        # Rows are only ever added, so (count, newest id) changes with every save.
        row = CalendarYearVersion.objects.aggregate(n=Count("id"), last=Max("id"))
        return (row["n"], row["last"])

    def schedules(self) -> Mapping[int, YearSchedule]:
        newest: dict[int, YearSchedule] = {}
        for row in CalendarYearVersion.objects.order_by("year", "-id"):
            if row.year not in newest:
                newest[row.year] = as_schedule(row)
        return newest


def as_schedule(row: CalendarYearVersion) -> YearSchedule:
    return YearSchedule(
        year=row.year,
        source=ScheduleSource.ENTERED,
        days_off=frozenset(row.days_off_dates()),
        workdays=frozenset(row.workdays_dates()),
        note=row.source,
    )
