from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.agencies import views, views_access_log

app_name = "agencies"

urlpatterns: list[URLPattern] = [
    path("", views.member_list, name="members"),
    path("<int:member_id>/password/", views.member_password, name="member_password"),
    path("access-log/", views_access_log.access_log, name="access_log"),
]
