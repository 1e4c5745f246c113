"""The staff page of API tokens: the head issues one (its secret shown once, and working), the
administrator issues for the units below, a clerk is refused, and revoking stops the token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.api.models import ApiToken

from .conftest import Api, World


def _logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_head_issues_a_token_and_sees_it_once(world: World, api: Api) -> None:
    page = _logged_in(world.member(Role.HEAD))

    issued = page.post(
        "/api/tokens/",
        {"unit": world.district.pk, "name": "政务服务平台", "scopes": ["applications:read"]},
    )

    assert issued.status_code == 200
    secret = re.search(r'<code id="new-token">(gk_[^<]+)</code>', issued.content.decode())
    assert secret is not None
    assert api.get("/applications", secret.group(1)).status_code == 200
    again = page.get("/api/tokens/").content.decode()
    assert "政务服务平台" in again and secret.group(1) not in again


def test_the_form_refuses_no_scope_and_another_units_id(world: World) -> None:
    page = _logged_in(world.member(Role.HEAD))

    no_scope = page.post("/api/tokens/", {"unit": world.district.pk, "name": "x"})
    other_unit = page.post(
        "/api/tokens/",
        {"unit": world.other_district.pk, "name": "x", "scopes": ["audit"]},
    )

    assert no_scope.status_code == other_unit.status_code == 400
    assert "请至少选择一个权限范围" in no_scope.content.decode()
    assert not ApiToken.objects.exists()


def test_the_administrator_issues_for_a_unit_below(world: World) -> None:
    page = _logged_in(world.member(Role.ADMIN))

    page.post(
        "/api/tokens/",
        {"unit": world.township.pk, "name": "街道系统", "scopes": ["registers:read"]},
    )

    assert ApiToken.objects.get().unit == world.township


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_others_are_refused(world: World, role: Role) -> None:
    assert _logged_in(world.member(role)).get("/api/tokens/").status_code == 404


def test_revoking_from_the_page(world: World, api: Api, issue: Any) -> None:
    secret = issue(world.district, "applications:read")
    token = ApiToken.objects.get()

    stranger = _logged_in(world.member(Role.HEAD, world.other_district))
    assert stranger.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert api.get("/applications", secret).status_code == 200

    head = _logged_in(world.member(Role.HEAD))
    assert head.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/applications", secret).status_code == 401
    assert "已吊销" in head.get("/api/tokens/").content.decode()


@pytest.mark.parametrize(
    ("role", "shown"), [(Role.HEAD, True), (Role.ADMIN, True), (Role.CLERK, False)]
)
def test_the_menu_offers_the_token_page_to_whoever_may_issue(
    world: World, role: Role, shown: bool
) -> None:
    page = _logged_in(world.member(role)).get("/calendar/").content.decode()

    assert ('href="/api/tokens/"' in page) is shown
