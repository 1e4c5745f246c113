from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.reports import downloads, import_views, views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("<int:unit_id>/<int:year>/", views.report_page, name="report"),
    path(
        "<int:unit_id>/<int:year>/narrative/<str:section>/",
        views.narrative_save,
        name="narrative_save",
    ),
    path(
        "<int:unit_id>/<int:year>/narrative/<str:section>/check/",
        views.narrative_check,
        name="narrative_check",
    ),
    path("rollup/<int:unit_id>/<int:year>/", views.rollup_page, name="rollup"),
    path("<int:unit_id>/<int:year>/import/", import_views.import_page, name="import"),
    path(
        "<int:unit_id>/<int:year>/download/<str:fmt>/",
        downloads.draft_download,
        name="download_draft",
    ),
    path(
        "<int:unit_id>/<int:year>/v<int:version>/download/<str:fmt>/",
        downloads.version_download,
        name="download_version",
    ),
]
