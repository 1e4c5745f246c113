from __future__ import annotations

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "gongkai.calendars"
    label = "calendars"
    verbose_name = "工作日历"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every clock, page, letter and CLI command then counts entered years (see store.py).
        from gongkai.calendars.store import DatabaseScheduleStore
        from gongkai.core.calendar import set_schedule_store

        set_schedule_store(DatabaseScheduleStore())
