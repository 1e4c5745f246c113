"""Two officers publishing the same report at the same moment, on PostgreSQL: one version is
written, the other officer gets a clear Chinese refusal, never a second "first" version.

SQLite serialises every writer, so the race cannot happen there and the tests skip (the
simulated race is in test_publish.py); scripts/test reruns them on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.core.errors import GongkaiError
from gongkai.reports.models import PublishedReport
from gongkai.reports.services import report_publish, rollup_publish
from tests.web.test_concurrency import race

from .conftest import World, register

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="真正的并发写入只在 PostgreSQL 上发生"
)

D = dt.date


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def _outcome(results: list[Any]) -> tuple[PublishedReport, GongkaiError]:
    winners = [r for r in results if isinstance(r, PublishedReport)]
    losers = [r for r in results if isinstance(r, GongkaiError)]
    assert (len(winners), len(losers)) == (1, 1), results
    return winners[0], losers[0]


@pytest.mark.django_db(transaction=True)
def test_two_heads_publishing_at_once_write_one_version(world: World, pinned_today: None) -> None:
    first = world.member(Role.HEAD, username="head_a")
    second = world.member(Role.HEAD, username="head_b")
    register(world.member(Role.CLERK), world.district, submitted_on=D(2024, 3, 4))

    results = race(
        *(
            (
                lambda user=user: report_publish(
                    acting_user=user, unit_id=world.district.pk, year=2024
                )
            )
            for user in (first, second)
        )
    )

    winner, loser = _outcome(results)
    assert winner.version == 1
    # The second waited for the first's lock, then saw version 1: a correction needs a reason.
    message = str(loser)
    assert "2024 年度报告已于" in message and "发布第 1 版" in message, message
    assert "须说明更正理由" in message or "其他人刚刚发布了" in message, message
    assert PublishedReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_publishing_the_roll_up_at_once_write_one(
    world: World, pinned_today: None
) -> None:
    for unit in (world.district, world.department, world.township):
        head = world.member(Role.HEAD, unit, username=f"head_{unit.pk}")
        report_publish(acting_user=head, unit_id=unit.pk, year=2024)
    supervisors = [world.member(Role.SUPERVISOR, username=f"sup_{i}") for i in range(2)]

    results = race(
        *(
            (
                lambda user=user: rollup_publish(
                    acting_user=user, unit_id=world.district.pk, year=2024
                )
            )
            for user in supervisors
        )
    )

    winner, loser = _outcome(results)
    assert winner.is_rollup and winner.version == 1
    assert "发布第 1 版" in str(loser) or "其他人刚刚发布了" in str(loser), str(loser)
    assert PublishedReport.objects.filter(is_rollup=True).count() == 1
