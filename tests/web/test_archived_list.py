"""已归档案件: the administrator finds archived cases (read-only, no personal data); nobody
else has the page, and the daily lists still leave them out."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.views_archive import NOT_ARCHIVIST

from .conftest import World
from .test_archive import NOW, client_for, closed  # noqa: F401


@pytest.fixture
def archived(world: World, closed: Application) -> Application:  # noqa: F811
    admin = world.member(Role.ADMIN, username="archivist")
    return s.application_archive(acting_user=admin, application_id=closed.pk)


def test_the_administrator_lists_archived_cases_without_personal_data(
    world: World, archived: Application
) -> None:
    admin = world.member(Role.ADMIN, world.district, username="district_admin")
    response = client_for(admin).get(reverse("applications:archived"))
    page = response.content.decode()

    assert response.status_code == 200
    assert archived.tracking_number in page
    assert NOW.isoformat() in page and "2014-03-07" in page
    assert archived.applicant_name not in page
    assert archived.id_document_number not in page
    home = client_for(admin).get(reverse("agencies:admin_home")).content.decode()
    assert reverse("applications:archived") in home


def test_another_districts_administrator_does_not_see_them(
    world: World, archived: Application
) -> None:
    other = world.member(Role.ADMIN, world.other_district)
    page = client_for(other).get(reverse("applications:archived")).content.decode()
    assert archived.tracking_number not in page
    assert "还没有归档的案件" in page


@pytest.mark.parametrize("role", [Role.CLERK, Role.HEAD, Role.SUPERVISOR, Role.EVALUATOR])
def test_no_other_role_has_the_page(world: World, archived: Application, role: Role) -> None:
    user = world.member(role, username=f"someone_{role.value}")
    response = client_for(user).get(reverse("applications:archived"))
    assert response.status_code == 404
    assert NOT_ARCHIVIST in response.content.decode()


def test_the_daily_lists_leave_them_out(world: World, clerk: Any, archived: Application) -> None:
    client = client_for(clerk)
    for name, params in [
        ("applications:my_cases", {}),
        ("applications:my_cases", {"scope": "unit"}),
        ("applications:search", {}),
        ("applications:search", {"status": "closed"}),
    ]:
        page = client.get(reverse(name), params).content.decode()
        assert archived.tracking_number not in page, (name, params)
    found = client.get(reverse("applications:search"), {"status": "archived"}).content.decode()
    assert archived.tracking_number in found
