"""In headless Chromium, on 2027-01-15 before anyone entered 2027: the clerk sees 暂定 deadlines,
the administrator is told to enter the year and does, and the marks are gone.

The demo district is built on that day (every source of "today" moved by ``today_is``); its
open cases are due in 2027. Screenshots land in /tmp/gongkai-screens.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import LIVE_SITE, DemoSite, Login, shot
from tests.calendars.test_calendar_store import NOTICE_2027

TODAY = dt.date(2027, 1, 15)

pytestmark = LIVE_SITE


@pytest.fixture
def site(demo_site: DemoSite, calendar_store: None) -> str:
    return demo_site(TODAY)


def test_provisional_deadlines_until_the_year_is_entered(
    site: str,
    login: Login,
) -> None:
    clerk = login("jingban")
    notice = clerk.locator("#provisional-notice")
    assert "期限为暂定" in notice.inner_text() and "2027" in notice.inner_text()
    badges = clerk.locator("table.list .badge.provisional")
    assert badges.count() >= 1
    shot(clerk, "provisional-my-cases")

    clerk.click("text=只看暂定期限的案件")
    clerk.wait_for_load_state()
    rows = clerk.locator("table.list tbody tr")
    assert rows.count() == badges.count()
    rows.first.locator("a").first.click()
    clerk.wait_for_load_state()
    assert clerk.locator("#provisional-notice").count() == 1
    assert clerk.locator("dl.clock .badge.provisional").count() >= 1
    case_url = clerk.url
    shot(clerk, "provisional-case")

    admin = login("guanli")
    warning = admin.locator(".calendar-warning")
    assert "2027 年的放假安排尚未录入" in warning.inner_text()
    warning.locator("a").click()
    admin.wait_for_load_state()
    admin.click("text=录入年度放假安排")
    admin.wait_for_load_state()
    admin.fill("#id_year", "2027")
    admin.fill("#id_source", "国办发明电〔2026〕7号")
    admin.fill("#id_text", NOTICE_2027)
    admin.click("main button[type=submit]")
    admin.wait_for_load_state()
    assert "/calendar/2027/" in admin.url

    clerk.goto(case_url)
    assert clerk.locator(".badge.provisional").count() == 0
    clerk.goto(f"{site}/cases/")
    assert clerk.locator(".badge.provisional").count() == 0
    assert clerk.locator("#provisional-notice").count() == 0
    shot(clerk, "provisional-entered-my-cases")
