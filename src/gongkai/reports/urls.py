from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.reports import downloads, views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("<int:unit_id>/<int:year>/", views.report_page, name="report"),
    path("rollup/<int:unit_id>/<int:year>/", views.rollup_page, name="rollup"),
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
