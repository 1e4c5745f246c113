"""The logged-in user's notifications: the reminders addressed to them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.reminders.models import Reminder


def notifications_for(*, user: Any) -> QuerySet[Reminder]:
    """``user``'s reminders, unread first, newest first (only their own: no gatekeeper scope
    beyond the recipient, who was a handler of the case when it was sent)."""
    return (
        Reminder.objects.filter(recipient=user)
        .select_related("application")
        .order_by("read_at", "-created_on", "deadline", "pk")
    )


def unread_count(*, user: Any) -> int:
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).count()
