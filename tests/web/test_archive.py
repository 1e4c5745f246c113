"""Retention: closed cases past the deployment's retention period are archived by the system
administrator — read-only (every workflow service refuses them), out of the daily lists, each
archiving an administration event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import AdminEvent, Role
from gongkai.applications import services as s
from gongkai.applications.attachments import Upload, attachments_add
from gongkai.applications.models import Application
from gongkai.applications.worklists import SearchFilters, application_search

from . import conftest, samples
from .conftest import TodayIs, World

CLOSED_ON = dt.date(2014, 3, 7)
NOW = dt.date(2025, 6, 18)


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def closed(world: World, clerk: Any, today_is: TodayIs) -> Application:
    """A case of the district withdrawn (closed) on 2014-03-07; today is 2025-06-18."""
    today_is(CLOSED_ON)
    app = conftest.register(clerk, world.district, submitted_on=dt.date(2014, 3, 4))
    app = s.application_withdraw(
        acting_user=clerk, application_id=app.pk, expected_version=app.version, on=CLOSED_ON
    )
    today_is(NOW)
    assert app.closed_on == CLOSED_ON
    return app


@pytest.fixture
def admin(world: World) -> Any:
    return world.member(Role.ADMIN)


def test_the_administrator_archives_a_case_past_retention(
    world: World, closed: Application, admin: Any, clerk: Any
) -> None:
    assert list(s.archivable_cases(user=admin)) == [closed]

    archived = s.application_archive(acting_user=admin, application_id=closed.pk)

    assert archived.archived_on == NOW
    event = AdminEvent.objects.get()
    assert (event.kind, event.actor, event.unit) == ("case_archived", admin, world.district)
    assert event.data["tracking_number"] == closed.tracking_number
    assert list(s.archivable_cases(user=admin)) == []
    # out of the daily search, found under its own filter
    assert closed not in application_search(user=clerk, filters=SearchFilters())
    assert list(application_search(user=clerk, filters=SearchFilters(status="archived"))) == [
        closed
    ]


def test_an_archived_case_refuses_every_workflow_service(
    closed: Application, admin: Any, clerk: Any, head: Any
) -> None:
    s.application_archive(acting_user=admin, application_id=closed.pk)
    version = Application.objects.get(pk=closed.pk).version

    # attaching a file goes on after closing (a late proof) — not after archiving
    with pytest.raises(s.ApplicationError, match="已于 2025-06-18 归档"):
        attachments_add(
            acting_user=clerk,
            application_id=closed.pk,
            expected_version=version,
            uploads=[Upload(name="证明.pdf", data=samples.PDF, kind="other")],
        )
    with pytest.raises(s.ApplicationError, match=r"已办结|归档"):
        s.application_assign(
            acting_user=head,
            application_id=closed.pk,
            expected_version=version,
            assignee_id=clerk.pk,
        )
    with pytest.raises(s.ApplicationError, match="只能查看"):
        s.application_withdraw(
            acting_user=clerk, application_id=closed.pk, expected_version=version
        )
    assert Application.objects.get(pk=closed.pk).version == version


def test_a_case_inside_retention_is_not_archived(
    world: World, clerk: Any, admin: Any, today_is: TodayIs, settings: Any
) -> None:
    today_is(dt.date(2024, 3, 7))
    app = conftest.register(clerk, world.district, submitted_on=dt.date(2024, 3, 4))
    s.application_withdraw(acting_user=clerk, application_id=app.pk, expected_version=app.version)
    open_app = conftest.register(clerk, world.district, submitted_on=dt.date(2024, 3, 5))
    today_is(NOW)

    for case in (app, open_app):
        with pytest.raises(s.ApplicationError, match="办结满 10 年"):
            s.application_archive(acting_user=admin, application_id=case.pk)
    # a shorter deployment setting makes the closed one (not the open one) archivable
    settings.GONGKAI_RETENTION_YEARS = 1
    assert list(s.archivable_cases(user=admin)) == [app]
    assert AdminEvent.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CLERK, Role.HEAD, Role.SUPERVISOR])
def test_only_the_administrator_archives(world: World, closed: Application, role: Role) -> None:
    user = world.member(role, username=f"x_{role.value}")
    with pytest.raises(AccessDeniedError):
        s.application_archive(acting_user=user, application_id=closed.pk)
    assert client_for(user).get(reverse("applications:archive")).status_code == 404


def test_another_districts_administrator_cannot_archive(world: World, closed: Application) -> None:
    other = world.member(Role.ADMIN, world.other_district)
    with pytest.raises(AccessDeniedError):
        s.application_archive(acting_user=other, application_id=closed.pk)
    assert list(s.archivable_cases(user=other)) == []


def test_the_archive_page(world: World, closed: Application, admin: Any, clerk: Any) -> None:
    client = client_for(admin)
    page = client.get(reverse("applications:archive")).content.decode()
    assert closed.tracking_number in page and "10 年" in page

    response = client.post(reverse("applications:archive"), {"application": closed.pk})

    assert response.status_code == 302
    assert Application.objects.get(pk=closed.pk).archived_on == NOW
    case_page = client_for(clerk).get(reverse("applications:case", args=[closed.pk]))
    assert "归档" in case_page.content.decode()
    again = client.post(reverse("applications:archive"), {"application": closed.pk}, follow=True)
    assert "不能归档" in again.content.decode() or "没有超过保存期限" in again.content.decode()
