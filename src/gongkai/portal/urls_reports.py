"""The published reports and disclosure guides under ``/public/`` (no login)."""

from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.portal import reports_views as v

REPORT = "reports/<int:unit_id>/<int:year>/"

urlpatterns: list[URLPattern] = [
    path("reports/", v.index, name="reports_index"),
    path("reports/<int:unit_id>/", v.unit_page, name="reports_unit"),
    path(REPORT, v.report, name="report"),
    path(REPORT + "v<int:version>/", v.report_version, name="report_version"),
    path(REPORT + "v<int:version>/<str:fmt>/", v.download, name="report_download"),
    path(REPORT + "rollup/", v.rollup, name="rollup"),
    path(REPORT + "rollup/v<int:version>/", v.rollup_version, name="rollup_version"),
    path(REPORT + "rollup/v<int:version>/<str:fmt>/", v.rollup_download, name="rollup_download"),
    path("guide/<int:unit_id>/", v.guide, name="guide"),
]
