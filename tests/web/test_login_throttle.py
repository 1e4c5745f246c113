"""Failed logins are throttled per account and per address, logged, and explained in Chinese.

Before: 25 wrong passwords, then the right one, logged straight in.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies import throttle
from gongkai.agencies.models import LoginThrottle, Role
from gongkai.agencies.services import member_create

from .conftest import World

PASSWORD = "Quangang-2025-secret"


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    # The real hasher's deliberate slowness is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def account(world: World) -> Any:
    return member_create(
        username="zhangsan", password=PASSWORD, unit=world.district, role=Role.CLERK
    )


def login(password: str, *, username: str = "zhangsan", address: str = "10.0.0.7") -> Any:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("web:login"), {"username": username, "password": password})
    return response


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_the_right_password_logs_in_and_clears_earlier_failures(account: Any) -> None:
    for _ in range(3):
        assert not logged_in(login("wrong"))

    assert logged_in(login(PASSWORD))
    assert not LoginThrottle.objects.filter(kind="account").exists()


def test_after_five_failures_the_account_is_locked_even_for_the_right_password(
    account: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gongkai.security")
    answers = [login("wrong") for _ in range(4)]
    assert "再失败 1 次，该账号将被暂时锁定" in answers[-1].content.decode()

    fifth = login("wrong")
    right = login(PASSWORD)

    for response in (fifth, right):
        assert response.status_code == 200
        assert "登录失败次数过多" in response.content.decode()
        assert "该账号已暂时锁定" in response.content.decode()
    assert not logged_in(right)
    assert "登录锁定" in caplog.text
    assert "zhangsan" in caplog.text
    assert "登录被拒（已锁定）" in caplog.text


def test_twenty_five_wrong_passwords_then_the_right_one_does_not_log_in(account: Any) -> None:
    for _ in range(25):
        login("wrong")

    assert not logged_in(login(PASSWORD))


def test_the_lock_grows_with_each_further_failure_and_expires(account: Any) -> None:
    now = timezone.now()
    for _ in range(5):
        throttle.login_failed(username="zhangsan", address="10.0.0.7", now=now)
    first = throttle.login_lock(username="zhangsan", address="10.0.0.7", now=now)
    assert first is not None and first.until == now + dt.timedelta(minutes=1)

    later = now + dt.timedelta(minutes=2)
    assert throttle.login_lock(username="zhangsan", address="10.0.0.7", now=later) is None
    throttle.login_failed(username="zhangsan", address="10.0.0.7", now=later)
    second = throttle.login_lock(username="zhangsan", address="10.0.0.7", now=later)
    assert second is not None and second.until == later + dt.timedelta(minutes=2)

    # Capped at GONGKAI_LOGIN_MAX_LOCK_MINUTES.
    for _ in range(20):
        throttle.login_failed(username="zhangsan", address="10.0.0.7", now=later)
    capped = throttle.login_lock(username="zhangsan", address="10.0.0.7", now=later)
    assert capped is not None and capped.until == later + dt.timedelta(minutes=60)
    assert logged_in(login(PASSWORD)) is False


def test_one_address_guessing_many_accounts_is_locked(world: World, account: Any) -> None:
    for number in range(20):
        login("wrong", username=f"guess{number}", address="203.0.113.9")

    refused = login(PASSWORD, address="203.0.113.9")
    elsewhere = login(PASSWORD, address="10.0.0.8")

    assert "您所在的网络地址已暂时锁定" in refused.content.decode()
    assert not logged_in(refused)
    assert logged_in(elsewhere)


def test_unknown_names_are_counted_like_real_ones(world: World) -> None:
    responses = [login("wrong", username="nobody") for _ in range(5)]

    assert "再失败 4 次" in responses[0].content.decode()
    assert "该账号已暂时锁定" in responses[-1].content.decode()


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(
    settings: Any, rf: Any, account: Any
) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert throttle.client_address(request) == "198.51.100.4"

    settings.GONGKAI_TRUSTED_PROXIES = 0
    assert throttle.client_address(request) == "127.0.0.1"


def test_the_admin_login_is_throttled_too(account: Any) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        client.post("/admin/login/", {"username": "zhangsan", "password": "wrong"})

    assert LoginThrottle.objects.get(kind="account", key="zhangsan").failures == 5
    refused = login(PASSWORD, address="10.0.0.10")
    assert "该账号已暂时锁定" in refused.content.decode()
    assert not logged_in(refused)


def test_failures_that_have_aged_out_are_forgotten(world: World) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    for number in range(3):
        throttle.login_failed(username=f"old{number}", address="10.9.9.9", now=long_ago)
    assert LoginThrottle.objects.count() == 4

    throttle.login_failed(username="someone", address="10.0.0.1")

    assert set(LoginThrottle.objects.values_list("key", flat=True)) == {"someone", "10.0.0.1"}
