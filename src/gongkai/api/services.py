"""Writes of the API: issuing and revoking tokens, authenticating a call, idempotent creation.

Keyword-only arguments, as every service. Tokens are managed by whoever may
:data:`~gongkai.agencies.gatekeeper.Action.MANAGE_API_TOKENS` in the unit (its 负责人, the
系统管理员 above it), or from the command line by whoever holds the database
(``acting_user=None``, as the other commands that write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from gongkai.agencies.gatekeeper import (
    TOKEN_SCOPES,
    AccessDeniedError,
    Action,
    access_record_by_id,
    require,
    service_principal,
)
from gongkai.agencies.models import Unit
from gongkai.api.models import ApiToken, IdempotencyKey
from gongkai.applications.models import Application
from gongkai.core.errors import GongkaiError

API_TOKEN: Final = "api_token"  # noqa: S105 (the gatekeeper's record kind)
API_TOKEN_NOT_FOUND: Final = "未找到接口令牌（编号 {id}），或您无权管理该令牌"  # noqa: S105

SCOPE_LABELS: Final[dict[str, str]] = {
    "applications:read": "读取申请及办理记录（身份证件号码、电话号码打码）",
    "applications:write": "登记申请、办理各步骤、补录答复理由",
    "extensions:approve": "批准或驳回延期答复（负责人的同意；须同时有 applications:write）",
    "applications:personal-data": "读取申请人完整的身份证件号码和电话号码",
    "registers:read": "读取公开工作台账",
    "reports:read": "读取年度报告",
    "audit": "提交报告文件审查",
}
# Scopes the API itself interprets, beyond the gatekeeper's table (which decides the rest).
PERSONAL_DATA_SCOPE: Final = "applications:personal-data"
AUDIT_SCOPE: Final = "audit"
assert set(SCOPE_LABELS) == {*TOKEN_SCOPES, PERSONAL_DATA_SCOPE}

TOKEN_PREFIX: Final = "gk_"  # noqa: S105 (the public prefix, not a secret)
_PREFIX_SHOWN: Final = 10  # "gk_" and seven characters of the secret: enough to tell apart


class ApiError(GongkaiError):
    """A request the API refuses, explained in Chinese; ``code`` is the JSON error code."""

    def __init__(self, message: str, *, code: str = "invalid", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted({s.strip() for s in scopes if s.strip()})
    unknown = [s for s in chosen if s not in SCOPE_LABELS]
    if unknown:
        allowed = "、".join(f"{code}（{label}）" for code, label in SCOPE_LABELS.items())
        raise ApiError(f"未知的权限范围：{'、'.join(unknown)}；可选：{allowed}")
    if not chosen:
        raise ApiError("接口令牌至少需要一个权限范围")
    return chosen


@transaction.atomic
def api_token_create(
    *, acting_user: Any | None, unit: Unit, name: str, scopes: Iterable[str]
) -> tuple[ApiToken, str]:
    """Issue a token of ``unit``; returns it with its secret, which is never shown again."""
    if acting_user is not None:
        require(acting_user, Action.MANAGE_API_TOKENS, unit)
    name = name.strip()
    if not name:
        raise ApiError("请填写令牌名称（如调用系统的名称），以便日后识别和吊销")
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ApiError("令牌名称过长（最多 100 个字符）")
    chosen = _clean_scopes(scopes)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    account = get_user_model().objects.create_user(
        username=f"api-{uuid.uuid4().hex[:20]}",
        password=None,
        first_name=f"接口：{name}"[:150],
        is_active=False,  # never logs in: it acts only through the token's grant
    )
    token = ApiToken.objects.create(
        unit=unit,
        name=name,
        scopes=chosen,
        prefix=secret[:_PREFIX_SHOWN],
        secret_sha256=token_hash(secret),
        account=account,
        created_by=acting_user,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, acting_user: Any | None, token_id: Any) -> ApiToken:
    """Revoke a token at once; its next call is refused. Revoking twice changes nothing."""
    if acting_user is None:
        token = ApiToken.objects.filter(pk=token_id).first() if str(token_id).isdigit() else None
        if token is None:
            raise AccessDeniedError(API_TOKEN_NOT_FOUND.format(id=token_id))
    else:
        token = access_record_by_id(API_TOKEN, acting_user, token_id, Action.MANAGE_API_TOKENS)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = acting_user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


UNAUTHENTICATED: Final = "缺少或无效的接口令牌：请在请求头中提供 Authorization: Bearer <令牌>"
REVOKED: Final = "该接口令牌已被吊销，请联系本单位负责人重新签发"
RATE_LIMITED: Final = "请求过于频繁：每个令牌每分钟最多 {limit} 次请求，请稍后再试"


def requests_per_minute() -> int:
    return int(getattr(settings, "GONGKAI_API_REQUESTS_PER_MINUTE", 600))


def authenticate(*, secret: str, now: dt.datetime | None = None) -> tuple[ApiToken, Any]:
    """The token ``secret`` names and its service principal; counts the call against the rate
    limit (one UPDATE, shared by every server process) and records when it was last used.

    Raises :class:`ApiError` (401) for an unknown or revoked token and (429) over the limit.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise ApiError(UNAUTHENTICATED, code="unauthenticated", status=401)
    token = (
        ApiToken.objects.select_related("unit", "account")
        .filter(secret_sha256=token_hash(secret))
        .first()
    )
    if token is None:
        raise ApiError(UNAUTHENTICATED, code="unauthenticated", status=401)
    if token.revoked_at is not None:
        raise ApiError(REVOKED, code="token_revoked", status=401)
    moment = now or timezone.now()
    window = moment.replace(second=0, microsecond=0)
    ApiToken.objects.filter(pk=token.pk).update(
        window_count=Case(When(window_start=window, then=F("window_count") + 1), default=Value(1)),
        window_start=window,
        last_used_at=moment,
    )
    count = ApiToken.objects.filter(pk=token.pk).values_list("window_count", flat=True)[0]
    limit = requests_per_minute()
    if count > limit:
        raise ApiError(RATE_LIMITED.format(limit=limit), code="rate_limited", status=429)
    principal = service_principal(token.account, unit=token.unit, scopes=frozenset(token.scopes))
    return token, principal


def require_scope(token: ApiToken, scope: str) -> None:
    """For the scopes the gatekeeper does not know (reading personal data, auditing)."""
    if scope not in token.scopes:
        raise ApiError(
            f"该接口令牌没有“{scope}”权限（{SCOPE_LABELS[scope]}）",
            code="forbidden",
            status=403,
        )


IDEMPOTENCY_KEY_LIFETIME: Final = dt.timedelta(hours=24)
"""How long an ``Idempotency-Key`` is remembered after its first use.

A retry follows a failure within seconds or minutes (a timeout, a dropped connection, a
restarted caller), so a day covers every honest retry with room to spare — the practice of the
major payment APIs (Stripe keeps keys at least 24 hours). After that the key is forgotten: a
caller that numbers its requests with a counter that restarts may reuse its keys for new
applications, and the table does not grow with every call ever made. A request with an expired
key is a new request (a second case, if the body repeats an old one).
"""
IDEMPOTENCY_HOURS: Final = int(IDEMPOTENCY_KEY_LIFETIME.total_seconds() // 3600)

IDEMPOTENCY_CONFLICT: Final = (
    "幂等键“{key}”已用于另一份不同内容的请求；重试请原样提交，新的申请请使用新的幂等键"
)


def _replay(token: ApiToken, key: str, fingerprint: str, now: dt.datetime) -> Application | None:
    record = (
        IdempotencyKey.objects.select_related("application")
        .filter(token=token, key=key, created_at__gt=now - IDEMPOTENCY_KEY_LIFETIME)
        .first()
    )
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise ApiError(
            IDEMPOTENCY_CONFLICT.format(key=key), code="idempotency_conflict", status=409
        )
    return record.application


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete every key past :data:`IDEMPOTENCY_KEY_LIFETIME` (one DELETE on the indexed
    ``created_at``); returns how many. Run on each creation with a key, so the table holds
    about a day of keys and an expired key's row never blocks its reuse."""
    moment = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lte=moment - IDEMPOTENCY_KEY_LIFETIME
    ).delete()
    return deleted


def create_once(
    *,
    token: ApiToken,
    key: str | None,
    fingerprint: str,
    create: Callable[[], Application],
    now: dt.datetime | None = None,
) -> tuple[Application, bool]:
    """Run ``create`` at most once per (token, ``key``) within :data:`IDEMPOTENCY_KEY_LIFETIME`:
    a retry gets the first result back (``False``: not created now), the same key with another
    body a 409; a key older than that is forgotten, and the request is a new one.

    The key's row is inserted in the creation's own transaction, before it: a concurrent
    retry's insert waits on the unique index (PostgreSQL) or on the writer lock (SQLite) and
    then fails, and reads the first request's committed result instead. A creation that
    fails stores no key, so the corrected request may reuse it.
    """
    if not key:
        return create(), True
    moment = now or timezone.now()
    idempotency_keys_purge(now=moment)
    found = _replay(token, key, fingerprint, moment)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                token=token, key=key, fingerprint=fingerprint, created_at=moment
            )
            application = create()
            record.application = application
            record.save(update_fields=["application"])
            return application, True
    except IntegrityError:
        found = _replay(token, key, fingerprint, moment)
        if found is None:
            raise
        return found, False
