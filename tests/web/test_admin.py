"""The Django admin shows units, people and cases but cannot rewrite a case or its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.models import Role
from gongkai.applications import services as s

from .conftest import World


@pytest.fixture
def case(world: World, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(s, "_today", lambda: dt.date(2024, 3, 29))
    return s.application_register(
        acting_user=world.member(Role.CLERK),
        unit=world.district,
        channel="email",
        confirmed_on=dt.date(2024, 3, 4),  # Art 31(三): the day both sides confirm
        applicant_type="legal_services",
        applicant_name="福建某律师事务所",
        id_document_type="credit_code",
        id_document_number="31350000MD0123456X",
        description="某项目环评批复",
        submitted_on=dt.date(2024, 3, 4),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/agencies/unit/",
        "/admin/agencies/membership/",
        "/admin/applications/application/",
        "/admin/applications/applicationevent/",
    ],
)
def test_admin_lists_render(admin_client: Any, case: Any, url: str) -> None:
    response = admin_client.get(url)

    assert response.status_code == 200


def test_admin_shows_a_case_with_its_history_read_only(admin_client: Any, case: Any) -> None:
    url = f"/admin/applications/application/{case.pk}/change/"

    page = admin_client.get(url)
    posted = admin_client.post(url, {"applicant_name": "篡改"})

    assert page.status_code == 200
    assert "收到申请" in page.content.decode()
    assert posted.status_code == 403
    assert admin_client.get("/admin/applications/application/add/").status_code == 403
    assert admin_client.get("/admin/agencies/unit/add/").status_code == 403
