"""Django admin for units and memberships: read-mostly, writes go through the services.

Creating a unit in the admin would bypass ``unit_create`` and leave ``Unit.path`` empty, which
would hide the unit from every supervisor; so units are listed here and created with the
services (the demo command, the future administration pages).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.agencies.models import Membership, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    readonly_fields = ("path", "parent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role", "unit")
    search_fields = ("user__username", "user__first_name", "unit__name")
    autocomplete_fields = ("unit",)
