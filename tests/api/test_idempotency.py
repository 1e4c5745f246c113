"""Idempotency keys live for IDEMPOTENCY_KEY_LIFETIME: a retry within it replays the first
result, a key older than that is a new key, and expired keys are deleted as keys are used.

The clock is Django's ``timezone.now``, frozen and moved forward by the test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gongkai.api.models import IdempotencyKey
from gongkai.api.services import IDEMPOTENCY_KEY_LIFETIME, idempotency_keys_purge
from gongkai.applications.models import Application

from .conftest import APPLICATION_BODY, Api, Issue, World, error_of

SECOND = dt.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _today(today_is: Any) -> None:
    today_is(dt.date(2024, 3, 8))


class Clock:
    """``timezone.now`` frozen at a moment the test moves forward."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = dt.datetime(2024, 3, 8, 2, 0, tzinfo=dt.UTC)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, by: dt.timedelta) -> None:
        self.now += by


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _create(api: Api, secret: str, key: str, **changes: Any) -> Any:
    return api.post(
        "/applications", secret, {**APPLICATION_BODY, **changes}, headers={"Idempotency-Key": key}
    )


def test_the_lifetime_is_a_day() -> None:
    assert dt.timedelta(hours=24) == IDEMPOTENCY_KEY_LIFETIME


def test_a_retry_within_the_lifetime_replays_the_first_result(
    world: World, issue: Issue, api: Api, clock: Clock
) -> None:
    secret = issue(world.district)
    first = _create(api, secret, "oa-1")
    clock.advance(IDEMPOTENCY_KEY_LIFETIME - SECOND)
    again = _create(api, secret, "oa-1")
    other = _create(api, secret, "oa-1", applicant_name="李四")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 409 and error_of(other)["code"] == "idempotency_conflict"
    assert Application.objects.count() == 1


def test_an_expired_key_is_a_new_key(world: World, issue: Issue, api: Api, clock: Clock) -> None:
    secret = issue(world.district)
    first = _create(api, secret, "oa-1")
    clock.advance(IDEMPOTENCY_KEY_LIFETIME)
    same_body = _create(api, secret, "oa-1")
    clock.advance(IDEMPOTENCY_KEY_LIFETIME + SECOND)
    other_body = _create(api, secret, "oa-1", applicant_name="李四")
    clock.advance(SECOND)
    retry = _create(api, secret, "oa-1", applicant_name="李四")

    assert (first.status_code, same_body.status_code, other_body.status_code) == (201, 201, 201)
    assert len({first.json()["id"], same_body.json()["id"], other_body.json()["id"]}) == 3
    # The key, used again, is remembered again from then on.
    assert retry.status_code == 200 and retry.json()["id"] == other_body.json()["id"]
    assert Application.objects.count() == 3
    assert IdempotencyKey.objects.get().application_id == other_body.json()["id"]


def test_expired_keys_are_deleted_when_a_key_is_used(
    world: World, issue: Issue, api: Api, clock: Clock
) -> None:
    first, second = issue(world.district, name="甲"), issue(world.district, name="乙")
    _create(api, first, "old")
    clock.advance(dt.timedelta(hours=12))
    _create(api, second, "recent")
    clock.advance(dt.timedelta(hours=12))  # "old" has just expired, "recent" has 12 hours left
    api.post("/applications", second, APPLICATION_BODY)  # no key: nothing to purge for

    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"old", "recent"}
    _create(api, second, "new")
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"recent", "new"}

    clock.advance(dt.timedelta(hours=24))
    assert idempotency_keys_purge() == 2
    assert not IdempotencyKey.objects.exists()


def test_the_lifetime_is_documented_in_the_schema(api: Api, db: None) -> None:
    schema = api.client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/applications"]["post"]
    header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")

    assert "24 小时" in header["description"]
    assert "视为新键" in header["description"]
    assert "过期的键视为新键" in operation["description"]
