"""The notifications page: the reminders addressed to the logged-in user, and marking them read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies import pages
from gongkai.agencies.pages import staff_view
from gongkai.reminders.selectors import notifications_for
from gongkai.reminders.services import reminders_mark_read


@require_GET
@staff_view
def notifications(request: HttpRequest) -> HttpResponseBase:
    page = pages.page_of(notifications_for(user=request.user), request)
    return render(request, "reminders/notifications.html", {"page": page})


@require_POST
@staff_view
def mark_read(request: HttpRequest) -> HttpResponseBase:
    """Mark the ticked notifications read, or all of them (``all``)."""
    ids = None if request.POST.get("all") else request.POST.getlist("reminder")
    reminders_mark_read(user=request.user, reminder_ids=ids)
    return redirect("reminders:notifications")
