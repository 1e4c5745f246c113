"""Search and filters of the case list: each filter alone, over three different cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s

from .conftest import World

TODAY = dt.date(2025, 6, 18)


@pytest.fixture
def client(world: World, monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    clerk = world.member(Role.CLERK)
    common: dict[str, Any] = {
        "acting_user": clerk,
        "unit": world.district,
        "id_document_type": "resident_id",
    }
    s.application_register(
        **common,
        channel="in_person",
        applicant_type="natural_person",
        applicant_name="甲",
        id_document_number="350505199001010001",
        description="征地补偿款发放明细",
        submitted_on=dt.date(2025, 3, 3),
    )
    s.application_register(
        **common,
        channel="email",
        confirmed_on=dt.date(2025, 5, 6),  # Art 31(三): the day both sides confirm
        applicant_type="commercial",
        applicant_name="某贸易有限公司",
        id_document_number="91350505MA00000001",
        description="道路工程招标文件",
        submitted_on=dt.date(2025, 5, 6),
    )
    third = s.application_register(
        **common,
        channel="registered_mail",
        signed_for_on=dt.date(2025, 6, 10),
        applicant_type="natural_person",
        applicant_name="乙",
        id_document_number="350505199001010003",
        description="低保资金发放名单",
        submitted_on=dt.date(2025, 6, 9),
    )
    s.application_decide(
        acting_user=clerk,
        application_id=third.pk,
        expected_version=1,
        result="unavailable.not_held",
        legal_basis="第三十六条",
    )
    s.application_send_reply(
        acting_user=clerk, application_id=third.pk, expected_version=2, delivery="post"
    )
    c = Client()
    c.force_login(clerk)
    return c


@pytest.mark.parametrize(
    ("_case", "query", "names"),
    [
        ("no filter, newest first", {}, ["乙", "某贸易有限公司", "甲"]),
        ("open", {"status": "open"}, ["某贸易有限公司", "甲"]),
        ("closed", {"status": "closed"}, ["乙"]),
        ("a clock status", {"status": "replied"}, ["乙"]),
        ("applicant type", {"applicant_type": "commercial"}, ["某贸易有限公司"]),
        ("channel", {"channel": "registered_mail"}, ["乙"]),
        ("received from", {"received_from": "2025-05-01"}, ["乙", "某贸易有限公司"]),
        ("received to", {"received_to": "2025-05-06"}, ["某贸易有限公司", "甲"]),
        ("text in the request", {"q": "招标"}, ["某贸易有限公司"]),
        ("tracking number", {"q": "2025-0001"}, ["甲"]),
        ("document number", {"q": "350505199001010003"}, ["乙"]),
    ],
)
def test_each_filter_narrows_the_list(
    client: Client, _case: str, query: dict[str, str], names: list[str]
) -> None:
    response = client.get(reverse("applications:search"), query)

    assert response.status_code == 200
    assert [a.applicant_name for a in response.context["page"].object_list] == names


def test_a_reversed_date_range_is_explained(client: Client) -> None:
    response = client.get(
        reverse("applications:search"),
        {"received_from": "2025-06-01", "received_to": "2025-05-01"},
    )

    assert "收到日期的截止日（2025-05-01）早于起始日（2025-06-01）" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_a_bad_date_is_explained_in_chinese(client: Client) -> None:
    response = client.get(reverse("applications:search"), {"received_from": "2025-13-01"})

    assert "“收到日期自”不是有效日期" in response.content.decode()
