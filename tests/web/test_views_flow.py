"""The whole case through HTTP: register → 补正 → supplement → extension → decision → reply.

Every step is a real POST of the page's own form (with its version), followed by a check of both
the response and the stored history. "Today" is pinned to Wednesday 2025-06-18; due dates were
counted by hand on the 2025 calendar (端午 31 May–2 June).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application, EventKind

from . import conftest
from .conftest import World

D = dt.date
TODAY = D(2025, 6, 18)


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def people(world: World, pinned: dt.date) -> dict[str, Any]:
    return {
        "clerk": world.member(Role.CLERK),
        "head": world.member(Role.HEAD),
        "supervisor": world.member(Role.SUPERVISOR),
        "other_clerk": world.member(Role.CLERK, world.other_district),
    }


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


REGISTRATION = {
    "channel": "in_person",
    "submitted_on": "2025-06-03",
    "applicant_type": "natural_person",
    "applicant_name": "陈某某",
    "id_document_type": "resident_id",
    "id_document_number": "350505198805051234",
    "phone": "13800000000",
    "description": "泉港区2024年度城乡居民最低生活保障资金发放明细",
    "requested_form": "paper",
    "delivery": "post",
}


def register(client: Client, world: World, **overrides: str) -> Any:
    return client.post(
        reverse("applications:register"), {"unit": world.district.pk, **REGISTRATION, **overrides}
    )


def post_step(client: Client, app: Application, step: str, **fields: Any) -> Any:
    version = Application.objects.get(pk=app.pk).version
    data = {f"{step}-version": version, f"{step}-on": fields.pop("on", TODAY.isoformat())}
    data.update({f"{step}-{k}": v for k, v in fields.items()})
    return client.post(reverse("applications:step", args=[app.pk, step]), data)


def kinds(app: Application) -> list[str]:
    return list(app.events.order_by("id").values_list("kind", flat=True))


def test_a_case_goes_through_every_step_over_http(world: World, people: dict[str, Any]) -> None:
    clerk, head = client_for(people["clerk"]), client_for(people["head"])

    # register: in person on Tuesday 3 June → due 20 working days later, 1 July
    response = register(clerk, world)
    app = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:case", args=[app.pk])
    assert app.tracking_number == "泉港区政府办-2025-0001"
    assert app.due_date == D(2025, 7, 1)

    page = clerk.get(response["Location"])
    assert page.status_code == 200
    assert "泉港区政府办-2025-0001" in page.content.decode()
    assert "发出补正告知" in page.content.decode()

    # 补正 on 5 June, supplement on 10 June: the 20 working days restart → due 8 July
    assert (
        post_step(
            clerk,
            app,
            "correction",
            items="请写明所需年度",
            supplement_deadline="2025-06-20",
            on="2025-06-05",
        ).status_code
        == 302
    )
    assert Application.objects.get(pk=app.pk).status == "awaiting_supplement"
    assert post_step(clerk, app, "supplement", note="已补充", on="2025-06-10").status_code == 302
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 7, 8)

    # extension: requested by the clerk, approved by the head → 8 July + 15 working days
    assert (
        post_step(clerk, app, "extension", working_days=15, reason="需调取档案").status_code == 302
    )
    page = clerk.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "待负责人审批" in page
    assert 'id="step-extension_approve"' not in page  # a clerk cannot approve
    assert (
        'id="step-extension_approve"'
        in head.get(reverse("applications:case", args=[app.pk])).content.decode()
    )
    assert post_step(head, app, "extension_approve").status_code == 302
    assert Application.objects.get(pk=app.pk).due_date == D(2025, 7, 29)

    # decision and reply
    assert (
        post_step(
            clerk, app, "decide", result="disclosed", legal_basis="《条例》第三十六条第（二）项"
        ).status_code
        == 302
    )
    assert post_step(clerk, app, "reply", delivery="post").status_code == 302

    app = Application.objects.get(pk=app.pk)
    assert (app.status, app.result, app.closed_on) == ("replied", "disclosed", TODAY)
    assert kinds(app) == [
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.SUPPLEMENT_RECEIVED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.DECIDED,
        EventKind.REPLY_SENT,
    ]
    page = clerk.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "本案已办结" in page
    assert "予以公开" in page


def test_a_stale_form_is_refused_with_the_clear_message(
    world: World, people: dict[str, Any]
) -> None:
    clerk = client_for(people["clerk"])
    register(clerk, world)
    app = Application.objects.get()
    stale = app.version
    post_step(clerk, app, "correction", items="请写明年度", supplement_deadline="2025-06-27")

    response = clerk.post(
        reverse("applications:step", args=[app.pk, "withdraw"]),
        {"withdraw-version": stale, "withdraw-on": TODAY.isoformat(), "withdraw-note": ""},
    )

    assert response.status_code == 409
    assert "此案件已被他人修改" in response.content.decode()
    assert kinds(app) == [EventKind.RECEIVED, EventKind.CORRECTION_REQUESTED]


@pytest.mark.parametrize(
    ("_case", "step", "fields", "message"),
    [
        (
            "second extension over the limit",
            "extension",
            {"working_days": 21, "reason": "x"},
            "延长期限最长不得超过 20 个工作日",
        ),
        ("reply before decision", "reply", {"delivery": "post"}, "尚未作出答复决定"),
        (
            "date in the future",
            "decide",
            {"result": "disclosed", "legal_basis": "第二十七条", "on": "2025-06-19"},
            "不能晚于今天",
        ),
        (
            "workflow-only result",
            "decide",
            {"result": "other.no_correction", "legal_basis": "第三十条"},
            "须通过办理操作结案",
        ),
    ],
)
def test_impossible_steps_show_a_chinese_message_and_write_nothing(
    world: World,
    people: dict[str, Any],
    _case: str,
    step: str,
    fields: dict[str, Any],
    message: str,
) -> None:
    clerk = client_for(people["clerk"])
    register(clerk, world)
    app = Application.objects.get()

    response = post_step(clerk, app, step, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert kinds(app) == [EventKind.RECEIVED]
    assert Application.objects.get(pk=app.pk).version == 1


def test_a_channel_needing_a_signing_date_is_refused_at_the_form(
    world: World, people: dict[str, Any]
) -> None:
    response = register(client_for(people["clerk"]), world, channel="registered_mail")

    assert response.status_code == 400
    assert "须填写签收日期" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_similar_earlier_application_is_offered_before_saving(
    world: World, people: dict[str, Any]
) -> None:
    clerk = client_for(people["clerk"])
    register(clerk, world)

    warned = register(clerk, world, submitted_on="2025-06-17")
    assert warned.status_code == 200
    assert "发现 1 件相似的申请" in warned.content.decode()
    assert Application.objects.count() == 1

    confirmed = register(clerk, world, submitted_on="2025-06-17", confirm_duplicate="on")
    assert confirmed.status_code == 302
    assert Application.objects.count() == 2


def test_the_lists_and_exports_answer(world: World, people: dict[str, Any]) -> None:
    clerk = client_for(people["clerk"])
    register(clerk, world)

    for name in ("my_cases", "search", "register"):
        assert clerk.get(reverse(f"applications:{name}")).status_code == 200
    dashboard = clerk.get(reverse("applications:dashboard", args=[world.district.pk]))
    assert dashboard.status_code == 200
    assert "（一）予以公开" in dashboard.content.decode()
    for name in ("my_cases", "search"):
        export = clerk.get(reverse(f"applications:{name}"), {"format": "xlsx"})
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_applicants_text_never_becomes_a_spreadsheet_formula(
    world: World, people: dict[str, Any]
) -> None:
    import io

    from openpyxl import load_workbook

    clerk = client_for(people["clerk"])
    register(clerk, world, applicant_name='=HYPERLINK("http://example.com","点此")\x07')

    export = clerk.get(reverse("applications:search"), {"format": "xlsx"})
    cell = load_workbook(io.BytesIO(export.content)).active["C2"]

    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.com","点此")', "s")


def test_delivery_and_art_35_steps_over_http(world: World, people: dict[str, Any]) -> None:
    clerk = client_for(people["clerk"])
    register(clerk, world)  # in person on 3 June 2025: due 1 July
    app = Application.objects.get()

    # a consultation letter sent on 5 June; its delivery on 9 June is offered and recorded
    assert (
        post_step(
            clerk, app, "consult", consultation="third_party", party="某公司", on="2025-06-05"
        ).status_code
        == 302
    )
    page = clerk.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert 'id="step-consult_delivered"' in page
    assert (
        post_step(
            clerk,
            app,
            "consult_delivered",
            consultation_party="third_party|某公司",
            on="2025-06-09",
        ).status_code
        == 302
    )
    page = clerk.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert 'id="step-consult_delivered"' not in page
    assert 'id="step-delayed_reply"' in page

    # Art 35: a later, notified due date with its reason binds instead of the Art 33 one
    assert (
        post_step(
            clerk,
            app,
            "delayed_reply",
            due="2025-09-30",
            reason="同一申请人本月提出 60 件申请",
            on="2025-06-18",
        ).status_code
        == 302
    )
    app = Application.objects.get(pk=app.pk)
    assert app.due_date == D(2025, 9, 30)
    assert kinds(app)[-2:] == [EventKind.CONSULTATION_DELIVERED, EventKind.DELAYED_REPLY]


def test_the_result_is_shown_to_clerks_in_plain_words(world: World, clerk: Any) -> None:
    """Not the annual report's long captions (“（二）部分公开（区分处理的，只计这一情形…）”)."""
    app = conftest.register(clerk, world.district)
    s.application_decide(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        result="partly_disclosed",
        legal_basis="第三十七条",
        on=dt.date(2024, 3, 8),
    )
    client = Client()
    client.force_login(clerk)

    case = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    found = client.get(reverse("applications:search")).content.decode()

    for page in (case, found):
        assert "部分公开" in page
        assert "区分处理的，只计这一情形" not in page
