"""The clerk's case list, the unit dashboard and duplicate detection, with pinned query counts.

The district below is seen on Wednesday 2024-03-27. Due dates were counted by hand on the 2024
holiday calendar (Qingming 4–6 April, 7 April a make-up working Sunday).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import selectors as sel
from gongkai.applications import services as s
from gongkai.applications.models import Application

from .conftest import World

D = dt.date
TODAY = D(2024, 3, 27)


def register(user: Any, unit: Any, submitted_on: dt.date, **overrides: Any) -> Application:
    fields: dict[str, Any] = {
        "channel": "in_person",
        "applicant_type": "natural_person",
        "applicant_name": "李四",
        "id_document_type": "resident_id",
        "id_document_number": "350505199202023456",
        "description": "泉港区2023年度城乡低保资金发放明细",
        "submitted_on": submitted_on,
    }
    fields.update(overrides)
    return s.application_register(acting_user=user, unit=unit, **fields)


def step(service: Any, user: Any, app: Application, **kwargs: Any) -> Application:
    version = Application.objects.get(pk=app.pk).version
    result: Application = service(
        acting_user=user, application_id=app.pk, expected_version=version, **kwargs
    )
    return result


def fresh(user: User) -> User:
    """The same user without the cached membership, as a new request would have it."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def district(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    clerk = world.member(Role.CLERK)
    township_clerk = world.member(Role.CLERK, world.township)
    cases = {
        "overdue": register(clerk, world.district, D(2024, 1, 2)),
        "due_thursday": register(clerk, world.district, D(2024, 2, 29)),
        "due_soon": register(clerk, world.district, D(2024, 3, 4)),  # due 2024-04-01
        "fresh": register(clerk, world.district, D(2024, 3, 20)),
        "awaiting_supplement": register(clerk, world.district, D(2024, 3, 11)),
        "replied": register(clerk, world.district, D(2024, 3, 5)),
        "withdrawn": register(clerk, world.district, D(2024, 3, 6)),
        "township": register(township_clerk, world.township, D(2024, 3, 7)),
    }
    step(
        s.application_request_correction,
        clerk,
        cases["awaiting_supplement"],
        items="请写明年度",
        supplement_deadline=D(2024, 4, 10),
        on=D(2024, 3, 12),
    )
    step(
        s.application_decide,
        clerk,
        cases["replied"],
        result="disclosed",
        legal_basis="第三十六条第（二）项",
        on=D(2024, 3, 15),
    )
    step(s.application_send_reply, clerk, cases["replied"], delivery="email", on=D(2024, 3, 15))
    step(s.application_withdraw, clerk, cases["withdrawn"], on=D(2024, 3, 7))
    return {"clerk": clerk, "township_clerk": township_clerk, **cases}


def test_clerk_list_is_most_urgent_first_with_flags(world: World, district: dict[str, Any]) -> None:
    rows = sel.application_list_open(user=fresh(district["clerk"]), today=TODAY)

    summary = [
        (row.application.pk, row.due, row.days_left, row.overdue, row.due_soon) for row in rows
    ]
    overdue = rows[0]
    assert overdue.application.pk == district["overdue"].pk
    assert overdue.overdue and overdue.days_left is not None and overdue.days_left < 0
    assert summary[1:] == [
        (district["due_thursday"].pk, D(2024, 3, 28), 1, False, True),
        (district["due_soon"].pk, D(2024, 4, 1), 3, False, True),
        (district["fresh"].pk, D(2024, 4, 18), 15, False, False),
        (district["awaiting_supplement"].pk, None, None, False, False),
    ]
    assert rows[-1].status_label == "等待补正"


def test_supervisor_list_spans_the_units_below(world: World, district: dict[str, Any]) -> None:
    supervisor = world.member(Role.SUPERVISOR)

    everything = sel.application_list_open(user=supervisor, today=TODAY)
    township_only = sel.application_list_open(user=supervisor, unit=world.township, today=TODAY)

    assert len(everything) == 6
    assert [r.application.pk for r in township_only] == [district["township"].pk]
    assert sel.application_list_open(user=district["township_clerk"], unit=world.district) == []


def test_clerk_list_costs_three_queries_however_many_cases(
    world: World, district: dict[str, Any], django_assert_num_queries: Any
) -> None:
    user = fresh(district["clerk"])
    with django_assert_num_queries(3):
        small = sel.application_list_open(user=user, today=TODAY)
    for day in range(18, 23):
        register(district["clerk"], world.district, D(2024, 3, day))
    user = fresh(district["clerk"])
    with django_assert_num_queries(3):
        large = sel.application_list_open(user=user, today=TODAY)
    assert len(large) == len(small) + 5


def test_unit_dashboard_counts(world: World, district: dict[str, Any]) -> None:
    board = sel.unit_dashboard(user=fresh(district["clerk"]), unit=world.district, today=TODAY)

    assert (
        board.open,
        board.due_this_week,
        board.overdue,
        board.awaiting_applicant,
        board.received_this_month,
        board.decided_this_year,
    ) == (5, 1, 1, 1, 5, 2)
    counts = {r.code: r.count for r in board.results_this_year if r.count}
    assert counts == {"disclosed": 1, "other.other": 1}
    assert len(board.results_this_year) == 21  # every 2021 result row, zeros included
    assert board.results_this_year[0].label == "（一）予以公开"


def test_supervisor_dashboard_includes_subunits_on_request(
    world: World, district: dict[str, Any]
) -> None:
    supervisor = world.member(Role.SUPERVISOR)

    own = sel.unit_dashboard(user=supervisor, unit=world.district, today=TODAY)
    tree = sel.unit_dashboard(
        user=supervisor, unit=world.district, include_subunits=True, today=TODAY
    )
    # a clerk asking for subunits still gets only what they may see: their own unit
    clerk_tree = sel.unit_dashboard(
        user=fresh(district["clerk"]), unit=world.district, include_subunits=True, today=TODAY
    )

    assert (own.open, tree.open, clerk_tree.open) == (5, 6, 5)
    assert (own.received_this_month, tree.received_this_month) == (5, 6)


def test_dashboard_of_a_unit_out_of_reach_is_refused(
    world: World, district: dict[str, Any]
) -> None:
    with pytest.raises(AccessDeniedError, match="查看统计"):
        sel.unit_dashboard(user=district["clerk"], unit=world.township, today=TODAY)


def test_unit_dashboard_costs_five_queries_however_many_cases(
    world: World, district: dict[str, Any], django_assert_num_queries: Any
) -> None:
    user = fresh(district["clerk"])
    with django_assert_num_queries(5):
        sel.unit_dashboard(user=user, unit=world.district, today=TODAY)
    for day in range(18, 23):
        register(district["clerk"], world.district, D(2024, 3, day))
    user = fresh(district["clerk"])
    with django_assert_num_queries(5):
        board = sel.unit_dashboard(user=user, unit=world.district, today=TODAY)
    assert board.open == 10


@pytest.mark.parametrize(
    ("_case", "name", "number", "description", "found"),
    [
        (
            "same_person_same_request",
            "李四",
            "350505199202023456",
            "泉港区2023年度城乡低保资金发放明细",
            True,
        ),
        (
            "punctuation_and_spacing_ignored",
            "",
            "350505199202023456",
            "泉港区 2023 年度城乡低保资金发放明细。",
            True,
        ),
        ("same_name_without_document", "李四", "", "2023年度泉港区城乡低保资金的发放明细", True),
        (
            "same_person_other_request",
            "李四",
            "350505199202023456",
            "区教育局2024年招生计划",
            False,
        ),
        (
            "other_person_same_request",
            "王五",
            "350505198801017777",
            "泉港区2023年度城乡低保资金发放明细",
            False,
        ),
    ],
)
def test_duplicates_offered_to_the_clerk(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    _case: str,
    name: str,
    number: str,
    description: str,
    found: bool,
) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    clerk = world.member(Role.CLERK)
    earlier = register(clerk, world.district, D(2024, 3, 1))
    register(clerk, world.district, D(2023, 11, 1))  # outside the 90-day window

    candidates = sel.application_find_duplicates(
        user=clerk,
        unit=world.district,
        applicant_name=name,
        id_document_number=number,
        description=description,
        on=TODAY,
    )

    assert [c.application.pk for c in candidates] == ([earlier.pk] if found else [])


def test_duplicate_search_costs_two_queries(
    world: World, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    clerk = world.member(Role.CLERK)
    app = register(clerk, world.district, D(2024, 3, 1))
    register(clerk, world.district, D(2024, 3, 2))

    user = fresh(clerk)
    with django_assert_num_queries(2):
        candidates = sel.application_find_duplicates(
            user=user,
            unit=world.district,
            applicant_name="李四",
            id_document_number="350505199202023456",
            description=app.description,
            on=TODAY,
            exclude_id=app.pk,
        )
    assert len(candidates) == 1 and candidates[0].similarity == 1.0
