"""The deadline calendar: a month grid of the open cases' running due dates, for the cases of
我的案件 only (the gatekeeper's), overdue and due-today coloured, month by month.

Today is Wednesday 2026-12-09 (see ``test_filters``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.applications import worklists
from gongkai.applications.models import Application
from gongkai.applications.selectors import application_list_open

from . import conftest
from .conftest import TodayIs, World

D = dt.date
TODAY = D(2026, 12, 9)


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(TODAY)


def case(user: Any, world: World, received: dt.date, unit: Any = None) -> Application:
    number = f"35050519900101{Application.objects.count():04d}"
    return conftest.register(
        user, unit or world.district, submitted_on=received, id_document_number=number
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cell(page: str, day: dt.date) -> str:
    """The HTML of the grid cell of ``day``."""
    match = re.search(rf'<td class="([^"]*)" data-date="{day.isoformat()}">(.*?)</td>', page, re.S)
    assert match is not None, day
    return f"{match.group(1)}|{match.group(2)}"


def test_each_case_sits_on_its_due_day_coloured(clerk: Any, world: World) -> None:
    overdue = case(clerk, world, D(2026, 10, 20))  # due 2026-11-17
    today = case(clerk, world, D(2026, 11, 11))  # due today
    week = case(clerk, world, D(2026, 11, 12))  # due 2026-12-10
    outsider = world.member(Role.CLERK, world.other_district, username="clerk_huian")
    theirs = case(outsider, world, D(2026, 11, 12), unit=world.other_district)
    page = client_for(clerk).get(reverse("applications:calendar"), {"queue": "all"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "期限日历 · 2026年12月" in html
    today_cell = cell(html, TODAY)
    assert today_cell.startswith("today") and today.tracking_number in today_cell
    assert 'class="due-case due-today"' in today_cell
    assert week.tracking_number in cell(html, D(2026, 12, 10))
    assert week.tracking_number not in today_cell
    # The overdue case is listed on top (its due day is in last month's grid).
    box = html.split('id="calendar-overdue"')[1].split("</div>")[0]
    assert overdue.tracking_number in box
    # Saturdays and Sundays are days off; another district's case is never shown.
    assert "day-off" in cell(html, D(2026, 12, 12)).split("|")[0]
    assert theirs.tracking_number not in html
    # Last month's grid has the overdue case on its due day, in red.
    html = (
        client_for(clerk)
        .get(reverse("applications:calendar"), {"queue": "all", "month": "2026-11"})
        .content.decode()
    )
    day = cell(html, D(2026, 11, 17))
    assert overdue.tracking_number in day and 'class="due-case overdue"' in day


def test_months_move_and_a_bad_month_is_explained(clerk: Any, world: World) -> None:
    later = case(clerk, world, D(2026, 12, 8))  # due 2027-01-06, provisional
    client = client_for(clerk)
    html = client.get(reverse("applications:calendar")).content.decode()
    assert 'href="?queue=mine&amp;month=2027-01" id="next-month"' in html
    assert 'href="?queue=mine&amp;month=2026-11" id="prev-month"' in html
    html = client.get(reverse("applications:calendar"), {"month": "2027-01"}).content.decode()
    assert later.tracking_number in cell(html, D(2027, 1, 6))
    assert "（暂定）" in cell(html, D(2027, 1, 6))
    bad = client.get(reverse("applications:calendar"), {"month": "2027-13"})
    assert bad.status_code == 400
    assert "月份“2027-13”无效" in bad.content.decode()


def test_the_calendar_follows_the_queue(clerk: Any, head: Any, world: World) -> None:
    mine = case(clerk, world, D(2026, 11, 12))
    heads = case(head, world, D(2026, 11, 13))
    html = client_for(clerk).get(reverse("applications:calendar")).content.decode()
    assert mine.tracking_number in html and heads.tracking_number not in html
    html = (
        client_for(clerk).get(reverse("applications:calendar"), {"queue": "all"}).content.decode()
    )
    assert heads.tracking_number in cell(html, D(2026, 12, 11))


def test_the_month_grid_counts_cases_without_a_due_date_apart(clerk: Any, world: World) -> None:
    case(clerk, world, D(2026, 11, 12))
    rows = application_list_open(user=clerk, today=TODAY)
    month = worklists.deadline_month(rows=rows, month=D(2026, 12, 20), today=TODAY)
    assert month.month == D(2026, 12, 1)
    assert (month.previous, month.next) == (D(2026, 11, 1), D(2027, 1, 1))
    assert month.weeks[0][0].day == D(2026, 11, 30)  # Monday-first weeks
    days = [c for week in month.weeks for c in week if c.rows]
    assert [c.day for c in days] == [D(2026, 12, 10)]
    assert month.undated == 0 and month.overdue == ()
