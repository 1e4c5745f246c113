from __future__ import annotations

from django.contrib import admin

from gongkai.calendars.models import CalendarYearVersion


@admin.register(CalendarYearVersion)
class CalendarYearVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are entered on the calendar page or with ``gongkai calendar``."""

    list_display = ("year", "source", "entered_by_name", "entered_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
