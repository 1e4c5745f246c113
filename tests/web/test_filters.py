"""The deadline filters of 我的案件: 已超期, 本周到期, 等待申请人, 暂定期限.

Today is pinned to Wednesday 2026-12-09: a case received 2026-10-20 fell due 2026-11-17
(overdue), one received 2026-11-12 is due Thursday 2026-12-10 (this week), one received
2026-11-25 is due 2026-12-23 (neither), and one received 2026-12-08 is due 2027-01-06, counted
over 2027, whose holiday notice is not entered (暂定). Every filter reads the live clock.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications import services as s
from gongkai.applications import worklists
from gongkai.applications.models import Application
from gongkai.applications.selectors import application_list_open
from gongkai.applications.worklists import DueFilter

from . import conftest
from .conftest import TodayIs, World

D = dt.date
TODAY = D(2026, 12, 9)


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(TODAY)


def case(clerk: Any, world: World, received: dt.date) -> Application:
    number = f"35050519900101{Application.objects.count():04d}"
    return conftest.register(
        clerk, world.district, submitted_on=received, id_document_number=number
    )


@pytest.fixture
def cases(clerk: Any, world: World) -> dict[str, Application]:
    made = {
        "overdue": case(clerk, world, D(2026, 10, 20)),
        "week": case(clerk, world, D(2026, 11, 12)),
        "later": case(clerk, world, D(2026, 11, 25)),
        "provisional": case(clerk, world, D(2026, 12, 8)),
        "waiting": case(clerk, world, D(2026, 12, 1)),
    }
    assert [made[k].due_date for k in ("overdue", "week", "later", "provisional")] == [
        D(2026, 11, 17),
        D(2026, 12, 10),
        D(2026, 12, 23),
        D(2027, 1, 6),
    ]
    waiting = made["waiting"]
    made["waiting"] = s.application_request_correction(
        acting_user=clerk,
        application_id=waiting.pk,
        expected_version=waiting.version,
        items="请写明所需信息的文号",
        supplement_deadline=D(2026, 12, 20),
        on=D(2026, 12, 3),
    )
    return made


def numbers(rows: list[Any]) -> set[str]:
    return {row.application.tracking_number for row in rows}


def names(made: dict[str, Application], *keys: str) -> set[str]:
    return {made[k].tracking_number for k in keys}


def test_each_filter_keeps_exactly_its_cases(clerk: Any, cases: dict[str, Application]) -> None:
    rows = application_list_open(user=clerk, today=TODAY)
    expected = {
        DueFilter.OVERDUE: ("overdue",),
        DueFilter.THIS_WEEK: ("week",),
        DueFilter.WAITING: ("waiting",),
        DueFilter.PROVISIONAL: ("provisional",),
    }
    for due, keys in expected.items():
        assert numbers(worklists.rows_due(rows, due, today=TODAY)) == names(cases, *keys), due
    assert len(worklists.rows_due(rows, None, today=TODAY)) == 5
    assert worklists.due_counts(rows, today=TODAY) == {
        "overdue": 1,
        "week": 1,
        "waiting": 1,
        "provisional": 1,
    }


def test_an_unpaid_fee_waits_for_the_applicant_a_consultation_does_not(
    clerk: Any, world: World
) -> None:
    fee = case(clerk, world, D(2026, 12, 1))
    fee = s.application_send_fee_notice(
        acting_user=clerk,
        application_id=fee.pk,
        expected_version=fee.version,
        method="per_page",
        pages=150,
        delivered_on=D(2026, 12, 4),
        on=D(2026, 12, 4),
    )
    consulted = case(clerk, world, D(2026, 12, 2))
    s.application_start_consultation(
        acting_user=clerk,
        application_id=consulted.pk,
        expected_version=consulted.version,
        consultation="third_party",
        party="某某有限公司",
        on=D(2026, 12, 4),
    )
    rows = application_list_open(user=clerk, today=TODAY)
    assert numbers(worklists.rows_due(rows, DueFilter.WAITING, today=TODAY)) == {
        fee.tracking_number
    }


def test_this_week_ends_on_the_last_working_day_of_the_week() -> None:
    # Before the National Day holiday: Thursday 10-01 onwards is off, so Wednesday ends it.
    assert worklists.week_end(D(2026, 9, 28)) == D(2026, 9, 30)
    # The week after: Saturday 10-10 is a 调休 working day and belongs to this week.
    assert worklists.week_end(D(2026, 10, 8)) == D(2026, 10, 10)
    # An ordinary week ends on Friday; Friday itself is its own week's end.
    assert worklists.week_end(TODAY) == D(2026, 12, 11)
    assert worklists.week_end(D(2026, 12, 11)) == D(2026, 12, 11)


def test_a_case_due_today_is_due_this_week_not_overdue(clerk: Any, world: World) -> None:
    app = case(clerk, world, D(2026, 11, 11))
    assert app.due_date == TODAY
    rows = application_list_open(user=clerk, today=TODAY)
    assert numbers(worklists.rows_due(rows, DueFilter.THIS_WEEK, today=TODAY)) == {
        app.tracking_number
    }
    assert worklists.rows_due(rows, DueFilter.OVERDUE, today=TODAY) == []


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_filters_by_the_due_parameter(clerk: Any, cases: dict[str, Application]) -> None:
    client = client_for(clerk)
    url = reverse("applications:my_cases")
    for due, key in (("overdue", "overdue"), ("week", "week"), ("waiting", "waiting")):
        page = client.get(url, {"queue": "all", "due": due}).content.decode()
        shown = {a.tracking_number for a in cases.values() if a.tracking_number in page}
        assert shown == {cases[key].tracking_number}, due
    # The older spelling of the provisional filter still works.
    page = client.get(url, {"queue": "all", "provisional": "1"}).content.decode()
    shown = {a.tracking_number for a in cases.values() if a.tracking_number in page}
    assert shown == {cases["provisional"].tracking_number}
    # An unknown filter shows everything, with the counts on the tabs.
    page = client.get(url, {"queue": "all", "due": "nonsense"}).content.decode()
    assert all(a.tracking_number in page for a in cases.values())
    assert 'id="due-overdue">已超期 1</a>' in page and "未办结 5 件" in page
    page = client.get(url, {"queue": "all", "due": "week"}).content.decode()
    assert "筛选出 1 件" in page and '<strong aria-current="page">本周到期 1</strong>' in page


def test_the_export_follows_the_filter(clerk: Any, cases: dict[str, Application]) -> None:
    response = client_for(clerk).get(
        reverse("applications:my_cases"), {"queue": "all", "due": "overdue", "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers_ = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers_ == [cases["overdue"].tracking_number]
