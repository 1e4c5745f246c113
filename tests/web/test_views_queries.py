"""The number of SQL queries each page makes is fixed, whatever the number of cases.

Pinned exactly (as Zulip and Saleor do): a new query on a hot page should be a decision, seen
in review, not an accident. Each page is measured with a few cases and with three times as many.
The counts include the two every logged-in request makes (session, user).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s

from . import conftest
from .conftest import World

TODAY = dt.date(2025, 6, 18)

# page → queries: session, user, membership, then the page's own, then the session saved
# again (SAVEPOINT, UPDATE, RELEASE) so that its expiry counts from the last request: the
# idle timeout of site/settings.py.
SESSION_SAVE = 3
# The navigation's unread-reminders badge (gongkai.reminders.context_processors): one count.
BADGE = 1
PINNED = {
    "my_cases": 5 + SESSION_SAVE + BADGE,  # + open cases, their events
    # + unit, open cases, events, received this month, results by row, "has sub-units?",
    # table 四 (one GROUP BY over the remedies), last year's report status (units, versions,
    # imports)
    "dashboard": 13 + SESSION_SAVE + BADGE,
    "overview": 6 + SESSION_SAVE + BADGE,  # + units, the open cases' events (joined), yearly counts
    "search": 6 + SESSION_SAVE + BADGE,  # + count, page
    # + application with its unit, events with actors (the clock is pure Python), and the
    # panels: sent letters, remedies, attachments (one each)
    "case": 8 + SESSION_SAVE + BADGE,
}


def grow(world: World, clerk: Any, n: int) -> None:
    for i in range(n):
        app = conftest.register(
            clerk,
            world.district,
            applicant_name=f"申请人{i}",
            id_document_number=f"35050519900101{i:04d}",
            description=f"第{i}号申请的所需信息",
            submitted_on=dt.date(2025, 6, 2) + dt.timedelta(days=i % 10),
        )
        if i % 3 == 0:
            s.application_decide(
                acting_user=clerk,
                application_id=app.pk,
                expected_version=1,
                result="disclosed",
                legal_basis="第二十七条",
            )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", sorted(PINNED))
def test_each_page_makes_a_fixed_number_of_queries(
    world: World, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    clerk = world.member(Role.CLERK)
    supervisor = world.member(Role.SUPERVISOR)
    user = supervisor if page == "overview" else clerk
    client = Client()
    client.force_login(user)
    grow(world, clerk, 4)
    first_case = world.district.applications.order_by("pk").first()
    assert first_case is not None
    url = {
        "my_cases": reverse("applications:my_cases"),
        "dashboard": reverse("applications:dashboard", args=[world.district.pk]),
        "overview": reverse("applications:overview"),
        "search": reverse("applications:search"),
        "case": reverse("applications:case", args=[first_case.pk]),
    }[page]

    few = queries(client, url)
    grow(world, clerk, 8)
    many = queries(client, url)

    assert (few, many) == (PINNED[page], PINNED[page])
