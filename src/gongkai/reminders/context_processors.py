"""The unread-notifications badge of the navigation (one count query per staff page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gongkai.reminders.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: counted only when the template shows the badge (not on JSON or file responses).
    return {"nav_unread": SimpleLazyObject(lambda: unread_count(user=user))}
