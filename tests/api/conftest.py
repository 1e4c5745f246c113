"""The API's test world: the web tests' district (own, child and unrelated units) and tokens.

``issue(unit, *scopes)`` issues a token through the real service and returns its secret;
``api`` is a test client whose ``get``/``post`` take the secret and return the response.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongkai.agencies.models import Unit
from gongkai.api.services import api_token_create
from tests.web.conftest import (  # noqa: F401 (fixtures)
    APPLICATION_FIELDS,
    World,
    clerk,
    register,
    today_is,
    world,
)

ALL_SCOPES = (
    "applications:read",
    "applications:write",
    "extensions:approve",
    "applications:personal-data",
    "registers:read",
    "reports:read",
    "audit",
)

# A request body for POST /api/applications, as JSON (the web tests' application).
APPLICATION_BODY: dict[str, Any] = {
    key: value.isoformat() if isinstance(value, dt.date) else value
    for key, value in APPLICATION_FIELDS.items()
}

Issue = Callable[..., str]


@pytest.fixture
def issue(db: None) -> Issue:
    def make(unit: Unit, *scopes: str, name: str = "办公自动化系统") -> str:
        _, secret = api_token_create(
            acting_user=None, unit=unit, name=name, scopes=scopes or ALL_SCOPES
        )
        return secret

    return make


class Api:
    """The test client, speaking JSON with a bearer token."""

    def __init__(self) -> None:
        self.client = Client()

    def get(self, path: str, secret: str | None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return self.client.get(f"/api{path}", params, headers=headers)

    def post(
        self, path: str, secret: str | None, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        sent = {**({"Authorization": f"Bearer {secret}"} if secret else {}), **(headers or {})}
        return self.client.post(
            f"/api{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=sent,
        )


@pytest.fixture
def api() -> Api:
    return Api()


def error_of(response: Any) -> dict[str, Any]:
    """The error body, after checking it has the one shape every error has."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]["message"]), body
    return dict(body["error"])
