"""The case page's routes, merged by :mod:`gongkai.site.urls` into the domains' URL namespaces.

The URLs and their names are those the domains always had; only the views moved up to the
presentation layer. Each list is added to the end of the domain's own patterns.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from gongkai.web import dashboard
from gongkai.web.case_page import (
    attachments,
    letters,
    online,
    personal_data,
    print_case,
    remedies,
    views,
)

# Under "cases/", namespace "applications".
application_patterns: list[URLPattern] = [
    path("units/<int:unit_id>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("online/", online.online_pending, name="online_pending"),
    path("online/<int:submission_id>/", online.online_confirm, name="online_confirm"),
    path("<int:application_id>/", views.case_detail, name="case"),
    path(
        "<int:application_id>/attachments/",
        attachments.attachment_upload,
        name="attachment_upload",
    ),
    path("<int:application_id>/assign/", views.case_assign, name="assign"),
    path("<int:application_id>/print/", print_case.case_print, name="print"),
    path(
        "<int:application_id>/personal-data/",
        personal_data.personal_data_reveal,
        name="reveal_personal_data",
    ),
    path("<int:application_id>/<slug:step>/", views.case_step, name="step"),
]

# Under "letters/", namespace "letters".
letter_patterns: list[URLPattern] = [
    path(
        "cases/<int:application_id>/preview/<str:kind>/<str:file_format>/",
        letters.letter_preview,
        name="preview",
    ),
    path("cases/<int:application_id>/send/", letters.letter_send, name="send"),
]

# Under "remedies/", namespace "remedies".
remedy_patterns: list[URLPattern] = [
    path("cases/<int:application_id>/register/", remedies.remedy_register, name="register"),
    path("<int:remedy_id>/result/", remedies.remedy_result, name="result"),
]
