from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The staff site's frame: layout, navigation, login pages, error pages, CSS."""

    name = "gongkai.web"
    label = "web"
    verbose_name = "工作平台"
