"""Django admin for the registers: inspection only (writes go through the services and their
checks: duplicate 文号, dates, permissions)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.registers.models import (
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    RegisterEvent,
    WorkRecord,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(_ReadOnly):
    list_display = ("number", "title", "unit", "kind", "issued_on", "repealed_on")
    list_filter = ("kind",)
    search_fields = ("number", "title")


@admin.register(DecisionCount)
class DecisionCountAdmin(_ReadOnly):
    list_display = ("unit", "year", "month", "kind", "quantity")
    list_filter = ("year", "kind")


@admin.register(AdminFeeTotal)
class AdminFeeTotalAdmin(_ReadOnly):
    list_display = ("unit", "year", "amount")
    list_filter = ("year",)


@admin.register(ProactiveItem)
class ProactiveItemAdmin(_ReadOnly):
    list_display = ("title", "unit", "category", "formed_on", "published_on")
    list_filter = ("category",)
    search_fields = ("title",)


@admin.register(WorkRecord)
class WorkRecordAdmin(_ReadOnly):
    list_display = ("name", "unit", "kind", "happened_on", "change", "quantity")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(RegisterEvent)
class RegisterEventAdmin(_ReadOnly):
    list_display = ("at", "unit", "actor", "kind", "entry_id")
    list_filter = ("kind",)
