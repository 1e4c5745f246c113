"""Django admin for published reports: inspection only (a published version never changes;
publishing and correcting are services)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.agencies.admin_inspection import InspectionAdmin
from gongkai.reports.models import PublishedReport


@admin.register(PublishedReport)
class PublishedReportAdmin(InspectionAdmin):
    list_display = ("unit", "year", "version", "published_at", "published_by", "reason")
    list_filter = ("year",)
    search_fields = ("unit__name",)
