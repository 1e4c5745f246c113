"""One row per entered version of a year's schedule; rows are never changed or deleted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class CalendarYearVersion(models.Model):
    """A year's days off and make-up working days as the 国务院办公厅 notice sets them.

    The newest version of a year (highest id) is in force; older ones are the history of who
    entered what, when, and from which text.
    """

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    days_off = models.JSONField("放假日期", default=list, blank=True)  # ISO dates, sorted
    workdays = models.JSONField("调休上班日期", default=list, blank=True)  # ISO dates, sorted
    source = models.CharField("依据（通知文号）", max_length=200)
    source_text = models.TextField("录入的原文", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    entered_by_name = models.CharField("录入人", max_length=150)  # kept if the account goes
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ("-year", "-id")
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"

    def __str__(self) -> str:
        return f"{self.year} 年放假安排（{self.source}）"

    def days_off_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.days_off]

    def workdays_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.workdays]
