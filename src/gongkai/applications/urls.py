from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.applications import (
    views,
    views_archive,
    views_attachments,
    views_bulk,
    views_import,
    views_reasons,
)

app_name = "applications"

# The case page and the dashboard (gongkai.web) add their routes to this namespace, after these.
urlpatterns: list[URLPattern] = [
    path("", views.my_cases, name="my_cases"),
    path("search/", views.search, name="search"),
    path("calendar/", views.deadline_calendar, name="calendar"),
    path("bulk/", views_bulk.bulk, name="bulk"),
    path("new/", views.register, name="register"),
    path("import/", views_import.ledger_upload, name="import"),
    path("import/confirm/", views_import.ledger_confirm, name="import_confirm"),
    path("overview/", views.overview, name="overview"),
    path("archive/", views_archive.archive, name="archive"),
    path("<int:application_id>/reasons/", views_reasons.add_reasons, name="add_reasons"),
    path("archive/archived/", views_archive.archived, name="archived"),
    path("units/<int:unit_id>/carry-over/", views_import.carry_over, name="carry_over"),
    path(
        "attachments/<int:attachment_id>/",
        views_attachments.attachment_download,
        name="attachment_download",
    ),
]
