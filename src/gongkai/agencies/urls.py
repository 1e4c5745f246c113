from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.agencies import views

app_name = "agencies"

urlpatterns: list[URLPattern] = [
    path("", views.member_list, name="members"),
    path("<int:member_id>/password/", views.member_password, name="member_password"),
]
