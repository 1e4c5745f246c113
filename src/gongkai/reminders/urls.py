from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.reminders import views

app_name = "reminders"

urlpatterns: list[URLPattern] = [
    path("", views.notifications, name="notifications"),
    path("read/", views.mark_read, name="mark_read"),
]
