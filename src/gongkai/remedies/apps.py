from __future__ import annotations

from django.apps import AppConfig


class RemediesConfig(AppConfig):
    name = "gongkai.remedies"
    label = "remedies"
    verbose_name = "行政复议和行政诉讼"
    default_auto_field = "django.db.models.BigAutoField"
