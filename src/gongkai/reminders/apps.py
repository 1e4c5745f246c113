from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "gongkai.reminders"
    label = "reminders"
    verbose_name = "期限提醒"
    default_auto_field = "django.db.models.BigAutoField"
