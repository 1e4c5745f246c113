"""Django admin for the workspace: inspection only (writes go through the services, which ask
the gatekeeper and write the log)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.agencies.admin_inspection import InspectionAdmin
from gongkai.evaluations.models import Batch, EvaluatedReport, EvaluationEvent, FindingJudgement


@admin.register(Batch)
class BatchAdmin(InspectionAdmin):
    list_display = ("title", "unit", "created_by", "created_at", "audited_at")


@admin.register(EvaluatedReport)
class EvaluatedReportAdmin(InspectionAdmin):
    list_display = ("file_name", "batch", "state", "unit_name", "year", "errors", "warnings")
    list_filter = ("state",)
    search_fields = ("file_name", "unit_name", "sha256")
    exclude = ("data", "own_report")  # the file's and the parsed report's compressed bytes


@admin.register(FindingJudgement)
class FindingJudgementAdmin(InspectionAdmin):
    list_display = ("fingerprint", "unit", "verdict", "judged_by", "judged_at")
    list_filter = ("verdict",)


@admin.register(EvaluationEvent)
class EvaluationEventAdmin(InspectionAdmin):
    list_display = ("batch", "kind", "actor", "created_at")
    list_filter = ("kind",)
