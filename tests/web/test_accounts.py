"""Every user changes their own password; the unit's administrator sets a new one for a member;
sessions end after the idle time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies import throttle
from gongkai.agencies.models import LoginThrottle, Membership, Role
from gongkai.agencies.services import member_create

from .conftest import World

OLD = "Quangang-2025-old"
NEW = "Quangang-2025-new!"


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    # The real hasher's deliberate slowness is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clerk_account(world: World) -> Any:
    return member_create(username="lisi", password=OLD, unit=world.district, role=Role.CLERK)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def can_log_in(username: str, password: str) -> bool:
    response = Client().post(reverse("web:login"), {"username": username, "password": password})
    return response.status_code == 302


def test_every_page_links_to_the_password_change_page(clerk_account: Any) -> None:
    page = signed_in(clerk_account).get(reverse("applications:my_cases"))
    assert reverse("web:password_change") in page.content.decode()


def test_a_user_changes_their_own_password(clerk_account: Any) -> None:
    client = signed_in(clerk_account)
    form = client.get(reverse("web:password_change"))
    assert "旧密码" in form.content.decode()

    response = client.post(
        reverse("web:password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert can_log_in("lisi", NEW)
    assert not can_log_in("lisi", OLD)


@pytest.mark.parametrize(
    ("_case", "old", "new", "message"),
    [
        ("wrong old password", "nope", NEW, "旧密码不正确"),
        ("too short", OLD, "a1b2c3", "密码太短"),
        ("all digits", OLD, "3505051990", "密码只包含数字"),
    ],
)
def test_a_bad_password_change_is_explained_in_chinese(
    clerk_account: Any, _case: str, old: str, new: str, message: str
) -> None:
    response = signed_in(clerk_account).post(
        reverse("web:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert can_log_in("lisi", OLD)


def test_the_administrator_sets_a_new_password_and_lifts_the_lock(
    world: World, clerk_account: Any
) -> None:
    admin = world.member(Role.ADMIN)
    for _ in range(5):
        throttle.login_failed(username="lisi", address="10.0.0.1")
    assert throttle.login_lock(username="lisi", address="10.0.0.2") is not None
    client = signed_in(admin)
    membership = Membership.objects.get(user=clerk_account)
    listing = client.get(reverse("agencies:members"))
    assert "lisi" in listing.content.decode()
    assert "人员账号" in listing.content.decode()  # in the navigation

    response = client.post(
        reverse("agencies:member_password", args=[membership.pk]),
        {"new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(kind="account", key="lisi").exists()
    assert can_log_in("lisi", NEW)


def test_the_administrators_new_password_must_pass_the_validators(
    world: World, clerk_account: Any
) -> None:
    membership = Membership.objects.get(user=clerk_account)
    response = signed_in(world.member(Role.ADMIN)).post(
        reverse("agencies:member_password", args=[membership.pk]),
        {"new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 400
    assert "密码太短" in response.content.decode()
    assert can_log_in("lisi", OLD)


@pytest.mark.parametrize("role", [Role.CLERK, Role.HEAD, Role.SUPERVISOR])
def test_only_an_administrator_may_reset_passwords(
    world: World, clerk_account: Any, role: Role
) -> None:
    membership = Membership.objects.get(user=clerk_account)
    client = signed_in(world.member(role, username=f"x_{role.value}"))

    assert client.get(reverse("agencies:members")).status_code == 404
    response = client.post(
        reverse("agencies:member_password", args=[membership.pk]),
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 404
    assert can_log_in("lisi", OLD)


def test_an_administrator_of_another_district_may_not_reset(
    world: World, clerk_account: Any
) -> None:
    membership = Membership.objects.get(user=clerk_account)
    client = signed_in(world.member(Role.ADMIN, world.other_district))
    response = client.post(
        reverse("agencies:member_password", args=[membership.pk]),
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 404
    assert "lisi" not in client.get(reverse("agencies:members")).content.decode()


def test_a_session_ends_after_the_idle_time_and_each_request_extends_it(
    settings: Any, clerk_account: Any
) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = signed_in(clerk_account)
    client.get(reverse("applications:my_cases"))
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)

    # Idle past the limit: the session has expired, the next request goes to the login page.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("applications:my_cases"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
