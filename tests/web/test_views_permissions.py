"""Who may open and change what, through HTTP; and the error pages a person can meet.

The gatekeeper's own matrix is in test_gatekeeper.py; this checks that every page and export
goes through it: another unit's case is the same 404 as a missing one, a supervisor reads but
cannot change, and nothing is written by a refused request.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications import worklists
from gongkai.applications.models import Application

from . import conftest
from .conftest import World

TODAY = dt.date(2025, 6, 18)


@pytest.fixture
def case(world: World, monkeypatch: pytest.MonkeyPatch) -> Application:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    return conftest.register(
        world.member(Role.CLERK, world.department),
        world.department,
        applicant_name="黄某",
        id_document_number="350505197707071111",
        description="泉港区2024年度学校食堂招标文件",
        submitted_on=dt.date(2025, 6, 16),
    )


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


ROLES: dict[str, tuple[Role, str]] = {
    "own clerk": (Role.CLERK, "department"),
    "own head": (Role.HEAD, "department"),
    "district clerk": (Role.CLERK, "district"),
    "other district clerk": (Role.CLERK, "other_district"),
    "supervisor": (Role.SUPERVISOR, "district"),
    "unrelated supervisor": (Role.SUPERVISOR, "other_district"),
    "admin": (Role.ADMIN, "district"),
}


def who(world: World, name: str) -> Any:
    """The member called ``name`` (created on first use), or ``None`` for the anonymous."""
    if name == "anonymous":
        return None
    from django.contrib.auth.models import User

    role, unit = ROLES[name]
    username = name.replace(" ", "_")
    found = User.objects.filter(username=username).first()
    return found or world.member(role, getattr(world, unit), username=username)


@pytest.mark.parametrize(
    ("_case", "status"),
    [
        ("own clerk", 200),
        ("own head", 200),
        ("supervisor", 200),
        ("district clerk", 404),  # the parent unit's clerk handles the parent's cases only
        ("other district clerk", 404),
        ("unrelated supervisor", 404),
        ("admin", 404),  # counts, never applicants' personal data
    ],
)
def test_the_case_page_is_shown_only_to_whom_the_gatekeeper_allows(
    world: World, case: Application, _case: str, status: int
) -> None:
    response = client_for(who(world, _case)).get(reverse("applications:case", args=[case.pk]))

    assert response.status_code == status
    if status == 404:
        body = response.content.decode()
        assert f"未找到申请（内部编号 {case.pk}），或您无权访问该申请" in body
        assert "黄某" not in body


def test_a_missing_case_reads_exactly_like_a_forbidden_one(world: World, case: Application) -> None:
    client = client_for(who(world, "other district clerk"))

    def page(pk: int) -> str:
        body = client.get(reverse("applications:case", args=[pk])).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)

    forbidden, missing = page(case.pk), page(case.pk + 1000)

    assert forbidden == missing.replace(f"内部编号 {case.pk + 1000}", f"内部编号 {case.pk}")


@pytest.mark.parametrize(
    ("_case", "status"),
    [("supervisor", 403), ("other district clerk", 404), ("district clerk", 404)],
)
def test_who_may_not_handle_the_case_changes_nothing(
    world: World, case: Application, _case: str, status: int
) -> None:
    response = client_for(who(world, _case)).post(
        reverse("applications:step", args=[case.pk, "withdraw"]),
        {"withdraw-version": 1, "withdraw-on": TODAY.isoformat(), "withdraw-note": ""},
    )

    assert response.status_code == status
    assert case.events.count() == 1
    assert Application.objects.get(pk=case.pk).version == 1


def test_the_supervisor_sees_the_case_without_any_step_form(
    world: World, case: Application
) -> None:
    body = (
        client_for(who(world, "supervisor"))
        .get(reverse("applications:case", args=[case.pk]))
        .content.decode()
    )

    assert "您可以查看本案，但不能办理" in body
    assert 'id="step-' not in body


def test_only_the_head_may_approve_an_extension(world: World, case: Application) -> None:
    clerk = who(world, "own clerk")
    s.application_request_extension(
        acting_user=clerk, application_id=case.pk, expected_version=1, working_days=5, reason="调档"
    )

    response = client_for(clerk).post(
        reverse("applications:step", args=[case.pk, "extension_approve"]),
        {"extension_approve-version": 2, "extension_approve-on": TODAY.isoformat()},
    )

    assert response.status_code == 403
    assert "批准延期答复" in response.content.decode()
    assert case.events.count() == 2


def test_anonymous_visitors_are_sent_to_the_login_page(case: Application) -> None:
    for url in (
        reverse("applications:my_cases"),
        reverse("applications:case", args=[case.pk]),
        reverse("applications:search") + "?format=xlsx",
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_exports_hold_only_what_the_user_may_see(world: World, case: Application) -> None:
    own = client_for(who(world, "own clerk")).get(
        reverse("applications:search"), {"format": "xlsx"}
    )
    other = client_for(who(world, "other district clerk")).get(
        reverse("applications:search"), {"format": "xlsx"}
    )

    def numbers(response: Any) -> list[str]:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert numbers(own) == [case.tracking_number]
    assert numbers(other) == []


def test_a_unit_outside_ones_reach_cannot_be_chosen_as_a_filter(
    world: World, case: Application
) -> None:
    response = client_for(who(world, "other district clerk")).get(
        reverse("applications:search"), {"unit": world.department.pk}
    )

    assert response.status_code == 200
    assert "所选单位不存在，或您无权查看该单位的申请" in response.content.decode()
    assert case.tracking_number not in response.content.decode()


@pytest.mark.parametrize(
    ("_case", "dashboard", "units"),
    [
        ("own clerk", 200, ["泉港区教育局"]),
        ("supervisor", 200, ["泉州市泉港区人民政府", "泉港区山腰街道办事处", "泉港区教育局"]),
        ("admin", 200, ["泉州市泉港区人民政府", "泉港区山腰街道办事处", "泉港区教育局"]),
        ("other district clerk", 404, ["泉州市惠安县人民政府"]),
    ],
)
def test_dashboards_and_the_overview_show_only_units_within_reach(
    world: World, case: Application, _case: str, dashboard: int, units: list[str]
) -> None:
    client = client_for(who(world, _case))

    got = client.get(reverse("applications:dashboard", args=[world.department.pk]))
    overview = client.get(reverse("applications:overview"))

    assert got.status_code == dashboard
    assert [row.unit.name for row in overview.context["overview"].units] == units


def test_an_unexpected_failure_shows_the_chinese_500_page(
    world: World, case: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(worklists, "application_case", broken)
    response = client_for(who(world, "own clerk")).get(reverse("applications:case", args=[case.pk]))

    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出现错误" in body
    assert "Traceback" not in body and "boom" not in body


def test_an_account_without_a_unit_is_told_so(db: None) -> None:
    from django.contrib.auth.models import User

    client = client_for(User.objects.create_user("nobody"))

    response = client.get(reverse("web:home"), follow=True)

    assert response.status_code == 403
    assert "账号未分配单位和角色" in response.content.decode()
