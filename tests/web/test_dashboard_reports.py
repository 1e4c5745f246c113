"""The dashboard's annual-report panel: each unit's report for last year against its Art 49
deadline (31 January for departments, 31 March for governments, none for townships), warned of
ahead and once passed; the supervising office sees every unit below it and its roll-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.core.render.report_html import render_report_html
from gongkai.reports.builder import build_report
from gongkai.reports.imports import import_report_file
from gongkai.reports.services import report_publish

from .conftest import TodayIs, World, register

D = dt.date


def _page(user: Any, unit_id: int) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("applications:dashboard", args=[unit_id]))
    assert response.status_code == 200
    return response.content.decode()


def _panel(html: str) -> str:
    start = html.find('id="report-status"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def _member(world: World, role: Role, unit: Any) -> Any:
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def _publish_on(
    world: World, unit: Any, day: dt.date, monkeypatch: pytest.MonkeyPatch, reason: str = ""
) -> None:
    """The unit's head publishes 2024 with the clock at noon on ``day``."""
    at = dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)  # noon in Beijing
    head = _member(world, Role.HEAD, unit)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: at)
        report_publish(acting_user=head, unit_id=unit.pk, year=2024, reason=reason)


def test_a_department_is_warned_fifteen_days_ahead(world: World, today_is: TodayIs) -> None:
    today_is(D(2025, 1, 20))
    panel = _panel(_page(_member(world, Role.CLERK, world.department), world.department.pk))
    assert "2024 年度政府信息公开工作年度报告" in panel
    assert "即将到期：尚未发布，距公布期限 2025-01-31 还有 11 天" in panel
    assert "《条例》第四十九条" in panel
    assert world.district.name not in panel  # a unit sees its own report only


def test_a_government_is_not_yet_warned_in_january(world: World, today_is: TodayIs) -> None:
    today_is(D(2025, 1, 20))
    panel = _panel(_page(world.member(Role.CLERK), world.district.pk))
    assert "尚未发布（公布期限 2025-03-31）" in panel
    assert "即将到期" not in panel and 'role="status"' not in panel


def test_the_supervisor_sees_every_unit_and_its_roll_up_once_overdue(
    world: World, today_is: TodayIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(D(2025, 4, 2))
    _publish_on(world, world.department, D(2025, 2, 3), monkeypatch)
    panel = _panel(_page(world.member(Role.SUPERVISOR), world.district.pk))

    assert f"{world.district.name}（汇总报告）" in panel
    assert f"{world.district.name}：已逾期：应于 2025-03-31 前公布，尚未发布，已超过 2 天" in panel
    assert "逾期发布：第 1 版，首次发布于 2025-02-03，晚于期限 2025-01-31 3 天" in panel
    # A township has no national deadline: never overdue, whatever the day.
    assert f'{world.township.name}</a></td><td class="nowrap">无全国统一期限' in panel
    assert "尚未发布（无全国统一的公布期限）" in panel
    assert world.other_district.name not in panel


def test_a_report_published_in_time_stays_published_after_a_correction(
    world: World, today_is: TodayIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(D(2025, 2, 10))
    _publish_on(world, world.department, D(2025, 1, 10), monkeypatch)
    clerk = _member(world, Role.CLERK, world.department)
    register(clerk, world.department, submitted_on=D(2024, 6, 3))
    _publish_on(world, world.department, D(2025, 2, 9), monkeypatch, reason="补登一件申请")
    panel = _panel(_page(_member(world, Role.CLERK, world.department), world.department.pk))
    assert "已发布第 2 版（首次发布 2025-01-10）" in panel
    assert "逾期" not in panel


def test_an_administrator_without_reports_sees_no_panel(world: World, today_is: TodayIs) -> None:
    today_is(D(2025, 1, 20))
    assert _panel(_page(world.member(Role.ADMIN), world.district.pk)) == ""


def test_a_report_imported_from_the_units_file_counts_as_published(
    world: World, today_is: TodayIs
) -> None:
    """A unit that starts on gongkai after publishing its 2024 report imports it: not overdue."""
    today_is(D(2025, 3, 3))
    report = build_report(unit=world.department, year=2024).with_meta(published=D(2025, 1, 20))
    import_report_file(
        unit=world.department,
        year=2024,
        name="2024.html",
        data=render_report_html(report).encode(),
    )
    panel = _panel(_page(_member(world, Role.CLERK, world.department), world.department.pk))
    assert "已导入本单位发布的报告（发布于 2025-01-20）" in panel
    assert "逾期" not in panel
