"""Real concurrent writers, on PostgreSQL: two registrations, two clerks on one case.

SQLite serialises every writer on the whole database, so the races cannot happen there and the
tests skip; on PostgreSQL (``scripts/test`` reruns database tests there) they prove the row lock
of the tracking counter and the ``UPDATE … WHERE version = seen`` of the services.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.core.errors import GongkaiError

from . import conftest
from .conftest import World

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="真正的并发写入只在 PostgreSQL 上发生"
)

D = dt.date


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads released together; each result or exception, in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # each thread reports what it got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _register(user: Any, unit: Any) -> Callable[[], Application]:
    return lambda: conftest.register(
        user,
        unit,
        description="某文件",
        submitted_on=D(2024, 3, 4),
    )


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 3, 29))


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(world: World, pinned_today: None) -> None:
    clerks = [world.member(Role.CLERK, username=f"clerk{i}") for i in range(4)]

    results = race(*(_register(clerk, world.district) for clerk in clerks))

    assert all(isinstance(r, Application) for r in results), results
    assert sorted(r.tracking_number for r in results) == [
        f"泉港区政府办-2024-{n:04d}" for n in range(1, 5)
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_to_one_case_keep_exactly_one(world: World, pinned_today: None) -> None:
    first = world.member(Role.CLERK, username="clerk_a")
    second = world.member(Role.CLERK, username="clerk_b")
    app = _register(first, world.district)()

    def decide(user: Any, result: str) -> Callable[[], Application]:
        return lambda: s.application_decide(
            acting_user=user,
            application_id=app.pk,
            expected_version=1,
            result=result,
            legal_basis="《条例》第三十六条",
            on=D(2024, 3, 20),
        )

    results = race(decide(first, "disclosed"), decide(second, "unavailable.not_held"))

    winners = [r for r in results if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, GongkaiError)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert "已被他人修改" in str(losers[0])
    stored = Application.objects.get(pk=app.pk)
    assert (stored.version, stored.result) == (2, winners[0].result)
    assert ApplicationEvent.objects.filter(application=app).count() == 2
