"""In headless Chromium: the clerk writes the report's prose beside its tables, types a number
that contradicts table 三, sees the finding appear next to the section as they type, replaces
the number by its placeholder (clicking the table's cell), saves, and the finding is gone.

The data is the demo district with "today" pinned to Friday 2025-12-19, and the draft of
its 2025 report. Screenshots land in /tmp/gongkai-screens.
"""

from __future__ import annotations

import pytest

from gongkai.agencies.models import Membership
from gongkai.core.formats import COL_TOTAL, SECTIONS, T3, T3_NEW
from gongkai.reports.builder import build_report
from gongkai.reports.models import NarrativeDraft
from tests.browser.conftest import LIVE_SITE, Login, shot
from tests.browser.test_browser import TODAY, site  # noqa: F401 (fixture)

pytestmark = LIVE_SITE

# The demo's cases are this year's: the draft of the report the office is writing.
YEAR = TODAY.year
OVERVIEW = SECTIONS[0].code


def test_the_clerk_fixes_a_wrong_number_the_live_check_shows(
    site: str,  # noqa: F811
    login: Login,
) -> None:
    unit = Membership.objects.select_related("unit").get(user__username="jingban").unit
    new = build_report(unit=unit, year=YEAR).cell(T3, T3_NEW, COL_TOTAL)
    assert new  # the demo received applications this year
    wrong = new + 7

    page = login("jingban")
    page.goto(f"{site}/reports/{unit.pk}/{YEAR}/")
    section = page.locator(f"#section-{OVERVIEW}")
    box = section.locator("textarea")
    findings = section.locator(".prose-findings li.error")
    # The tables stand beside the prose; a cell tells which placeholder writes its number.
    assert page.locator(".report-tables td[data-placeholder='{三.本年新收.总计}']").count() == 1

    box.fill("")
    box.press_sequentially(f"本年度共新收政府信息公开申请{wrong}件。", delay=20)
    findings.first.wait_for(state="visible", timeout=15_000)
    assert findings.count() == 1
    text = findings.first.inner_text()
    assert f"本年度共新收政府信息公开申请{wrong}件。" in text  # the sentence, quoted
    assert f"为 {new} 件" in text  # and what the table says
    assert "has-errors" in (section.get_attribute("class") or "")
    shot(page, "report-editor-finding")

    # The fix: the number replaced by its placeholder, inserted by clicking the table's cell.
    box.fill("本年度共新收政府信息公开申请")
    page.locator(".report-tables td[data-placeholder='{三.本年新收.总计}']").click()
    box.press_sequentially("件。", delay=20)
    assert box.input_value() == "本年度共新收政府信息公开申请{三.本年新收.总计}件。"
    # The check of the whole sentence (a check of a half-typed one may come back first).
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(section.locator(".resolved")).to_contain_text(
        f"本年度共新收政府信息公开申请{new}件。", timeout=15_000
    )
    assert findings.count() == 0

    section.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已保存“一、总体情况”的正文" in page.locator(".messages .success").inner_text()
    section = page.locator(f"#section-{OVERVIEW}")
    saved = "本年度共新收政府信息公开申请{三.本年新收.总计}件。"
    assert section.locator("textarea").input_value() == saved
    assert section.locator(".prose-findings li").count() == 0
    assert "has-errors" not in (section.get_attribute("class") or "")
    assert NarrativeDraft.objects.get(unit=unit, year=YEAR, section=OVERVIEW).text == saved
    shot(page, "report-editor-saved")
