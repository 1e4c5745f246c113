from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.calendars import views

app_name = "calendars"

urlpatterns: list[URLPattern] = [
    path("", views.calendar_list, name="list"),
    path("enter/", views.calendar_enter, name="enter"),
    path("<int:year>/", views.calendar_year, name="year"),
]
