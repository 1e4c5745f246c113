"""Django admin for reminders: for the IT administrator's inspection only.

The rows are the proof that a reminder or a digest was sent (``send_reminders`` is idempotent
because of them): deleting one would send it again, editing one would falsify the record. So
the admin shows them and changes nothing; reading a notice happens on the staff site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.reminders.models import DigestSent, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "deadline_kind",
        "subject",
        "deadline",
        "provisional",
        "timing",
        "recipient",
        "created_on",
        "sent_at",
        "read_at",
    )
    list_filter = ("timing", "deadline_kind", "provisional", "created_on")
    search_fields = ("application__tracking_number", "recipient__username", "subject")
    list_select_related = ("application", "recipient")
    date_hierarchy = "created_on"


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "day", "sent_at")
    list_filter = ("day",)
    search_fields = ("recipient__username",)
    list_select_related = ("recipient",)
