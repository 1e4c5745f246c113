"""The Django admin for the IT administrator: reminders and digests shown, never changed (the
rows are the proof of sending), and archived cases found by the 归档 filter."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.reminders.models import DigestSent, Reminder

from .conftest import World
from .test_archive import closed  # noqa: F401


def test_reminders_are_listed_and_read_only(admin_client: Any, world: World) -> None:
    user = get_user_model().objects.create_user("tixing")
    digest = DigestSent.objects.create(recipient=user, day="2025-06-18")

    for url in ("/admin/reminders/reminder/", "/admin/reminders/digestsent/"):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get("/admin/reminders/digestsent/").content.decode()
    assert "tixing" in page
    assert admin_client.get("/admin/reminders/reminder/add/").status_code == 403
    change = f"/admin/reminders/digestsent/{digest.pk}/delete/"
    assert admin_client.post(change, {"post": "yes"}).status_code == 403
    assert DigestSent.objects.count() == 1
    assert Reminder.objects.count() == 0


def test_the_archived_filter_finds_archived_cases(
    admin_client: Any,
    world: World,
    closed: Application,  # noqa: F811
) -> None:
    s.application_archive(acting_user=world.member(Role.ADMIN), application_id=closed.pk)

    archived = admin_client.get("/admin/applications/application/", {"archived": "yes"})
    unarchived = admin_client.get("/admin/applications/application/", {"archived": "no"})

    assert closed.tracking_number in archived.content.decode()
    assert closed.tracking_number not in unarchived.content.decode()
    assert "已归档" in archived.content.decode()
