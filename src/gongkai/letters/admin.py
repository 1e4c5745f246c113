"""Django admin for letters: for inspection only.

Templates and letterheads are edited through :mod:`gongkai.letters.services` (permission,
trial rendering, versioning); sent letters are evidence. The admin therefore only shows them.
"""

from __future__ import annotations

from django.contrib import admin

from gongkai.agencies.admin_inspection import InspectionAdmin
from gongkai.letters.models import Letterhead, LetterNumber, LetterTemplate, SentLetter


@admin.register(SentLetter)
class SentLetterAdmin(InspectionAdmin):
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
class LetterTemplateAdmin(InspectionAdmin):
    list_display = ("unit", "kind", "created_by", "created_at")
    list_filter = ("kind",)


@admin.register(Letterhead)
class LetterheadAdmin(InspectionAdmin):
    list_display = ("unit", "issuer", "phone", "updated_by", "updated_at")


@admin.register(LetterNumber)
class LetterNumberAdmin(InspectionAdmin):
    list_display = ("unit", "year", "last")
    list_filter = ("year",)
