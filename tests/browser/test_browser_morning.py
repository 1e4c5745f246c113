"""A clerk's morning in headless Chromium: log in, read the reminders, find the case due today
through 本周到期 and the deadline calendar, open its printable file, and check that printing
hides the toolbar and keeps the letter and its 送达回证.

The demo district on Wednesday 2026-12-09, plus one case of 王经办 (jingban) whose extended
reply deadline is today, with its 延期答复告知书 sent. Screenshots: /tmp/gongkai-screens/morning-*.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from gongkai.applications import services as s
from gongkai.applications.clock import deployment_calendar
from gongkai.applications.models import Application
from gongkai.letters import services as letters
from gongkai.reminders.services import send_reminders
from tests.browser.conftest import LIVE_SITE, DemoSite, Login, shot
from tests.web import conftest

TODAY = dt.date(2026, 12, 9)
PERIOD = 20  # working days of a reply, and of its extension

pytestmark = LIVE_SITE


def received_for(due: dt.date) -> dt.date:
    """The working day an application must arrive on for its extended deadline to be ``due``."""
    calendar = deployment_calendar()
    day = due
    while calendar.add_working_days(day, 2 * PERIOD) > due or not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def due_today_case() -> Application:
    users = get_user_model().objects
    clerk = users.get(username="jingban")
    head = users.get(username="fuzeren")
    unit = clerk.membership.unit
    received = received_for(TODAY)
    app = conftest.register(
        clerk,
        unit,
        applicant_name="王晨曦",
        id_document_number="350505199203035678",
        submitted_on=received,
        address="泉港区山腰街道盐场路8号",
        postcode="362804",
    )
    asked = received + dt.timedelta(days=21)
    app = s.application_request_extension(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        working_days=PERIOD,
        reason="需要调取档案并逐页审查",
        on=asked,
    )
    app = s.application_approve_extension(
        acting_user=head, application_id=app.pk, expected_version=app.version, on=asked
    )
    letters.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        kind="extension",
        on=asked,
    )
    app = Application.objects.get(pk=app.pk)
    assert app.due_date == TODAY, (received, app.due_date)
    return app


@pytest.fixture
def site(demo_site: DemoSite, settings: Any) -> str:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return demo_site(TODAY)


def test_a_clerks_morning(site: str, login: Login) -> None:
    app = due_today_case()
    send_reminders(today=TODAY)
    number = app.tracking_number

    # Log in: the menu shows unread reminders; the list of them names the case due today.
    page = login("jingban")
    assert int(page.locator("#unread-count").inner_text()) >= 1
    page.click("#nav-notifications")
    page.wait_for_load_state()
    assert number in page.locator("#notifications").inner_text()
    shot(page, "morning-notifications")

    # 我的案件 → 本周到期: the case is there.
    page.click("text=我的案件")
    page.wait_for_load_state()
    page.click("#due-week")
    page.wait_for_load_state()
    assert number in page.locator("table.list").inner_text()
    assert "本周到期" in page.locator("#due-filters strong").inner_text()
    shot(page, "morning-due-this-week")

    # The calendar: today's cell holds the case, marked due today; open it from there.
    page.click("#calendar-link")
    page.wait_for_load_state()
    today_cell = page.locator(f'td[data-date="{TODAY.isoformat()}"]')
    assert "today" in (today_cell.get_attribute("class") or "")
    link = today_cell.locator("a.due-case", has_text=number)
    assert "due-today" in (link.get_attribute("class") or "")
    shot(page, "morning-calendar")
    link.click()
    page.wait_for_load_state()
    assert number in page.locator("h1").inner_text()

    # Its printable file: the letter in full and its 送达回证; printing hides the toolbar.
    page.click("#print-link")
    page.wait_for_load_state()
    assert page.locator("#print-toolbar").is_visible()
    assert page.locator(".letter-text").count() == 1
    assert "延期答复告知书" in page.locator(".letter-text").inner_text()
    proof = page.locator("section.proof")
    assert "王晨曦" in proof.inner_text() and "盐场路8号" in proof.inner_text()
    assert "350505199203035678" not in page.content()
    shot(page, "morning-print-screen")
    page.emulate_media(media="print")
    assert not page.locator("#print-toolbar").is_visible()
    assert page.locator("section.proof").is_visible()
    shot(page, "morning-print-media")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
