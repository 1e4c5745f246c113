"""The captcha's one-time use holds across server processes: its spent nonces are in the shared
cache (a table of the application's database), not in one process's memory."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem

from gongkai.portal.apply import captcha

DIGITS = "零一二三四五六七八九十"


def answer(question: str) -> str:
    return str(DIGITS.index(question[0]) + DIGITS.index(question[2]))


def another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a second waitress process sees: a cache client of its own, and none of this
    process's memory (a per-process cache such as Django's local-memory one starts empty)."""
    monkeypatch.setattr(locmem, "_caches", {})
    monkeypatch.setattr(locmem, "_expire_info", {})
    monkeypatch.setattr(locmem, "_locks", {})
    monkeypatch.setattr(captcha, "cache", caches.create_connection("default"))


@pytest.mark.django_db
def test_a_captcha_spent_in_one_process_is_refused_in_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    challenge = captcha.new_challenge()
    nonce = captcha.spend(challenge.token, answer(challenge.question))
    another_process(monkeypatch)
    with pytest.raises(captcha.CaptchaError, match="已经提交过"):
        captcha.spend(challenge.token, answer(challenge.question))
    # A fresh form is accepted in the other process all the same.
    fresh = captcha.new_challenge()
    assert captcha.spend(fresh.token, answer(fresh.question)) != nonce


@pytest.mark.django_db
def test_a_failed_write_is_not_taken_for_a_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cache.add`` answers False when the database refused the write too: the applicant is
    asked to send again, not told the form was already sent."""
    challenge = captcha.new_challenge()
    monkeypatch.setattr(captcha.cache, "add", lambda *a, **k: False)
    with pytest.raises(captcha.CaptchaError, match="系统繁忙"):
        captcha.spend(challenge.token, answer(challenge.question))


@pytest.mark.django_db(transaction=True)
def test_two_cache_clients_accept_one_nonce_once() -> None:
    """Two cache clients (as two processes have) add the same nonce: the table's primary key
    lets one insert win; the other is refused."""
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first.add("portal-captcha:race", 1, timeout=60) is True
    assert second.add("portal-captcha:race", 1, timeout=60) is False
    first.delete("portal-captcha:race")
