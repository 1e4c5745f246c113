"""The remedies sentence of every reply letter, by result and by the letter's date.

A letter dated (served) before 2024-01-01 follows the 1999 行政复议法: either route. From that
day a 不予公开 reply, and the withheld part of a 部分公开, send the applicant to 行政复议 first;
other results keep both routes (LEGAL.md §5.5; the table is gongkai.core.remedy_routes). A
deployment's reading of the contested rows, and its clock policy, reach the letters.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.core.formats import T3_UNAVAILABLE
from gongkai.core.law import ClockPolicy
from gongkai.core.remedy_routes import RemedyPolicy
from gongkai.core.results import default_legal_basis
from gongkai.letters import services
from gongkai.letters.context import LetterError
from gongkai.letters.models import LetterKind

from . import conftest
from .conftest import World
from .test_letters import docx_text, flat, pdf_text, reasons_for, step, version

D = dt.date

EITHER = (
    "如对本答复不服，可以自收到本答复之日起60日内向有关行政复议机关申请行政复议，"
    "也可以自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼。"
)
FIRST = (
    "如对本答复不服，应当先自收到本答复之日起60日内向有关行政复议机关申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内向有管辖权的人民法院提起行政诉讼。"
)
SPLIT = (
    "如对本答复中不予公开的部分不服，应当先自收到本答复之日起60日内向有关行政复议机关申请"
    "行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内向有管辖权的人民法院"
    "提起行政诉讼；如对本答复的其他内容不服，可以自收到本答复之日起60日内向有关行政复议机关"
    "申请行政复议，也可以自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼。"
)

# (result, its reply letter, sentence when served 2023-12-29, sentence when served 2024-01-02)
GROUPS = [
    pytest.param("disclosed", LetterKind.REPLY_DISCLOSED, EITHER, EITHER, id="disclosed"),
    pytest.param("partly_disclosed", LetterKind.REPLY_PARTLY_DISCLOSED, EITHER, SPLIT, id="partly"),
    pytest.param("withheld.state_secret", LetterKind.REPLY_WITHHELD, EITHER, FIRST, id="withheld"),
    pytest.param(
        "unavailable.not_held", LetterKind.REPLY_UNAVAILABLE, EITHER, EITHER, id="unavailable"
    ),
    pytest.param(
        "not_processed.repeat",
        LetterKind.REPLY_NOT_PROCESSED,
        EITHER,
        EITHER,
        id="not_processed",
    ),
]


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 1, 31))


def decided(clerk: User, world: World, result: str) -> int:
    """A case received 2023-12-04, decided 2023-12-20 with ``result``; its id."""
    app = conftest.register(clerk, world.district, submitted_on=D(2023, 12, 4))
    reasons = reasons_for(result)
    step(
        s.application_decide,
        clerk,
        app,
        result=result,
        legal_basis=default_legal_basis(result),
        on=D(2023, 12, 20),
        **reasons,
    )
    return app.pk


@pytest.mark.parametrize(("result", "kind", "before", "after"), GROUPS)
def test_the_remedies_follow_the_result_and_the_law_in_force_on_the_letters_date(
    world: World, clerk: User, result: str, kind: LetterKind, before: str, after: str
) -> None:
    app_id = decided(clerk, world, result)

    # served on the last Friday of the old law, and on the first working day of the new one
    old = services.letter_preview(user=clerk, application_id=app_id, kind=kind, on=D(2023, 12, 29))
    new = services.letter_send(
        acting_user=clerk,
        application_id=app_id,
        expected_version=version_of(app_id),
        kind=kind,
        on=D(2024, 1, 2),
    )

    assert before in old.document.text.splitlines()
    assert after in new.text.splitlines()
    for text in (docx_text(bytes(new.docx)), pdf_text(bytes(new.pdf))):
        assert flat(after) in flat(text)


def version_of(app_id: int) -> int:
    return version(Application.objects.get(pk=app_id))


def test_a_notice_that_is_no_reply_states_no_remedies(world: World, clerk: User) -> None:
    app = conftest.register(clerk, world.district, submitted_on=D(2024, 1, 8))
    step(
        s.application_request_correction,
        clerk,
        app,
        items="请写明文号",
        supplement_deadline=D(2024, 1, 19),
        on=D(2024, 1, 9),
    )
    text = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.CORRECTION, on=D(2024, 1, 9)
    ).document.text
    assert "行政复议" not in text


@override_settings(
    GONGKAI_REMEDY_POLICY=RemedyPolicy(reconsideration_first=frozenset({T3_UNAVAILABLE}))
)
def test_a_deployment_reading_unavailable_broadly_sends_it_to_reconsideration_first(
    world: World, clerk: User
) -> None:
    app_id = decided(clerk, world, "unavailable.not_held")
    text = services.letter_preview(
        user=clerk, application_id=app_id, kind=LetterKind.REPLY_UNAVAILABLE, on=D(2024, 1, 2)
    ).document.text
    assert FIRST in text.splitlines()


@override_settings(GONGKAI_REMEDY_POLICY="复议前置")
def test_a_misconfigured_remedy_policy_is_explained(world: World, clerk: User) -> None:
    app_id = decided(clerk, world, "disclosed")
    with pytest.raises(LetterError, match="GONGKAI_REMEDY_POLICY"):
        services.letter_preview(
            user=clerk, application_id=app_id, kind=LetterKind.REPLY_DISCLOSED, on=D(2024, 1, 2)
        )


@pytest.mark.parametrize("pauses", [True, False])
def test_the_fee_notice_states_the_deployments_clock_policy(
    world: World, clerk: User, pauses: bool
) -> None:
    with override_settings(GONGKAI_CLOCK_POLICY=ClockPolicy(fee_payment_pauses_clock=pauses)):
        app = conftest.register(clerk, world.district, submitted_on=D(2024, 1, 8))
        step(
            s.application_send_fee_notice,
            clerk,
            app,
            method="per_page",
            pages=150,
            on=D(2024, 1, 10),
        )
        text = services.letter_preview(
            user=clerk, application_id=app.pk, kind=LetterKind.FEE, on=D(2024, 1, 10)
        ).document.text
    assert ("缴费期间不计算在答复期限内" in text) is pauses
