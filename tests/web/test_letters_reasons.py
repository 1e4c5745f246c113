"""Reasons: the decision records the case's facts the law requires, and the reply prints them.

A 部分公开 reply names the withheld part, its ground with the article (第十四、十五、十六条…)
and why; a 不予公开, 无法提供 or 不予处理 reply states the case's reason (for 无法提供 what was
searched). A reply whose decision lacks one is previewed with the gap marked and refused on
sending, naming what is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.core.formats import T3_WITHHELD_PROCESS_INFO, T3_WITHHELD_THIRD_PARTY
from gongkai.core.results import default_legal_basis
from gongkai.letters import services
from gongkai.letters.context import LetterError
from gongkai.letters.models import LetterKind, SentLetter

from .conftest import World
from .test_letters import docx_text, flat, pdf_text, register, step, version

D = dt.date
DECIDED_ON = D(2024, 3, 18)
LETTER_DAY = D(2024, 3, 27)


def decide(clerk: User, app: Application, result: str, **reasons: str) -> None:
    step(
        s.application_decide,
        clerk,
        app,
        result=result,
        legal_basis=default_legal_basis(result),
        on=DECIDED_ON,
        **reasons,
    )


def send(clerk: User, app: Application, kind: LetterKind) -> SentLetter:
    return services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=kind,
        on=LETTER_DAY,
    )


def test_a_partly_disclosed_reply_states_the_withheld_part_its_article_and_why(
    world: World, clerk: User
) -> None:
    # given a 部分公开 decision whose withheld part is a third party's business secret
    app = register(clerk, world)
    decide(
        clerk,
        app,
        "partly_disclosed",
        withheld_part="批复附件中投标人的报价明细",
        withheld_ground=T3_WITHHELD_THIRD_PARTY,
        facts="报价明细属于投标人的商业秘密，经书面征求意见，投标人不同意公开",
    )

    # when the reply is sent
    letter = send(clerk, app, LetterKind.REPLY_PARTLY_DISCLOSED)

    # then Word and PDF print the part, the ground's article, the facts — and no "理由如上"
    wanted = [
        "不予公开的部分为：批复附件中投标人的报价明细。",
        "具体理由：报价明细属于投标人的商业秘密，经书面征求意见，投标人不同意公开。",
        "根据《中华人民共和国政府信息公开条例》第十五条的规定，该部分不予公开。",
        "《中华人民共和国政府信息公开条例》第三十七条",
    ]
    for text in (docx_text(bytes(letter.docx)), pdf_text(bytes(letter.pdf))):
        for line in wanted:
            assert flat(line) in flat(text), line
        assert "理由如上" not in text


@pytest.mark.parametrize(
    ("result", "kind", "printed"),
    [
        (
            T3_WITHHELD_PROCESS_INFO,
            LetterKind.REPLY_WITHHELD,
            "具体理由：该报告系向上级请示的过程稿。",
        ),
        (
            "unavailable.not_held",
            LetterKind.REPLY_UNAVAILABLE,
            "检索及审查情况：该报告系向上级请示的过程稿。",
        ),
        (
            "not_processed.petition",
            LetterKind.REPLY_NOT_PROCESSED,
            "具体理由：该报告系向上级请示的过程稿。",
        ),
    ],
    ids=["withheld", "unavailable", "not_processed"],
)
def test_every_refusal_prints_the_cases_reason(
    world: World, clerk: User, result: str, kind: LetterKind, printed: str
) -> None:
    app = register(clerk, world)
    decide(clerk, app, result, facts="该报告系向上级请示的过程稿")

    letter = send(clerk, app, kind)

    assert printed in letter.text
    assert flat(printed) in flat(docx_text(bytes(letter.docx)))


def test_a_reply_without_its_reasons_is_previewed_with_the_gap_and_refused_on_sending(
    world: World, clerk: User
) -> None:
    # given a 部分公开 decision recorded without reasons (as stored before they existed)
    app = register(clerk, world)
    decide(clerk, app, "partly_disclosed")
    event = ApplicationEvent.objects.get(application=app, kind=EventKind.DECIDED)
    assert set(event.data) == {"result", "legal_basis"}  # the stored JSON keeps its old shape

    # when the clerk previews it, the gaps are marked where the reasons belong
    preview = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_PARTLY_DISCLOSED, on=LETTER_DAY
    )
    assert "【未填写：不予公开的部分（哪些内容不予公开）】" in preview.document.text

    # and sending is refused, naming each missing reason, with nothing written
    events = ApplicationEvent.objects.filter(application=app).count()
    with pytest.raises(LetterError) as refused:
        send(clerk, app, LetterKind.REPLY_PARTLY_DISCLOSED)
    assert str(refused.value) == (
        "“答复书（部分公开）”缺少答复书必须写明的理由：不予公开的部分（哪些内容不予公开）、"
        "不予公开部分的情形（适用的条款）、不予公开部分的具体理由。请在答复决定中写明后再发送"
    )
    assert ApplicationEvent.objects.filter(application=app).count() == events
    assert not SentLetter.objects.exists()


def test_a_disclosed_reply_needs_no_reason(world: World, clerk: User) -> None:
    app = register(clerk, world)
    decide(clerk, app, "disclosed")
    assert send(clerk, app, LetterKind.REPLY_DISCLOSED).pk


@pytest.mark.parametrize(
    ("_case", "result", "reasons", "message"),
    [
        ("reason a result does not use", "disclosed", {"facts": "x"}, "不需要填写“具体理由”"),
        (
            "ground that is no withheld row",
            "partly_disclosed",
            {"withheld_ground": "disclosed", "withheld_part": "x", "facts": "y"},
            "不是“不予公开”的情形之一",
        ),
    ],
)
def test_the_service_refuses_reasons_that_do_not_fit(
    world: World, clerk: User, _case: str, result: str, reasons: dict[str, str], message: str
) -> None:
    app = register(clerk, world)
    with pytest.raises(s.ApplicationError, match=message):
        decide(clerk, app, result, **reasons)
    assert Application.objects.get(pk=app.pk).version == app.version


def _post_decision(client: Client, app: Application, **fields: Any) -> Any:
    data = {
        "decide-version": version(app),
        "decide-on": DECIDED_ON.isoformat(),
        "decide-legal_basis": "",
        **{f"decide-{k}": v for k, v in fields.items()},
    }
    return client.post(reverse("applications:step", args=[app.pk, "decide"]), data)


def test_the_decision_form_asks_for_the_reasons_of_the_result_chosen(
    world: World, clerk: User
) -> None:
    app = register(clerk, world)
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "不予公开的部分" in page and "具体理由" in page

    # a 部分公开 without its reasons is refused, each field named
    refused = _post_decision(client, app, result="partly_disclosed")
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "所选办理结果须在答复书中说明，请填写不予公开的部分（哪些内容不予公开）" in text
    assert "所选办理结果须在答复书中说明，请填写不予公开部分的具体理由" in text
    assert not ApplicationEvent.objects.filter(application=app, kind=EventKind.DECIDED).exists()

    # with them, the decision stores them; a reason the result does not use is dropped
    saved = _post_decision(
        client,
        app,
        result="partly_disclosed",
        withheld_part="第3页",
        withheld_ground=T3_WITHHELD_THIRD_PARTY,
        facts="涉及个人隐私",
    )
    assert saved.status_code == 302
    event = ApplicationEvent.objects.get(application=app, kind=EventKind.DECIDED)
    assert event.data["withheld_part"] == "第3页"
    assert event.data["withheld_ground"] == T3_WITHHELD_THIRD_PARTY
    assert "不予公开部分：第3页" in event.payload.summary()
