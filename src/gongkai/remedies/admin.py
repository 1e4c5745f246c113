"""Django admin for reconsideration and litigation cases: inspection only (writes are services)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.agencies.admin_inspection import InspectionAdmin
from gongkai.remedies.models import Remedy


@admin.register(Remedy)
class RemedyAdmin(InspectionAdmin):
    list_display = ("application", "kind", "authority", "filed_on", "decided_on", "result")
    list_filter = ("kind", "result")
    search_fields = ("application__tracking_number", "case_number")
