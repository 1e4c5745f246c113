from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.reports import import_views, views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("<int:unit_id>/<int:year>/", views.report_page, name="report"),
    path("rollup/<int:unit_id>/<int:year>/", views.rollup_page, name="rollup"),
    path("<int:unit_id>/<int:year>/import/", import_views.import_page, name="import"),
]
