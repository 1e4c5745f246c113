"""The public pages under ``/public/``, in two halves that change for different reasons: the
online application and its tracking (:mod:`gongkai.portal.urls_apply`) and the published
reports and disclosure guides (:mod:`gongkai.portal.urls_reports`)."""

from __future__ import annotations

from django.urls import URLPattern

from gongkai.portal import urls_apply, urls_reports

app_name = "portal"

urlpatterns: list[URLPattern] = [*urls_apply.urlpatterns, *urls_reports.urlpatterns]
