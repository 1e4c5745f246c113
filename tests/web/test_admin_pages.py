"""系统管理 without /admin/: units, accounts, one-time passwords and the deployment page, each
change an administration event, each page for the administrator of the unit's subtree only."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from gongkai.agencies import services as s
from gongkai.agencies.admin_events import payload_of
from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import AdminEvent, AppendOnlyError, Membership, Role, Unit

from .conftest import World

ONE_TIME = "Quangang-2025-once"
OWN_CHOICE = "Shanyao-2025-mine!"


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin(world: World) -> Any:
    return world.member(Role.ADMIN)


def signed_in(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def kinds() -> list[str]:
    return list(AdminEvent.objects.order_by("id").values_list("kind", flat=True))


ADMIN_PAGES = [
    ("agencies:admin_home", ()),
    ("agencies:units", ()),
    ("agencies:members", ()),
    ("agencies:member_new", ()),
    ("agencies:deployment", ()),
    ("agencies:admin_history", ()),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_the_admin_pages_are_the_administrators(
    world: World, role: Role, name: str, args: tuple[Any, ...]
) -> None:
    response = signed_in(world.member(role)).get(reverse(name, args=args))
    assert response.status_code == (200 if role is Role.ADMIN else 404)


def test_a_unit_admin_creates_renames_and_moves_units_in_their_subtree(
    world: World, admin: Any
) -> None:
    client = signed_in(admin)
    response = client.post(
        reverse("agencies:units"),
        {
            "new-name": "泉港区前黄镇人民政府",
            "new-short_name": "前黄镇",
            "new-kind": "township",
            "new-parent": world.district.pk,
        },
    )
    assert response.status_code == 302
    town = Unit.objects.get(short_name="前黄镇")
    assert town.parent == world.district and town.path == f"{world.district.path}{town.pk}/"

    school = s.admin_unit_create(
        acting_user=admin,
        parent_id=world.department.pk,
        name="泉港一中",
        short_name="泉港一中",
        kind="department",
    )
    client.post(
        reverse("agencies:unit_edit", args=[world.department.pk]),
        {"name": "泉港区教育和体育局", "short_name": "泉港区教体局", "kind": "department"},
    )
    moved = client.post(
        reverse("agencies:unit_edit", args=[world.department.pk]),
        {"move": "1", "parent": world.township.pk},
    )

    assert moved.status_code == 302
    department = Unit.objects.get(pk=world.department.pk)
    assert department.name == "泉港区教育和体育局" and department.parent == world.township
    assert department.path == f"{world.township.path}{department.pk}/"
    school.refresh_from_db()
    assert school.path == f"{department.path}{school.pk}/"  # the subtree follows
    assert kinds() == ["unit_created", "unit_created", "unit_changed", "unit_moved"]
    summaries = [payload_of(e).summary() for e in AdminEvent.objects.order_by("id")]
    assert "泉港区教育局" in summaries[2] and "泉港区教体局" in summaries[2]
    assert "泉港区山腰街道办事处" in summaries[3]


def test_unit_changes_are_refused_with_a_reason(world: World, admin: Any) -> None:
    client = signed_in(admin)

    below_itself = client.post(
        reverse("agencies:unit_edit", args=[world.district.pk]),
        {"move": "1", "parent": world.township.pk},
    )
    taken = client.post(
        reverse("agencies:unit_edit", args=[world.department.pk]),
        {"name": "泉港区教育局", "short_name": "山腰街道", "kind": "department"},
    )

    assert below_itself.status_code == 400  # not even offered as a choice
    assert taken.status_code == 400 and "已被其他单位使用" in taken.content.decode()
    with pytest.raises(s.AgencyError, match="自己或它的下级单位"):
        s.admin_unit_move(acting_user=admin, unit_id=world.district.pk, parent_id=world.township.pk)
    assert AdminEvent.objects.count() == 0


def test_a_township_admin_sees_the_own_subtree_from_the_left_margin(world: World) -> None:
    admin = world.member(Role.ADMIN, world.township)
    village = s.admin_unit_create(
        acting_user=admin,
        parent_id=world.township.pk,
        name="某村委会",
        short_name="某村",
        kind="department",
    )
    html = signed_in(admin).get(reverse("agencies:units")).content.decode()
    assert f"<tr><td>{world.township.name}</td>" in html  # the top row is not indented
    assert f"<tr><td>　{village.name}</td>" in html  # one step below it
    assert f"<td>{world.district.name}</td><td>" not in html  # listed only as the parent


def test_a_township_admin_cannot_touch_the_district_or_another_district(world: World) -> None:
    admin = world.member(Role.ADMIN, world.township)
    for unit in (world.district, world.department, world.other_district):
        with pytest.raises(AccessDeniedError):
            s.admin_unit_create(
                acting_user=admin,
                parent_id=unit.pk,
                name="x单位",
                short_name="x",
                kind="department",
            )
        assert (
            signed_in(admin).get(reverse("agencies:unit_edit", args=[unit.pk])).status_code == 404
        )
    outsider = Membership.objects.get(user=world.member(Role.CLERK, world.other_district))
    with pytest.raises(AccessDeniedError):
        s.admin_member_change(
            acting_user=admin, member_id=outsider.pk, unit_id=world.township.pk, role="clerk"
        )
    with pytest.raises(AccessDeniedError):  # a clerk administers nothing
        s.admin_unit_update(
            acting_user=world.member(Role.CLERK, world.township),
            unit_id=world.township.pk,
            name="改名",
            short_name="改名",
            kind="township",
        )
    assert AdminEvent.objects.count() == 0


def _must_change(client: Client) -> bool:
    response = client.get(reverse("applications:my_cases"))
    return response.status_code == 302 and response["Location"] == reverse("web:password_change")


def test_a_new_account_must_change_its_one_time_password(world: World, admin: Any) -> None:
    response = signed_in(admin).post(
        reverse("agencies:member_new"),
        {
            "username": "wangwu",
            "full_name": "王五",
            "unit": world.township.pk,
            "role": "clerk",
            "new_password1": ONE_TIME,
            "new_password2": ONE_TIME,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="wangwu")
    assert (membership.unit, membership.role) == (world.township, "clerk")

    client = Client()
    assert client.login(username="wangwu", password=ONE_TIME)
    assert _must_change(client)
    assert client.get(reverse("web:password_change")).status_code == 200
    changed = client.post(
        reverse("web:password_change"),
        {"old_password": ONE_TIME, "new_password1": OWN_CHOICE, "new_password2": OWN_CHOICE},
    )
    assert changed.status_code == 302
    assert client.get(reverse("applications:my_cases")).status_code == 200
    assert kinds() == ["member_created"]


def test_a_reset_password_is_one_time_and_an_event(world: World, admin: Any) -> None:
    clerk = s.member_create(username="lisi", password=OWN_CHOICE, unit=world.district, role="clerk")
    membership = Membership.objects.get(user=clerk)
    client = Client()
    assert client.login(username="lisi", password=OWN_CHOICE)
    assert not _must_change(client)

    signed_in(admin).post(
        reverse("agencies:member_password", args=[membership.pk]),
        {"new_password1": ONE_TIME, "new_password2": ONE_TIME},
    )

    fresh = Client()
    assert fresh.login(username="lisi", password=ONE_TIME)
    assert _must_change(fresh)
    event = AdminEvent.objects.get()
    assert (event.kind, event.actor, event.data) == (
        "password_reset",
        admin,
        {"username": "lisi", "one_time": True},
    )
    assert ONE_TIME not in str(event.data)


def test_role_change_stop_and_restore(world: World, admin: Any) -> None:
    clerk = world.member(Role.CLERK)
    membership = Membership.objects.get(user=clerk)
    client = signed_in(admin)

    client.post(
        reverse("agencies:member_edit", args=[membership.pk]),
        {"unit": world.township.pk, "role": "head"},
    )
    client.post(reverse("agencies:member_active", args=[membership.pk]), {"active": "0"})

    clerk.refresh_from_db()
    membership.refresh_from_db()
    assert (membership.unit, membership.role, clerk.is_active) == (world.township, "head", False)
    assert "已停用的账号" in client.get(reverse("agencies:members")).content.decode()
    client.post(reverse("agencies:member_active", args=[membership.pk]), {"active": "1"})
    clerk.refresh_from_db()
    assert clerk.is_active
    assert kinds() == ["role_changed", "member_deactivated", "member_reactivated"]
    history = client.get(reverse("agencies:admin_history")).content.decode()
    assert "泉港区山腰街道办事处 · 负责人" in history and "停用账号" in history
    # another district's administrator sees none of it
    other = signed_in(world.member(Role.ADMIN, world.other_district))
    assert "停用账号“" not in other.get(reverse("agencies:admin_history")).content.decode()


def test_an_administrator_cannot_stop_or_demote_themself(world: World, admin: Any) -> None:
    own = Membership.objects.get(user=admin)
    with pytest.raises(s.AgencyError, match="不能停用自己"):
        s.admin_member_set_active(acting_user=admin, member_id=own.pk, active=False)
    with pytest.raises(s.AgencyError, match="不能修改自己的角色"):
        s.admin_member_change(
            acting_user=admin, member_id=own.pk, unit_id=world.district.pk, role="clerk"
        )
    assert AdminEvent.objects.count() == 0


def test_the_deployment_page_shows_settings_without_secrets(world: World, admin: Any) -> None:
    page = signed_in(admin).get(reverse("agencies:deployment")).content.decode()
    assert "sqlite" in page or "postgresql" in page
    assert django_settings.TIME_ZONE in page and str(django_settings.MEDIA_ROOT) in page
    assert django_settings.SECRET_KEY not in page


def test_the_admin_home_links_the_existing_calendar_and_templates(world: World, admin: Any) -> None:
    page = signed_in(admin).get(reverse("agencies:admin_home")).content.decode()
    for name in ("calendars:list", "letters:templates", "applications:archive", "agencies:units"):
        assert reverse(name) in page


def test_admin_events_are_append_only(world: World, admin: Any) -> None:
    s.admin_unit_create(
        acting_user=admin,
        parent_id=world.district.pk,
        name="新单位",
        short_name="新",
        kind="department",
    )
    event = AdminEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
