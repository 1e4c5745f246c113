"""Django admin for reconsideration and litigation cases: inspection only (writes are services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.remedies.models import Remedy


@admin.register(Remedy)
class RemedyAdmin(admin.ModelAdmin):
    list_display = ("application", "kind", "authority", "filed_on", "decided_on", "result")
    list_filter = ("kind", "result")
    search_fields = ("application__tracking_number", "case_number")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
