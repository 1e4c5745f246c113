from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.registers import views

app_name = "registers"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("history/", views.history, name="history"),
    path("documents/", views.document_create, name="document_create"),
    path("documents/<int:document_id>/repeal/", views.document_repeal, name="document_repeal"),
    path("documents/<int:document_id>/delete/", views.document_delete, name="document_delete"),
    path("decisions/", views.decision_set, name="decision_set"),
    path("decisions/import/", views.decision_import, name="decision_import"),
    path("fees/", views.fee_set, name="fee_set"),
    path("items/", views.item_create, name="item_create"),
    path("items/<int:item_id>/publish/", views.item_publish, name="item_publish"),
    path("items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("work/", views.work_create, name="work_create"),
    path("work/<int:record_id>/delete/", views.work_delete, name="work_delete"),
]
