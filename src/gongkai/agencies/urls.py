from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.agencies import views, views_access_log, views_admin

app_name = "agencies"

urlpatterns: list[URLPattern] = [
    path("", views.member_list, name="members"),
    path("<int:member_id>/password/", views.member_password, name="member_password"),
    path("access-log/", views_access_log.access_log, name="access_log"),
    path("new/", views_admin.member_new, name="member_new"),
    path("<int:member_id>/edit/", views_admin.member_edit, name="member_edit"),
    path("<int:member_id>/active/", views_admin.member_active, name="member_active"),
    path("admin/", views_admin.admin_home, name="admin_home"),
    path("admin/units/", views_admin.unit_list, name="units"),
    path("admin/units/<int:unit_id>/", views_admin.unit_edit, name="unit_edit"),
    path("admin/deployment/", views_admin.deployment, name="deployment"),
    path("admin/history/", views_admin.admin_history, name="admin_history"),
]
