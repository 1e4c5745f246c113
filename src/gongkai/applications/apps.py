from __future__ import annotations

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The gatekeeper (agencies, a layer below) guards applications without importing them.
        from gongkai.agencies import gatekeeper
        from gongkai.applications.models import Application

        gatekeeper.register_scoped_model(
            gatekeeper.APPLICATION,
            Application,
            unit_lookup="unit",
            not_found=gatekeeper.APPLICATION_NOT_FOUND,
            select_related=("unit",),
        )
