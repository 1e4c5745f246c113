from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.letters import views

app_name = "letters"

# Preview and send on the case page (gongkai.web) add their routes to this namespace.
urlpatterns: list[URLPattern] = [
    path("<int:letter_id>/<str:file_format>/", views.letter_download, name="download"),
    path("templates/", views.template_list, name="templates"),
    path("templates/letterhead/", views.letterhead_edit, name="letterhead"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
]
