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
        from gongkai.applications.calendar_refresh import refresh_open_cases
        from gongkai.applications.models import Application
        from gongkai.calendars.signals import schedule_entered

        gatekeeper.register_scoped_model(
            gatekeeper.APPLICATION,
            Application,
            unit_lookup="unit",
            not_found=gatekeeper.APPLICATION_NOT_FOUND,
            select_related=("unit", "assigned_to"),
        )
        # An entered holiday schedule moves due dates: refresh the open cases' cached columns.
        schedule_entered.connect(refresh_open_cases, dispatch_uid="applications.refresh")
