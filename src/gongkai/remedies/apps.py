from __future__ import annotations

from django.apps import AppConfig


class RemediesConfig(AppConfig):
    name = "gongkai.remedies"
    label = "remedies"
    verbose_name = "行政复议和行政诉讼"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The gatekeeper (agencies, a layer below) guards remedies without importing them.
        from gongkai.agencies import gatekeeper
        from gongkai.remedies.models import Remedy

        gatekeeper.register_scoped_model(
            gatekeeper.REMEDY,
            Remedy,
            unit_lookup="application__unit",
            not_found=gatekeeper.REMEDY_NOT_FOUND,
            select_related=("application",),
        )
