"""An account's e-mail address, where its reminders and daily digest go: set by the
administrator when creating or changing the account, an administration event when changed, and
used by ``send_reminders``. Without one a person is reminded only inside the system."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.agencies import services as s
from gongkai.agencies.models import AdminEvent, Membership, Role

from .conftest import World
from .test_admin_pages import admin, kinds, signed_in  # noqa: F401

PASSWORD = "Linshi-2026-mima"


def test_a_new_account_gets_its_address_from_the_form(world: World, admin: Any) -> None:  # noqa: F811
    client = signed_in(admin)
    response = client.post(
        reverse("agencies:member_new"),
        {
            "username": "xinren",
            "full_name": "新人",
            "unit": world.township.pk,
            "role": "clerk",
            "email": "xinren@quangang.example",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="xinren").email == "xinren@quangang.example"
    assert "xinren@quangang.example" in client.get(reverse("agencies:members")).content.decode()


def test_a_bad_address_is_refused_in_chinese(world: World, admin: Any) -> None:  # noqa: F811
    response = signed_in(admin).post(
        reverse("agencies:member_new"),
        {
            "username": "xinren",
            "unit": world.township.pk,
            "role": "clerk",
            "email": "不是邮箱",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "有效的 Email 地址" in response.content.decode()
    assert not get_user_model().objects.filter(username="xinren").exists()


def test_changing_the_address_is_an_event_and_the_admin_may_set_their_own(
    world: World,
    admin: Any,  # noqa: F811
) -> None:
    clerk = world.member(Role.CLERK)
    membership = Membership.objects.get(user=clerk)
    client = signed_in(admin)
    edit = reverse("agencies:member_edit", args=[membership.pk])
    assert 'name="email"' in client.get(edit).content.decode()

    client.post(edit, {"unit": world.district.pk, "role": "clerk", "email": "jb@qg.example"})

    clerk.refresh_from_db()
    assert clerk.email == "jb@qg.example"
    assert kinds() == ["role_changed"]
    history = client.get(reverse("agencies:admin_history")).content.decode()
    assert "无邮箱" in history and "jb@qg.example" in history
    # Saving the same again records nothing.
    client.post(edit, {"unit": world.district.pk, "role": "clerk", "email": "jb@qg.example"})
    assert AdminEvent.objects.count() == 1

    own = Membership.objects.get(user=admin)
    s.admin_member_change(
        acting_user=admin,
        member_id=own.pk,
        unit_id=own.unit_id,
        role=own.role,
        email="guanli@qg.example",
    )
    admin.refresh_from_db()
    assert admin.email == "guanli@qg.example"
    with pytest.raises(s.AgencyError, match="不能修改自己的角色"):
        s.admin_member_change(
            acting_user=admin, member_id=own.pk, unit_id=own.unit_id, role="clerk", email=None
        )
