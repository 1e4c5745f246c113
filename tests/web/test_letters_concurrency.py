"""Two clerks sending letters of one unit at once get consecutive 文号, on PostgreSQL.

SQLite serialises every writer, so the race cannot happen there and the test skips (as in
``test_concurrency.py``, whose ``race`` it uses).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.letters import services
from gongkai.letters.models import LetterKind, SentLetter

from . import conftest
from .conftest import World
from .test_concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="真正的并发写入只在 PostgreSQL 上发生"
)

D = dt.date


@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_of_one_unit_get_consecutive_numbers(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 3, 29))
    clerks = [world.member(Role.CLERK, username=f"clerk{i}") for i in range(4)]
    apps = []
    for clerk in clerks:
        app = conftest.register(clerk, world.district, submitted_on=D(2024, 3, 4))
        apps.append(
            s.application_decide(
                acting_user=clerk,
                application_id=app.pk,
                expected_version=app.version,
                result="disclosed",
                legal_basis="《条例》第三十六条第（二）项",
                on=D(2024, 3, 20),
            )
        )

    def send(clerk: Any, app: Any) -> Callable[[], SentLetter]:
        return lambda: services.letter_send(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=app.version,
            kind=LetterKind.REPLY_DISCLOSED,
            on=D(2024, 3, 21),
        )

    results = race(*(send(c, a) for c, a in zip(clerks, apps, strict=True)))

    assert all(isinstance(r, SentLetter) for r in results), results
    assert sorted(r.reference for r in results) == [
        f"泉港区政府办〔2024〕{n}号" for n in range(1, 5)
    ]
