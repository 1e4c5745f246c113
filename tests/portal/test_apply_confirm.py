"""The office's side: the list of online applications awaiting confirmation and "确认收到"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.applications.attachments import Upload
from gongkai.applications.models import Application, OnlineSubmission
from gongkai.applications.services.online import application_submit_online
from tests.web.conftest import World

from .conftest import PDF


def _submit(world: World, **overrides: Any) -> OnlineSubmission:
    fields: dict[str, Any] = {
        "unit": world.district,
        "form_token": "confirm-token",
        "client_address": "192.0.2.8",
        "applicant_type": "commercial",
        "applicant_name": "泉港某某贸易有限公司",
        "contact_person": "周八",
        "id_document_type": "credit_code",
        "id_document_number": "91350505MA2XXXXX1K",
        "phone": "0595-87654321",
        "description": "<img src=x onerror=alert(1)>港口扩建环评批复",
        "requested_form": "paper",
        "delivery": "post",
        "address": "泉港区某路 8 号",
        "proof": Upload(name="licence.pdf", data=PDF, kind="identity"),
    }
    fields.update(overrides)
    return application_submit_online(**fields)


def test_clerk_confirms_and_the_case_opens(world: World, clerk: Any, today_is: Any) -> None:
    today_is(dt.date(2024, 3, 4))
    submission = _submit(world)
    client = Client()
    client.force_login(clerk)
    listing = client.get(reverse("applications:online_pending")).content.decode()
    assert "泉港某某贸易有限公司" in listing and "9135**********XX1K" in listing
    assert "<img src=x" not in listing
    page = client.get(reverse("applications:online_confirm", args=[submission.pk]))
    assert page.status_code == 200 and 'value="2024-03-04"' in page.content.decode()
    today_is(dt.date(2024, 3, 5))
    response = client.post(
        reverse("applications:online_confirm", args=[submission.pk]),
        {"confirmed_on": "2024-03-05"},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:case", args=[application.pk])
    assert application.received_on == dt.date(2024, 3, 5)
    assert application.get_channel_display() == "网络平台"
    listing = client.get(reverse("applications:online_pending")).content.decode()
    assert "没有等待确认的网上申请" in listing


def test_future_date_refused_with_message(world: World, clerk: Any, today_is: Any) -> None:
    today_is(dt.date(2024, 3, 4))
    submission = _submit(world)
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("applications:online_confirm", args=[submission.pk]),
        {"confirmed_on": "2024-03-09"},
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    assert Application.objects.count() == 0


def test_other_districts_clerk_sees_nothing(world: World, today_is: Any) -> None:
    today_is(dt.date(2024, 3, 4))
    submission = _submit(world)
    outsider = world.member(Role.CLERK, world.other_district)
    client = Client()
    client.force_login(outsider)
    assert "泉港某某" not in client.get(reverse("applications:online_pending")).content.decode()
    url = reverse("applications:online_confirm", args=[submission.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmed_on": "2024-03-04"}).status_code == 404
    assert Application.objects.count() == 0
