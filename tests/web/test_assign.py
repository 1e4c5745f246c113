"""Who handles a case: the registering clerk by default, the 负责人 reassigns, a clerk takes an
unassigned case; 我的案件 lists mine, the queue the unassigned, the head sees the load."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import events as ev
from gongkai.applications import services as s
from gongkai.applications import worklists
from gongkai.applications.models import Application, EventKind
from gongkai.applications.selectors import application_list_open
from gongkai.core.errors import GongkaiError

from . import conftest
from .conftest import TodayIs, World

D = dt.date


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(D(2024, 3, 20))  # a Wednesday; cases received 2024-03-04 are due 2024-04-01


def assign(user: Any, app: Application, assignee: Any, **kwargs: Any) -> Application:
    current = Application.objects.get(pk=app.pk)
    result: Application = s.application_assign(
        acting_user=user,
        application_id=app.pk,
        expected_version=current.version,
        assignee_id=assignee.pk,
        **kwargs,
    )
    return result


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the service ---------------------------------------------------------------------------


def test_registration_assigns_the_registering_clerk(world: World, clerk: Any) -> None:
    app = conftest.register(clerk, world.district)
    assert Application.objects.get(pk=app.pk).assigned_to_id == clerk.pk


def test_registration_by_a_non_handler_leaves_the_case_in_the_queue(world: World) -> None:
    supervisor = world.member(Role.SUPERVISOR)
    # A supervisor may not register; the head may, and is a handler: assigned to themself.
    with pytest.raises(AccessDeniedError):
        conftest.register(supervisor, world.district)
    head = world.member(Role.HEAD)
    app = conftest.register(head, world.district)
    assert app.assigned_to_id == head.pk


def test_head_reassigns_with_a_typed_event(world: World, clerk: Any, head: Any) -> None:
    other = world.member(Role.CLERK, username="clerk_li")
    other.first_name = "李四"
    other.save()
    app = conftest.register(clerk, world.district)
    changed = assign(head, app, other, note="张三休假")
    stored = Application.objects.get(pk=app.pk)
    assert stored.assigned_to_id == other.pk
    assert stored.version == app.version + 1 == changed.version
    event = stored.events.order_by("id").last()
    assert event is not None and event.kind == EventKind.ASSIGNED and event.actor == head
    payload = event.payload
    assert isinstance(payload, ev.Assigned)
    assert payload.assignee == other.pk
    assert payload.summary() == f"承办人：李四（原承办人：{clerk.username}）；备注：张三休假"
    # The due date is untouched: assignment is not a clock step.
    assert stored.due_date == app.due_date


def test_clerk_takes_an_unassigned_case_but_cannot_reassign(
    world: World, clerk: Any, head: Any
) -> None:
    app = conftest.register(clerk, world.district)
    Application.objects.filter(pk=app.pk).update(assigned_to=None)
    other = world.member(Role.CLERK, username="clerk_li")
    # Not for someone else, even an unassigned case.
    with pytest.raises(AccessDeniedError, match="只有本单位负责人可以指定或更换承办人"):
        assign(other, app, clerk)
    assign(other, app, other)
    assert Application.objects.get(pk=app.pk).assigned_to_id == other.pk
    # Now assigned: the first clerk cannot take it over.
    with pytest.raises(AccessDeniedError, match="只有本单位负责人"):
        assign(clerk, app, clerk)


def test_refusals_in_chinese(world: World, clerk: Any, head: Any) -> None:
    app = conftest.register(clerk, world.district)
    outsider = world.member(Role.CLERK, world.township, username="clerk_shanyao")
    with pytest.raises(GongkaiError, match="不是泉州市泉港区人民政府的工作人员"):
        assign(head, app, outsider)
    admin = world.member(Role.ADMIN, username="admin_district")
    with pytest.raises(GongkaiError, match=r"的角色（系统管理员）不办理申请"):
        assign(head, app, admin)
    with pytest.raises(GongkaiError, match=r"已是申请 .* 的承办人"):
        assign(head, app, clerk)
    before = Application.objects.get(pk=app.pk)
    assert before.version == app.version  # nothing written by any refusal
    assert not before.events.filter(kind=EventKind.ASSIGNED).exists()


def test_a_closed_case_keeps_its_assignee(world: World, clerk: Any, head: Any) -> None:
    app = conftest.register(clerk, world.district)
    current = Application.objects.get(pk=app.pk)
    s.application_withdraw(
        acting_user=clerk, application_id=app.pk, expected_version=current.version
    )
    with pytest.raises(GongkaiError, match="已办结，不能再指定承办人"):
        assign(head, app, head)


def test_stale_version_and_other_units(world: World, clerk: Any, head: Any) -> None:
    app = conftest.register(clerk, world.district)
    with pytest.raises(s.StaleVersionError):
        s.application_assign(
            acting_user=head,
            application_id=app.pk,
            expected_version=app.version + 5,
            assignee_id=head.pk,
        )
    foreign_head = world.member(Role.HEAD, world.other_district)
    with pytest.raises(AccessDeniedError):
        assign(foreign_head, app, foreign_head)


# --- the worklists -------------------------------------------------------------------------


def test_queues_and_load(world: World, clerk: Any, head: Any) -> None:
    other = world.member(Role.CLERK, username="clerk_li")
    mine = conftest.register(clerk, world.district)
    theirs = conftest.register(other, world.district)
    queued = conftest.register(clerk, world.district, submitted_on=D(2024, 2, 19))
    Application.objects.filter(pk=queued.pk).update(assigned_to=None)
    rows = application_list_open(user=clerk, unit=world.district)

    def pks(queue: worklists.Queue) -> set[int]:
        return {r.application.pk for r in worklists.rows_in_queue(rows, user=clerk, queue=queue)}

    assert pks(worklists.Queue.MINE) == {mine.pk}
    assert pks(worklists.Queue.UNASSIGNED) == {queued.pk}
    assert pks(worklists.Queue.ALL) == {mine.pk, theirs.pk, queued.pk}
    # Received 2024-02-19: due 2024-03-18, overdue on the 20th; the others due 2024-04-01.
    load = {
        line.name: line
        for line in worklists.clerk_load(unit=world.district, rows=rows, today=D(2024, 3, 20))
    }
    assert (load[clerk.username].open, load[clerk.username].overdue) == (1, 0)
    assert load[head.username].open == 0  # a handler with nothing still has a line
    assert (load["待分配"].open, load["待分配"].overdue) == (1, 1)
    # The week of 2024-03-25: the cases due 2024-04-01 are next week's, none this week.
    late = worklists.clerk_load(unit=world.district, rows=rows, today=D(2024, 3, 28))
    assert sum(line.due_this_week for line in late) == 0
    monday = application_list_open(user=clerk, unit=world.district, today=D(2024, 4, 1))
    week = worklists.clerk_load(unit=world.district, rows=monday, today=D(2024, 4, 1))
    assert {line.name: line.due_this_week for line in week}[other.username] == 1


def test_my_cases_page_filters_by_queue(world: World, clerk: Any, head: Any) -> None:
    other = world.member(Role.CLERK, username="clerk_li")
    mine = conftest.register(clerk, world.district, applicant_name="王五")
    conftest.register(other, world.district, applicant_name="赵六")
    url = reverse("applications:my_cases")
    page = client_for(clerk).get(url).content.decode()
    assert "王五" in page and "赵六" not in page
    page = client_for(clerk).get(url, {"queue": "all"}).content.decode()
    assert "王五" in page and "赵六" in page
    assert 'id="clerk-load"' not in page  # only the head sees the load
    page = client_for(head).get(url).content.decode()
    assert 'id="clerk-load"' in page and "承办人工作量" in page
    assert mine.tracking_number in page


# --- the case page -------------------------------------------------------------------------


def test_case_page_assigns_and_shows_refusals(world: World, clerk: Any, head: Any) -> None:
    other = world.member(Role.CLERK, username="clerk_li")
    app = conftest.register(clerk, world.district)
    case_url = reverse("applications:case", args=[app.pk])
    assign_url = reverse("applications:assign", args=[app.pk])
    page = client_for(head).get(case_url).content.decode()
    assert 'id="assign-form"' in page
    assert 'id="assign-form"' not in client_for(clerk).get(case_url).content.decode()
    response = client_for(head).post(
        assign_url, {"version": app.version, "assignee": other.pk, "note": ""}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).assigned_to_id == other.pk
    # The same form again: stale version, said in Chinese on the page.
    response = client_for(head).post(assign_url, {"version": app.version, "assignee": clerk.pk})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    # A clerk may not reassign an assigned case.
    version = Application.objects.get(pk=app.pk).version
    response = client_for(clerk).post(assign_url, {"version": version, "assignee": clerk.pk})
    assert response.status_code == 403
    assert "只有本单位负责人" in response.content.decode()


def test_case_page_offers_an_unassigned_case_to_a_clerk(world: World, clerk: Any) -> None:
    app = conftest.register(clerk, world.district)
    Application.objects.filter(pk=app.pk).update(assigned_to=None)
    page = client_for(clerk).get(reverse("applications:case", args=[app.pk])).content.decode()
    assert 'id="take-form"' in page and "待分配" in page
    response = client_for(clerk).post(
        reverse("applications:assign", args=[app.pk]),
        {"version": app.version, "assignee": clerk.pk},
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).assigned_to_id == clerk.pk


# --- the data migration --------------------------------------------------------------------


def test_the_migration_assigns_existing_cases_to_who_registered_them(
    world: World, clerk: Any, head: Any
) -> None:
    import importlib

    from django.apps import apps

    from gongkai.agencies.models import Membership

    migration = importlib.import_module("gongkai.applications.migrations.0007_assigned_to")
    kept = conftest.register(clerk, world.district)
    by_head = conftest.register(head, world.district)
    left = world.member(Role.CLERK, username="clerk_left")
    orphan = conftest.register(left, world.district)
    Application.objects.update(assigned_to=None)  # as before the column existed
    # The clerk who registered ``orphan`` has since become the unit's administrator.
    Membership.objects.filter(user=left).update(role=Role.ADMIN)
    migration.assign_to_registering_clerk(apps, None)
    assigned = dict(Application.objects.values_list("pk", "assigned_to_id"))
    assert assigned == {kept.pk: clerk.pk, by_head.pk: head.pk, orphan.pk: None}


def test_registration_may_name_another_assignee(world: World, clerk: Any, head: Any) -> None:
    app = conftest.register(head, world.district, assigned_to=clerk)
    assert app.assigned_to_id == clerk.pk
    outsider = world.member(Role.CLERK, world.other_district, username="clerk_huian")
    with pytest.raises(GongkaiError, match="不是泉州市泉港区人民政府的工作人员"):
        conftest.register(head, world.district, assigned_to=outsider)
    assert Application.objects.count() == 1
