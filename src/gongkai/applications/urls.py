from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.applications import views

app_name = "applications"

urlpatterns: list[URLPattern] = [
    path("", views.my_cases, name="my_cases"),
    path("search/", views.search, name="search"),
    path("new/", views.register, name="register"),
    path("overview/", views.overview, name="overview"),
    path("units/<int:unit_id>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:application_id>/", views.case_detail, name="case"),
    path("<int:application_id>/<slug:step>/", views.case_step, name="step"),
]
