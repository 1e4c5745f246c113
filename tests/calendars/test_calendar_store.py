"""The calendar store: an entered year overrides the package and the provisional rules at once.

Today is set in 2027 and in 2028 (after the package's last year, 2026) by patching the core's
notion of today; deadlines are computed, marked provisional, and move when 2027 is entered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from gongkai.agencies.models import Role
from gongkai.applications.clock import deployment_calendar
from gongkai.calendars import selectors, services
from gongkai.calendars.models import CalendarYearVersion
from gongkai.core import calendar as core_calendar
from gongkai.core.calendar import national_calendar, year_schedule
from gongkai.core.clock import reply_due
from gongkai.core.holidays import ScheduleError, ScheduleSource
from tests.web.conftest import World

D = dt.date

# A 2027 schedule as a notice might set it (fictitious: the real one is not published yet): the
# same 13 weekday holidays as the rules, but 春节 runs to 02-12 with Sun 01-31 and Sat 02-20
# worked, and 国庆 runs to 10-07 with Sun 09-26 and Sat 10-09 worked.
NOTICE_2027 = (
    "元旦：2027-01-01至2027-01-03放假\n"
    "春节：2027-02-05至2027-02-12放假\n"
    "上班 2027-01-31、2027-02-20\n"
    "清明 2027-04-03至2027-04-05放假\n"
    "劳动节 2027-05-01至2027-05-04放假\n"
    "端午 2027-06-09,放假\n"
    "中秋 2027-09-15,放假\n"
    "国庆 2027-10-01至2027-10-07放假\n"
    "上班 2027-09-26, 2027-10-09\n"
)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set the core's today; the calendar's horizon and generation follow it."""

    def set_today(day: dt.date) -> None:
        monkeypatch.setattr(core_calendar, "today_in_china", lambda: day)
        core_calendar.invalidate_calendars()

    yield set_today
    monkeypatch.undo()
    core_calendar.invalidate_calendars()


def enter_2027(**kwargs: Any) -> services.Entered:
    return services.calendar_year_import(
        year=2027, text=NOTICE_2027, source="国办发明电〔2026〕7号", acting_name="测试", **kwargs
    )


def test_without_an_entered_year_2027_is_provisional(calendar_store: None, today: Any) -> None:
    today(D(2027, 1, 4))
    cal = national_calendar()
    assert year_schedule(2027).source is ScheduleSource.PROVISIONAL
    assert cal.is_provisional(D(2027, 3, 1)) and not cal.is_provisional(D(2026, 12, 31))
    # 20 working days after 2026-12-10: 15 in December, 01-01 off, then 01-04 to 01-08.
    due = reply_due(D(2026, 12, 10), calendar=cal)
    assert due == D(2027, 1, 8)
    assert cal.provisional_between(D(2026, 12, 10), due)
    assert not cal.provisional_between(D(2026, 11, 2), D(2026, 11, 30))


def test_entering_2027_changes_a_deadline_that_crosses_it(calendar_store: None, today: Any) -> None:
    today(D(2027, 1, 4))
    cal = deployment_calendar()  # the instance the web application keeps
    start = D(2027, 2, 9)
    # Provisional: 春节 02-05 to 02-10 off. 20 working days: Feb 11, 12 (2), Feb 15..19 (7),
    # Feb 22..26 (12), Mar 1..5 (17), Mar 8..10 (20).
    assert reply_due(start, calendar=cal) == D(2027, 3, 10)
    enter_2027()
    # Entered: 春节 02-05 to 02-12 off, Sat 02-20 worked: Feb 15..19 (5), Feb 20 (6),
    # Feb 22..26 (11), Mar 1..5 (16), Mar 8..11 (20).
    assert reply_due(start, calendar=cal) == D(2027, 3, 11)
    assert not cal.provisional_between(start, D(2027, 3, 11))
    assert cal.source_of(2027) is ScheduleSource.ENTERED
    assert cal.provisional_years == frozenset({2028, 2029, 2030})


def test_today_in_2028_with_2027_entered(calendar_store: None, today: Any) -> None:
    today(D(2028, 3, 1))
    enter_2027()
    cal = national_calendar()
    assert cal.last_day == D(2031, 12, 31)
    assert reply_due(D(2027, 12, 20), calendar=cal) == D(2028, 1, 18)
    assert cal.provisional_between(D(2027, 12, 20), D(2028, 1, 18))
    assert cal.working_days_between(D(2028, 3, 1), D(2028, 3, 8)) == 5
    assert selectors.calendar_warnings(D(2028, 3, 1)) == [
        "2028 年的放假安排尚未录入：本年度的期限均为暂定，请尽快录入国务院办公厅的放假安排通知"
    ]


def test_a_make_up_day_in_the_december_before_counts(calendar_store: None) -> None:
    assert not national_calendar().is_workday(D(2026, 12, 26))  # a Saturday
    services.calendar_year_enter(
        year=2027,
        days_off=[D(2027, 1, 1)],
        workdays=[D(2026, 12, 26)],
        source="测试",
        acting_name="测试",
    )
    assert national_calendar().is_workday(D(2026, 12, 26))


def test_every_version_is_kept_and_the_newest_is_in_force(calendar_store: None) -> None:
    first = enter_2027()
    second = services.calendar_year_enter(
        year=2027,
        days_off=[D(2027, 1, 1)],
        workdays=[],
        source="更正",
        acting_name="测试",
    )
    assert [v.pk for v in selectors.calendar_year_versions(2027)] == [
        second.version.pk,
        first.version.pk,
    ]
    assert year_schedule(2027).days_off == frozenset({D(2027, 1, 1)})
    assert "以下法定节假日没有列为放假" in second.warnings[0]
    assert first.warnings == []


def test_an_entered_year_overrides_the_package(calendar_store: None) -> None:
    assert not national_calendar().is_workday(D(2026, 10, 1))
    services.calendar_year_import(
        year=2026, text="放假 2026-01-01", source="测试", acting_name="测试"
    )
    assert national_calendar().is_workday(D(2026, 10, 1))
    assert year_schedule(2026).source is ScheduleSource.ENTERED


@pytest.mark.parametrize(
    ("_case", "kwargs", "message"),
    [
        ("no source", {"source": " "}, services.SOURCE_REQUIRED),
        ("year too early", {"year": 2007}, "年度应在 2008 至 2099 之间（收到 2007）"),
        ("a date in another year", {"days_off": [D(2028, 1, 1)]}, "不在 2027 年内：2028-01-01"),
        ("a weekday make-up day", {"workdays": [D(2027, 2, 8)]}, "本来就是工作日：2027-02-08"),
    ],
)
def test_a_wrong_entry_is_refused_and_nothing_saved(
    calendar_store: None, _case: str, kwargs: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {
        "year": 2027,
        "days_off": [D(2027, 1, 1)],
        "workdays": [],
        "source": "国办发明电〔2026〕7号",
        **kwargs,
    }
    with pytest.raises(ScheduleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.calendar_year_enter(**arguments)
    assert CalendarYearVersion.objects.count() == 0


@override_settings(GONGKAI_LOCAL_DAYS_OFF=["2027-03-15"], GONGKAI_EXTRA_WORKDAYS=["2028-10-07"])
def test_local_days_work_in_provisional_years(calendar_store: None) -> None:
    cal = deployment_calendar()
    assert not cal.is_workday(D(2027, 3, 15))
    assert cal.is_workday(D(2028, 10, 7))
    assert national_calendar().is_workday(D(2027, 3, 15))


def test_warnings_from_october_until_next_year_is_entered(calendar_store: None) -> None:
    assert selectors.calendar_warnings(D(2026, 9, 30)) == []
    [warning] = selectors.calendar_warnings(D(2026, 10, 1))
    assert warning.startswith("2027 年的放假安排尚未录入")
    enter_2027()
    assert selectors.calendar_warnings(D(2026, 12, 1)) == []


def test_provisional_dates_selector(calendar_store: None) -> None:
    days = [D(2026, 12, 31), D(2027, 1, 8), D(2028, 2, 1)]
    assert selectors.provisional_dates(days) == {D(2027, 1, 8), D(2028, 2, 1)}
    enter_2027()
    assert selectors.provisional_dates(days) == {D(2028, 2, 1)}


def test_the_year_list_names_each_source(calendar_store: None, today: Any) -> None:
    today(D(2026, 11, 30))
    enter_2027()
    rows = {r.year: r for r in selectors.calendar_year_list(today=D(2026, 11, 30))}
    assert rows[2026].source_label == "软件包"
    assert (rows[2027].source_label, rows[2027].versions) == ("已录入", 1)
    assert rows[2028].source_label == "暂定"
    assert max(rows) == 2030


# -- the pages -----------------------------------------------------------------------------------


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_enters_a_year_on_the_page(world: World, calendar_store: None) -> None:
    client = logged_in(world.member(Role.ADMIN))
    page = client.get("/calendar/")
    assert page.status_code == 200
    assert "录入年度放假安排" in page.content.decode()
    response = client.post(
        "/calendar/enter/",
        {"year": "2027", "source": "国办发明电〔2026〕7号", "text": NOTICE_2027},
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/2027/"
    year_page = client.get("/calendar/2027/").content.decode()
    assert "2027 年放假安排（已录入）" in year_page
    assert "国办发明电〔2026〕7号" in year_page and "现行" in year_page
    assert CalendarYearVersion.objects.get().entered_by_name == f"admin_{world.district.pk}"


def test_a_file_can_be_uploaded(world: World, calendar_store: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = logged_in(world.member(Role.ADMIN))
    upload = SimpleUploadedFile("2027.csv", "2027-01-01,休\n2027-02-20,班\n".encode())
    response = client.post("/calendar/enter/", {"year": "2027", "source": "通知", "upload": upload})
    assert response.status_code == 302
    assert CalendarYearVersion.objects.get().workdays == ["2027-02-20"]


def test_a_wrong_entry_shows_the_reason(world: World, calendar_store: None) -> None:
    client = logged_in(world.member(Role.ADMIN))
    response = client.post(
        "/calendar/enter/", {"year": "2027", "source": "通知", "text": "上班 2027-02-08"}
    )
    assert response.status_code == 400
    assert "本来就是工作日：2027-02-08" in response.content.decode()
    assert CalendarYearVersion.objects.count() == 0


@pytest.mark.parametrize(("role", "may_enter"), [(r, r is Role.ADMIN) for r in Role])
def test_only_administrators_may_enter_a_year(
    world: World, calendar_store: None, role: Role, may_enter: bool
) -> None:
    client = logged_in(world.member(role))
    assert client.get("/calendar/").status_code == 200
    assert client.get("/calendar/2027/").status_code == 200
    response = client.post(
        "/calendar/enter/", {"year": "2027", "source": "x", "text": "放假 2027-01-01"}
    )
    assert response.status_code == (302 if may_enter else 403)
    assert CalendarYearVersion.objects.count() == (1 if may_enter else 0)


def test_anonymous_visitors_are_sent_to_log_in(calendar_store: None) -> None:
    assert Client().get("/calendar/").status_code == 302
