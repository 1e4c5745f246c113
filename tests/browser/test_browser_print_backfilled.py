"""A day's letters printed in headless Chromium when one was sent on paper and entered later
(补录编号): on screen the list marks it 【补录】 and says why its 文号 is out of order; printed, the
toolbar and the list go and the letter's page and its 送达回证 keep the mark.

The demo district on Wednesday 2026-12-09; 王经办 (jingban) enters a 补正告知书 sent on paper on
Wednesday 2026-12-02. Screenshots: /tmp/gongkai-screens/print-backfilled-*.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.letters.models import SentLetter
from tests.browser.conftest import LIVE_SITE, DemoSite, Login, shot
from tests.web import conftest

TODAY = dt.date(2026, 12, 9)
SENT_ON = dt.date(2026, 12, 2)

pytestmark = LIVE_SITE


@pytest.fixture
def site(demo_site: DemoSite) -> str:
    return demo_site(TODAY)


def entered_paper_letter() -> SentLetter:
    clerk = get_user_model().objects.get(username="jingban")
    letter = conftest.correction_letter(
        clerk,
        clerk.membership.unit,
        SENT_ON,
        applicant_name="林补录",
        id_document_number="350505199204045678",
        submitted_on=SENT_ON - dt.timedelta(days=2),
    )
    assert letter.backfilled
    return letter


def test_a_days_letters_mark_the_one_entered_later(site: str, login: Login) -> None:
    letter = entered_paper_letter()
    page = login("jingban")
    query = f"unit={letter.application.unit_id}&day={SENT_ON.isoformat()}"
    page.goto(f"{site}{reverse('letters:print_day')}?{query}")
    page.wait_for_load_state()

    # On screen: the list ends with the entered letter, marked, and the page says why.
    note = page.locator("#print-backfilled-note")
    assert note.is_visible() and "文号按录入时的顺序取得" in note.inner_text()
    last = page.locator("#print-list > li").last
    assert letter.reference in last.inner_text() and "【补录】" in last.inner_text()
    assert page.locator("#print-list strong.backfilled").count() == 1
    shot(page, "print-backfilled-day-screen")

    # Printed: no toolbar or list; the letter's page and its proof keep the mark.
    page.emulate_media(media="print")
    assert not page.locator("#print-toolbar").is_visible()
    assert not page.locator("#print-list").is_visible()
    assert page.locator(f"#backfilled-{letter.pk}").is_visible()
    assert page.locator(f"#proof-backfilled-{letter.pk}").is_visible()
    shot(page, "print-backfilled-day-print")

    # The single 送达回证: the mark sits in its 备注.
    page.emulate_media(media="screen")
    page.goto(f"{site}{reverse('letters:print_proof', args=[letter.pk])}")
    page.wait_for_load_state()
    remark = page.locator(f"#proof-{letter.pk} td.note")
    assert "【补录】" in remark.inner_text() and "受理编号" in remark.inner_text()
    shot(page, "print-backfilled-proof")
