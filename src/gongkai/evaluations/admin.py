"""Django admin for the workspace: inspection only (writes go through the services, which ask
the gatekeeper and write the log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.evaluations.models import Batch, EvaluatedReport, EvaluationEvent, FindingJudgement


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(_ReadOnly):
    list_display = ("title", "unit", "created_by", "created_at", "audited_at")


@admin.register(EvaluatedReport)
class EvaluatedReportAdmin(_ReadOnly):
    list_display = ("file_name", "batch", "unit_name", "year", "errors", "warnings")
    search_fields = ("file_name", "unit_name", "sha256")
    exclude = ("data",)  # the file's compressed bytes


@admin.register(FindingJudgement)
class FindingJudgementAdmin(_ReadOnly):
    list_display = ("fingerprint", "unit", "verdict", "judged_by", "judged_at")
    list_filter = ("verdict",)


@admin.register(EvaluationEvent)
class EvaluationEventAdmin(_ReadOnly):
    list_display = ("batch", "kind", "actor", "created_at")
    list_filter = ("kind",)
