"""Concurrent retries of one creation, on PostgreSQL: the same Idempotency-Key sent by several
clients at once makes exactly one case, and every client gets that case back.

SQLite serialises every writer, so the race cannot happen there and the test skips (as
``tests/web/test_concurrency.py``); ``scripts/test`` reruns it on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from gongkai.applications import services as application_services
from gongkai.applications.models import Application
from tests.web.test_concurrency import race

from .conftest import APPLICATION_BODY, Api, Issue, World

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
