"""Deadlines past the package's calendar: marked 暂定 wherever shown, recomputed when entered.

``chinesecalendar`` knows up to 2026; 2027 and later are provisional until an administrator
enters the 国务院办公厅 notice (LEGAL.md §5.4). Every test moves every source of "today" at
once with the ``today_is`` fixture: late 2026 (deadlines run into 2027), 2027 and 2028.

Provisional 2027 from the holiday law: 元旦 01-01 off; 春节 除夕 02-05 and 初一–初三 02-06..08,
the weekend two given back on 02-09 and 02-10 (no 调休).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies.models import Role
from gongkai.applications import selectors, worklists
from gongkai.applications.clock import deployment_calendar
from gongkai.applications.models import Application
from gongkai.applications.worklists import Step
from gongkai.core.calendar import national_calendar
from gongkai.web import runner
from tests.calendars.test_calendar_store import NOTICE_2027

from . import conftest
from .conftest import TodayIs, World
from .test_views_queries import PINNED

D = dt.date
BADGE = 'class="badge provisional"'


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case(clerk: Any, world: World, received: dt.date, **overrides: Any) -> Application:
    number = f"35050519900101{Application.objects.count():04d}"
    return conftest.register(
        clerk, world.district, submitted_on=received, id_document_number=number, **overrides
    )


def post_step(client: Client, app: Application, step: str, on: dt.date, **fields: Any) -> Any:
    version = Application.objects.get(pk=app.pk).version
    data = {f"{step}-version": version, f"{step}-on": on.isoformat()}
    data.update({f"{step}-{k}": v for k, v in fields.items()})
    return client.post(reverse("applications:step", args=[app.pk, step]), data)


def enter_2027() -> None:
    from gongkai.calendars import services

    services.calendar_year_import(
        year=2027, text=NOTICE_2027, source="国办发明电〔2026〕7号", acting_name="测试"
    )


def text(response: Any) -> str:
    assert response.status_code == 200
    content: bytes = response.content
    return content.decode()


# ---------------------------------------------------------------------------------------------
# December 2026: a deadline that runs into 2027 is provisional
# ---------------------------------------------------------------------------------------------


def test_a_deadline_into_2027_is_marked_everywhere_it_is_shown(
    world: World, clerk: Any, today_is: TodayIs
) -> None:
    today_is(D(2026, 12, 10))
    crossing = case(clerk, world, D(2026, 12, 10))  # 15 working days in December, then 01-04..08
    inside = case(clerk, world, D(2026, 11, 2))  # due 2026-11-30: the package's days only
    assert (crossing.due_date, inside.due_date) == (D(2027, 1, 8), D(2026, 11, 30))

    rows = {r.application.pk: r for r in selectors.application_list_open(user=clerk)}
    assert rows[crossing.pk].provisional.due and rows[crossing.pk].provisional.years == (2027,)
    assert not rows[crossing.pk].provisional.correction_notice_due  # 2026-12-21
    assert not rows[inside.pk].provisional

    client = client_for(clerk)
    page = text(client.get(reverse("applications:case", args=[crossing.pk])))
    assert f"<dt>答复期限</dt><dd>2027-01-08 <span {BADGE}" in page
    assert "跨入 2027 年" in page and 'href="/calendar/"' in page
    assert "2026-12-21 <span" not in page  # the 补正 notice period ends in 2026
    assert BADGE not in text(client.get(reverse("applications:case", args=[inside.pk])))

    mine = text(client.get(reverse("applications:my_cases")))
    assert "1 件未办结案件的期限为暂定" in mine and "跨入 2027 年" in mine
    assert f"2027-01-08 <span {BADGE}" in mine and "2026-11-30 <span" not in mine
    only = text(client.get(reverse("applications:my_cases"), {"provisional": "1"}))
    assert crossing.tracking_number in only and inside.tracking_number not in only

    search = text(client.get(reverse("applications:search")))
    assert f"2027-01-08 <span {BADGE}" in search and "2026-11-30 <span" not in search
    found = text(client.get(reverse("applications:search"), {"provisional": "on"}))
    assert crossing.tracking_number in found and inside.tracking_number not in found
    assert "共 1 件" in found

    board = text(client.get(reverse("applications:dashboard", args=[world.district.pk])))
    assert "期限暂定" in board and "?provisional=1" in board
    overview = worklists.unit_overview(user=world.member(Role.SUPERVISOR), today=D(2026, 12, 10))
    assert overview.totals.provisional == 1


def test_the_excel_exports_say_which_due_dates_are_provisional(
    world: World, clerk: Any, today_is: TodayIs
) -> None:
    today_is(D(2026, 12, 10))
    crossing = case(clerk, world, D(2026, 12, 10))
    case(clerk, world, D(2026, 11, 2))
    client = client_for(clerk)
    for name in ("my_cases", "search"):
        export = client.get(reverse(f"applications:{name}"), {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(export.content)).active
        header = [c.value for c in sheet[1]]
        due, mark = header.index("答复期限"), header.index("期限暂定")
        marks = {
            row[0].value: (row[due].value.date(), row[mark].value)
            for row in sheet.iter_rows(min_row=2)
        }
        assert marks[crossing.tracking_number] == (D(2027, 1, 8), "暂定"), name
        assert sorted(v or "" for _, v in marks.values()) == ["", "暂定"], name


def test_the_registration_message_says_the_due_date_is_provisional(
    world: World, clerk: Any, today_is: TodayIs
) -> None:
    today_is(D(2026, 12, 10))
    fields = {
        **conftest.APPLICATION_FIELDS,
        "submitted_on": "2026-12-10",
        "requested_form": "paper",
    }
    response = client_for(clerk).post(
        reverse("applications:register"),
        {**fields, "unit": world.district.pk, "delivery": "post"},
        follow=True,
    )
    assert "答复期限 2027-01-08（暂定：该年度放假安排尚未录入）" in text(response)


def test_in_december_an_extension_into_2027_is_offered_and_accepted(
    world: World, clerk: Any, head: Any, today_is: TodayIs
) -> None:
    today_is(D(2026, 11, 16))
    app = case(clerk, world, D(2026, 11, 16))  # due 2026-12-14: the package's days only
    today_is(D(2026, 12, 10))
    assert Step.EXTENSION in worklists.application_case(user=clerk, application_id=app.pk).steps
    clerk_client = client_for(clerk)
    on = D(2026, 12, 10)
    response = post_step(clerk_client, app, "extension", on, working_days=20, reason="调档")
    assert response.status_code == 302
    assert post_step(client_for(head), app, "extension_approve", on).status_code == 302
    # 12-15..31 (13), 2027-01-01 off, 01-04..12 (20).
    page = text(clerk_client.get(reverse("applications:case", args=[app.pk])))
    assert f"<strong>2027-01-12</strong> <span {BADGE}" in page
    assert "<dt>答复期限</dt><dd>2026-12-14</dd>" in page  # the original period is certain


def test_each_period_is_marked_on_its_own() -> None:
    from gongkai.applications.clock import provisional_deadlines
    from gongkai.core import clock as core

    def marks(received: dt.date, *events: Any, on: dt.date) -> Any:
        history = [core.Received(on=received, channel="in_person"), *events]
        state = core.case_clock(history, on=on, calendar=national_calendar())
        return state, provisional_deadlines(state)

    # A third party's 15 working days from 12-21 run into January; the reply period is paused.
    third_party = core.ConsultationParty.THIRD_PARTY
    state, m = marks(
        D(2026, 12, 1),
        core.ConsultationSent(on=D(2026, 12, 21), party=third_party),
        on=D(2026, 12, 21),
    )
    assert [(w.answer_due, p) for w, p in m.consultations] == [(D(2027, 1, 12), True)]
    assert m.pending and not m.correction_notice_due and m.years == (2027,)
    # The fee's 20 working days from 12-14 end on 2027-01-12; the applicant has not paid.
    fee = core.FeeNoticeSent(on=D(2026, 12, 14))
    state, m = marks(D(2026, 12, 1), fee, on=D(2026, 12, 14))
    assert (state.fee_payment_due, m.fee_payment_due, m.pending) == (D(2027, 1, 12), True, True)
    state, m = marks(D(2026, 10, 12), core.FeeNoticeSent(on=D(2026, 10, 13)), on=D(2026, 10, 13))
    assert not m and not m.pending and m.years == ()
    # Replied on time in 2026: nothing is provisional any more, whatever today is.
    replied = (core.Decided(on=D(2026, 11, 20)), core.ReplySent(on=D(2026, 11, 20)))
    state, m = marks(D(2026, 11, 2), *replied, on=D(2027, 1, 15))
    assert not m and not m.pending


# ---------------------------------------------------------------------------------------------
# Entering 2027 recomputes the open cases and drops the marks
# ---------------------------------------------------------------------------------------------


def test_entering_2027_moves_the_open_cases_and_drops_the_marks(
    world: World, clerk: Any, today_is: TodayIs, calendar_store: None
) -> None:
    today_is(D(2027, 2, 9))
    # Provisional: 02-09 and 02-10 off (补假) → 03-10. Entered: 春节 to 02-12, Sat 02-20 worked.
    app = case(clerk, world, D(2027, 2, 9))
    closed = case(clerk, world, D(2027, 1, 4))
    conftest.application_services.application_withdraw(
        acting_user=clerk, application_id=closed.pk, expected_version=1, on=D(2027, 1, 5)
    )
    assert app.due_date == D(2027, 3, 10)
    client = client_for(clerk)
    url = reverse("applications:case", args=[app.pk])
    assert f"2027-03-10 <span {BADGE}" in text(client.get(url))

    enter_2027()

    app.refresh_from_db()
    assert (app.due_date, app.version) == (D(2027, 3, 11), 1)  # the history did not change
    page = text(client.get(url))
    assert "<dd>2027-03-11</dd>" in page and BADGE not in page
    mine = text(client.get(reverse("applications:my_cases")))
    assert "2027-03-11" in mine and BADGE not in mine and "期限为暂定" not in mine
    search = text(client.get(reverse("applications:search")))
    assert "2027-03-11" in search and BADGE not in search
    found = text(client.get(reverse("applications:search"), {"provisional": "on"}))
    assert "共 0 件" in found


# ---------------------------------------------------------------------------------------------
# Today in 2027 and in 2028
# ---------------------------------------------------------------------------------------------


def test_in_2027_deadlines_overdue_flags_and_steps_are_right(
    world: World, clerk: Any, head: Any, today_is: TodayIs
) -> None:
    today_is(D(2026, 12, 10))
    late = case(clerk, world, D(2026, 12, 10))  # due 2027-01-08
    today_is(D(2026, 12, 28))
    running = case(clerk, world, D(2026, 12, 28))  # 12-29..31, 01-04..26 (01-01 off)
    today_is(D(2027, 1, 15))
    waiting = case(clerk, world, D(2027, 1, 8))
    conftest.application_services.application_request_correction(
        acting_user=clerk,
        application_id=waiting.pk,
        expected_version=1,
        items="请写明年度",
        supplement_deadline=D(2027, 1, 29),
        on=D(2027, 1, 11),
    )

    rows = {r.application.pk: r for r in selectors.application_list_open(user=clerk)}
    assert (rows[late.pk].due, rows[late.pk].days_left, rows[late.pk].overdue) == (
        D(2027, 1, 8),
        -5,
        True,
    )
    assert rows[late.pk].provisional.days_left
    assert (rows[running.pk].due, rows[running.pk].days_left) == (D(2027, 1, 26), 7)
    assert not rows[running.pk].overdue and rows[running.pk].provisional.due
    # The 补正 notice period (to 01-19) was counted provisionally, but the notice is sent and
    # the clock waits for the applicant: no provisional deadline is still to be met.
    marks = rows[waiting.pk].provisional
    assert marks.correction_notice_due and not marks.due and not marks.pending
    assert rows[running.pk].provisional.pending and rows[late.pk].provisional.pending

    view = worklists.application_case(user=clerk, application_id=running.pk)
    assert {Step.EXTENSION, Step.CORRECTION, Step.DECIDE, Step.CONSULT} <= view.steps
    assert view.today == D(2027, 1, 15)  # the worklists' default today moved too

    clerk_client, head_client = client_for(clerk), client_for(head)
    url = reverse("applications:case", args=[running.pk])
    assert 'id="step-extension"' in text(clerk_client.get(url))
    on = D(2027, 1, 15)
    response = post_step(clerk_client, running, "extension", on, working_days=20, reason="调档")
    assert response.status_code == 302
    assert post_step(head_client, running, "extension_approve", on).status_code == 302
    # 20 more: 01-27..29, 02-01..04, (02-05 and 02-08..10 off) 02-11..03-01.
    page = text(clerk_client.get(url))
    assert f"<strong>2027-03-01</strong> <span {BADGE}" in page
    assert f"<dt>答复期限</dt><dd>2027-01-26 <span {BADGE}" in page
    running.refresh_from_db()
    assert running.due_date == D(2027, 3, 1)

    mine = text(clerk_client.get(reverse("applications:my_cases")))
    assert "已超期 5 个工作日（暂定）" in mine
    assert "2 件未办结案件的期限为暂定" in mine


def test_in_2028_with_nothing_entered(world: World, clerk: Any, today_is: TodayIs) -> None:
    today_is(D(2028, 1, 10))
    old = case(clerk, world, D(2028, 1, 10))
    today_is(D(2028, 2, 28))
    new = case(clerk, world, D(2028, 2, 28))
    today_is(D(2028, 3, 1))
    cal = deployment_calendar()
    assert {2027, 2028} <= cal.provisional_years

    rows = {r.application.pk: r for r in selectors.application_list_open(user=clerk)}
    assert rows[old.pk].overdue and rows[old.pk].due == cal.add_working_days(D(2028, 1, 10), 20)
    assert not rows[new.pk].overdue
    assert rows[new.pk].days_left == cal.working_days_between(D(2028, 3, 1), rows[new.pk].due)
    assert rows[old.pk].provisional.years == (2028,)
    view = worklists.application_case(user=clerk, application_id=new.pk)
    assert {Step.EXTENSION, Step.CORRECTION, Step.DECIDE} <= view.steps

    client = client_for(clerk)
    page = text(client.get(reverse("applications:case", args=[new.pk])))
    assert BADGE in page and "跨入 2028 年" in page
    assert "已超期" in text(client.get(reverse("applications:my_cases")))


# ---------------------------------------------------------------------------------------------
# Warnings and navigation
# ---------------------------------------------------------------------------------------------

MISSING_2027 = "2027 年的放假安排尚未录入"


def test_administrators_are_warned_from_1_october(
    world: World, clerk: Any, today_is: TodayIs, calendar_store: None
) -> None:
    admin = client_for(world.member(Role.ADMIN))
    overview = reverse("applications:overview")
    dashboard = reverse("applications:dashboard", args=[world.district.pk])

    today_is(D(2026, 9, 30))
    assert MISSING_2027 not in text(admin.get(overview))

    today_is(D(2026, 10, 1))
    home = admin.get(reverse("web:home"), follow=True)
    assert MISSING_2027 in text(home) and 'href="/calendar/"' in text(home)
    assert MISSING_2027 in text(admin.get(dashboard))
    # Clerks and supervisors cannot enter a year: they are not told to.
    assert MISSING_2027 not in text(client_for(clerk).get(reverse("applications:my_cases")))
    supervisor = client_for(world.member(Role.SUPERVISOR))
    assert MISSING_2027 not in text(supervisor.get(overview))

    enter_2027()
    assert MISSING_2027 not in text(admin.get(overview))


def test_every_member_has_the_calendar_in_the_menu(world: World, clerk: Any) -> None:
    page = text(client_for(clerk).get(reverse("applications:my_cases")))
    assert '<a href="/calendar/">工作日历</a>' in page


# ---------------------------------------------------------------------------------------------
# The marks cost no query
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(PINNED))
def test_pages_with_provisional_deadlines_make_the_pinned_queries(
    world: World, clerk: Any, today_is: TodayIs, page: str
) -> None:
    today_is(D(2027, 1, 15))
    user = world.member(Role.SUPERVISOR) if page == "overview" else clerk
    client = client_for(user)

    def grow(n: int) -> None:
        for i in range(n):
            case(clerk, world, D(2026, 12, 21) + dt.timedelta(days=i % 20))

    grow(4)
    first = Application.objects.order_by("pk").first()
    assert first is not None
    url = {
        "my_cases": reverse("applications:my_cases"),
        "dashboard": reverse("applications:dashboard", args=[world.district.pk]),
        "overview": reverse("applications:overview"),
        "search": reverse("applications:search"),
        "case": reverse("applications:case", args=[first.pk]),
    }[page]
    counts = []
    for more in (0, 8):
        grow(more)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200 and BADGE in response.content.decode()
        counts.append(len(captured))
    assert counts == [PINNED[page], PINNED[page]]


# ---------------------------------------------------------------------------------------------
# The demo in 2027
# ---------------------------------------------------------------------------------------------


def test_the_demo_builds_in_2027_on_the_provisional_calendar(
    db: None, today_is: TodayIs, monkeypatch: pytest.MonkeyPatch, tmp_path: Any, settings: Any
) -> None:
    from django.core import management

    from gongkai.demo import SEED_RESULTS

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today_is(D(2027, 1, 15))
    # The test database is already set up and migrated: build into it.
    monkeypatch.setattr(runner, "setup_django", lambda **_: None)
    monkeypatch.setattr(management, "call_command", lambda *_, **__: None)

    summary = runner.build_demo_database(tmp_path / "demo.sqlite3")

    assert (summary.today, summary.applications, summary.open) == (D(2027, 1, 15), 67, 6)
    assert summary.since == D(2026, 1, 15)  # two weeks into a year: the last twelve months
    assert dict(summary.results) == dict(SEED_RESULTS)
    open_cases = Application.objects.filter(closed_on__isnull=True)
    assert all(national_calendar().is_provisional(a.due_date) for a in open_cases if a.due_date)


def test_the_demo_refuses_a_year_beyond_every_calendar(
    today_is: TodayIs, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.core.errors import GongkaiError

    today_is(D(2100, 1, 4))
    monkeypatch.setattr(runner, "setup_django", lambda **_: pytest.fail("must refuse first"))
    with pytest.raises(GongkaiError, match="无法为 2100 年生成演示数据"):
        runner.build_demo_database(tmp_path / "demo.sqlite3")


def test_the_adapters_check_is_the_calendars_own() -> None:
    from gongkai.applications.clock import counts_provisional_day

    cal = national_calendar()
    years = cal.provisional_years
    days = [D(2026, 12, 30) + dt.timedelta(days=n) for n in range(0, 800, 7)]
    days += [D(2026, 12, 31), D(2027, 1, 1), D(2027, 12, 31), D(2028, 1, 1), D(2025, 5, 5)]
    for a in days:
        for b in days:
            assert counts_provisional_day(years, a, b) == cal.provisional_between(a, b), (a, b)
