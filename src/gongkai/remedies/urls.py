from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.remedies import views

app_name = "remedies"

# Registering a remedy and its result on the case page (gongkai.web) add their routes here.
urlpatterns: list[URLPattern] = [
    path("", views.remedy_list, name="list"),
]
