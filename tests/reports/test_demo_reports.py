"""Real data: every unit of the demo district gets a report whose table 三 is the dashboard's
and which no rule calls wrong; the 2019 trial format (a 2020 report) builds as well."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai import demo
from gongkai.agencies.models import Membership, Role, Unit
from gongkai.applications import services as s
from gongkai.applications.carry_over import table3_cells
from gongkai.core.formats import COL_TOTAL, FORMAT_2019, T3, T3_NEW
from gongkai.reports.builder import build_report
from gongkai.reports.checks import check_built, describe_errors, errors

from .conftest import World, register

TODAY = dt.date(2025, 12, 19)


@pytest.fixture
def built(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.populate(today=TODAY)


def test_every_demo_unit_reports_the_dashboards_table_without_error(built: None) -> None:
    supervisor = Membership.objects.filter(role=Role.SUPERVISOR).select_related("user").get()
    reported = 0
    for unit in Unit.objects.order_by("path"):
        report = build_report(unit=unit, year=TODAY.year)
        dashboard = table3_cells(
            user=supervisor.user, unit=unit, year=TODAY.year, include_subunits=False
        )
        assert report.tables[T3] == dashboard, unit.name
        findings = check_built(report, today=TODAY)
        assert errors(findings) == [], f"{unit.name}: {describe_errors(findings)}"
        reported += report.cell(T3, T3_NEW, COL_TOTAL) or 0
    assert reported > 0


def test_a_2020_report_is_in_the_2019_trial_format(
    world: World, clerk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s, "_today", lambda: dt.date(2021, 3, 1))
    register(clerk, world.district, submitted_on=dt.date(2020, 6, 1))

    report = build_report(unit=world.district, year=2020)

    assert report.meta.format_version == FORMAT_2019.version
    assert report.cell(T3, T3_NEW, COL_TOTAL) == 1
    assert errors(check_built(report)) == []
