"""Root URL configuration: the staff site, the case work views, letters, remedies, admin.

Each domain's namespace is its own patterns followed by the routes of the pages the
presentation layer composes from several domains (:mod:`gongkai.web.case_page.urls`); the URLs
and their names are unchanged by where the views live.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from gongkai.applications import urls as application_urls
from gongkai.letters import urls as letter_urls
from gongkai.remedies import urls as remedy_urls
from gongkai.web.case_page import urls as case_page_urls


def _merged(domain: Any, composed: list[URLPattern]) -> tuple[list[URLPattern], str]:
    """A domain's URL module's patterns, then the composed pages', in the domain's namespace."""
    return [*domain.urlpatterns, *composed], domain.app_name


urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path(
        "cases/",
        include(_merged(application_urls, case_page_urls.application_patterns)),
    ),
    path(
        "letters/",
        include(_merged(letter_urls, case_page_urls.letter_patterns)),
    ),
    path(
        "remedies/",
        include(_merged(remedy_urls, case_page_urls.remedy_patterns)),
    ),
    path("reports/", include("gongkai.reports.urls")),
    path("calendar/", include("gongkai.calendars.urls")),
    path("registers/", include("gongkai.registers.urls")),
    path("evaluations/", include("gongkai.evaluations.urls")),
    path("accounts/", include("gongkai.agencies.urls")),
    path("api/", include("gongkai.api.urls")),
    path("public/", include("gongkai.portal.urls")),
    path("notifications/", include("gongkai.reminders.urls")),
    path("", include("gongkai.web.urls")),
]

# Errors in Chinese; 403 uses Django's handler with our template (403.html).
handler400 = "gongkai.web.views.bad_request"
handler404 = "gongkai.web.views.page_not_found"
handler500 = "gongkai.web.views.server_error"
