"""The demo district: built through the real services, its year shaped like the seed report
(the seed's own year, 2021, is held to the seed in ``tests/reports/test_seed_demo.py``).

"Today" is pinned to Friday 2025-12-19, so the build is reproducible whatever day the suite runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from gongkai import demo
from gongkai.agencies.gatekeeper import membership_of
from gongkai.agencies.models import Membership, Role, Unit
from gongkai.applications import selectors
from gongkai.applications import services as s
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.core.formats import APPLICANT_COLUMNS
from gongkai.registers.models import NormativeDocument
from gongkai.reports.models import PublishedReport

TODAY = dt.date(2025, 12, 19)
SEED_JSON = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "seed_quangang_2021.json"


@pytest.fixture
def built(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any) -> demo.DemoSummary:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    # The demo's logins are real; a fast hasher keeps six builds from costing seconds each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo.populate(today=TODAY)


def seed_t3() -> dict[str, Any]:
    table: dict[str, Any] = json.loads(SEED_JSON.read_text(encoding="utf-8"))["tables"]["t3"]
    return table


def test_the_district_has_a_government_towns_a_street_office_and_20_plus_departments(
    built: demo.DemoSummary,
) -> None:
    kinds = Counter(Unit.objects.values_list("kind", flat=True))

    assert kinds["government"] == 1
    assert kinds["township"] == 7
    assert kinds["department"] >= 20
    assert Unit.objects.filter(name__endswith="街道办事处").count() == 1
    assert built.units == Unit.objects.count()


def test_each_role_has_a_printed_login_that_works(built: demo.DemoSummary) -> None:
    roles = {}
    for username, password, _unit, _label in built.logins:
        user = authenticate(username=username, password=password)
        assert user is not None
        membership = membership_of(user)
        assert membership is not None
        roles[Role(membership.role)] = username

    assert set(roles) == set(Role)
    assert Membership.objects.count() > len(Role)


def test_the_year_matches_the_seed_report(built: demo.DemoSummary) -> None:
    t3 = seed_t3()
    results = {code: t3[code]["total"] for code, _ in demo.SEED_RESULTS}

    assert built.applications == t3["new"]["total"] == 67
    assert dict(built.results) == results
    assert built.open == t3["carried_out"]["total"] == 6
    this_year = Application.objects.filter(year=TODAY.year)
    natural = this_year.filter(applicant_type="natural_person").count()
    assert natural / built.applications > 0.8


def test_every_case_has_a_genuine_history(built: demo.DemoSummary) -> None:
    this_year = ApplicationEvent.objects.filter(application__year=TODAY.year)
    kinds = Counter(this_year.values_list("kind", flat=True))

    assert kinds[EventKind.RECEIVED] == 67
    for kind in (
        EventKind.CORRECTION_REQUESTED,
        EventKind.SUPPLEMENT_RECEIVED,
        EventKind.CORRECTION_ABANDONED,
        EventKind.EXTENSION_APPROVED,
        EventKind.CONSULTATION_SENT,
        EventKind.WITHDRAWN,
        EventKind.REPLY_SENT,
    ):
        assert kinds[kind] >= 1, kind
    # Besides this year, only the seed's year (tests/reports/test_seed_demo.py).
    assert set(Application.objects.values_list("year", flat=True)) == {demo.SEED_YEAR, TODAY.year}


def test_the_supervisors_figures_give_a_balanced_table_three(built: demo.DemoSummary) -> None:
    supervisor = authenticate(username="huizong", password=demo.DEMO_PASSWORD)
    root = Unit.objects.get(parent__isnull=True)

    board = selectors.unit_dashboard(user=supervisor, unit=root, include_subunits=True, today=TODAY)
    received = Application.objects.filter(received_on__year=TODAY.year)
    by_column = Counter(received.values_list("applicant_type", flat=True))

    # 一 + 二 (no carry-in in a first year) = 三(七)总计 + 四, over the whole district
    assert sum(by_column.values()) == board.decided_this_year + board.open
    assert board.decided_this_year == 61
    assert {r.code: r.count for r in board.results_this_year if r.count} == dict(built.results)
    assert set(by_column) <= {c.code for c in APPLICANT_COLUMNS}
    assert board.overdue >= 1


def test_the_build_is_reproducible(built: demo.DemoSummary) -> None:
    def made() -> tuple[list[Any], ...]:
        return (
            list(Application.objects.order_by("pk").values_list("applicant_name", "received_on")),
            list(NormativeDocument.objects.order_by("pk").values_list("number", "repealed_on")),
            list(PublishedReport.objects.order_by("pk").values_list("sha256", flat=True)),
        )

    first = made()
    # Empty every table of gongkai's apps and the users (rows are append-only or protected, so
    # deleted raw; the foreign keys are checked when the test's transaction ends: rolled back).
    for model in django_apps.get_models():
        if model.__module__.startswith("gongkai.") or model is User:
            model.objects.all()._raw_delete(model.objects.db)

    demo.populate(today=TODAY)

    assert made() == first
