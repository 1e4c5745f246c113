"""The site's own defences: the secret key `serve` insists on, HTTPS behind a proxy, the
Content-Security-Policy header, and error pages in Chinese (400, 403, 404, 500)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai import cli
from gongkai.agencies.models import Role
from gongkai.web import runner
from gongkai.web.security import CONTENT_SECURITY_POLICY

from .conftest import World

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    """Evaluate ``expression`` on gongkai's settings as a fresh process with ``env`` sees them."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='gongkai.site.settings';"
        f"django.setup(); from django.conf import settings as s; print({expression})"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


# --- the secret key ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "key"),
    [
        ("unset", None),
        ("the old public default", "gongkai-insecure-development-key"),
        ("Django's template key", "django-insecure-" + "x" * 40),
        ("too short", "shortkey123"),
        ("long but one character", "a" * 64),
    ],
)
def test_serve_refuses_to_start_without_a_private_key(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: Any,
    _case: str,
    key: str | None,
) -> None:
    started: list[str] = []
    monkeypatch.setattr(runner, "setup_django", lambda **_: None)
    monkeypatch.setattr(runner, "migrate", lambda: started.append("migrate") or "db")
    monkeypatch.setattr(runner, "run_server", lambda **_: started.append("serve"))
    if key is None:
        monkeypatch.delenv("GONGKAI_SECRET_KEY", raising=False)
        settings.GONGKAI_SECRET_KEY_FROM_ENVIRONMENT = False
    else:
        monkeypatch.setenv("GONGKAI_SECRET_KEY", key)
        settings.GONGKAI_SECRET_KEY_FROM_ENVIRONMENT = True

    status = cli.main(["serve"])

    assert status == 2
    assert started == []
    assert "GONGKAI_SECRET_KEY" in capsys.readouterr().err


def test_serve_starts_with_a_private_key(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    started: list[str] = []
    monkeypatch.setattr(runner, "setup_django", lambda **_: None)
    monkeypatch.setattr(runner, "migrate", lambda: "db")
    monkeypatch.setattr(runner, "run_server", lambda **_: started.append("serve"))
    monkeypatch.setenv("GONGKAI_SECRET_KEY", "k3Y-" + "Zx9qW2eR7tY5uI1oP8aS4dF6gH0jK3l" * 2)
    settings.GONGKAI_SECRET_KEY_FROM_ENVIRONMENT = True

    assert cli.main(["serve"]) == 0
    assert started == ["serve"]


def test_without_a_configured_key_each_process_draws_its_own() -> None:
    first = settings_in_subprocess({}, "s.SECRET_KEY")
    second = settings_in_subprocess({}, "s.SECRET_KEY")
    assert first != second
    assert "insecure" not in first
    assert len(first) >= 50
    configured = settings_in_subprocess({"GONGKAI_SECRET_KEY": "abc" * 20}, "s.SECRET_KEY")
    assert configured == "abc" * 20


# --- HTTPS behind a reverse proxy ---------------------------------------------------------------


def test_https_behind_a_proxy_secures_cookies_redirects_and_sends_hsts() -> None:
    env = {
        "GONGKAI_HTTPS": "1",
        "GONGKAI_CSRF_TRUSTED_ORIGINS": "https://gk.example.gov.cn,https://gk2.example.gov.cn",
    }
    shown = settings_in_subprocess(
        env,
        "s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS",
    )
    assert shown == (
        "('HTTP_X_FORWARDED_PROTO', 'https') True True True 31536000 "
        "['https://gk.example.gov.cn', 'https://gk2.example.gov.cn']"
    )
    plain = settings_in_subprocess({}, "s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT")
    assert plain == "False False"


def test_behind_an_https_proxy_requests_are_secure_and_plain_http_is_redirected(
    settings: Any, world: World
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()

    plain = client.get("/login/")
    proxied = client.get("/login/", headers={"x-forwarded-proto": "https"})

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/login/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000"
    assert proxied.cookies["csrftoken"]["secure"] is True


# --- headers and error pages ----------------------------------------------------------------------


def test_every_page_carries_a_content_security_policy(world: World) -> None:
    response = Client().get(reverse("web:login"))
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def test_a_host_not_allowed_gets_the_chinese_400_page(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["gk.example.gov.cn"]
    response = Client(raise_request_exception=False).get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body
    assert "Bad Request" not in body


def test_an_unknown_address_gets_the_chinese_404_page_without_django_words(world: World) -> None:
    client = Client()
    client.force_login(world.member(Role.CLERK))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "未找到该页面" in body
    assert "Resolver404" not in body
    assert "path" not in body.split("<main>")[1]


def test_the_gatekeepers_refusal_is_shown_on_the_404_page(world: World) -> None:
    client = Client()
    client.force_login(world.member(Role.CLERK))
    response = client.get(reverse("applications:case", args=[999999]))
    assert response.status_code == 404
    assert "未找到申请（内部编号 999999）" in response.content.decode()


def test_the_403_page_is_in_chinese(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_500_page_is_in_chinese(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.web import views

    def crash(request: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(views.LoginView, "get", lambda self, request: crash(request))
    response = Client(raise_request_exception=False).get(reverse("web:login"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_djangos_deployment_check_passes_behind_https_but_for_hsts_of_subdomains() -> None:
    """Only the two deliberate choices remain: other sites of a government domain may not speak
    HTTPS (no includeSubDomains), and the preload list is the domain owner's decision."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"],
        env={
            **clean,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "gongkai.site.settings",
            "GONGKAI_HTTPS": "1",
            "GONGKAI_SECRET_KEY": "Zq8-" + "x7Lm2Pw9Rt4Yk6Hn3Bv5Cj8Df1Gs0Ae" * 2,
            "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    found = set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr))
    assert found == {"W005", "W021"}, result.stdout + result.stderr
