from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.letters import views, views_print

app_name = "letters"

# Preview and send on the case page (gongkai.web) add their routes to this namespace.
urlpatterns: list[URLPattern] = [
    path("print/", views_print.print_day, name="print_day"),
    path("print/cases/", views_print.print_cases, name="print_cases"),
    path("<int:letter_id>/proof/", views_print.print_proof, name="print_proof"),
    path("<int:letter_id>/<str:file_format>/", views.letter_download, name="download"),
    path("templates/", views.template_list, name="templates"),
    path("templates/letterhead/", views.letterhead_edit, name="letterhead"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
]
