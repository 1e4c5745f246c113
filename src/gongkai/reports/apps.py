from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = "年度报告"
    default_auto_field = "django.db.models.BigAutoField"
