"""Django admin for the registers: inspection only (writes go through the services and their
checks: duplicate 文号, dates, permissions)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.agencies.admin_inspection import InspectionAdmin
from gongkai.registers.models import (
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    RegisterEvent,
    WorkRecord,
)


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(InspectionAdmin):
    list_display = ("number", "title", "unit", "kind", "issued_on", "repealed_on")
    list_filter = ("kind",)
    search_fields = ("number", "title")


@admin.register(DecisionCount)
class DecisionCountAdmin(InspectionAdmin):
    list_display = ("unit", "year", "month", "kind", "quantity")
    list_filter = ("year", "kind")


@admin.register(AdminFeeTotal)
class AdminFeeTotalAdmin(InspectionAdmin):
    list_display = ("unit", "year", "amount")
    list_filter = ("year",)


@admin.register(ProactiveItem)
class ProactiveItemAdmin(InspectionAdmin):
    list_display = ("title", "unit", "category", "formed_on", "published_on")
    list_filter = ("category",)
    search_fields = ("title",)


@admin.register(WorkRecord)
class WorkRecordAdmin(InspectionAdmin):
    list_display = ("name", "unit", "kind", "happened_on", "change", "quantity")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(RegisterEvent)
class RegisterEventAdmin(InspectionAdmin):
    list_display = ("at", "unit", "actor", "kind", "entry_id")
    list_filter = ("kind",)
