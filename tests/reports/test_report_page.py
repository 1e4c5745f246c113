"""The report page: the draft's tables and findings, the versions, and publishing for the head."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.reports.models import PublishedReport

from .conftest import World, register

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def page(client: Client, user: Any, unit: Any, year: int = 2024) -> Any:
    client.force_login(user)
    return client.get(f"/reports/{unit.pk}/{year}/")


def test_the_clerk_reads_the_draft_but_cannot_publish(
    client: Client, world: World, clerk: Any
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))

    response = page(client, clerk, world.district)

    text = response.content.decode()
    assert response.status_code == 200
    assert "一、本年新收政府信息公开申请数量" in text
    assert "（三）不予公开" in text  # the header row above its numbered rows
    assert "尚未发布" in text
    assert "发布年度报告</button>" not in text


def test_the_head_publishes_from_the_page(client: Client, world: World, head: Any) -> None:
    assert "发布年度报告</button>" in page(client, head, world.district).content.decode()

    response = client.post(f"/reports/{world.district.pk}/2024/", follow=True)

    text = response.content.decode()
    assert "已发布 2024 年度报告第 1 版" in text
    assert "第 1 版" in text and "发布更正版本" in text
    assert PublishedReport.objects.get().published_by == head


def test_a_correction_without_reason_is_refused_on_the_page(
    client: Client, world: World, head: Any
) -> None:
    client.force_login(head)
    client.post(f"/reports/{world.district.pk}/2024/")

    response = client.post(f"/reports/{world.district.pk}/2024/", follow=True)

    assert "须说明更正理由" in response.content.decode()
    assert PublishedReport.objects.count() == 1


def test_the_clerk_cannot_publish_by_posting(client: Client, world: World, clerk: Any) -> None:
    client.force_login(clerk)

    response = client.post(f"/reports/{world.district.pk}/2024/", follow=True)

    assert "发布年度报告" in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_the_supervisor_reads_a_unit_below_not_an_unrelated_one(
    client: Client, world: World
) -> None:
    supervisor = world.member(Role.SUPERVISOR)

    assert page(client, supervisor, world.township).status_code == 200
    assert page(client, supervisor, world.other_district).status_code == 404


def test_a_unit_below_does_not_read_its_parent(client: Client, world: World) -> None:
    assert page(client, world.member(Role.CLERK, world.township), world.district).status_code == 404


def test_the_menu_leads_to_last_years_report(
    client: Client, world: World, clerk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.agencies import pages

    monkeypatch.setattr(pages, "today", lambda: D(2025, 3, 3))
    client.force_login(clerk)

    text = client.get("/remedies/").content.decode()

    assert f'href="/reports/{world.district.pk}/2024/">年度报告</a>' in text


def test_the_supervisor_moves_between_its_units(client: Client, world: World) -> None:
    text = page(client, world.member(Role.SUPERVISOR), world.district).content.decode()

    assert f'href="/reports/{world.township.pk}/2024/"' in text
    assert f"/reports/{world.other_district.pk}/" not in text
