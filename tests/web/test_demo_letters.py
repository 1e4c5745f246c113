"""``gongkai demo`` sends the last weeks' letters, so a day's mail-out, a case file's letters
and their 送达回证 can be printed on the demo (its cases alone send none).

"Today" is pinned to Friday 2025-12-19, as in ``test_demo``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongkai import demo
from gongkai.applications import services as s
from gongkai.demo.letters import RECENT_DAYS
from gongkai.letters.models import SentLetter

TODAY = dt.date(2025, 12, 19)


@pytest.fixture
def built(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> Any:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return demo.populate(today=TODAY, letters=True)


def test_the_demo_prints_the_last_weeks_letters(built: Any) -> None:
    letters = list(SentLetter.objects.select_related("application__unit"))
    assert built.letters == len(letters) >= 2
    since = TODAY - dt.timedelta(days=RECENT_DAYS)
    assert all(since <= letter.letter_date <= TODAY for letter in letters)
    # Each letter carries its unit's 文号, in order, and is dated the day of its step.
    assert all(letter.reference for letter in letters)

    clerk = get_user_model().objects.get(username="jingban")
    client = Client()
    client.force_login(clerk)
    own = [x for x in letters if x.application.unit_id == clerk.membership.unit_id]
    assert own, "the district office's own clerk has letters to print"
    day = own[0].letter_date
    page = client.get(
        reverse("letters:print_day"), {"unit": clerk.membership.unit_id, "day": day.isoformat()}
    ).content.decode()
    expected = [x for x in own if x.letter_date == day]
    assert page.count('class="print-doc letter"') == len(expected)
    assert page.count('class="print-doc proof"') == len(expected)
    for letter in expected:
        assert letter.application.tracking_number in page
        assert letter.application.id_document_number not in page
        assert letter.application.id_document_number not in letter.text


def test_the_tests_demo_sends_none(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    assert demo.populate(today=TODAY).letters == 0
    assert not SentLetter.objects.exists()
