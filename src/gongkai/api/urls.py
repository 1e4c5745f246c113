"""``/api/``: the endpoints of :mod:`gongkai.api.views`, the schema at ``openapi.json``, the
staff page of tokens at ``tokens/``, and for any other address the API's JSON 404 rather than
the staff site's HTML page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from gongkai.api import views_pages
from gongkai.api.views import api, not_found

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    *api.urls[0],
    path("tokens/", views_pages.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views_pages.token_revoke, name="token_revoke"),
    re_path(r"", not_found),
]
