"""Issuing and revoking tokens: who may, what is stored (a hash, never the secret), and the
``gongkai api-token`` command."""

from __future__ import annotations

import hashlib
import json

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.api.models import ApiToken
from gongkai.api.selectors import tokens_for
from gongkai.api.services import ApiError, api_token_create, api_token_revoke
from gongkai.cli import main

from .conftest import Api, World, error_of


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.HEAD, True), (Role.ADMIN, True), (Role.CLERK, False), (Role.SUPERVISOR, False)],
)
def test_the_head_and_the_administrator_issue_tokens(
    world: World, role: Role, allowed: bool
) -> None:
    user = world.member(role)
    if allowed:
        token, secret = api_token_create(
            acting_user=user, unit=world.district, name="OA", scopes=["applications:read"]
        )
        assert token.created_by == user
        assert secret.startswith("gk_") and len(secret) > 40
        assert list(tokens_for(user=user)) == [token]
    else:
        with pytest.raises(AccessDeniedError):
            api_token_create(
                acting_user=user, unit=world.district, name="OA", scopes=["applications:read"]
            )
        assert not ApiToken.objects.exists()


def test_a_head_issues_for_their_own_unit_only(world: World) -> None:
    with pytest.raises(AccessDeniedError):
        api_token_create(
            acting_user=world.member(Role.HEAD),
            unit=world.township,
            name="OA",
            scopes=["audit"],
        )


def test_only_the_hash_is_stored(world: World) -> None:
    token, secret = api_token_create(
        acting_user=None, unit=world.district, name="OA", scopes=["audit"]
    )
    stored = ApiToken.objects.get(pk=token.pk)

    assert stored.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(
        {f.name: str(getattr(stored, f.attname)) for f in ApiToken._meta.fields}
    )
    assert stored.account.has_usable_password() is False
    assert stored.account.is_active is False


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("", ["audit"], "请填写令牌名称"),
        ("OA", [], "至少需要一个权限范围"),
        ("OA", ["everything"], "未知的权限范围：everything"),
    ],
)
def test_bad_token_requests(world: World, name: str, scopes: list[str], message: str) -> None:
    with pytest.raises(ApiError, match=message):
        api_token_create(acting_user=None, unit=world.district, name=name, scopes=scopes)


def test_revoking_takes_effect_at_once(world: World, api: Api) -> None:
    head = world.member(Role.HEAD)
    token, secret = api_token_create(
        acting_user=head, unit=world.district, name="OA", scopes=["applications:read"]
    )
    assert api.get("/applications", secret).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None

    # a head of another unit may not revoke it, and is told as if it did not exist
    with pytest.raises(AccessDeniedError, match="未找到接口令牌"):
        api_token_revoke(
            acting_user=world.member(Role.HEAD, world.other_district), token_id=token.pk
        )
    api_token_revoke(acting_user=head, token_id=token.pk)

    refused = api.get("/applications", secret)
    assert refused.status_code == 401
    assert "已被吊销" in error_of(refused)["message"]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_the_command_issues_lists_and_revokes(
    world: World, api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    status, text = _run(
        capsys,
        "api-token",
        "create",
        "--unit",
        "泉港区政府办",
        "--name",
        "办公系统",
        "--scope",
        "applications:read",
        "--scope",
        "audit",
    )
    assert status == 0
    secret = next(word for word in text.split() if word.startswith("gk_"))
    assert api.get("/applications", secret).status_code == 200

    status, text = _run(capsys, "api-token", "list", "--json")
    listed = json.loads(text)
    assert [(t["name"], t["scopes"], t["revoked_at"]) for t in listed] == [
        ("办公系统", ["applications:read", "audit"], None)
    ]
    assert secret not in text

    status, text = _run(capsys, "api-token", "revoke", str(listed[0]["id"]))
    assert status == 0 and "已吊销" in text
    assert api.get("/applications", secret).status_code == 401

    status, text = _run(capsys, "api-token", "revoke", "999")
    assert status != 0 and "未找到接口令牌" in text
    status, text = _run(
        capsys, "api-token", "create", "--unit", "泉港区政府办", "--name", "x", "--scope", "all"
    )
    assert status != 0 and "未知的权限范围" in text
