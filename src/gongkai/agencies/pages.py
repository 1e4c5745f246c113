"""What every staff page shares, whichever app it belongs to: the log-in and 404 wrapper, the
page size of lists, today's date.

It lives in ``agencies``, the lowest Django layer, so that the views of applications, letters,
remedies and the presentation layer (``gongkai.web``) may all import it without importing one
another. Views call :func:`today` through this module (``pages.today()``), so a test pins the
date of every page with one ``monkeypatch.setattr(pages, "today", …)``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Final

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone

from gongkai.agencies.gatekeeper import AccessDeniedError

PAGE_SIZE: Final = 50


def staff_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Log-in required; "not allowed" becomes the same 404 as "not found"."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except AccessDeniedError as error:
            raise Http404(str(error)) from None

    return login_required(wrapped)


def today() -> dt.date:
    """Today in the deployment's time zone: the date every page computes deadlines for."""
    return timezone.localdate()


def page_of(items: Any, request: HttpRequest) -> Page[Any]:
    """The ``?page=`` page of ``items`` (a queryset or a list), :data:`PAGE_SIZE` to a page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
