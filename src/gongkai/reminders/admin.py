"""Django admin for reminders: for the IT administrator's inspection only.

The rows are the proof that a reminder or a digest was sent (``send_reminders`` is idempotent
because of them): deleting one would send it again, editing one would falsify the record. So
the admin shows them and changes nothing; reading a notice happens on the staff site.
"""

from __future__ import annotations

from django.contrib import admin

from gongkai.agencies.admin_inspection import InspectionAdmin
from gongkai.reminders.models import DigestSent, Reminder


@admin.register(Reminder)
class ReminderAdmin(InspectionAdmin):
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
class DigestSentAdmin(InspectionAdmin):
    list_display = ("recipient", "day", "sent_at")
    list_filter = ("day",)
    search_fields = ("recipient__username",)
    list_select_related = ("recipient",)
