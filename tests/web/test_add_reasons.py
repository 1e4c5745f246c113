"""Reasons added afterwards to a decision recorded without them (before decisions carried
reasons, or imported from a ledger): one typed event, the decision unchanged, the reply letter
then prints them; refused when the reasons are there already, or the case is archived."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import events as ev
from gongkai.applications import services as s
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.core.formats import (
    T3_DISCLOSED,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE_NOT_HELD,
    T3_WITHHELD_THIRD_PARTY,
)
from gongkai.letters import services as letters
from gongkai.letters.models import LetterKind

from .conftest import World
from .test_letters import register, version
from .test_letters_reasons import LETTER_DAY, decide

PART = "批复附件中投标人的报价明细"
FACTS = "报价明细属于投标人的商业秘密，经书面征求意见，投标人不同意公开"


def add(user: User, app: Application, **reasons: str) -> Application:
    return s.application_add_reasons(
        acting_user=user, application_id=app.pk, expected_version=version(app), **reasons
    )


def full_reasons() -> dict[str, str]:
    return {"withheld_part": PART, "withheld_ground": T3_WITHHELD_THIRD_PARTY, "facts": FACTS}


def snapshot(app: Application) -> tuple[Any, ...]:
    fresh = Application.objects.get(pk=app.pk)
    decided = ApplicationEvent.objects.get(application=app, kind=EventKind.DECIDED)
    return (fresh.result, fresh.decided_on, fresh.status, fresh.due_date, decided.data)


def test_reasons_added_to_a_bare_decision_write_one_event_and_reach_the_reply(
    world: World, clerk: User
) -> None:
    # given a 部分公开 decision recorded without reasons
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED)
    before = snapshot(app)
    events = ApplicationEvent.objects.filter(application=app).count()

    # when the clerk adds them
    added = add(clerk, app, **full_reasons())

    # then one typed event holds them, the decision is unchanged, the version moved on
    assert ApplicationEvent.objects.filter(application=app).count() == events + 1
    event = ApplicationEvent.objects.filter(application=app).latest("id")
    assert event.kind == EventKind.REASONS_ADDED
    assert event.actor == clerk
    assert event.payload == ev.ReasonsAdded(
        facts=FACTS, withheld_part=PART, withheld_ground=T3_WITHHELD_THIRD_PARTY
    )
    assert snapshot(app) == before
    assert added.version == app.version + 2  # decided, then the reasons
    decided = ev.decision(ApplicationEvent.objects.filter(application=app).order_by("id"))
    assert decided is not None
    assert (decided[1].withheld_part, decided[1].facts) == (PART, FACTS)

    # and the reply letter, refused before, now prints them
    letter = letters.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=LetterKind.REPLY_PARTLY_DISCLOSED,
        on=LETTER_DAY,
    )
    assert f"不予公开的部分为：{PART}。" in letter.text
    assert f"具体理由：{FACTS}。" in letter.text


def test_a_decision_with_its_reasons_refuses_more(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED, **full_reasons())
    with pytest.raises(s.ApplicationError) as refused:
        add(clerk, app, facts="另一个理由")
    assert "已记录理由，不能再补录" in str(refused.value)
    # once added, a second addition is refused the same way
    other = register(clerk, world, description="另一件申请的内容")
    decide(clerk, other, T3_PARTLY_DISCLOSED)
    add(clerk, other, **full_reasons())
    count = ApplicationEvent.objects.filter(application=other).count()
    with pytest.raises(s.ApplicationError, match="已记录理由"):
        add(clerk, other, **full_reasons())
    assert ApplicationEvent.objects.filter(application=other).count() == count


def test_an_archived_case_refuses_reasons(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED)
    Application.objects.filter(pk=app.pk).update(archived_on=dt.date(2024, 6, 1))
    with pytest.raises(s.ApplicationError) as refused:
        add(clerk, app, **full_reasons())
    assert "已于 2024-06-01 归档" in str(refused.value)
    assert not ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).exists()


@pytest.mark.parametrize(
    ("_case", "result", "given", "message"),
    [
        ("no decision yet", None, {"facts": "x"}, "尚未作出答复决定"),
        ("a result that needs none", T3_DISCLOSED, {"facts": "x"}, "不需要说明理由"),
        (
            "a reason the result does not use",
            T3_UNAVAILABLE_NOT_HELD,
            {"facts": "检索了档案室", "withheld_part": "x"},
            "不需要填写“不予公开的部分”",
        ),
        (
            "a ground that is no withheld row",
            T3_PARTLY_DISCLOSED,
            {"withheld_part": PART, "withheld_ground": T3_DISCLOSED, "facts": FACTS},
            "不是“不予公开”的情形之一",
        ),
        (
            "a reason still missing",
            T3_PARTLY_DISCLOSED,
            {"withheld_part": PART},
            "请填写“不予公开部分的情形（适用的条款）”、“不予公开部分的具体理由”",
        ),
    ],
)
def test_bad_additions_are_refused_in_chinese_and_write_nothing(
    world: World, clerk: User, _case: str, result: str | None, given: dict[str, str], message: str
) -> None:
    app = register(clerk, world)
    if result is not None:
        decide(clerk, app, result)
    seen = version(app)
    with pytest.raises(s.ApplicationError, match=message):
        add(clerk, app, **given)
    assert version(app) == seen
    assert not ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).exists()


def test_a_partly_recorded_decision_takes_only_the_missing_reasons(
    world: World, clerk: User
) -> None:
    # given a decision that records the part but not its ground and reason
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED, withheld_part=PART)

    # a different part is refused: what is recorded is not rewritten here
    with pytest.raises(s.ApplicationError, match="补录时不能修改"):
        add(
            clerk,
            app,
            withheld_part="全部内容",
            withheld_ground=T3_WITHHELD_THIRD_PARTY,
            facts=FACTS,
        )

    add(clerk, app, withheld_ground=T3_WITHHELD_THIRD_PARTY, facts=FACTS)
    event = ApplicationEvent.objects.get(kind=EventKind.REASONS_ADDED)
    assert event.payload == ev.ReasonsAdded(facts=FACTS, withheld_ground=T3_WITHHELD_THIRD_PARTY)


def test_only_those_who_may_add_reasons_can(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED)
    for role in (Role.SUPERVISOR, Role.ADMIN):
        with pytest.raises(AccessDeniedError):
            add(world.member(role, username=f"u_{role.value}"), app, **full_reasons())
    assert not ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).exists()
    add(world.member(Role.HEAD), app, **full_reasons())


def test_a_stale_version_is_refused(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED)
    with pytest.raises(s.StaleVersionError):
        s.application_add_reasons(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=version(app) - 1,
            **full_reasons(),
        )


def test_the_page_adds_the_reasons_from_the_case_page_link(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED)
    client = Client()
    client.force_login(clerk)
    url = reverse("applications:add_reasons", args=[app.pk])
    case_page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert url in case_page and "补录答复理由" in case_page

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "不予公开的部分" in text and "原决定不变" in text

    # a missing field is named by the form, nothing written
    refused = client.post(url, {"version": version(app), "withheld_part": PART})
    assert refused.status_code == 400
    assert "这个字段是必填项" in refused.content.decode()
    assert not ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).exists()

    # a stale form is refused with the service's message, nothing written
    stale = client.post(url, {"version": version(app) - 1, **full_reasons()})
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()
    assert not ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).exists()

    done = client.post(url, {"version": version(app), **full_reasons()})
    assert done.status_code == 302
    assert done["Location"] == reverse("applications:case", args=[app.pk])
    assert ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).count() == 1
    # the link is gone, and the page says there is nothing to add
    case_page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert url not in case_page
    assert "无需补录" in client.get(url).content.decode()

    # posting again is refused by the service, in Chinese
    again = client.post(url, {"version": version(app), **full_reasons()})
    assert again.status_code == 400
    assert "已记录理由，不能再补录" in again.content.decode()
    assert ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).count() == 1


def test_the_page_is_closed_to_a_supervisor(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_PARTLY_DISCLOSED)
    client = Client(raise_request_exception=False)
    client.force_login(world.member(Role.SUPERVISOR))
    url = reverse("applications:add_reasons", args=[app.pk])
    # "not allowed" is the staff pages' 404, as for a case not found
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": version(app), **full_reasons()}).status_code == 404
    assert not ApplicationEvent.objects.filter(kind=EventKind.REASONS_ADDED).exists()


def test_the_page_says_when_a_result_needs_no_reasons(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, T3_DISCLOSED)
    client = Client()
    client.force_login(clerk)
    case_page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert reverse("applications:add_reasons", args=[app.pk]) not in case_page
    page = client.get(reverse("applications:add_reasons", args=[app.pk])).content.decode()
    assert "不需要说明理由，无需补录" in page
    assert "<form" not in page.split('id="add-reasons"')[1]
