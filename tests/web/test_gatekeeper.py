"""Who may see and change what: the permission matrix, written out as the specification.

The expected table below is typed independently of ``gatekeeper.PERMISSIONS`` so that a change
to the rules fails here until someone states the new rule on purpose.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from gongkai.agencies.gatekeeper import (
    NO_MEMBERSHIP,
    AccessDeniedError,
    Action,
    can,
    may_anywhere,
    require,
    units_for,
    visible_units,
)
from gongkai.agencies.models import Role
from gongkai.agencies.services import AgencyError, unit_create

from .conftest import World

A = Action
OWN, CHILD, UNRELATED = "own", "child", "unrelated"

# role → action → the places (own unit, a unit below it, an unrelated unit) where it is allowed.
EXPECTED: dict[Role, dict[Action, set[str]]] = {
    Role.CLERK: {
        A.VIEW_CASES: {OWN},
        A.REGISTER: {OWN},
        A.HANDLE: {OWN},
        A.APPROVE_EXTENSION: set(),
        A.ASSIGN: set(),
        A.VIEW_DASHBOARD: {OWN},
        A.MANAGE_UNITS: set(),
        A.MANAGE_LETTER_TEMPLATES: set(),
        A.MANAGE_CALENDAR: set(),
        A.VIEW_REPORTS: {OWN},
        A.EDIT_REPORT: {OWN},
        A.PUBLISH_REPORT: set(),
        A.PUBLISH_ROLLUP: set(),
        A.VIEW_REGISTERS: {OWN},
        A.MANAGE_REGISTERS: {OWN},
        A.VIEW_EVALUATIONS: set(),
        A.RUN_EVALUATIONS: set(),
        A.JUDGE_FINDINGS: set(),
        A.MANAGE_API_TOKENS: set(),
        A.EXPORT_PERSONAL_DATA: set(),
        A.VIEW_ACCESS_LOG: set(),
        A.ARCHIVE_CASES: set(),
        A.ADD_REASONS: {OWN},
    },
    Role.HEAD: {
        A.VIEW_CASES: {OWN},
        A.REGISTER: {OWN},
        A.HANDLE: {OWN},
        A.APPROVE_EXTENSION: {OWN},
        A.ASSIGN: {OWN},
        A.VIEW_DASHBOARD: {OWN},
        A.MANAGE_UNITS: set(),
        A.MANAGE_LETTER_TEMPLATES: {OWN},
        A.MANAGE_CALENDAR: set(),
        A.VIEW_REPORTS: {OWN},
        A.EDIT_REPORT: {OWN},
        A.PUBLISH_REPORT: {OWN},
        A.PUBLISH_ROLLUP: set(),
        A.VIEW_REGISTERS: {OWN},
        A.MANAGE_REGISTERS: {OWN},
        A.VIEW_EVALUATIONS: set(),
        A.RUN_EVALUATIONS: set(),
        A.JUDGE_FINDINGS: set(),
        A.MANAGE_API_TOKENS: {OWN},
        A.EXPORT_PERSONAL_DATA: {OWN},
        A.VIEW_ACCESS_LOG: {OWN},
        A.ARCHIVE_CASES: set(),
        A.ADD_REASONS: {OWN},
    },
    Role.SUPERVISOR: {
        A.VIEW_CASES: {OWN, CHILD},
        A.REGISTER: set(),
        A.HANDLE: set(),
        A.APPROVE_EXTENSION: set(),
        A.ASSIGN: set(),
        A.VIEW_DASHBOARD: {OWN, CHILD},
        A.MANAGE_UNITS: set(),
        A.MANAGE_LETTER_TEMPLATES: set(),
        A.MANAGE_CALENDAR: set(),
        A.VIEW_REPORTS: {OWN, CHILD},
        A.EDIT_REPORT: set(),
        A.PUBLISH_REPORT: set(),
        A.PUBLISH_ROLLUP: {OWN},
        A.VIEW_REGISTERS: {OWN, CHILD},
        A.MANAGE_REGISTERS: set(),
        A.VIEW_EVALUATIONS: {OWN, CHILD},
        A.RUN_EVALUATIONS: {OWN},
        A.JUDGE_FINDINGS: {OWN},
        A.MANAGE_API_TOKENS: set(),
        A.EXPORT_PERSONAL_DATA: set(),
        A.VIEW_ACCESS_LOG: set(),
        A.ARCHIVE_CASES: set(),
        A.ADD_REASONS: set(),
    },
    Role.ADMIN: {
        A.VIEW_CASES: set(),
        A.REGISTER: set(),
        A.HANDLE: set(),
        A.APPROVE_EXTENSION: set(),
        A.ASSIGN: set(),
        A.VIEW_DASHBOARD: {OWN, CHILD},
        A.MANAGE_UNITS: {OWN, CHILD},
        A.MANAGE_LETTER_TEMPLATES: {OWN, CHILD},
        A.MANAGE_CALENDAR: {OWN, CHILD, UNRELATED},  # deployment-wide, from a top-level unit
        A.VIEW_REPORTS: set(),
        A.EDIT_REPORT: set(),
        A.PUBLISH_REPORT: set(),
        A.PUBLISH_ROLLUP: set(),
        A.VIEW_REGISTERS: set(),
        A.MANAGE_REGISTERS: set(),
        A.VIEW_EVALUATIONS: set(),
        A.RUN_EVALUATIONS: set(),
        A.JUDGE_FINDINGS: set(),
        A.MANAGE_API_TOKENS: {OWN, CHILD},
        A.EXPORT_PERSONAL_DATA: set(),
        A.VIEW_ACCESS_LOG: set(),
        A.ARCHIVE_CASES: {OWN, CHILD},
        A.ADD_REASONS: set(),
    },
    Role.EVALUATOR: {
        A.VIEW_CASES: set(),
        A.REGISTER: set(),
        A.HANDLE: set(),
        A.APPROVE_EXTENSION: set(),
        A.ASSIGN: set(),
        A.VIEW_DASHBOARD: set(),
        A.MANAGE_UNITS: set(),
        A.MANAGE_LETTER_TEMPLATES: set(),
        A.MANAGE_CALENDAR: set(),
        A.VIEW_REPORTS: set(),
        A.PUBLISH_REPORT: set(),
        A.PUBLISH_ROLLUP: set(),
        A.EDIT_REPORT: set(),
        A.VIEW_REGISTERS: set(),
        A.MANAGE_REGISTERS: set(),
        A.VIEW_EVALUATIONS: {OWN, CHILD},
        A.RUN_EVALUATIONS: {OWN},
        A.JUDGE_FINDINGS: {OWN},
        A.MANAGE_API_TOKENS: set(),
        A.EXPORT_PERSONAL_DATA: set(),
        A.VIEW_ACCESS_LOG: set(),
        A.ARCHIVE_CASES: set(),
        A.ADD_REASONS: set(),
    },
}

MATRIX = [
    pytest.param(role, action, place, id=f"{role.value}-{action.value}-{place}")
    for role in Role
    for action in Action
    for place in (OWN, CHILD, UNRELATED)
]


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(EXPECTED) == set(Role)
    assert all(set(actions) == set(Action) for actions in EXPECTED.values())


@pytest.mark.parametrize(("role", "action", "place"), MATRIX)
def test_permission_matrix(world: World, role: Role, action: Action, place: str) -> None:
    # given a member of the district government
    user = world.member(role)
    unit = {OWN: world.district, CHILD: world.township, UNRELATED: world.other_district}[place]
    allowed = place in EXPECTED[role][action]

    # then can(), units_for() and require() agree with the specification
    assert can(user, action, unit) is allowed
    assert units_for(user, action).filter(pk=unit.pk).exists() is allowed
    assert may_anywhere(user, action) is bool(EXPECTED[role][action])
    if allowed:
        require(user, action, unit)
    else:
        with pytest.raises(AccessDeniedError) as excinfo:
            require(user, action, unit)
        assert unit.name in str(excinfo.value)
        assert action.label in str(excinfo.value)


# API token scope → the actions it allows, in the token's own unit only (never below it).
TOKEN_EXPECTED: dict[str, set[Action]] = {
    "applications:read": {A.VIEW_CASES},
    "applications:write": {A.REGISTER, A.HANDLE, A.ADD_REASONS},
    "extensions:approve": {A.APPROVE_EXTENSION},
    "registers:read": {A.VIEW_REGISTERS},
    "reports:read": {A.VIEW_REPORTS},
    "audit": set(),
}


def test_the_token_table_covers_every_scope() -> None:
    from gongkai.agencies.gatekeeper import TOKEN_SCOPES

    assert set(TOKEN_EXPECTED) == set(TOKEN_SCOPES)


@pytest.mark.parametrize("scope", sorted(TOKEN_EXPECTED))
def test_token_permission_matrix(world: World, scope: str) -> None:
    """A token's service principal may do exactly its scope's actions in its own unit, however
    mighty the account behind it (here a supervisor of the same unit: its membership is ignored)."""
    from gongkai.agencies.gatekeeper import service_principal

    account = world.member(Role.SUPERVISOR, username=f"svc_{scope}")
    principal = service_principal(account, unit=world.district, scopes=frozenset({scope}))
    for action in Action:
        for place, unit in ((OWN, world.district), (CHILD, world.township)):
            allowed = place == OWN and action in TOKEN_EXPECTED[scope]
            assert can(principal, action, unit) is allowed, (action, place)
            assert units_for(principal, action).filter(pk=unit.pk).exists() is allowed
        assert may_anywhere(principal, action) is (action in TOKEN_EXPECTED[scope])
        assert can(principal, action, world.other_district) is False


def test_only_an_administrator_of_a_top_level_unit_manages_the_calendar(world: World) -> None:
    """The holiday calendar moves every unit's deadlines: a township's administrator, who
    manages the township's own accounts, may not enter a year."""
    township_admin = world.member(Role.ADMIN, world.township, username="township_admin")

    assert can(township_admin, Action.MANAGE_UNITS, world.township) is True
    assert may_anywhere(township_admin, Action.MANAGE_CALENDAR) is False
    assert units_for(township_admin, Action.MANAGE_CALENDAR).count() == 0
    assert can(township_admin, Action.MANAGE_CALENDAR, world.township) is False


def test_a_member_of_a_child_unit_sees_nothing_above_it(world: World) -> None:
    supervisor = world.member(Role.SUPERVISOR, world.township)

    assert list(visible_units(supervisor)) == [world.township]
    assert can(supervisor, Action.VIEW_CASES, world.district) is False


def test_subtree_covers_grandchildren_but_not_a_sibling_with_a_similar_id(world: World) -> None:
    # given a grandchild of the district, and enough units that ids share prefixes (1 vs 10…)
    school = unit_create(
        name="泉港区第一中学", short_name="泉港一中", kind="department", parent=world.department
    )
    others = [
        unit_create(name=f"外县单位{i}", short_name=f"外县{i}", kind="department")
        for i in range(10)
    ]
    supervisor = world.member(Role.SUPERVISOR, world.department)

    assert set(visible_units(supervisor)) == {world.department, school}
    assert not any(can(supervisor, Action.VIEW_CASES, unit) for unit in others)


@pytest.mark.parametrize("case", ["anonymous", "no_membership", "inactive"])
def test_nobody_without_an_active_membership_may_do_anything(world: World, case: str) -> None:
    if case == "anonymous":
        user: object = AnonymousUser()
    elif case == "no_membership":
        user = User.objects.create_user(username="stranger", is_superuser=True)
    else:
        user = world.member(Role.HEAD)
        user.is_active = False  # type: ignore[attr-defined]
    for action in Action:
        assert units_for(user, action).count() == 0
        assert can(user, action, world.district) is False
        assert may_anywhere(user, action) is False
    with pytest.raises(AccessDeniedError, match=NO_MEMBERSHIP):
        require(user, Action.VIEW_CASES, world.district)


def test_membership_is_read_once_per_user_object(
    world: World, django_assert_num_queries: object
) -> None:
    user = User.objects.get(pk=world.member(Role.SUPERVISOR).pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        for action in Action:
            for unit in (world.district, world.township, world.other_district):
                can(user, action, unit)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            dict(name="", short_name="x", kind="department"), "单位名称不能为空", id="no_name"
        ),
        pytest.param(
            dict(name="某局", short_name="某-局", kind="department"), "不能含有“-”", id="dash"
        ),
        pytest.param(
            dict(name="某局", short_name="某局", kind="rollup"), "报告类别", id="rollup_kind"
        ),
        pytest.param(
            dict(name="某局", short_name="某局", kind="ministry"), "未知的单位类别", id="bad_kind"
        ),
        pytest.param(
            dict(name="泉港区教育局", short_name="新简称", kind="department"),
            "单位“泉港区教育局”已存在",
            id="duplicate_name",
        ),
        pytest.param(
            dict(name="新单位", short_name="山腰街道", kind="township"),
            "简称“山腰街道”已被其他单位使用",
            id="duplicate_short_name",
        ),
    ],
)
def test_unit_create_refuses_bad_input(world: World, kwargs: dict[str, str], message: str) -> None:
    from gongkai.agencies.models import Unit

    before = Unit.objects.count()
    with pytest.raises(AgencyError, match=message):
        unit_create(**kwargs)  # type: ignore[arg-type]
    assert Unit.objects.count() == before


@pytest.mark.parametrize(("role", "place"), [(r, p) for r in Role for p in (OWN, CHILD, UNRELATED)])
def test_accounts_are_managed_where_units_are(world: World, role: Role, place: str) -> None:
    """A member's password is reset by whoever manages their unit (MANAGE_UNITS), and "no such
    member" and "not yours" are the same refusal."""
    from gongkai.agencies.gatekeeper import access_member_by_id, members_for
    from gongkai.agencies.models import Membership

    user = world.member(role)
    unit = {OWN: world.district, CHILD: world.township, UNRELATED: world.other_district}[place]
    target = Membership.objects.get(user=world.member(Role.CLERK, unit, username=f"t_{place}"))
    allowed = place in EXPECTED[role][A.MANAGE_UNITS]

    assert members_for(user).filter(pk=target.pk).exists() is allowed
    if allowed:
        assert access_member_by_id(user, target.pk) == target
    else:
        with pytest.raises(AccessDeniedError) as refused:
            access_member_by_id(user, target.pk)
        with pytest.raises(AccessDeniedError) as missing:
            access_member_by_id(user, 987654)
        assert str(refused.value) == str(missing.value).replace("987654", str(target.pk))
