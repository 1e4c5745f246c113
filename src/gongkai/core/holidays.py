"""The statutory holidays, and the provisional calendar of a year nobody has announced yet.

Each year's days off and 调休 make-up working days are set by the 国务院办公厅 notice published in
the autumn before (LEGAL.md §5.4). Until a year's notice is known, its holidays follow from
《全国年节及纪念日放假办法》 itself: the holidays for all citizens (Art 2), on fixed dates, on
lunar dates, and on the 清明 solar term, and a holiday that falls on a Saturday or Sunday is given
back on a working day (补假, Art 6). What no rule can predict are the 调休 swaps, so a provisional
year has no make-up working days and its days off are exactly the statutory days plus 补假.

The three versions of the 办法 in force since the Regulation on disclosure (2008) are declared
once below, with their citations, in :data:`HOLIDAY_LAWS`. Lunar dates and solar terms come from
``lunar-python`` (``lunar_python``), which computes both; ``lunardate`` and ``zhdate`` convert
lunar dates only, and 清明 is a solar term.

This module also holds :class:`YearSchedule`, one year's days off and make-up working days from
whichever source (the ``chinese_calendar`` package, a notice entered by an administrator, or the
provisional rules), and the parser and validator of an entered notice.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from lunar_python import Lunar

from gongkai.core.errors import GongkaiError

__all__ = [
    "HOLIDAY_LAWS",
    "HolidayLaw",
    "LunarDay",
    "ScheduleError",
    "ScheduleSource",
    "SolarDay",
    "SolarTerm",
    "StatutoryHoliday",
    "YearSchedule",
    "holiday_law_for",
    "parse_schedule_text",
    "provisional_schedule",
    "schedule_warnings",
    "statutory_days",
    "validate_schedule",
]


class ScheduleError(GongkaiError):
    """An entered year's schedule cannot be used; the message says which dates and why."""


# -- where a holiday falls ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SolarDay:
    """A fixed Gregorian date, e.g. 1 October."""

    month: int
    day: int

    def first_day(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class LunarDay:
    """A lunar date of the lunar year that begins in ``year``; ``offset`` days from it.

    农历除夕 is ``LunarDay(1, 1, offset=-1)``: the last day of the twelfth month, whether that
    month has 29 or 30 days.
    """

    month: int
    day: int
    offset: int = 0

    def first_day(self, year: int) -> dt.date:
        solar = Lunar.fromYmd(year, self.month, self.day).getSolar()
        return dt.date(solar.getYear(), solar.getMonth(), solar.getDay()) + dt.timedelta(
            days=self.offset
        )


@dataclass(frozen=True, slots=True)
class SolarTerm:
    """The day of a solar term (节气) in ``year``, e.g. 清明."""

    name: str

    def first_day(self, year: int) -> dt.date:
        solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()[self.name]
        return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@dataclass(frozen=True, slots=True)
class StatutoryHoliday:
    """A holiday for all citizens: its name, first day and number of consecutive days."""

    name: str
    starts: SolarDay | LunarDay | SolarTerm
    days: int
    wording: str  # how the 办法 states it

    def dates(self, year: int) -> list[dt.date]:
        first = self.starts.first_day(year)
        return [first + dt.timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True, slots=True)
class HolidayLaw:
    """One version of 《全国年节及纪念日放假办法》 Art 2 (holidays for all citizens)."""

    citation: str
    in_force: dt.date
    holidays: tuple[StatutoryHoliday, ...]


_NEW_YEAR: Final = StatutoryHoliday("元旦", SolarDay(1, 1), 1, "放假1天（1月1日）")
_QINGMING: Final = StatutoryHoliday("清明节", SolarTerm("清明"), 1, "放假1天（农历清明当日）")
_DRAGON_BOAT: Final = StatutoryHoliday("端午节", LunarDay(5, 5), 1, "放假1天（农历端午当日）")
_MID_AUTUMN: Final = StatutoryHoliday("中秋节", LunarDay(8, 15), 1, "放假1天（农历中秋当日）")
_NATIONAL_DAY: Final = StatutoryHoliday(
    "国庆节", SolarDay(10, 1), 3, "放假3天（10月1日、2日、3日）"
)

# Oldest first. The Regulation on disclosure took effect on 2008-05-01, so earlier versions are
# never needed; the package's data (2004–2026) covers every year before 2027 anyway. The 2008
# and 2014 versions are checked against the package's data in tests/core/test_holidays.py.
HOLIDAY_LAWS: Final[tuple[HolidayLaw, ...]] = (
    HolidayLaw(
        citation="《全国年节及纪念日放假办法》（2007年12月14日国务院令第513号修订）第二条",
        in_force=dt.date(2008, 1, 1),
        holidays=(
            _NEW_YEAR,
            StatutoryHoliday(
                "春节", LunarDay(1, 1, offset=-1), 3, "放假3天（农历除夕、正月初一、初二）"
            ),
            _QINGMING,
            StatutoryHoliday("劳动节", SolarDay(5, 1), 1, "放假1天（5月1日）"),
            _DRAGON_BOAT,
            _MID_AUTUMN,
            _NATIONAL_DAY,
        ),
    ),
    HolidayLaw(
        citation="《全国年节及纪念日放假办法》（2013年12月11日国务院令第644号修订）第二条",
        in_force=dt.date(2014, 1, 1),
        holidays=(
            _NEW_YEAR,
            StatutoryHoliday("春节", LunarDay(1, 1), 3, "放假3天（农历正月初一、初二、初三）"),
            _QINGMING,
            StatutoryHoliday("劳动节", SolarDay(5, 1), 1, "放假1天（5月1日）"),
            _DRAGON_BOAT,
            _MID_AUTUMN,
            _NATIONAL_DAY,
        ),
    ),
    HolidayLaw(
        citation=(
            "《全国年节及纪念日放假办法》（2024年11月10日国务院令第795号修订，"
            "2025年1月1日起施行）第二条"
        ),
        in_force=dt.date(2025, 1, 1),
        holidays=(
            _NEW_YEAR,
            StatutoryHoliday(
                "春节", LunarDay(1, 1, offset=-1), 4, "放假4天（农历除夕、正月初一至初三）"
            ),
            _QINGMING,
            StatutoryHoliday("劳动节", SolarDay(5, 1), 2, "放假2天（5月1日、2日）"),
            _DRAGON_BOAT,
            _MID_AUTUMN,
            _NATIONAL_DAY,
        ),
    ),
)

MAKEUP_RULE: Final = (
    "《全国年节及纪念日放假办法》第六条：全体公民放假的假日，如果适逢周六、周日，应当在工作日补假"
)

# lunar-python's tables end with lunar year 2100; a provisional year later than this is refused.
LAST_PROVISIONAL_YEAR: Final = 2099


def holiday_law_for(year: int) -> HolidayLaw:
    """The version of the 办法 in force on 1 January of ``year``.

    Raises :class:`ScheduleError` for a year before 2008 (no disclosure deadline runs there) or
    after :data:`LAST_PROVISIONAL_YEAR`.
    """
    if year < HOLIDAY_LAWS[0].in_force.year or year > LAST_PROVISIONAL_YEAR:
        raise ScheduleError(
            f"无法为 {year} 年推算暂定日历：只能推算 {HOLIDAY_LAWS[0].in_force.year} 年至 "
            f"{LAST_PROVISIONAL_YEAR} 年"
        )
    start = dt.date(year, 1, 1)
    return [law for law in HOLIDAY_LAWS if law.in_force <= start][-1]


def statutory_days(year: int) -> dict[dt.date, str]:
    """The holidays for all citizens in ``year`` under the 办法 then in force: date → name.

    Only the statutory days themselves, without 补假. Two holidays on the same day (中秋 on
    1 October, as in 2001 and 2020) keep the first name; :func:`provisional_schedule` counts
    both.
    """
    days: dict[dt.date, str] = {}
    for holiday in holiday_law_for(year).holidays:
        for day in holiday.dates(year):
            days.setdefault(day, holiday.name)
    return days


# -- one year's schedule -----------------------------------------------------------------------


class ScheduleSource(enum.StrEnum):
    """Where a year's days off and make-up working days come from, by precedence (highest first)."""

    ENTERED = "entered"  # the 国务院办公厅 notice, entered by an administrator
    PACKAGE = "package"  # the chinese_calendar package
    PROVISIONAL = "provisional"  # the holiday law's rules, no 调休

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS: Final[dict[ScheduleSource, str]] = {
    ScheduleSource.ENTERED: "已录入",
    ScheduleSource.PACKAGE: "软件包",
    ScheduleSource.PROVISIONAL: "暂定",
}


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """The days off and make-up working days of one year.

    ``days_off`` are the announced days off (holidays, 补假 and the weekdays moved by 调休; the
    weekend days inside a holiday stretch may be listed or not, they are off either way).
    ``workdays`` are the 调休 make-up working days, always a Saturday or Sunday. Every other
    day is a working day from Monday to Friday. ``note`` says where the data comes from (the
    notice's number, or the law applied).
    """

    year: int
    source: ScheduleSource
    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    note: str = ""

    @property
    def provisional(self) -> bool:
        return self.source is ScheduleSource.PROVISIONAL


@lru_cache(maxsize=128)
def provisional_schedule(year: int) -> YearSchedule:
    """The provisional schedule of ``year``: statutory days plus 补假, no make-up working days.

    A statutory day that is a Saturday or Sunday, or that coincides with another holiday, is
    given back on the first weekday after its holiday that is not already off (Art 6; the notice
    may choose another day, which is why the year stays provisional until it is entered).
    Raises :class:`ScheduleError` for a year outside the rules (see :func:`holiday_law_for`).
    """
    law = holiday_law_for(year)
    off: set[dt.date] = set()
    owed: list[dt.date] = []  # the last day of each holiday that needs a 补假, per owed day
    for holiday in law.holidays:
        dates = holiday.dates(year)
        for day in dates:
            if day.weekday() >= 5 or day in off:
                owed.append(dates[-1])
            off.add(day)
    for after in sorted(owed):
        day = after + dt.timedelta(days=1)
        while day.weekday() >= 5 or day in off:
            day += dt.timedelta(days=1)
        off.add(day)
    return YearSchedule(
        year=year,
        source=ScheduleSource.PROVISIONAL,
        days_off=frozenset(off),
        note=f"暂定：按{law.citation}和第六条（补假）推算，未含调休",
    )


# -- entering a year's notice ------------------------------------------------------------------

_OFF_WORDS: Final = ("放假", "休息", "休", "假", "off")
_WORK_WORDS: Final = ("上班", "工作", "班", "work")
_DATE = r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?"
_SHORT = r"(?:(\d{1,2})\s*(?:-|/|\.|月)\s*)?(\d{1,2})\s*日?"
_RANGE = re.compile(rf"{_DATE}(?:\s*(?:至|到|~|～|—|--)\s*(?:{_DATE}|{_SHORT}))?")


def _date(year: str, month: str, day: str, line: int, text: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ScheduleError(f"第 {line} 行「{text}」中有不存在的日期") from None


def parse_schedule_text(text: str) -> tuple[list[dt.date], list[dt.date]]:
    """Days off and make-up working days from pasted text or a small CSV file.

    One kind per line, named by a word on the line (放假/休/off for days off, 上班/班/work for
    working days), with dates as 2027-01-01, 2027/1/1 or 2027年1月1日 and ranges written
    ``2027-02-05至2027-02-12`` (or ``至2月12日``, ``~12``). Examples::

        2027-01-01,休
        放假：2027-02-05至2027-02-12
        上班 2027-02-07, 2027-02-20

    Blank lines and lines starting with ``#`` are ignored. Raises :class:`ScheduleError` naming
    the line that has no kind, no date, or an impossible date.
    """
    off: list[dt.date] = []
    work: list[dt.date] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        lowered = line.lower()
        stripped = _RANGE.sub(" ", lowered)
        is_work = any(w in stripped for w in _WORK_WORDS)
        is_off = any(w in stripped for w in _OFF_WORDS) and not is_work
        if is_work == is_off:
            raise ScheduleError(
                f"第 {number} 行「{line}」没有说明是放假还是上班（请写明“放假”或“上班”）"
            )
        matches = list(_RANGE.finditer(lowered))
        if not matches:
            raise ScheduleError(f"第 {number} 行「{line}」中没有日期（应为 YYYY-MM-DD）")
        target = work if is_work else off
        for m in matches:
            first = _date(m[1], m[2], m[3], number, line)
            if m[4]:
                last = _date(m[4], m[5], m[6], number, line)
            elif m[8]:
                last = _date(m[1], m[7] or m[2], m[8], number, line)
            else:
                last = first
            if last < first:
                raise ScheduleError(f"第 {number} 行「{line}」的日期区间结束早于开始")
            target.extend(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return off, work


def validate_schedule(
    year: int, days_off: Iterable[dt.date], workdays: Iterable[dt.date]
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Check an entered year and return its (days off, make-up working days).

    Refused, with every problem in one Chinese message: no days off at all, a date outside
    ``year`` (a make-up working day may lie in the December before, as in the 2012 notice), a
    day both off and working, a make-up working day that is not a Saturday or Sunday.
    Plausibility questions that a real notice may legitimately raise (a statutory day not
    listed) are :func:`schedule_warnings`, not errors.
    """
    off = frozenset(days_off)
    work = frozenset(workdays)
    problems: list[str] = []
    if not off:
        problems.append(f"没有填写 {year} 年的放假日期")
    # A notice may put a make-up working day in the December before its year: the 2012 notice
    # (国办发明电〔2011〕39号) made Saturday 2011-12-31 a working day for the New Year holiday.
    outside = sorted(
        {d for d in off if d.year != year}
        | {d for d in work if d.year != year and not (d.year == year - 1 and d.month == 12)}
    )
    if outside:
        problems.append(f"以下日期不在 {year} 年内：{_join(outside)}")
    both = sorted(off & work)
    if both:
        problems.append(f"以下日期既列为放假又列为上班：{_join(both)}")
    weekday = sorted(d for d in work if d.weekday() < 5)
    if weekday:
        problems.append(f"调休上班日应为周六或周日，以下日期本来就是工作日：{_join(weekday)}")
    if problems:
        raise ScheduleError("；".join(problems) + "。")
    return off, work


def schedule_warnings(schedule: YearSchedule) -> list[str]:
    """What an administrator should double-check in an entered year (nothing is refused)."""
    warnings: list[str] = []
    try:
        statutory = statutory_days(schedule.year)
    except ScheduleError:
        return warnings
    missing = sorted(d for d in statutory if d not in schedule.days_off)
    if missing:
        named = "、".join(f"{d.isoformat()}（{statutory[d]}）" for d in missing)
        warnings.append(f"以下法定节假日没有列为放假，请与通知核对：{named}")
    weekday_off = sum(1 for d in schedule.days_off if d.weekday() < 5)
    expected = sum(1 for d in provisional_schedule(schedule.year).days_off if d.weekday() < 5)
    if weekday_off - len(schedule.workdays) != expected:
        warnings.append(
            f"工作日放假 {weekday_off} 天、调休上班 {len(schedule.workdays)} 天，"
            f"与法定的 {expected} 天假期（含补假）不一致，请与通知核对"
        )
    return warnings


def _join(days: Iterable[dt.date]) -> str:
    return "、".join(d.isoformat() for d in days)
