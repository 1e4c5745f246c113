from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.letters import views

app_name = "letters"

urlpatterns: list[URLPattern] = [
    path(
        "cases/<int:application_id>/preview/<str:kind>/<str:file_format>/",
        views.letter_preview,
        name="preview",
    ),
    path("cases/<int:application_id>/send/", views.letter_send, name="send"),
    path("<int:letter_id>/<str:file_format>/", views.letter_download, name="download"),
    path("templates/", views.template_list, name="templates"),
    path("templates/letterhead/", views.letterhead_edit, name="letterhead"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
]
