from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(*, app_config: AppConfig, using: str = "default", **_: Any) -> None:
    """Create the database cache's table (``CACHES`` in the settings) at the end of ``migrate``,
    so a fresh install and the demo have it without a separate command; a no-op when it exists
    or when no database cache is configured. ``post_migrate`` is sent once per app with models
    (this one has none), so it acts on the last of them only."""
    from django.apps import apps
    from django.core.management import call_command

    if [a for a in apps.get_app_configs() if a.models_module is not None][-1] is app_config:
        call_command("createcachetable", database=using, verbosity=0)


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "公众门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, dispatch_uid="gongkai.portal.create_cache_table")
