"""The API's online submissions: the unit's pending list and confirming one (Art 31(三))."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gongkai.agencies.models import Unit
from gongkai.applications.attachments import Upload
from gongkai.applications.models import Application, OnlineSubmission
from gongkai.applications.services.online import application_submit_online
from gongkai.core.law import Channel
from tests.web.conftest import World
from tests.web.samples import PDF

from .conftest import Api, Issue, error_of


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def submit(unit: Unit, token: str, id_number: str = "350505199001015678") -> OnlineSubmission:
    return application_submit_online(
        unit=unit,
        form_token=token,
        client_address="192.0.2.1",
        applicant_type="natural_person",
        applicant_name="李四",
        id_document_type="resident_id",
        id_document_number=id_number,
        phone="13812345678",
        description="泉港区2024年道路改造工程的立项批复",
        requested_form="electronic",
        delivery="email",
        email="lisi@example.com",
        proof=Upload(name="id.pdf", data=PDF, kind="identity"),
    )


def test_list_shows_the_units_pending_submissions_paginated_and_masked(
    world: World, issue: Issue, api: Api
) -> None:
    first = submit(world.district, "t1")
    second = submit(world.district, "t2", id_number="350505199001015679")
    submit(world.other_district, "t3")
    secret = issue(world.district, "applications:read")
    body = api.get("/online-submissions", secret, limit=1).json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [first.pk]
    item = body["items"][0]
    assert item["public_number"] == first.public_number
    assert "199001015678" not in item["id_document_number"]
    assert "12345678" not in item["phone"]
    later = api.get("/online-submissions", secret, limit=1, offset=1).json()
    assert [item["id"] for item in later["items"]] == [second.pk]


def test_confirm_registers_the_case_once(world: World, issue: Issue, api: Api) -> None:
    submission = submit(world.district, "t1")
    secret = issue(world.district, "applications:read", "applications:write")
    response = api.post(
        f"/online-submissions/{submission.pk}/confirm", secret, {"confirmed_on": None}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(pk=body["id"])
    assert application.channel == Channel.ONLINE
    assert body["tracking_number"] == application.tracking_number
    submission.refresh_from_db()
    assert submission.application_id == application.pk
    # Confirmed: no longer pending.
    assert api.get("/online-submissions", secret).json()["count"] == 0

    again = api.post(f"/online-submissions/{submission.pk}/confirm", secret, {})
    assert again.status_code == 409
    error = error_of(again)
    assert error["code"] == "already_confirmed"
    assert application.tracking_number in error["message"]
    assert Application.objects.count() == 1


def test_another_units_submission_is_not_found(world: World, issue: Issue, api: Api) -> None:
    theirs = submit(world.other_district, "t1")
    secret = issue(world.district, "applications:write", "applications:read")
    response = api.post(f"/online-submissions/{theirs.pk}/confirm", secret, {})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    missing = api.post("/online-submissions/999999/confirm", secret, {})
    assert missing.status_code == 404
    assert error_of(missing)["message"] == error_of(response)["message"]
    theirs.refresh_from_db()
    assert theirs.application_id is None


def test_missing_scope_is_forbidden(world: World, issue: Issue, api: Api) -> None:
    submission = submit(world.district, "t1")
    reader = issue(world.district, "applications:read")
    response = api.post(f"/online-submissions/{submission.pk}/confirm", reader, {})
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    reports_only = issue(world.district, "reports:read")
    listing = api.get("/online-submissions", reports_only)
    assert listing.status_code == 403
    assert error_of(listing)["code"] == "forbidden"
    submission.refresh_from_db()
    assert submission.application_id is None
