"""A letter stating a deadline counted over a provisional calendar year is confirmed first.

The package's calendar ends with 2026 and nobody has entered 2027 in these tests, so 2027 is
provisional (built from the holiday law). A 补正 deadline, an extended reply date, a fee payment
date or a consultation answer date that runs into 2027 is printed as the office will hold
itself to it — the applicant relies on it — so sending asks the clerk to confirm that date
(checked against the year's notice, or accepted) and records the confirmation in the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.applications import services as s
from gongkai.applications.models import Application, EventKind
from gongkai.letters import services
from gongkai.letters.context import LetterError
from gongkai.letters.models import LetterKind, LetterNumber, SentLetter

from . import conftest
from .conftest import World
from .test_letters import step, version

D = dt.date
TODAY = D(2026, 12, 23)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)


def _consultation(c: User, h: User, app: Application) -> str:
    step(
        s.application_start_consultation,
        c,
        app,
        consultation="third_party",
        party="泉州某某建设有限公司",
        on=D(2026, 12, 21),
    )
    return "答复截止日期"


def _extension(c: User, h: User, app: Application) -> str:
    step(
        s.application_request_extension,
        c,
        app,
        working_days=20,
        reason="需要调档",
        on=D(2026, 12, 21),
    )
    step(s.application_approve_extension, h, app, on=D(2026, 12, 22))
    return "延期后的答复期限"


def _fee(c: User, h: User, app: Application) -> str:
    step(s.application_send_fee_notice, c, app, method="per_page", pages=150, on=D(2026, 12, 21))
    return "缴费期限"


def _correction(c: User, h: User, app: Application) -> str:
    step(
        s.application_request_correction,
        c,
        app,
        items="请写明文号",
        supplement_deadline=D(2027, 1, 8),
        on=D(2026, 12, 3),
    )
    return "补正期限"


CASES = [
    pytest.param(LetterKind.CONSULTATION_THIRD_PARTY, _consultation, id="consultation"),
    pytest.param(LetterKind.EXTENSION, _extension, id="extension"),
    pytest.param(LetterKind.FEE, _fee, id="fee"),
    pytest.param(LetterKind.CORRECTION, _correction, id="correction"),
]


def case(clerk: User, world: World) -> Application:
    return conftest.register(clerk, world.district, submitted_on=D(2026, 12, 1))


@pytest.mark.parametrize(("kind", "drive"), CASES)
def test_a_provisional_date_must_be_confirmed_before_the_letter_is_sent(
    world: World, clerk: User, head: User, kind: LetterKind, drive: Callable[..., str]
) -> None:
    # given a case whose letter states a date in 2027, a provisional year
    app = case(clerk, world)
    what = drive(clerk, head, app)

    # when the clerk sends it without confirming, it is refused naming the date; nothing written
    with pytest.raises(LetterError) as refused:
        services.letter_send(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=version(app),
            kind=kind,
            on=TODAY,
        )
    message = str(refused.value)
    assert f"{what} 2027年" in message and "暂定日历" in message and "已核对暂定日期" in message
    assert not SentLetter.objects.exists() and not LetterNumber.objects.exists()

    # and once confirmed, it is sent and the history says the date was confirmed
    letter = services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=kind,
        on=TODAY,
        confirm_provisional=True,
    )
    assert f"暂定日期经发文人核对：{what} 2027年" in letter.event.data["summary"]
    assert "暂定" not in letter.text  # the applicant reads a date the office holds itself to


def test_a_date_within_known_years_needs_no_confirmation(world: World, clerk: User) -> None:
    app = case(clerk, world)
    step(
        s.application_request_correction,
        clerk,
        app,
        items="请写明文号",
        supplement_deadline=D(2026, 12, 18),
        on=D(2026, 12, 3),
    )
    letter = services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=LetterKind.CORRECTION,
        on=D(2026, 12, 3),
    )
    assert "暂定" not in letter.event.data["summary"]


def test_the_case_page_warns_and_asks_for_the_confirmation(
    world: World, clerk: User, head: User
) -> None:
    app = case(clerk, world)
    _consultation(clerk, head, app)
    client = Client()
    client.force_login(clerk)

    page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "暂定：答复截止日期 2027年" in page
    assert "已核对暂定日期" in page

    prefix = f"letter-{LetterKind.CONSULTATION_THIRD_PARTY.value}-0"
    data: dict[str, Any] = {
        f"{prefix}-version": version(app),
        f"{prefix}-kind": LetterKind.CONSULTATION_THIRD_PARTY.value,
        f"{prefix}-party": "泉州某某建设有限公司",
        f"{prefix}-on": D(2026, 12, 21).isoformat(),
    }
    refused = client.post(reverse("letters:send", args=[app.pk]), data)
    assert refused.status_code == 400
    assert "按暂定日历计算" in refused.content.decode()

    sent = client.post(
        reverse("letters:send", args=[app.pk]), {**data, f"{prefix}-confirm_provisional": "on"}
    )
    assert sent.status_code == 302
    assert app.events.filter(kind=EventKind.LETTER_SENT).count() == 1
