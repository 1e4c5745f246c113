from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.evaluations import views

app_name = "evaluations"

urlpatterns: list[URLPattern] = [
    path("", views.batches, name="batches"),
    path("<int:batch_id>/", views.batch, name="batch"),
    path("<int:batch_id>/rerun/", views.rerun, name="rerun"),
    path("<int:batch_id>/coverage/", views.coverage, name="coverage"),
    path("<int:batch_id>/summary/", views.summary, name="summary"),
    path("<int:batch_id>/export.xlsx", views.export, name="export"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/judge/", views.judge, name="judge"),
]
