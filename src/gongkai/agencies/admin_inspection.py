"""The one base of every Django admin page in gongkai: inspection only.

Every record changes through its app's services — the gatekeeper, the optimistic lock, the
typed event in the same transaction — so Django's admin, kept for the IT administrator's
inspection, must not add, change or delete anything. Each app's ``admin.py`` subclasses these
instead of repeating the three refusals.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class _Refusals:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InspectionAdmin(_Refusals, admin.ModelAdmin):  # type: ignore[type-arg]
    """A model's admin pages, read-only."""


class InspectionInline(_Refusals, admin.TabularInline):  # type: ignore[type-arg]
    """A related model's rows inside another's admin page, read-only."""
