"""Typing in a paper case from last year: the steps and the letters follow the step's date.

Today is 2026-11-30; the clerk enters a case received on 2025-03-03. Shown for today, its reply
period ran out long ago and an extension is no longer offered; shown for the day being typed in
(``?on=2025-03-20``) the page offers what the office could do that day, its forms are dated that
day, saving continues there, and each letter is dated by the step it reports — not today.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from docx import Document

from gongkai.agencies import pages
from gongkai.applications import services as s
from gongkai.applications.models import Application, EventKind
from gongkai.letters.models import LetterKind, SentLetter

from . import conftest
from .conftest import World

D = dt.date
TODAY = D(2026, 11, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def current(app: Application) -> Application:
    return Application.objects.get(pk=app.pk)


def test_a_2025_case_entered_today_is_handled_as_of_the_day_being_typed_in(
    world: World, clerk: User, head: User
) -> None:
    app = conftest.register(clerk, world.district, submitted_on=D(2025, 3, 3))
    page_url = reverse("applications:case", args=[app.pk])
    client = client_for(clerk)

    # shown for today: the reply period ran out in 2025, no extension is offered
    now = client.get(page_url).content.decode()
    assert 'id="step-extension"' not in now

    # shown for 2025-03-20: the extension and the fee notice are offered, dated that day
    then = client.get(f"{page_url}?on=2025-03-20").content.decode()
    assert 'id="step-extension"' in then and 'id="step-fee_notice"' in then
    assert "正在按 2025-03-20 补录" in then
    assert 'name="extension-on" value="2025-03-20"' in then

    # saving the extension request continues the back-filling on its day
    saved = client.post(
        reverse("applications:step", args=[app.pk, "extension"]),
        {
            "extension-version": current(app).version,
            "extension-on": "2025-03-20",
            "extension-working_days": "10",
            "extension-reason": "需要调取档案",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"{page_url}?on=2025-03-20"
    s.application_approve_extension(
        acting_user=head,
        application_id=app.pk,
        expected_version=current(app).version,
        on=D(2025, 3, 21),
    )

    # the letter is offered dated by the approval, with its preview for that day
    letters = client.get(f"{page_url}?on=2025-03-25").content.decode()
    prefix = f"letter-{LetterKind.EXTENSION.value}-0"
    assert f'name="{prefix}-on" value="2025-03-21"' in letters
    assert "?on=2025-03-21" in letters
    preview = client.get(
        reverse("letters:preview", args=[app.pk, LetterKind.EXTENSION.value, "docx"])
        + "?on=2025-03-21"
    )
    assert "2025年3月21日" in "\n".join(
        p.text for p in Document(io.BytesIO(preview.content)).paragraphs
    )

    # and sent on that date, it bears it, with a 2025 文号
    sent = client.post(
        reverse("letters:send", args=[app.pk]),
        {
            f"{prefix}-version": current(app).version,
            f"{prefix}-kind": LetterKind.EXTENSION.value,
            f"{prefix}-party": "",
            f"{prefix}-on": "2025-03-21",
        },
    )
    assert sent.status_code == 302
    assert sent["Location"] == f"{page_url}?on=2025-03-21#letters"
    letter = SentLetter.objects.get()
    assert letter.letter_date == D(2025, 3, 21)
    assert letter.reference == "泉港区政府办〔2025〕1号"
    assert letter.text.splitlines()[-1] == "2025年3月21日"
    assert letter.event.date == D(2025, 3, 21)
    assert app.events.filter(kind=EventKind.LETTER_SENT).count() == 1


def test_a_day_before_the_latest_step_shows_the_case_as_of_that_step(
    world: World, clerk: User
) -> None:
    # given a case whose last step was recorded on 2025-03-20
    app = conftest.register(clerk, world.district, submitted_on=D(2025, 3, 3))
    s.application_request_extension(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        working_days=10,
        reason="需要调取档案",
        on=D(2025, 3, 20),
    )

    # when the page is asked for an earlier day, it is shown as of that step (steps go in order)
    page = client_for(clerk).get(reverse("applications:case", args=[app.pk]) + "?on=2025-03-05")
    text = page.content.decode()
    assert "正在按 2025-03-20 补录" in text
    assert 'id="step-decide"' in text


def test_a_reply_letter_is_dated_by_its_decision(world: World, clerk: User) -> None:
    app = conftest.register(clerk, world.district, submitted_on=D(2025, 3, 3))
    s.application_decide(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
        on=D(2025, 3, 28),
    )
    page = client_for(clerk).get(reverse("applications:case", args=[app.pk])).content.decode()
    prefix = f"letter-{LetterKind.REPLY_DISCLOSED.value}-0"
    assert f'name="{prefix}-on" value="2025-03-28"' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("2025-13-01", "补录日期“2025-13-01”无效"), ("2026-12-01", "补录日期 2026-12-01 晚于今天")],
)
def test_a_bad_day_to_show_is_explained_and_today_is_used(
    world: World, clerk: User, value: str, message: str
) -> None:
    app = conftest.register(clerk, world.district, submitted_on=D(2026, 11, 23))
    page = client_for(clerk).get(reverse("applications:case", args=[app.pk]) + f"?on={value}")
    text = page.content.decode()
    assert page.status_code == 200
    assert message in text
    assert "正在按" not in text
