"""A member whose password an administrator set must choose their own before anything else.

The administrator knows a password they set (a new account, a reset), so it is one-time:
:attr:`Membership.one_time_password` keeps its hash, and while the account's password is still
that hash every page redirects to 修改密码. Changing the password changes the hash, which ends
the redirect without any code having to clear the mark. The membership is read through the
gatekeeper's per-request cache, so the check adds no query to a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.agencies.gatekeeper import membership_of

MUST_CHANGE: Final = (
    "您的密码由系统管理员设置，只能使用一次。请先设置只有您本人知道的新密码，再继续使用。"
)


def must_change_password(user: object) -> bool:
    membership = membership_of(user)
    return bool(
        membership is not None
        and membership.one_time_password
        and membership.one_time_password == getattr(user, "password", None)
    )


class OneTimePasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if must_change_password(getattr(request, "user", None)):
            allowed = {reverse("web:password_change"), reverse("web:logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                messages.warning(request, MUST_CHANGE)
                return redirect("web:password_change")
        return self.get_response(request)
