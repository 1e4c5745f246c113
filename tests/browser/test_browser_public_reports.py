"""The public report pages in headless Chromium (Debian's), against a live server, no login.

A visitor opens the index of published reports, picks the district office's 2021 report,
reads it, follows the roll-up and the disclosure guide, and downloads the Word file by its
link. Screenshots at 390 px (a phone) and at desktop width land in /tmp/gongkai-screens for
a human to look at. The data is the demo district (its 2021 reports and roll-up published).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gongkai import demo
from gongkai.agencies import pages
from gongkai.agencies.models import Unit
from gongkai.applications import services as s
from gongkai.reports.models import PublishedReport
from tests.browser.conftest import LIVE_SITE, shot

TODAY = dt.date(2025, 12, 19)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = LIVE_SITE


@pytest.fixture
def site(live_server: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> str:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.populate(today=TODAY)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return str(live_server.url)


def test_a_visitor_finds_reads_and_downloads_a_report(site: str, browser: Any) -> None:
    rollup = PublishedReport.objects.filter(is_rollup=True).select_related("unit").get()
    district = rollup.unit
    year = rollup.year
    own = PublishedReport.objects.get(unit=district, year=year, is_rollup=False)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = browser.new_page(viewport=viewport, locale="zh-CN", accept_downloads=True)
        page.goto(f"{site}/public/reports/")
        assert page.locator("#report-index tbody tr").count() == Unit.objects.count()
        shot(page, f"public-reports-index-{label}")

        page.click(f"#report-index a[href='/public/reports/{district.pk}/{year}/']")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == f"{district.name}{year}年政府信息公开工作年度报告"
        assert page.locator("table.report-table").count() >= 3
        assert "第 1 版" in page.locator("#publication").inner_text()
        shot(page, f"public-report-{label}")

        with page.expect_download() as info:
            page.click("#downloads a:has-text('Word')")
        download = info.value
        assert download.suggested_filename == (
            f"{district.name}{year}年政府信息公开工作年度报告（第{own.version}版）.docx"
        )
        assert Path(download.path()).read_bytes()[:2] == b"PK"

        page.goto(f"{site}/public/reports/{district.pk}/{year}/rollup/")
        units = page.locator("#rollup-units li").count()
        assert units == Unit.objects.filter(path__startswith=district.path).count()
        shot(page, f"public-rollup-{label}")

        page.goto(f"{site}/public/guide/{district.pk}/")
        assert page.locator("#deadlines li").count() >= 3
        shot(page, f"public-guide-{label}")
        # Nothing on the page is wider than the screen but the scrolling tables.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1
        page.close()
