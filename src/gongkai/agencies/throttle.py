"""Failed logins: a temporary lock per account name and per client address, growing with each
further failure, so that guessing passwords takes years instead of minutes.

The rule (settings ``GONGKAI_LOGIN_*``, see site/settings.py): failures are counted within a
window; from the ``limit``-th failure on, the key is locked for 1, 2, 4 … minutes, capped at the
maximum. While a key is locked every attempt is refused *without checking the password*, even
the right one, and is not counted (so the lock cannot be pushed forward without end by someone
who only wants to keep a clerk out). A successful login clears its account's count; an address's
count only ages out, or one valid account would let its owner keep guessing others' passwords.

Accounts are counted by the name typed (lower-cased), whether or not such an account exists,
so the answer does not reveal which names exist. Every failure and every lock is logged on the
``gongkai.security`` logger with the name and address. The rows are in the database
(:class:`~gongkai.agencies.models.LoginThrottle`), so all processes share them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkai.agencies.models import LoginThrottle, ThrottleKind

logger = logging.getLogger("gongkai.security")

LOCKED_MESSAGE: Final = (
    "登录失败次数过多，为防止密码被猜测，{what}已暂时锁定，请在 {until} 之后再试"
    "（约 {minutes} 分钟）。如果忘记了密码，请联系本单位的系统管理员重置。"
)
FAILED_MESSAGE: Final = (
    "用户名或密码不正确。请注意密码区分大小写；再失败 {left} 次，该账号将被暂时锁定。"
)


@dataclass(frozen=True, slots=True)
class Lock:
    kind: ThrottleKind
    until: dt.datetime

    def message(self, now: dt.datetime) -> str:
        minutes = max(1, -(-int((self.until - now).total_seconds()) // 60))
        what = "该账号" if self.kind is ThrottleKind.ACCOUNT else "您所在的网络地址"
        until = timezone.localtime(self.until).strftime("%H:%M")
        return LOCKED_MESSAGE.format(what=what, until=until, minutes=minutes)


def client_address(request: HttpRequest) -> str:
    """The client's IP address; behind ``GONGKAI_TRUSTED_PROXIES`` proxies, the one they saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    n-th entry from the right was written by our own n-th proxy; entries further left were
    written by the client and may be forged.
    """
    proxies = int(getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])[:150]
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")[:150]


def _limit(kind: ThrottleKind) -> int:
    if kind is ThrottleKind.ACCOUNT:
        return int(settings.GONGKAI_LOGIN_FAILURES_PER_ACCOUNT)
    return int(settings.GONGKAI_LOGIN_FAILURES_PER_ADDRESS)


def _keys(username: str, address: str) -> list[tuple[ThrottleKind, str]]:
    return [
        (ThrottleKind.ACCOUNT, username.strip().lower()[:150]),
        (ThrottleKind.ADDRESS, address[:150]),
    ]


def login_lock(*, username: str, address: str, now: dt.datetime | None = None) -> Lock | None:
    """The lock that refuses a login as ``username`` from ``address`` now, or ``None``."""
    now = now or timezone.now()
    locks = [
        Lock(ThrottleKind(row.kind), row.locked_until)
        for kind, key in _keys(username, address)
        for row in LoginThrottle.objects.filter(kind=kind, key=key, locked_until__gt=now)
        if row.locked_until is not None
    ]
    return max(locks, key=lambda lock: lock.until, default=None)


def _row(kind: ThrottleKind, key: str, now: dt.datetime) -> LoginThrottle:
    defaults: dict[str, Any] = {"first_failure_at": now, "last_failure_at": now}
    try:
        with transaction.atomic():
            row, _ = LoginThrottle.objects.select_for_update().get_or_create(
                kind=kind, key=key, defaults=defaults
            )
    except IntegrityError:  # created by a concurrent failure meanwhile
        row = LoginThrottle.objects.select_for_update().get(kind=kind, key=key)
    return row


@transaction.atomic
def login_failed(*, username: str, address: str, now: dt.datetime | None = None) -> int:
    """Count a failed login; returns how many failures the account may still have before its
    lock (0 when this failure locked it or the address)."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=int(settings.GONGKAI_LOGIN_WINDOW_MINUTES))
    longest = dt.timedelta(minutes=int(settings.GONGKAI_LOGIN_MAX_LOCK_MINUTES))
    left = 0
    for kind, key in _keys(username, address):
        row = _row(kind, key, now)
        if row.failures and row.last_failure_at < now - window:
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        row.last_failure_at = now
        limit = _limit(kind)
        if row.failures >= limit:
            lock = min(dt.timedelta(minutes=2 ** min(row.failures - limit, 20)), longest)
            row.locked_until = now + lock
            logger.warning(
                "登录锁定：%s %r 连续失败 %d 次，锁定至 %s（账号 %r，地址 %s）",
                row.get_kind_display(),
                key,
                row.failures,
                row.locked_until.isoformat(),
                username,
                address,
            )
        elif kind is ThrottleKind.ACCOUNT:
            left = limit - row.failures
        row.save()
    logger.info("登录失败：账号 %r，地址 %s", username, address)
    # Forget what has aged out, so guessed names do not pile up in the table.
    LoginThrottle.objects.filter(last_failure_at__lt=now - window).exclude(
        locked_until__gt=now
    ).delete()
    return left


def failures_left(*, username: str) -> int:
    """How many more failures the account may have before it is locked."""
    row = LoginThrottle.objects.filter(
        kind=ThrottleKind.ACCOUNT, key=username.strip().lower()[:150]
    ).first()
    return max(_limit(ThrottleKind.ACCOUNT) - (row.failures if row else 0), 0)


def login_succeeded(*, username: str, address: str) -> None:
    """Forget the account's failures (not the address's: see the module docstring)."""
    LoginThrottle.objects.filter(
        kind=ThrottleKind.ACCOUNT, key=username.strip().lower()[:150]
    ).delete()
    logger.info("登录成功：账号 %r，地址 %s", username, address)


def login_unlock(*, username: str) -> None:
    """Lift the account's lock (its administrator has just set a new password)."""
    LoginThrottle.objects.filter(
        kind=ThrottleKind.ACCOUNT, key=username.strip().lower()[:150]
    ).delete()
