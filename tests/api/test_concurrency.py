"""Concurrent writes through the API, on PostgreSQL: the same Idempotency-Key sent by several
clients at once makes exactly one case, and every client gets that case back; two clerks'
systems confirming one online submission at once make one case, and the other gets a 409.

SQLite serialises every writer, so the race cannot happen there and the test skips (as
``tests/web/test_concurrency.py``); ``scripts/test`` reruns it on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gongkai.applications import services as application_services
from gongkai.applications.models import Application
from tests.web.test_concurrency import race

from .conftest import APPLICATION_BODY, Api, Issue, World, error_of
from .test_online_submissions import submit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="真正的并发写入只在 PostgreSQL 上发生"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_case(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(application_services, "_today", lambda: dt.date(2024, 3, 8))
    secret = issue(world.district)
    clients = [Api() for _ in range(6)]

    def post(client: Api) -> Any:
        return client.post(
            "/applications", secret, APPLICATION_BODY, headers={"Idempotency-Key": "burst-1"}
        )

    responses = race(*(lambda c=c: post(c) for c in clients))

    assert Application.objects.count() == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 5 + [201], [getattr(r, "content", r) for r in responses]
    assert {r.json()["id"] for r in responses} == {Application.objects.get().pk}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_make_one_case_and_one_conflict(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(application_services, "_today", lambda: dt.date(2024, 3, 8))
    submission = submit(world.district, "race-1")
    secrets = [issue(world.district, name=f"系统{i}") for i in range(2)]
    clients = [Api() for _ in secrets]

    def confirm(client: Api, secret: str) -> Any:
        return client.post(f"/online-submissions/{submission.pk}/confirm", secret, {})

    pairs = zip(clients, secrets, strict=True)
    responses = race(*(lambda c=c, s=s: confirm(c, s) for c, s in pairs))

    assert Application.objects.count() == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409], [getattr(r, "content", r) for r in responses]
    won = next(r for r in responses if r.status_code == 201)
    lost = next(r for r in responses if r.status_code == 409)
    error = error_of(lost)
    assert error["code"] == "already_confirmed"
    assert won.json()["tracking_number"] in error["message"]
    submission.refresh_from_db()
    assert submission.application_id == won.json()["id"]
