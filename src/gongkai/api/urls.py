"""``/api/``: the endpoints of :mod:`gongkai.api.views`, the schema at ``openapi.json``, and
for any other address the API's JSON 404 rather than the staff site's HTML page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, re_path

from gongkai.api.views import api, not_found

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [*api.urls[0], re_path(r"", not_found)]
