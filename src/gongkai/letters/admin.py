"""Django admin for letters: for inspection only.

Templates and letterheads are edited through :mod:`gongkai.letters.services` (permission,
trial rendering, versioning); sent letters are evidence. The admin therefore only shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.letters.models import Letterhead, LetterNumber, LetterTemplate, SentLetter


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SentLetter)
class SentLetterAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "reference",
        "title",
        "recipient",
        "letter_date",
        "sent_by",
        "sent_at",
    )
    list_filter = ("kind",)
    search_fields = ("application__tracking_number", "reference", "recipient")
    exclude = ("docx", "pdf")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin):
    list_display = ("unit", "kind", "created_by", "created_at")
    list_filter = ("kind",)


@admin.register(Letterhead)
class LetterheadAdmin(ReadOnlyAdmin):
    list_display = ("unit", "issuer", "phone", "updated_by", "updated_at")


@admin.register(LetterNumber)
class LetterNumberAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "last")
    list_filter = ("year",)
