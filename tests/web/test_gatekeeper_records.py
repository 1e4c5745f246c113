"""The gatekeeper's lookups by id and its scopes for the records of the apps above it.

The gatekeeper (agencies) imports no app model: applications and remedies register their record
kinds in ``AppConfig.ready()``. These tests check the registered scopes behave like the unit
scopes of the permission matrix (``test_gatekeeper.py``), and that not found and not allowed
stay indistinguishable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Q

from gongkai.agencies import gatekeeper as g
from gongkai.agencies.gatekeeper import AccessDeniedError, Action
from gongkai.agencies.models import Role, Unit
from gongkai.agencies.selectors import subtree_q, within
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.remedies import services as remedy_services
from gongkai.remedies.models import Remedy

from . import conftest
from .conftest import World

MONDAY = dt.date(2024, 3, 4)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: dt.date(2024, 3, 29))


def _member(world: World, role: Role, unit: Unit | None = None) -> Any:
    """One member per (role, unit), however often a test asks."""
    unit = unit or world.district
    found = User.objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def _application(world: World, unit: Unit) -> Application:
    clerk = _member(world, Role.CLERK, unit)
    return conftest.register(
        clerk,
        unit,
        description="城区道路改造工程的立项批复",
        submitted_on=MONDAY,
    )


def _remedy(world: World, app: Application) -> Remedy:
    return remedy_services.remedy_register(
        acting_user=_member(world, Role.CLERK, app.unit),
        application_id=app.pk,
        kind="reconsideration",
        authority="泉州市人民政府",
        filed_on=dt.date(2024, 3, 20),
    )


def test_the_apps_registered_their_records() -> None:
    assert g._SCOPED[g.APPLICATION].model is Application
    assert g._SCOPED[g.REMEDY].model is Remedy


def test_an_unregistered_kind_is_a_programming_error(world: World) -> None:
    with pytest.raises(LookupError, match=r"AppConfig\.ready"):
        g.records_for("register_entry", _member(world, Role.CLERK), Action.VIEW_CASES)


def test_remedies_follow_their_applications_units(world: World) -> None:
    own = _remedy(world, _application(world, world.district))
    below = _remedy(world, _application(world, world.township))
    elsewhere = _remedy(world, _application(world, world.other_district))
    clerk = _member(world, Role.CLERK)
    supervisor = _member(world, Role.SUPERVISOR)

    assert set(g.remedies_for(clerk)) == {own}
    assert set(g.remedies_for(supervisor)) == {own, below}
    assert g.access_remedy_by_id(clerk, own.pk) == own
    assert g.access_remedy_by_id(supervisor, below.pk) == below
    assert g.access_remedy_by_id(clerk, own.pk, for_change=True) == own
    with pytest.raises(AccessDeniedError):
        g.access_remedy_by_id(supervisor, below.pk, for_change=True)  # oversees, not handles
    with pytest.raises(AccessDeniedError) as not_allowed:
        g.access_remedy_by_id(clerk, elsewhere.pk)
    with pytest.raises(AccessDeniedError) as not_found:
        g.access_remedy_by_id(clerk, elsewhere.pk + 1000)
    assert str(not_allowed.value) == g.REMEDY_NOT_FOUND.format(id=elsewhere.pk)
    assert str(not_found.value) == g.REMEDY_NOT_FOUND.format(id=elsewhere.pk + 1000)


def test_an_accessed_remedy_brings_its_application(
    world: World, django_assert_num_queries: Any
) -> None:
    remedy = _remedy(world, _application(world, world.district))
    clerk = _member(world, Role.CLERK)
    g.membership_of(clerk)
    with django_assert_num_queries(1):
        assert g.access_remedy_by_id(clerk, remedy.pk).application.pk == remedy.application_id


@pytest.mark.parametrize("bad_id", ["abc", None, -1])
def test_a_malformed_id_reads_as_not_found(world: World, bad_id: Any) -> None:
    clerk = _member(world, Role.CLERK)
    with pytest.raises(AccessDeniedError):
        g.access_remedy_by_id(clerk, bad_id)
    with pytest.raises(AccessDeniedError):
        g.access_unit_by_id(clerk, bad_id, Action.VIEW_DASHBOARD)


def test_access_unit_by_id_follows_the_permission_table(world: World) -> None:
    supervisor = _member(world, Role.SUPERVISOR)
    clerk = _member(world, Role.CLERK)
    assert g.access_unit_by_id(supervisor, world.township.pk, Action.VIEW_DASHBOARD) == (
        world.township
    )
    assert g.access_unit_by_id(clerk, world.district.pk, Action.HANDLE) == world.district
    for user, unit, action in [
        (clerk, world.township, Action.VIEW_DASHBOARD),
        (supervisor, world.township, Action.HANDLE),
        (supervisor, world.other_district, Action.VIEW_DASHBOARD),
    ]:
        with pytest.raises(AccessDeniedError) as denied:
            g.access_unit_by_id(user, unit.pk, action)
        assert str(denied.value) == g.UNIT_NOT_FOUND.format(id=unit.pk, action=action.label)


def test_the_subtree_is_one_filter_in_sql_and_in_python(world: World) -> None:
    assert set(Unit.objects.filter(subtree_q(world.district))) == {
        world.district,
        world.township,
        world.department,
    }
    assert within(world.township, world.district)
    assert not within(world.district, world.township)
    assert not within(world.other_district, world.district)
    assert subtree_q(world.district, via="application__unit") == Q(
        application__unit__path__startswith=world.district.path
    )


def test_a_count_covers_the_subtree_only_where_the_user_sees_counts(world: World) -> None:
    own = _application(world, world.district)
    below = _application(world, world.township)
    _application(world, world.other_district)
    supervisor = _member(world, Role.SUPERVISOR)
    clerk = _member(world, Role.CLERK)

    def counted(user: Any, include: bool) -> set[Application]:
        q = g.unit_scope_q(user, world.district, include_subunits=include)
        return set(Application.objects.filter(q))

    assert counted(supervisor, include=False) == {own}
    assert counted(supervisor, include=True) == {own, below}
    assert counted(clerk, include=True) == {own}  # a clerk sees no counts below their unit


def test_a_page_offers_the_units_where_the_user_may_act(world: World) -> None:
    supervisor = _member(world, Role.SUPERVISOR)
    units = g.units_where(supervisor, Action.VIEW_CASES, refusal="无权")
    assert list(units) == sorted(
        [world.district, world.township, world.department], key=lambda u: u.path
    )
    assert g.default_unit(supervisor, units) == world.district
    with pytest.raises(AccessDeniedError, match=r"^无权登记$"):
        g.units_where(supervisor, Action.REGISTER, refusal="无权登记")


def test_the_preselected_unit_is_the_members_own(world: World) -> None:
    admin = _member(world, Role.ADMIN, world.township)
    units = g.units_where(admin, Action.MANAGE_LETTER_TEMPLATES, refusal="无权")
    assert g.default_unit(admin, units) == world.township
    others = Unit.objects.filter(pk=world.department.pk)
    assert g.default_unit(admin, others) == world.department
