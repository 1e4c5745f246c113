"""The online application and following the case (:mod:`gongkai.portal.apply`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.portal.apply import views

urlpatterns: list[URLPattern] = [
    path("apply/", views.apply_form, name="apply"),
    path("apply/receipt/<str:number>/", views.apply_receipt, name="apply_receipt"),
    path("apply/receipt/<str:number>/pdf/", views.apply_receipt_pdf, name="apply_receipt_pdf"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.track_case, name="track_case"),
    path(
        "track/<str:number>/letters/<int:letter_id>/<str:file_format>/",
        views.track_letter,
        name="track_letter",
    ),
]
