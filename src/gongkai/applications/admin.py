"""Django admin for applications: for inspection only.

Every change to a case must go through :mod:`gongkai.applications.services` (gatekeeper,
optimistic lock, case clock, event), so the admin shows applications and their history but
cannot add, change or delete either.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.agencies.admin_inspection import InspectionAdmin, InspectionInline
from gongkai.applications.models import Application, ApplicationEvent


class EventInline(InspectionInline):
    model = ApplicationEvent
    fields = ("date", "kind", "actor", "data", "created_at")
    readonly_fields = fields
    extra = 0


class ArchivedFilter(admin.SimpleListFilter):
    """已归档 or not: archived cases (past retention, read-only) are out of the staff site's
    daily lists, so the IT administrator finds them here, or on 已归档案件 of 系统管理."""

    title = "归档"
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "已归档"), ("no", "未归档")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(archived_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(archived_on__isnull=True)
        return queryset


@admin.register(Application)
class ApplicationAdmin(InspectionAdmin):
    list_display = (
        "tracking_number",
        "unit",
        "applicant_name",
        "channel",
        "received_on",
        "status",
        "due_date",
        "result",
        "archived_on",
    )
    list_filter = (ArchivedFilter, "unit", "channel", "applicant_type", "status")
    search_fields = ("tracking_number", "applicant_name", "description")
    inlines = (EventInline,)


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(InspectionAdmin):
    list_display = ("application", "date", "kind", "actor", "created_at")
    list_filter = ("kind",)
