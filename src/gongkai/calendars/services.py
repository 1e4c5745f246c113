"""Entering a year's schedule: validated, kept as a new version, in force at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction

from gongkai.calendars.models import CalendarYearVersion
from gongkai.calendars.signals import schedule_entered
from gongkai.calendars.store import as_schedule
from gongkai.core.calendar import invalidate_calendars
from gongkai.core.holidays import (
    LAST_PROVISIONAL_YEAR,
    ScheduleError,
    parse_schedule_text,
    schedule_warnings,
    validate_schedule,
)

FIRST_ENTERED_YEAR: Final = 2008  # the Regulation on disclosure took effect on 2008-05-01
SOURCE_REQUIRED: Final = "请填写放假安排的依据，例如国务院办公厅通知的文号"
YEAR_OUT_OF_RANGE: Final = "年度应在 {first} 至 {last} 之间（收到 {year}）"


@dataclass(frozen=True)
class Entered:
    version: CalendarYearVersion
    warnings: list[str]


@transaction.atomic
def calendar_year_enter(
    *,
    year: int,
    days_off: Iterable[dt.date],
    workdays: Iterable[dt.date],
    source: str,
    source_text: str = "",
    acting_user: Any = None,
    acting_name: str = "",
) -> Entered:
    """Save a new version of ``year``'s schedule; every clock uses it from now on.

    Raises :class:`~gongkai.core.holidays.ScheduleError` (nothing saved) when the year, the
    source or a date is wrong; returns the saved version and what to double-check.
    """
    if not FIRST_ENTERED_YEAR <= year <= LAST_PROVISIONAL_YEAR:
        raise ScheduleError(
            YEAR_OUT_OF_RANGE.format(
                first=FIRST_ENTERED_YEAR, last=LAST_PROVISIONAL_YEAR, year=year
            )
        )
    if not source.strip():
        raise ScheduleError(SOURCE_REQUIRED)
    off, work = validate_schedule(year, days_off, workdays)
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    name = acting_name or (user.get_username() if user is not None else "")
    version = CalendarYearVersion(
        year=year,
        days_off=[d.isoformat() for d in sorted(off)],
        workdays=[d.isoformat() for d in sorted(work)],
        source=source.strip(),
        source_text=source_text,
        entered_by=user,
        entered_by_name=name or "（未知）",
    )
    version.full_clean()
    version.save()
    invalidate_calendars()  # this thread, inside the transaction
    transaction.on_commit(invalidate_calendars)  # every thread, once it is visible
    schedule_entered.send(sender=CalendarYearVersion, year=year)
    return Entered(version=version, warnings=schedule_warnings(as_schedule(version)))


def calendar_year_import(
    *,
    year: int,
    text: str,
    source: str,
    acting_user: Any = None,
    acting_name: str = "",
) -> Entered:
    """:func:`calendar_year_enter` from pasted notice lines or a small CSV (see the parser)."""
    off, work = parse_schedule_text(text)
    return calendar_year_enter(
        year=year,
        days_off=off,
        workdays=work,
        source=source,
        source_text=text,
        acting_user=acting_user,
        acting_name=acting_name,
    )
