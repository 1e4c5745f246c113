"""Shared fixtures: paths to the real reports in ../shared and the project's own fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests judge results, not speed: the per-example deadline (200 ms by default) turns a
# loaded machine into a failure that says nothing about the code. Speed has its own benchmarks.
settings.register_profile("gongkai", deadline=None)
settings.load_profile("gongkai")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (real published reports) is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# Tests that use the database get the ``postgres`` marker, so that scripts/test reruns exactly
# them on PostgreSQL (see tests/conftest_db.py).
from tests.conftest_db import pytest_collection_modifyitems  # noqa: E402, F401


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's set-up, plus: end stray sessions before the test database is dropped.

    The browser tests' live server answers requests in threads whose idle PostgreSQL sessions
    can outlive the server; DROP DATABASE then fails ("being accessed by other users").
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _no_entered_calendar_years() -> Iterator[None]:
    """Tests count the package's and provisional years only, unless they ask for the store.

    The calendars app registers its database store at start-up; a test that does not use the
    database must not query it, and pinned query counts must not depend on when the store was
    last polled. Tests of the store use the ``calendar_store`` fixture.
    """
    from gongkai.core.calendar import using_schedule_store

    with using_schedule_store(None):
        yield


@pytest.fixture
def calendar_store(db: None) -> Iterator[None]:
    """Entered years come from the test database, as in a deployment."""
    from gongkai.calendars.store import DatabaseScheduleStore
    from gongkai.core.calendar import using_schedule_store

    with using_schedule_store(DatabaseScheduleStore()):
        yield
