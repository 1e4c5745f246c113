from __future__ import annotations

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "gongkai.evaluations"
    label = "evaluations"
    verbose_name = "年度报告评估"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The gatekeeper (agencies, a layer below) guards the batches without importing them.
        from gongkai.agencies import gatekeeper
        from gongkai.evaluations.models import (
            BATCH,
            BATCH_NOT_FOUND,
            EVALUATED_REPORT,
            REPORT_NOT_FOUND,
            Batch,
            EvaluatedReport,
        )

        gatekeeper.register_scoped_model(
            BATCH, Batch, unit_lookup="unit", not_found=BATCH_NOT_FOUND, select_related=("unit",)
        )
        gatekeeper.register_scoped_model(
            EVALUATED_REPORT,
            EvaluatedReport,
            unit_lookup="batch__unit",
            not_found=REPORT_NOT_FOUND,
            select_related=("batch", "batch__unit"),
        )
