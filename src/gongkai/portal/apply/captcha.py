"""A captcha that needs no third-party service, which is also the form's one-time token.

The form carries a small sum in Chinese ("七加五等于几？") and a token signed with Django's
signing (the answer's hash, a random nonce, a timestamp). On submit the signature and age are
checked, then the nonce is spent in Django's shared cache: a replayed form, or the same page
sent twice, finds its nonce spent and is refused before anything is stored. The cache is a
table of the application's database (``CACHES`` in the settings), so every server process sees
the same spent nonces, and ``cache.add`` is atomic across them: the table's primary key lets
only one of two simultaneous posts insert the nonce. The nonce is also the submission's
``form_token``, so the database refuses a second row too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

from django.core import signing
from django.core.cache import cache

SALT: Final = "gongkai.portal.captcha"
MAX_AGE_SECONDS: Final = 2 * 60 * 60
_DIGITS: Final = "零一二三四五六七八九十"
WRONG: Final = "验证题答案不正确，请重新计算后填写（答案是一个阿拉伯数字）"
EXPIRED: Final = "表单已超过两小时未提交，验证已失效；请重新填写验证题后提交（其他内容已保留）"
SPENT: Final = "该表单已经提交过，为避免重复登记，本次未再次提交。请通过查询码查询办理情况"
BUSY: Final = "系统繁忙，本次未能提交，请稍后重新提交（已填写的内容已保留）"


class CaptchaError(ValueError):
    """A wrong, expired, forged or already used captcha; the message is for the applicant."""


@dataclass(frozen=True, slots=True)
class Challenge:
    question: str
    token: str


def _digest(answer: int, nonce: str) -> str:
    return hashlib.sha256(f"{nonce}:{answer}".encode()).hexdigest()[:16]


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(18)
    token = signing.dumps({"n": nonce, "h": _digest(a + b, nonce)}, salt=SALT)
    return Challenge(question=f"{_DIGITS[a]}加{_DIGITS[b]}等于几？", token=token)


def spend(token: str, answer: str) -> str:
    """Check the answer and spend the token; its nonce (the form token) on success."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise CaptchaError(EXPIRED) from None
    except signing.BadSignature:
        raise CaptchaError(WRONG) from None
    nonce, digest = str(data.get("n", "")), str(data.get("h", ""))
    text = answer.strip()
    if not text.isdigit() or len(text) > 3 or _digest(int(text), nonce) != digest:
        raise CaptchaError(WRONG)
    key = f"portal-captcha:{nonce}"
    if not cache.add(key, 1, timeout=MAX_AGE_SECONDS + 60):
        # ``add`` also answers False when the database refused the write (a lock timeout):
        # only a nonce found spent is a replay; otherwise the applicant may simply try again.
        raise CaptchaError(SPENT if cache.get(key) is not None else BUSY)
    return nonce
