"""Root URL configuration: the staff site, the case work views, letters, remedies, admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("cases/", include("gongkai.applications.urls")),
    path("letters/", include("gongkai.letters.urls")),
    path("remedies/", include("gongkai.remedies.urls")),
    path("calendar/", include("gongkai.calendars.urls")),
    path("", include("gongkai.web.urls")),
]

# Errors in Chinese; 403 and 404 use Django's handlers with our templates (403.html, 404.html).
handler500 = "gongkai.web.views.server_error"
