from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.remedies import views

app_name = "remedies"

urlpatterns: list[URLPattern] = [
    path("", views.remedy_list, name="list"),
    path("cases/<int:application_id>/register/", views.remedy_register, name="register"),
    path("<int:remedy_id>/result/", views.remedy_result, name="result"),
]
