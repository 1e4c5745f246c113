from __future__ import annotations

from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "gongkai.registers"
    label = "registers"
    verbose_name = "公开工作台账"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The gatekeeper (agencies, a layer below) guards the registers without importing them.
        from gongkai.agencies import gatekeeper
        from gongkai.registers.models import (
            NORMATIVE_DOCUMENT,
            NORMATIVE_DOCUMENT_NOT_FOUND,
            PROACTIVE_ITEM,
            PROACTIVE_ITEM_NOT_FOUND,
            WORK_RECORD,
            WORK_RECORD_NOT_FOUND,
            NormativeDocument,
            ProactiveItem,
            WorkRecord,
        )

        gatekeeper.register_scoped_model(
            NORMATIVE_DOCUMENT,
            NormativeDocument,
            unit_lookup="unit",
            not_found=NORMATIVE_DOCUMENT_NOT_FOUND,
            select_related=("unit",),
        )
        gatekeeper.register_scoped_model(
            PROACTIVE_ITEM,
            ProactiveItem,
            unit_lookup="unit",
            not_found=PROACTIVE_ITEM_NOT_FOUND,
            select_related=("unit",),
        )
        gatekeeper.register_scoped_model(
            WORK_RECORD,
            WorkRecord,
            unit_lookup="unit",
            not_found=WORK_RECORD_NOT_FOUND,
            select_related=("unit",),
        )
