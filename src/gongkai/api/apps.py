from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongkai.api"
    label = "api"
    verbose_name = "数据接口"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Tokens are managed where the gatekeeper says (MANAGE_API_TOKENS over their unit).
        from gongkai.agencies import gatekeeper
        from gongkai.api.models import ApiToken
        from gongkai.api.services import API_TOKEN, API_TOKEN_NOT_FOUND

        gatekeeper.register_scoped_model(
            API_TOKEN,
            ApiToken,
            unit_lookup="unit",
            not_found=API_TOKEN_NOT_FOUND,
            select_related=("unit",),
        )
