"""The login backend: Django's own, behind the login throttle.

The throttle sits here, not in a login form, so that every way of logging in counts and obeys
it alike: the staff site's form, Django's admin login and any later one. A locked account or
address is refused before the password is even checked.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from gongkai.agencies import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        address = throttle.client_address(request) if request is not None else "unknown"
        if throttle.login_lock(username=username, address=address) is not None:
            throttle.logger.warning("登录被拒（已锁定）：账号 %r，地址 %s", username, address)
            return None
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            throttle.login_failed(username=username, address=address)
        else:
            throttle.login_succeeded(username=username, address=address)
        return user
